"""The providers' own lists, kept with their dates: ``data/lists/<provider>.json``.

A list is the ids one list-models response gave (never its other fields), the day it was given,
and where it came from. ``modelatlas fetch`` writes it whenever it fetches a provider's live list;
the committed files were seeded from real recorded responses (their sources are in each file).
The merge reads the last list as evidence of which models the provider serves
(:mod:`modelatlas.fetch.membership`): a model on it is listed; a model that existed before its
date and is not on it is contradicted; an id an earlier list had and a later one does not is
gone as of the later date (kept in ``gone``).

``aliases`` keeps the other names a response gives one model (Mistral's per-model ``aliases``:
``mistral-tiny-2407`` is ``open-mistral-nemo``), so that a later refresh without the live list still
knows them (:func:`restore_list_aliases`).

``complete: false`` marks a partial response (one page of several, one publisher of several):
its ids confirm models, its silence contradicts none. ``covers`` (a regex, full match) limits the
ids a list answers for (Bedrock's foundation-model list does not name inference profiles).
Schema: ``schema/provider-list.schema.json``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path
from types import MappingProxyType
from typing import Any

from modelatlas import jsonio, regular_files
from modelatlas.datastore import write_atomic
from modelatlas.errors import InputError
from modelatlas.fetch.providers import registry
from modelatlas.ids import split_date
from modelatlas.record import Record
from modelatlas.schema import SCHEMA_VERSION, iter_violations


@dataclass(frozen=True)
class Gone:
    """An id a list had (``last_seen``: that list's date) and a later list did not (``missing_since``)."""

    last_seen: str
    missing_since: str


@dataclass(frozen=True)
class ProviderList:
    """The ids of one list-models response of a provider, as of ``day``."""

    provider: str
    day: date
    source: str
    ids: tuple[str, ...]
    complete: bool = True
    covers: str | None = None
    outputs: tuple[str, ...] = ()
    note: str = ""
    gone: Mapping[str, Gone] = field(default_factory=dict)
    aliases: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "ids", tuple(sorted(set(self.ids))))
        object.__setattr__(self, "gone", MappingProxyType(dict(sorted(self.gone.items()))))
        named = {i: tuple(sorted(set(a))) for i, a in self.aliases.items() if a and i in set(self.ids)}
        object.__setattr__(self, "aliases", MappingProxyType(dict(sorted(named.items()))))

    @cached_property
    def _covers(self) -> re.Pattern[str] | None:
        return re.compile(self.covers) if self.covers else None

    def answers_for(self, upstream_id: str, outputs: Iterable[str] = ()) -> bool:
        """Whether this list speaks for ``upstream_id`` with these output modalities (unknown: ``()``),
        so that its silence says the id is not served."""
        if not self.complete or (self._covers is not None and self._covers.fullmatch(upstream_id) is None):
            return False
        outputs = set(outputs)
        return not self.outputs or not outputs or bool(outputs & set(self.outputs))

    def document(self) -> dict[str, Any]:
        doc: dict[str, Any] = {
            "schema_version": SCHEMA_VERSION,
            "provider": self.provider,
            "date": self.day.isoformat(),
            "source": self.source,
            "complete": self.complete,
            "ids": list(self.ids),
        }
        if self.covers:
            doc["covers"] = self.covers
        if self.outputs:
            doc["outputs"] = list(self.outputs)
        if self.note:
            doc["note"] = self.note
        if self.aliases:
            doc["aliases"] = {i: list(a) for i, a in self.aliases.items()}
        if self.gone:
            doc["gone"] = {
                i: {"last_seen": g.last_seen, "missing_since": g.missing_since} for i, g in self.gone.items()
            }
        return doc


def lists_dir(data_dir: Path) -> Path:
    return data_dir / "lists"


def list_path(data_dir: Path, provider: str) -> Path:
    return lists_dir(data_dir) / f"{provider}.json"


def parse_list(raw: Any, where: str) -> ProviderList:
    """A list document (already parsed JSON) checked against its schema; InputError naming ``where``."""
    for violation in iter_violations("provider-list", raw, where):
        problem = f"invalid at {violation.pointer or '/'}: {violation.message}"
        raise InputError(f"{where}: {problem}; fix or remove the file")
    covers = raw.get("covers")
    if covers:
        try:
            re.compile(covers)
        except re.error as exc:
            raise InputError(f"{where}: 'covers' is not a regular expression ({exc})") from exc
    gone = {i: Gone(g["last_seen"], g["missing_since"]) for i, g in raw.get("gone", {}).items()}
    return ProviderList(
        provider=raw["provider"],
        day=date.fromisoformat(raw["date"]),
        source=raw["source"],
        ids=tuple(raw["ids"]),
        complete=raw["complete"],
        covers=covers,
        outputs=tuple(raw.get("outputs", ())),
        note=raw.get("note", ""),
        gone=gone,
        aliases={i: tuple(a) for i, a in raw.get("aliases", {}).items()},
    )


