// What a request costs at one model, from its catalog record: the rules of docs/cost.md, the same as
// the Python library modelatlas.cost, and the same shared fixtures (tests/fixtures/cost/cases.json).
// No dependencies; exact decimal arithmetic with BigInt (money never goes through floats).
//
//   import { priceRecord } from "./cost.js";
//   const cost = priceRecord(record, { input_tokens: 12000, cache_read_tokens: 5000, output_tokens: 800 },
//                            { region: "eu", tier: "batch", cacheTtl: "5m" });
//   cost.total  // "0.03795" (USD, a decimal string); cost.lines: one per component
//
// Input tokens INCLUDE the cached ones: cache_read_tokens, cache_write_tokens and
// cache_write_1h_tokens are parts of input_tokens. A price no source states throws a CostError
// (never $0); "0" is free.

export const TOTAL_PLACES = 12;
export const LINE_PLACES = 24;
export const CACHE_TTLS = ["5m", "1h"];

const PRICING = "pricing.";
const EXTRA = "modelatlas.extra_pricing.";
const VARIANTS_PATH = "modelatlas.pricing_variants";
const TIERS_PATH = "modelatlas.context_tiers";
const REASONING = PRICING + "internal_reasoning";
const CACHE_WRITE_1H = EXTRA + "input_cache_write_1h";
const SECONDS_PER = { second: 1n, minute: 60n, hour: 3600n };
const DENOMINATOR = 3600n; // every amount is n / (10^s * 3600): exact for prices per second, minute, hour

/**
 * kind: "unknown_price" | "not_billed" | "no_variant" | "usage" (as the Python errors' kind);
 * component: the part of the usage without a price (unknown_price, not_billed); above: the
 * long-context threshold whose prices lack it (as the Python UnpricedError's).
 */
export class CostError extends Error {
  constructor(kind, message, component = null, above = null) {
    super(message);
    this.name = "CostError";
    this.kind = kind;
    this.component = component;
    this.above = above;
  }
}

const INPUT_PARTS = ["cache_read_tokens", "cache_write_tokens", "cache_write_1h_tokens",
  "input_audio_tokens", "input_image_tokens"];
const OUTPUT_PARTS = ["reasoning_tokens", "output_audio_tokens", "output_image_tokens"];
const COUNTS = ["input_tokens", "output_tokens", ...INPUT_PARTS, ...OUTPUT_PARTS, "input_images",
  "output_images", "input_characters", "output_characters", "queries", "web_searches", "requests"];
const DURATIONS = ["input_seconds", "output_seconds"];

const tokens = (name, count, ...fields) => ({ name, count, unit: "token", fields, token: true });
const units = (name, unit, ...fields) => ({ name, count: name, unit, fields, token: false });
const durations = (direction, ...names) =>
  units(`${direction}_seconds`, "second", ...names.map((n) => `${EXTRA}${direction}_${n}`));

const INPUT = tokens("input", "", PRICING + "prompt");
const OUTPUT = tokens("output", "", PRICING + "completion");
const REASONING_LINE = tokens("reasoning", "reasoning_tokens", REASONING);
const CACHE_WRITE = tokens("cache_write", "cache_write_tokens", PRICING + "input_cache_write");
const CACHE_WRITE_AS_1H = tokens("cache_write", "cache_write_tokens", CACHE_WRITE_1H);
const REQUESTS = units("requests", "request", PRICING + "request");
const COMPONENTS = [
  INPUT,
  tokens("cache_read", "cache_read_tokens", PRICING + "input_cache_read"),
  CACHE_WRITE,
  tokens("cache_write_1h", "cache_write_1h_tokens", CACHE_WRITE_1H),
  tokens("input_audio_tokens", "input_audio_tokens", EXTRA + "input_audio_token"),
  tokens("input_image_tokens", "input_image_tokens", EXTRA + "input_image_token"),
  OUTPUT,
  REASONING_LINE,
  tokens("output_audio_tokens", "output_audio_tokens", EXTRA + "output_audio_token"),
  tokens("output_image_tokens", "output_image_tokens", EXTRA + "output_image_token"),
  units("input_images", "image", PRICING + "image"),
  units("output_images", "image", EXTRA + "output_image"),
  units("input_characters", "character", EXTRA + "input_character"),
  units("output_characters", "character", EXTRA + "output_character"),
  durations("input", "second", "minute", "hour"),
  durations("output", "second", "minute"),
  units("queries", "query", EXTRA + "query"),
  units("web_searches", "web search", PRICING + "web_search"),
];

