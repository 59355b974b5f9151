"""The listed models of one build and the gateway's ``GET /v1/models`` query semantics over them.

No ``page_size`` and no token → every model; ``page_size`` 1..1000 → that page (token → which
page; a page past the last one is empty); a token without ``page_size`` → the build's page size,
so the tokens of the static pages work here too. An unknown provider, a bad ``page_size``, a
token this server does not issue, a parameter given twice or any other parameter →
:class:`RequestError` 400.

Links in an answer are relative to the URL it answers (RFC 3986), so they resolve from
``/v1/models``, ``/v1/models/`` and ``/v1/models/openai%2Fgpt-4o`` alike (and behind a proxy that
serves the API under a path prefix); a build made with a base URL keeps its absolute links.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from http import HTTPStatus
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from modelatlas.build_folder import MANIFEST_NAME, build_path_of, relative_url
from modelatlas.errors import InputError
from modelatlas.filenames import model_filename
from modelatlas.ids import provider_ids
from modelatlas.jsonio import compact_bytes, loads
from modelatlas.pagination import (
    MAX_REQUEST_PAGE_SIZE,
    decode_page_token,
    encode_page_token,
    has_next,
    page_bounds,
    page_count,
)
from modelatlas.render.json_api import extra_fields, list_document
from modelatlas.render.links import Linker
from modelatlas.schema import SCHEMA_VERSION

DEFAULT_PAGE_SIZE = 100
LIST_PARAMETERS = ("provider", "page_size", "page_token")
_RELATIVE = Linker()
# The files whose change means "a new build": the manifest is replaced last by `modelatlas build`.
SIGNATURE_FILES = (MANIFEST_NAME, "v1/models.json", "v1/index.json")

Signature = tuple[tuple[int, int, int] | None, ...]


class RequestError(Exception):
    """A client error answered as HTTP 4xx with an OpenAI-style JSON error body."""

    def __init__(self, status: HTTPStatus, message: str, param: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.param = param


@dataclass(frozen=True)
class ListQuery:
    """A checked ``GET /v1/models`` query: ``page_size`` None and ``page`` None mean "everything"."""

    provider: str | None
    page_size: int | None
    page: int | None


def build_signature(root: Path) -> Signature:
    """(mtime, size, inode) of the files a rebuild replaces; a different value means a new build."""
    signature = []
    for name in SIGNATURE_FILES:
        try:
            stat = os.stat(root / name)
        except OSError:
            signature.append(None)
        else:
            signature.append((stat.st_mtime_ns, stat.st_size, stat.st_ino))
    return tuple(signature)


@dataclass
class ModelIndex:
    """The listed models of a build, each serialized once, grouped per provider."""

    root: Path
    page_size: int
    records: list[bytes]
    by_provider: dict[str, list[bytes]]
    signature: Signature
    modified: float  # when v1/models.json was written (the list endpoint's Last-Modified)

    @classmethod
    def load(cls, build_dir: Path) -> ModelIndex:
        root = build_dir.resolve()
        signature = build_signature(root)
        models_file = root / "v1" / "models.json"
        if not models_file.is_file():
            raise InputError(f"no built catalog at {models_file}; run 'modelatlas build' first or pass --dir")
        try:
            modified = models_file.stat().st_mtime
            models = loads(models_file.read_bytes())["data"]
            index_file = root / "v1" / "index.json"
            index = loads(index_file.read_bytes()) if index_file.is_file() else {}
            records: list[bytes] = []
            by_provider: dict[str, list[bytes]] = {provider: [] for provider in provider_ids()}
            for model in models:
                body = compact_bytes(model)
                records.append(body)
                by_provider.setdefault(model["modelatlas"]["provider"], []).append(body)
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise InputError(f"{models_file} is not a modelatlas build ({exc}); rebuild it") from exc
        page_size = index.get("page_size") if isinstance(index, dict) else None
        if not isinstance(page_size, int) or page_size < 1:
            page_size = DEFAULT_PAGE_SIZE
        return cls(root, page_size, records, by_provider, signature, modified)

    def model_file(self, provider: str, upstream_id: str) -> Path | None:
        """The per-model file of ``provider``/``upstream_id`` if the build has it."""
        path = self.root / "v1" / "model" / provider / f"{model_filename(upstream_id)}.json"
        return path if path.is_file() else None

    def list_body(self, query: ListQuery, at: str = "/v1/models") -> bytes:
        """The body of ``GET /v1/models`` for a checked query, its links relative to the URL path
        ``at`` it answers (the records' details links were relative to ``v1/models.json``)."""
        provider = query.provider
        records = self.records if provider is None else self.by_provider[provider]
        rest: dict[str, Any] = {"extra_fields": extra_fields(provider), "schema_version": SCHEMA_VERSION}
        document = at.lstrip("/")
        if query.page_size is None and query.page is None:
            return _RELATIVE.record_in(b"".join(list_document(records, rest)), document)
        size = query.page_size or self.page_size
        page = query.page or 0
        total = len(records)
        start, stop = page_bounds(page, total, size) if page < page_count(total, size) else (total, total)
        if has_next(page, total, size):
            rest["next_page_token"] = encode_page_token(page + 1)
            params = {"page_size": str(size), "page_token": rest["next_page_token"]}
            if provider:
                params["provider"] = provider
            here = relative_url(document, "v1/models")  # "models" from /v1/models, "." from /v1/models/
            rest["links"] = {"next": f"{here}?{urlencode(sorted(params.items()))}"}
        else:
            rest["links"] = {"next": None}
        return _RELATIVE.record_in(b"".join(list_document(records[start:stop], rest)), document)


def record_body(model_file: Path, root: Path, at: str) -> bytes:
    """One model's record (what ``GET /v1/models/{id}`` answers, as the OpenAI API does) from its
    file, its ``details`` link rewritten to resolve from the URL path ``at`` it answers."""
    record = loads(model_file.read_bytes())["data"]
    links = record["modelatlas"]["links"]
    own = model_file.relative_to(root).as_posix()
    target = build_path_of(links["details"], own, None)
    if target is not None:  # relative in the file (a build with a base URL keeps absolute links)
        links["details"] = relative_url(at.lstrip("/"), target)
    return compact_bytes(record)


def parse_list_query(query: dict[str, list[str]]) -> ListQuery:
    """The checked query of ``GET /v1/models``; RequestError 400 naming the bad parameter."""
    for name in sorted(set(query) - set(LIST_PARAMETERS)):
        message = f"unknown parameter {name[:40]!r}; this endpoint takes {', '.join(LIST_PARAMETERS)}"
        raise RequestError(HTTPStatus.BAD_REQUEST, message, name[:40])
    provider = _single(query, "provider")
    size_text = _single(query, "page_size")
    token = _single(query, "page_token")
    if provider is not None and provider not in provider_ids():
        message = f"unknown provider {provider!r}; expected one of: {', '.join(provider_ids())}"
        raise RequestError(HTTPStatus.BAD_REQUEST, message, "provider")
    page_size = _page_size(size_text) if size_text is not None else None
    page = None
    if token is not None:
        try:
            page = decode_page_token(token)
        except ValueError as exc:
            raise RequestError(HTTPStatus.BAD_REQUEST, str(exc), "page_token") from exc
    return ListQuery(provider, page_size, page)


def _single(query: dict[str, list[str]], name: str) -> str | None:
    values = [value for value in query.get(name, []) if value != ""]
    if len(values) > 1:
        raise RequestError(HTTPStatus.BAD_REQUEST, f"{name} given more than once", name)
    return values[0] if values else None


def _page_size(text: str) -> int:
    # (the length first: int() refuses 4,300 digits or more, which would be a 500)
    digits = text.isascii() and text.isdigit() and len(text) <= 9
    if not digits or not 1 <= int(text) <= MAX_REQUEST_PAGE_SIZE:
        message = f"page_size must be an integer from 1 to {MAX_REQUEST_PAGE_SIZE}, got {text[:40]!r}"
        raise RequestError(HTTPStatus.BAD_REQUEST, message, "page_size")
    return int(text)
