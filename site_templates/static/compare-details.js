// Compare's rows from each model's own JSON file (v1/model/<provider>/<file>.json): service-tier,
// region and long-context prices, which the search index does not carry. Each file is fetched
// once, when its model is first compared.
import { money, perMillion } from "./format.js";

export const TIERS = ["batch", "flex", "priority", "fast"];
const cache = new Map();

export function row(label) {
  const tr = document.createElement("tr"), th = document.createElement("th");
  th.scope = "row"; th.textContent = label; tr.appendChild(th);
  return tr;
}

export function markBest(td, word) {
  td.classList.add("best");
  const mark = document.createElement("span");
  mark.className = "best-mark"; mark.textContent = word;
  td.append(" ", mark);
}

export function loadDetails(url) {
  if (!cache.has(url)) {
    cache.set(url, fetch(url).then((r) => (r.ok ? r.json() : null)).then((doc) => (doc ? doc.data : null), () => null));
  }
  return cache.get(url);
}

function variantsOf(record) {
  return (record && record.modelatlas && record.modelatlas.pricing_variants) || [];
}

// The first variant of a tier in the default region with the price key, merged across sources.
function tierPrice(record, tier, key) {
  for (const v of variantsOf(record)) {
    if (v.tier === tier && !v.region && v.pricing && v.pricing[key] !== undefined) return v.pricing[key];
  }
  return undefined;
}

function lowestTier(record) {
  const tiers = (record && record.modelatlas && record.modelatlas.context_tiers) || [];
  return tiers.length ? tiers.reduce((a, b) => (a.above_input_tokens <= b.above_input_tokens ? a : b)) : null;
}

function regions(record) {
  const seen = new Map();
  for (const v of variantsOf(record)) {
    if (!v.region || !v.pricing) continue;
    const label = v.region + (v.tier ? " " + v.tier : "");
    if (!seen.has(label)) seen.set(label, v.pricing);
  }
  return seen;
}

// Rows for the compare table: [label, (record) => {value, text, note}] where value is a USD per 1M
// string (or null when unknown) for price rows that can be marked lowest, and text otherwise.
export function detailRows(records) {
  const rows = [];
  const withTier = records.map(lowestTier);
  if (withTier.some(Boolean)) {
    for (const [key, word] of [["prompt", "Prompt"], ["completion", "Completion"]]) {
      rows.push({
        label: word + " $/1M, long context",
        price: true,
        cell: (record, k) => {
          const t = withTier[k];
          if (!t) return { value: null, note: "no long-context price stated" };
          const v = t.pricing ? t.pricing[key] : undefined;
          return { value: v === undefined ? null : perMillion(v), note: "above " + t.above_input_tokens.toLocaleString("en-US") + " input tokens, for the whole request" };
        },
      });
    }
  }
  for (const tier of TIERS) {
    if (!records.some((r) => tierPrice(r, tier, "prompt") !== undefined || tierPrice(r, tier, "completion") !== undefined)) continue;
    for (const [key, word] of [["prompt", "prompt"], ["completion", "completion"]]) {
      const label = tier.charAt(0).toUpperCase() + tier.slice(1) + " " + word + " $/1M";
      rows.push({
        label, price: true,
        cell: (record) => { const v = tierPrice(record, tier, key); return { value: v === undefined ? null : perMillion(v) }; },
      });
    }
  }
  const regional = records.map(regions);
  if (regional.some((m) => m.size)) {
    rows.push({
      label: "Regional prices $/1M (prompt / completion)",
      price: false,
      cell: (record, k) => {
        const list = [...regional[k]].map(([label, p]) => label + ": " + money(perMillion(p.prompt)) + " / " + money(perMillion(p.completion)));
        return { text: list.length ? list.join("; ") : null };
      },
    });
  }
  return rows;
}
