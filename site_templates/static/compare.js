// Compare 2–4 models side by side. The models are named in the URL (?m=<id>&m=<id>), so a
// comparison can be shared; ?canonical=<slug> stands for that canonical model's offerings,
// cheapest prompt price first (the URL then names them with m=). Values come from
// site-index.json; text goes in via textContent. Rows empty for every model are left out, and the
// best value of each comparable row is marked in words, not by colour alone.
import { loadIndex, modelUrl, money, siteRoot, thousands } from "./format.js";

const MAX = 4;
const root = siteRoot();
const table = document.getElementById("compare-table");
const statusEl = document.getElementById("compare-status");
const form = document.getElementById("compare-add");
const input = document.getElementById("compare-q");
const list = document.getElementById("compare-suggestions");
let idx;
const ids = [], byId = new Map(), bySlug = new Map(), chosen = [];
let canonicalNote = "";  // said after the status when a canonical model had more offerings than places

function names(mask, all) {
  const out = all.filter((_, b) => mask & (1 << b));
  return out.length ? out.join(", ") : "\u2013";
}
const canonicalOf = (i, r) => (r.cm[i] === null ? null : idx.canonicalModels[r.cm[i]]);
const num = (v) => (v === null || v === undefined ? null : Number(v));

// [label, display text, comparable number, which end is best ("low" | "high"), its word, link]
const FIELDS = [
  ["Provider", (i, r) => idx.providerNames[r.p[i]]],
  ["Id", (i) => ids[i]],
  ["Context (tokens)", (i, r) => thousands(r.c[i]), (i, r) => num(r.c[i]), "high", "largest"],
  ["Max output (tokens)", (i, r) => thousands(r.o[i]), (i, r) => num(r.o[i]), "high", "largest"],
  ["Input", (i, r) => names(r.mi[i], idx.inputModalities)],
  ["Output", (i, r) => names(r.mo[i], idx.outputModalities)],
  ["Prompt $/1M", (i, r) => money(r.pp[i]), (i, r) => num(r.pp[i]), "low", "lowest"],
  ["Completion $/1M", (i, r) => money(r.pc[i]), (i, r) => num(r.pc[i]), "low", "lowest"],
  ["Cache read $/1M", (i, r) => money(r.cr[i]), (i, r) => num(r.cr[i]), "low", "lowest"],
  ["Cache write $/1M", (i, r) => money(r.cw[i]), (i, r) => num(r.cw[i]), "low", "lowest"],
  ["Long context $/1M", (i, r) => (r.lc && r.lc[i]) || "\u2013"],
  ["Not billed", (i, r) => (r.nb && r.nb[i]) || "\u2013"],
  ["Released / created", (i, r) => r.d[i] || "\u2013"],
  ["Capabilities", (i, r) => names(r.k[i], idx.capabilities)],
  ["Canonical model", (i, r) => (canonicalOf(i, r) ? canonicalOf(i, r).name : "\u2013"), null, null, null,
    (i, r) => (canonicalOf(i, r) ? root + canonicalOf(i, r).href : null)],
  ["Owner and summary", (i, r) => r.t[i] || "\u2013"],
];

function saveUrl() {
  const q = new URLSearchParams();
  for (const i of chosen) q.append("m", ids[i]);
  history.replaceState(null, "", chosen.length ? "?" + q.toString() : location.pathname);
}

// The indexes of the best values of one row: only when at least two models have a value and
// they differ (a tie for best marks every tied model).
function bestOf(values, end) {
  const known = values.filter((v) => v !== null && !Number.isNaN(v));
  if (known.length < 2 || known.every((v) => v === known[0])) return new Set();
  const best = end === "low" ? Math.min(...known) : Math.max(...known);
  return new Set(values.map((v, k) => (v === best ? k : -1)).filter((k) => k >= 0));
}

function headerCell(i, r) {
  const th = document.createElement("th");
  th.scope = "col";
  const a = document.createElement("a");
  a.href = modelUrl(root, idx.providers[r.p[i]], r.f[i] || r.u[i]);
  a.textContent = r.n[i] || r.u[i];
  const rm = document.createElement("button");
  rm.type = "button"; rm.className = "remove"; rm.textContent = "Remove";
  rm.setAttribute("aria-label", "Remove " + ids[i]);
  rm.addEventListener("click", () => { chosen.splice(chosen.indexOf(i), 1); saveUrl(); render(); });
  th.append(a, " ", rm);
  return th;
}

