"""``openapi.json``: an OpenAPI 3.1 document of what a build serves.

Two kinds of paths: the ``modelatlas serve`` API (``GET /v1/models`` with the gateway's query
parameters and their 400s, the model lookup by id) and the static files every host serves (from
:data:`~modelatlas.render.json_api.URL_TEMPLATES` and the change feeds). Response bodies refer to the
JSON Schemas the build publishes under ``schema/`` by relative ``$ref``, so the schema files stay
the one contract. Parameter examples come from the catalog, so each path has one that exists.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from modelatlas.filenames import model_filename
from modelatlas.ids import provider_ids
from modelatlas.jsonio import compact_bytes
from modelatlas.pagination import MAX_REQUEST_PAGE_SIZE, MAX_TOKEN_LENGTH, TOKEN_PATTERN
from modelatlas.render import canonical_api, canonical_view
from modelatlas.render.catalog import Catalog, Record
from modelatlas.render.json_api import URL_TEMPLATES, is_listed
from modelatlas.render.response_headers import ALLOWED_METHODS, CORS
from modelatlas.schema import SCHEMA_VERSION

JSON = "application/json"
ATOM = "application/atom+xml"
Doc = dict[str, Any]

DESCRIPTION = """\
The models of LLM providers in the gateway's `GET /v1/models` shape. Any static host serves the \
files of the build (tag `static`); `modelatlas serve` serves them too and adds the `serve` \
operations: the gateway's query parameters and the lookup of one model by id. `modelatlas serve` \
sends a strong `ETag` and `Last-Modified` (`If-None-Match` / `If-Modified-Since` get 304), \
compresses with gzip when the client accepts it, answers a CORS preflight (`OPTIONS`) with 204 \
and every method but GET, HEAD and OPTIONS with a JSON 405 carrying `Allow`. On `/v1/models` a \
query parameter other than `provider`, `page_size` and `page_token` is a 400; every other path \
ignores the query string, as static hosts do. Links in an answer of `modelatlas serve` are \
relative to the URL it answers (RFC 3986), or absolute when the build has a base URL. Errors are \
JSON: `{"error": {"message", "type", "param"}}`."""


def _ref(name: str) -> Doc:
    return {"$ref": f"#/components/{name}"}


def _schema_file(name: str) -> Doc:
    return {"$ref": f"schema/{name}.schema.json"}


def _ok(description: str, schema: Doc, media_type: str = JSON) -> Doc:
    return {
        "description": description,
        "headers": {
            "ETag": _ref("headers/ETag"),
            "Last-Modified": _ref("headers/Last-Modified"),
            "Cache-Control": _ref("headers/Cache-Control"),
        },
        "content": {media_type: {"schema": schema}},
    }


def _get(summary: str, tag: str, parameters: list[Doc], ok: Doc, errors: dict[str, Doc]) -> Doc:
    conditional = [_ref("parameters/If-None-Match"), _ref("parameters/If-Modified-Since")]
    return {
        "summary": summary,
        "tags": [tag],
        "parameters": parameters + conditional,
        "responses": {"200": ok, "304": _ref("responses/NotModified"), **errors},
    }


def _preflight(summary: str) -> Doc:
    return {"summary": summary, "tags": ["serve"], "responses": {"204": _ref("responses/Preflight")}}


def _path_parameter(name: str, schema: Doc, example: Any, description: str) -> Doc:
    return {"name": name, "in": "path", "required": True, "description": description,
            "schema": schema, "example": example}


def _query_parameter(name: str, schema: Doc, description: str) -> Doc:
    """An optional query parameter whose empty value counts as absent (``allowEmptyValue``)."""
    return {"name": name, "in": "query", "required": False, "allowEmptyValue": True,
            "description": description, "schema": schema}


def _list_parameters() -> list[Doc]:
    empty_is_absent = " An empty value counts as absent; a repeated one is a 400."
    return [
        _query_parameter(
            "provider", {"enum": list(provider_ids())}, "Only this provider's models." + empty_is_absent
        ),
        _query_parameter(
            "page_size",
            {"type": "integer", "minimum": 1, "maximum": MAX_REQUEST_PAGE_SIZE},
            "Models per page. Without it and without `page_token`: every model in one answer; "
            "with only `page_token`: the build's page size." + empty_is_absent,
        ),
        _query_parameter(
            "page_token",
            {"type": "string", "maxLength": MAX_TOKEN_LENGTH, "pattern": TOKEN_PATTERN},
            "The `next_page_token` of the previous page, as it is: base64 of the compact JSON "
            "`{\"page\":k}` (k without leading zeros; the `=` padding may be left out), e.g. "
            "`eyJwYWdlIjoxfQ==` for page 1. Any other value is a 400; a token past the last page "
            "gives an empty last page." + empty_is_absent,
        ),
    ]


def serve_paths(example_id: str) -> dict[str, Doc]:
    model = _path_parameter(
        "model",
        {"type": "string", "pattern": f"^({'|'.join(provider_ids())})/.+"},
        example_id,
        "The model id `<provider>/<upstream id>`; its `/` may be sent as `%2F` (as the OpenAI SDK does).",
    )
    return {
        "/v1/models": {
            "get": _get(
                "List models, filtered and paged (serve)",
                "serve",
                _list_parameters(),
                _ok("A page of models (or all of them)", _schema_file("list-response")),
                {"400": _ref("responses/BadRequest")},
            ),
            "options": _preflight("CORS preflight (answered alike on every path)"),
        },
        "/v1/models/{model}": {
            "parameters": [model],
            "get": _get(
                "One model by id, also a removed one (serve)",
                "serve",
                [],
                _ok("The model record", _schema_file("model")),
                {"404": _ref("responses/NotFound")},
            ),
        },
    }


def _static(path: str, summary: str, parameters: list[Doc], ok: Doc) -> tuple[str, Doc]:
    errors = {"404": _ref("responses/NotFound")} if parameters else {}
    return "/" + path, {"get": _get(summary, "static", parameters, ok, errors)}


def static_paths(example: Record | None) -> Iterator[tuple[str, Doc]]:
    provider_name = example["modelatlas"]["provider"] if example else provider_ids()[0]
    upstream_id = example["modelatlas"]["upstream_id"] if example else "model"
    provider = _path_parameter("provider", {"enum": list(provider_ids())}, provider_name, "A provider id.")
    page = _path_parameter("page", {"type": "integer", "minimum": 0}, 0, "The page number, from 0.")
    filename = _path_parameter(
        "filename",
        {"type": "string", "pattern": "^[a-z0-9._~-]+$"},
        model_filename(upstream_id),
        "The model's file name (see `modelatlas.links.details` in its record).",
    )
    schema_name = _path_parameter("name", {"type": "string"}, "model", "A schema name.")
    lists = _schema_file("list-response")
    templates = URL_TEMPLATES
    yield _static(templates["models"], "Every listed model", [], _ok("All models", lists))
    yield _static(templates["models_page"], "One page of all models", [page], _ok("A page", lists))
    yield _static(templates["provider_models"], "One provider's models", [provider], _ok("Models", lists))
    yield _static(
        templates["provider_models_page"], "One page of one provider's models", [provider, page],
        _ok("A page", lists),
    )
    yield _static(
        templates["model"], "One model's file", [provider, filename],
        _ok("The model", _schema_file("model-file")),
    )
    yield _static(templates["providers"], "Every provider", [], _ok("Providers", _schema_file("providers")))
    yield _static(templates["index"], "What this build holds", [], _ok("The index", _schema_file("index")))
    schema = _ok("The schema", {"type": "object"}, "application/schema+json")
    yield _static(templates["schema"], "A JSON Schema", [schema_name], schema)
    changes = _ref("schemas/ChangeList")
    yield _static("v1/changes.json", "Every change, newest first", [], _ok("Changes", changes))
    yield _static("v1/changes/page/{page}.json", "One page of changes", [page], _ok("A page", changes))
    feed = {"type": "string"}
    yield _static("changes.xml", "Atom feed of changes", [], _ok("The feed", feed, ATOM))
    yield _static("changes/{provider}.xml", "A provider's Atom feed", [provider], _ok("The feed", feed, ATOM))
    quality = _ok("Completeness, disagreements and rejections", _schema_file("quality"))
    yield _static(templates["quality"], "Data quality per provider", [], quality)
    yield _static("openapi.json", "This document", [], _ok("OpenAPI 3.1", {"type": "object"}))


def canonical_paths(example_stem: str) -> Iterator[tuple[str, Doc]]:
    """The files that group offerings of one model across providers (render/canonical_api.py)."""
    page = _path_parameter("page", {"type": "integer", "minimum": 0}, 0, "The page number, from 0.")
    example_vendor, _, example_model = example_stem.partition("/")
    index = _ok("Canonical models", _schema_file("canonical-index"))
    yield _static(canonical_api.INDEX_PATH, "Every canonical model", [], index)
    yield _static("v1/canonical/page/{page}.json", "One page of canonical models", [page], index)
    vendor = _path_parameter("vendor", {"type": "string"}, example_vendor, "The vendor part of the slug.")
    model = _path_parameter("model", {"type": "string"}, example_model, "The model part of the slug.")
    offerings = _ok("Every offering of one model", _schema_file("canonical-model"))
    yield _static(
        "v1/canonical/{vendor}/{model}.json", "One model at every provider", [vendor, model], offerings
    )
    unlinked = _ok("Records linked to no model, with the reason", _schema_file("canonical-unlinked"))
    yield _static(canonical_api.UNLINKED_PATH, "Records no canonical model was found for", [], unlinked)


def _header(description: str) -> Doc:
    return {"description": description, "required": True, "schema": {"type": "string", "minLength": 1}}


def components() -> Doc:
    error = {
        "type": "object",
        "required": ["error"],
        "properties": {
            "error": {
                "type": "object",
                "required": ["message", "type", "param"],
                "properties": {
                    "message": {"type": "string", "minLength": 1},
                    "type": {"type": "string"},
                    "param": {"type": ["string", "null"]},
                },
            }
        },
    }
    error_content = {JSON: {"schema": _ref("schemas/Error")}}
    cors = {name: {"description": f"`{value}`", "required": True, "schema": {"const": value}}
            for name, value in CORS}
    return {
        "schemas": {
            "Error": error,
            "ChangeList": {
                "type": "object",
                "required": ["data", "schema_version"],
                "properties": {
                    "data": {"type": "array", "items": _schema_file("change")},
                    "since": {"description": "The day the change log starts (its baseline): an empty "
                              "list means nothing changed since then",
                              "type": "string", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"},
                    "schema_version": {"const": SCHEMA_VERSION},
                },
            },
        },
        "parameters": {
            "If-None-Match": {"name": "If-None-Match", "in": "header", "required": False,
                              "description": "ETags you hold; a match gives 304.",
                              "schema": {"type": "string"}},
            "If-Modified-Since": {"name": "If-Modified-Since", "in": "header", "required": False,
                                  "description": "An HTTP date; unchanged since then gives 304 (ignored "
                                  "with If-None-Match).", "schema": {"type": "string"}},
        },
        "headers": {
            "ETag": _header("Strong validator: a hash of the bytes (the gzip variant has its own)."),
            "Last-Modified": _header("When the file (or the build, for serve's lists) was written."),
            "Cache-Control": {"description": "Caching policy.", "schema": {"type": "string"}},
            "Allow": {"description": "The methods allowed.", "required": True,
                      "schema": {"const": ALLOWED_METHODS}},
            **cors,
        },
        "responses": {
            "NotModified": {"description": "Unchanged since the validator sent",
                            "headers": {"ETag": _ref("headers/ETag")}},
            "BadRequest": {"description": "A bad parameter, named in `error.param`: an unknown "
                           "`provider`, a `page_size` that is not an integer from 1 to "
                           f"{MAX_REQUEST_PAGE_SIZE}, a `page_token` not of the documented format, a "
                           "parameter given twice, or a parameter this endpoint does not take",
                           "content": error_content},
            "NotFound": {"description": "No such model or file", "content": error_content},
            "MethodNotAllowed": {"description": "Any method but GET, HEAD and OPTIONS",
                                 "headers": {"Allow": _ref("headers/Allow")}, "content": error_content},
            "Preflight": {"description": "CORS preflight answer (the headers of `_headers`)",
                          "headers": {"Allow": _ref("headers/Allow"),
                                      **{name: _ref(f"headers/{name}") for name, _ in CORS}}},
        },
    }


def document(catalog: Catalog) -> Doc:
    listed = [model for model in catalog.models if is_listed(model)]
    example = listed[0] if listed else None
    paths = serve_paths(example["id"] if example else f"{provider_ids()[0]}/model")
    paths.update(static_paths(example))
    every = catalog.groups
    stem = canonical_view.slug_stem(every[0].slug) if every else "vendor/model"
    paths.update(canonical_paths(stem))
    return {
        "openapi": "3.1.0",
        "jsonSchemaDialect": "https://json-schema.org/draft/2020-12/schema",
        "info": {"title": "modelatlas", "version": SCHEMA_VERSION, "description": DESCRIPTION,
                 "license": {"name": "MIT", "identifier": "MIT"}},
        "servers": [{"url": ".", "description": "The folder this document is in (the build root)"}],
        "tags": [{"name": "serve", "description": "Answered by `modelatlas serve` only"},
                 {"name": "static", "description": "Files of the build, served by any host"}],
        "paths": paths,
        "components": components(),
    }


def render(catalog: Catalog, only_deferred: bool = False) -> Iterator[tuple[str, bytes]]:
    """The OpenAPI document (no :class:`~modelatlas.render.lazy.Deferred` file: nothing with
    ``only_deferred``)."""
    if only_deferred:
        return
    yield "openapi.json", compact_bytes(document(catalog)) + b"\n"
