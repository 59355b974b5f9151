"""A hand-made address must not break the catalog: before, ``index.html?sort='`` made the catalog
script throw (the value went into a CSS selector) and no row rendered. The ``page`` fixture fails
the test on any page error."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from tests.browser.test_site_browser import TOTAL, open_catalog, row_ids

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("value", ["'", '"]', "pp'],th[data-sort", "\\", "</script>", "c" * 5000])
def test_a_hostile_sort_value_is_ignored_and_every_row_renders(page, served, value: str) -> None:
    open_catalog(page, served["site"] + "index.html?sort=" + quote(value) + "&dir=desc")
    assert len(row_ids(page)) == TOTAL
    assert page.get_attribute("th[data-sort=pp]", "aria-sort") == "none"


def test_a_known_sort_value_still_sorts(page, served) -> None:
    open_catalog(page, served["site"] + "index.html?sort=pp&dir=desc")
    assert len(row_ids(page)) == TOTAL
    assert page.get_attribute("th[data-sort=pp]", "aria-sort") == "descending"
