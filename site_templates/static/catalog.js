// The catalog page: search, facet filters, sorting, grouping by canonical model and compare
// selection over site-index.json. The state lives in the URL query (shareable, survives reload).
// Only the visible rows are rendered (a window that grows with "Show more"); rows are built with
// DOM APIs and textContent, never from HTML strings, so upstream text cannot inject markup.
import { loadIndex, modelUrl, money, providerUrl, siteRoot, thousands } from "./format.js";

const PAGE = 40;
const MAX_COMPARE = 4;
const NUMERIC = ["c", "o", "pp", "pc", "cr", "cw"];
const LISTS = ["provider", "in", "out", "cap"];
const VALUES = ["pmin", "pmax", "ctx"];
// One letter per modality in the compact "in → out" column; the full words are in its hidden text.
const LETTER = { text: "T", image: "I", file: "F", audio: "A", video: "V" };

const root = siteRoot();
const form = document.getElementById("filters");
const table = document.getElementById("catalog-table");
const tbody = table.tBodies[0];
const countEl = document.getElementById("result-count");
const moreBtn = document.getElementById("show-more");
const compareLink = document.getElementById("compare-link");
const emptyEl = document.getElementById("no-results");
const COLUMNS = table.tHead.rows[0].cells.length + 1;  // + the compare checkbox column

let idx = null, n = 0;
const hay = [], ids = [], nums = {}, modText = [], modShort = [];
let order = [], sortKey = "", sortDir = "asc", limit = PAGE, shown = [];
let nameRank = null;  // canonical model -> rank by name (group order when unsorted)
const selected = [];
let urlTimer = 0;
let retiredCount = 0;

function modalityTexts(mask, names) {
  const words = [], letters = [];
  for (let b = 0; b < names.length; b++) {
    if (mask & (1 << b)) { words.push(names[b]); letters.push(LETTER[names[b]] || names[b][0].toUpperCase()); }
  }
  return [words.length ? words.join(", ") : "unknown", letters.join("") || "\u2013"];
}

function prepare(data) {
  idx = data; n = data.count;
  const r = data.rows;
  if (!r.r) r.r = null;  // retired flag column; absent in older indexes (= none retired)
  if (!r.cm) r.cm = null;
  if (!data.canonicalModels) data.canonicalModels = [];
  const seen = new Map();
  for (let i = 0; i < n; i++) {
    ids[i] = data.providers[r.p[i]] + "/" + r.u[i];
    hay[i] = (ids[i] + " " + (r.n[i] || "") + " " + (r.t[i] || "")).toLowerCase();
    const key = r.mi[i] * 64 + r.mo[i];
    let texts = seen.get(key);
    if (!texts) {
      const input = modalityTexts(r.mi[i], data.inputModalities), output = modalityTexts(r.mo[i], data.outputModalities);
      const unknown = !r.mi[i] && !r.mo[i];
      texts = ["Input: " + input[0] + "; output: " + output[0], unknown ? "\u2013" : input[1] + "\u2192" + output[1]];
      seen.set(key, texts);
    }
    modText[i] = texts[0]; modShort[i] = texts[1];
  }
  for (const k of NUMERIC) {
    const col = r[k], arr = new Float64Array(n);
    for (let i = 0; i < n; i++) arr[i] = col[i] === null ? NaN : Number(col[i]);
    nums[k] = arr;
  }
}

function sortOrder() {
  const base = [];
  for (let i = 0; i < n; i++) base.push(i);
  if (!sortKey) return base;
  const r = idx.rows, dir = sortDir === "desc" ? -1 : 1, k = sortKey;
  let cmp;
  if (nums[k]) {
    const a = nums[k];
    cmp = (x, y) => {
      const ax = a[x], ay = a[y], nx = ax !== ax, ny = ay !== ay;
      if (nx || ny) return nx === ny ? x - y : (nx ? 1 : -1);  // unknown last either way
      return ax === ay ? x - y : (ax < ay ? -dir : dir);
    };
  } else {
    const text = k === "p" ? (i) => idx.providerNames[r.p[i]]
      : k === "n" ? (i) => (r.n[i] || r.u[i]).toLowerCase()
      : k === "id" ? (i) => ids[i]
      : (i) => r.d[i] || "";
    const keys = base.map(text);
    cmp = (x, y) => {
      const ax = keys[x], ay = keys[y];
      if (!ax || !ay) return !ax === !ay ? x - y : (!ax ? 1 : -1);
      return ax === ay ? x - y : (ax < ay ? -dir : dir);
    };
  }
  return base.sort(cmp);
}

