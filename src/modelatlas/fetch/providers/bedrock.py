"""Amazon Bedrock: ``GET https://bedrock.{AWS_REGION}.amazonaws.com/foundation-models`` plus
``GET /inference-profiles`` (many current models are only invocable through a profile id such as
``us.anthropic.claude-...``), with a Bedrock API key as Bearer.

Foundation models come in one body; inference profiles page with ``maxResults=1000`` and
``nextToken`` until it is absent. Upper-case enums are mapped (``TEXT`` → ``text``, ``SPEECH`` →
``audio``; ``EMBEDDING`` is a mode, not a modality). SigV4 signing is not implemented.
"""

from __future__ import annotations

from typing import Any

from modelatlas.config import Settings
from modelatlas.fetch.http import HttpClient
from modelatlas.fetch.id_rules import IdGrammar, IdRule
from modelatlas.fetch.providers import records as r
from modelatlas.fetch.providers.base import ProviderConfig, token_pages

PROVIDER = "bedrock"
DEFAULT_BASE_URL = "https://bedrock.{AWS_REGION}.amazonaws.com"
ENDPOINT = "/foundation-models"
PROFILES_ENDPOINT = "/inference-profiles"
ENV_VARS = ("AWS_BEARER_TOKEN_BEDROCK", "AWS_REGION")
PAGINATION = "foundation models: none; inference profiles: `maxResults=1000`, `nextToken` until absent"
METADATA = "name, provider, input/output modalities, lifecycle (ACTIVE/LEGACY), streaming; profiles"
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

_INPUTS = {"text": "text", "image": "image", "speech": "audio", "audio": "audio", "video": "video"}
_OUTPUTS = {"text": "text", "image": "image", "speech": "audio", "audio": "audio", "video": "video"}
_LIFECYCLE = {"active": "active", "legacy": "deprecated"}


def missing_credentials(settings: Settings) -> str | None:
    return None if settings.get("AWS_BEARER_TOKEN_BEDROCK") else "no AWS_BEARER_TOKEN_BEDROCK"


def default_base_url(settings: Settings) -> str:
    return f"https://bedrock.{settings.get('AWS_REGION') or DEFAULT_REGION}.amazonaws.com"


def fetch(client: HttpClient, config: ProviderConfig) -> r.Pages:
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
    lifecycle = item.get("modelLifecycle") if isinstance(item.get("modelLifecycle"), dict) else {}
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


def normalize(pages: r.Pages) -> r.Normalized:
    records = r.RecordSet(PROVIDER)
    by_arn: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {}
    for body in pages:
        if isinstance(body, dict) and "inferenceProfileSummaries" in body:
            continue
        for position, item in r.each_object(r.items_of(body, "modelSummaries", allow_array=False), records):
            fields, extension = _model_fields(item)
            if isinstance(item.get("modelId"), str):
                by_arn[item["modelId"]] = (fields, extension)
            records.add(item.get("modelId"), fields, extension, position=position)
    for body in pages:
        if not (isinstance(body, dict) and "inferenceProfileSummaries" in body):
            continue
        for position, item in r.each_object(r.items_of(body, "inferenceProfileSummaries"), records):
            models = item.get("models") if isinstance(item.get("models"), list) else []
            arns = [
                m.get("modelArn")
                for m in models
                if isinstance(m, dict) and isinstance(m.get("modelArn"), str)
            ]
            base = next((by_arn[a.rsplit("/", 1)[-1]] for a in arns if a.rsplit("/", 1)[-1] in by_arn), None)
            fields: dict[str, Any] = {
                "name": r.label(item.get("inferenceProfileName")),
                "description": r.text(item.get("description"), 20000),
                "created": r.unix_from_text(item.get("createdAt")),
            }
            extension: dict[str, Any] = {}
            if base is not None:
                fields.update(owned_by=base[0].get("owned_by"), architecture=base[0].get("architecture"))
                extension["mode"] = base[1].get("mode")
            records.add(item.get("inferenceProfileId"), fields, extension, position=position)
    return records.result()