// ---- exact decimals: {n: BigInt, s: places} is n / 10^s ----

const DECIMAL = /^(0|[1-9][0-9]*)(\.[0-9]+)?$/;

function parseDecimal(text) {
  const match = DECIMAL.exec(text);
  if (!match) return null;
  const fraction = match[2] ? match[2].slice(1) : "";
  return { n: BigInt(match[1] + fraction), s: fraction.length };
}

/** A non-negative integer n / (10^s * den) rounded half to even to `places`, as a plain string. */
function roundPlain(n, s, den, places) {
  const top = n * 10n ** BigInt(places);
  const bottom = 10n ** BigInt(s) * den;
  let q = top / bottom;
  const twice = 2n * (top % bottom);
  if (twice > bottom || (twice === bottom && q % 2n === 1n)) q += 1n;
  return plainScaled(q, places);
}

function plainScaled(q, places) {
  let digits = q.toString().padStart(places + 1, "0");
  let whole = digits.slice(0, digits.length - places);
  let fraction = digits.slice(digits.length - places).replace(/0+$/, "");
  return fraction ? `${whole}.${fraction}` : whole;
}

const plain = ({ n, s }) => plainScaled(n, s);

// ---- the record's prices ----

function price(recordId, path, value, source, disputed) {
  const parsed = typeof value === "string" ? parseDecimal(value) : null;
  if (!parsed) throw new CostError("unknown_price", `${recordId}: ${path} is not a price (${JSON.stringify(value)}); fix the data`);
  return { value: parsed, source: typeof source === "string" ? source : null, disputed };
}

function prices(recordId, pricing, extra, sourceOf, disputedOf) {
  const out = new Map();
  for (const [prefix, block] of [[PRICING, pricing], [EXTRA, extra]]) {
    if (!block || typeof block !== "object" || Array.isArray(block)) continue;
    for (const [name, value] of Object.entries(block)) {
      const path = prefix + name;
      out.set(path, price(recordId, path, value, sourceOf(path), disputedOf(path)));
    }
  }
  return out;
}

function contextTiers(recordId, raw, disputed) {
  const tiers = [];
  for (const item of Array.isArray(raw) ? raw : []) {
    if (!item || item.billing !== "whole_request") continue;
    const above = item.above_input_tokens;
    if (!Number.isInteger(above) || above <= 0) continue;
    const listed = disputed.has(TIERS_PATH);
    tiers.push({ above, prices: prices(recordId, item.pricing, item.extra_pricing, () => item.source, () => listed) });
  }
  return tiers.sort((a, b) => a.above - b.above);
}

const label = (region, tier) => [region && `region ${region}`, tier && `tier ${tier}`].filter(Boolean).join(" ");

/** A record's prices read once: the standard sheet and one sheet per pricing variant. */
export function priceBook(record) {
  const id = String(record.id);
  const ext = record.modelatlas && typeof record.modelatlas === "object" ? record.modelatlas : {};
  const disputed = new Set(Array.isArray(ext.disputed) ? ext.disputed : []);
  const provenance = ext.provenance && typeof ext.provenance === "object" ? ext.provenance : {};
  const standard = {
    region: null, tier: null,
    prices: prices(id, record.pricing, ext.extra_pricing, (p) => provenance[p], (p) => disputed.has(p)),
    tiers: contextTiers(id, ext.context_tiers, disputed),
  };
  const variants = (Array.isArray(ext.pricing_variants) ? ext.pricing_variants : [])
    .filter((v) => v && typeof v === "object")
    .map((v) => {
      const listed = disputed.has(VARIANTS_PATH);
      return {
        region: typeof v.region === "string" ? v.region : null,
        tier: typeof v.tier === "string" ? v.tier : null,
        prices: prices(id, v.pricing, v.extra_pricing, () => v.source, () => listed),
        tiers: contextTiers(id, v.context_tiers, disputed),
      };
    });
  const upstream = typeof ext.upstream_id === "string" ? ext.upstream_id : id.slice(id.indexOf("/") + 1);
  const notBilled = new Set(Array.isArray(ext.not_billed) ? ext.not_billed : []);
  return { id, upstream, standard, variants, notBilled };
}

