"""One set of rules in two languages: static/cost.js (the site's estimator) and modelatlas.cost give
byte-identical results on the shared fixtures and on every record of the bundled snapshot.
The JS side runs under Node (no packages needed); under CI=true a missing node fails."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from modelatlas.bundled import data_folder
from modelatlas.render.templates import STATIC
from tests.cost.cases import CASES, CASES_PATH, RECORDS, price
from tests.node import run_module

# Reads {"records": [...], "runs": [[record id, usage, options], ...]} from a file; prints one result per run.
NODE_SCRIPT = """
import { readFileSync } from "node:fs";
import { priceRecord, priceBook, CostError } from %s;
const input = JSON.parse(readFileSync(process.argv[1], "utf8"));
const records = new Map(input.records.map((r) => [r.id, r]));
const books = new Map();
const out = input.runs.map(([id, usage, options]) => {
  try {
    if (!books.has(id)) books.set(id, priceBook(records.get(id)));
    return priceRecord(records.get(id), usage, { region: options.region ?? null, tier: options.tier ?? null,
                                                  cacheTtl: options.cache_ttl ?? null, book: books.get(id) });
  } catch (error) {
    if (error instanceof CostError) return { error: error.kind };
    throw error;
  }
});
process.stdout.write(JSON.stringify(out));
"""


def run_js(records: list[dict[str, Any]], runs: list[list[Any]], folder: Path) -> list[dict[str, Any]]:
    request = folder / "runs.json"
    request.write_text(json.dumps({"records": records, "runs": runs}), encoding="utf-8")
    script = NODE_SCRIPT % json.dumps((STATIC / "cost.js").resolve().as_uri())
    return run_module("static/cost.js", script, str(request))


def test_js_gives_the_same_results_as_python_on_the_shared_fixtures(tmp_path: Path) -> None:
    runs = [[case["model"], case["usage"], case.get("options", {})] for case in CASES]
    js = run_js(list(RECORDS.values()), runs, tmp_path)
    python = [price(RECORDS[model], usage, options) for model, usage, options in runs]
    for case, js_result, py_result in zip(CASES, js, python, strict=True):
        assert json.dumps(js_result, sort_keys=True) == json.dumps(py_result, sort_keys=True), case["name"]
        assert js_result.get("total", js_result.get("error")) == case.get("total", case.get("error"))
    assert CASES_PATH.is_file()


USAGES = [
    ({"input_tokens": 12000, "cache_read_tokens": 5000, "output_tokens": 800}, {}),
    ({"input_tokens": 12000, "cache_read_tokens": 5000, "output_tokens": 800}, {"tier": "batch"}),
    ({"input_tokens": 250000, "cache_write_tokens": 1000, "output_tokens": 1000}, {"cache_ttl": "1h"}),
    ({"input_tokens": 3, "output_tokens": 7, "reasoning_tokens": 5}, {"region": "eu"}),
]


def test_js_and_python_agree_on_every_record_of_the_snapshot(tmp_path: Path) -> None:
    records = []
    for path in sorted(data_folder().glob("*.json")):
        records += json.loads(path.read_text(encoding="utf-8"))["models"]
    runs = [[record["id"], usage, options] for record in records for usage, options in USAGES]
    by_id = {record["id"]: record for record in records}
    js = run_js(records, runs, tmp_path)
    python = [price(by_id[model], usage, options) for model, usage, options in runs]
    assert len(js) == len(python) == 4 * len(records) > 8000
    mismatches = [run for run, a, b in zip(runs, js, python, strict=True) if a != b]
    assert mismatches == []
    assert sum("total" in result for result in python) > 1000  # not only errors
