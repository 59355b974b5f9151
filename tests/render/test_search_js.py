"""The site's search (static/search.js) under Node: versions and separators are read alike, other
versions do not match, and exact, canonical, name and description matches rank in that order.
Cases: tests/fixtures/search/names.json."""

from __future__ import annotations

import json

from modelatlas.jsonio import load_path
from modelatlas.render.templates import STATIC
from tests.node import run_module
from tests.paths import FIXTURES

CASES = load_path(FIXTURES / "search" / "names.json")

# Builds a site-index.json-shaped index from the fixture's models and prints each case's tiers.
NODE_SCRIPT = """
import { Search, normalise } from %s;
const { models, cases } = JSON.parse(process.argv[1]);
const canonical = [...new Set(models.map((m) => m.canonical).filter(Boolean))];
const idx = {
  count: models.length, canonicalModels: canonical.map((name) => ({ name, slug: "x/" + name })),
  rows: {
    n: models.map((m) => m.name || 0), u: models.map((m) => m.id.split("/").slice(1).join("/")),
    a: models.map((m) => m.aliases || 0), t: models.map((m) => m.description || 0),
    cm: models.map((m) => (m.canonical ? canonical.indexOf(m.canonical) : null)),
  },
};
const search = new Search(idx, models.map((m) => m.id));
const out = cases.map((c) => { search.query(c.query); return Object.fromEntries(Object.keys(c.tiers).map(
  (id) => [id, search.tier(models.findIndex((m) => m.id === id))])); });
const normal = ["Llama3.3-70B", "claude_3_7", "o3-mini", "gpt4o"].map(normalise);
process.stdout.write(JSON.stringify({ tiers: out, normal }));
"""


def run() -> dict:
    module = (STATIC / "search.js").resolve().as_uri()
    return run_module("static/search.js", NODE_SCRIPT % json.dumps(module), json.dumps(CASES), timeout=30)


def test_names_normalise_alike() -> None:
    assert run()["normal"] == ["llama 3 3 70b", "claude 3 7", "o3 mini", "gpt 4o"]


def test_each_query_matches_at_its_tier() -> None:
    got = run()["tiers"]
    for case, tiers in zip(CASES["cases"], got, strict=True):
        assert tiers == case["tiers"], case["query"]
