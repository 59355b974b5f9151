// The catalog page: search, facet filters, sorting, grouping by canonical model and compare
// selection over site-index.json. The state lives in the URL query (shareable, survives reload).
// Only the visible rows are rendered (a window that grows with "Show more"); rows are built with
// DOM APIs and textContent, never from HTML strings, so upstream text cannot inject markup.
//
// Unknowns are honest: a filter on a value some models do not state leaves those models out and
// says how many, with a switch to include them. Retired, removed and unverified models are hidden
// unless asked for. In a price sort, free tiers, batch-only and subscription ids come after the
// pay-per-use ones unless the reader asks to rank them too.
import { fillHead, fillRow, makeHead, makeRow, modalityColumns } from "./catalog-rows.js";
import { loadIndex, siteRoot, thousands } from "./format.js";
import { Search } from "./search.js";

const PAGE = 40;
const MAX_COMPARE = 4;
const NUMERIC = ["c", "o", "pp", "pc", "cr", "cw"];
const PRICE_SORTS = { pp: 0, pc: 1, cr: 2, cw: 3 };
const LISTS = ["provider", "in", "out", "cap"];
const VALUES = ["pmin", "pmax", "ctx"];
const FLAGS = { group: "model", retired: "show", unknown: "include", rank: "all" };
const UNKNOWN_WORDS = { in: "input modalities", out: "output modalities", cap: "capabilities", ctx: "context window", price: "prompt price" };
const HIDDEN_FROM = 2;  // lifecycle codes from here on (retired, removed, unverified) are hidden by default

const root = siteRoot();
const form = document.getElementById("filters");
const table = document.getElementById("catalog-table");
const tbody = table.tBodies[0];
const countEl = document.getElementById("result-count");
const unknownEl = document.getElementById("unknown-note");
const matchesEl = document.getElementById("canonical-matches");
const moreBtn = document.getElementById("show-more");
const compareLink = document.getElementById("compare-link");
const emptyEl = document.getElementById("no-results");
const panel = document.getElementById("facet-panel");
const COLUMNS = table.tHead.rows[0].cells.length + 1;  // + the compare checkbox column

let idx = null, n = 0, search = null, view = null;
const ids = [], nums = {};
let order = [], sortKey = "", sortDir = "asc", limit = PAGE, shown = [], leftOut = null;
let nameOrder = null;  // canonical models by name (the group order when unsorted and unsearched)
const selected = [];
let urlTimer = 0, hiddenCount = 0;

function prepare(data) {
  idx = data; n = data.count;
  for (let i = 0; i < n; i++) ids[i] = data.providers[data.rows.p[i]] + "/" + data.rows.u[i];
  for (const k of NUMERIC) {
    const col = data.rows[k], arr = new Float64Array(n);
    for (let i = 0; i < n; i++) arr[i] = col[i] === null ? NaN : Number(col[i]);
    nums[k] = arr;
  }
  search = new Search(data, ids);
  view = { idx, ids, root, selected, modal: modalityColumns(data) };
  for (let i = 0; i < n; i++) if (data.rows.s[i] >= HIDDEN_FROM) hiddenCount++;
}

