// The usage form's rules without the page (render/usage_form.py and modelatlas.cost.presets state
// the same; tests/render/test_usage_rules_js.py checks both agree): reading a count typed or put in
// the address, which fields and presets apply to a record, why a usage cannot be priced in plain
// words, and totals compared exactly. Pricing itself is cost.js.
import { thousands } from "./format.js";

const COUNT = /^[0-9]{1,16}$/;
const SECONDS = /^[0-9]{1,9}(\.[0-9]{1,6})?$/;
const INPUT_PARTS = ["cache_read_tokens", "cache_write_tokens", "input_audio_tokens", "input_image_tokens"];
const OUTPUT_PARTS = ["reasoning_tokens", "output_audio_tokens", "output_image_tokens"];
export const TOTAL_PLACES = 12;

/** A typed count: 0 for blank, a whole number, or null when it is not one (or too large). */
export function parseCount(text) {
  const value = String(text).trim();
  if (value === "") return 0;
  if (!COUNT.test(value)) return null;
  const n = Number(value);
  return Number.isSafeInteger(n) ? n : null;
}

/** A typed duration in seconds: "0" for blank, a plain decimal string, or null. */
export function parseSeconds(text) {
  const value = String(text).trim();
  if (value === "") return "0";
  return SECONDS.test(value) ? value : null;
}

/** The usage fields to ask: those a record prices or marks not billed, and the input or output
 *  tokens when a part of them is asked. `fields` is cost.js's usageFields(book). */
export function shownFields(fields) {
  const shown = new Set(Object.keys(fields));
  if (INPUT_PARTS.some((name) => shown.has(name))) shown.add("input_tokens");
  if (OUTPUT_PARTS.some((name) => shown.has(name))) shown.add("output_tokens");
  return shown;
}

/** The tiers a record offers in its own region: null (standard) and its region-less variants'. */
export function standardTiers(record) {
  const variants = (record && record.modelatlas && record.modelatlas.pricing_variants) || [];
  return new Set([null, ...variants.filter((v) => v && !v.region && v.tier).map((v) => v.tier)]);
}

/** Whether a preset ({usage, tier, mode, notBilled, oneRequest}) fits a record with these usage
 *  fields, context window (null: unknown), tiers and mode (as modelatlas.cost.presets.applies). */
export function presetApplies(preset, fields, context, tiers, mode) {
  const told = preset.notBilled && fields[preset.notBilled] === "not_billed";
  if (preset.mode && mode !== preset.mode && !told) return false;
  if (preset.tier && !tiers.has(preset.tier)) return false;
  const input = preset.usage.input_tokens || 0;
  if (preset.oneRequest && Number.isInteger(context) && input > context) return false;
  return Object.keys(preset.usage).every((name) => fields[name] === "priced");
}

/** What a preset applies to, read from a record (its JSON file). */
export function presetFits(preset, fields, record) {
  const context = record.context_length;
  const mode = record.modelatlas ? record.modelatlas.mode : undefined;
  return presetApplies(preset, fields, Number.isInteger(context) ? context : null, standardTiers(record), mode);
}

/** "the batch tier in region eu", "region eu", "the batch tier". */
export function variantWords(region, tier) {
  return [tier && `the ${tier} tier`, region && `region ${region}`].filter(Boolean).join(" in ") || "this region and tier";
}

/** A CostError in plain words, with the page's words ({components, reasons}); never "$0". */
export function reasonWords(error, words, region = null, tier = null) {
  const template = words.reasons[error.kind] || words.reasons.usage;
  const component = error.component ? (words.components[error.component] || error.component) : "a component";
  const above = error.above ? ` above ${thousands(error.above)} input tokens` : "";
  // Replaced by functions: a "$&" in a value is text, not a replacement pattern.
  return template
    .replace("{component}", () => component)
    .replace("{above}", () => above)
    .replace("{variant}", () => variantWords(region, tier))
    .replace("{message}", () => error.message);
}

/** A total (a plain decimal string of at most TOTAL_PLACES places) as a BigInt, to compare exactly. */
export function totalKey(total) {
  const [whole, fraction = ""] = total.split(".");
  return BigInt(whole + fraction.padEnd(TOTAL_PLACES, "0").slice(0, TOTAL_PLACES));
}

/** Compare two ranking keys [group, unpriced, total BigInt, id] as Python compares its tuples. */
export function compareKeys(a, b) {
  for (let k = 0; k < a.length; k++) {
    if (a[k] < b[k]) return -1;
    if (a[k] > b[k]) return 1;
  }
  return 0;
}
