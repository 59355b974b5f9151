"""The rows of the quality page's two long tables (still disputed, where the sources disagree),
written in Python as :mod:`~modelatlas.render.table_cells` writes the model tables: at 100k models
the page has some 50k of them, and the template's loops, filters and calls cost about a second.
The same HTML the template wrote, each value escaped as it escaped it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from markupsafe import Markup

from modelatlas.render.model_view import price_text, source_label
from modelatlas.render.price_view import PRICE_LABELS
from modelatlas.render.table_cells import escaped

NONE_KEPT = "none (no value can stand)"
NO_VALUE = "–"


def shown_value(field: str, value: Any) -> str:
    """A conflicting value as the page shows it: prices per 1M tokens (or per unit), the rest as stored."""
    key = field.rsplit(".", 1)[-1]
    if (
        field.startswith(("pricing.", "modelatlas.extra_pricing."))
        and key in PRICE_LABELS
        and isinstance(value, str)
    ):
        return price_text(key, value)
    return str(value)


def _by_source(values: Mapping[str, Any]) -> list[tuple[str, Any]]:
    """``values`` by key, ignoring case, as the template's ``dictsort`` ordered them."""
    return sorted(values.items(), key=lambda item: item[0].lower())


def _value(field: str, value: Any) -> str:
    return escaped(shown_value(field, value))


def dispute_rows(rows: Iterable[dict[str, Any]]) -> Markup:
    """The "Still disputed" table's body: model, field, every source's value, the value kept, the
    rules tried and the same model's values elsewhere (rows of
    :func:`~modelatlas.render.dispute_evidence.disputes`)."""
    parts = []
    for row in rows:
        field = row["field"]
        values = "; ".join(f"{escaped(source_label(source))}: {_value(field, value)}"
                           for source, value in _by_source(row["values"]))
        kept = _value(field, row["kept"]) if "kept" in row else NONE_KEPT
        rules = escaped(", ".join(str(rule) for rule in row["rules"]) or NO_VALUE)
        siblings = "; ".join(f"<code>{escaped(other)}</code>: {_value(field, value)}"
                             for other, value in _by_source(row["siblings"])) or NO_VALUE
        parts.append(f"<tr><td><code>{escaped(row['id'])}</code></td><td><code>{escaped(field)}</code></td>"
                     f"<td>{values}</td><td>{kept}</td><td>{rules}</td><td>{siblings}</td></tr>\n")
    return Markup("".join(parts))


def conflict_rows(rows: Iterable[dict[str, Any]]) -> Markup:
    """The "Where the sources disagree" table's body: model, field, every source's value (the kept
    one's marked) and the relative difference (rows of :func:`~modelatlas.render.quality.conflicts`)."""
    parts = []
    for row in rows:
        field, chosen = row["field"], row.get("chosen")
        shown = []
        for source, value in _by_source(row["values"]):
            text = f"{escaped(source_label(source))}: {_value(field, value)}"
            shown.append(f"<strong>{text}</strong> (kept)" if "chosen" in row and source == chosen else text)
        spread = f"{round(float(row['spread']) * 100, 1)}%" if "spread" in row else NO_VALUE
        parts.append(f"<tr><td><code>{escaped(row['id'])}</code></td><td><code>{escaped(field)}</code></td>"
                     f'<td>{"; ".join(shown)}</td><td class="num">{spread}</td></tr>\n')
    return Markup("".join(parts))
