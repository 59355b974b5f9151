// Canonical page: rank the offerings by what the form's usage costs at each, with the rules the
// build ranked them by (render/canonical_page.py): listed pay-per-use offerings that can price the
// usage, cheapest first; then free tiers, batch-only and subscription ids (ranked among the others
// when "rank" is ticked); then the offerings that cannot price it, each saying why; ties by id.
// Retired and unverified offerings stay in their closed section, priced but not ranked. The prices
// come from the canonical JSON file (v1/canonical/<vendor>/<model>.json), one record per offering.
import { CostError, priceBook, priceRecord } from "./cost.js";
import { exactMoney, money } from "./format.js";
import { UsageForm, saveQuery } from "./usage-form.js";
import { compareKeys, reasonWords, totalKey } from "./usage-rules.js";

const formEl = document.getElementById("usage");
const table = document.getElementById("offerings");
const hiddenTable = document.getElementById("hidden-offerings-table");
const CONTRACT = ["context_tiers", "disputed", "extra_pricing", "not_billed", "pricing_variants"];

// A canonical offering as the record shape cost.js prices.
function asRecord(offering) {
  const modelatlas = { upstream_id: offering.upstream_id };
  for (const key of CONTRACT) if (key in offering) modelatlas[key] = offering[key];
  return { id: offering.id, pricing: offering.pricing, modelatlas };
}

function rowsOf(tableEl, byId, hidden) {
  if (!tableEl) return [];
  return Array.from(tableEl.tBodies[0].rows, (tr) => {
    const offering = byId.get(tr.dataset.id);
    let book = null;
    try { book = offering ? priceBook(asRecord(offering)) : null; } catch (error) { if (!(error instanceof CostError)) throw error; }
    return { tr, cell: tr.querySelector("td.cost"), id: tr.dataset.id, record: offering ? asRecord(offering) : null,
      book, sold: !!(offering && offering.offering), hidden };
  });
}

function fill(row, cost, reason) {
  const td = row.cell;
  const total = cost ? cost.total : "";
  if (td.dataset.total === total && td.title === (cost ? "exactly " + exactMoney(total) : reason)) return;
  td.dataset.total = total;
  td.classList.toggle("unpriced", !cost);
  if (cost) {
    td.textContent = money(total);
    td.title = "exactly " + exactMoney(total);
  } else {
    const span = document.createElement("span");
    span.className = "reason"; span.textContent = reason;
    td.replaceChildren(span);
    td.title = reason;
  }
}

function start(doc) {
  const byId = new Map(doc.data.offerings.map((o) => [o.id, o]));
  const rows = [...rowsOf(table, byId, false), ...rowsOf(hiddenTable, byId, true)];
  let usageForm;
  const update = () => {
    const state = usageForm.state();
    usageForm.markPreset(state);
    saveQuery(usageForm);
    for (const row of rows) {
      let cost = null, reason = "";
      if (state.problems.length) reason = state.problems.join("; ");
      else if (!row.book) reason = usageForm.words.reasons.no_prices;
      else if (!Object.keys(state.usage).length) reason = usageForm.words.reasons.empty;
      else {
        try {
          cost = priceRecord(row.record, state.usage, { region: state.region, tier: state.tier, cacheTtl: state.cacheTtl, book: row.book });
        } catch (error) {
          if (!(error instanceof CostError)) throw error;
          reason = reasonWords(error, usageForm.words, state.region, state.tier);
        }
      }
      fill(row, cost, reason);
      const group = row.hidden ? 3 : row.sold && !state.rankAll ? 1 : cost ? 0 : 2;
      row.key = [group, cost ? 0 : 1, cost ? totalKey(cost.total) : 0n, row.id];
    }
    for (const tableEl of [table, hiddenTable]) {
      if (!tableEl || !Object.keys(state.usage).length) continue;
      const body = tableEl.tBodies[0];
      const ranked = rows.filter((row) => row.tr.parentNode === body).sort((a, b) => compareKeys(a.key, b.key));
      if (ranked.some((row, k) => body.rows[k] !== row.tr)) body.append(...ranked.map((row) => row.tr));
    }
  };
  usageForm = new UsageForm(formEl, update);
  if (!usageForm.load(new URLSearchParams(location.search))) {
    const preset = usageForm.defaultPreset();
    if (preset) usageForm.apply(preset);
  }
  update();
  document.documentElement.setAttribute("data-ranking-ready", "1");
}

if (formEl && table) {
  fetch(table.dataset.json)
    .then((response) => (response.ok ? response.json() : Promise.reject(new Error("HTTP " + response.status))))
    .then(start, (error) => {
      const note = document.getElementById("ranking-rule");
      note.textContent = "Cannot load this model's prices (" + error.message + "): the offerings stay ranked by the preset named above.";
    });
}