def load_list(data_dir: Path, provider: str) -> ProviderList | None:
    """The provider's last list (None when there is none); a broken file raises InputError."""
    path = list_path(data_dir, provider)
    try:
        raw = jsonio.parse(regular_files.read_text(path))
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise InputError(f"cannot read {path} as JSON ({exc.__class__.__name__}); fix or remove it") from exc
    found = parse_list(raw, str(path))
    if found.provider != provider:
        raise InputError(f"{path}: holds the list of {found.provider!r}; name it lists/{found.provider}.json")
    return found


def next_list(previous: ProviderList | None, new: ProviderList) -> ProviderList:
    """``new`` with ``gone`` carried over from ``previous`` and extended: ids ``previous`` had that
    ``new`` answers for and does not have are gone since ``new``'s date; ids back on the list are not."""
    if previous is None or previous.day > new.day:
        return new
    gone = {i: g for i, g in previous.gone.items() if i not in set(new.ids)}
    listed = set(new.ids)
    for upstream_id in previous.ids:
        if upstream_id not in listed and new.answers_for(upstream_id):
            gone[upstream_id] = Gone(previous.day.isoformat(), new.day.isoformat())
    return ProviderList(
        provider=new.provider,
        day=new.day,
        source=new.source,
        ids=new.ids,
        complete=new.complete,
        covers=new.covers,
        outputs=new.outputs,
        note=new.note,
        gone=gone,
        aliases=new.aliases,
    )


def write_list(data_dir: Path, provider_list: ProviderList) -> bool:
    """Write the list (pretty, sorted); whether the file changed."""
    path = list_path(data_dir, provider_list.provider)
    return write_atomic(path, jsonio.pretty_bytes(provider_list.document()))


def live_list(
    provider: str, list_url: str, records: Iterable[Mapping[str, Any]], skipped: Mapping[str, str], day: date
) -> ProviderList:
    """What a list file keeps of a live list: its ids and the other names it gives each model, the
    day and the request; a list with parts the provider refused (``skipped``) is partial."""
    records = list(records)
    return ProviderList(
        provider=provider,
        day=day,
        source=f"GET {list_url} (modelatlas fetch)",
        ids=ids_of(records),
        complete=not skipped,
        note="; ".join(f"skipped {part}: {why}" for part, why in skipped.items()),
        aliases=_aliases_of(records),
    )


def _aliases_of(records: Iterable[Mapping[str, Any]]) -> dict[str, tuple[str, ...]]:
    """The other names a response gives each id (the provider's own ``aliases``)."""
    return {str(r["modelatlas"]["upstream_id"]): tuple(r["modelatlas"].get("aliases", ())) for r in records}


def ids_of(records: Iterable[Mapping[str, Any]]) -> tuple[str, ...]:
    """The upstream ids of a provider's normalized records (what a list keeps of a response)."""
    return tuple(str(r["modelatlas"]["upstream_id"]) for r in records)


def restore_list_aliases(models: list[Record], provider_list: ProviderList | None) -> None:
    """The other names the provider's last recorded list gave each of its ids (``aliases``), on the
    records of those ids, as a live list would have given them: a deprecation row naming one of
    them then dates the record too (``mistral-tiny-2407`` is ``open-mistral-nemo-2407``). Only
    between ids of fixed snapshots (a full date, or the provider's own snapshot suffix: ``-2407``):
    an undated id points wherever the provider moves it, and the old list only says where it was."""
    named = provider_list.aliases if provider_list is not None else {}
    for record in models:
        extension = record["modelatlas"]
        provider, upstream = extension["provider"], extension["upstream_id"]
        if not _fixed_snapshot(provider, upstream):
            continue
        more = {alias for alias in named.get(upstream, ()) if _fixed_snapshot(provider, alias)} - {upstream}
        if more - set(extension.get("aliases", [])):
            extension["aliases"] = sorted(more | set(extension.get("aliases", [])))
            extension["provenance"].setdefault("modelatlas.aliases", "derived")


def _fixed_snapshot(provider: str, upstream_id: str) -> bool:
    return split_date(upstream_id, registry.declared(provider).name_reading.snapshot_suffix)[1] is not None
