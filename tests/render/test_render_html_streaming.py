"""The site renderer streams: a 100k-model site must never be held in memory whole (bench: RSS)."""

from __future__ import annotations

import itertools

import pytest

from modelatlas.errors import ModelatlasError
from modelatlas.render import html
from modelatlas.render.build import load_catalog
from modelatlas.render.catalog import Catalog
from tests.paths import FIXTURES as ALL_FIXTURES

FIXTURES = ALL_FIXTURES / "site"


@pytest.fixture()
def catalog() -> Catalog:
    return load_catalog(FIXTURES)


def test_pages_are_rendered_only_as_they_are_consumed(
    catalog: Catalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    rendered: list[str] = []
    real_model = html._Site.model

    def counting_model(self: html._Site, record: dict) -> tuple[str, bytes]:
        rendered.append(record["id"])
        return real_model(self, record)

    monkeypatch.setattr(html._Site, "model", counting_model)
    stream = html.render(catalog)
    first = list(itertools.islice(stream, 2))
    assert [path for path, _ in first][:1] == ["index.html"]
    assert rendered == []  # no model page rendered yet: nothing is collected up front
    rest = list(stream)
    assert len(rendered) == len(catalog.models) > 0
    assert len({path for path, _ in first + rest}) == len(first) + len(rest)


def test_a_duplicate_path_still_stops_the_stream(catalog: Catalog, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(html._Site, "model", lambda self, record: ("index.html", b"again"))
    with pytest.raises(ModelatlasError, match=r"duplicate path 'index\.html'"):
        list(html.render(catalog))
