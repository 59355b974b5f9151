"""Linking each record to a model of the vocabulary: ``modelatlas.family`` and ``canonical_slug``.

For every record, the names :func:`~modelatlas.canonical.names.parse` reads from its id are tried
in order (then with the provider's implied ``-instruct``/``-it``); the first name whose key the
vocabulary knows (under the id's vendor, or under the only vendor with that key) wins. An id of a
vendor's own catalog without a vendor in it that its vendor has no model for is looked up by key
alone (Mistral's ``glm-5-2`` is Z.ai's GLM 5.2). An id that links nowhere is tried once more as
the record's own ``hugging_face_id``, if it has one. The
snapshot is then the one of the id's date, the model's current snapshot for an undated id, or a
new ``<model>-<YYYYMMDD>`` slug for a date nobody else lists, so different dates never merge.
The reference list's own records keep the ``canonical_slug`` it gives them.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any

from modelatlas.canonical.names import (
    MOVING_PREFIX,
    ParsedId,
    display_name_key,
    model_key,
    parse,
    vendor_slug,
)
from modelatlas.canonical.vocabulary import Vocabulary, names_this_model, reference_parts, reference_provider
from modelatlas.ids import split_date

Record = dict[str, Any]


class Unlinked(enum.Enum):
    """Why a record has no canonical model."""

    MOVING_ALIAS = "moving_alias"  # -latest, @latest, ~ aliases: no fixed model
    ROUTER = "router"  # the reference list's routers (openrouter/auto, ...) are not models
    NO_MATCH = "no_match"  # no source names this model with a vendor
    CURATED = "curated"  # data/curated/canonical.yaml says to leave it unlinked


@dataclass(frozen=True)
class Link:
    family: str
    canonical_slug: str


def _names_to_try(parsed: ParsedId) -> list[tuple[str, str | None]]:
    """``(base name, snapshot date)`` pairs to look up, in order: each reading, then each with the
    provider's implied suffixes."""
    tries = [split_date(name, parsed.snapshot) for name in parsed.names]
    for base, date in list(tries):
        implied = [suffix for suffix in parsed.implied if not base.lower().endswith(suffix)]
        tries.extend((f"{base}{suffix}", date) for suffix in implied)
    return tries


def link_parsed(vocabulary: Vocabulary, parsed: ParsedId) -> Link | None:
    """The model and snapshot of a parsed id, or None when no name of it is in the vocabulary.
    Names are tried as written, then (for a provider whose ids leave words out) without them."""
    tries = _names_to_try(parsed)
    for find in (vocabulary.find, lambda vendor, key: vocabulary.find_without(vendor, key, parsed.omitted)):
        for base, date in tries:
            key = model_key(base)
            family = find(parsed.vendor, key)
            if family is None and parsed.first_party:  # a vendor's catalog hosting another's model
                family = find(None, key)
            if family is not None:
                return Link(family=family.slug, canonical_slug=family.snapshot(date))
        if not parsed.omitted:
            break
    return None


def _link_hugging_face(vocabulary: Vocabulary, record: Record) -> Link | None:
    """An open-weights record's own ``hugging_face_id`` (``meta-llama/Llama-3.3-70B-Instruct``) read
    as vendor and model name, when its id says nothing the vocabulary knows."""
    hugging_face = record.get("hugging_face_id")
    if not isinstance(hugging_face, str) or "/" not in hugging_face:
        return None
    organisation, _, repository = hugging_face.partition("/")
    return link_parsed(vocabulary, ParsedId(vendor=vendor_slug(organisation), names=(repository,)))


def _link_display_name(vocabulary: Vocabulary, parsed: ParsedId, record: Record) -> Link | None:
    """A record whose id links nowhere, read by its display name (``DeepSeek-V3.1`` for Bedrock's
    ``deepseek.v3-v1:0``), under the vendor its id names: a name says which model it serves."""
    name = record.get("name")
    if parsed.vendor is None or not isinstance(name, str) or not name.strip():
        return None
    return link_parsed(vocabulary, ParsedId(vendor=parsed.vendor, names=(display_name_key(name),)))


def link_reading_name(vocabulary: Vocabulary, record: Record) -> tuple[Link | Unlinked, bool]:
    """The record's link (or why it has none), and whether it read the record's ``name`` (only a
    record whose id and Hugging Face id link nowhere is read by its name: the others' links do not
    depend on it)."""
    extension = record["modelatlas"]
    provider, upstream = extension["provider"], extension["upstream_id"]
    reference = reference_provider()  # kept only for a record of the reference list itself
    if reference is not None and provider != reference.id:
        reference = None
    if reference is not None and reference_parts(reference, upstream) is None:
        return (Unlinked.MOVING_ALIAS if upstream.startswith(MOVING_PREFIX) else Unlinked.ROUTER), False
    parsed = parse(provider, upstream)
    if parsed.moving:
        return Unlinked.MOVING_ALIAS, False
    link = link_parsed(vocabulary, parsed) or _link_hugging_face(vocabulary, record)
    read_name = link is None
    if link is None:
        link = _link_display_name(vocabulary, parsed, record)
    if link is None:
        return Unlinked.NO_MATCH, read_name
    given = record.get("canonical_slug")
    if reference is not None and names_this_model(given, *reference_parts(reference, upstream) or ("", "")):
        return Link(family=link.family, canonical_slug=str(given)), read_name
    return link, read_name
