// Table cells that tell free, not billed, unknown and disputed apart, shared by the catalog and
// compare scripts: the visible text, words for screen readers, and a tooltip. A cell is made once
// and refilled in place; only what differs is written, and the screen-reader words and the
// disputed mark are made the first time a cell needs them, so a keystroke that changes the rows
// touches as little of the page as it can.
import { exactMoney, money } from "./format.js";

export const UNKNOWN = "\u2013";

export function makeValue(td) {
  const shown = document.createElement("span");
  td.appendChild(shown);
  return { td, shown, said: null, mark: null, key: undefined, state: "", quiet: false, disputed: false };
}

function set(node, text) { if (node.textContent !== text) node.textContent = text; }

function said(cell, text) {
  if (!cell.said) {
    if (!text) return;
    cell.said = document.createElement("span");
    cell.said.className = "visually-hidden";
    cell.td.appendChild(cell.said);
  }
  set(cell.said, text);
  cell.said.hidden = !text;
}

function mark(cell, disputed) {
  if (cell.disputed === disputed) return;
  cell.disputed = disputed;
  if (!cell.mark) {
    cell.mark = document.createElement("span");
    cell.mark.className = "mark"; cell.mark.setAttribute("aria-hidden", "true"); cell.mark.textContent = "?";
    cell.shown.after(cell.mark);
  }
  cell.mark.hidden = !disputed;
  cell.td.classList.toggle("disputed", disputed);
}

// Write the parts of a cell that differ from what it shows.
function show(cell, text, state, words, disputed, title) {
  set(cell.shown, text);
  const quiet = state === "unknown";
  if (cell.quiet !== quiet) {
    cell.quiet = quiet;
    if (quiet) cell.shown.setAttribute("aria-hidden", "true"); else cell.shown.removeAttribute("aria-hidden");
  }
  said(cell, words);
  mark(cell, disputed);
  if (cell.td.title !== title) cell.td.title = title;
  if (cell.state !== state) {
    if (cell.state) cell.td.classList.remove(cell.state);
    cell.td.classList.add(state);
    cell.state = state;
  }
}

// A plain value (number or date text); null or undefined is unknown.
export function fillValue(cell, text) {
  const unknown = text === null || text === undefined || text === UNKNOWN;
  const key = unknown ? null : text;
  if (cell.key === key) return;
  cell.key = key;
  show(cell, unknown ? UNKNOWN : text, unknown ? "unknown" : "known", unknown ? "unknown" : "", false, unknown ? "unknown" : "");
}

// The state of a price: "free", "not_billed", "unknown" or "known".
export function priceState(value, notBilled) {
  if (value === null || value === undefined) return notBilled ? "not_billed" : "unknown";
  return money(value) === "free" ? "free" : "known";
}

// A price (USD string or null), whether it is not billed, whether it is disputed, and a note for
// the tooltip (a long-context price, for one).
export function fillPrice(cell, value, notBilled, disputed, note = "") {
  const key = value + "|" + (notBilled ? 1 : 0) + (disputed ? 1 : 0) + note;
  if (cell.key === key) return;
  cell.key = key;
  const state = priceState(value, notBilled), amount = state === "known" || state === "free" ? money(value) : null;
  const titles = [];
  if (state === "unknown") titles.push("unknown: no source we trust states it");
  else if (state === "not_billed") titles.push("not billed: this component does not apply to this model");
  else if (state === "known" && exactMoney(value) !== amount) titles.push("exactly " + exactMoney(value));
  if (disputed) titles.push("disputed: the sources disagree (see the model page)");
  if (note) titles.push(note);
  const text = state === "unknown" ? UNKNOWN : state === "not_billed" ? "not billed" : amount;
  const words = (state === "unknown" ? "unknown" : "") + (disputed ? " (disputed)" : "");
  show(cell, text, state, words, !!disputed, titles.join("; "));
}
