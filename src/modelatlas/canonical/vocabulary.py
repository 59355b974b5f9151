"""The vocabulary of model identities the matcher links records to.

Built in a fixed order, the first claim of a key winning:

1. The reference list (the provider declaring a ``reference``: OpenRouter's): each id is a model
   (``anthropic/claude-sonnet-4.5``, variant tags such as ``:free`` removed), its
   ``canonical_slug`` that model's current snapshot (``anthropic/claude-4.5-sonnet-20250929``); a
   dated id (``openai/gpt-4o-2024-08-06``) is one snapshot of the undated model. Its
   ``hugging_face_id`` is one more spelling of the same model, used only when the Hugging Face
   organisation is the same vendor (a fine-tune that names its base model's repository is not that
   model).
2. The vendors' own catalogs (the providers declaring a ``vendor``, then the hosts declaring a
   ``house_vendor``, for that vendor's ids only): a model the reference list does not list gets the
   slug ``<vendor>/<vendor's own id>``. Catalogs also host other vendors' models (Mistral lists
   ``glm-5-2`` and ``deepseek-…``): an unprefixed id whose key another vendor already has, or whose
   first word is another vendor's name, is not minted (the matcher links it by key alone, or
   leaves it).

Nothing else creates a model: an id only a third party lists, with no vendor of its own in it,
stays unlinked.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from modelatlas.canonical.names import MOVING_PREFIX, model_key, parse, vendor_slug
from modelatlas.fetch.providers import registry
from modelatlas.fetch.providers.declaration import Provider
from modelatlas.ids import split_date

Record = dict[str, Any]
_WORD = re.compile(r"[a-z]+|\d+(?:\.\d+)*")
_SIZED_WORD = re.compile(r"\d+[a-z]+|[a-z]+|\d+(?:\.\d+)*")


@dataclass(eq=False)
class Family:
    """One model: its slug, its current snapshot (None when no source says) and known snapshots by date."""

    slug: str
    vendor: str
    current: str | None = None
    snapshots: dict[str, str] = field(default_factory=dict)

    def snapshot(self, date: str | None) -> str:
        """The canonical slug of this model at ``date`` (None: the undated id, i.e. the current one)."""
        if date is None:
            return self.current or self.slug
        if date in self.snapshots:
            return self.snapshots[date]
        return f"{self.slug}-{date}"


@dataclass
class Vocabulary:
    by_vendor: dict[tuple[str, str], Family] = field(default_factory=dict)
    by_key: dict[str, list[Family]] = field(default_factory=dict)
    vendors: set[str] = field(default_factory=set)
    # (vendor, omitted words) -> each key of that vendor without them -> the families (by id)
    _shortened: dict[tuple[str, tuple[str, ...]], dict[tuple[str, ...], dict[int, Family]]] = field(
        default_factory=dict, repr=False
    )

    def add(self, vendor: str, key: str, family: Family) -> Family:
        """Register ``key`` for ``family`` unless the key is taken; returns the family owning it."""
        self._shortened.clear()
        self.vendors.add(vendor)
        owner = self.by_vendor.setdefault((vendor, key), family)
        families = self.by_key.setdefault(key, [])
        if owner is family and all(known is not family for known in families):
            families.append(family)
        return owner

    def find(self, vendor: str | None, key: str) -> Family | None:
        """The family of ``key``: under ``vendor`` when the id names one, else only if exactly one
        vendor has a model with that key."""
        if vendor is not None:
            return self.by_vendor.get((vendor, key))
        families = self.by_key.get(key, [])
        return families[0] if len(families) == 1 else None

    def find_without(self, vendor: str | None, key: str, omitted: tuple[str, ...]) -> Family | None:
        """The one model of ``vendor`` whose key, without the ``omitted`` words, is ``key`` without
        them (a provider that writes ``llama4-maverick-17b-instruct`` for ``…-17b-128e-instruct``)."""
        if vendor is None or not omitted:
            return None
        found = self._shortened_keys(vendor, omitted).get(_without(key, omitted), {})
        return next(iter(found.values())) if len(found) == 1 else None

    def _shortened_keys(
        self, vendor: str, omitted: tuple[str, ...]
    ) -> dict[tuple[str, ...], dict[int, Family]]:
        """Every key of ``vendor`` without the ``omitted`` words, made once per vendor and words (one
        scan of the vocabulary per lookup made linking quadratic in the number of models)."""
        index = self._shortened.get((vendor, omitted))
        if index is None:
            index = {}
            for (owner, known), family in self.by_vendor.items():
                if owner == vendor:
                    index.setdefault(_without(known, omitted), {})[id(family)] = family
            self._shortened[(vendor, omitted)] = index
        return index

    def hosted_elsewhere(self, own: str, name: str, key: str) -> bool:
        """Whether a first-party catalog's unprefixed ``name`` is another vendor's model: another
        vendor has its key, or its first word is another vendor's name (``deepseek-v4-…``)."""
        first_word = vendor_slug(name.split("-", 1)[0])
        if first_word != own and first_word in self.vendors:
            return True
        return any(family.vendor != own for family in self.by_key.get(key, []))


def reference_provider() -> Provider | None:
    """The provider whose list names the models (declares a ``reference``), if one does."""
    return _reference(registry.PROVIDERS)


@cache
def _reference(providers: tuple[Provider, ...]) -> Provider | None:
    return next((provider for provider in providers if provider.reference), None)


