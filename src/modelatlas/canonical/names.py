"""Reading a model out of a provider's model id: the vendor, the model name, and its snapshot date.

Every provider decorates the names it serves: routing and vendor prefixes and a version
(``us.anthropic.claude-sonnet-4-5-20250929-v1:0``), a publisher, an ``@`` version and ``-maas``
(``meta/llama-3.3-70b-instruct-maas``), a speed tier (``llama-3.3-70b-versatile``), a variant tag
(``:free``), a size tag (``gpt-oss:120b``). Each provider declares what it adds (its
``name_reading`` and ``model_ids``, :mod:`modelatlas.fetch.providers.rules`); :func:`parse`
removes exactly that and nothing else. :func:`model_key` then makes spellings of one name equal
(``claude-sonnet-4-5`` = ``claude-sonnet-4.5``, ``llama3-3`` = ``llama-3.3``) while keeping every
word and number, so ``preview`` vs GA or ``120b`` vs ``20b`` never become one key.
:func:`modelatlas.ids.split_date` takes off a full trailing date (``-20241022``, ``-2024-08-06``,
``@20250929``): the snapshot, kept apart from the name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from modelatlas.fetch.providers import registry
from modelatlas.fetch.providers.declaration import Provider
from modelatlas.fetch.providers.rules import VendorSegment
from modelatlas.fetch.vendors import vendor_slug

# Vendor names written in front of the model name with a dash (``cohere-command-a``,
# ``meta-llama-3.1-8b-instruct``, ``zai-glm-4.7``). Only names no model name starts with.
VENDOR_NAME_PREFIXES: dict[str, str] = {"zai-": "z-ai", "cohere-": "cohere", "meta-": "meta-llama"}
# A moving alias names whatever model is newest: ``-latest``, ``@latest``, a ``~`` in front.
MOVING_PREFIX = "~"

_VERSION_SEPARATOR = re.compile(r"(?<=\d)[.-](?=\d)")
_WORD_NUMBER_DASH = re.compile(r"(?<=[a-z])-(?=\d)")
_MOVING = re.compile(r"(^|[-@:.])latest($|-)")


@dataclass(frozen=True)
class ParsedId:
    """What an id says about its model: the vendor (None when the id does not say), the model names
    it can be read as (most literal first), and extra spellings to try when those find nothing."""

    vendor: str | None
    names: tuple[str, ...]
    implied: tuple[str, ...] = ()
    moving: bool = False
    first_party: bool = False  # the vendor is the provider's own company, not written in the id
    omitted: tuple[str, ...] = ()  # words of the vendor's names the provider's ids leave out
    snapshot: str | None = None  # the provider's own snapshot suffix (a regex), besides full dates


def is_moving(upstream_id: str) -> bool:
    """Whether an id is a moving alias (``codestral-latest``, ``@latest``, ``~``): no fixed model."""
    low = upstream_id.strip()
    return _MOVING.search(low.lower()) is not None or low.startswith(MOVING_PREFIX)


def display_name_key(name: str) -> str:
    """A display name as a model name: bracketed notes left out, spaces as dashes
    (``DeepSeek-R1 (US)`` -> ``DeepSeek-R1``)."""
    return re.sub(r"\s+", "-", re.sub(r"\([^)]*\)", "", name).strip())


def model_key(name: str) -> str:
    """The comparison form of a model name: lowercase, ``_`` as ``-``, any ``.``/``-`` between two
    digits as ``.``, and no dash between a word and a number (``llama-3`` = ``llama3``)."""
    text = name.lower().replace("_", "-")
    return _WORD_NUMBER_DASH.sub("", _VERSION_SEPARATOR.sub(".", text))


def _dotted(provider: Provider, upstream: str) -> tuple[str | None, tuple[str, ...]]:
    """``[<geo>.]<vendor>.<model>`` ids: the vendor, and the model name's readings."""
    parts = upstream.split(".", 2)
    if len(parts) == 3 and parts[0] in provider.model_ids.geo_prefixes:
        upstream = f"{parts[1]}.{parts[2]}"
    vendor, dot, name = upstream.partition(".")
    if not dot or "." in vendor or not vendor.replace("-", "").isalnum():
        vendor, name = "", upstream
    return (vendor_slug(vendor) if vendor else None), _readings(provider, vendor, name)


def _readings(provider: Provider, vendor: str, name: str) -> tuple[str, ...]:
    """The model names one (vendor-free) name can be read as, the provider's decorations removed."""
    reading = provider.name_reading
    name = reading.undecorated(name)
    return reading.readings(vendor, name) if reading.readings else (name,)


def _prefixed(provider: Provider, upstream: str) -> tuple[str | None, tuple[str, ...]]:
    """``<vendor>/<model>`` ids (a first segment naming the host is no vendor), or a bare name."""
    head, slash, rest = upstream.partition("/")
    if not slash:
        return None, _readings(provider, "", upstream)
    if head.lower() in provider.name_reading.host_segments:
        return None, _readings(provider, "", rest)
    return vendor_slug(head), _readings(provider, head, rest)


def _vendor_in_name(name: str) -> tuple[str | None, str]:
    low = name.lower()
    for prefix, vendor in VENDOR_NAME_PREFIXES.items():
        if low.startswith(prefix):
            return vendor, name[len(prefix) :]
    return None, name


def parse(provider: str, upstream_id: str) -> ParsedId:
    """Read one provider's model id (see the module docstring for every rule)."""
    low = upstream_id.strip()
    if is_moving(low):
        return ParsedId(vendor=None, names=(), moving=True)
    declared = registry.declared(provider)
    if declared.model_ids.vendor_segment is VendorSegment.DOTTED:
        vendor, names = _dotted(declared, low)
    else:
        vendor, names = _prefixed(declared, low)
    if vendor is None:
        named, rest = _vendor_in_name(names[0])
        if named is not None:
            vendor, names = named, (rest, *names[1:])
    own = declared.vendor  # the provider's own catalog: unprefixed ids are its models
    first_party = vendor is None and "/" not in low and own is not None
    if first_party:
        vendor = own
    reading = declared.name_reading
    return ParsedId(
        vendor=vendor,
        names=names,
        implied=reading.implied_suffixes,
        first_party=first_party,
        omitted=reading.omitted_words,
        snapshot=reading.snapshot_suffix,
    )
