// Compare 2–4 models side by side. The models are named in the URL (?m=<id>&m=<id>), so a
// comparison can be shared; ?canonical=<slug> stands for that canonical model's offerings,
// cheapest first (the URL then names them with m=). The box takes ids, names and canonical slugs,
// several at once ("gpt-4o vs claude sonnet 4.5, gemini 2.5 pro"), resolves each as the catalog's
// search does and says which record it picked. Values come from site-index.json and, for tier,
// region and long-context prices, each model's JSON file; text goes in via textContent. Rows empty
// for every model are left out; the best value of a row is marked in words, and only among
// comparable prices: known or free, billed, of listed pay-per-use offerings.
import { fillPrice, fillValue, makeValue } from "./cells.js";
import { CompareCost } from "./compare-cost.js";
import { detailRows, loadDetails, markBest, row } from "./compare-details.js";
import { loadIndex, modelUrl, siteRoot, thousands } from "./format.js";
import { Search } from "./search.js";

const MAX = 4;
const HIDDEN_FROM = 2;
const root = siteRoot();
const table = document.getElementById("compare-table");
const statusEl = document.getElementById("compare-status");
const picksEl = document.getElementById("compare-picks");
const form = document.getElementById("compare-add");
const input = document.getElementById("compare-q");
const list = document.getElementById("compare-suggestions");
const initial = new URLSearchParams(location.search);  // read before the address is rewritten
let idx, search;
const ids = [], byId = new Map(), bySlug = new Map(), chosen = [], details = new Map();
const picks = [];  // what each typed name resolved to, said under the box

function names(mask, all) {
  const out = all.filter((_, b) => mask & (1 << b));
  return out.length ? out.join(", ") : null;
}
const canonicalOf = (i, r) => (r.cm[i] === null ? null : idx.canonicalModels[r.cm[i]]);
const comparable = (i) => idx.rows.s[i] < HIDDEN_FROM && idx.rows.of[i] === 0;
const modelName = (i) => idx.rows.n[i] || idx.rows.u[i];

// Rows from the index: [label, kind, value(i, r)] with kind "text", "number" (largest is best) or a
// price column ("pp", ...; lowest is best), and its bit in the not-billed / disputed masks.
const INDEX_ROWS = [
  ["Provider", "text", (i, r) => idx.providerNames[r.p[i]]],
  ["Id", "text", (i) => ids[i]],
  ["Status", "text", (i, r) => [idx.listings[r.s[i]], idx.offerings[r.of[i]]].filter(Boolean).join(", ") || null],
  ["Context (tokens)", "number", (i, r) => r.c[i]],
  ["Max output (tokens)", "number", (i, r) => r.o[i]],
  ["Input", "text", (i, r) => names(r.mi[i], idx.inputModalities)],
  ["Output", "text", (i, r) => names(r.mo[i], idx.outputModalities)],
  ["Prompt $/1M", "pp", 0],
  ["Completion $/1M", "pc", 1],
  ["Cache read $/1M", "cr", 2],
  ["Cache write $/1M", "cw", 3],
];
const TAIL_ROWS = [
  ["Released / created", "text", (i, r) => r.d[i]],
  ["Capabilities", "text", (i, r) => names(r.k[i], idx.capabilities)],
  ["Canonical model", "link", (i, r) => canonicalOf(i, r)],
  ["Owner and summary", "text", (i, r) => r.t[i] || null],
];

function models() {
  const q = new URLSearchParams();
  for (const i of chosen) q.append("m", ids[i]);
  return q;
}

function saveUrl() {
  const q = models();
  costs.form.save(q);
  history.replaceState(null, "", q.toString() ? "?" + q.toString() : location.pathname);
}

// The usage form: every edit prices every column again (the address follows a moment later).
const costs = new CompareCost(() => { costs.saveSoon(models); render(); });

// The positions of the best values: at least two comparable values that differ; ties all marked.
function bestOf(values, low) {
  const known = values.filter((v) => v !== null);
  if (known.length < 2 || known.every((v) => v === known[0])) return new Set();
  const best = low ? Math.min(...known) : Math.max(...known);
  return new Set(values.map((v, k) => (v === best ? k : -1)).filter((k) => k >= 0));
}


function textRow(label, texts, best, word) {
  if (texts.every((t) => t === null || t === undefined)) return null;
  const tr = row(label);
  texts.forEach((t, k) => {
    const td = document.createElement("td");
    if (t && typeof t === "object") {
      const a = document.createElement("a");
      a.href = root + t.href; a.textContent = t.name; td.appendChild(a);
    } else if (t === null || t === undefined) fillValue(makeValue(td), null);
    else td.textContent = t;
    if (best && best.has(k)) markBest(td, word);
    tr.appendChild(td);
  });
  return tr;
}

