"""The usage form of the site's cost estimator (``_usage.html``: model, canonical and compare pages):
which usage fields, presets, regions and service tiers a page asks about, and the words its costs
and errors are said in.

The fields a record asks for are those it prices somewhere or marks not billed
(:func:`modelatlas.cost.components.usage_fields`); presets are :mod:`modelatlas.cost.presets`. The
page scripts (``static/usage.js``) read all of it from the page, so every label and phrase is
stated here once; the pricing itself is ``static/cost.js``, the same rules as the Python library.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from modelatlas.cost.components import EVERY_COMPONENT, Billing, billing_of, stated_fields
from modelatlas.cost.errors import CostError
from modelatlas.cost.presets import PRESETS, Preset, applies
from modelatlas.cost.pricing import price_book_usage
from modelatlas.cost.sheet import PriceBook
from modelatlas.jsonio import dumps_compact
from modelatlas.record import Record
from modelatlas.render.model_view import SOURCE_LABELS
from modelatlas.render.price_table import TIER_ORDER
from modelatlas.render.price_view import exact_money, money

# A regional inference profile's id: <geo>.<base upstream id> (Amazon Bedrock's eu., us., apac., ...).
GEO = re.compile(r"[a-z]{2}[a-z-]{0,10}\Z")
FACTS_KEPT = 4096  # distinct usage facts kept made (book_facts)


@dataclass(frozen=True, slots=True)
class UsageField:
    name: str  # the Usage field (and the URL parameter)
    label: str  # in the form
    line: str  # in the breakdown and in error messages
    part: bool = False  # counted inside the input or output tokens above it
    seconds: bool = False  # a duration (decimals allowed) rather than a whole count
    form: bool = True  # asked in the form (1-hour cache writes are cache writes with the 1 h lifetime)


USAGE_FIELDS: tuple[UsageField, ...] = (
    UsageField("input_tokens", "Input tokens (cached ones included)", "input tokens"),
    UsageField("cache_read_tokens", "of which read from the cache", "cache reads", part=True),
    UsageField("cache_write_tokens", "of which written to the cache", "cache writes", part=True),
    UsageField("cache_write_1h_tokens", "", "1-hour cache writes", part=True, form=False),
    UsageField("input_audio_tokens", "of which audio tokens", "audio input tokens", part=True),
    UsageField("input_image_tokens", "of which image tokens", "image input tokens", part=True),
    UsageField("output_tokens", "Output tokens", "output tokens"),
    UsageField("reasoning_tokens", "of which reasoning tokens", "reasoning tokens", part=True),
    UsageField("output_audio_tokens", "of which audio tokens", "audio output tokens", part=True),
    UsageField("output_image_tokens", "of which image tokens", "image output tokens", part=True),
    UsageField("input_seconds", "Audio or video in, seconds", "audio or video in", seconds=True),
    UsageField("output_seconds", "Audio out, seconds", "audio out", seconds=True),
    UsageField("input_images", "Images in", "images in"),
    UsageField("output_images", "Images generated", "images generated"),
    UsageField("input_characters", "Characters in", "characters in"),
    UsageField("output_characters", "Characters out", "characters out"),
    UsageField("queries", "Rerank queries", "rerank queries"),
    UsageField("web_searches", "Web searches", "web searches"),
    UsageField("requests", "Requests (blank: one)", "requests"),
)
BY_NAME = {field.name: field for field in USAGE_FIELDS}
INPUT_PARTS = ("cache_read_tokens", "cache_write_tokens", "input_audio_tokens", "input_image_tokens")
OUTPUT_PARTS = ("reasoning_tokens", "output_audio_tokens", "output_image_tokens")
# A component of a priced request (cost.js's line.component) -> its words in the breakdown.
COMPONENT_WORDS = {c.name: BY_NAME[c.usage_field].line for c in EVERY_COMPONENT}
COMPONENT_WORDS.update(input="input tokens (not cached)", output="output tokens")
# Why a usage cannot be priced, in plain words ({component}, {above}, {variant}, {message} filled in).
REASONS = {
    "unknown_price": "Unknown price for {component}{above}: no source we trust states it (not free)",
    "not_billed": "Does not bill {component}: leave them at 0",
    "no_variant": "No price for {variant}",
    "usage": "Not a usage: {message}",
    "empty": "Nothing to price yet: give a usage above",
    "no_prices": "No price of this offering is known",
}


@dataclass(frozen=True)
class UsageForm:
    """What ``_usage.html`` renders. ``shown``: the usage fields asked (``not_billed``: the subset
    no offering bills); ``presets``: the ids that apply; ``default``: the preset priced first."""

    scope: str  # "model", "canonical" or "compare"
    shown: frozenset[str]
    not_billed: frozenset[str]
    ttl_hour: bool  # some sheet prices 1-hour cache writes
    presets: tuple[str, ...]
    default: Preset | None
    regions: tuple[tuple[str, str, str], ...]  # (value, label, the profile's JSON path or "")
    tiers: tuple[str, ...]
    # The JSON file the estimator prices (model pages): v1/model/<provider>/<file>.json. Only the form's
    # tag names it: forms equal but for it are equal (and share one body, templates.usage_body).
    record: str = field(default="", compare=False)

    @property
    def default_summary(self) -> str:
        return summary(self.default) if self.default is not None else ""

    @property
    def fields(self) -> list[dict[str, Any]]:
        return [
            {
                "name": f.name,
                "label": f.label,
                "part": f.part,
                "seconds": f.seconds,
                "shown": f.name in self.shown,
                "not_billed": f.name in self.not_billed,
            }
            for f in USAGE_FIELDS
            if f.form
        ]

    @property
    def preset_views(self) -> list[dict[str, Any]]:
        default = self.default.id if self.default is not None else None
        return [
            {**view, "shown": view["id"] in self.presets, "default": view["id"] == default}
            for view in PRESET_VIEWS
        ]

    @property
    def words(self) -> str:
        """The breakdown's and the errors' words, for the page scripts (JSON, in an attribute)."""
        return WORDS


def summary(preset: Preset) -> str:
    """``2,000 input tokens, 500 output tokens`` (plus ``, batch tier``)."""
    parts = []
    for name, value in preset.counts().items():
        parts.append(f"{value:,} {BY_NAME[name].line}" if isinstance(value, int) else f"{value} s {name}")
    return ", ".join(parts) + (f", {preset.tier} tier" if preset.tier else "")


# What every form says of every preset (its "shown" and "default" flags are the form's own).
PRESET_VIEWS: tuple[dict[str, Any], ...] = tuple(
    {
        "id": p.id,
        "label": p.label,
        "usage": dumps_compact(p.counts()),
        "tier": p.tier or "",
        "mode": p.mode or "",
        "not_billed": p.not_billed or "",
        "one_request": p.one_request,
        "summary": summary(p),
    }
    for p in PRESETS
)
WORDS = dumps_compact({"components": COMPONENT_WORDS, "reasons": REASONS, "sources": SOURCE_LABELS})


def reason(error: Any) -> str:
    """An UnpricedError or UsageError in plain words (``static/usage.js`` says the same)."""
    kind = getattr(error, "kind", "usage")
    above = getattr(error, "above", None)
    component = getattr(error, "component", None)
    return REASONS.get(kind, REASONS["usage"]).format(
        component=COMPONENT_WORDS.get(component or "", component or "a component"),
        above=f" above {above:,} input tokens" if above else "",
        variant="this region and tier",
        message=getattr(error, "message", str(error)),
    )


def shown_fields(fields: Mapping[str, Billing]) -> set[str]:
    """The fields to ask: those in ``fields``, and the input or output tokens when a part of them is."""
    shown = set(fields)
    if shown & set(INPUT_PARTS):
        shown.add("input_tokens")
    if shown & set(OUTPUT_PARTS):
        shown.add("output_tokens")
    return shown


def _context(record: Record) -> int | None:
    value = record.get("context_length")
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def standard_tiers(book: PriceBook) -> set[str | None]:
    """The service tiers a record offers in its own region (None: standard)."""
    return {None} | {sheet.tier for sheet in book.variants if sheet.region is None}


def _mode(record: Record) -> str | None:
    mode = record.get("modelatlas", {}).get("mode")
    return mode if isinstance(mode, str) else None  # any other value matches no preset's mode, as None


def book_facts(book: PriceBook, record: Record) -> tuple[dict[str, Billing], list[Preset]]:
    """A record's usage fields and the presets that apply to it (what :func:`form_for` reads of each).
    Shared by every record with the same facts (callers only read them)."""
    return _facts(stated_fields(book), book.not_billed, frozenset(standard_tiers(book)), _mode(record),
                  _context(record))


@lru_cache(maxsize=FACTS_KEPT)
def _facts(
    stated: frozenset[str], not_billed: frozenset[str], tiers: frozenset[str | None], mode: str | None,
    context: int | None,
) -> tuple[dict[str, Billing], list[Preset]]:
    """:func:`book_facts` from all they depend on: the snapshot's 2,373 records have 569 distinct."""
    fields = billing_of(stated, not_billed)
    return fields, [preset for preset in PRESETS if applies(preset, fields, context, tiers, mode)]


