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
    # What the decoration says about the offering, shown after a name derived from the model's
    # (``FW-`` on Azure: served by Fireworks, ``GLM 5 (Fireworks)``); None for a mere spelling.
    label: str | None = None

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
    # How catalogs misspell its ids, each rewrite giving the provider's own spelling (Azure's
    # ``gpt-35-turbo`` for ``gpt-3.5-turbo``): the spellings join, and where no list of the provider
    # decides, the one already in its own form is the record's id.
    own_spellings: tuple[Rewrite, ...] = ()
    # Spellings of one id neither of which is the provider's own by itself (Bedrock's ``…-v1:0``
    # written ``…-v1`` or without the version): they join; the provider's list decides the id.
    spelling_folds: tuple[Rewrite, ...] = ()
    # Shorter names of a listed id (a dateless alias of a dated snapshot, an id without
    # ``-instruct``): applied to a catalog spelling and to each id of the provider's list, a catalog
    # spelling that then equals exactly one listed id is an alias of it. Only ever joins a listed id.
    list_aliases: tuple[Rewrite, ...] = ()

    def unwrapped(self, upstream_id: str) -> str:
        """The id without the wrapper prefixes, each removed once, in order."""
        for pattern in self.wrappers:
            match = _compiled(pattern).match(upstream_id)
            if match:
                upstream_id = upstream_id[match.end() :]
        return upstream_id

    def own_form(self, upstream_id: str) -> str:
        """The provider's own spelling of an id (its ``own_spellings`` applied in order)."""
        for rewrite in self.own_spellings:
            upstream_id = rewrite.apply(upstream_id)
        return upstream_id

    def folded(self, upstream_id: str) -> str:
        """The id unwrapped, in the provider's own form, with its spelling folds applied."""
        folded = self.own_form(self.unwrapped(upstream_id))
        for rewrite in self.spelling_folds:
            folded = rewrite.apply(folded)
        return folded

    def shortened(self, upstream_id: str) -> str:
        """:meth:`folded` with the ``list_aliases`` rewrites applied (the key listed ids are found by)."""
        short = self.folded(upstream_id)
        for rewrite in self.list_aliases:
            short = rewrite.apply(short)
        return short

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
    # Words (regexes of whole words) of the vendor's model names its ids leave out; tried last: a
    # name then matches the one model of its vendor that is the same without those words.
    omitted_words: tuple[str, ...] = ()
    # Its own snapshot suffix where it is not a full date (Mistral's ``-YYMM``, ``pixtral-12b-2409``):
    # a name with it is that snapshot of the model without it, as a full date is.
    snapshot_suffix: str | None = None

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


class Offering(enum.StrEnum):
    """How an id is sold when it is not plain pay-per-use on demand (``modelatlas.offering``)."""

    FREE_TIER = "free_tier"  # a free, rate-limited id (OpenRouter's ``:free``)
    BATCH = "batch"  # an id that only takes batch jobs
    SUBSCRIPTION = "subscription"  # billed by a plan, not per use
    SELF_HOSTED = "self_hosted"  # runs on the user's own server: no per-use price


@dataclass(frozen=True)
class OfferingRule:
    """The ids sold as ``offering``: those ``pattern`` is found in (any id without one) and, with
    ``sources``, only the ones no source but these lists. A provider's first matching rule wins."""

    offering: Offering
    pattern: str | None = None
    sources: tuple[str, ...] = ()

    def matches(self, upstream_id: str, listed_by: tuple[str, ...]) -> bool:
        if self.pattern is not None and not _compiled(self.pattern).search(upstream_id):
            return False
        return not self.sources or (bool(listed_by) and set(listed_by) <= set(self.sources))


@dataclass(frozen=True)
class ListCopy:
    """A catalog whose entries for a provider are that provider's own list, as of the catalog's date;
    ``complete``: the whole list (its silence says a model is gone), else some of its entries."""

    source: str
    complete: bool = True


@dataclass(frozen=True)
class CatalogRules:
    """What the public catalogs' entries for this provider are (fetch/catalogs, fetch/policy.py)."""

    # {catalog: the source its entries for this provider copy}; copies are not independent votes.
    copies: Mapping[str, str] = field(default_factory=dict)
    # Sources preferred, for every field, before the sources' dates are compared.
    preferred: tuple[str, ...] = ()
    # Catalogs whose entries for this provider are its own list (its public list endpoint's output,
    # or copies of its entries), each as of its date: without a live list, they are the provider's
    # membership; the other catalogs only enrich the models they list (fetch/membership.py).
    list_copies: tuple[ListCopy, ...] = ()
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
    # ruby_llm: False where its names for this provider are made by ruby_llm from the id (its
    # ``format_display_name``: the id's words capitalized), not taken from the provider's list;
    # such a name is no source's statement (``Zai Glm 5 2`` for ``zai-glm-5-2``, GLM 5.2).
    ruby_llm_names: bool = True
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
