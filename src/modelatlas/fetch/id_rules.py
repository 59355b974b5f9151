"""Which ids name a model of a provider, and which spellings name the same model.

Each provider module may declare ``ID_GRAMMAR`` (an :class:`IdGrammar`): the shape of its model ids
and the names in its id space that are not models. An id that breaks its provider's grammar is
rejected with the rule's reason; rejections are kept in the provider document's
``status.rejected`` and shown in the quality report. Nothing here lists bad ids one by one.

:func:`spelling_key` folds the spelling differences catalogs introduce (``3.5`` / ``3-5``,
``llama3.1`` / ``llama-3.1``, ``model_router`` / ``model-router``, case) so they join into one
record; only separators are folded, never letters or digits, so two different models cannot meet.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

_DIGIT_DOT = re.compile(r"(?<=\d)\.(?=\d)")
_LETTER_DIGIT = re.compile(r"(?<=[a-z])(?=\d)")


@dataclass(frozen=True)
class IdRule:
    """Ids matching ``pattern`` (searched anywhere) are rejected with ``reason``."""

    pattern: str
    reason: str


@dataclass(frozen=True)
class IdGrammar:
    """How a provider spells its model ids.

    ``shape``: a full-match regex every model id must follow (``shape_reason`` says what it is);
    ``rules``: patterns that mark an id as something else (checked first, more specific reasons);
    ``api_resources``: names of the provider's API resources that catalogs list as if models;
    ``tier_suffixes``: suffix -> what it prices; ``<base><suffix>`` is a price tier of ``<base>``
    when ``<base>`` is listed too.
    """

    shape: str | None = None
    shape_reason: str = ""
    rules: tuple[IdRule, ...] = ()
    api_resources: Mapping[str, str] = field(default_factory=dict)
    tier_suffixes: Mapping[str, str] = field(default_factory=dict)


NO_GRAMMAR = IdGrammar()


def spelling_key(upstream_id: str) -> str:
    """Join key of spelling variants: case-folded, ``_`` -> ``-``, ``.`` between digits -> ``-``,
    and a ``-`` between a letter and a following digit."""
    key = upstream_id.strip().casefold().replace("_", "-")
    if "." in key:
        key = _DIGIT_DOT.sub("-", key)
    return _LETTER_DIGIT.sub("-", key)


def rejection(grammar: IdGrammar, upstream_id: str, listed: frozenset[str]) -> str | None:
    """Why ``upstream_id`` is not a model id of this provider (None if it is one).

    ``listed``: every id the sources list for the provider (to recognise price tiers of a listed model).
    """
    for rule in grammar.rules:
        if re.search(rule.pattern, upstream_id):
            return rule.reason
    if upstream_id in grammar.api_resources:
        return grammar.api_resources[upstream_id]
    for suffix, what in grammar.tier_suffixes.items():
        base = upstream_id.removesuffix(suffix)
        if base != upstream_id and base in listed:
            return f"{what} of {base}, not a model of its own"
    if grammar.shape and not re.fullmatch(grammar.shape, upstream_id):
        return grammar.shape_reason
    return None


def reject_ids(
    grammar: IdGrammar, ids_by_source: Mapping[str, Iterable[str]]
) -> dict[str, tuple[str, list[str]]]:
    """``{upstream id: (reason, [sources listing it])}`` for every id the grammar rejects."""
    listed = frozenset(i for ids in ids_by_source.values() for i in ids)
    rejected: dict[str, tuple[str, list[str]]] = {}
    for source in sorted(ids_by_source):
        for upstream_id in ids_by_source[source]:
            reason = rejection(grammar, upstream_id, listed)
            if reason is None:
                continue
            rejected.setdefault(upstream_id, (reason, []))[1].append(source)
    return rejected