FactsOf = Callable[[PriceBook, Record], tuple[dict[str, Billing], list[Preset]]]


def form_for(
    scope: str,
    books: Iterable[tuple[PriceBook, Record]],
    *,
    ranked: Iterable[tuple[PriceBook, Record]] = (),
    profiles: Iterable[tuple[str, str]] = (),
    json_path: str = "",
    facts: FactsOf = book_facts,
) -> UsageForm:
    """The form for some records: the union of their fields, presets, regions and tiers. The default
    preset is the first (at standard tier) that applies to one of ``ranked`` (else of ``books``).
    ``profiles``: (region, JSON path) of the records' regional profiles and ``json_path`` the record's
    own JSON file (model pages); ``facts``: :func:`book_facts`, or the caller's kept ones."""
    books = list(books)
    shown: set[str] = set()
    states: dict[Billing, set[str]] = {Billing.PRICED: set(), Billing.NOT_BILLED: set()}
    presets: list[Preset] = []  # in the order found
    chosen: set[str] = set()  # their ids (a preset's equality compares every field)
    regions: set[str] = set()
    tiers: set[str] = set()
    for book, record in books:
        fields, found = facts(book, record)
        shown |= shown_fields(fields)
        for name, state in fields.items():
            states[state].add(name)
        for preset in found:
            if preset.id not in chosen:
                chosen.add(preset.id)
                presets.append(preset)
        regions |= {sheet.region for sheet in book.variants if sheet.region}
        tiers |= {sheet.tier for sheet in book.variants if sheet.tier}
    first = [p for book, record in ranked for p in facts(book, record)[1] if p.tier is None]
    default = (first or [p for p in presets if p.tier is None] or [None])[0]
    region_rows = [(region, f"region {region}", "") for region in regions]
    # A variant of the record for a region wins over the profile (as the cost library prices it).
    region_rows += [(geo, f"{geo}: cross-region profile", at) for geo, at in profiles if geo not in regions]
    return UsageForm(
        scope,
        frozenset(shown),
        frozenset(states[Billing.NOT_BILLED] - states[Billing.PRICED]),
        "cache_write_1h_tokens" in states[Billing.PRICED],
        tuple(p.id for p in PRESETS if p.id in chosen),
        default,
        tuple(sorted(region_rows)),
        tuple(sorted(tiers, key=lambda tier: (TIER_ORDER.index(tier) if tier in TIER_ORDER else 99, tier))),
        json_path,
    )


