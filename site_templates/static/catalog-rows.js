// The catalog table's rows: a pool of <tr>s made once and refilled per keystroke (texts and links
// change, rows are not re-created). Columns: compare box, model (badges, name, and on a phone the
// provider and id beneath), provider, prompt, completion, cache read, cache write, context, max
// output, modalities, date, id. Upstream text goes in via textContent only.
import { fillPrice, fillValue, makeValue } from "./cells.js";
import { modelUrl, money, providerUrl, thousands } from "./format.js";

// One letter per modality in the compact "in → out" column; the full words are in its hidden text.
const LETTER = { text: "T", image: "I", file: "F", audio: "A", video: "V" };
const PRICES = ["pp", "pc", "cr", "cw"];

function modalityTexts(mask, names) {
  const words = [], letters = [];
  for (let b = 0; b < names.length; b++) {
    if (mask & (1 << b)) { words.push(names[b]); letters.push(LETTER[names[b]] || names[b][0].toUpperCase()); }
  }
  return [words.length ? words.join(", ") : "unknown", letters.join("") || "\u2013"];
}

// The modality texts of every row, computed once per distinct pair of masks.
export function modalityColumns(idx) {
  const r = idx.rows, seen = new Map(), text = [], short = [];
  for (let i = 0; i < idx.count; i++) {
    const key = r.mi[i] * 64 + r.mo[i];
    let texts = seen.get(key);
    if (!texts) {
      const input = modalityTexts(r.mi[i], idx.inputModalities), output = modalityTexts(r.mo[i], idx.outputModalities);
      const unknown = !r.mi[i] && !r.mo[i];
      texts = ["Input: " + input[0] + "; output: " + output[0], unknown ? "\u2013" : input[1] + "\u2192" + output[1]];
      seen.set(key, texts);
    }
    text[i] = texts[0]; short[i] = texts[1];
  }
  return { text, short };
}

function cell(tr, className) {
  const td = document.createElement("td");
  if (className) td.className = className;
  tr.appendChild(td);
  return td;
}

function badge(className) {
  const span = document.createElement("span");
  span.className = "badge " + className; span.hidden = true;
  return span;
}

// The tooltip note of a prompt price with a long-context tier.
function longContext(r, i) {
  if (r.lt[i] === null) return "";
  return "up to " + thousands(r.lt[i]) + " input tokens; above that " + (r.lp[i] === null ? "unknown" : money(r.lp[i]));
}

function setText(node, value) { if (node.textContent !== value) node.textContent = value; }

export function makeRow() {
  const tr = document.createElement("tr"), parts = { tr, prices: [], values: [] };
  parts.box = document.createElement("input");
  parts.box.type = "checkbox";
  cell(tr, "pick").appendChild(parts.box);
  const name = cell(tr, "name");
  parts.listing = badge("warn");
  parts.offering = badge("note");
  parts.link = document.createElement("a");
  parts.sub = document.createElement("span");
  parts.sub.className = "sub";
  name.append(parts.listing, parts.offering, parts.link, parts.sub);
  parts.provLink = document.createElement("a");
  cell(tr, "prov").appendChild(parts.provLink);
  for (let c = 0; c < PRICES.length; c++) parts.prices.push(makeValue(cell(tr, "num price")));
  parts.values.push(makeValue(cell(tr, "num")), makeValue(cell(tr, "num")));
  const mods = cell(tr, "mods");
  parts.modShort = document.createElement("span");  // the letters, announced as the words
  parts.modShort.setAttribute("role", "img");
  mods.appendChild(parts.modShort);
  parts.mods = mods;
  parts.values.push(makeValue(cell(tr, "num")));
  parts.id = document.createElement("span");
  parts.id.className = "mid";
  cell(tr, "id").appendChild(parts.id);
  return parts;
}

// Fill a pooled row with row i of the index (``view`` holds the per-row texts made at load).
export function fillRow(parts, i, view) {
  const { idx, ids, root, modal, selected } = view;
  parts.box.checked = selected.indexOf(ids[i]) >= 0;
  if (parts.index === i) return;
  const r = idx.rows, prov = idx.providers[r.p[i]];
  parts.index = i;
  parts.box.value = ids[i];
  parts.box.setAttribute("aria-label", "Compare " + ids[i]);
  parts.link.href = modelUrl(root, prov, r.f[i] || r.u[i]);
  setText(parts.link, r.n[i] || r.u[i]);
  setText(parts.sub, idx.providerNames[r.p[i]] + " \u00b7 " + r.u[i]);
  const listing = idx.listings[r.s[i]] || "", offering = idx.offerings[r.of[i]] || "";
  parts.listing.hidden = !listing; setText(parts.listing, listing);
  parts.offering.hidden = !offering; setText(parts.offering, offering);
  parts.provLink.href = providerUrl(root, prov);
  setText(parts.provLink, idx.providerNames[r.p[i]]);
  for (let c = 0; c < PRICES.length; c++) {
    fillPrice(parts.prices[c], r[PRICES[c]][i], (r.nb[i] >> c) & 1, (r.dp[i] >> c) & 1, c === 0 ? longContext(r, i) : "");
  }
  fillValue(parts.values[0], r.c[i] === null ? null : thousands(r.c[i]));
  fillValue(parts.values[1], r.o[i] === null ? null : thousands(r.o[i]));
  fillValue(parts.values[2], r.d[i]);
  setText(parts.modShort, modal.short[i]);
  parts.modShort.setAttribute("aria-label", modal.text[i]);
  parts.mods.title = modal.text[i];
  setText(parts.id, ids[i]);
  parts.id.title = ids[i];
}

export function makeHead(columns) {
  const tr = document.createElement("tr"), th = document.createElement("th");
  tr.className = "group"; tr.hidden = true;
  th.colSpan = columns;
  const link = document.createElement("a"), label = document.createElement("span"), info = document.createElement("span");
  info.className = "muted";
  const pinned = document.createElement("span");  // stays in view while the table scrolls sideways
  pinned.className = "group-label";
  pinned.append(link, label, " ", info); th.appendChild(pinned); tr.appendChild(th);
  return { tr, link, label, info };
}

export function fillHead(parts, group, idx, root) {
  const count = group.size;
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
