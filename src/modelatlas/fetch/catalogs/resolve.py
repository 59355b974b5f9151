"""Rules applied to one catalog's records of one provider after they are built (docs/data-sources.md).

- **Aliases** (providers declaring ``ModelIds.latest_aliases``: their own ids follow the
  convention; hosts of others' models reuse the names with their own, older dated versions, so
  nothing is inferred there). ``<base>-latest`` names the newest dated
  ``<base>-<date>`` model that the same catalog lists (``mistral-medium-latest`` ->
  ``mistral-medium-2604``; dates as ``YYMM``, ``YYYYMMDD``, ``YYYY-MM-DD`` or ``MM-YYYY``). The
  alias record gets ``modelatlas.alias_of`` and the target's values (it serves that model),
  keeping its own id and name; an alias without a dated sibling is left as it is.
- **Copied geo-profile prices** (providers declaring ``CatalogRules.geo_pricing``). The geographic
  inference profiles (``us.``, ``eu.``, ...) of a model it names are priced alike, and differently
  from its ``global.`` profile where one exists. When a catalog prices one geo profile of a model
  above ``global.`` but another geo profile exactly like ``global.``, the second is a copy of the
  global price, not a price of its own: it is left out.
"""

from __future__ import annotations

import copy
import re
from collections import Counter
from collections.abc import Iterable

from modelatlas.fetch.providers import registry
from modelatlas.fetch.providers.rules import GeoPricing
from modelatlas.record import Record

_LATEST = re.compile(r"^(?P<base>.+)-latest$")
_DATED = (
    (re.compile(r"^(\d{2})(0[1-9]|1[0-2])$"), lambda m: (2000 + int(m[1]), int(m[2]), 0)),  # 2508
    (re.compile(r"^(20\d{2})(\d{2})(\d{2})$"), lambda m: (int(m[1]), int(m[2]), int(m[3]))),
    (re.compile(r"^(20\d{2})-(\d{2})-(\d{2})$"), lambda m: (int(m[1]), int(m[2]), int(m[3]))),
    (re.compile(r"^(0[1-9]|1[0-2])-(20\d{2})$"), lambda m: (int(m[2]), int(m[1]), 0)),  # 08-2024
)
_ALIAS_OWN_FIELDS = ("name",)  # besides its id: what an alias keeps of its own entry


def version_date(version: str) -> tuple[int, int, int] | None:
    """The release date a version suffix spells, or None if it is no date."""
    for pattern, to_date in _DATED:
        match = pattern.match(version)
        if match:
            return to_date(match)
    return None


def _upstream(record: Record) -> str:
    return str(record["modelatlas"]["upstream_id"])


def alias_target(alias: str, ids: Iterable[str]) -> str | None:
    """The newest ``<base>-<date>`` id among ``ids`` for ``<base>-latest`` (None if none)."""
    match = _LATEST.match(alias)
    if not match:
        return None
    prefix = match["base"] + "-"
    dated = [
        (when, upstream)
        for upstream in ids
        if upstream.startswith(prefix) and (when := version_date(upstream[len(prefix) :])) is not None
    ]
    return max(dated)[1] if dated else None


def _as_alias(alias: Record, target: Record) -> Record:
    """``target``'s values under ``alias``'s id and name, with ``alias_of`` set."""
    source = next(iter(alias["modelatlas"]["provenance"].values()), None)
    resolved = copy.deepcopy(target)
    resolved["id"] = alias["id"]
    resolved["modelatlas"]["upstream_id"] = _upstream(alias)
    provenance = resolved["modelatlas"]["provenance"]
    for key in _ALIAS_OWN_FIELDS:
        resolved.pop(key, None)
        provenance.pop(key, None)
        if key in alias:
            resolved[key] = alias[key]
            provenance[key] = alias["modelatlas"]["provenance"][key]
    resolved["modelatlas"]["alias_of"] = _upstream(target)
    if source is not None:
        provenance["modelatlas.alias_of"] = source
    resolved["modelatlas"]["provenance"] = dict(sorted(provenance.items()))
    return resolved


def resolve_aliases(records: list[Record], skipped: Counter[str]) -> list[Record]:
    by_id = {_upstream(r): r for r in records}
    result = []
    for record in records:
        target = alias_target(_upstream(record), by_id)
        if target is None:
            result.append(record)
            continue
        result.append(_as_alias(record, by_id[target]))
    return result


def _drop_pricing(record: Record) -> None:
    record.pop("pricing", None)
    provenance = record["modelatlas"]["provenance"]
    for path in [p for p in provenance if p.startswith("pricing.")]:
        del provenance[path]


def drop_copied_geo_prices(rule: GeoPricing, records: list[Record], skipped: Counter[str]) -> None:
    """Leave out geo-profile prices that merely repeat ``global.`` (see the module docstring)."""
    groups: dict[str, dict[str, Record]] = {}
    for record in records:
        prefix, model = rule.split(_upstream(record))
        if prefix and "prompt" in record.get("pricing", {}):
            groups.setdefault(model, {})[prefix] = record
    for profiles in groups.values():
        global_record = profiles.get(rule.global_profile)
        if global_record is None:
            continue
        global_price = global_record["pricing"]
        geo = [r for prefix, r in profiles.items() if prefix != rule.global_profile]
        if all(r["pricing"] == global_price for r in geo):
            continue  # nothing in this catalog says the geo profiles cost more
        for record in geo:
            if record["pricing"] == global_price:
                _drop_pricing(record)
                skipped["geo-profile price that repeats global. (left out)"] += 1


def finish(result: dict[str, list[Record]], skipped: Counter[str]) -> dict[str, list[Record]]:
    """Apply the rules above to every provider's records of one catalog."""
    for provider, records in result.items():
        declared = registry.declared(provider)
        if declared.model_ids.latest_aliases:
            result[provider] = resolve_aliases(records, skipped)
        if declared.catalog_rules.geo_pricing is not None:
            drop_copied_geo_prices(declared.catalog_rules.geo_pricing, result[provider], skipped)
    return result
