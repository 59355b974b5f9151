"""How one provider's spellings of a model join: the join keys, and the provider's own list as the
authority on which ids are separate models (:func:`split_listed`) and which are other names of a
listed id (:func:`fold_list_aliases`). Used by :mod:`modelatlas.fetch.merge`."""

from __future__ import annotations

from modelatlas.fetch.id_rules import spelling_key
from modelatlas.fetch.providers import registry
from modelatlas.ids import model_id
from modelatlas.record import Record


def match_key(provider: str, upstream_id: str) -> str:
    """The join key of a model id within one provider: wrapper prefixes removed, the provider's
    declared spellings applied (``ModelIds.own_spellings``, ``spelling_folds``), separators folded."""
    return spelling_key(registry.declared(provider).model_ids.folded(upstream_id.strip()))


def alias_key(provider: str, upstream_id: str) -> str:
    """:func:`match_key` after the provider's ``list_aliases`` (how a shorter name finds a listed id)."""
    return spelling_key(registry.declared(provider).model_ids.shortened(upstream_id.strip()))


def upstream_id_of(record: Record) -> str:
    return str(record["modelatlas"]["upstream_id"])


Group = list[tuple[str, Record]]
# The provider's list as a source of spellings only: an id it has that no source spells so still
# names the record its spellings join (its entries carry no values and make no record alone).
LISTED = "listed"


def listed_entry(provider: str, upstream_id: str) -> Record:
    extension = {"upstream_id": upstream_id, "provenance": {}}
    return {"id": model_id(provider, upstream_id), "modelatlas": extension}


def _owner(upstream_id: str, listed: list[str]) -> str | None:
    """The one listed id a spelling is closest to: the same id, else the same but for case, else
    the same spelling key; None when none or several are."""
    for key in (lambda s: s, str.casefold, spelling_key):
        matches = [uid for uid in listed if key(uid) == key(upstream_id)]
        if len(matches) == 1:
            return matches[0]
        if matches:
            return None
    return None


def split_listed(groups: dict[str, Group], listed: frozenset[str]) -> dict[str, Group]:
    """Groups holding several ids of the provider's list split into one per listed id (an id the
    provider lists is never folded into another, as Azure's ``qwen-3-32b`` and ``qwen3-32b``); each
    other spelling joins the listed id it is closest to (:func:`_owner`), or stays on its own."""
    result: dict[str, Group] = {}
    for key, group in groups.items():
        here = sorted({upstream_id_of(r) for _, r in group} & listed)
        if len(here) <= 1:
            result[key] = group
            continue
        for source, record in group:
            owner = _owner(upstream_id_of(record), here) or upstream_id_of(record)
            result.setdefault(f"{key} {owner}", []).append((source, record))
    return result


def fold_list_aliases(provider: str, groups: dict[str, Group], listed: frozenset[str]) -> dict[str, Group]:
    """A group without a listed id whose spellings shorten (``ModelIds.list_aliases``) to exactly
    one listed id's joins that id's group: it is another name of the listed model."""
    if not listed:
        return groups
    holders: dict[str, set[str]] = {}
    for key, group in groups.items():
        for uid in {upstream_id_of(r) for _, r in group} & listed:
            holders.setdefault(alias_key(provider, uid), set()).add(key)
    result = {key: list(group) for key, group in groups.items()}
    for key, group in groups.items():
        if {upstream_id_of(r) for _, r in group} & listed:
            continue
        targets = set().union(*(holders.get(alias_key(provider, upstream_id_of(r)), set()) for _, r in group))
        if len(targets) == 1:
            result[targets.pop()].extend(result.pop(key))
    return result
