"""The pricing rules a provider states, as typed values its declaration lists (``Provider.price_rules``).

A rule is one sentence of the provider's own price page, declared once with that page's URL and the
words quoted (:class:`Evidence`), and applied by :mod:`modelatlas.fetch.stated_rules` to every model
it covers; a value it sets has provenance ``rule:<id>``. What a rule does is its ``effect``:

- :class:`NotBilled`: the fields do not apply (cache writes a provider does not charge);
- :class:`Multiplier`: a price is a fixed multiple of another price of the same sheet (Anthropic's
  cache write is 1.25x the input price), in the standard sheet, every variant and every tier;
- :class:`ScaledVariant`: a region or service tier is the standard sheet scaled (batch at 50%);
- :class:`LongContext`: above a threshold of input tokens the whole request is priced at a tier,
  the standard prices scaled (Gemini 2.5 Pro: 2x input, 1.5x output above 200K);
- :class:`FlatContext`: no long-context tier (a catalog's tier for these models is out of date);
- :class:`RegionalPremium`: the model's geographic and in-region ids cost a factor more than its
  global profile (Bedrock's Claude Sonnet 4.5 and later: 10%).

Which models a rule covers is a :data:`Covers` predicate on the model's name as the provider writes
it, after any geography and ``vendor.`` prefix (``claude-sonnet-4-5-20250929-v1:0``); the matchers
below read the version a name spells. Nothing here reads records: the rules are data.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from types import MappingProxyType

PROMPT = "pricing.prompt"
COMPLETION = "pricing.completion"
CACHE_READ = "pricing.input_cache_read"
CACHE_WRITE = "pricing.input_cache_write"
CACHE_WRITE_1H = "modelatlas.extra_pricing.input_cache_write_1h"
REASONING = "pricing.internal_reasoning"

Covers = Callable[[str], bool]  # the model's name (no geography, no ``vendor.``) -> covered


@dataclass(frozen=True)
class Evidence:
    """Where the provider states the rule: the page and its words, verbatim."""

    url: str
    quote: str


@dataclass(frozen=True)
class NotBilled:
    fields: tuple[str, ...]


@dataclass(frozen=True)
class Multiplier:
    field: str
    factor: Decimal
    of: str = PROMPT


@dataclass(frozen=True)
class ScaledVariant:
    """A variant (``region`` and/or ``tier``) priced as the standard sheet times ``factors`` (field ->
    factor; a field without a factor is not part of the variant). ``only_where_listed``: made only
    for a model that a source already lists with that variant (not every model offers it)."""

    factors: Mapping[str, Decimal]
    tier: str | None = None
    region: str | None = None
    only_where_listed: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "factors", MappingProxyType(dict(self.factors)))


@dataclass(frozen=True)
class LongContext:
    """A whole-request tier above ``above_input_tokens``: the sheet's prices times ``factors``."""

    above_input_tokens: int
    factors: Mapping[str, Decimal]

    def __post_init__(self) -> None:
        object.__setattr__(self, "factors", MappingProxyType(dict(self.factors)))


@dataclass(frozen=True)
class FlatContext:
    """The whole context window at the standard prices: no long-context tier."""


@dataclass(frozen=True)
class RegionalPremium:
    """The model's ids in the ``geographies`` and its in-region id cost ``factor`` times its
    ``<global_profile>.`` profile (every token price, its variants without a region, its tiers)."""

    factor: Decimal
    geographies: tuple[str, ...]
    global_profile: str = "global"


Effect = NotBilled | Multiplier | ScaledVariant | LongContext | FlatContext | RegionalPremium


@dataclass(frozen=True)
class PriceRule:
    """One rule: its id (provenance ``rule:<id>``), the models it covers, what it does, the page.

    ``text_models_only``: the rule is about text generation, so it skips models whose mode says
    otherwise (embedding, rerank, moderation, speech, transcription, image and video generation, OCR).
    """

    id: str
    covers: Covers
    effect: Effect
    evidence: Evidence
    text_models_only: bool = False

    def __post_init__(self) -> None:
        if not re.fullmatch(r"[a-z0-9][a-z0-9.-]*", self.id):
            raise ValueError(f"rule id {self.id!r}: lowercase letters, digits, dots and dashes (rule:<id>)")


def every_model(_name: str) -> bool:
    return True


def name_matches(pattern: str) -> Covers:
    """Names matching ``pattern`` (``re.match``, case-insensitive)."""
    compiled = re.compile(pattern, re.IGNORECASE)
    return lambda name: compiled.match(name) is not None


