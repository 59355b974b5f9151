// Search that reads model names as people type them. Text is normalised the same way on both
// sides: lower case, a word glued to a number split off ("llama3" -> "llama 3", "gpt4o" -> "gpt 4o";
// one-letter prefixes such as "o3", "r1", "v1" stay whole), and every run of other characters is one
// space, so "3.7", "3-7" and "3_7" all read "3 7". A query is a list of words and version numbers:
// a word matches anywhere in the model's text; consecutive numbers ("3 3" of "llama 3.3") must
// appear in that order as whole numbers ("3 3" does not match "3 30" or "3 1"), so versions do
// not match each other's digits.
//
// Each row matches at a tier: 0 the query is the model's name, id, alias or canonical model's name
// or slug exactly; 1 it matches the canonical model's name or slug; 2 it matches the row's name, id
// or aliases; 3 only its owner or description. -1 means no match.

const GLUED = /(\p{L}{2,})(?=\p{N})/gu;
const SEPARATORS = /[^\p{L}\p{N}]+/gu;
const NUMBER = /^\p{N}+$/u;

export function normalise(text) {
  return String(text || "").toLowerCase().replace(GLUED, "$1 ").replace(SEPARATORS, " ").trim();
}

// The query as matchers: [{text, number}] with consecutive numbers joined ("3 3").
export function parseQuery(query) {
  const parts = [], tokens = normalise(query).split(" ").filter(Boolean);
  for (const token of tokens) {
    const last = parts[parts.length - 1], number = NUMBER.test(token);
    if (number && last && last.number) last.text += " " + token;
    else parts.push({ text: token, number });
  }
  return parts;
}

const DIGIT = /\p{N}/u;

// Does the padded text " a b c " hold this part? Numbers match at token starts and must not run on
// into more digits ("4" matches "4o" and "4 1", not "40").
function holds(padded, part) {
  if (!part.number) return padded.indexOf(part.text) >= 0;
  const needle = " " + part.text;
  for (let at = padded.indexOf(needle); at >= 0; at = padded.indexOf(needle, at + 1)) {
    if (!DIGIT.test(padded.charAt(at + needle.length))) return true;
  }
  return false;
}

function holdsAll(padded, parts) {
  for (let k = 0; k < parts.length; k++) if (!holds(padded, parts[k])) return false;
  return true;
}

const pad = (text) => " " + text + " ";

// The search over a site-index.json: texts prepared once, then query() per keystroke.
export class Search {
  constructor(idx, ids) {
    const r = idx.rows, n = idx.count;
    this.rows = r;
    this.primary = new Array(n);
    this.secondary = new Array(n);
    this.exact = new Map();  // normalised name / id / alias -> rows
    const models = idx.canonicalModels || [];
    this.canonical = models.map((m) => pad(normalise(m.name) + " " + normalise(m.slug)));
    const canonicalKeys = models.map((m) => [normalise(m.name), normalise(m.slug)]);
    for (let i = 0; i < n; i++) {
      const name = r.n[i] ? normalise(r.n[i]) : "", upstream = normalise(r.u[i]);
      const aliases = r.a && r.a[i] ? normalise(r.a[i]) : "";
      this.primary[i] = pad([normalise(ids[i]), name, aliases].join(" "));
      this.secondary[i] = r.t[i] ? pad(normalise(r.t[i])) : "";
      const keys = [name, upstream, normalise(ids[i])];
      if (r.a && r.a[i]) for (const alias of String(r.a[i]).split(" ")) keys.push(normalise(alias));
      const cm = r.cm ? r.cm[i] : null;
      if (cm !== null && cm !== undefined) keys.push(...canonicalKeys[cm]);
      for (const key of keys) {
        if (!key) continue;
        let list = this.exact.get(key);
        if (!list) this.exact.set(key, list = []);
        if (list[list.length - 1] !== i) list.push(i);
      }
    }
    this.parts = [];
    this.exactRows = new Set();
    this.canonicalHit = null;
  }

  // Set the query; returns whether it has any words.
  query(text) {
    this.parts = parseQuery(text);
    const key = this.parts.map((p) => p.text).join(" ");
    this.exactRows = new Set(key ? this.exact.get(key) || [] : []);
    this.canonicalHit = this.parts.length ? this.canonical.map((c) => holdsAll(c, this.parts)) : null;
    return this.parts.length > 0;
  }

  // The tier at which row i matches the current query (see the top of this file), -1 for none.
  tier(i) {
    const parts = this.parts;
    if (!parts.length) return 2;
    if (this.exactRows.has(i)) return 0;
    const cm = this.rows.cm ? this.rows.cm[i] : null;
    if (cm !== null && cm !== undefined && this.canonicalHit[cm]) return 1;
    const primary = this.primary[i], secondary = this.secondary[i];
    let inPrimary = true;
    for (let k = 0; k < parts.length; k++) {
      if (holds(primary, parts[k])) continue;
      if (!secondary || !holds(secondary, parts[k])) return -1;
      inPrimary = false;
    }
    return inPrimary ? 2 : 3;
  }
}
