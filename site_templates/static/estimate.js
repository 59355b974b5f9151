// Model page: the cost of a request. Reads the record from its own JSON file
// (v1/model/<provider>/<file>.json), prices the form's usage with cost.js on every edit (in the
// input event's own task: the page is updated before the next frame) and shows the total, one line
// per component, and in plain words why a usage cannot be priced (never $0). A region with no
// price on this record is priced at its cross-region profile (Bedrock's eu., us., ...) when the
// provider has one, as the Python library does; that record is fetched once, when first asked.
import { CostError, priceBook, priceRecord, sheetsFor } from "./cost.js";
import { lineRows } from "./breakdown.js";
import { exactMoney, money } from "./format.js";
import { UsageForm, saveQuery } from "./usage-form.js";
import { reasonWords } from "./usage-rules.js";

const formEl = document.getElementById("usage");
const totalEl = document.getElementById("estimate-total");
const exactEl = document.getElementById("estimate-exact");
const labelEl = document.getElementById("estimate-label");
const noteEl = document.getElementById("estimate-note");
const table = document.getElementById("estimate-lines");
const loaded = new Map();  // JSON URL -> {record, book}, or a Promise while it loads

function load(url) {
  if (!loaded.has(url)) {
    loaded.set(url, fetch(url)
      .then((response) => (response.ok ? response.json() : Promise.reject(new Error("HTTP " + response.status))))
      .then((doc) => { const entry = { record: doc.data, book: priceBook(doc.data) }; loaded.set(url, entry); return entry; }));
  }
  return loaded.get(url);
}

function setText(el, text) { if (el.textContent !== text) el.textContent = text; }

function showTotal(label, text, exact, total) {
  setText(labelEl, label);
  setText(totalEl, text);
  setText(exactEl, exact);
  totalEl.dataset.total = total;
  totalEl.classList.toggle("unpriced", !total);
}

function showNote(parts) {
  setText(noteEl, parts.join(" "));
  noteEl.hidden = parts.length === 0;
}

function showError(text) {
  showTotal("Cannot be priced:", text, "", "");
  table.hidden = true;
  showNote([]);
}

function showCost(cost, usageForm, profile) {
  if (!cost.lines.length) { showError(usageForm.words.reasons.empty + "."); return; }  // nothing asked: no "$0"
  const exact = exactMoney(cost.total);
  showTotal("Cost of this request:", money(cost.total), exact === money(cost.total) ? "USD" : `exactly ${exact} USD`, cost.total);
  const rows = lineRows(cost, usageForm.words);
  const foot = document.createElement("tr");
  foot.className = "total";
  const head = document.createElement("th");
  head.scope = "row"; head.textContent = "Total";
  foot.appendChild(head);
  for (let k = 0; k < 5; k++) foot.appendChild(document.createElement("td"));
  foot.cells[3].className = "num";
  foot.cells[3].textContent = money(cost.total);
  foot.cells[3].title = "exactly " + exactMoney(cost.total);
  table.tBodies[0].replaceChildren(...rows, foot);
  table.hidden = rows.length === 0;
  const notes = [];
  if (profile) notes.push(`Priced at the ${profile} cross-region profile, ${cost.model}.`);
  if (cost.context_tier) notes.push(`The input is over ${cost.context_tier.toLocaleString("en-US")} tokens: every token of the request is priced at the long-context rate.`);
  if (cost.lines.some((line) => line.disputed)) notes.push("A price marked ? is disputed: the sources disagree (see All fields).");
  showNote(notes);
}

function start(base) {
  let usageForm;
  const update = () => {
    const state = usageForm.state();
    usageForm.markPreset(state);
    saveQuery(usageForm);
    if (state.problems.length) { showError("fix the count above"); return; }
    let target = base, region = state.region, profile = null;
    if (region && !sheetsFor(base.book, region, state.tier).length) {
      const option = Array.from(usageForm.select("region").options).find((o) => o.value === region);
      const url = option && option.dataset.profile;
      if (url) {
        const entry = load(url);
        if (entry instanceof Promise) {
          showTotal("Loading the " + region + " profile's prices…", "", "", "");
          entry.then(update, (error) => showError("cannot load the " + region + " profile's prices (" + error.message + ")"));
          return;
        }
        target = entry; profile = region; region = null;
      }
    }
    try {
      showCost(priceRecord(target.record, state.usage, { region, tier: state.tier, cacheTtl: state.cacheTtl, book: target.book }), usageForm, profile);
    } catch (error) {
      if (!(error instanceof CostError)) throw error;
      showError(reasonWords(error, usageForm.words, state.region, state.tier) + ".");
    }
  };
  usageForm = new UsageForm(formEl, update);
  if (!usageForm.load(new URLSearchParams(location.search))) {
    const preset = usageForm.defaultPreset();
    if (preset) usageForm.apply(preset);
  }
  update();
  document.documentElement.setAttribute("data-estimate-ready", "1");
}

if (formEl) {
  const entry = load(formEl.dataset.record);
  entry.then(start, (error) => showError("cannot load this model's prices (" + error.message + ")"));
}
