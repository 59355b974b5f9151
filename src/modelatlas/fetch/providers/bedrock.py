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
_VERSION = re.compile(r"-v?\d+:\d+$")
_MAJOR = re.compile(r"-v\d+$")
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
    """The model names a ``<model>[-v<major>:<minor>]`` can be read as: the literal name (only
    ``:<minor>`` dropped, as in ``amazon/nova-lite-v1``) before the one without Bedrock's version;
    Anthropic's ids also carry a major version alone (``anthropic.claude-opus-4-6-v1``)."""
    literal = _REVISION.sub("", name)
    names = [literal, _VERSION.sub("", name)]
    if vendor == "anthropic":
        names.append(_MAJOR.sub("", literal))
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
    model_ids=ModelIds(vendor_segment=VendorSegment.DOTTED, geo_prefixes=GEO_PREFIXES),
    name_reading=NameReading(readings=version_readings),
    catalog_rules=CatalogRules(
        litellm_region=r"[a-z]{2}(-gov)?-[a-z]+-[0-9]+",  # ``bedrock/us-east-1/<id>``
        litellm_slash_free=True,
        geo_pricing=GeoPricing(alike=ALIKE_GEOGRAPHIES),
    ),
    price_rules=PRICE_RULES,
    # Converse; InvokeModel answers in the model vendor's own format (Messages, Chat Completions).
    response_formats=(ResponseFormat.CONVERSE, ResponseFormat.ANTHROPIC, ResponseFormat.OPENAI_CHAT),
)
