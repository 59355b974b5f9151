// The usage form (_usage.html) on model, canonical and compare pages: reads the counts, presets,
// cache lifetime, region and tier; says what is wrong with a count in plain words; keeps it all in
// the address, so a link reproduces the estimate. Values from the address are compared with what
// the form offers, never put into a selector or the page as HTML: a hand-made value is ignored.
import { CACHE_TTLS } from "./cost.js";
import { parseCount, parseSeconds } from "./usage-rules.js";

const CHOICES = ["cache_ttl", "region", "tier"];

export class UsageForm {
  /** `onChange` runs synchronously on every edit (one input event, one update). */
  constructor(form, onChange) {
    this.form = form;
    this.onChange = onChange;
    this.words = JSON.parse(form.dataset.words);
    this.inputs = new Map();
    this.labels = new Map();  // the label's own words, for what is wrong with a count
    for (const input of form.querySelectorAll("label.field input[name]:not([type=checkbox])")) {
      this.inputs.set(input.name, input);
      this.labels.set(input.name, input.closest("label").querySelector("span").firstChild.textContent.trim());
    }
    this.presets = Array.from(form.querySelectorAll("button.preset"), (el) => ({
      el, id: el.dataset.preset, usage: JSON.parse(el.dataset.usage), tier: el.dataset.tier || null,
      mode: el.dataset.mode || null, notBilled: el.dataset.notBilled || null, oneRequest: el.dataset.oneRequest === "1",
    }));
    this.problem = document.getElementById("usage-problem");
    this.touched = false;
    for (const p of this.presets) p.el.addEventListener("click", () => { this.apply(p); this.edited(); });
    form.addEventListener("input", () => this.edited());
    form.addEventListener("submit", (event) => event.preventDefault());
    const note = document.getElementById("usage-default");
    if (note) note.hidden = true;
  }

  edited() { this.touched = true; this.onChange(); }

  select(name) { return this.form.elements.namedItem(name); }

  shown(input) { return !input.closest("label").hidden; }

  /** Fill the counts from a preset (the others blank) and its tier when the form offers it. */
  apply(preset) {
    for (const [name, input] of this.inputs) input.value = name in preset.usage ? String(preset.usage[name]) : "";
    this.choose("tier", preset.tier || "");
  }

  choose(name, value) {
    const select = this.select(name);
    if (select && Array.from(select.options).some((o) => o.value === value)) select.value = value;
  }

  /** {usage, region, tier, cacheTtl, rankAll, problems}: the asked counts (hidden ones are 0). */
  state() {
    const usage = {}, problems = [];
    for (const [name, input] of this.inputs) {
      if (!this.shown(input)) continue;
      const seconds = input.inputMode === "decimal";
      const value = seconds ? parseSeconds(input.value) : parseCount(input.value);
      const bad = value === null;
      if (input.getAttribute("aria-invalid") !== String(bad)) input.setAttribute("aria-invalid", String(bad));
      if (bad) problems.push(`${this.labels.get(name)}: ${seconds ? "a number of seconds, such as 60 or 1.5" : "a whole number, such as 2000"}`);
      else if (name === "requests" && input.value.trim() === "") continue;
      else if (value !== 0 && value !== "0") usage[name] = value;
    }
    const text = problems.length ? "Not a count: " + problems.join("; ") + "." : "";
    if (this.problem.textContent !== text) this.problem.textContent = text;
    this.problem.hidden = !text;
    const choice = (name) => { const s = this.select(name); return s && this.shown(s) && s.value ? s.value : null; };
    const rank = this.select("rank");
    return { usage, region: choice("region"), tier: choice("tier"), cacheTtl: choice("cache_ttl"), rankAll: !!(rank && rank.checked), problems };
  }

  /** Read the usage from the address; false when it names none (the caller applies a default). */
  load(query) {
    let any = false;
    for (const [name, input] of this.inputs) {
      const value = query.get(name);
      if (value === null || value.length > 32) continue;
      const ok = input.inputMode === "decimal" ? parseSeconds(value) !== null : parseCount(value) !== null;
      if (ok) { input.value = value.trim(); any = true; }
    }
    for (const name of CHOICES) {
      const value = query.get(name);
      if (value !== null && (name !== "cache_ttl" || CACHE_TTLS.includes(value))) { this.choose(name, value); any = any || this.select(name).value === value; }
    }
    const rank = this.select("rank");
    if (rank) rank.checked = query.get("rank") === "all";
    this.touched = any;
    return any;
  }

  /** Write the usage into `query` (only once it was edited or came from the address). */
  save(query) {
    for (const name of [...this.inputs.keys(), ...CHOICES, "rank"]) query.delete(name);
    if (!this.touched) return;
    const state = this.state();
    for (const [name, value] of Object.entries(state.usage)) query.set(name, String(value));
    if (state.cacheTtl) query.set("cache_ttl", state.cacheTtl);
    if (state.region) query.set("region", state.region);
    if (state.tier) query.set("tier", state.tier);
    if (state.rankAll) query.set("rank", "all");
  }

  /** Mark the preset the counts and tier equal (if any). */
  markPreset(state) {
    const same = (p) => (p.tier || null) === state.tier &&
      Object.keys(p.usage).length === Object.keys(state.usage).length &&
      Object.entries(p.usage).every(([name, value]) => String(state.usage[name]) === String(value));
    for (const p of this.presets) {
      const on = String(!p.el.hidden && same(p));
      if (p.el.getAttribute("aria-pressed") !== on) p.el.setAttribute("aria-pressed", on);
    }
  }

  defaultPreset() {
    return this.presets.find((p) => p.el.dataset.default === "1" && !p.el.hidden) || this.presets.find((p) => !p.el.hidden) || null;
  }

  /** Compare: ask only `names` (a Set), offer the presets `fits` accepts, regions and tiers. */
  configure(names, fits, regions, tiers) {
    for (const [name, input] of this.inputs) input.closest("label").hidden = !names.has(name);
    const ttl = this.select("cache_ttl").closest("label");
    ttl.hidden = !names.has("cache_write_tokens");
    for (const p of this.presets) p.el.hidden = !fits(p);
    fill(this.select("region"), regions, (r) => `region ${r}`);
    fill(this.select("tier"), tiers, (t) => t);
  }
}

function fill(select, values, label) {
  const keep = select.value;
  while (select.options.length > 1) select.remove(1);
  for (const value of values) select.add(new Option(label(value), value));
  select.value = values.includes(keep) ? keep : "";
  select.closest("label").hidden = values.length === 0;
}

let pending = 0;

/** Keep the form in the address, next to the page's other parameters (written a moment after the
 *  last edit: typing does not flood the browser's history API). `query` gives the other parameters. */
export function saveQuery(usageForm, query = () => new URLSearchParams(location.search)) {
  clearTimeout(pending);
  pending = setTimeout(() => {
    const q = query();
    usageForm.save(q);
    const next = q.toString() ? "?" + q.toString() : "";
    if (next !== location.search) history.replaceState(history.state, "", (next || location.pathname) + location.hash);
    document.documentElement.setAttribute("data-usage-saved", next);
  }, 120);
}
