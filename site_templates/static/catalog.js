// The catalog page: search, facet filters, sorting and compare selection over site-index.json.
// Filter state lives in the URL query (shareable, survives reload). Only the visible rows are
// rendered (a window that grows with "Show more"); rows are built with DOM APIs and textContent,
// never from HTML strings, so upstream text cannot inject markup.
(function () {
  "use strict";
  var PAGE = 40;
  var NUMERIC = { c: 1, o: 1, pp: 1, pc: 1, cr: 1, cw: 1 };
  var root = document.querySelector("link[rel=stylesheet]").getAttribute("href").replace(/static\/site\.css$/, "");
  var form = document.getElementById("filters");
  var table = document.getElementById("catalog-table");
  var tbody = table.tBodies[0];
  var countEl = document.getElementById("result-count");
  var moreBtn = document.getElementById("show-more");
  var compareLink = document.getElementById("compare-link");
  var idx = null, n = 0, hay = [], ids = [], nums = {}, retiredCount = 0, candidates = 0;
  var order = [], sortKey = "", sortDir = "asc", limit = PAGE, shown = [];
  var selected = [];
  var urlTimer = 0;

  function money(v) {
    if (v === null) return "\u2013";
    if (v === "0") return "free";
    var parts = v.split(".");
    var frac = (parts[1] || "");
    while (frac.length < 2) frac += "0";
    return "$" + parts[0] + "." + frac;
  }
  // Number formatting by hand: toLocaleString builds a formatter per call and costs ~0.1 ms each.
  function thousands(v) {
    return v === null || v === undefined ? "\u2013" : String(v).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  }
  function modalities(mask, names) {
    var out = [];
    for (var b = 0; b < names.length; b++) if (mask & (1 << b)) out.push(names[b]);
    return out.length ? out.join(", ") : "\u2013";
  }

  function prepare(data) {
    idx = data; n = data.count;
    var r = data.rows;
    for (var i = 0; i < n; i++) {
      retiredCount += r.r[i];
      ids[i] = data.providers[r.p[i]] + "/" + r.u[i];
      hay[i] = (ids[i] + " " + (r.n[i] || "") + " " + (r.t[i] || "")).toLowerCase();
    }
    Object.keys(NUMERIC).forEach(function (k) {
      var col = r[k], arr = new Float64Array(n);
      for (var i = 0; i < n; i++) arr[i] = col[i] === null ? NaN : Number(col[i]);
      nums[k] = arr;
    });
  }

  function sortOrder() {
    var base = [];
    for (var i = 0; i < n; i++) base.push(i);
    if (!sortKey) return base;
    var r = idx.rows, dir = sortDir === "desc" ? -1 : 1, k = sortKey;
    var cmp;
    if (NUMERIC[k]) {
      var a = nums[k];
      cmp = function (x, y) {
        var ax = a[x], ay = a[y], nx = ax !== ax, ny = ay !== ay;
        if (nx || ny) return nx === ny ? x - y : (nx ? 1 : -1);  // unknown last either way
        return ax === ay ? x - y : (ax < ay ? -dir : dir);
      };
    } else {
      var text = k === "p" ? function (i) { return idx.providerNames[r.p[i]]; }
        : k === "n" ? function (i) { return (r.n[i] || r.u[i]).toLowerCase(); }
        : function (i) { return r.d[i] || ""; };
      var keys = base.map(text);
      cmp = function (x, y) {
        var ax = keys[x], ay = keys[y];
        if (!ax || !ay) return !ax === !ay ? x - y : (!ax ? 1 : -1);
        return ax === ay ? x - y : (ax < ay ? -dir : dir);
      };
    }
    return base.sort(cmp);
  }

  function readForm() {
    var fd = new FormData(form), s = {};
    ["q", "pmin", "pmax", "ctx"].forEach(function (k) { s[k] = (fd.get(k) || "").trim(); });
    ["provider", "in", "out", "cap", "retired"].forEach(function (k) { s[k] = fd.getAll(k); });
    return s;
  }

  function bits(values, names) {
    var m = 0;
    values.forEach(function (v) { var b = names.indexOf(v); if (b >= 0) m |= 1 << b; });
    return m;
  }

  function filter() {
    var s = readForm(), r = idx.rows;
    var terms = s.q.toLowerCase().split(/\s+/).filter(Boolean);
    var provs = s.provider.map(function (p) { return idx.providers.indexOf(p); });
    var provSet = provs.length ? new Set(provs) : null;
    var inMask = bits(s.in, idx.inputModalities), outMask = bits(s.out, idx.outputModalities);
    var capMask = bits(s.cap, idx.capabilities);
    var pmin = s.pmin === "" ? null : Number(s.pmin), pmax = s.pmax === "" ? null : Number(s.pmax);
    var ctx = s.ctx === "" ? 0 : Number(s.ctx);
    var pp = nums.pp, c = nums.c, out = [], hideRetired = !s.retired.length;
    candidates = hideRetired ? n - retiredCount : n;
    for (var j = 0; j < order.length; j++) {
      var i = order[j];
      if (hideRetired && r.r[i]) continue;  // past its retirement date: shown only on request
      if (provSet && !provSet.has(r.p[i])) continue;
      if (inMask && (r.mi[i] & inMask) !== inMask) continue;
      if (outMask && (r.mo[i] & outMask) !== outMask) continue;
      if (capMask && (r.k[i] & capMask) !== capMask) continue;
      if (ctx && !(c[i] >= ctx)) continue;
      if (pmin !== null && !(pp[i] >= pmin)) continue;
      if (pmax !== null && !(pp[i] <= pmax)) continue;
      var h = hay[i], ok = true;
      for (var t = 0; t < terms.length; t++) if (h.indexOf(terms[t]) < 0) { ok = false; break; }
      if (ok) out.push(i);
    }
    return out;
  }

  // Rows are pooled: each keystroke rewrites only the texts and links that changed, in <tr>s that
  // already exist, so the browser restyles and re-lays out as little as possible.
  var pool = [];

  function setText(node, value) { if (node.textContent !== value) node.textContent = value; }

  function makeRow() {
    var tr = document.createElement("tr"), parts = { tr: tr, cells: [] };
    var pick = document.createElement("td");
    pick.className = "pick";
    parts.box = document.createElement("input");
    parts.box.type = "checkbox";
    pick.appendChild(parts.box); tr.appendChild(pick);
    var name = document.createElement("td");
    name.className = "name";
    parts.link = document.createElement("a");
    parts.badge = document.createElement("span");
    parts.badge.className = "badge warn"; parts.badge.textContent = "removed"; parts.badge.hidden = true;
    parts.sub = document.createElement("div"); parts.sub.className = "sub";
    name.append(parts.link, " ", parts.badge, parts.sub); tr.appendChild(name);
    var prov = document.createElement("td");
    parts.provLink = document.createElement("a");
    prov.appendChild(parts.provLink); tr.appendChild(prov);
    ["num", "num", "", "", "num", "num", "num", "num", "num"].forEach(function (cls) {
      var td = document.createElement("td");
      if (cls) td.className = cls;
      tr.appendChild(td); parts.cells.push(td);
    });
    return parts;
  }

  function fillRow(parts, i) {
    var r = idx.rows, prov = idx.providers[r.p[i]];
    if (parts.index === i) { parts.box.checked = selected.indexOf(ids[i]) >= 0; return; }
    parts.index = i;
    parts.box.value = ids[i];
    parts.box.checked = selected.indexOf(ids[i]) >= 0;
    parts.box.setAttribute("aria-label", "Compare " + ids[i]);
    parts.link.href = root + "model/" + prov + "/" + (r.f[i] || r.u[i]) + ".html";
    setText(parts.link, r.n[i] || r.u[i]);
    parts.badge.hidden = !r.x[i];
    setText(parts.sub, ids[i]);
    parts.provLink.href = root + "providers/" + prov + ".html";
    setText(parts.provLink, idx.providerNames[r.p[i]]);
    var values = [thousands(r.c[i]), thousands(r.o[i]), modalities(r.mi[i], idx.inputModalities),
      modalities(r.mo[i], idx.outputModalities), money(r.pp[i]), money(r.pc[i]), money(r.cr[i]),
      money(r.cw[i]), r.d[i] || "\u2013"];
    for (var c = 0; c < values.length; c++) setText(parts.cells[c], values[c]);
  }

  function render() {
    var end = Math.min(limit, shown.length);
    if (tbody.firstElementChild && !tbody.firstElementChild.querySelector(".pick")) tbody.replaceChildren();
    for (var j = 0; j < end; j++) {
      if (!pool[j]) pool[j] = makeRow();
      fillRow(pool[j], shown[j]);
      if (pool[j].tr.parentNode !== tbody) tbody.appendChild(pool[j].tr);
    }
    while (tbody.children.length > end) tbody.removeChild(tbody.lastElementChild);
    countEl.textContent = (shown.length === candidates ? "All " : "") + thousands(shown.length) +
      " of " + thousands(candidates) + " models match" +
      (end < shown.length ? "; showing the first " + thousands(end) + "." : ".");
    moreBtn.hidden = end >= shown.length;
  }

  function update(resetLimit) {
    if (resetLimit) limit = PAGE;
    shown = filter();
    render();
  }

  function stateQuery() {
    var s = readForm(), q = new URLSearchParams();
    if (s.q) q.set("q", s.q);
    ["provider", "in", "out", "cap", "retired"].forEach(function (k) { if (s[k].length) q.set(k, s[k].join(",")); });
    ["pmin", "pmax", "ctx"].forEach(function (k) { if (s[k]) q.set(k, s[k]); });
    if (sortKey) { q.set("sort", sortKey); q.set("dir", sortDir); }
    var text = q.toString();
    return text ? "?" + text : location.pathname;
  }

  function saveUrl(now) {
    clearTimeout(urlTimer);
    var write = function () { history.replaceState(null, "", stateQuery()); };
    if (now) write(); else urlTimer = setTimeout(write, 250);
  }

  function loadUrl() {
    var q = new URLSearchParams(location.search);
    form.elements.q.value = q.get("q") || "";
    ["provider", "in", "out", "cap", "retired"].forEach(function (k) {
      var want = (q.get(k) || "").split(",").filter(Boolean);
      form.querySelectorAll("input[name=" + k + "]").forEach(function (el) { el.checked = want.indexOf(el.value) >= 0; });
    });
    ["pmin", "pmax", "ctx"].forEach(function (k) { form.elements[k].value = q.get(k) || ""; });
    var sk = q.get("sort");
    sortKey = sk && table.querySelector("th[data-sort='" + sk + "']") ? sk : "";
    sortDir = q.get("dir") === "desc" ? "desc" : "asc";
  }

  function markSort() {
    table.querySelectorAll("th[data-sort]").forEach(function (th) {
      var on = th.getAttribute("data-sort") === sortKey;
      th.setAttribute("aria-sort", on ? (sortDir === "asc" ? "ascending" : "descending") : "none");
    });
  }

  function setupSortButtons() {
    var headRow = table.tHead.rows[0];
    var pickTh = document.createElement("th");
    pickTh.scope = "col"; pickTh.className = "pick"; pickTh.innerHTML = '<span class="visually-hidden">Compare</span>';
    headRow.insertBefore(pickTh, headRow.firstChild);
    table.querySelectorAll("th[data-sort]").forEach(function (th) {
      var btn = document.createElement("button");
      btn.type = "button"; btn.className = "sort";
      btn.textContent = th.textContent;
      th.textContent = ""; th.appendChild(btn);
      btn.addEventListener("click", function () {
        var k = th.getAttribute("data-sort");
        if (sortKey === k) sortDir = sortDir === "asc" ? "desc" : "asc";
        else { sortKey = k; sortDir = "asc"; }
        order = sortOrder(); markSort(); update(true); saveUrl(true);
      });
    });
    table.querySelector("caption").textContent = "Models (filtered and sorted by the controls above)";
  }

  function updateCompareLink() {
    compareLink.textContent = "Compare selected (" + selected.length + ")";
    var q = new URLSearchParams();
    selected.forEach(function (id) { q.append("m", id); });
    compareLink.href = root + "compare.html" + (selected.length ? "?" + q.toString() : "");
    compareLink.setAttribute("aria-disabled", selected.length >= 2 ? "false" : "true");
  }

  function start(data) {
    prepare(data);
    setupSortButtons();
    loadUrl();
    order = sortOrder(); markSort(); update(true);
    var s0 = readForm();
    var panel = document.getElementById("facet-panel");
    panel.open = window.matchMedia("(min-width: 700px)").matches || !!(s0.provider.length || s0.in.length ||
      s0.out.length || s0.cap.length || s0.pmin || s0.pmax || s0.ctx);
    form.addEventListener("input", function (e) { update(true); saveUrl(e.target.name !== "q"); });
    form.addEventListener("change", function () { saveUrl(true); });
    form.addEventListener("submit", function (e) { e.preventDefault(); });
    form.addEventListener("reset", function () {
      setTimeout(function () { sortKey = ""; order = sortOrder(); markSort(); update(true); saveUrl(true); }, 0);
    });
    moreBtn.addEventListener("click", function () { limit += PAGE; render(); });
    tbody.addEventListener("change", function (e) {
      var el = e.target;
      if (el.type !== "checkbox") return;
      var at = selected.indexOf(el.value);
      if (el.checked && at < 0) {
        if (selected.length >= 4) { el.checked = false; countEl.textContent = "At most 4 models can be compared."; return; }
        selected.push(el.value);
      } else if (!el.checked && at >= 0) selected.splice(at, 1);
      updateCompareLink();
    });
    document.addEventListener("keydown", function (e) {
      var t = e.target.tagName;
      if (e.key === "/" && t !== "INPUT" && t !== "SELECT" && t !== "TEXTAREA") { e.preventDefault(); form.elements.q.focus(); }
    });
    updateCompareLink();
    document.documentElement.setAttribute("data-catalog-ready", "1");
  }

  fetch(root + "site-index.json").then(function (r) {
    if (!r.ok) throw new Error("site-index.json: HTTP " + r.status);
    return r.json();
  }).then(start, function (err) {
    countEl.textContent = "Search is unavailable (" + err.message + "); the first rows are shown below.";
  });
})();
