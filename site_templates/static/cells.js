// Table cells that tell free, not billed, unknown and disputed apart, shared by the catalog and
// compare scripts: the visible text, words for screen readers, and a tooltip. A cell is made once
// (two spans) and refilled in place, so a keystroke only changes texts.
import { exactMoney, money } from "./format.js";

export const UNKNOWN = "\u2013";

export function makeValue(td) {
  const shown = document.createElement("span"), said = document.createElement("span"), mark = document.createElement("span");
  said.className = "visually-hidden";
  mark.className = "mark"; mark.setAttribute("aria-hidden", "true"); mark.textContent = "?";
  mark.hidden = true;
  td.append(shown, mark, said);
  return { td, shown, said, mark, key: null };
}

function set(node, text) { if (node.textContent !== text) node.textContent = text; }

// A plain value (number or date text); null or undefined is unknown.
export function fillValue(cell, text) {
  const unknown = text === null || text === undefined || text === UNKNOWN;
  const key = unknown ? "?" : text;
  if (cell.key === key) return;
  cell.key = key;
  set(cell.shown, unknown ? UNKNOWN : text);
  cell.shown.setAttribute("aria-hidden", unknown ? "true" : "false");
  set(cell.said, unknown ? "unknown" : "");
  cell.said.hidden = !unknown;
  cell.mark.hidden = true;
  cell.td.title = unknown ? "unknown" : "";
  cell.td.classList.toggle("unknown", unknown);
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
  const state = priceState(value, notBilled), shown = state === "known" || state === "free" ? money(value) : null;
  const titles = [];
  if (state === "unknown") titles.push("unknown: no source we trust states it");
  else if (state === "not_billed") titles.push("not billed: this component does not apply to this model");
  else if (state === "known" && exactMoney(value) !== shown) titles.push("exactly " + exactMoney(value));
  if (disputed) titles.push("disputed: the sources disagree (see the model page)");
  if (note) titles.push(note);
  set(cell.shown, state === "unknown" ? UNKNOWN : state === "not_billed" ? "not billed" : shown);
  cell.shown.setAttribute("aria-hidden", state === "unknown" ? "true" : "false");
  set(cell.said, (state === "unknown" ? "unknown" : "") + (disputed ? " (disputed)" : ""));
  cell.said.hidden = !cell.said.textContent;
  cell.mark.hidden = !disputed;
  cell.td.title = titles.join("; ");
  cell.td.className = "num price " + state + (disputed ? " disputed" : "");
}
