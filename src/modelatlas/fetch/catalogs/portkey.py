"""Portkey's open model database: per-provider price files, with region and service-tier prices.

Published as ``<base>/pricing/<file>.json`` and ``<base>/general/<file>.json`` (base
``https://configs.portkey.ai``; ``MODELATLAS_PORTKEY_URL`` overrides it with another base URL or a
local folder). Prices are **US cents** per token (or per unit), converted exactly:
``0.00025`` cents = ``"0.0000025"`` USD. What is read (docs/data-sources.md, "Portkey"):

- ``pricing_config.pay_as_you_go``: the plain id's standard on-demand price;
- ``custom_pricing.regions.<region list>.execution_modes.<mode>``: one variant per region and
  tier (``default`` region = no region; ``standard`` mode = no tier); with context tiers, the
  lowest tier (``context_tier_map["0"]``); ``batch_config``: the batch tier;
- a rerank model's ``request_token`` is its price per query (``general`` type ``rerank``, or
  ``rerank`` in the id), not per token;
- ``ft:`` keys are fine-tuning price templates, and keys without a vendor prefix in the file of a
  provider whose ids are ``vendor.model`` (``VendorSegment.DOTTED``) are Portkey's own shorthands:
  both skipped;
- an ``audio`` model's ``request_token`` without audio-token prices is per character (speech) or
  per minute (transcription), not per token, and is left out; so is any token price above
  $1,000 per 1M tokens (whisper's $0.006 per minute sits in ``request_audio_token``);
- keys ending ``-gt-<N>k`` are the price above a context threshold: a long-context tier (whole
  request) of the id without that suffix, as is each named tier of ``context_tier_map`` above 0;
  ``-lte-<N>k`` keys are the model's base price under the id without that suffix.
"""

from __future__ import annotations

import dataclasses
import re
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from typing import Any

from modelatlas.config import HttpSettings
from modelatlas.fetch.catalogs.loader import CATALOG_HTTP, load_catalog_part
from modelatlas.fetch.catalogs.resolve import finish
from modelatlas.fetch.catalogs.units import (
    TIER_FIELDS,
    drop_implausible_token_prices,
    drop_token_placeholders,
)
from modelatlas.fetch.providers import registry
from modelatlas.fetch.providers.declaration import catalog_names
from modelatlas.fetch.providers.rules import VendorSegment
from modelatlas.fetch.record_builder import RecordBuilder, context_tier
from modelatlas.prices import price_string
from modelatlas.record import Record, as_int, count, json_object, unusable_id_reason

SOURCE_ID = "portkey"
DEFAULT_URL = "https://configs.portkey.ai"
ENV_VAR = "MODELATLAS_PORTKEY_URL"
CENTS = Decimal(100)


PARALLEL_FILES = 8  # Portkey files requested at once

def file_providers() -> dict[str, str]:
    """``{Portkey file name: our provider id}``: the names each provider declares for this catalog.

    For one provider, the entry of an id in its earlier-declared file wins.
    """
    return catalog_names(registry.PROVIDERS, SOURCE_ID)


_TEMPLATE_KEYS = frozenset({"default", "name", "description"})
# Dotted ids always start with a vendor (``anthropic.``, ``us.anthropic.``); Portkey's files for such
# a provider also price its own shorthands (``claude``, ``claude-3-haiku-20240307``), which are not ids.
_VENDOR_PREFIXED = re.compile(r"^[a-z0-9-]+\.")
_ABOVE_THRESHOLD = re.compile(r"-gt-(\d+)k$")
_BASE_TIER = re.compile(r"-lte-\d+k$")
# pay_as_you_go key (cents per token) -> our field
_TOKEN_PRICES = {
    "request_token": "pricing.prompt",
    "response_token": "pricing.completion",
    "cache_read_input_token": "pricing.input_cache_read",
    "cache_write_input_token": "pricing.input_cache_write",
    "reasoning_token": "pricing.internal_reasoning",
    "request_audio_token": "modelatlas.extra_pricing.input_audio_token",
    "response_audio_token": "modelatlas.extra_pricing.output_audio_token",
    "request_image_token": "modelatlas.extra_pricing.input_image_token",
    "response_image_token": "modelatlas.extra_pricing.output_image_token",
}
# additional_units key (cents per unit) -> our field
_UNIT_PRICES = {
    "cache_write_1h": "modelatlas.extra_pricing.input_cache_write_1h",
    "image_token": "modelatlas.extra_pricing.output_image_token",
    "web_search": "pricing.web_search",
}
_AUDIO_TOKENS = ("request_audio_token", "response_audio_token")
_MODES = {"standard": None, "batch": "batch", "flex": "flex", "priority": "priority", "fast": "fast"}


