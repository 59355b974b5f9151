"""Amazon Bedrock: ``GET https://bedrock.{AWS_REGION}.amazonaws.com/foundation-models`` plus
``GET /inference-profiles`` (many current models are only invocable through a profile id such as
``us.anthropic.claude-...``), with a Bedrock API key as Bearer.

Foundation models come in one body; inference profiles page with ``maxResults=1000`` and
``nextToken`` until it is absent. Upper-case enums are mapped (``TEXT`` → ``text``, ``SPEECH`` →
``audio``; ``EMBEDDING`` is a mode, not a modality). SigV4 signing is not implemented.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from modelatlas import record as r
from modelatlas.config import Settings
from modelatlas.fetch.http import HttpClient
from modelatlas.fetch.id_rules import IdGrammar, IdRule
from modelatlas.fetch.providers.base import ProviderConfig, token_pages
from modelatlas.fetch.providers.declaration import Provider
from modelatlas.fetch.providers.price_rules import (
    ALL_TOKEN_PRICES,
    HALF,
    Evidence,
    PriceRule,
    RegionalPremium,
    ScaledVariant,
    claude,
    every_model,
    scaled,
)
from modelatlas.fetch.providers.rules import (
    CatalogRules,
    GeoPricing,
    ModelIds,
    NameReading,
    ResponseFormat,
    Rewrite,
    VendorSegment,
)
from modelatlas.fetch.record_builder import Normalized, Pages, RecordSet, each_object, items_of

ID = "bedrock"
DEFAULT_API_ROOT = "https://bedrock.{AWS_REGION}.amazonaws.com"
ENDPOINT = "/foundation-models"
PROFILES_ENDPOINT = "/inference-profiles"
DEFAULT_REGION = "us-east-1"
PAGE_SIZE = 1000
# Model ids are ``vendor.model[-vN][:M]``; an inference profile puts a geography first (``us.``, ``global.``).
GEO_PREFIXES = ("us", "us-gov", "eu", "apac", "jp", "au", "ca", "in", "global")
ID_GRAMMAR = IdGrammar(
    shape=r"(?:(?:" + "|".join(GEO_PREFIXES) + r")\.)?[a-z0-9][a-z0-9-]*\.[A-Za-z0-9][A-Za-z0-9.:_-]*",
    shape_reason="lacks the vendor prefix: Bedrock ids are vendor.model (anthropic.claude-…), "
    "optionally after a geo prefix",
    rules=(IdRule("@", "uses Vertex AI's model@version syntax; Bedrock ids are vendor.model-vN:M"),),
)

_REVISION = re.compile(r":\d+$")
_VERSION = re.compile(r"-v?(?P<major>\d+):(?P<minor>\d+)$")
_MAJOR = re.compile(r"-v\d+$")
_DATED = re.compile(r"-20\d{6}$")
_INPUTS = {"text": "text", "image": "image", "speech": "audio", "audio": "audio", "video": "video"}
_OUTPUTS = {"text": "text", "image": "image", "speech": "audio", "audio": "audio", "video": "video"}
_LIFECYCLE = {"active": "active", "legacy": "deprecated"}


def api_root(settings: Settings) -> str:
    return f"https://bedrock.{settings.get('AWS_REGION') or DEFAULT_REGION}.amazonaws.com"


def fetch(client: HttpClient, config: ProviderConfig) -> Pages:
    headers = {"Authorization": f"Bearer {config.get('AWS_BEARER_TOKEN_BEDROCK')}"}
    foundation_models = client.get_json(config.url(ENDPOINT), headers=headers)
    profiles = token_pages(
        client,
        config.url(PROFILES_ENDPOINT),
        headers,
        size={"maxResults": PAGE_SIZE},
        token_param="nextToken",
        next_field="nextToken",
    )
    return [foundation_models, *profiles]


def _model_fields(item: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    outputs_raw = item.get("outputModalities") if isinstance(item.get("outputModalities"), list) else []
    lifecycle = r.json_object(item.get("modelLifecycle"))
    status = lifecycle.get("status")
    fields = {
        "name": r.label(item.get("modelName")),
        "owned_by": r.label(item.get("providerName"), 100),
        "architecture": {
            "input_modalities": r.mapped(item.get("inputModalities") or [], _INPUTS),
            "output_modalities": r.mapped(outputs_raw, _OUTPUTS),
        },
        "supported_methods": ["chat_completion_stream"]
        if item.get("responseStreamingSupported") is True
        else None,
    }
    extension = {
        "mode": "embedding" if any(str(m).upper() == "EMBEDDING" for m in outputs_raw) else None,
        "lifecycle": {
            "status": _LIFECYCLE.get(status.lower()) if isinstance(status, str) else None,
            "retirement_date": r.date_string(lifecycle.get("endOfLifeTime")),
            "release_date": r.date_string(lifecycle.get("startOfLifeTime")),
        },
    }
    return fields, extension


def normalize(pages: Pages) -> Normalized:
    records = RecordSet(ID)
    by_arn: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {}
    for body in pages:
        if isinstance(body, dict) and "inferenceProfileSummaries" in body:
            continue
        for position, item in each_object(items_of(body, "modelSummaries", allow_array=False), records):
            fields, extension = _model_fields(item)
            if isinstance(item.get("modelId"), str):
                by_arn[item["modelId"]] = (fields, extension)
            records.add(item.get("modelId"), fields, extension, position=position)
    for body in pages:
        if not (isinstance(body, dict) and "inferenceProfileSummaries" in body):
            continue
        for position, item in each_object(items_of(body, "inferenceProfileSummaries"), records):
            models = item.get("models") if isinstance(item.get("models"), list) else []
            arns = [
                m.get("modelArn")
                for m in models
                if isinstance(m, dict) and isinstance(m.get("modelArn"), str)
            ]
            base = next((by_arn[a.rsplit("/", 1)[-1]] for a in arns if a.rsplit("/", 1)[-1] in by_arn), None)
            fields: dict[str, Any] = {
                "name": r.label(item.get("inferenceProfileName")),
                "description": r.clean_text(item.get("description"), 20000),
                "created": r.unix_from_text(item.get("createdAt")),
            }
            extension: dict[str, Any] = {}
            if base is not None:
                fields.update(owned_by=base[0].get("owned_by"), architecture=base[0].get("architecture"))
                extension["mode"] = base[1].get("mode")
            records.add(item.get("inferenceProfileId"), fields, extension, position=position)
    return records.result()


def version_readings(vendor: str, name: str) -> tuple[str, ...]:
    """The model names a ``<model>[-v<major>:<minor>]`` can be read as, most literal first:

    * the name with only ``:<minor>`` dropped (``amazon/nova-lite-v1``), and with the version as
      the model's own (``cohere.embed-v4:0`` is Embed v4.0, ``mistral.mistral-7b-instruct-v0:2``
      Mistral 7B Instruct v0.2);
    * the name without the version only where it is Bedrock's API version (``-v1:0``), or where a
      snapshot date before it names the model (``…-20241022-v2:0``): ``-v0:2`` is never read as
      the unversioned model;
    * Anthropic's ids also carry a major version alone (``anthropic.claude-opus-4-6-v1``);
    * a name that is only a version and has no API version (``deepseek.v3.2``), after the vendor's
      name (``deepseek.v3-v1:0`` is DeepSeek-V3.1 by its list's own name, so versioned ones are not).
    """
    literal = _REVISION.sub("", name)
    names = [literal]
    version = _VERSION.search(name)
    if version is not None:
        bare = name[: version.start()]
        names.append(f"{bare}-v{version['major']}.{version['minor']}")
        if (version["major"], version["minor"]) == ("1", "0") or _DATED.search(bare):
            names.append(bare)
    if vendor == "anthropic":
        names.append(_MAJOR.sub("", literal))
    if vendor and version is None and re.match(r"v\d", literal):
        names.append(f"{vendor}-{literal}")
    return tuple(dict.fromkeys(names))


# AWS prices these geographies' profiles alike (GovCloud and India have prices of their own).
ALIKE_GEOGRAPHIES = ("us", "eu", "apac", "jp", "au", "ca")
PRICE_RULES = (
    PriceRule(
        "bedrock-claude-global-vs-geo-in-region-10pct",
        claude(since=(4, 5)),
        RegionalPremium(Decimal("1.1"), ALIKE_GEOGRAPHIES),
        Evidence(
            "https://docs.aws.amazon.com/bedrock/latest/userguide/global-cross-region-inference.html",
            "Cost-efficiency – Global cross-Region inference for Anthropic's Claude Sonnet 4.5 offers "
            "approximately 10% savings on both input and output token pricing compared to geographic "
            "cross-Region inference. The price is calculated based on the AWS Region from which the request "
            "is made (source AWS Region).",
        ),
    ),
    PriceRule(
        "bedrock-batch-50pct",
        every_model,
        ScaledVariant(scaled(ALL_TOKEN_PRICES, HALF), tier="batch", only_where_listed=True),
        Evidence(
            "https://docs.aws.amazon.com/bedrock/latest/userguide/capacity-limits-cost-optimization.html",
            "Batch Large-scale, non-time-sensitive processing • 50% cost savings vs on-demand",
        ),
    ),
)


PROVIDER = Provider(
    id=ID,
    name="Amazon Bedrock",
    default_api_root=DEFAULT_API_ROOT,
    endpoint=ENDPOINT,
    env_vars=("AWS_BEARER_TOKEN_BEDROCK", "AWS_REGION"),
    credentials=(("AWS_BEARER_TOKEN_BEDROCK",),),
    auth="`Authorization: Bearer` (Bedrock API key)",
    pagination="foundation models: none; inference profiles: `maxResults=1000`, `nextToken` until absent",
    metadata="name, provider, input/output modalities, lifecycle (ACTIVE/LEGACY), streaming; profiles",
    fetch=fetch,
    normalize=normalize,
    id_grammar=ID_GRAMMAR,
    catalog_names={
        "models.dev": ("amazon-bedrock",),
        "litellm": ("bedrock", "bedrock_converse", "bedrock_mantle"),
        "ruby_llm": ("bedrock",),
        "portkey": ("bedrock", "bedrock-mantle"),
    },
    api_root_for=api_root,
    public_settings=("AWS_REGION",),
    house_vendor="amazon",
    model_ids=ModelIds(
        vendor_segment=VendorSegment.DOTTED,
        geo_prefixes=GEO_PREFIXES,
        # Its API version ``-v1:0`` (``-1:0``, ``:0``) is one id written with or without it, or as
        # ``-v1`` (``anthropic.claude-opus-4-6-v1`` and the catalogs' ``…-v1:0``; ``qwen.qwen3-32b-v1:0``
        # and ``qwen.qwen3-32b``); other revisions (``:1``, ``-v2:0``) are other models.
        spelling_folds=(Rewrite(r"(?:-v1|(?:-v?1)?:0)$"),),
        # Catalogs add ``-instruct`` to ids its list writes without (``qwen.qwen3-coder-30b-a3b-v1:0``).
        list_aliases=(Rewrite(r"-instruct$"),),
    ),
    # Its ids leave out words of the vendor's model names: the expert count of Llama 4 and the
    # "Vision" of Llama 3.2 11B/90B (its list names meta.llama4-maverick-17b-instruct-v1:0 "Llama 4
    # Maverick 17B Instruct", meta.llama3-2-11b-instruct-v1:0 "Llama 3.2 11B Instruct" with image
    # input), and "Instruct" of Qwen ("Qwen3 Coder 480B A35B Instruct" is qwen.qwen3-coder-480b-a35b-v1:0).
    name_reading=NameReading(
        readings=version_readings, implied_suffixes=("-instruct",), omitted_words=(r"\d+e", "vision")
    ),
    catalog_rules=CatalogRules(
        litellm_region=r"[a-z]{2}(-gov)?-[a-z]+-[0-9]+",  # ``bedrock/us-east-1/<id>``
        litellm_slash_free=True,
        geo_pricing=GeoPricing(alike=ALIKE_GEOGRAPHIES),
    ),
    price_rules=PRICE_RULES,
    # Converse; InvokeModel answers in the model vendor's own format (Messages, Chat Completions).
    response_formats=(ResponseFormat.CONVERSE, ResponseFormat.ANTHROPIC, ResponseFormat.OPENAI_CHAT),
)