function readForm() {
  const fd = new FormData(form), s = {};
  for (const k of ["q", ...VALUES]) s[k] = (fd.get(k) || "").trim();
  for (const k of LISTS) s[k] = fd.getAll(k);
  s.group = fd.get("group") === "model";
  s.retired = fd.get("retired") === "show";
  return s;
}

function bits(values, names) {
  let m = 0;
  for (const v of values) { const b = names.indexOf(v); if (b >= 0) m |= 1 << b; }
  return m;
}

function filter(s) {
  const r = idx.rows;
  const terms = s.q.toLowerCase().split(/\s+/).filter(Boolean);
  const provSet = s.provider.length ? new Set(s.provider.map((p) => idx.providers.indexOf(p))) : null;
  const inMask = bits(s.in, idx.inputModalities), outMask = bits(s.out, idx.outputModalities);
  const capMask = bits(s.cap, idx.capabilities);
  const pmin = s.pmin === "" ? null : Number(s.pmin), pmax = s.pmax === "" ? null : Number(s.pmax);
  const ctx = s.ctx === "" ? 0 : Number(s.ctx);
  const retired = s.retired ? null : r.r;
  const pp = nums.pp, c = nums.c, out = [];
  for (let j = 0; j < order.length; j++) {
    const i = order[j];
    if (retired && retired[i]) continue;
    if (provSet && !provSet.has(r.p[i])) continue;
    if (inMask && (r.mi[i] & inMask) !== inMask) continue;
    if (outMask && (r.mo[i] & outMask) !== outMask) continue;
    if (capMask && (r.k[i] & capMask) !== capMask) continue;
    if (ctx && !(c[i] >= ctx)) continue;
    if (pmin !== null && !(pp[i] >= pmin)) continue;
    if (pmax !== null && !(pp[i] <= pmax)) continue;
    const h = hay[i];
    let ok = true;
    for (let t = 0; t < terms.length; t++) if (h.indexOf(terms[t]) < 0) { ok = false; break; }
    if (ok) out.push(i);
  }
  return out;
}

// Group by canonical model: the matching rows of each model together, models in the order of
// their first row (so a price sort puts the model with the cheapest offering first) or by name
// when the table is unsorted; rows not linked to a canonical model form one last group.
function grouped(rows) {
  const cm = idx.rows.cm, buckets = new Map(), unlinked = [];
  for (const i of rows) {
    const g = cm ? cm[i] : null;
    if (g === null || g === undefined) { unlinked.push(i); continue; }
    let bucket = buckets.get(g);
    if (!bucket) buckets.set(g, bucket = []);
    bucket.push(i);
  }
  const keys = [...buckets.keys()];
  if (!sortKey) {
    if (!nameRank) {
      const models = idx.canonicalModels, byName = models.map((_, g) => g);
      byName.sort((a, b) => models[a].name.localeCompare(models[b].name) || a - b);
      nameRank = new Int32Array(models.length);
      byName.forEach((g, rank) => { nameRank[g] = rank; });
    }
    keys.sort((a, b) => nameRank[a] - nameRank[b]);
  }
  const groups = keys.map((g) => ({ model: g, rows: buckets.get(g) }));
  if (unlinked.length) groups.push({ model: null, rows: unlinked });
  return groups;
}

// Rows are pooled: each keystroke rewrites only the texts and links that changed, in <tr>s that
// already exist, so the browser restyles and re-lays out as little as possible.
const pool = [];

function setText(node, value) { if (node.textContent !== value) node.textContent = value; }