def load(http: HttpSettings = CATALOG_HTTP) -> dict[str, Any]:
    """``{file: {"pricing": ..., "general": ...}}`` for every file in :func:`file_providers`.

    The files are requested a few at a time (one round trip each); the result is in file order.
    ``http.deadline`` is the whole catalog's: each file gets what is left of it.
    """
    wanted = [(name, part) for name in file_providers() for part in ("pricing", "general")]
    ends = time.monotonic() + http.deadline

    def one(item: tuple[str, str]) -> Any:
        left = dataclasses.replace(http, deadline=max(0.0, ends - time.monotonic()))
        return load_catalog_part(SOURCE_ID, ENV_VAR, DEFAULT_URL, f"{item[1]}/{item[0]}.json", left)

    with ThreadPoolExecutor(max_workers=PARALLEL_FILES, thread_name_prefix="portkey") as pool:
        bodies = pool.map(one, wanted)
        loaded: dict[str, Any] = {}
        for (name, part), body in zip(wanted, bodies, strict=True):
            loaded.setdefault(name, {})[part] = body
    return loaded


Kind = tuple[object, str]  # (general type.primary, model id): what decides a price's unit


def _usd(node: object) -> str | None:
    """USD from a ``{"price": <cents>}`` node."""
    return price_string(json_object(node).get("price"), per=CENTS)


def prices(pay: dict[str, Any], kind: Kind, dropped: Counter[str]) -> dict[str, str]:
    """``{field path: USD string}`` of one ``pay_as_you_go`` object."""
    primary, upstream = kind
    rerank = primary == "rerank" or "rerank" in upstream
    found = {path: _usd(pay.get(key)) for key, path in _TOKEN_PRICES.items()}
    if primary == "audio" and not any(key in pay for key in _AUDIO_TOKENS):
        for path in ("pricing.prompt", "pricing.completion"):  # per character or minute here
            if found.pop(path) is not None:
                dropped["audio model price without audio tokens (per character or minute)"] += 1
    units = json_object(pay.get("additional_units"))
    found.update({path: _usd(units.get(key)) for key, path in _UNIT_PRICES.items()})
    image = json_object(json_object(pay.get("image")).get("default")).get("default")
    found["modelatlas.extra_pricing.output_image"] = _usd(image)
    if rerank:
        found["modelatlas.extra_pricing.query"] = found.pop("pricing.prompt")
    result = {path: value for path, value in found.items() if value is not None}
    drop_token_placeholders(result, dropped)
    drop_implausible_token_prices(result, dropped)
    return result


def _pay(config: dict[str, Any]) -> dict[str, Any]:
    return json_object(json_object(config.get("pricing_config")).get("pay_as_you_go"))


def _plain(found: dict[str, str]) -> dict[str, str]:
    return {p.removeprefix("pricing."): v for p, v in found.items() if p.startswith("pricing.")}


def _tier_prices(found: dict[str, str]) -> dict[str, str]:
    """The token prices of a long-context tier (``pricing.*`` and the 1-hour cache write)."""
    return {p: v for p, v in found.items() if p in TIER_FIELDS}


def _variant(config: dict[str, Any], context_map: dict[str, Any], kind: Kind) -> tuple[dict[str, str], list]:
    """The ``pricing`` object of one execution mode (its lowest context tier where there are tiers)
    and its long-context tiers (``context_tier_map``: threshold -> tier name)."""
    if "context_tiers" not in config:
        return _plain(prices(_pay(config), kind, Counter())), []
    named = json_object(config.get("context_tiers"))
    base = _plain(prices(_pay(json_object(named.get(str(context_map.get("0"))))), kind, Counter()))
    tiers = []
    for threshold, name in sorted(context_map.items(), key=lambda item: as_int(item[0]) or 0):
        above = as_int(threshold)
        if above and isinstance(name, str) and name in named:
            found = _tier_prices(prices(_pay(json_object(named[name])), kind, Counter()))
            tier = context_tier(above, found, SOURCE_ID)
            if tier is not None:
                tiers.append(tier)
    return base, tiers


def _add_variants(b: RecordBuilder, entry: dict[str, Any], kind: Kind, above: list[tuple[int, dict]]) -> None:
    custom = json_object(entry.get("custom_pricing"))
    context_map = json_object(custom.get("context_tier_map"))
    batch = json_object(json_object(entry.get("pricing_config")).get("batch_config"))
    batch_tiers = [
        tier
        for threshold, gt in above
        if (tier := context_tier(threshold, _tier_prices(prices(_batch(gt), kind, Counter())), SOURCE_ID))
    ]
    b.add_variant(_plain(prices(batch, kind, Counter())), tier="batch", context_tiers=batch_tiers)
    for regions, region_entry in sorted(json_object(custom.get("regions")).items()):
        modes = json_object(json_object(region_entry).get("execution_modes"))
        for mode, config in sorted(modes.items()):
            pricing, tiers = _variant(json_object(config), context_map, kind)
            if regions == "default" and mode == "standard":
                for tier in tiers:
                    b.add_context_tier(tier["above_input_tokens"], _paths(tier))
                continue
            if mode not in _MODES:
                continue
            for region in regions.split(","):
                where = None if region == "default" else region.strip()
                b.add_variant(pricing, region=where, tier=_MODES[mode], context_tiers=tiers)


def _batch(entry: dict[str, Any]) -> dict[str, Any]:
    return json_object(json_object(entry.get("pricing_config")).get("batch_config"))


