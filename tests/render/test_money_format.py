"""One money format for the whole site: the Python build (``price_view.money``) and the pages'
scripts (``static/format.js``) turn the same inputs into the same strings, listed once in
tests/fixtures/money_format.json. The JS side runs under Node (no packages needed)."""

from __future__ import annotations

import json

import pytest

from modelatlas.jsonio import load_path
from modelatlas.render.price_view import money
from modelatlas.render.templates import STATIC
from tests.node import run_module
from tests.paths import FIXTURES

CASES = load_path(FIXTURES / "money_format.json")["cases"]

# Imports the site's module by file URL and prints money() of every input, as JSON.
NODE_SCRIPT = """
import { money } from %s;
const inputs = JSON.parse(process.argv[1]);
process.stdout.write(JSON.stringify(inputs.map(money)));
"""


@pytest.mark.parametrize("case", CASES, ids=lambda c: repr(c["input"]))
def test_python_money_matches_fixture(case: dict) -> None:
    assert money(case["input"]) == case["output"]


def test_js_money_matches_fixture() -> None:
    module = (STATIC / "format.js").resolve().as_uri()
    script = NODE_SCRIPT % json.dumps(module)
    inputs = [case["input"] for case in CASES]
    outputs = run_module("static/format.js", script, json.dumps(inputs), timeout=30)
    assert outputs == [case["output"] for case in CASES]


def test_site_scripts_share_the_one_money_function() -> None:
    """No page script defines its own money formatting; they import format.js."""
    for name in ("catalog.js", "compare.js"):
        source = (STATIC / name).read_text(encoding="utf-8")
        assert "function money" not in source and 'from "./format.js"' in source, name
