"""The quality page's long tables, written in Python: the same HTML the template's loops wrote
(the loops of ``site_templates/quality.html`` at commit 6b4c2c6, kept as the reference in
``tests/fixtures/template_loops/``), on rows with markup in every text, mixed-case sources, numbers, no
kept value, no siblings and no spread."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from modelatlas.render.quality_rows import conflict_rows, dispute_rows, shown_value
from modelatlas.render.templates import environment

LOOPS = Path(__file__).parents[1] / "fixtures" / "template_loops"  # the template's loops, as they were
HOSTILE = '<script>alert("x")</script> & \'q\''


def _template(name: str, rows: list[dict[str, Any]]) -> str:
    return environment().from_string((LOOPS / name).read_text()).render(rows=rows, shown_value=shown_value)


def test_dispute_rows_are_what_the_template_wrote() -> None:
    rows = [
        {"id": f"openai/{HOSTILE}", "field": "pricing.prompt",
         "values": {"models.dev": "0.000002", "LiteLLM": "0.000003", "b-source": "0"},
         "kept": "0.000002", "kept_source": "models.dev", "rules": ["batch-50pct", HOSTILE],
         "siblings": {"azure/gpt-4o": "0.0000025", "Azure/Gpt": "0.00001"}},
        {"id": "groq/llama", "field": "context_length", "values": {"portkey": 8192, "models.dev": 131072},
         "rules": [], "siblings": {}},
        {"id": "groq/other", "field": "description", "values": {"x": HOSTILE, "Y": "plain"}, "kept": HOSTILE,
         "rules": [], "siblings": {f"groq/{HOSTILE}": HOSTILE}},
    ]
    written = str(dispute_rows(rows))
    assert written == _template("disputes.html.j2", rows)
    assert "<script>" not in written and "none (no value can stand)" in written
    sources = written.split("</td>")[2]  # ordered ignoring case, as dictsort does
    assert sources.index("b-source") < sources.index("LiteLLM") < sources.index("models.dev")


def test_conflict_rows_are_what_the_template_wrote() -> None:
    rows = [
        {"id": "openai/gpt-4o", "field": "pricing.completion",
         "values": {"openrouter": "0.00001", "LiteLLM": "0.000015", "Zed": "0.00002"},
         "chosen": "openrouter", "spread": "0.3333"},
        {"id": f"mistral/{HOSTILE}", "field": "max_output_tokens", "values": {"a": 4096, "B": 8192},
         "chosen": "B", "spread": "0.5"},
        {"id": "cohere/embed", "field": "name", "values": {"x": "Embed", "y": HOSTILE}},
        {"id": "vertex/x", "field": "pricing.prompt", "values": {"x": "0.1", "y": "0.2"}, "spread": "1.0049"},
    ]
    written = str(conflict_rows(rows))
    assert written == _template("conflicts.html.j2", rows)
    assert "<script>" not in written and "<strong>" in written and "33.3%" in written and "100.5%" in written


def test_empty_tables_write_nothing() -> None:
    assert str(dispute_rows([])) == "" == str(conflict_rows([]))
