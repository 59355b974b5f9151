"""The providers' deprecation tables (data/lifecycle/): the file rules, how a row's dates reach the
records it names, and, over the committed snapshot, that no model past its shutdown is current."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from modelatlas.datastore import read_provider
from modelatlas.errors import InputError
from modelatlas.fetch.id_rules import spelling_key
from modelatlas.fetch.lifecycle_tables import apply_table, load_table, table_path
from modelatlas.ids import provider_ids
from tests.fetch.records import rec
from tests.paths import REPO

DATA = REPO / "data"
HIDDEN = {"retired", "removed", "unverified"}


def write(tmp_path: Path, provider: str, text: str) -> None:
    table_path(tmp_path, provider).parent.mkdir(exist_ok=True)
    table_path(tmp_path, provider).write_text(text)


def test_rows_become_retirement_and_deprecation_dates(tmp_path: Path) -> None:
    write(tmp_path, "vertex", """
page: https://cloud.example/model-versions
shutdown_is_last_day_on: [https://cloud.example/model-versions]
models:
- model: gemini-1.5-pro-002
  shutdown: 2025-09-24
  quote: "| gemini-1.5-pro-002 | ... | September 24, 2025 |"
- model: claude-3-5-sonnet-v2@20241022
  deprecated: 2025-08-20
  shutdown: 2026-02-19
  quote: will be shut down on February 19, 2026
  url: https://cloud.example/partner-models
""")
    rows = load_table(tmp_path, "vertex")
    # the model-versions page gives the last day a model is available; the partner page the shutdown day
    assert [(r.model, r.deprecated, r.retired) for r in rows] == [
        ("gemini-1.5-pro-002", None, "2025-09-25"),
        ("claude-3-5-sonnet-v2@20241022", "2025-08-20", "2026-02-19"),
    ]
    records = [rec("vertex", "gemini-1.5-pro-002"), rec("vertex", "claude-3-5-sonnet-v2-20241022")]
    assert apply_table("vertex", records, rows) == {"gemini-1.5-pro-002", "claude-3-5-sonnet-v2@20241022"}
    lifecycle = records[1]["modelatlas"]["lifecycle"]
    assert lifecycle == {"deprecation_date": "2025-08-20", "retirement_date": "2026-02-19"}
    assert records[1]["modelatlas"]["provenance"]["modelatlas.lifecycle.retirement_date"] == "curated"


def test_azure_versions_bedrock_regions_and_profiles(tmp_path: Path) -> None:
    write(tmp_path, "azure", """
page: https://learn.example/retirements
models:
- model: gpt-35-turbo
  version: '0301'
  shutdown: 2025-02-13
  quote: "| gpt-35-turbo - 0301 | | February 13, 2025 |"
""")
    write(tmp_path, "bedrock", """
page: https://docs.example/model-lifecycle
models:
- model: anthropic.claude-3-5-sonnet-20240620-v1:0
  deprecated: 2025-08-25
  shutdown: 2026-06-01
  shutdown_last_region: 2026-07-30
  quote: "... EOL date: June 1, 2026 (us-east-1) ... July 30, 2026 (ap-northeast-1)"
""")
    azure = [rec("azure", "gpt-35-turbo-0301"), rec("azure", "gpt-35-turbo")]
    apply_table("azure", azure, load_table(tmp_path, "azure"))
    assert azure[0]["modelatlas"]["lifecycle"]["retirement_date"] == "2025-02-13"
    assert "lifecycle" not in azure[1]["modelatlas"]  # another version: its own row or none
    bedrock = [rec("bedrock", "anthropic.claude-3-5-sonnet-20240620-v1:0"),
               rec("bedrock", "apac.anthropic.claude-3-5-sonnet-20240620-v1:0")]
    apply_table("bedrock", bedrock, load_table(tmp_path, "bedrock"))
    # retired once its last region stops; the geographic profiles route to it and stop with it
    assert {r["modelatlas"]["lifecycle"]["retirement_date"] for r in bedrock} == {"2026-07-30"}


def test_a_row_for_the_record_itself_beats_a_row_for_one_of_its_aliases(tmp_path: Path) -> None:
    write(tmp_path, "anthropic", """
page: https://platform.example/model-deprecations
models:
- model: claude-3-7-sonnet-20250219
  shutdown: 2026-02-19
  quote: "| February 19, 2026 | claude-3-7-sonnet-20250219 |"
- {model: claude-3-7-sonnet-latest, shutdown: 2026-01-01, quote: "alias row"}
""")
    record = rec("anthropic", "claude-3-7-sonnet-20250219", modelatlas__aliases=["claude-3-7-sonnet-latest"])
    apply_table("anthropic", [record], load_table(tmp_path, "anthropic"))
    assert record["modelatlas"]["lifecycle"]["retirement_date"] == "2026-02-19"


def test_an_endpoint_the_provider_ends_retires_the_models_only_it_served(tmp_path: Path) -> None:
    write(tmp_path, "perplexity", """
page: https://docs.example/overview
models:
- endpoint: '[^/]+'
  mode: chat
  shutdown: 2026-09-27
  quote: Sonar Chat Completions will be supported until September 27, 2026.
- {model: pplx-70b-chat, shutdown: 2024-05-14, quote: "pplx-70b-chat ... May 14"}
""")
    records = [
        rec("perplexity", "llama-2-70b-chat", modelatlas__mode="chat"),
        rec("perplexity", "pplx-70b-chat", modelatlas__mode="chat"),
        rec("perplexity", "pplx-embed-v1-4b", modelatlas__mode="embedding"),  # its own endpoint
        rec("perplexity", "xai/grok-4.5", modelatlas__mode="chat"),  # the Agent API's <vendor>/<model>
    ]
    used = apply_table("perplexity", records, load_table(tmp_path, "perplexity"))
    assert used == {"[^/]+", "pplx-70b-chat"}
    dates = [r["modelatlas"].get("lifecycle", {}).get("retirement_date") for r in records]
    assert dates == ["2026-09-27", "2024-05-14", None, None]  # a row naming the model wins


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("models: []", "'page' must be the https:// URL"),
        ("page: https://x.example\nmodels: [{model: a, quote: q}]", "give 'deprecated' or 'shutdown'"),
        ("page: https://x.example\nmodels: [{model: a, shutdown: soon, quote: q}]", "must be a date"),
        ("page: https://x.example\nmodels: [{model: a, shutdown: 2025-01-01}]", "'quote'"),
        ("page: https://x.example\nmodels: [{model: a, shutdown: 2025-01-01, quote: q, url: x}]", "'url'"),
        ("page: [", "cannot read it as YAML"),
        ("page: https://x.example\nmodels: [{endpoint: '[a', mode: chat, shutdown: 2025-01-01, quote: q}]",
         "'endpoint' must be a regex"),
        ("page: https://x.example\nmodels: [{endpoint: '.+', shutdown: 2025-01-01, quote: q}]",
         "needs 'mode'"),
    ],
)
def test_a_bad_table_names_the_file_and_row(tmp_path: Path, text: str, message: str) -> None:
    write(tmp_path, "groq", text)
    with pytest.raises(InputError, match=message):
        load_table(tmp_path, "groq")


def _names(record: dict) -> set[str]:
    extension = record["modelatlas"]
    spellings = [extension["upstream_id"], *extension.get("aliases", [])]
    names = {spelling_key(s.replace("@", "-")) for s in spellings}
    geo = {"us", "eu", "apac", "global", "jp", "au", "ca", "in", "us-gov"}
    return names | {name.split(".", 1)[1] for name in names if name.split(".", 1)[0] in geo}


def _mode(record: dict) -> object:
    return record["modelatlas"].get("mode")


TABLES = [p for p in provider_ids() if (DATA / "lifecycle" / f"{p}.yaml").is_file()]


@pytest.mark.parametrize("provider", TABLES)
def test_no_model_past_its_shutdown_on_the_providers_page_is_shown_current(provider: str) -> None:
    doc = read_provider(DATA, provider)
    assert doc is not None
    snapshot = date.fromisoformat(doc["status"]["last_refresh"][:10])
    by_name: dict[str, list[dict]] = {}
    for record in doc["models"]:
        for name in _names(record):
            by_name.setdefault(name, []).append(record)
    live = []
    for row in load_table(DATA, provider):
        if row.retired is None or date.fromisoformat(row.retired) > snapshot:
            continue
        if row.mode is not None:  # an endpoint row: the records it serves, by its own rule
            named = [r for r in doc["models"] if row.serves(r["modelatlas"]["upstream_id"], _mode(r))]
        else:
            named = by_name.get(spelling_key(row.model.replace("@", "-")), [])
        for record in named:
            if record["modelatlas"].get("lifecycle", {}).get("status") not in HIDDEN:
                live.append((row.model, record["id"]))
    assert live == []


def test_every_table_loads_and_every_row_quotes_its_page() -> None:
    files = sorted((DATA / "lifecycle").glob("*.yaml"))
    published = "anthropic azure bedrock cohere gemini groq mistral ollama openai perplexity vertex"
    assert {f.stem for f in files} == set(published.split())
    for file in files:
        rows = load_table(DATA, file.stem)
        # every row of the file is loaded (none dropped or merged), each with its page and words
        text = file.read_text(encoding="utf-8")
        assert len(rows) == text.count("\n- model:") + text.count("\n- endpoint:"), file.name
        assert all(row.url.startswith("https://") and row.quote.strip() for row in rows), file.name
