// The breakdown of a priced request (static/cost.js's result) as table rows: component, quantity,
// unit price, amount, source and what it was priced at (variant, tier, long-context tier), with
// the disputed mark. Shared by the model page's estimator; the words come from the page.
import { fillPrice, makeValue } from "./cells.js";
import { perMillion, thousands } from "./format.js";
import { variantWords } from "./usage-rules.js";

const PER = { token: "1M tokens" };
const PLURAL = { query: "queries", "web search": "web searches" };

function quantity(value, unit) {
  const [whole, fraction] = value.split(".");
  const number = thousands(whole) + (fraction ? "." + fraction : "");
  return `${number} ${value === "1" ? unit : PLURAL[unit] || unit + "s"}`;
}

/** "standard", "the batch tier in region eu", plus "input over 200,000 tokens". */
export function pricedAt(region, tier, above) {
  const at = region || tier ? variantWords(region, tier) : "standard";
  return above ? `${at}, input over ${thousands(above)} tokens` : at;
}

function cell(tr, text, className = "") {
  const td = document.createElement("td");
  if (className) td.className = className;
  td.textContent = text;
  tr.appendChild(td);
  return td;
}

function price(tr, value, disputed, note) {
  const td = document.createElement("td");
  td.className = "num price";
  fillPrice(makeValue(td), value, false, disputed, note);
  tr.appendChild(td);
}

/** One <tr> per line of `cost` (cost.js's priceRecord result). */
export function lineRows(cost, words) {
  return cost.lines.map((line) => {
    const tr = document.createElement("tr");
    const th = document.createElement("th");
    th.scope = "row";
    th.textContent = words.components[line.component] || line.component;
    tr.appendChild(th);
    cell(tr, quantity(line.quantity, line.unit), "num");
    const per = PER[line.price_unit] || line.price_unit;
    const unitPrice = line.price_unit === "token" ? perMillion(line.unit_price) : line.unit_price;
    price(tr, unitPrice, line.disputed, `per ${per}; exactly $${line.unit_price} per ${line.price_unit}`);
    if (!/^[0.]+$/.test(unitPrice)) tr.lastChild.appendChild(document.createTextNode(" / " + per));
    price(tr, line.amount, line.disputed, "");
    cell(tr, line.source ? (words.sources[line.source] || line.source) : "unknown", "source");
    cell(tr, pricedAt(line.region, line.tier, line.context_tier));
    return tr;
  });
}
