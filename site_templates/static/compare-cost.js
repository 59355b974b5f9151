// Compare: the cost of one usage in every column. The form (_usage.html) asks what the compared
// models bill and offers the presets that fit one of them (usage-rules.js, the rules the build
// uses on model pages); each column is priced by cost.js from the model's own JSON file, at the
// chosen region and tier, or says in plain words why it cannot be. The lowest total among the
// comparable columns (listed pay-per-use offerings that can price the usage) is marked.
import { pricedAt } from "./breakdown.js";
import { markBest, row, TIERS } from "./compare-details.js";
import { CostError, priceBook, priceRecord, usageFields } from "./cost.js";
import { exactMoney, money } from "./format.js";
import { UsageForm, saveQuery } from "./usage-form.js";
import { presetFits, reasonWords, shownFields, totalKey } from "./usage-rules.js";

const DEFAULT_FIELDS = new Set(["input_tokens", "output_tokens"]);
const tierOrder = (t) => (TIERS.includes(t) ? TIERS.indexOf(t) : TIERS.length);

export class CompareCost {
  constructor(onChange) {
    this.form = new UsageForm(document.getElementById("usage"), onChange);
    this.books = new WeakMap();
    this.configured = false;
  }

  saveSoon(otherParameters) { saveQuery(this.form, otherParameters); }

  book(record) {
    if (!this.books.has(record)) {
      let book = null;
      try { book = priceBook(record); } catch (error) { if (!(error instanceof CostError)) throw error; }
      this.books.set(record, book);
    }
    return this.books.get(record);
  }

  /** Ask what the loaded records bill; the first time, read the usage from `query` (else the first
   *  preset that fits). Returns whether the address should be written again. */
  configure(records, query) {
    const known = records.filter(Boolean).map((record) => ({ record, book: this.book(record) })).filter((r) => r.book);
    if (!known.length) return false;
    const fields = known.map(({ book }) => usageFields(book));
    const names = new Set(fields.flatMap((f) => [...shownFields(f)]));
    const variants = known.flatMap(({ record }) => (record.modelatlas && record.modelatlas.pricing_variants) || []);
    const regions = [...new Set(variants.map((v) => v.region).filter(Boolean))].sort();
    const tiers = [...new Set(variants.map((v) => v.tier).filter(Boolean))].sort((a, b) => tierOrder(a) - tierOrder(b) || (a < b ? -1 : 1));
    const fits = (preset) => known.some(({ record }, k) => presetFits(preset, fields[k], record));
    this.form.configure(names.size ? names : DEFAULT_FIELDS, fits, regions, tiers);
    if (this.configured) return false;
    this.configured = true;
    if (this.form.load(query)) return true;
    const preset = this.form.presets.find((p) => !p.el.hidden && !p.tier);
    if (preset) this.form.apply(preset);
    return false;
  }

  /** The rows "Cost of this usage" and "Priced at" for the columns (`records[k]` null: loading). */
  rows(records, comparable) {
    if (!this.configured) return [];
    const state = this.form.state();
    this.form.markPreset(state);
    const results = records.map((record) => this.price(record, state));
    const totals = results.map((r, k) => (r.cost && comparable[k] ? totalKey(r.cost.total) : null));
    const known = totals.filter((t) => t !== null);
    const low = known.length > 1 && known.some((t) => t !== known[0]) ? known.reduce((a, b) => (b < a ? b : a)) : null;
    const costRow = row("Cost of this usage (USD)"), atRow = row("Priced at");
    results.forEach((result, k) => {
      const td = document.createElement("td"), at = document.createElement("td");
      td.className = "cost";
      if (result.cost) {
        td.textContent = money(result.cost.total);
        td.title = "exactly " + exactMoney(result.cost.total);
        td.dataset.total = result.cost.total;
        at.textContent = pricedAt(result.cost.region, result.cost.tier, result.cost.context_tier);
        if (low !== null && totals[k] === low) markBest(td, "lowest");
      } else {
        const span = document.createElement("span");
        span.className = "reason"; span.textContent = result.reason;
        td.classList.add("unpriced"); td.appendChild(span);
        at.textContent = "\u2013";
      }
      costRow.appendChild(td); atRow.appendChild(at);
    });
    return [costRow, atRow];
  }

  price(record, state) {
    const words = this.form.words;
    if (!record) return { reason: "Loading this model's prices\u2026" };
    const book = this.book(record);
    if (!book) return { reason: words.reasons.no_prices };
    if (state.problems.length) return { reason: state.problems.join("; ") };
    if (!Object.keys(state.usage).length) return { reason: words.reasons.empty };
    try {
      return { cost: priceRecord(record, state.usage, { region: state.region, tier: state.tier, cacheTtl: state.cacheTtl, book }) };
    } catch (error) {
      if (!(error instanceof CostError)) throw error;
      return { reason: reasonWords(error, words, state.region, state.tier) };
    }
  }
}
