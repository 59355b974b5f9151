// Table cells that tell free, not billed, unknown and disputed apart, shared by the catalog and
// compare scripts: the visible text, words for screen readers, and a tooltip. A known value is
// the cell's text; an unknown one is a dash that screen readers announce as "unknown" (a symbol
// with a label); a disputed one adds a "?" mark and says "(disputed)". A cell is made once and
// refilled in place, writing only what differs and making the dash, mark and words the first time
// a cell needs them: a keystroke that changes the rows then lays out as little as it can.
import { exactMoney, money } from "./format.js";

export const UNKNOWN = "\u2013";

export function makeValue(td) {
  const text = document.createTextNode("");
  td.appendChild(text);
  return { td, text, dash: null, said: null, mark: null, key: undefined, state: "", disputed: false };
}

function part(cell, name, make) {
  if (!cell[name]) { cell[name] = make(); cell.td.appendChild(cell[name]); }
  return cell[name];
}

function dash() {
  const span = document.createElement("span");
  span.setAttribute("role", "img"); span.setAttribute("aria-label", "unknown"); span.textContent = UNKNOWN;
  return span;
}

function mark() {
  const span = document.createElement("span");
  span.className = "mark"; span.setAttribute("aria-hidden", "true"); span.textContent = "?";
  return span;
}

function words() {
  const span = document.createElement("span");
  span.className = "visually-hidden"; span.textContent = " (disputed)";
  return span;
}

// Write the parts of a cell that differ from what it shows.
function show(cell, text, state, disputed, title) {
  const unknown = state === "unknown";
  if (cell.text.data !== (unknown ? "" : text)) cell.text.data = unknown ? "" : text;
  if (unknown || cell.dash) part(cell, "dash", dash).hidden = !unknown;
  if (disputed !== cell.disputed) {
    cell.disputed = disputed;
    part(cell, "mark", mark).hidden = !disputed;
    part(cell, "said", words).hidden = !disputed;
    cell.td.classList.toggle("disputed", disputed);
  }
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
  show(cell, text, unknown ? "unknown" : "known", false, unknown ? "unknown" : "");
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
  show(cell, state === "not_billed" ? "not billed" : amount, state, !!disputed, titles.join("; "));
}
