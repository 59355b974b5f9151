"""Lifecycle as of the snapshot date: status from the dates, successors that exist.

The two dates mean different things (docs/merge-policy.md lists which source field feeds which):

* ``deprecation_date``: the model is announced for shutdown from that day on; it still works.
* ``retirement_date``: the day the provider stops serving it (shutdown, retirement, end of life).

As of ``today`` (fetch's ``--now``, never the machine clock): past ``retirement_date`` the status
is ``retired``; else past ``deprecation_date`` it is ``deprecated``; else a status a source states
stays. ``removed`` (no source or list has the model any more) is never overwritten, and
``unverified`` (only a stale catalog lists it, or the provider's list contradicts it) only by ``retired``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from enum import StrEnum

from modelatlas.fetch.catalogs import litellm
from modelatlas.ids import model_id
from modelatlas.record import Record

MatchKey = Callable[[str, str], str]


class Status(StrEnum):
    DEPRECATED = "deprecated"
    RETIRED = "retired"
    REMOVED = "removed"
    UNVERIFIED = "unverified"


def _passed(value: object, today: date) -> bool:
    """Whether a ``YYYY-MM-DD`` day has come; a ``YYYY-MM`` month only once it has ended."""
    if not isinstance(value, str):
        return False
    if len(value) == 10:
        return date.fromisoformat(value) <= today
    year, month = int(value[:4]), int(value[5:7])
    return date(year + month // 12, month % 12 + 1, 1) <= today


def dated_status(lifecycle: dict[str, object], today: date) -> Status | None:
    """The status the dates give as of ``today`` (None: the dates say nothing)."""
    if _passed(lifecycle.get("retirement_date"), today):
        return Status.RETIRED
    if _passed(lifecycle.get("deprecation_date"), today):
        return Status.DEPRECATED
    return None


def apply_status(record: Record, today: date) -> None:
    """The status the dates give, as of ``today``; ``removed`` stays, and ``unverified`` (the model
    may not be served at all) yields only to ``retired``."""
    extension = record["modelatlas"]
    lifecycle = extension.get("lifecycle")
    if not lifecycle or lifecycle.get("status") == Status.REMOVED:
        return
    status = dated_status(lifecycle, today)
    if lifecycle.get("status") == Status.UNVERIFIED and status is not Status.RETIRED:
        return
    if status is not None and lifecycle.get("status") != status:
        lifecycle["status"] = str(status)
        extension["provenance"]["modelatlas.lifecycle.status"] = "derived"


def successor_id(provider: str, value: str, known: dict[str, str], key: MatchKey) -> str | None:
    """The catalog id a successor value names, if that model is in the provider's list.

    ``value`` may be an upstream id, a catalog id (``<provider>/<id>``) or a LiteLLM routing key
    (``azure_ai/<id>``); ``known`` maps :func:`match_key` of each listed upstream id to the id.
    """
    tries = [value.removeprefix(f"{provider}/")]
    routed, _reason, _regional = litellm.upstream_id_for(value, provider)
    if routed:
        tries.append(routed)
    for upstream in tries:
        found = known.get(key(provider, upstream))
        if found:
            return model_id(provider, found)
    return None


def resolve_successors(provider: str, records: Iterable[Record], key: MatchKey) -> None:
    """Replace each successor by the catalog id it names, or drop it when that model is not listed."""
    records = list(records)
    known = {key(provider, r["modelatlas"]["upstream_id"]): r["modelatlas"]["upstream_id"] for r in records}
    for record in records:
        extension = record["modelatlas"]
        lifecycle = extension.get("lifecycle", {})
        value = lifecycle.get("successor")
        if not isinstance(value, str):
            continue
        resolved = successor_id(provider, value, known, key)
        if resolved and resolved != record["id"]:
            lifecycle["successor"] = resolved
            continue
        del lifecycle["successor"]
        extension["provenance"].pop("modelatlas.lifecycle.successor", None)
        if not lifecycle:
            del extension["lifecycle"]
