"""The rule types a provider declaration fills in (:class:`~.declaration.Provider`).

Every rule about one provider lives in its own module as one of these values; the code that
applies a rule (the merge, ``owned_by``, the public catalogs, the canonical matcher) reads it from
the declaration and never names a provider. Each default is what a plain provider needs, so a
declaration sets only the rules that apply to it.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache
from types import MappingProxyType


class ResponseFormat(enum.Enum):
    """The shape of an inference API's response and its usage block (what the cost library reads)."""

    OPENAI_CHAT = "OpenAI Chat Completions"  # and every OpenAI-compatible API
    OPENAI_RESPONSES = "OpenAI Responses"
    ANTHROPIC = "Anthropic Messages"
    GOOGLE = "Gemini generateContent"
    CONVERSE = "Bedrock Converse"
    COHERE = "Cohere"
    MISTRAL = "Mistral"


class VendorSegment(enum.Enum):
    """Whether and how a model id names the model's maker (for ``owned_by``; the canonical matcher
    reads a leading ``<vendor>/`` wherever an id has one, and ``DOTTED`` ids the dotted way)."""

    NONE = "none"  # bare ids (``gpt-4o``): the maker comes from the family table, if anywhere
    SLASH = "slash"  # ``<vendor>/<model>`` where an id has a slash (``meta-llama/Llama-3.3-70B``)
    DOTTED = "dotted"  # ``[<geo>.]<vendor>.<model>`` (``us.anthropic.claude-…``)


@dataclass(frozen=True)
class Rewrite:
    """One regex substitution on a model name (the first match of ``pattern`` becomes ``replacement``)."""

    pattern: str
    replacement: str = ""

    def apply(self, name: str) -> str:
        return _compiled(self.pattern).sub(self.replacement, name, count=1)


@dataclass(frozen=True)
class VariantTag:
    """A tag after ``separator`` at the end of an id (``:free``, ``:120b-cloud``)."""

    separator: str = ":"
    part_of_name: bool = False  # ``gpt-oss:120b`` names gpt-oss-120b (a size); else the tag is dropped
    ignored_suffixes: tuple[str, ...] = ()  # taken off the tag first, in order (``-cloud``)

    def apply(self, name: str) -> str:
        base, separator, tag = name.partition(self.separator)
        if not self.part_of_name:
            return base
        for suffix in self.ignored_suffixes:
            tag = tag.removesuffix(suffix)
        tag = tag.rstrip("-")
        return f"{base}-{tag}" if separator and tag else base


@dataclass(frozen=True)
class ModelIds:
    """How the provider writes its model ids, beyond what its id grammar accepts."""

    vendor_segment: VendorSegment = VendorSegment.NONE
    # With DOTTED: the geographies an inference-profile id puts first (``us``, ``global``).
    geo_prefixes: tuple[str, ...] = ()
    # Regexes of resource-path prefixes its own API puts before ids that the catalogs leave off
    # (``models/``); the merge joins the two spellings.
    wrappers: tuple[str, ...] = ()
    # Its own ``<base>-latest`` ids name the newest dated ``<base>-<date>`` it lists.
    latest_aliases: bool = False

    def unwrapped(self, upstream_id: str) -> str:
        """The id without the wrapper prefixes, each removed once, in order."""
        for pattern in self.wrappers:
            match = _compiled(pattern).match(upstream_id)
            if match:
                upstream_id = upstream_id[match.end() :]
        return upstream_id

    def geo_prefix(self, upstream_id: str) -> str:
        """The geography an inference-profile id starts with (``us``), or ``""``."""
        head, dot, _rest = upstream_id.partition(".")
        return head if dot and head in self.geo_prefixes else ""


@dataclass(frozen=True)
class NameReading:
    """What the canonical matcher takes off the provider's model names (canonical/names.py)."""

    host_segments: frozenset[str] = frozenset()  # a first path segment naming the host, not the maker
    decorations: tuple[Rewrite, ...] = ()  # what the provider adds to a name, removed in order
    variant_tag: VariantTag | None = None
    # Several readings of one name, most literal first, for ids carrying a version of their own:
    # (vendor, name) -> names. None: the name after the decorations is the only reading.
    readings: Callable[[str, str], tuple[str, ...]] | None = None
    # Suffixes its ids leave out although it serves those weights (Llama ids without ``-instruct``).
    implied_suffixes: tuple[str, ...] = ()

    def undecorated(self, name: str) -> str:
        for rewrite in self.decorations:
            name = rewrite.apply(name)
        return self.variant_tag.apply(name) if self.variant_tag else name


@dataclass(frozen=True)
class GeoPricing:
    """Inference profiles ``<geo>.<model>`` whose geographies ``alike`` cost the same, and differently
    from the ``<global_profile>.<model>`` profile where one exists. A catalog that prices one of
    them above the global profile but another exactly like it copied the global price into the
    second, which is then no price of its own."""

    alike: tuple[str, ...]
    global_profile: str = "global"

    def split(self, upstream_id: str) -> tuple[str, str]:
        """(the profile's geography, ``alike`` or global, or ``""``; the model id after it)."""
        head, dot, rest = upstream_id.partition(".")
        profile = dot and (head in self.alike or head == self.global_profile)
        return (head, rest) if profile else ("", upstream_id)


@dataclass(frozen=True)
class CatalogRules:
    """What the public catalogs' entries for this provider are (fetch/catalogs, fetch/policy.py)."""

    # {catalog: the source its entries for this provider copy}; copies are not independent votes.
    copies: Mapping[str, str] = field(default_factory=dict)
    # Sources preferred, for every field, before the sources' dates are compared.
    preferred: tuple[str, ...] = ()
    # Catalogs whose entries for this provider are its own list's output (its API's answer, copied):
    # they rank as the provider's API for every value they state (docs/merge-policy.md).
    own_list: tuple[str, ...] = ()
    # LiteLLM: a regex of a leading region or zone segment (``bedrock/us-east-1/<id>``); such a key
    # prices the model in that region, as a pricing variant.
    litellm_region: str | None = None
    # LiteLLM: its ids never hold a ``/``, so a key still holding one after the routing prefix is
    # a routing key of something else.
    litellm_slash_free: bool = False
    # ruby_llm: its entries carry the provider list's own prices / context and output limits
    # (elsewhere ruby_llm fills gaps with fixed defaults, which are not facts).
    ruby_llm_prices: bool = False
    ruby_llm_limits: bool = False
    # Geographic inference profiles priced alike: a catalog's copies of the global price among them
    # are left out (see fetch/catalogs/resolve.py).
    geo_pricing: GeoPricing | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "copies", MappingProxyType(dict(self.copies)))


@dataclass(frozen=True)
class ReferenceList:
    """The provider whose list names the models every provider's records link to (the canonical
    vocabulary, canonical/vocabulary.py): ids ``<vendor>/<model>``, its ``canonical_slug`` the
    model's current snapshot, its ``hugging_face_id`` one more spelling."""

    routers: frozenset[str] = frozenset()  # first segments of routers, not models (``<router>/auto``)
    name_separator: str = ": "  # display names are ``<Vendor>: <model>``


NO_CATALOG_RULES = CatalogRules()
PLAIN_IDS = ModelIds()
PLAIN_NAMES = NameReading()


@cache
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)
