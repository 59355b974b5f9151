"""Which models a provider serves, and the evidence: ``modelatlas.membership`` on every record.

The evidence, strongest first (docs/merge-policy.md, "Which models are listed"):

1. **The provider's lists.** Its live list (this refresh), its last recorded list
   (``data/lists/<provider>.json``) and the catalogs that are copies of its list
   (``CatalogRules.list_copies``), each with its date. The newest list that answers for a model
   decides: it has the model (``provider_list`` / ``recorded_list``), or an older list had it and
   this one does not (``gone``: removed, ``last_seen`` the older list's date; dropped
   :data:`~modelatlas.fetch.refresh.REMOVED_RETENTION_DAYS` days later).
2. **Contradiction.** A list answers for a model when it is complete and covers the id and its
   outputs (:meth:`ProviderList.answers_for`). If such a list does not have a model that existed
   before the list's date (a release, creation, deprecation or retirement date before it), the list
   contradicts every source that still lists it: ``contradicted``, status ``unverified``. A model
   newer than the list, or of unknown date, is not contradicted: a list is silent about the future.
3. **Independent sources.** Otherwise two or more independent sources (a copy counts as its
   original) make it ``independent_sources``; one source alone makes it ``single_source`` unless a
   newer independent source that covers the provider leaves it out: then that one catalog is stale
   (``stale_source``, status ``unverified``).

A provider whose list is its catalog (``list_copies``: OpenRouter) lists exactly what that list
has: a model only other catalogs name is no model of it and is left out.
Statuses set here (``unverified``, ``removed``) are hidden by default, like ``retired``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum

from modelatlas.fetch.policy import independence_group
from modelatlas.fetch.provider_lists import ProviderList
from modelatlas.fetch.spellings import match_key
from modelatlas.record import Record

NOT_CATALOGS = frozenset({"provider_api", "curated", "derived"})


class Basis(StrEnum):
    PROVIDER_LIST = "provider_list"
    RECORDED_LIST = "recorded_list"
    INDEPENDENT_SOURCES = "independent_sources"
    SINGLE_SOURCE = "single_source"
    STALE_SOURCE = "stale_source"
    CONTRADICTED = "contradicted"
    GONE = "gone"
    UNLISTED = "unlisted"
    CURATED = "curated"


UNVERIFIED = frozenset({Basis.STALE_SOURCE, Basis.CONTRADICTED})


@dataclass(frozen=True)
class ListSeen:
    """One list of the provider as the merge reads it; ``live``: fetched in this refresh (or the
    catalog that is the provider's list), else recorded earlier."""

    provider_list: ProviderList
    live: bool

    @property
    def day(self) -> date:
        return self.provider_list.day


@dataclass(frozen=True)
class Evidence:
    """What membership reads besides the records: the provider's lists, each source's as-of date,
    and whether the lists are the provider's whole membership (``lists_only``)."""

    lists: Sequence[ListSeen] = ()
    dates: Mapping[str, date] = field(default_factory=dict)
    lists_only: bool = False


@dataclass(frozen=True)
class Verdict:
    basis: Basis
    list_date: date | None = None
    last_seen: str | None = None  # for gone: the date of the last list that had it


def _keys(provider: str, record: Record) -> set[str]:
    extension = record["modelatlas"]
    spellings = [extension["upstream_id"], *extension.get("aliases", [])]
    return {match_key(provider, spelling) for spelling in spellings}


def existed_by(record: Record) -> date | None:
    """The earliest day the record's own dates show the model existed (release, creation,
    deprecation, retirement); a month-only date counts from its last day."""
    lifecycle = record["modelatlas"].get("lifecycle", {})
    days = [
        _day(lifecycle.get(name)) for name in ("release_date", "deprecation_date", "retirement_date")
    ]
    created = record.get("created")
    if isinstance(created, int):
        days.append(datetime.fromtimestamp(created, UTC).date())
    known = [day for day in days if day is not None]
    return min(known) if known else None


def _day(value: object) -> date | None:
    if not isinstance(value, str):
        return None
    if len(value) == 10:
        return date.fromisoformat(value)
    year, month = int(value[:4]), int(value[5:7])
    return date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)


class ListIndex:
    """The provider's lists with the match keys of their ids (and of the ids they saw go)."""

    def __init__(self, provider: str, lists: Iterable[ListSeen]) -> None:
        self.provider = provider
        self.lists = sorted(lists, key=lambda seen: seen.day, reverse=True)  # newest first
        self.keys = [{match_key(provider, uid) for uid in seen.provider_list.ids} for seen in self.lists]
        self.gone: dict[str, str] = {}
        for seen in reversed(self.lists):  # newer lists' records win
            for uid, gone in seen.provider_list.gone.items():
                self.gone[match_key(provider, uid)] = gone.last_seen

    def verdict(self, record: Record) -> Verdict | None:
        """What the lists say of a record (None: nothing, the sources decide)."""
        keys = _keys(self.provider, record)
        upstream = record["modelatlas"]["upstream_id"]
        outputs = record.get("architecture", {}).get("output_modalities", [])
        missing_since: date | None = None
        for seen, listed in zip(self.lists, self.keys, strict=True):
            if keys & listed:
                if missing_since is None:
                    basis = Basis.PROVIDER_LIST if seen.live else Basis.RECORDED_LIST
                    return Verdict(basis, seen.day)
                return Verdict(Basis.GONE, missing_since, seen.day.isoformat())
            if seen.provider_list.answers_for(upstream, outputs):
                missing_since = seen.day  # the oldest newer list without it, so far
        last_seen = next((self.gone[key] for key in sorted(keys) if key in self.gone), None)
        if last_seen is not None:
            return Verdict(Basis.GONE, missing_since, last_seen)
        existed = existed_by(record)
        for seen in self.lists:
            answers = seen.provider_list.answers_for(upstream, outputs)
            if answers and existed is not None and existed < seen.day:
                return Verdict(Basis.CONTRADICTED, seen.day)
        return None