def all_of(*covers: Covers) -> Covers:
    return lambda name: all(c(name) for c in covers)


def none_of(*covers: Covers) -> Covers:
    return lambda name: not any(c(name) for c in covers)


# claude-<family>-<major>[-<minor>] (Claude 4 on) or claude-<major>[-<minor>]-<family> (Claude 3).
_CLAUDE = re.compile(
    r"claude-(?:(?P<family>opus|sonnet|haiku|fable|mythos)(?:-(?P<major>\d+)(?:[-.](?P<minor>\d)(?!\d))?)?"
    r"|(?P<major3>\d)(?:[-.](?P<minor3>\d)(?!\d))?-(?P<family3>opus|sonnet|haiku))",
    re.IGNORECASE,
)
# Families that began after Claude 4.5: every model of theirs is "4.5 and later".
_NEW_FAMILIES = ("fable", "mythos")


@dataclass(frozen=True)
class ClaudeModel:
    family: str
    version: tuple[int, int] | None  # None: a name without a version (``claude-mythos-preview``)


@cache
def claude_model(name: str) -> ClaudeModel | None:
    """The family and version a Claude model name spells, or None for any other name."""
    match = _CLAUDE.search(name)
    if match is None:
        return None
    family = (match["family"] or match["family3"]).lower()
    major, minor = match["major"] or match["major3"], match["minor"] or match["minor3"]
    return ClaudeModel(family, (int(major), int(minor or 0)) if major else None)


def claude(
    *,
    since: tuple[int, int] | None = None,
    versions: tuple[tuple[int, int], ...] = (),
    families: tuple[str, ...] = (),
    excluding: tuple[tuple[str, tuple[int, int]], ...] = (),
) -> Covers:
    """Claude models: of ``families`` (any when empty), at ``versions`` (any when empty) or from
    ``since`` on (the families begun after Claude 4.5 count as later), minus ``excluding``."""

    def covers(name: str) -> bool:
        model = claude_model(name)
        if model is None or (families and model.family not in families):
            return False
        if model.version is not None and (model.family, model.version) in excluding:
            return False
        if versions and model.version not in versions:
            return False
        if since is not None:
            later = model.family in _NEW_FAMILIES or (model.version or (0, 0)) >= since
            return later
        return True

    return covers


_GPT = re.compile(r"gpt-(\d+)(?:\.(\d+))?(?![\d.])", re.IGNORECASE)
# The names of OpenAI's own models (gpt-oss is open weights served by others, not an OpenAI API model).
OPENAI_MODEL = (
    r"(gpt-(?!oss)|o\d|chatgpt|codex|computer-use|text-embedding|text-moderation|omni-moderation|"
    r"dall-e|tts-|whisper|davinci|babbage|ada$|ada-|sora|gpt-image)"
)


def gpt_version(name: str) -> tuple[int, int] | None:
    """The GPT version a name spells (``gpt-5.6-sol`` -> (5, 6)), None when it names none."""
    match = _GPT.match(name)
    return (int(match[1]), int(match[2] or 0)) if match else None


def openai_models(*, since: tuple[int, int] | None = None, before: tuple[int, int] | None = None) -> Covers:
    """OpenAI's own models, from GPT ``since`` on, or before GPT ``before`` (models that spell no
    GPT version, such as o3 or text-embedding-3-small, come before every GPT version)."""
    is_openai = name_matches(OPENAI_MODEL)

    def covers(name: str) -> bool:
        if not is_openai(name):
            return False
        version = gpt_version(name)
        if since is not None and (version is None or version < since):
            return False
        return before is None or version is None or version < before

    return covers


NO_RULES: tuple[PriceRule, ...] = ()
HALF = Decimal("0.5")
ALL_TOKEN_PRICES = (PROMPT, COMPLETION, CACHE_READ, CACHE_WRITE, CACHE_WRITE_1H)


def scaled(fields: tuple[str, ...], factor: Decimal) -> dict[str, Decimal]:
    """``{field: factor}`` for each field (a variant or tier scaling them all alike)."""
    return dict.fromkeys(fields, factor)


# What each kind of effect does, in words (docs and the quality report).
EFFECT_KINDS: dict[type, str] = {
    NotBilled: "not billed",
    Multiplier: "multiple of another price",
    ScaledVariant: "variant scaled from the standard prices",
    LongContext: "long-context tier",
    FlatContext: "no long-context tier",
    RegionalPremium: "regional premium over the global profile",
}
