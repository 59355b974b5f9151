"""The providers' own deprecation and shutdown tables: ``data/lifecycle/<provider>.yaml``.

Each file copies one provider's deprecations page (and its companions) row by row::

    page: https://developers.openai.com/api/docs/deprecations   # where rows without a url come from
    models:
    - model: gpt-4-32k              # the provider's model id (Azure: with version: '0613')
      deprecated: 2024-06-06        # the announcement: from that day the model is deprecated
      shutdown: 2025-06-06          # the day the provider stops serving it
      replacement: gpt-4o
      quote: "| 2025-06-06 | gpt-4-32k | ... |"   # the row, verbatim
      url: https://...              # when the row is from another page than `page`

A row may name an endpoint instead of one model: ``endpoint`` (a regex over the provider's ids,
matched whole) and ``mode`` (``chat``) for the ids of that mode the endpoint serves, when the
provider ends the endpoint itself (Perplexity's Sonar Chat Completions API: every bare id it
served goes with it). A row naming the model itself wins over an endpoint row.

Optional keys: ``shutdown_last_region`` (Bedrock: the end of life differs by region; the model
is retired once its last region stops), and in the header ``shutdown_is_last_day_on`` (the pages
whose date is the last day a model is available, as Vertex AI's model-versions page: retirement is
the day after). Every other key (``also``, ``note``, ``conflict``, ...) is evidence for readers.

:func:`apply_table` sets ``lifecycle.deprecation_date`` and ``retirement_date`` (provenance
``curated``: a hand-copied fact with its page) on every record the row names: its id or one of its
aliases, under the provider's spelling rules, and for providers with geographic inference
profiles (``ModelIds.geo_prefixes``) the profiles of that id too. Fetch's ``--now`` then makes a
model past its retirement ``retired``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import yaml

from modelatlas import regular_files, yamlio
from modelatlas.errors import InputError
from modelatlas.fetch.providers import registry
from modelatlas.fetch.spellings import match_key
from modelatlas.record import Record

CURATED = "curated"


@dataclass(frozen=True)
class LifecycleRow:
    """One row: the id it names and the two dates (ISO days), with its page."""

    model: str  # the id, or for an endpoint row its regex
    deprecated: str | None
    retired: str | None  # the first day the model is not served
    url: str
    quote: str
    mode: str | None = None  # an endpoint row: the mode of the ids it serves

    def serves(self, upstream_id: str, mode: object) -> bool:
        """Whether this endpoint row names a record of this id and mode."""
        if self.mode is None or mode != self.mode:
            return False
        return re.fullmatch(self.model, upstream_id) is not None


def tables_dir(data_dir: Path) -> Path:
    return data_dir / "lifecycle"


def table_path(data_dir: Path, provider: str) -> Path:
    return tables_dir(data_dir) / f"{provider}.yaml"


def _iso(value: Any, label: str, key: str) -> str | None:
    if value is None:
        return None
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        try:
            return date.fromisoformat(value).isoformat()
        except ValueError:
            pass
    raise InputError(f"{label}: '{key}' must be a date YYYY-MM-DD, got {value!r}")


def _endpoint(raw: dict[str, Any], label: str) -> tuple[str, str]:
    """An endpoint row's regex and mode, checked."""
    pattern, mode = raw.get("endpoint"), raw.get("mode")
    if not isinstance(mode, str) or not mode:
        raise InputError(f"{label}: an 'endpoint' row needs 'mode' (the mode of the ids it serves)")
    try:
        re.compile(pattern)
    except (re.error, TypeError) as exc:
        raise InputError(f"{label}: 'endpoint' must be a regex over the provider's ids ({exc})") from exc
    return pattern, mode


def _row(raw: Any, label: str, page: str, last_day_pages: set[str]) -> LifecycleRow:
    if isinstance(raw, dict) and "endpoint" in raw:
        pattern, mode = _endpoint(raw, label)
        return _dated(raw, label, page, last_day_pages, pattern, mode)
    if not isinstance(raw, dict) or not isinstance(raw.get("model"), str) or not raw["model"].strip():
        raise InputError(f"{label}: expected a mapping with 'model' (the provider's id)")
    version = raw.get("version")
    model = f"{raw['model']}-{version}" if isinstance(version, str) and version else raw["model"]
    return _dated(raw, label, page, last_day_pages, model.strip(), None)