// Row order for the sorted column (unknown values last either way; in a price sort, ids that are
// not pay-per-use on demand after the others unless ranked too).
function sortOrder(rankAll) {
  const base = [];
  for (let i = 0; i < n; i++) base.push(i);
  if (!sortKey) return base;
  const r = idx.rows, dir = sortDir === "desc" ? -1 : 1, k = sortKey;
  let cmp;
  if (nums[k]) {
    const a = nums[k], price = k in PRICE_SORTS, of = r.of;
    cmp = (x, y) => {
      const ax = a[x], ay = a[y], nx = ax !== ax, ny = ay !== ay;
      if (nx || ny) return nx === ny ? x - y : (nx ? 1 : -1);
      if (price && !rankAll && (of[x] > 0) !== (of[y] > 0)) return of[x] > 0 ? 1 : -1;
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
  for (const k in FLAGS) s[k] = fd.get(k) === FLAGS[k];
  return s;
}

function bits(values, names) {
  let m = 0;
  for (const v of values) { const b = names.indexOf(v); if (b >= 0) m |= 1 << b; }
  return m;
}

// Which filters row i fails: 0 passes, 1 fails on a known value, else a list of the filters it
// fails only because its value is unknown.
function valueFilters(i, f) {
  const r = idx.rows;
  let unknown = null;
  const miss = (word) => { (unknown || (unknown = [])).push(word); };
  if (f.inMask) { if (!r.mi[i]) miss("in"); else if ((r.mi[i] & f.inMask) !== f.inMask) return 1; }
  if (f.outMask) { if (!r.mo[i]) miss("out"); else if ((r.mo[i] & f.outMask) !== f.outMask) return 1; }
  if (f.capMask) {
    const lacking = f.capMask & ~r.k[i];  // asked-for capabilities not known to be there
    if (lacking) { if (lacking & r.kk[i]) return 1; miss("cap"); }
  }
  if (f.ctx) { const c = nums.c[i]; if (c !== c) miss("ctx"); else if (c < f.ctx) return 1; }
  if (f.pmin !== null || f.pmax !== null) {
    const p = nums.pp[i];
    if (p !== p) { if (r.nb[i] & 1) return 1; miss("price"); }
    else if ((f.pmin !== null && p < f.pmin) || (f.pmax !== null && p > f.pmax)) return 1;
  }
  return unknown || 0;
}

function filter(s) {
  const r = idx.rows;
  const hasQuery = search.query(s.q);
  const provSet = s.provider.length ? new Set(s.provider.map((p) => idx.providers.indexOf(p))) : null;
  const f = {
    inMask: bits(s.in, idx.inputModalities), outMask: bits(s.out, idx.outputModalities),
    capMask: bits(s.cap, idx.capabilities), ctx: s.ctx === "" ? 0 : Number(s.ctx),
    pmin: s.pmin === "" ? null : Number(s.pmin), pmax: s.pmax === "" ? null : Number(s.pmax),
  };
  const byValue = f.inMask || f.outMask || f.capMask || f.ctx || f.pmin !== null || f.pmax !== null;
  const buckets = [[], [], [], []], missing = { total: 0 };
  for (let j = 0; j < order.length; j++) {
    const i = order[j];
    if (!s.retired && r.s[i] >= HIDDEN_FROM) continue;
    if (provSet && !provSet.has(r.p[i])) continue;
    const tier = hasQuery ? search.tier(i) : 0;
    if (tier < 0) continue;
    if (byValue) {
      const verdict = valueFilters(i, f);
      if (verdict === 1) continue;
      if (verdict !== 0) {
        missing.total++;
        for (const word of verdict) missing[word] = (missing[word] || 0) + 1;
        if (!s.unknown) continue;
      }
    }
    // Without a column sort, the best matches first; with one, name matches before description ones.
    buckets[sortKey ? (tier === 3 ? 1 : 0) : tier].push(i);
  }
  leftOut = missing;
  return buckets[0].concat(buckets[1], buckets[2], buckets[3]);
}

// Group by canonical model: the matching rows of each model together, models in the order of
// their first row (so a price sort puts the model with the cheapest offering first) or by name
// when the table is unsorted and nothing is searched; rows not linked form one last group. Only
// the groups that fill the first ``end`` rows are collected: two passes over typed arrays, no
// per-model arrays for the thousands of models further down.
let groupSize = null, groupSlot = null;

function grouped(rows, byName, end) {
  const cm = idx.rows.cm, models = idx.canonicalModels;
  if (!groupSize) { groupSize = new Int32Array(models.length); groupSlot = new Int32Array(models.length).fill(-1); }
  groupSize.fill(0);
  let order = [], unlinked = 0;
  for (let j = 0; j < rows.length; j++) {
    const g = cm[rows[j]];
    if (g === null || g === undefined) unlinked++;
    else if (groupSize[g]++ === 0) order.push(g);
  }
  if (byName) {
    if (!nameOrder) {
      nameOrder = models.map((_, g) => g);
      nameOrder.sort((a, b) => models[a].name.localeCompare(models[b].name) || a - b);
    }
    order = nameOrder.filter((g) => groupSize[g] > 0);
  }
  const groups = [];
  let taken = 0;
  for (let k = 0; k < order.length && taken < end; k++) {
    groupSlot[order[k]] = groups.length;
    groups.push({ model: order[k], rows: [], size: groupSize[order[k]] });
    taken += groupSize[order[k]];
  }
  const rest = taken < end && unlinked ? { model: null, rows: [], size: unlinked } : null;
  for (let j = 0; j < rows.length; j++) {
    const i = rows[j], g = cm[i];
    if (g === null || g === undefined) { if (rest) rest.rows.push(i); }
    else if (groupSlot[g] >= 0) groups[groupSlot[g]].rows.push(i);
  }
  for (const group of groups) groupSlot[group.model] = -1;
  if (rest) groups.push(rest);
  return groups;
}

// The table body is a fixed sequence of slots: a model row, and in the grouped view a heading row
// before it that is shown only where a new model starts. Keystrokes then change texts and the
// headings' hidden flags, never the order of the rows (no re-insertion, no restyle).
const pool = [];
let slotsGrouped = null;

function render(s) {
  if (slotsGrouped !== s.group) { tbody.replaceChildren(); slotsGrouped = s.group; }
  const end = Math.min(limit, shown.length);
  let rows = shown, groupOf = null;
  if (s.group) {
    rows = []; groupOf = [];
    for (const group of grouped(shown, !sortKey && !s.q, end)) {
      for (const i of group.rows) {
        if (rows.length >= end) break;
        rows.push(i); groupOf.push(group);
      }
      if (rows.length >= end) break;
    }
  }
  for (let j = 0; j < end; j++) {
    if (!pool[j]) pool[j] = { head: makeHead(COLUMNS), row: makeRow() };
    const slot = pool[j];
    fillRow(slot.row, rows[j], view);
    const starts = groupOf !== null && (j === 0 || groupOf[j] !== groupOf[j - 1]);
    if (starts) fillHead(slot.head, groupOf[j], idx, root);
    if (slot.head.tr.hidden === starts) slot.head.tr.hidden = !starts;
    if (slot.row.tr.parentNode !== tbody) {
      if (s.group) tbody.append(slot.head.tr, slot.row.tr); else tbody.append(slot.row.tr);
    }
  }
  while (tbody.children.length > (s.group ? 2 : 1) * end) tbody.removeChild(tbody.lastElementChild);
  table.classList.toggle("grouped", s.group);
  if (emptyEl.hidden !== shown.length > 0) emptyEl.hidden = shown.length > 0;
  const total = s.retired ? n : n - hiddenCount;
  const count = (shown.length === total ? "All " : "") + thousands(shown.length) +
    " of " + thousands(total) + " models match" +
    (end < shown.length ? "; showing the first " + thousands(end) + "." : ".") +
    (!s.retired && hiddenCount ? " " + thousands(hiddenCount) + " retired, removed or unverified hidden." : "");
  if (countEl.textContent !== count) countEl.textContent = count;
  renderUnknown(s);
  renderMatches(s);
  if (moreBtn.hidden !== end >= shown.length) moreBtn.hidden = end >= shown.length;
}

// "N models left out because ... is unknown", with the switch that includes them.
function renderUnknown(s) {
  const total = leftOut ? leftOut.total : 0;
  if (unknownEl.hidden !== (total === 0)) unknownEl.hidden = total === 0;
  if (!total) return;
  const words = Object.keys(UNKNOWN_WORDS).filter((k) => leftOut[k])
    .map((k) => UNKNOWN_WORDS[k] + " " + thousands(leftOut[k]));
  const text = unknownEl.querySelector("span"), button = unknownEl.querySelector("button");
  const said = (s.unknown ? "Including " : "") + thousands(total) + " model" + (total === 1 ? "" : "s") +
    (s.unknown ? " whose " : " left out because their ") + "value is unknown (" + words.join(", ") + ").";
  if (text.textContent !== said) text.textContent = said;
  const action = s.unknown ? "Leave them out" : "Include them";
  if (button.textContent !== action) button.textContent = action;
}

// Canonical models the query names: a link to each one's page of offerings (the three offered by
// the most providers), rebuilt only when they change.
let matchesKey = "";

function renderMatches(s) {
  const models = idx.canonicalModels, top = [];
  let hits = 0;
  if (s.q && search.canonicalHit) {
    const hit = search.canonicalHit;
    for (let g = 0; g < hit.length; g++) {
      if (!hit[g]) continue;
      hits++;
      let at = top.length;
      while (at > 0 && models[top[at - 1]].providers < models[g].providers) at--;
      if (at < 3) { top.splice(at, 0, g); if (top.length > 3) top.pop(); }
    }
  }
  const key = top.join(",") + "/" + hits;
  if (key === matchesKey) return;
  matchesKey = key;
  matchesEl.hidden = hits === 0;
  const list = matchesEl.querySelector("span");
  list.replaceChildren();
  top.forEach((g, k) => {
    const a = document.createElement("a");
    a.href = root + models[g].href;
    a.textContent = models[g].name + " at " + models[g].providers + " provider" + (models[g].providers === 1 ? "" : "s");
    if (k) list.append(" \u00b7 ");
    list.append(a);
  });
  if (hits > 3) list.append(" and " + (hits - 3) + " more");
}

function update(resetLimit) {
  if (resetLimit) limit = PAGE;
  const s = readForm();
  shown = filter(s);
  render(s);
  markFilters(s);
}

// The Filters toggle says how many filters are on.
function markFilters(s) {
  const active = LISTS.reduce((sum, k) => sum + s[k].length, 0) + VALUES.filter((k) => s[k]).length;
  const label = "Filters" + (active ? " (" + active + " on)" : ""), summary = panel.querySelector("summary");
  if (summary.textContent !== label) summary.textContent = label;
}

function stateQuery() {
  const s = readForm(), q = new URLSearchParams();
  if (s.q) q.set("q", s.q);
  for (const k of LISTS) if (s[k].length) q.set(k, s[k].join(","));
  for (const k of VALUES) if (s[k]) q.set(k, s[k]);
  for (const k in FLAGS) if (s[k]) q.set(k, FLAGS[k]);
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
  for (const k in FLAGS) form.elements[k].checked = q.get(k) === FLAGS[k];
  // Compared, never put into a selector: a hand-made ?sort=' would make querySelector throw.
  const sk = q.get("sort") || "";
  const known = Array.from(table.querySelectorAll("th[data-sort]"), (th) => th.getAttribute("data-sort"));
  sortKey = known.indexOf(sk) >= 0 ? sk : "";
  sortDir = q.get("dir") === "desc" ? "desc" : "asc";
}

function markSort() {
  table.querySelectorAll("th[data-sort]").forEach((th) => {
    const on = th.getAttribute("data-sort") === sortKey;
    th.setAttribute("aria-sort", on ? (sortDir === "asc" ? "ascending" : "descending") : "none");
  });
}

function resort() { order = sortOrder(form.elements.rank.checked); markSort(); update(true); saveUrl(true); }

function setupSortButtons() {
  const headRow = table.tHead.rows[0];
  const pickTh = document.createElement("th");
  pickTh.scope = "col"; pickTh.className = "pick";
  const hidden = document.createElement("span");
  hidden.className = "visually-hidden"; hidden.textContent = "Compare";
  pickTh.appendChild(hidden);
  headRow.insertBefore(pickTh, headRow.firstChild);
  table.classList.add("picking");  // the model column now pins beside the compare boxes
  table.querySelectorAll("th[data-sort]").forEach((th) => {
    const btn = document.createElement("button");
    btn.type = "button"; btn.className = "sort";
    btn.textContent = th.textContent;
    th.textContent = ""; th.appendChild(btn);
    btn.addEventListener("click", () => {
      const k = th.getAttribute("data-sort");
      if (sortKey === k) sortDir = sortDir === "asc" ? "desc" : "asc";
      else { sortKey = k; sortDir = "asc"; }
      resort();
    });
  });
  table.querySelector("caption").textContent = "Models (filtered and sorted by the controls above); prices in USD per 1M tokens; In\u2192out: T text, I image, F file, A audio, V video";
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
  sortKey = ""; resort();
}

function onSelect(e) {
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
}

function start(data) {
  prepare(data);
  setupSortButtons();
  tbody.replaceChildren();  // the server-rendered first rows give way to the scripted ones
  loadUrl();
  order = sortOrder(form.elements.rank.checked); markSort(); update(true);
  form.addEventListener("input", (e) => {
    if (e.target.name === "rank") { resort(); return; }
    update(true); saveUrl(e.target.name !== "q");
  });
  form.addEventListener("change", () => saveUrl(true));
  form.addEventListener("submit", (e) => e.preventDefault());
  form.addEventListener("reset", (e) => { e.preventDefault(); clearFilters(); });
  document.getElementById("clear-filters").addEventListener("click", () => { clearFilters(); form.elements.q.focus(); });
  unknownEl.querySelector("button").addEventListener("click", () => {
    form.elements.unknown.checked = !form.elements.unknown.checked;
    update(true); saveUrl(true);
  });
  moreBtn.addEventListener("click", () => { limit += PAGE; render(readForm()); });
  tbody.addEventListener("change", onSelect);
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
