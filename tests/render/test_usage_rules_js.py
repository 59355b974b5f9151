"""The usage form's rules in two languages: which usage fields a record asks for and which presets
fit it (render/usage_form.py with modelatlas.cost, and static/cost.js with static/usage-rules.js,
which Compare uses), and why a usage cannot be priced, in the same plain words. Checked under Node
on every record of the bundled snapshot and of the site's market fixture."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from modelatlas.bundled import data_folder
from modelatlas.cost.components import usage_fields
from modelatlas.cost.errors import CostError
from modelatlas.cost.pricing import price_book_usage
from modelatlas.cost.sheet import price_book
from modelatlas.cost.usage import Usage
from modelatlas.render.templates import STATIC
from modelatlas.render.usage_form import REASONS, UsageForm, book_facts, reason, shown_fields
from tests.node import run_module
from tests.paths import FIXTURES

# Reads {"records", "presets", "words", "usages"} from a file; prints, per record, its fields, the
# fields shown, the presets that fit, and for each usage the total or the reason in words.
NODE_SCRIPT = """
import { readFileSync } from "node:fs";
import { priceBook, priceRecord, usageFields, CostError } from %s;
import { presetFits, reasonWords, shownFields } from %s;
const input = JSON.parse(readFileSync(process.argv[1], "utf8"));
const out = input.records.map((record) => {
  let book;
  try { book = priceBook(record); } catch (error) { return { error: error.kind }; }
  const fields = usageFields(book);
  const priced = input.usages.map((usage) => {
    try { return priceRecord(record, usage, { book }).total; }
    catch (error) { if (!(error instanceof CostError)) throw error; return reasonWords(error, input.words); }
  });
  return { fields, shown: [...shownFields(fields)].sort(),
           presets: input.presets.filter((p) => presetFits(p, fields, record)).map((p) => p.id), priced };
});
process.stdout.write(JSON.stringify(out));
"""
USAGES = [
    {"input_tokens": 2000, "output_tokens": 500},
    {"input_tokens": 250000, "cache_read_tokens": 1000, "output_tokens": 10},
    {"input_tokens": 1000},
    {"output_seconds": "60"},
]


def _records() -> list[dict[str, Any]]:
    records = []
    for folder in (data_folder(), FIXTURES / "site" / "market" / "providers"):
        for path in sorted(folder.glob("*.json")):
            records += json.loads(path.read_text(encoding="utf-8"))["models"]
    return records


def _presets() -> list[dict[str, Any]]:
    """The presets as the page gives them to the scripts (the form's data attributes)."""
    form = UsageForm("compare", frozenset(), frozenset(), False, (), None, (), ())
    return [
        {
            "id": p["id"],
            "usage": json.loads(p["usage"]),
            "tier": p["tier"] or None,
            "mode": p["mode"] or None,
            "notBilled": p["not_billed"] or None,
            "oneRequest": p["one_request"],
        }
        for p in form.preset_views
    ]


def _python(record: dict[str, Any]) -> dict[str, Any]:
    try:
        book = price_book(record)
    except CostError as error:
        return {"error": error.kind}
    fields = usage_fields(book)
    priced = []
    for usage in USAGES:
        try:
            priced.append(price_book_usage(book, Usage.from_mapping(usage)).total_string)
        except CostError as error:
            priced.append(reason(error))
    return {
        "fields": {name: state.value for name, state in fields.items()},
        "shown": sorted(shown_fields(fields)),
        "presets": [p.id for p in book_facts(book, record)[1]],
        "priced": priced,
    }


def test_fields_presets_and_reasons_agree_on_every_record(tmp_path: Path) -> None:
    records = _records()
    words = json.loads(UsageForm("model", frozenset(), frozenset(), False, (), None, (), ()).words)
    request = tmp_path / "rules.json"
    request.write_text(
        json.dumps({"records": records, "presets": _presets(), "words": words, "usages": USAGES}),
        encoding="utf-8",
    )
    script = NODE_SCRIPT % tuple(
        json.dumps((STATIC / name).resolve().as_uri()) for name in ("cost.js", "usage-rules.js")
    )
    js = run_module("static/usage-rules.js", script, str(request))
    python = [_python(record) for record in records]
    mismatches = [(r["id"], a, b) for r, a, b in zip(records, js, python, strict=True) if a != b]
    assert mismatches == []
    # Not only the easy cases: embeddings, audio, long-context tiers and every kind of reason occur.
    presets = {p for result in python for p in result.get("presets", [])}
    assert {"chat", "agent", "long-document", "embedding", "audio-out", "batch-classification"} <= presets
    said = " ".join(text for result in python for text in result.get("priced", []))
    for kind in ("unknown_price", "not_billed"):
        assert REASONS[kind].split("{")[0] in said
    # The market's Gemini 2.5 Pro (the last of that id) past its 200k tier:
    # 249,000 x $2.50/1M + 1,000 x $0.25/1M + 10 x $15/1M.
    gemini = python[len(records) - 1 - [r["id"] for r in records][::-1].index("gemini/gemini-2.5-pro")]
    assert gemini["priced"][1] == "0.6229"