function cell(tr, className) {
  const td = document.createElement("td");
  if (className) td.className = className;
  tr.appendChild(td);
  return td;
}

function badge(text) {
  const span = document.createElement("span");
  span.className = "badge warn"; span.textContent = text; span.hidden = true;
  return span;
}

function makeRow() {
  const tr = document.createElement("tr"), parts = { tr, cells: [] };
  parts.box = document.createElement("input");
  parts.box.type = "checkbox";
  cell(tr, "pick").appendChild(parts.box);
  const name = cell(tr, "name");
  parts.link = document.createElement("a");
  parts.removed = badge("removed");
  parts.retired = badge("retired");
  parts.unverified = badge("unverified");
  name.append(parts.removed, parts.retired, parts.unverified, parts.link);
  parts.id = document.createElement("span");
  parts.id.className = "mid";
  cell(tr, "id").appendChild(parts.id);
  parts.provLink = document.createElement("a");
  cell(tr, "").appendChild(parts.provLink);
  parts.cells.push(cell(tr, "num"), cell(tr, "num"));
  const mods = cell(tr, "mods");
  parts.modShort = document.createElement("span");
  parts.modShort.setAttribute("aria-hidden", "true");
  parts.modText = document.createElement("span");
  parts.modText.className = "visually-hidden";
  mods.append(parts.modShort, parts.modText);
  parts.mods = mods;
  for (let c = 0; c < 5; c++) parts.cells.push(cell(tr, "num"));
  return parts;
}

function fillRow(parts, i) {
  parts.box.checked = selected.indexOf(ids[i]) >= 0;
  if (parts.index === i) return;
  const r = idx.rows, prov = idx.providers[r.p[i]];
  parts.index = i;
  parts.box.value = ids[i];
  parts.box.setAttribute("aria-label", "Compare " + ids[i]);
  parts.link.href = modelUrl(root, prov, r.f[i] || r.u[i]);
  setText(parts.link, r.n[i] || r.u[i]);
  parts.removed.hidden = !r.x[i];
  parts.retired.hidden = !(r.r && r.r[i] === 1);  // r: 1 retired, 2 unverified, 3 removed
  parts.unverified.hidden = !(r.r && r.r[i] === 2);
  setText(parts.id, ids[i]);
  parts.id.title = ids[i];
  parts.provLink.href = providerUrl(root, prov);
  setText(parts.provLink, idx.providerNames[r.p[i]]);
  setText(parts.modShort, modShort[i]);
  setText(parts.modText, modText[i]);
  parts.mods.title = modText[i];
  const values = [thousands(r.c[i]), thousands(r.o[i]), money(r.pp[i]), money(r.pc[i]), money(r.cr[i]),
    money(r.cw[i]), r.d[i] || "\u2013"];
  for (let c = 0; c < values.length; c++) setText(parts.cells[c], values[c]);
}

function makeHead() {
  const tr = document.createElement("tr"), th = document.createElement("th");
  tr.className = "group"; tr.hidden = true;
  th.colSpan = COLUMNS;
  const link = document.createElement("a"), label = document.createElement("span"), info = document.createElement("span");
  info.className = "muted";
  const pinned = document.createElement("span");  // stays in view while the table scrolls sideways
  pinned.className = "group-label";
  pinned.append(link, label, " ", info); th.appendChild(pinned); tr.appendChild(th);
  return { tr, link, label, info };
}

function fillHead(parts, group) {
  const count = group.rows.length;
  const rows = count + " offering" + (count === 1 ? "" : "s");
  if (group.model === null) {
    parts.link.hidden = true;
    setText(parts.label, "Not linked to a canonical model");
    setText(parts.info, rows);
    return;
  }
  const model = idx.canonicalModels[group.model];
  parts.link.hidden = false;
  parts.link.href = root + model.href;
  setText(parts.link, model.name);
  setText(parts.label, "");
  setText(parts.info, rows + " \u00b7 at " + model.providers + " provider" + (model.providers === 1 ? "" : "s") +
    " in all \u00b7 " + model.slug);
}