function fieldRow(field, r) {
  const [label, text, value, end, word, link] = field;
  const texts = chosen.map((i) => text(i, r));
  if (texts.every((t) => t === "\u2013")) return null;  // empty for every model
  const best = value && chosen.length > 1 ? bestOf(chosen.map((i) => value(i, r)), end) : new Set();
  const tr = document.createElement("tr"), th = document.createElement("th");
  th.scope = "row"; th.textContent = label; tr.appendChild(th);
  texts.forEach((t, k) => {
    const td = document.createElement("td"), href = link && link(chosen[k], r);
    if (href) {
      const a = document.createElement("a");
      a.href = href; a.textContent = t;
      td.appendChild(a);
    } else td.textContent = t;
    if (best.has(k)) {
      td.className = "best";
      const mark = document.createElement("span");
      mark.className = "best-mark"; mark.textContent = word;
      td.append(" ", mark);
    }
    tr.appendChild(td);
  });
  return tr;
}

function render() {
  const r = idx.rows, head = table.tHead.rows[0], body = table.tBodies[0];
  while (head.cells.length > 1) head.deleteCell(1);
  for (const i of chosen) head.appendChild(headerCell(i, r));
  const frag = document.createDocumentFragment();
  for (const field of FIELDS) {
    const tr = fieldRow(field, r);
    if (tr) frag.appendChild(tr);
  }
  body.replaceChildren(frag);
  table.hidden = chosen.length === 0;
  statusEl.textContent = chosen.length < 2 ? "Pick " + (2 - chosen.length) + " more model" + (chosen.length ? "" : "s") +
    " to compare (up to " + MAX + ")." : "Comparing " + chosen.length + " models; the best value of each row is marked.";
}

function add(id) {
  const i = byId.get(id);
  if (i === undefined) return addCanonical(id);
  if (chosen.indexOf(i) >= 0) return true;
  if (chosen.length >= MAX) { statusEl.textContent = "At most " + MAX + " models can be compared."; return false; }
  chosen.push(i);
  return true;
}

// A canonical model's offerings, cheapest prompt price first (unknown prices last), into the free slots.
function addCanonical(slug) {
  const g = bySlug.get(slug);
  if (g === undefined) { statusEl.textContent = "No model with id \u201c" + slug + "\u201d."; return false; }
  const r = idx.rows, price = (i) => (r.pp[i] === null ? Infinity : Number(r.pp[i]));
  const offers = [];
  for (let i = 0; i < idx.count; i++) if (r.cm[i] === g && chosen.indexOf(i) < 0) offers.push(i);
  offers.sort((a, b) => price(a) - price(b) || a - b);
  const room = MAX - chosen.length;
  chosen.push(...offers.slice(0, room));
  if (offers.length > room) {
    canonicalNote = " " + idx.canonicalModels[g].name + " has " + offers.length + " offerings; the " + room +
      " cheapest are shown.";
  }
  return true;
}

function suggest() {
  const term = input.value.trim().toLowerCase(), r = idx.rows, opts = document.createDocumentFragment();
  let found = 0;
  if (term.length < 2) { list.replaceChildren(); return; }
  idx.canonicalModels.forEach((m) => {
    if (found < 5 && (m.slug.indexOf(term) >= 0 || m.name.toLowerCase().indexOf(term) >= 0)) {
      const o = document.createElement("option");
      o.value = m.slug; o.label = m.name + " \u2014 every provider (" + m.providers + ")";
      opts.appendChild(o); found++;
    }
  });
  for (let i = 0; i < ids.length && found < 20; i++) {
    if (ids[i].toLowerCase().indexOf(term) >= 0 || String(r.n[i] || "").toLowerCase().indexOf(term) >= 0) {
      const o = document.createElement("option"); o.value = ids[i]; o.label = r.n[i] || r.u[i];
      opts.appendChild(o); found++;
    }
  }
  list.replaceChildren(opts);
}

function start(data) {
  idx = data;
  if (!data.rows.cm) data.rows.cm = new Array(data.count).fill(null);
  if (!data.canonicalModels) data.canonicalModels = [];
  for (let i = 0; i < data.count; i++) { ids[i] = data.providers[data.rows.p[i]] + "/" + data.rows.u[i]; byId.set(ids[i], i); }
  data.canonicalModels.forEach((m, g) => bySlug.set(m.slug, g));
  const query = new URLSearchParams(location.search);
  const wanted = query.getAll("m").slice(0, MAX);
  wanted.forEach(add);
  const bad = wanted.filter((m) => !byId.has(m));
  const canonical = query.getAll("canonical");
  canonical.forEach(addCanonical);
  if (canonical.length) saveUrl();
  render();
  const unknown = bad.concat(canonical.filter((s) => !bySlug.has(s)));
  if (unknown.length) statusEl.textContent += " Not found: " + unknown.join(", ") + ".";
  statusEl.textContent += canonicalNote;
  input.addEventListener("input", suggest);
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    canonicalNote = "";
    if (add(input.value.trim())) { input.value = ""; saveUrl(); render(); statusEl.textContent += canonicalNote; }
  });
  document.documentElement.setAttribute("data-compare-ready", "1");
}

loadIndex(root).then(start, (err) => { statusEl.textContent = "Cannot load the model index (" + err.message + ")."; });
