"""Refreshing provider documents: status block, removed models, uncovered providers, and the
committed snapshot reproduced byte for byte from ../shared/reference."""

from __future__ import annotations

import io
import json
import os
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from modelatlas.cli import cli
from modelatlas.config import Settings
from modelatlas.datastore import read_provider
from modelatlas.fetch.catalogs import CatalogLoad
from modelatlas.fetch.outcome import FetchState
from modelatlas.fetch.progress import Progress
from modelatlas.fetch.refresh import REMOVED_RETENTION_DAYS, refresh_provider, validate_doc
from modelatlas.fetch.run import run_fetch
from modelatlas.ids import provider_ids
from modelatlas.schema import iter_violations
from tests.fetch.records import rec
from tests.paths import REFERENCE, REFERENCE_CATALOGS, REPO
from tests.provider_files import write_provider

NOW = datetime(2026, 11, 27, 3, 17, 5, tzinfo=UTC)


def catalogs(*records: tuple[str, dict]) -> dict:
    result: dict = {"models.dev": {}, "litellm": {}, "openrouter": {}}
    for source, record in records:
        result[source].setdefault(record["modelatlas"]["provider"], []).append(record)
    return result


def test_catalog_refresh_status_block() -> None:
    cats = catalogs(("models.dev", rec("groq", "llama-x", "models.dev", name="Llama X")),
                    ("litellm", rec("groq", "llama-x", "litellm", pricing__prompt="0.0000001")))
    doc = refresh_provider("groq", catalogs=cats, curated=[], now=NOW)
    validate_doc(doc)
    assert doc["status"] == {
        "source": "public_catalogs",
        "sources": ["models.dev", "litellm"],
        "last_refresh": "2026-11-27T03:17:05Z",
        "count": 1,
        "stale": False,
        "reason": "no GROQ_API_KEY set: model list from public catalogs (models.dev, litellm)",
    }


@pytest.mark.parametrize("provider", ["sgl", "parasail"])
def test_provider_no_catalog_covers(provider: str) -> None:
    cats = catalogs(("models.dev", rec("groq", "llama-x", "models.dev", name="Llama X")))
    doc = refresh_provider(provider, catalogs=cats, curated=[], now=NOW)
    validate_doc(doc)
    assert doc["models"] == []
    assert doc["status"]["source"] == "none" and doc["status"]["count"] == 0
    assert doc["status"]["reason"].endswith(f"and no public catalog lists {provider}")
    if provider == "parasail":
        assert doc["status"]["reason"] == "no PARASAIL_API_KEY set and no public catalog lists parasail"


def test_api_records_restrict_the_list_and_catalogs_enrich() -> None:
    cats = catalogs(("models.dev", rec("openai", "gpt-4o", "models.dev", name="GPT-4o")),
                    ("models.dev", rec("openai", "gpt-3", "models.dev", name="GPT-3")))
    api = [rec("openai", "gpt-4o", "provider_api", owned_by="system", created=1715367049)]
    doc = refresh_provider("openai", catalogs=cats, curated=[], api_records=api, now=NOW)
    assert [m["id"] for m in doc["models"]] == ["openai/gpt-4o"]
    # OpenAI's list says "system" for its own models: an account label, not the maker
    assert doc["models"][0]["name"] == "GPT-4o" and doc["models"][0]["owned_by"] == "openai"
    assert doc["status"]["source"] == "provider_api"
    assert doc["status"]["sources"] == ["provider_api", "models.dev"]
    assert doc["status"]["reason"] == "model list from the provider API, enriched from models.dev"


def test_gone_models_are_marked_removed_then_dropped() -> None:
    first = refresh_provider(
        "cohere",
        catalogs=catalogs(("litellm", rec("cohere", "a", "litellm", context_length=1)),
                          ("litellm", rec("cohere", "b", "litellm", context_length=2))),
        curated=[],
        now=datetime(2026, 11, 1, tzinfo=UTC),
    )
    later_catalogs = catalogs(("litellm", rec("cohere", "a", "litellm", context_length=1)))
    second = refresh_provider("cohere", catalogs=later_catalogs, curated=[], previous=first, now=NOW)
    validate_doc(second)
    gone = second["models"][1]
    assert gone["id"] == "cohere/b" and gone["context_length"] == 2
    assert gone["modelatlas"]["lifecycle"] == {"status": "removed", "last_seen": "2026-11-01"}
    assert gone["modelatlas"]["provenance"]["modelatlas.lifecycle.status"] == "derived"
    assert second["status"]["count"] == 2
    # a later refresh keeps the first last_seen date ...
    third = refresh_provider("cohere", catalogs=later_catalogs, curated=[], previous=second,
                             now=datetime(2026, 12, 15, tzinfo=UTC))
    assert third["models"][1]["modelatlas"]["lifecycle"]["last_seen"] == "2026-11-01"
    # ... until the retention period has passed
    far = datetime(2026, 11, 1, tzinfo=UTC).toordinal() + REMOVED_RETENTION_DAYS + 1
    fourth = refresh_provider("cohere", catalogs=later_catalogs, curated=[], previous=third,
                              now=datetime.fromordinal(far).replace(tzinfo=UTC))
    assert [m["id"] for m in fourth["models"]] == ["cohere/a"]
    # a model that comes back is listed afresh
    back = refresh_provider("cohere", catalogs=first_catalogs(), curated=[], previous=second, now=NOW)
    assert "lifecycle" not in back["models"][1]["modelatlas"]