def reference_parts(reference: Provider, upstream_id: str) -> tuple[str, str] | None:
    """(vendor, model id without variant tag) of a reference-list id; None for routers and moving
    (``~``) aliases."""
    vendor, slash, rest = upstream_id.partition("/")
    routers = reference.reference.routers if reference.reference else frozenset()
    if not slash or upstream_id.startswith(MOVING_PREFIX) or vendor in routers:
        return None
    return vendor, reference.name_reading.undecorated(rest)


def _squeezed(text: str) -> str:
    return "".join(character for character in text.lower() if character.isalnum())


def model_name(reference: Provider, name: str, upstream_id: str) -> str:
    """A reference-list display name as the model's name: without its ``Vendor: `` prefix, unless
    the model's id begins with the vendor's name and the rest of the name does not (``DeepSeek: R1``
    for ``deepseek/deepseek-r1`` is DeepSeek R1; ``OpenAI: o3`` is o3)."""
    separator = reference.reference.name_separator if reference.reference else None
    if not separator or separator not in name:
        return name
    vendor, rest = name.split(separator, 1)
    brand = _squeezed(vendor)
    model = _squeezed(upstream_id.partition("/")[2])
    if brand and model.startswith(brand) and not _squeezed(rest).startswith(brand):
        return f"{vendor} {rest}"
    return rest


def _without(key: str, omitted: tuple[str, ...]) -> tuple[str, ...]:
    """The words of a key (``17b`` and ``128e`` are words) without the ``omitted`` ones, in order."""
    pattern = _omitted_pattern(omitted)
    return tuple(w for w in _SIZED_WORD.findall(key) if not pattern.fullmatch(w))


@cache
def _omitted_pattern(omitted: tuple[str, ...]) -> re.Pattern[str]:
    """One pattern matching a word that any of the ``omitted`` patterns matches whole."""
    return re.compile("|".join(f"(?:{word})" for word in omitted))


def _words(name: str) -> Counter[str]:
    """The words and numbers of a name, in any order (``claude-4.5-sonnet`` = ``claude-sonnet-4.5``)."""
    return Counter(_WORD.findall(model_key(name)))


def names_this_model(canonical_slug: object, vendor: str, name: str) -> bool:
    """Whether a reference id's ``canonical_slug`` names that id's own model: every word and number
    of the id is in it (in any order), with more only where the slug is more precise (a size, the
    date of the current snapshot), and a dated id keeps its date. A slug lacking one of the id's
    numbers names another model or snapshot (the 03-25 preview for the 05-06 id) and is not
    believed: dated snapshots never merge."""
    if not isinstance(canonical_slug, str) or not canonical_slug.startswith(f"{vendor}/"):
        return False
    other = canonical_slug.split("/", 1)[1]
    date = split_date(name)[1]
    if date is not None and split_date(other)[1] != date:
        return False
    return not _words(split_date(name)[0]) - _words(split_date(other)[0])


def _add_reference(vocabulary: Vocabulary, reference: Provider, record: Record) -> None:
    parts = reference_parts(reference, record["modelatlas"]["upstream_id"])
    if parts is None:
        return
    vendor, name = parts
    base, date = split_date(name)
    given = record.get("canonical_slug")
    canonical = given if names_this_model(given, vendor, name) else f"{vendor}/{name}"
    family = vocabulary.add(vendor, model_key(base), Family(slug=f"{vendor}/{base}", vendor=vendor))
    if date is not None:
        family.snapshots.setdefault(date, canonical)
        return
    if family.current is None:
        family.current = canonical
        current_date = split_date(canonical)[1]
        if current_date is not None:
            family.snapshots.setdefault(current_date, canonical)
    hugging_face = record.get("hugging_face_id")
    if isinstance(hugging_face, str) and "/" in hugging_face:
        organisation, _, repository = hugging_face.partition("/")
        if vendor_slug(organisation) == vendor:
            vocabulary.add(vendor, model_key(split_date(repository)[0]), family)


def _add_first_party(vocabulary: Vocabulary, provider: Provider, record: Record) -> None:
    parsed = parse(provider.id, record["modelatlas"]["upstream_id"])
    own = provider.vendor or provider.house_vendor
    if parsed.moving or parsed.vendor is None or parsed.vendor != own or not parsed.names:
        return
    base, date = split_date(parsed.names[0], parsed.snapshot)
    key = model_key(base)
    if (
        parsed.first_party
        and (own, key) not in vocabulary.by_vendor
        and vocabulary.hosted_elsewhere(own, base, key)
    ):
        return
    if (own, key) not in vocabulary.by_vendor and any(
        (own, model_key(base + suffix)) in vocabulary.by_vendor for suffix in parsed.implied
    ):
        return  # the vendor's list writes a model the reference list names with -instruct
    slug = f"{own}/{base.lower()}"
    family = vocabulary.add(own, key, Family(slug=slug, vendor=own))
    if date is not None and family.slug == slug:
        family.snapshots.setdefault(date, f"{slug}-{date}")
    if date is None and family.current is None:  # OpenRouter's current snapshot stays
        family.current = f"{own}/{base.lower()}" if family.slug == slug else None


def build_vocabulary(records_by_provider: dict[str, Iterable[Record]]) -> Vocabulary:
    """The vocabulary from every provider's records (see the module docstring for the order)."""
    vocabulary = Vocabulary()
    reference = reference_provider()
    if reference is not None:
        for record in records_by_provider.get(reference.id, ()):
            _add_reference(vocabulary, reference, record)
    first_party = [provider for provider in registry.PROVIDERS if provider.vendor]
    hosts = [provider for provider in registry.PROVIDERS if provider.house_vendor and not provider.vendor]
    for provider in first_party + hosts:
        for record in records_by_provider.get(provider.id, ()):
            _add_first_party(vocabulary, provider, record)
    return vocabulary
