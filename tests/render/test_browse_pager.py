"""The browse pages' pager: every page number, the current one marked, previous and next links."""

from __future__ import annotations

import re

import pytest

from modelatlas.render import html
from modelatlas.render.browse_pager import pager
from modelatlas.render.build import load_catalog
from modelatlas.render.output import content_bytes
from tests.paths import FIXTURES


def test_a_middle_page_links_every_other_page_and_its_neighbours() -> None:
    assert str(pager(2, 3)) == (
        '<nav class="pager" aria-label="Pages">\n'
        '<a href="1.html" rel="prev">← previous</a>'
        '<a href="1.html">1</a> <span aria-current="page">2</span> <a href="3.html">3</a> '
        '<a href="3.html" rel="next">next →</a></nav>\n'
    )


def test_the_first_and_last_pages_have_no_link_beyond_the_ends() -> None:
    first, last = str(pager(1, 4)), str(pager(4, 4))
    assert 'rel="prev"' not in first and '<a href="2.html" rel="next">' in first
    assert 'rel="next"' not in last and '<a href="3.html" rel="prev">' in last
    assert str(pager(1, 1)) == (
        '<nav class="pager" aria-label="Pages">\n<span aria-current="page">1</span> </nav>\n'
    )


def test_every_page_lists_each_number_once_and_marks_only_its_own() -> None:
    pages = 12
    for number in range(1, pages + 1):
        html = str(pager(number, pages))
        numbers = [int(n) for n in re.findall(r">(\d+)</(?:a|span)>", html)]
        assert numbers == list(range(1, pages + 1))
        assert re.findall(r'<span aria-current="page">(\d+)</span>', html) == [str(number)]


def test_browse_pages_show_their_pager_above_and_below_the_table(monkeypatch: pytest.MonkeyPatch) -> None:
    catalog = load_catalog(FIXTURES / "site")
    monkeypatch.setattr(html, "BROWSE_PAGE_SIZE", 2)  # a few pages from a small catalog
    pages = -(-len(catalog.models) // 2)
    assert pages >= 3
    site = {path: content_bytes(content) for path, content in html.render(catalog)}
    for number in (1, 2, pages):
        page = site[f"browse/{number}.html"].decode("utf-8")
        nav = str(pager(number, pages))
        assert page.count('<nav class="pager"') == 2 and page.count(nav) == 2
        assert page.index(nav) < page.index("<table") < page.rindex(nav)