// The table body is a fixed sequence of slots: a model row, and in the grouped view a heading row
// before it that is shown only where a new model starts. Keystrokes then change texts and the
// headings' hidden flags, never the order of the rows (no re-insertion, no restyle).
let slotsGrouped = null;

function render(s) {
  if (slotsGrouped !== s.group) { tbody.replaceChildren(); slotsGrouped = s.group; }
  const end = Math.min(limit, shown.length);
  let rows = shown, groupOf = null;
  if (s.group) {
    rows = []; groupOf = [];
    for (const group of grouped(shown)) {
      for (const i of group.rows) {
        if (rows.length >= end) break;
        rows.push(i); groupOf.push(group);
      }
      if (rows.length >= end) break;
    }
  }
  for (let j = 0; j < end; j++) {
    if (!pool[j]) pool[j] = { head: makeHead(), row: makeRow() };
    const slot = pool[j];
    fillRow(slot.row, rows[j]);
    const starts = groupOf !== null && (j === 0 || groupOf[j] !== groupOf[j - 1]);
    if (starts) fillHead(slot.head, groupOf[j]);
    if (slot.head.tr.hidden === starts) slot.head.tr.hidden = !starts;
    if (slot.row.tr.parentNode !== tbody) {
      if (s.group) tbody.append(slot.head.tr, slot.row.tr); else tbody.append(slot.row.tr);
    }
  }
  while (tbody.children.length > (s.group ? 2 : 1) * end) tbody.removeChild(tbody.lastElementChild);
  table.classList.toggle("grouped", s.group);
  emptyEl.hidden = shown.length > 0;
  const total = s.retired || !idx.rows.r ? n : n - retiredCount;
  countEl.textContent = (shown.length === total ? "All " : "") + thousands(shown.length) +
    " of " + thousands(total) + " models match" +
    (end < shown.length ? "; showing the first " + thousands(end) + "." : ".") +
    (total < n ? " " + thousands(n - total) + " retired, removed or unverified hidden." : "");
  moreBtn.hidden = end >= shown.length;
}

function update(resetLimit) {
  if (resetLimit) limit = PAGE;
  const s = readForm();
  shown = filter(s);
  render(s);
}

function stateQuery() {
  const s = readForm(), q = new URLSearchParams();
  if (s.q) q.set("q", s.q);
  for (const k of LISTS) if (s[k].length) q.set(k, s[k].join(","));
  for (const k of VALUES) if (s[k]) q.set(k, s[k]);
  if (s.group) q.set("group", "model");
  if (s.retired) q.set("retired", "show");
  if (sortKey) { q.set("sort", sortKey); q.set("dir", sortDir); }
  const text = q.toString();
  return text ? "?" + text : location.pathname;
}

function saveUrl(now) {
  clearTimeout(urlTimer);
  const write = () => history.replaceState(null, "", stateQuery());
  if (now) write(); else urlTimer = setTimeout(write, 250);
}

function loadUrl() {
  const q = new URLSearchParams(location.search);
  form.elements.q.value = q.get("q") || "";
  for (const k of LISTS) {
    const want = (q.get(k) || "").split(",").filter(Boolean);
    form.querySelectorAll("input[name=" + k + "]").forEach((el) => { el.checked = want.indexOf(el.value) >= 0; });
  }
  for (const k of VALUES) form.elements[k].value = q.get(k) || "";
  form.elements.group.checked = q.get("group") === "model";
  form.elements.retired.checked = q.get("retired") === "show";
  const sk = q.get("sort");
  sortKey = sk && table.querySelector("th[data-sort='" + sk + "']") ? sk : "";
  sortDir = q.get("dir") === "desc" ? "desc" : "asc";
}

function markSort() {
  table.querySelectorAll("th[data-sort]").forEach((th) => {
    const on = th.getAttribute("data-sort") === sortKey;
    th.setAttribute("aria-sort", on ? (sortDir === "asc" ? "ascending" : "descending") : "none");
  });
}