/** The sheets for a region and tier (a region the id itself names, as Bedrock's eu. profiles do, is met). */
export function sheetsFor(book, region, tier) {
  if (region != null && book.upstream.startsWith(region + ".")) region = null;
  if (region == null && tier == null) return [book.standard];
  return book.variants.filter((v) => v.region === (region ?? null) && v.tier === (tier ?? null));
}

/** What a caller may ask for: "standard", "tier batch", "region eu", ... */
export function choices(book) {
  const names = ["standard"];
  for (const v of book.variants) {
    const name = label(v.region, v.tier);
    if (!names.includes(name)) names.push(name);
  }
  return names;
}

/**
 * The usage fields a record prices somewhere (standard, a variant, a long-context tier) or marks not
 * billed: {input_tokens: "priced", output_tokens: "not_billed", ...} (as the Python usage_fields).
 */
export function usageFields(book) {
  const stated = new Set();
  for (const sheet of [book.standard, ...book.variants]) {
    for (const table of [sheet.prices, ...sheet.tiers.map((t) => t.prices)]) for (const f of table.keys()) stated.add(f);
  }
  const found = {};
  for (const component of [...COMPONENTS, CACHE_WRITE_AS_1H, REQUESTS]) {
    const name = component.count || `${component.name}_tokens`;
    if (component.fields.some((f) => stated.has(f))) found[name] = "priced";
    else if (!(name in found) && component.fields.some((f) => book.notBilled.has(f))) found[name] = "not_billed";
  }
  return found;
}

// ---- the usage ----

function checkUsage(usage) {
  const u = {};
  for (const name of COUNTS) {
    const value = usage[name];
    if (name === "requests" && value == null) { u[name] = null; continue; }
    const n = value == null ? 0 : value;
    if (!Number.isSafeInteger(n) || n < 0) throw new CostError("usage", `usage ${name} must be a whole number of at least 0, not ${value}`);
    u[name] = n;
  }
  for (const name of DURATIONS) {
    const value = usage[name] == null ? "0" : String(usage[name]);
    const parsed = parseDecimal(value);
    if (!parsed) throw new CostError("usage", `usage ${name} must be a number of seconds of at least 0, not ${value}`);
    u[name] = parsed;
  }
  for (const name of Object.keys(usage)) {
    if (!COUNTS.includes(name) && !DURATIONS.includes(name)) throw new CostError("usage", `unknown usage field ${name}`);
  }
  if (INPUT_PARTS.reduce((t, k) => t + u[k], 0) > u.input_tokens)
    throw new CostError("usage", "usage: cached, audio and image input tokens exceed input_tokens; input_tokens counts every input token, cached ones included");
  if (OUTPUT_PARTS.reduce((t, k) => t + u[k], 0) > u.output_tokens)
    throw new CostError("usage", "usage: reasoning, audio and image output tokens exceed output_tokens");
  return u;
}

// ---- pricing ----

function missing(book, component, sheet, tier) {
  const listed = component.fields.filter((f) => book.notBilled.has(f));
  if (listed.length) return new CostError("not_billed", `${book.id} does not bill ${component.name} (${listed[0]} is in modelatlas.not_billed); its count must be 0`, component.name);
  const where = [];
  if (sheet.region || sheet.tier) where.push(label(sheet.region, sheet.tier));
  if (tier) where.push(`above ${tier.above} input tokens`);
  const at = where.length ? ` (${where.join(", ")})` : "";
  return new CostError("unknown_price", `${book.id}${at} has no price for ${component.name} (${component.fields.join(" or ")}): unknown, not free`,
    component.name, tier ? tier.above : null);
}

function priceUnit(component, field) {
  const suffix = field.slice(field.lastIndexOf("_") + 1);
  return component.unit === "second" && suffix in SECONDS_PER ? suffix : component.unit;
}