def _dated(
    raw: dict[str, Any], label: str, page: str, last_day_pages: set[str], model: str, mode: str | None
) -> LifecycleRow:
    url = raw.get("url", page)
    if not isinstance(url, str) or not url.startswith("https://"):
        raise InputError(f"{label}: 'url' must be the https:// page the row is from")
    if not isinstance(raw.get("quote"), str) or not raw["quote"].strip():
        raise InputError(f"{label}: 'quote' (the row as the page gives it) is required")
    deprecated = _iso(raw.get("deprecated"), label, "deprecated")
    shutdown = _iso(raw.get("shutdown_last_region") or raw.get("shutdown"), label, "shutdown")
    if deprecated is None and shutdown is None:
        raise InputError(f"{label}: give 'deprecated' or 'shutdown' (or both)")
    if shutdown is not None and url in last_day_pages:
        shutdown = (date.fromisoformat(shutdown) + timedelta(days=1)).isoformat()
    return LifecycleRow(model, deprecated, shutdown, url, raw["quote"], mode)


def load_table(data_dir: Path, provider: str) -> list[LifecycleRow]:
    """The provider's rows (none without a file); a bad file raises InputError naming the row."""
    path = table_path(data_dir, provider)
    try:
        raw = yamlio.safe_load(regular_files.read_text(path))
    except FileNotFoundError:
        return []
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise InputError(f"{path}: cannot read it as YAML ({exc.__class__.__name__}); fix the file") from exc
    if not isinstance(raw, dict) or not isinstance(raw.get("models"), list):
        raise InputError(f"{path}: expected 'page' and a list 'models' of rows")
    page = raw.get("page")
    if not isinstance(page, str) or not page.startswith("https://"):
        raise InputError(f"{path}: 'page' must be the https:// URL of the provider's deprecations page")
    last_day = raw.get("shutdown_is_last_day_on", [])
    if not isinstance(last_day, list) or not all(isinstance(u, str) for u in last_day):
        raise InputError(f"{path}: 'shutdown_is_last_day_on' must be a list of page URLs")
    rows = []
    for index, item in enumerate(raw["models"], start=1):
        model = item.get("model") if isinstance(item, dict) else "?"
        rows.append(_row(item, f"{path}: row {index} ({model})", page, set(last_day)))
    return rows


def _keys(provider: str, spellings: Iterable[str]) -> set[str]:
    """The keys rows find these spellings by: as written, and without a geography prefix."""
    model_ids = registry.declared(provider).model_ids
    keys = set()
    for spelling in spellings:
        keys.add(match_key(provider, spelling))
        geo = model_ids.geo_prefix(spelling)
        if geo:
            keys.add(match_key(provider, spelling[len(geo) + 1 :]))
    return keys


def _set(record: Record, field: str, value: str) -> None:
    extension = record["modelatlas"]
    extension.setdefault("lifecycle", {})[field] = value
    extension["provenance"][f"modelatlas.lifecycle.{field}"] = CURATED


def apply_table(provider: str, records: Iterable[Record], rows: Iterable[LifecycleRow]) -> set[str]:
    """Set the rows' dates on the records they name (see the module docstring): rows naming one
    of a record's aliases first, then a row naming its own id, which wins. The models of the rows
    that named a record."""
    rows_by_key: dict[str, list[LifecycleRow]] = {}
    endpoints = []
    for row in rows:
        if row.mode is None:
            rows_by_key.setdefault(match_key(provider, row.model), []).append(row)
        else:
            endpoints.append(row)
    used: set[str] = set()
    for record in records:
        extension = record["modelatlas"]
        own = _keys(provider, [extension["upstream_id"]])
        others = _keys(provider, extension.get("aliases", [])) - own
        served = [row for row in endpoints if row.serves(extension["upstream_id"], extension.get("mode"))]
        named = [[row for key in sorted(keys) for row in rows_by_key.get(key, [])] for keys in (others, own)]
        for row in (row for group in (served, *named) for row in group):
            used.add(row.model)
            if row.deprecated:
                _set(record, "deprecation_date", row.deprecated)
            if row.retired:
                _set(record, "retirement_date", row.retired)
    return used