// A price row: cells tell free / not billed / unknown / disputed apart; "lowest" only among comparable.
function priceRow(label, cells) {
  if (cells.every((c) => c.value === null && !c.notBilled)) return null;
  const tr = row(label);
  const values = cells.map((c, k) => (c.value !== null && !c.notBilled && comparable(chosen[k]) ? Number(c.value) : null));
  const best = chosen.length > 1 ? bestOf(values, true) : new Set();
  cells.forEach((c, k) => {
    const td = document.createElement("td");
    fillPrice(makeValue(td), c.value, c.notBilled, c.disputed, c.note || "");
    td.classList.remove("num");
    if (c.note && c.value !== null) {
      const note = document.createElement("span");
      note.className = "cell-note"; note.textContent = " (" + c.note + ")";
      td.appendChild(note);
    }
    if (best.has(k)) markBest(td, "lowest");
    tr.appendChild(td);
  });
  return tr;
}

function indexRow(field, r) {
  const [label, kind, value] = field;
  if (kind === "text" || kind === "link") return textRow(label, chosen.map((i) => value(i, r)));
  if (kind === "number") {
    const raw = chosen.map((i) => value(i, r));
    const best = chosen.length > 1 ? bestOf(raw.map((v) => (v === null ? null : Number(v))), false) : null;
    return textRow(label, raw.map((v) => (v === null ? null : thousands(v))), best, "largest");
  }
  return priceRow(label, chosen.map((i) => ({
    value: r[kind][i], notBilled: (r.nb[i] >> value) & 1, disputed: (r.dp[i] >> value) & 1,
    note: value === 0 && r.lt[i] !== null ? "up to " + thousands(r.lt[i]) + " input tokens" : "",
  })));
}

function headerCell(i, r) {
  const th = document.createElement("th");
  th.scope = "col";
  const a = document.createElement("a");
  a.href = modelUrl(root, idx.providers[r.p[i]], r.f[i] || r.u[i]);
  a.textContent = modelName(i);
  const rm = document.createElement("button");
  rm.type = "button"; rm.className = "remove"; rm.textContent = "Remove";
  rm.setAttribute("aria-label", "Remove " + ids[i]);
  rm.addEventListener("click", () => { chosen.splice(chosen.indexOf(i), 1); saveUrl(); withDetails(); });
  th.append(a, " ", rm);
  return th;
}

// Explicit table roles: on a phone the rows are laid out as grids, which must not cost the
// table its meaning for screen readers.
function markRoles() {
  table.setAttribute("role", "table");
  for (const tr of table.rows) {
    tr.setAttribute("role", "row");
    for (const cell of tr.cells) {
      cell.setAttribute("role", cell.tagName === "TD" ? "cell" : cell.scope === "row" ? "rowheader" : "columnheader");
    }
  }
}

function render() {
  const r = idx.rows, head = table.tHead.rows[0], body = table.tBodies[0];
  while (head.cells.length > 1) head.deleteCell(1);
  for (const i of chosen) head.appendChild(headerCell(i, r));
  const rows = INDEX_ROWS.map((field) => indexRow(field, r));
  const records = chosen.map((i) => details.get(i) || null);
  for (const extra of detailRows(records)) {
    const cells = records.map((record, k) => extra.cell(record, k));
    rows.push(extra.price ? priceRow(extra.label, cells.map((c) => ({ ...c, notBilled: false, disputed: false })))
      : textRow(extra.label, cells.map((c) => c.text)));
  }
  rows.push(...costs.rows(records, chosen.map(comparable)));
  rows.push(...TAIL_ROWS.map((field) => indexRow(field, r)));
  body.replaceChildren(...rows.filter(Boolean));
  markRoles();
  table.hidden = chosen.length === 0;
  table.className = "compare models-" + chosen.length;
  statusEl.textContent = chosen.length < 2 ? "Pick " + (2 - chosen.length) + " more model" + (chosen.length ? "" : "s") +
    " to compare (up to " + MAX + ")." : "Comparing " + chosen.length + " models; the lowest price and largest limit of each row are marked.";
  picksEl.replaceChildren(...picks.map((text) => { const li = document.createElement("li"); li.textContent = text; return li; }));
}

// The rows that match a typed text, best first: the search tier, then listed before hidden,
// pay-per-use before free tiers and batch-only ids, the model's own vendor first, then the cheapest.
function matches(text) {
  search.query(text);
  const r = idx.rows, found = [];
  for (let i = 0; i < idx.count; i++) {
    const tier = search.tier(i);
    if (tier >= 0 && tier < 3) found.push([tier, i]);
  }
  const own = (i) => { const m = canonicalOf(i, r); return m && idx.firstParty[r.p[i]] === m.slug.split("/")[0] ? 0 : 1; };
  const price = (i) => (r.pp[i] === null ? Infinity : Number(r.pp[i]));
  found.sort((a, b) => a[0] - b[0] || (r.s[a[1]] >= HIDDEN_FROM) - (r.s[b[1]] >= HIDDEN_FROM) ||
    (r.of[a[1]] > 0) - (r.of[b[1]] > 0) || own(a[1]) - own(b[1]) || price(a[1]) - price(b[1]) || a[1] - b[1]);
  return found;
}

