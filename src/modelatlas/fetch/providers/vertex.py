"""Vertex AI: publisher models, ``GET {location}-aiplatform.googleapis.com/v1beta1/publishers/{p}/models``.

OAuth2 access token as Bearer (``VERTEX_ACCESS_TOKEN``), quota project in ``x-goog-user-project``.
Lists the ``google``, ``anthropic`` and ``mistralai`` publishers, each with ``pageSize=100`` then
``pageToken=<nextPageToken>`` until the token is omitted. Ids are the last segment of ``name``.

Google APIs answer in proto3 JSON, which omits an empty repeated field: ``{}`` is a publisher or
page without models. A publisher that answers 403 or 404 (not enabled for the project, not offered
in the location) is skipped with its reason while the other publishers land; its models keep their
previous records (see ``Normalized.skipped``). Any other error fails the provider.
"""

from __future__ import annotations

from typing import Any

from modelatlas import record as r
from modelatlas.config import Settings
from modelatlas.fetch.http import FetchError, HttpClient
from modelatlas.fetch.providers.base import ProviderConfig, token_pages
from modelatlas.fetch.providers.declaration import Provider
from modelatlas.fetch.providers.rules import ModelIds, NameReading, ResponseFormat, Rewrite, VendorSegment
from modelatlas.fetch.record_builder import SKIPPED_PAGE, Normalized, Pages, RecordSet, each_object, items_of

ID = "vertex"
DEFAULT_API_ROOT = "https://{GOOGLE_CLOUD_LOCATION}-aiplatform.googleapis.com/v1beta1"
ENDPOINT = "/publishers/{publisher}/models"
PUBLISHERS = ("google", "anthropic", "mistralai")
PAGE_SIZE = 100
DEFAULT_LOCATION = "us-central1"

_STAGES = {"ga": "active", "public_preview": "preview", "private_preview": "preview", "experimental": "alpha"}


def api_root(settings: Settings) -> str:
    location = settings.get("GOOGLE_CLOUD_LOCATION") or DEFAULT_LOCATION
    if location == "global":
        return "https://aiplatform.googleapis.com/v1beta1"
    return f"https://{location}-aiplatform.googleapis.com/v1beta1"


def fetch(client: HttpClient, config: ProviderConfig) -> Pages:
    headers = {
        "Authorization": f"Bearer {config.get('VERTEX_ACCESS_TOKEN')}",
        "x-goog-user-project": config.get("GOOGLE_CLOUD_PROJECT") or "",
    }
    pages: Pages = []
    skipped: dict[str, str] = {}
    for publisher in PUBLISHERS:
        try:
            pages += token_pages(
                client,
                config.url(ENDPOINT.format(publisher=publisher)),
                headers,
                size={"pageSize": PAGE_SIZE},
                token_param="pageToken",
                next_field="nextPageToken",
                what=f"nextPageToken of publisher {publisher}",
            )
        except FetchError as exc:
            if exc.status not in (403, 404):
                raise
            skipped[publisher] = exc.reason
    if len(skipped) == len(PUBLISHERS):
        raise FetchError("every publisher was refused: " + "; ".join(skipped.values()))
    return [*pages, {SKIPPED_PAGE: skipped}] if skipped else pages


def normalize(pages: Pages) -> Normalized:
    records = RecordSet(ID)
    skipped: dict[str, str] = {}
    for body in pages:
        if isinstance(body, dict) and SKIPPED_PAGE in body:
            skipped.update(body[SKIPPED_PAGE])
            continue
        proto3 = {"publisherModels": [], **body} if isinstance(body, dict) else body  # {} = no models
        items = items_of(proto3, "publisherModels", allow_array=False)
        for position, item in each_object(items, records):
            name = item.get("name")
            parts = name.split("/") if isinstance(name, str) else []
            if len(parts) != 4 or parts[0] != "publishers" or parts[2] != "models":
                records.reject(f"item {position}: name {r.describe(name)} is not publishers/<p>/models/<id>")
                continue
            actions = item.get("supportedActions")
            deploy = actions.get("deploy") if isinstance(actions, dict) else None
            stage = item.get("launchStage")
            fields: dict[str, Any] = {
                "name": r.label(deploy.get("modelDisplayName")) if isinstance(deploy, dict) else None,
                "owned_by": r.label(parts[1], 100),
            }
            extension = {
                "lifecycle": {"status": _STAGES.get(stage.lower()) if isinstance(stage, str) else None},
                "capabilities": {
                    "open_weights": item.get("openSourceCategory") not in (None, "PROPRIETARY")
                    if isinstance(item.get("openSourceCategory"), str)
                    else None,
                },
            }
            records.add(parts[3], fields, extension, position=position)
    result = records.result()
    result.skipped = {f"publisher {publisher}": reason for publisher, reason in sorted(skipped.items())}
    result.keep_owned_by = sorted(skipped)
    return result


PROVIDER = Provider(
    id=ID,
    name="Google Vertex AI",
    default_api_root=DEFAULT_API_ROOT,
    endpoint=ENDPOINT,
    env_vars=("VERTEX_ACCESS_TOKEN", "GOOGLE_CLOUD_PROJECT", "GOOGLE_CLOUD_LOCATION"),
    credentials=(("VERTEX_ACCESS_TOKEN",), ("GOOGLE_CLOUD_PROJECT",)),
    auth="`Authorization: Bearer` (OAuth token) + `x-goog-user-project`",
    pagination="`pageSize=100`, `pageToken=<nextPageToken>` until it is omitted; per publisher",
    metadata="publisher, launch stage, version, open-source category (no limits or prices)",
    fetch=fetch,
    normalize=normalize,
    catalog_names={
        "models.dev": ("google-vertex", "google-vertex-anthropic"),
        "litellm": ("vertex_ai", "vertex_ai-*"),
        "ruby_llm": ("vertexai",),
        "portkey": ("vertex-ai",),
    },
    api_root_for=api_root,
    public_settings=("GOOGLE_CLOUD_LOCATION",),
    model_ids=ModelIds(
        vendor_segment=VendorSegment.SLASH,
        # The API's resource names (``publishers/<p>/models/<id>``, ``models/<id>``) around the bare id.
        wrappers=("models/", r"publishers(?=/).*?/models/"),
        # A partner model's snapshot date follows ``@`` (``claude-opus-4-1@20250805``, the model name
        # in Anthropic's "Claude on Vertex AI" table); catalogs also write it after a dash.
        own_spellings=(Rewrite(r"-(20\d{6})$", r"@\1"),),
    ),
    name_reading=NameReading(
        decorations=(
            Rewrite(r"@(\d{3}|default)$"),  # a revision: ``claude-opus-4@001``, ``…@default``
            Rewrite(r"@(\d{4})(-\d{3})?$", r"-\1"),  # a month version: ``mistral-large@2407``
            Rewrite(r"-maas$"),  # model as a service: ``llama-3.3-70b-instruct-maas``
            # A generation tag before a snapshot date (``claude-3-5-sonnet-v2@20241022``, Anthropic's
            # Claude 3.5 Sonnet v2, ``claude-3-5-sonnet-20241022`` at Anthropic): the date names it.
            Rewrite(r"-v\d+(?=@20\d{6}$)"),
        )
    ),
    # Gemini answers generateContent, Claude on Vertex Messages, model-as-a-service Chat Completions.
    response_formats=(ResponseFormat.GOOGLE, ResponseFormat.ANTHROPIC, ResponseFormat.OPENAI_CHAT),
)