def _paths(tier: dict[str, Any]) -> dict[str, str]:
    found = {f"pricing.{k}": v for k, v in tier.get("pricing", {}).items()}
    found.update({f"modelatlas.extra_pricing.{k}": v for k, v in tier.get("extra_pricing", {}).items()})
    return found


def _max_output(general: dict[str, Any]) -> int | None:
    for param in general.get("params") or []:
        if isinstance(param, dict) and param.get("key") in ("max_tokens", "max_completion_tokens"):
            return count(param.get("maxValue")) or None
    return None


def _record(
    provider: str,
    upstream: str,
    entry: dict[str, Any],
    general: dict[str, Any],
    above: list[tuple[int, dict[str, Any]]],
    dropped: Counter[str],
) -> Record | None:
    """One model; ``above``: its ``-gt-<N>k`` entries (threshold, entry), priced above N thousand."""
    kind: Kind = (json_object(general.get("type")).get("primary"), upstream)
    b = RecordBuilder(provider, upstream, SOURCE_ID)
    b.set("max_output_tokens", _max_output(general))
    for path, value in prices(_pay(entry), kind, dropped).items():
        b.set(path, value)
    base = _tier_prices(prices(_pay(entry), kind, Counter()))
    for threshold, gt in above:
        tier = _tier_prices(prices(_pay(gt), kind, dropped))
        if tier != base:  # a "-gt-" key repeating the base price states no tier
            b.add_context_tier(threshold, tier)
    _add_variants(b, entry, kind, above)
    return b.build(dropped)


def _model_id(key: str, provider: str, skipped: Counter[str]) -> str | None:
    if key in _TEMPLATE_KEYS:
        return None
    if key.startswith("ft:"):
        skipped["fine-tuning price template key"] += 1
        return None
    dotted = registry.declared(provider).model_ids.vendor_segment is VendorSegment.DOTTED
    if dotted and not _VENDOR_PREFIXED.match(key):
        skipped[f"{provider} key without a vendor prefix (not a model id)"] += 1
        return None
    if _ABOVE_THRESHOLD.search(key):
        return None  # a long-context price of its base id (see _above_entries)
    upstream = _BASE_TIER.sub("", key)
    reason = unusable_id_reason(upstream)
    if reason:
        skipped[reason] += 1
        return None
    return upstream


def _entries(files: dict[str, Any], skipped: Counter[str]) -> dict[tuple[str, str], tuple[dict, dict]]:
    """``{(provider, id): (pricing entry, general entry)}``; a plain key beats its ``-lte-`` key."""
    chosen: dict[tuple[str, str], tuple[bool, dict, dict]] = {}
    for name, provider in file_providers().items():
        parts = json_object(files.get(name))
        pricing, general = json_object(parts.get("pricing")), json_object(parts.get("general"))
        for key in sorted(pricing):
            upstream = _model_id(key, provider, skipped)
            entry = json_object(pricing[key])
            if upstream is None:
                continue
            if not json_object(entry.get("pricing_config")):
                skipped["entry without a pricing_config"] += 1
                continue
            tiered = upstream != key
            slot = (provider, upstream)
            if slot in chosen and (chosen[slot][0] <= tiered):
                skipped["duplicate key for the same model"] += 1
                continue
            chosen[slot] = (tiered, entry, json_object(general.get(key) or general.get(upstream)))
    return {slot: (entry, general) for slot, (_t, entry, general) in chosen.items()}


def _above_entries(files: dict[str, Any]) -> dict[tuple[str, str], list[tuple[int, dict[str, Any]]]]:
    """``{(provider, base id): [(threshold, entry)]}`` of the ``<base>-gt-<N>k`` keys: the base
    model's prices above N thousand input tokens (its ``-lte-<N>k`` key, or the plain id, is below)."""
    found: dict[tuple[str, str], list[tuple[int, dict[str, Any]]]] = {}
    for name, provider in file_providers().items():
        pricing = json_object(json_object(files.get(name)).get("pricing"))
        for key in sorted(pricing):
            match = _ABOVE_THRESHOLD.search(key)
            if match is None or not json_object(json_object(pricing[key]).get("pricing_config")):
                continue
            threshold = int(match.group(1)) * 1000
            entry = json_object(pricing[key])
            found.setdefault((provider, key[: match.start()]), []).append((threshold, entry))
    return found


def normalize(raw: Any, skipped: Counter[str] | None = None) -> dict[str, list[Record]]:
    """Records per our provider id from ``{file: {"pricing": ..., "general": ...}}``; pure."""
    skipped = skipped if skipped is not None else Counter()
    if not isinstance(raw, dict):
        skipped["catalog is not a JSON object"] += 1
        return {}
    result: dict[str, list[Record]] = {}
    above = _above_entries(raw)
    for (provider, upstream), (entry, general) in sorted(_entries(raw, skipped).items()):
        tiers = sorted(above.get((provider, upstream), []), key=lambda item: item[0])
        record = _record(provider, upstream, entry, general, tiers, skipped)
        if record is not None and not record["modelatlas"]["provenance"]:
            skipped["nothing beyond an id (e.g. only a fine-tuning price)"] += 1
        elif record is not None:
            result.setdefault(provider, []).append(record)
    return finish(result, skipped)