function line(component, field, quantity, p, sheet, above) {
  const unit = priceUnit(component, field);
  const per = unit === component.unit ? 1n : SECONDS_PER[unit];
  const n = quantity.n * p.value.n * (DENOMINATOR / per);
  const s = quantity.s + p.value.s;
  return {
    exact: { n, s },
    json: {
      amount: roundPlain(n, s, DENOMINATOR, LINE_PLACES),
      component: component.name,
      context_tier: above,
      disputed: p.disputed,
      field,
      price_unit: unit,
      quantity: plain(quantity),
      region: sheet.region,
      source: p.source,
      tier: sheet.tier,
      unit: component.unit,
      unit_price: plain(p.value),
    },
  };
}

function priceSheet(book, sheet, u, cacheTtl, requested) {
  let tier = null;
  for (const t of sheet.tiers) if (u.input_tokens > t.above) tier = t;
  const tokenPrices = tier ? tier.prices : sheet.prices;
  const above = tier ? tier.above : null;
  const reasoning = u.reasoning_tokens && tokenPrices.has(REASONING) ? u.reasoning_tokens : 0;
  const textInput = u.input_tokens - INPUT_PARTS.reduce((t, k) => t + u[k], 0);
  const textOutput = u.output_tokens - (u.output_audio_tokens + u.output_image_tokens + reasoning);
  const lines = [];
  const add = (component, quantity, token) => {
    const table = token ? tokenPrices : sheet.prices;
    const field = component.fields.find((f) => table.has(f));
    if (field === undefined) throw missing(book, component, sheet, token ? tier : null);
    lines.push(line(component, field, quantity, table.get(field), sheet, token ? above : null));
  };
  for (let component of COMPONENTS) {
    let count;
    if (component === INPUT) count = textInput;
    else if (component === OUTPUT) count = textOutput;
    else if (component === REASONING_LINE) count = reasoning;
    else count = u[component.count];
    const quantity = typeof count === "number" ? { n: BigInt(count), s: 0 } : count;
    if (quantity.n === 0n) continue;
    if (component === CACHE_WRITE && cacheTtl === "1h") component = CACHE_WRITE_AS_1H;
    add(component, quantity, component.token);
  }
  const request = sheet.prices.get(REQUESTS.fields[0]);
  if ((u.requests == null && request) || u.requests) add(REQUESTS, { n: BigInt(u.requests ?? 1), s: 0 }, false);
  const places = lines.reduce((m, l) => Math.max(m, l.exact.s), 0);
  const sum = lines.reduce((t, l) => t + l.exact.n * 10n ** BigInt(places - l.exact.s), 0n);
  return {
    context_tier: above,
    currency: "USD",
    lines: lines.map((l) => l.json),
    model: book.id,
    region: sheet.region,
    requested,
    tier: sheet.tier,
    total: roundPlain(sum, places, DENOMINATOR, TOTAL_PLACES),
  };
}

/**
 * What `usage` costs at one record: {model, requested, total, currency, lines, region, tier,
 * context_tier}, amounts as decimal strings. Options: region, tier (batch, flex, priority, fast),
 * cacheTtl ("5m" | "1h"), book (a priceBook(record) to reuse). Throws CostError.
 */
export function priceRecord(record, usage, { region = null, tier = null, cacheTtl = null, book = null } = {}) {
  if (cacheTtl != null && !CACHE_TTLS.includes(cacheTtl)) throw new CostError("usage", `cacheTtl must be 5m or 1h, not ${cacheTtl}`);
  const u = checkUsage(usage);
  const b = book || priceBook(record);
  const sheets = sheetsFor(b, region, tier);
  if (!sheets.length) throw new CostError("no_variant", `${b.id} has no price for ${label(region, tier)}; it has: ${choices(b).join(", ")}`);
  let first = null;
  for (const sheet of sheets) {
    try {
      return priceSheet(b, sheet, u, cacheTtl, b.id);
    } catch (error) {
      if (!(error instanceof CostError)) throw error;
      first = first || error;
    }
  }
  throw first;
}