def first_catalogs() -> dict:
    return catalogs(("litellm", rec("cohere", "a", "litellm", context_length=1)),
                    ("litellm", rec("cohere", "b", "litellm", context_length=2)))


def test_invalid_document_is_not_written(tmp_path: Path) -> None:
    good = refresh_provider("cohere", catalogs=first_catalogs(), curated=[], now=NOW)
    write_provider(tmp_path, good)
    before = (tmp_path / "providers" / "cohere.json").read_bytes()
    (tmp_path / "curated").mkdir()
    bad_entry = "- model: a\n  source: https://x.test\n  set: {modelatlas.lifecycle.release_date: someday}\n"
    (tmp_path / "curated" / "cohere.yaml").write_text(bad_entry)
    report = run_fetch(
        tmp_path,
        ["cohere"],
        Settings(values={}),
        now=NOW,
        load_catalogs=lambda: CatalogLoad(first_catalogs()),
        progress=Progress(io.StringIO(), live_line=False),
    )
    (outcome,) = report.results
    assert outcome.state is FetchState.FAILED and "cohere.yaml: entry 1 (a)" in outcome.reason
    after = read_provider(tmp_path, "cohere")
    assert after["models"] == json.loads(before)["models"]  # only the status is marked stale
    assert after["status"]["stale"] is True


def test_validate_doc_names_provider_model_and_pointer() -> None:
    doc = refresh_provider("cohere", catalogs=first_catalogs(), curated=[], now=NOW)
    doc["models"][1]["pricing"] = {"prompt": "2.5e-06"}
    with pytest.raises(Exception, match=r"cohere: model cohere/b: invalid at /models/1/pricing/prompt"):
        validate_doc(doc)


