"""A catalog is used only when it has its shape and a sane size, and a slow one holds up only the
providers it has models of (real local servers: one answering HTTP 200 with the wrong body, one
dripping its answer).

Before: models.dev answering ``{"error": ...}``, ``[]`` or ``{"openai": "maintenance"}`` counted as
an empty catalog, its last good copy was overwritten (10 -> 0 records) and models were marked
removed; a dripping catalog held every provider for more than 420 s.
"""

from __future__ import annotations

import io
import json
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from modelatlas.cli import cli
from modelatlas.config import HttpSettings, Settings
from modelatlas.fetch.catalog_cache import CatalogLoading
from modelatlas.fetch.outcome import FetchState, ProviderResult
from modelatlas.fetch.progress import Progress
from modelatlas.fetch.run import run_fetch
from modelatlas.fetch.shrink_guard import active_ids
from tests.paths import EMPTY_CATALOGS
from tests.upstream_server import Answer, Request, upstream

NOW = datetime(2026, 11, 27, tzinfo=UTC)


def _models_dev(count: int) -> bytes:
    models = {
        f"gpt-test-{i}": {"id": f"gpt-test-{i}", "name": f"GPT test {i}", "limit": {"context": 1000 + i}}
        for i in range(count)
    }
    return json.dumps({"openai": {"id": "openai", "name": "OpenAI", "models": models}}).encode()


def _fetch(data: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["fetch", "--data", str(data), "--provider", "openai", *args])
    return result.exit_code, result.output


@pytest.mark.parametrize(
    "bad",
    [b'{"error": {"message": "rate limited"}}', b"[]", b'{"openai": "maintenance"}', _models_dev(3)],
    ids=["error object", "empty array", "maintenance", "3 of 10 models"],
)
def test_a_catalog_without_its_shape_or_size_is_not_used_and_its_copy_is_kept(
    tmp_path: Path, catalog_cache: Path, monkeypatch: pytest.MonkeyPatch, bad: bytes
) -> None:
    answers = [Answer(body=_models_dev(10))]
    with upstream(lambda _request: answers[-1]) as base:
        for name, value in {**EMPTY_CATALOGS, "MODELATLAS_MODELS_DEV_URL": f"{base}/api.json"}.items():
            monkeypatch.setenv(name, value)
        data = tmp_path / "data"
        code, output = _fetch(data, "--now", "2026-11-27T00:00:00Z")
        assert code == 0, output
        copy = catalog_cache / "catalogs" / "models.dev.json"
        saved = copy.read_bytes()
        assert len(active_ids(json.loads((data / "providers" / "openai.json").read_text()))) == 10

        answers.append(Answer(body=bad))  # HTTP 200, but not a usable catalog
        code, output = _fetch(data, "--now", "2026-11-28T00:00:00Z")
    assert code == 0, output
    assert "models.dev: failed (" in output and "using its last good copy from 2026-11-27T00:00:00Z" in output
    assert copy.read_bytes() == saved  # the last good copy is not overwritten by the bad answer
    doc = json.loads((data / "providers" / "openai.json").read_text())
    assert len(active_ids(doc)) == 10  # nothing marked removed
    assert doc["status"]["catalog_fallbacks"] == {"models.dev": "2026-11-27T00:00:00Z"}


class _Timed(Progress):
    """Progress that notes when each provider's line is printed."""

    def __init__(self) -> None:
        super().__init__(io.StringIO(), live_line=False)
        self.started_at = time.monotonic()
        self.at: dict[str, float] = {}

    def finished(self, result: ProviderResult) -> None:
        self.at[result.provider] = time.monotonic() - self.started_at
        super().finished(result)


def test_a_dripping_catalog_holds_up_only_the_providers_it_feeds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """OpenRouter's catalog drips for ~20 s under a 1.5 s catalog deadline: groq (live, no models in
    that catalog) is refreshed at once; openrouter waits for the catalog's deadline, not its drip."""
    listing = json.dumps(
        {"object": "list", "data": [{"id": "g-1", "object": "model", "created": 1}]}
    ).encode()
    catalog = json.dumps({"data": [{"id": f"v/m{i}", "name": f"M{i}"} for i in range(20)]}).encode()

    def route(request: Request) -> Answer:
        if request.path.startswith("/openrouter-catalog"):
            return Answer(body=catalog, drip_body=0.02)
        return Answer(body=listing)

    with upstream(route) as base:
        monkeypatch.setenv("MODELATLAS_OPENROUTER_URL", f"{base}/openrouter-catalog/models")
        for name, value in EMPTY_CATALOGS.items():
            if name != "MODELATLAS_OPENROUTER_URL":
                monkeypatch.setenv(name, value)
        http = HttpSettings(retries=0, deadline=5.0, catalog_deadline=1.5)
        settings = Settings(
            values={"GROQ_API_KEY": "gsk-test-0123456789", "MODELATLAS_GROQ_BASE_URL": f"{base}/groq"},
            http=http,
        )
        progress = _Timed()
        report = run_fetch(
            tmp_path,
            ["groq", "openrouter"],
            settings,
            now=NOW,
            load_catalogs=lambda: CatalogLoading.for_providers(["groq", "openrouter"], NOW, settings),
            progress=progress,
        )
        elapsed = time.monotonic() - progress.started_at
    groq, openrouter = report.results
    assert groq.state is FetchState.FRESH
    assert progress.at["groq"] < 1.0, f"groq waited {progress.at['groq']:.2f}s for a catalog it is not in"
    assert openrouter.state is FetchState.FRESH  # no earlier data: nothing to keep; the catalog failed
    assert 1.4 < progress.at["openrouter"] < 3.0
    assert elapsed < 3.0, f"the 1.5 s catalog deadline held for {elapsed:.2f}s"
    lines = progress._stream.getvalue()  # type: ignore[attr-defined]
    assert "openrouter: failed (" in lines and "deadline of 1.5s exceeded" in lines


@pytest.mark.parametrize("saved_at", ["2026-11-27T00:00:00Z", "yesterday", 20261127, None],
                         ids=["a timestamp", "words", "a number", "missing"])
def test_a_last_good_copy_must_say_when_it_was_saved(tmp_path: Path, saved_at: object) -> None:
    """The save time dates the copy's values (fetch.refresh.catalog_dates): a copy without one is no
    good copy."""
    from modelatlas.fetch.catalog_cache import last_good_copy

    copy = tmp_path / "catalogs" / "models.dev.json"
    copy.parent.mkdir()
    record = {"id": "openai/gpt-test", "object": "model"}
    copy.write_text(json.dumps({"format": 1, "saved_at": saved_at, "records": {"openai": [record]}}))
    found = last_good_copy(tmp_path, "models.dev")
    assert found == (({"openai": [record]}, saved_at) if saved_at == "2026-11-27T00:00:00Z" else None)
