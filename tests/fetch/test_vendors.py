"""One vendor vocabulary: the spellings, and docs/canonical.md's table of them kept equal to the code."""

from __future__ import annotations

import re

import pytest

from modelatlas.fetch.vendors import VENDOR_ALIASES, is_vendor, vendor_slug
from tests.paths import REPO


@pytest.mark.parametrize(
    ("name", "slug"),
    [("Meta", "meta-llama"), ("meta-llama", "meta-llama"), ("Mistral AI", "mistralai"),
     ("mistral", "mistralai"), ("xai", "x-ai"), ("zai-org", "z-ai"), ("Stability AI", "stability"),
     ("Amazon", "amazon"), ("TwelveLabs", "twelvelabs"), ("openai-internal", "openai")],
)
def test_every_spelling_is_one_vendor(name: str, slug: str) -> None:
    assert vendor_slug(name) == slug and vendor_slug(slug) == slug


def test_account_labels_are_no_vendor() -> None:
    assert not is_vendor("system") and not is_vendor("library") and not is_vendor(" ")
    assert is_vendor("Anthropic")


def test_the_documented_table_is_the_code() -> None:
    text = (REPO / "docs" / "canonical.md").read_text()
    table = text.split("<!-- vendor-aliases -->", 1)[1].split("<!-- /vendor-aliases -->", 1)[0]
    documented: dict[str, str] = {}
    for spellings, vendor in re.findall(r"^\| (.+?) \| `([^`]+)` \|$", table, re.M):
        for spelling in re.findall(r"`([^`]+)`", spellings):
            documented[spelling] = vendor
    assert documented == VENDOR_ALIASES