@pytest.mark.skipif(
    not REFERENCE.is_dir() and not os.environ.get("MODELATLAS_REQUIRE_SHARED"),
    reason="../shared/reference is not beside the repository (.ci/run sets MODELATLAS_REQUIRE_SHARED=1)",
)
def test_catalog_refresh_reproduces_the_committed_snapshot(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in REFERENCE_CATALOGS.items():
        monkeypatch.setenv(name, value)
    for inputs in ("curated", "lists", "lifecycle"):  # hand-kept facts, recorded lists, deprecation tables
        shutil.copytree(REPO / "data" / inputs, tmp_path / inputs)
    shutil.copy(REPO / "data" / "source-scores.json", tmp_path / "source-scores.json")
    result = CliRunner().invoke(cli, ["fetch", "--data", str(tmp_path), "--now", "2026-11-27T00:00:00Z"])
    assert result.exit_code == 0, result.output
    committed = REPO / "data" / "providers"
    written = sorted(p.name for p in (tmp_path / "providers").iterdir())
    assert written == sorted(f"{p}.json" for p in provider_ids())
    for provider in provider_ids():
        name = f"{provider}.json"
        assert (tmp_path / "providers" / name).read_bytes() == (committed / name).read_bytes(), name
    docs = {p: read_provider(tmp_path, p) for p in provider_ids()}
    assert sum(1 for d in docs.values() if d and d["models"]) >= 14
    for provider, doc in docs.items():
        assert list(iter_violations("provider-file", doc, provider)) == []
        assert (committed / f"{provider}.json").stat().st_size < 5 * 1024 * 1024
    # a second run over its own output changes nothing (no model flips to removed)
    again = CliRunner().invoke(cli, ["fetch", "--data", str(tmp_path), "--now", "2026-11-27T00:00:00Z"])
    assert again.exit_code == 0 and "updated" not in again.output


def test_rejections_lifecycle_and_gateway_fields_in_the_document() -> None:
    cats = catalogs(
        ("litellm", rec("bedrock", "guardrails", "litellm")),
        ("litellm", rec("bedrock", "anthropic.claude-x-v1:0", "litellm",
                        modelatlas__lifecycle__retirement_date="2026-01-31")),
        ("models.dev", rec("bedrock", "us.anthropic.claude-y-v1:0", "models.dev",
                           modelatlas__lifecycle__release_date="2025-09-29")),
    )
    doc = refresh_provider("bedrock", catalogs=cats, curated=[], now=NOW)
    validate_doc(doc)
    assert doc["status"]["rejected"] == [{
        "id": "guardrails",
        "reason": "lacks the vendor prefix: Bedrock ids are vendor.model (anthropic.claude-…), "
                  "optionally after a geo prefix",
        "sources": ["litellm"],
    }]
    old, new = doc["models"]
    assert old["modelatlas"]["lifecycle"]["status"] == "retired"
    assert old["owned_by"] == new["owned_by"] == "anthropic"
    assert new["created"] == 1759104000 and new["modelatlas"]["provenance"]["created"] == "derived"


def test_a_created_shared_by_the_whole_list_is_no_creation_date() -> None:
    api = [rec("mistral", "a", "provider_api", created=1770700000),
           rec("mistral", "b", "provider_api", created=1770700000)]
    released = rec("mistral", "a", "models.dev", modelatlas__lifecycle__release_date="2024-01-02")
    cats = catalogs(("models.dev", released))
    doc = refresh_provider("mistral", catalogs=cats, curated=[], api_records=api, now=NOW)
    by_id = {m["id"]: m for m in doc["models"]}
    assert by_id["mistral/a"]["created"] == 1704153600  # from the release date, not the request time
    assert "created" not in by_id["mistral/b"]


def test_source_dates_come_from_the_environment_first(monkeypatch: pytest.MonkeyPatch) -> None:
    from modelatlas.errors import InputError
    from modelatlas.fetch.refresh import catalog_dates

    today = NOW.date()
    monkeypatch.setenv("MODELATLAS_LITELLM_URL", "/some/file.json")
    monkeypatch.delenv("MODELATLAS_MODELS_DEV_URL", raising=False)
    monkeypatch.setenv("MODELATLAS_SOURCE_DATES", "openrouter=2026-01-02")
    dates = catalog_dates(today)
    assert str(dates["litellm"]) == "2026-11-01"  # a local copy: the snapshot table's date
    assert dates["models.dev"] == today  # downloaded now
    assert str(dates["openrouter"]) == "2026-01-02"
    monkeypatch.setenv("MODELATLAS_SOURCE_DATES", "openrouter=May")
    with pytest.raises(InputError, match="MODELATLAS_SOURCE_DATES"):
        catalog_dates(today)


def test_a_last_good_copy_is_as_of_the_day_it_was_saved(monkeypatch: pytest.MonkeyPatch) -> None:
    from modelatlas.fetch.refresh import catalog_dates

    today = NOW.date()
    monkeypatch.delenv("MODELATLAS_SOURCE_DATES", raising=False)
    monkeypatch.setenv("MODELATLAS_MODELS_DEV_URL", "https://models.dev.example/api.json")
    monkeypatch.setenv("MODELATLAS_LITELLM_URL", "/some/file.json")
    fallbacks = {
        "models.dev": ("2026-10-03T04:05:06Z", "HTTP 503"),  # downloaded on that day
        "litellm": ("2026-11-20T00:00:00Z", "not JSON"),  # a copy of a local file dated 2026-11-01
    }
    dates = catalog_dates(today, fallbacks)
    assert str(dates["models.dev"]) == "2026-10-03"
    assert str(dates["litellm"]) == "2026-11-01"  # never later than the file it was read from
    monkeypatch.setenv("MODELATLAS_SOURCE_DATES", "models.dev=2026-12-24")
    assert str(catalog_dates(today, fallbacks)["models.dev"]) == "2026-12-24"  # the variable says last


def test_an_id_now_rejected_is_not_carried_as_removed() -> None:
    listed = catalogs(("litellm", rec("bedrock", "guardrails", "litellm")),
                      ("litellm", rec("bedrock", "amazon.nova-pro-v1:0", "litellm")))
    previous = refresh_provider("bedrock", catalogs=listed, curated=[], now=NOW)
    previous["models"].append(rec("bedrock", "guardrails", "litellm"))  # written before the id rules
    doc = refresh_provider("bedrock", catalogs=listed, curated=[], previous=previous, now=NOW)
    assert [m["id"] for m in doc["models"]] == ["bedrock/amazon.nova-pro-v1:0"]