// Add one typed text: an id, a canonical slug, or a name resolved as the search does.
function add(text) {
  const typed = text.trim();
  if (!typed) return;
  const exact = byId.get(typed.toLowerCase());
  if (exact !== undefined) { place(exact, "\u201c" + typed + "\u201d is the id " + ids[exact] + "."); return; }
  if (bySlug.has(typed.toLowerCase())) { addCanonical(typed.toLowerCase()); return; }
  const found = matches(typed);
  if (!found.length) { picks.push("No model matches \u201c" + typed + "\u201d; try an id from the suggestions."); return; }
  const [tier, i] = found[0], others = found.filter(([t]) => t === tier).length - 1;
  const how = ["its name", "its canonical model", "its name or id"][tier];
  place(i, "\u201c" + typed + "\u201d \u2192 " + modelName(i) + " (" + ids[i] + "), matched by " + how +
    (others ? "; " + others + " other offering" + (others === 1 ? " matches" : "s match") + " too: type an id to pick another." : "."));
}

function place(i, said) {
  if (chosen.indexOf(i) >= 0) { picks.push(said + " It is already compared."); return; }
  if (chosen.length >= MAX) { picks.push("At most " + MAX + " models can be compared: " + ids[i] + " was not added."); return; }
  chosen.push(i);
  picks.push(said);
}

// A canonical model's offerings, cheapest pay-per-use first, into the free places.
function addCanonical(slug) {
  const g = bySlug.get(slug), r = idx.rows, offers = [];
  for (let i = 0; i < idx.count; i++) if (r.cm[i] === g && chosen.indexOf(i) < 0 && r.s[i] < HIDDEN_FROM) offers.push(i);
  const price = (i) => (r.pp[i] === null ? Infinity : Number(r.pp[i]));
  offers.sort((a, b) => (r.of[a] > 0) - (r.of[b] > 0) || price(a) - price(b) || a - b);
  const room = MAX - chosen.length, model = idx.canonicalModels[g];
  chosen.push(...offers.slice(0, room));
  picks.push("\u201c" + slug + "\u201d is " + model.name + ": " + Math.min(room, offers.length) + " of its " + offers.length +
    " offerings added, cheapest pay-per-use first.");
}

function suggest() {
  const term = input.value.split(/,|\bvs\b/i).pop().trim(), opts = document.createDocumentFragment();
  if (term.length < 2) { list.replaceChildren(); return; }
  const seen = new Set();
  search.query(term);
  (search.canonicalHit || []).forEach((hit, g) => {
    if (hit && seen.size < 5) {
      const m = idx.canonicalModels[g], o = document.createElement("option");
      o.value = m.slug; o.label = m.name + " \u2014 every provider (" + m.providers + ")";
      opts.appendChild(o); seen.add(m.slug);
    }
  });
  for (const [, i] of matches(term).slice(0, 20 - seen.size)) {
    const o = document.createElement("option"); o.value = ids[i]; o.label = modelName(i);
    opts.appendChild(o);
  }
  list.replaceChildren(opts);
}

function modelJson(i) {
  const r = idx.rows;
  return root + "v1/model/" + idx.providers[r.p[i]] + "/" + (r.f[i] || r.u[i]) + ".json";
}

// Load the JSON of every compared model not loaded yet, then render again.
async function withDetails() {
  const missing = chosen.filter((i) => !details.has(i));
  const loaded = await Promise.all(missing.map((i) => loadDetails(modelJson(i))));
  missing.forEach((i, k) => details.set(i, loaded[k]));
  if (costs.configure(chosen.map((i) => details.get(i)), initial)) saveUrl();
  render();
}

async function start(data) {
  idx = data;
  for (let i = 0; i < data.count; i++) {
    ids[i] = data.providers[data.rows.p[i]] + "/" + data.rows.u[i];
    byId.set(ids[i].toLowerCase(), i);
  }
  data.canonicalModels.forEach((m, g) => bySlug.set(m.slug, g));
  search = new Search(data, ids);
  const query = new URLSearchParams(location.search);
  query.getAll("m").forEach(add);
  query.getAll("canonical").forEach((slug) => (bySlug.has(slug) ? addCanonical(slug) : add(slug)));
  if (query.getAll("canonical").length || picks.some((p) => !p.includes("is the id"))) saveUrl();
  if (query.getAll("m").every((m) => byId.has(m.toLowerCase())) && !query.getAll("canonical").length) picks.length = 0;
  render();
  await withDetails();
  input.addEventListener("input", suggest);
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    picks.length = 0;
    input.value.split(/\s*(?:,|;|\bvs\.?(?=\s|$))\s*/i).forEach(add);
    input.value = "";
    saveUrl(); render();
    await withDetails();
  });
  document.documentElement.setAttribute("data-compare-ready", "1");
}

loadIndex(root).then(start, (err) => { statusEl.textContent = "Cannot load the model index (" + err.message + ")."; });
