"""A build links models across providers and groups them into canonical models once, however many
renderers show them (the grouping used to be recomputed by four renderers: canonical files, search
index, site pages, OpenAPI document), and a rebuild renders only the canonical files whose inputs
changed.

Calls are counted by a profiler hook on the functions' code objects, so a renderer that computed a
grouping again, imported under any name, would be counted too."""

from __future__ import annotations

import shutil
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import Any

from modelatlas.canonical import linked_each
from modelatlas.canonical.vocabulary import build_vocabulary
from modelatlas.jsonio import dumps_pretty, load_path
from modelatlas.render import canonical_api, html
from modelatlas.render.build import assemble
from modelatlas.render.canonical_view import group_models
from modelatlas.render.catalog import Catalog
from tests.paths import FIXTURES

SITE = FIXTURES / "site"


@contextmanager
def counting_calls(*functions: Callable[..., Any]) -> Iterator[Counter[str]]:
    """Count the calls of ``functions`` (by code object) made in this thread while the block runs."""
    codes = {function.__code__: function.__name__ for function in functions}
    calls: Counter[str] = Counter()

    def hook(frame: FrameType, event: str, _arg: object) -> None:
        if event == "call" and frame.f_code in codes:
            calls[codes[frame.f_code]] += 1

    previous = sys.getprofile()
    sys.setprofile(hook)
    try:
        yield calls
    finally:
        sys.setprofile(previous)


def test_a_full_build_links_and_groups_canonical_models_once(tmp_path: Path) -> None:
    with counting_calls(linked_each, build_vocabulary, group_models, Catalog.__post_init__) as calls:
        assemble(SITE, tmp_path / "out")
    assert calls == {"linked_each": 1, "build_vocabulary": 1, "group_models": 1, "__post_init__": 1}
    # the fixture really has canonical models, shown by every renderer that reads the grouping
    assert list((tmp_path / "out" / "canonical").rglob("*.html"))
    assert list((tmp_path / "out" / "v1" / "canonical").rglob("*.json"))


def test_a_rebuild_after_a_change_groups_once_and_a_no_op_rebuild_not_at_all(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assemble(SITE, out)
    with counting_calls(linked_each, build_vocabulary, group_models) as calls:
        assemble(SITE, out)
    assert calls == {}
    (out / "index.html").unlink()  # the no-op check fails: a real rebuild, whose records kept their links
    with counting_calls(linked_each, build_vocabulary, group_models) as calls:
        assemble(SITE, out)
    assert calls == {"linked_each": 1, "group_models": 1}


def test_a_changed_record_renders_only_its_own_canonical_page_and_file(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(SITE / "providers", data / "providers")
    out = tmp_path / "out"
    assemble(data, out)
    path = data / "providers" / "openrouter.json"
    doc = load_path(path)
    (record,) = [model for model in doc["models"] if model["id"] == "openrouter/openai/gpt-4o"]
    record["name"] = "Renamed Twin"
    path.write_text(dumps_pretty(doc), encoding="utf-8")
    with counting_calls(html._Site.canonical_page, canonical_api.model_document) as calls:
        assemble(data, out)
    assert calls == {"canonical_page": 1, "model_document": 1}
    assert "Renamed Twin" in (out / "canonical/openai/gpt-4o.html").read_text(encoding="utf-8")