def regional_profiles(records: Iterable[Record]) -> dict[str, list[tuple[str, str]]]:
    """``{base record id: [(geo, the profile's JSON path), ...]}``: the records whose id is the base's
    with a ``<geo>.`` prefix (removed ones left out), as the cost library resolves a region."""
    listed = [r for r in records if r["modelatlas"].get("lifecycle", {}).get("status") != "removed"]
    ids = {record["id"] for record in listed}
    found: dict[str, list[tuple[str, str]]] = {}
    for record in listed:
        provider, _, upstream = record["id"].partition("/")
        geo, dot, base = upstream.partition(".")
        if dot and GEO.match(geo) and f"{provider}/{base}" in ids:
            found.setdefault(f"{provider}/{base}", []).append((geo, record["modelatlas"]["links"]["details"]))
    return {base: sorted(profiles) for base, profiles in found.items()}


def default_estimate(book: PriceBook, form: UsageForm) -> dict[str, str]:
    """What the form's default preset costs at the record, as the estimator shows it before it runs."""
    preset = form.default
    if preset is None:
        return {"label": "", "total": "", "text": "", "exact": ""}
    label = f"{preset.label}:"
    try:
        total = price_book_usage(book, preset.usage, tier=preset.tier).total_string
    except CostError as error:
        return {"label": label, "total": "", "text": reason(error), "exact": ""}
    exact = exact_money(total)
    return {
        "label": label,
        "total": total,
        "text": money(total),
        "exact": "USD" if exact == money(total) else f"exactly {exact} USD",
    }


def compare_form() -> UsageForm:
    """Compare's form before its models are known: tokens in and out, a chat turn; the page's script
    then asks what the compared models bill (the same rules, ``static/usage-rules.js``)."""
    chat = PRESETS[0]
    return UsageForm(
        "compare", frozenset({"input_tokens", "output_tokens"}), frozenset(), True, (chat.id,), chat, (), ()
    )
