// Compare 2–4 models side by side. The models are named in the URL (?m=<id>&m=<id>), so a
// comparison can be shared; their values come from site-index.json. Text goes in via textContent.
(function () {
  "use strict";
  var MAX = 4;
  var root = document.querySelector("link[rel=stylesheet]").getAttribute("href").replace(/static\/site\.css$/, "");
  var table = document.getElementById("compare-table");
  var statusEl = document.getElementById("compare-status");
  var form = document.getElementById("compare-add");
  var input = document.getElementById("compare-q");
  var list = document.getElementById("compare-suggestions");
  var idx, ids = [], byId = new Map(), chosen = [];

  function money(v) {
    if (v === null) return "\u2013";
    if (v === "0") return "free";
    var parts = v.split("."), frac = parts[1] || "";
    while (frac.length < 2) frac += "0";
    return "$" + parts[0] + "." + frac + " per 1M";
  }
  function thousands(v) { return v === null ? "\u2013" : v.toLocaleString("en-US"); }
  function names(mask, all) {
    var out = all.filter(function (_, b) { return mask & (1 << b); });
    return out.length ? out.join(", ") : "\u2013";
  }
  var FIELDS = [
    ["Provider", function (i, r) { return idx.providerNames[r.p[i]]; }],
    ["Id", function (i) { return ids[i]; }],
    ["Context", function (i, r) { return thousands(r.c[i]); }],
    ["Max output", function (i, r) { return thousands(r.o[i]); }],
    ["Input", function (i, r) { return names(r.mi[i], idx.inputModalities); }],
    ["Output", function (i, r) { return names(r.mo[i], idx.outputModalities); }],
    ["Prompt", function (i, r) { return money(r.pp[i]); }],
    ["Completion", function (i, r) { return money(r.pc[i]); }],
    ["Cache read", function (i, r) { return money(r.cr[i]); }],
    ["Cache write", function (i, r) { return money(r.cw[i]); }],
    ["Released / created", function (i, r) { return r.d[i] || "\u2013"; }],
    ["Capabilities", function (i, r) { return names(r.k[i], idx.capabilities); }],
    ["Owner and summary", function (i, r) { return r.t[i] || "\u2013"; }]
  ];

  function saveUrl() {
    var q = new URLSearchParams();
    chosen.forEach(function (i) { q.append("m", ids[i]); });
    history.replaceState(null, "", chosen.length ? "?" + q.toString() : location.pathname);
  }

  function render() {
    var r = idx.rows, head = table.tHead.rows[0], body = table.tBodies[0];
    while (head.cells.length > 1) head.deleteCell(1);
    chosen.forEach(function (i) {
      var th = document.createElement("th");
      th.scope = "col";
      var a = document.createElement("a");
      a.href = root + "model/" + idx.providers[r.p[i]] + "/" + (r.f[i] || r.u[i]) + ".html";
      a.textContent = r.n[i] || r.u[i];
      var rm = document.createElement("button");
      rm.type = "button"; rm.className = "remove"; rm.textContent = "Remove";
      rm.setAttribute("aria-label", "Remove " + ids[i]);
      rm.addEventListener("click", function () { chosen.splice(chosen.indexOf(i), 1); saveUrl(); render(); });
      th.append(a, " ", rm);
      head.appendChild(th);
    });
    var frag = document.createDocumentFragment();
    FIELDS.forEach(function (f) {
      var tr = document.createElement("tr"), th = document.createElement("th");
      th.scope = "row"; th.textContent = f[0]; tr.appendChild(th);
      chosen.forEach(function (i) { var td = document.createElement("td"); td.textContent = f[1](i, r); tr.appendChild(td); });
      frag.appendChild(tr);
    });
    body.replaceChildren(frag);
    table.hidden = chosen.length === 0;
    statusEl.textContent = chosen.length < 2 ? "Pick " + (2 - chosen.length) + " more model" + (chosen.length ? "" : "s") +
      " to compare (up to " + MAX + ")." : "Comparing " + chosen.length + " models.";
  }

  function add(id) {
    var i = byId.get(id);
    if (i === undefined) { statusEl.textContent = "No model with id \u201c" + id + "\u201d."; return false; }
    if (chosen.indexOf(i) >= 0) return true;
    if (chosen.length >= MAX) { statusEl.textContent = "At most " + MAX + " models can be compared."; return false; }
    chosen.push(i);
    return true;
  }

  function suggest() {
    var term = input.value.trim().toLowerCase(), r = idx.rows, opts = document.createDocumentFragment(), found = 0;
    if (term.length < 2) { list.replaceChildren(); return; }
    for (var i = 0; i < ids.length && found < 20; i++) {
      if (ids[i].toLowerCase().indexOf(term) >= 0 || String(r.n[i] || "").toLowerCase().indexOf(term) >= 0) {
        var o = document.createElement("option"); o.value = ids[i]; o.label = r.n[i] || r.u[i];
        opts.appendChild(o); found++;
      }
    }
    list.replaceChildren(opts);
  }

  fetch(root + "site-index.json").then(function (resp) {
    if (!resp.ok) throw new Error("site-index.json: HTTP " + resp.status);
    return resp.json();
  }).then(function (data) {
    idx = data;
    for (var i = 0; i < data.count; i++) { ids[i] = data.providers[data.rows.p[i]] + "/" + data.rows.u[i]; byId.set(ids[i], i); }
    new URLSearchParams(location.search).getAll("m").slice(0, MAX).forEach(add);
    render();
    var bad = new URLSearchParams(location.search).getAll("m").filter(function (m) { return !byId.has(m); });
    if (bad.length) statusEl.textContent += " Not found: " + bad.join(", ") + ".";
    input.addEventListener("input", suggest);
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      if (add(input.value.trim())) { input.value = ""; saveUrl(); render(); }
    });
    document.documentElement.setAttribute("data-compare-ready", "1");
  }, function (err) { statusEl.textContent = "Cannot load the model index (" + err.message + ")."; });
})();
