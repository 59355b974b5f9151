"""Rows and price books shared by a small catalog's pages, and nothing kept for a big one."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from modelatlas.render import record_views
from modelatlas.render.record_views import RecordViews


def _counting(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    made: Counter[str] = Counter()

    def row(record: dict[str, Any]) -> dict[str, Any]:
        made["row " + record["id"]] += 1
        return {"id": record["id"]}

    def book(record: dict[str, Any]) -> None:
        made["book " + record["id"]] += 1

    monkeypatch.setattr(record_views, "row_view", row)
    monkeypatch.setattr(record_views, "book_of", book)
    return made


def test_a_small_catalog_makes_each_row_and_book_once_and_shares_it(monkeypatch: pytest.MonkeyPatch) -> None:
    made = _counting(monkeypatch)
    first, second = {"id": "openai/a"}, {"id": "openai/a"}  # equal records are still two records
    views = RecordViews(2)
    rows = [views.row(record) for record in (first, second, first, second, first)]
    for record in (first, second, first):
        views.book(record)
    assert rows[0] is rows[2] is rows[4] and rows[1] is rows[3] and rows[0] is not rows[1]
    assert made == {"row openai/a": 2, "book openai/a": 2}


def test_a_catalog_bigger_than_what_is_kept_makes_them_for_each_page(monkeypatch: pytest.MonkeyPatch) -> None:
    made = _counting(monkeypatch)
    monkeypatch.setattr(record_views, "RECORDS_KEPT", 1)
    views, record = RecordViews(2), {"id": "openai/a"}
    assert views.row(record) is not views.row(record)
    views.book(record)
    views.book(record)
    assert made == {"row openai/a": 2, "book openai/a": 2}