class Coverage:
    """Which source lists which of the provider's models, to tell whether one source's silence
    says anything about another's entry: a source speaks for another's list of the provider when
    it lists at least :data:`COMPARABLE_SHARE` of that list's models. Below that they list
    different offerings (one catalog's keys for models pulled to a local server, another's for the
    same provider's hosted service) and neither's silence is evidence."""

    def __init__(self, listed_by: Mapping[str, Sequence[str]]) -> None:
        self.listing: dict[str, set[str]] = {}
        for record_id, sources in listed_by.items():
            for source in sources:
                self.listing.setdefault(source, set()).add(record_id)

    def speaks_for(self, other: str, source: str) -> bool:
        own, theirs = self.listing.get(source, set()), self.listing.get(other, set())
        return bool(own) and len(own & theirs) >= COMPARABLE_SHARE * len(own)


COMPARABLE_SHARE = 0.25


def source_verdict(provider: str, sources: Sequence[str], evidence: Evidence, coverage: Coverage) -> Verdict:
    """What the sources alone say of a model ``sources`` list: two independent ones confirm it; one
    alone is stale when a newer, independent source that speaks for its list leaves the model out."""
    catalogs = [s for s in sources if s not in NOT_CATALOGS]
    if not catalogs:
        return Verdict(Basis.CURATED if "curated" in sources else Basis.SINGLE_SOURCE)
    groups = {independence_group(source, provider) for source in catalogs}
    if len(groups) > 1:
        return Verdict(Basis.INDEPENDENT_SOURCES)
    for source in catalogs:
        day = evidence.dates.get(source)
        for other in sorted(coverage.listing):
            if other in NOT_CATALOGS or independence_group(other, provider) in groups:
                continue
            newer = day is not None and evidence.dates.get(other, day) > day
            if newer and coverage.speaks_for(other, source):
                return Verdict(Basis.STALE_SOURCE)
    return Verdict(Basis.SINGLE_SOURCE)


def _mark(record: Record, verdict: Verdict, sources: Sequence[str]) -> None:
    extension = record["modelatlas"]
    membership: dict[str, object] = {"basis": str(verdict.basis)}
    if verdict.list_date is not None:
        membership["list_date"] = verdict.list_date.isoformat()
    if sources:
        membership["sources"] = list(sources)
    extension["membership"] = membership
    provenance = extension["provenance"]
    provenance["modelatlas.membership"] = "derived"
    if verdict.basis in UNVERIFIED or verdict.basis is Basis.GONE:
        lifecycle = extension.setdefault("lifecycle", {})
        lifecycle["status"] = "removed" if verdict.basis is Basis.GONE else "unverified"
        provenance["modelatlas.lifecycle.status"] = "derived"
        if verdict.last_seen is not None:
            lifecycle["last_seen"] = verdict.last_seen
            provenance["modelatlas.lifecycle.last_seen"] = "derived"


def _expired(verdict: Verdict, today: date, retention_days: int) -> bool:
    """A gone model is kept, removed, for ``retention_days`` after it was last listed."""
    if verdict.basis is not Basis.GONE or verdict.last_seen is None:
        return False
    return (today - date.fromisoformat(verdict.last_seen[:10])).days > retention_days


def apply_membership(
    provider: str,
    records: Iterable[Record],
    listed_by: Mapping[str, Sequence[str]],
    evidence: Evidence,
    *,
    today: date,
    retention_days: int,
) -> list[Record]:
    """``records`` with ``modelatlas.membership`` set (and ``unverified`` / ``removed`` where the
    evidence says so); records that are no model of the provider, or gone longer than
    ``retention_days``, are left out. A record no source lists any more (``listed_by`` has none)
    is ``unlisted``."""
    index = ListIndex(provider, evidence.lists)
    coverage = Coverage(listed_by)
    kept = []
    for record in records:
        sources = listed_by.get(record["id"])
        if sources is None and record["modelatlas"].get("lifecycle", {}).get("status") == "removed":
            _mark(record, Verdict(Basis.UNLISTED), ())
            kept.append(record)
            continue
        sources = tuple(sources or ("curated",))
        verdict = index.verdict(record)
        if evidence.lists_only and (verdict is None or verdict.basis is Basis.CONTRADICTED):
            continue  # only the provider's own list makes a model of it
        if verdict is None:
            verdict = source_verdict(provider, sources, evidence, coverage)
        if _expired(verdict, today, retention_days):
            continue
        _mark(record, verdict, [s for s in sources if s != "curated" or len(sources) == 1])
        kept.append(record)
    return kept
