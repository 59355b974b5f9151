"""``yamlio.safe_load``: libyaml's parser when present, and never anything but plain data."""

from __future__ import annotations

from datetime import date

import pytest
import yaml

from modelatlas import yamlio


def test_plain_data_as_safe_load_reads_it() -> None:
    text = "page: https://example.com\nmodels:\n- model: m-1\n  deprecated: 2024-06-06\n  price: '0.5'\n"
    assert yamlio.safe_load(text) == yaml.safe_load(text)
    assert yamlio.safe_load(text)["models"][0]["deprecated"] == date(2024, 6, 6)


def test_tags_that_build_objects_are_refused() -> None:
    with pytest.raises(yaml.YAMLError):
        yamlio.safe_load("!!python/object/apply:os.system ['true']")


def test_libyaml_is_used_when_pyyaml_has_it() -> None:
    if not yaml.__with_libyaml__:
        pytest.skip("this PyYAML is built without libyaml: the Python loader is the only one")
    assert yamlio._LOADER is yaml.CSafeLoader