function setupSortButtons() {
  const headRow = table.tHead.rows[0];
  const pickTh = document.createElement("th");
  pickTh.scope = "col"; pickTh.className = "pick";
  const hidden = document.createElement("span");
  hidden.className = "visually-hidden"; hidden.textContent = "Compare";
  pickTh.appendChild(hidden);
  headRow.insertBefore(pickTh, headRow.firstChild);
  table.querySelectorAll("th[data-sort]").forEach((th) => {
    const btn = document.createElement("button");
    btn.type = "button"; btn.className = "sort";
    btn.textContent = th.textContent;
    th.textContent = ""; th.appendChild(btn);
    btn.addEventListener("click", () => {
      const k = th.getAttribute("data-sort");
      if (sortKey === k) sortDir = sortDir === "asc" ? "desc" : "asc";
      else { sortKey = k; sortDir = "asc"; }
      order = sortOrder(); markSort(); update(true); saveUrl(true);
    });
  });
  table.querySelector("caption").textContent = "Models (filtered and sorted by the controls above); In\u2192out: T text, I image, F file, A audio, V video";
}

function updateCompareLink() {
  compareLink.textContent = "Compare selected (" + selected.length + ")";
  const q = new URLSearchParams();
  for (const id of selected) q.append("m", id);
  compareLink.href = root + "compare.html" + (selected.length ? "?" + q.toString() : "");
  compareLink.setAttribute("aria-disabled", selected.length >= 2 ? "false" : "true");
}

// Every filter back to its default (the group-by-model view stays as chosen).
function clearFilters() {
  for (const el of form.elements) {
    if (el.name === "group") continue;
    if (el.type === "checkbox" || el.type === "radio") el.checked = el.defaultChecked;
    else if (el.tagName === "SELECT") for (const o of el.options) o.selected = o.defaultSelected;
    else if (el.tagName === "INPUT") el.value = el.defaultValue;
  }
  sortKey = ""; order = sortOrder(); markSort(); update(true); saveUrl(true);
}

function start(data) {
  prepare(data);
  if (idx.rows.r) for (let i = 0; i < n; i++) retiredCount += idx.rows.r[i] ? 1 : 0;
  setupSortButtons();
  tbody.replaceChildren();  // the server-rendered first rows give way to the scripted ones
  loadUrl();
  order = sortOrder(); markSort(); update(true);
  const s0 = readForm();
  const panel = document.getElementById("facet-panel");
  panel.open = window.matchMedia("(min-width: 700px)").matches || LISTS.some((k) => s0[k].length) ||
    VALUES.some((k) => s0[k]);
  form.addEventListener("input", (e) => { update(true); saveUrl(e.target.name !== "q"); });
  form.addEventListener("change", () => saveUrl(true));
  form.addEventListener("submit", (e) => e.preventDefault());
  form.addEventListener("reset", (e) => { e.preventDefault(); clearFilters(); });
  document.getElementById("clear-filters").addEventListener("click", () => {
    clearFilters();
    form.elements.q.focus();
  });
  moreBtn.addEventListener("click", () => { limit += PAGE; render(readForm()); });
  tbody.addEventListener("change", (e) => {
    const el = e.target;
    if (el.type !== "checkbox") return;
    const at = selected.indexOf(el.value);
    if (el.checked && at < 0) {
      if (selected.length >= MAX_COMPARE) {
        el.checked = false; countEl.textContent = "At most " + MAX_COMPARE + " models can be compared."; return;
      }
      selected.push(el.value);
    } else if (!el.checked && at >= 0) selected.splice(at, 1);
    updateCompareLink();
  });
  document.addEventListener("keydown", (e) => {
    const t = e.target.tagName;
    if (e.key === "/" && t !== "INPUT" && t !== "SELECT" && t !== "TEXTAREA") { e.preventDefault(); form.elements.q.focus(); }
  });
  updateCompareLink();
  document.documentElement.setAttribute("data-catalog-ready", "1");
}

loadIndex(root).then(start, (err) => {
  countEl.textContent = "Search is unavailable (" + err.message + "); the first rows are shown below.";
});
