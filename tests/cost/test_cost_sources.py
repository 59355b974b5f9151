"""load(source): a built folder, a data folder, or a published URL with a cached copy (real local HTTP)."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from modelatlas.cost import CostError, Usage, load
from modelatlas.errors import InputError
from tests.cost.cases import RECORDS

USAGE = Usage(input_tokens=1000)
MODELS = {"data": [RECORDS["openai/fixture-plain"]], "schema_version": "1"}


def cache_files() -> list[Path]:
    return sorted((Path(os.environ["MODELATLAS_CACHE_DIR"]) / "cost").glob("*.json"))


@pytest.fixture(autouse=True)
def own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MODELATLAS_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("MODELATLAS_HTTP_RETRIES", "0")


def test_a_built_folder_is_read_from_its_models_file(tmp_path: Path) -> None:
    (tmp_path / "v1").mkdir()
    (tmp_path / "v1" / "models.json").write_text(json.dumps(MODELS))
    prices = load(tmp_path)
    assert prices.cost("openai/fixture-plain", USAGE).total == Decimal("0.001")
    assert prices.source.endswith("models.json") and prices.stale is None


@pytest.mark.parametrize(
    "content", ["[1, 2", '{"no": "data"}', "[" * 100_000 + "]" * 100_000], ids=["cut", "no data", "too deep"]
)
def test_a_broken_models_file_is_a_one_line_input_error(tmp_path: Path, content: str) -> None:
    (tmp_path / "v1").mkdir()
    (tmp_path / "v1" / "models.json").write_text(content)
    with pytest.raises(InputError) as caught:
        load(tmp_path)
    assert "models.json" in caught.value.message and "\n" not in caught.value.message


def test_a_folder_that_is_neither_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="neither a built folder"):
        load(tmp_path)


def test_a_url_is_fetched_once_then_read_from_the_cache(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/site/v1/models.json").respond_with_json(MODELS)
    base = httpserver.url_for("/site/")
    first = load(base)
    assert first.cost("openai/fixture-plain", USAGE).total == Decimal("0.001") and first.stale is None
    assert len(httpserver.log) == 1 and len(cache_files()) == 1
    second = load(base)
    assert len(httpserver.log) == 1  # young copy: no request
    assert second.cost("openai/fixture-plain", USAGE).total == Decimal("0.001")
    load(base, refresh=True)
    assert len(httpserver.log) == 2


def test_an_old_copy_is_refreshed(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/v1/models.json").respond_with_json(MODELS)
    load(httpserver.url_for("/"))
    (path,) = cache_files()
    copy = json.loads(path.read_text())
    copy["saved_at"] = (datetime.now(UTC) - timedelta(hours=2)).isoformat()
    path.write_text(json.dumps(copy))
    load(httpserver.url_for("/"))
    assert len(httpserver.log) == 2


def test_an_unreachable_url_falls_back_to_the_copy_and_says_so(httpserver: HTTPServer) -> None:
    httpserver.expect_ordered_request("/v1/models.json").respond_with_json(MODELS)
    httpserver.expect_ordered_request("/v1/models.json").respond_with_data("gone", status=404)
    load(httpserver.url_for("/"))
    stale = load(httpserver.url_for("/"), max_age=0)
    assert stale.stale is not None and "404" in stale.stale and "using the copy saved at" in stale.stale
    assert stale.cost("openai/fixture-plain", USAGE).total == Decimal("0.001")


def test_a_wrong_body_falls_back_to_the_copy(httpserver: HTTPServer) -> None:
    httpserver.expect_ordered_request("/v1/models.json").respond_with_json(MODELS)
    httpserver.expect_ordered_request("/v1/models.json").respond_with_json({"error": "maintenance"})
    load(httpserver.url_for("/"))
    assert "not a models list" in str(load(httpserver.url_for("/"), max_age=0).stale)


def test_an_unreachable_url_without_a_copy_is_an_error(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/v1/models.json").respond_with_data("nope", status=404)
    with pytest.raises(CostError) as caught:
        load(httpserver.url_for("/"))
    assert "cannot load prices from" in caught.value.message and "404" in caught.value.message
    assert cache_files() == []
