"""``modelatlas serve``: the gateway's ``GET /v1/models`` query semantics over a built folder.

* ``GET /v1/models?provider=&page_size=&page_token=`` — answered from ``v1/models.json``, read once
  at start (each record serialized once, pages joined from those bytes). No ``page_size`` and no
  token → every model; ``page_size`` 1..1000 → that page (token → which page); a token without
  ``page_size`` → the build's page size, so the tokens of the static pages work here too. An unknown
  provider, a bad ``page_size`` or a bad token → HTTP 400 with an OpenAI-style JSON error.
* ``GET /v1/models/<provider>/<upstream id>`` → that model's record (also a removed one).
* Everything else → the built folder's files (``index.html`` for folders), never outside it.
"""

from __future__ import annotations

import mimetypes
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote, unquote, urlencode, urlsplit

from modelatlas.errors import InputError
from modelatlas.filenames import model_filename
from modelatlas.ids import provider_ids
from modelatlas.jsonio import dumps_compact, loads
from modelatlas.pagination import (
    MAX_REQUEST_PAGE_SIZE,
    decode_page_token,
    encode_page_token,
    has_next,
    page_bounds,
)
from modelatlas.render.json_api import extra_fields, list_document
from modelatlas.schema import SCHEMA_VERSION

DEFAULT_PAGE_SIZE = 100
CONTENT_TYPES = {
    ".json": "application/json",
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".svg": "image/svg+xml",
    ".xml": "application/atom+xml",
    ".txt": "text/plain; charset=utf-8",
    ".png": "image/png",
    ".ico": "image/x-icon",
    ".webmanifest": "application/manifest+json",
}


class RequestError(Exception):
    """A client error answered as HTTP 4xx with the gateway-style JSON error body."""

    def __init__(self, status: HTTPStatus, message: str, param: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.param = param


def error_body(message: str, param: str | None, error_type: str = "invalid_request_error") -> bytes:
    return dumps_compact({"error": {"message": message, "type": error_type, "param": param}}).encode("utf-8")


@dataclass
class ModelIndex:
    """The listed models of a build, each serialized once, grouped per provider."""

    root: Path
    page_size: int
    records: list[bytes]
    by_provider: dict[str, list[bytes]]

    @classmethod
    def load(cls, build_dir: Path) -> ModelIndex:
        root = build_dir.resolve()
        models_file = root / "v1" / "models.json"
        if not models_file.is_file():
            raise InputError(f"no built catalog at {models_file}; run 'modelatlas build' first or pass --dir")
        try:
            models = loads(models_file.read_bytes())["data"]
            index_file = root / "v1" / "index.json"
            index = loads(index_file.read_bytes()) if index_file.is_file() else {}
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise InputError(f"{models_file} is not a modelatlas build ({exc}); rebuild it") from exc
        records: list[bytes] = []
        by_provider: dict[str, list[bytes]] = {provider: [] for provider in provider_ids()}
        for model in models:
            body = dumps_compact(model).encode("utf-8")
            records.append(body)
            by_provider.setdefault(model["modelatlas"]["provider"], []).append(body)
        page_size = index.get("page_size") if isinstance(index, dict) else None
        if not isinstance(page_size, int) or page_size < 1:
            page_size = DEFAULT_PAGE_SIZE
        return cls(root, page_size, records, by_provider)

    def list_models(self, query: dict[str, list[str]]) -> bytes:
        """The body of ``GET /v1/models`` for ``query``; RequestError for a bad parameter."""
        provider = _single(query, "provider")
        size_text = _single(query, "page_size")
        token = _single(query, "page_token")
        if provider is not None and provider not in provider_ids():
            message = f"unknown provider {provider!r}; expected one of: {', '.join(provider_ids())}"
            raise RequestError(HTTPStatus.BAD_REQUEST, message, "provider")
        page_size = _page_size(size_text) if size_text is not None else None
        page = 0
        if token is not None:
            try:
                page = decode_page_token(token)
            except ValueError as exc:
                raise RequestError(HTTPStatus.BAD_REQUEST, str(exc), "page_token") from exc
        records = self.records if provider is None else self.by_provider[provider]
        rest: dict[str, Any] = {"extra_fields": extra_fields(provider), "schema_version": SCHEMA_VERSION}
        if page_size is None and token is None:
            return b"".join(list_document(records, rest))
        size = page_size or self.page_size
        try:
            start, stop = page_bounds(page, len(records), size)
        except ValueError as exc:
            raise RequestError(HTTPStatus.BAD_REQUEST, f"page_token: {exc}", "page_token") from exc
        if has_next(page, len(records), size):
            rest["next_page_token"] = encode_page_token(page + 1)
            params = {"page_size": str(size), "page_token": rest["next_page_token"]}
            if provider:
                params["provider"] = provider
            rest["links"] = {"next": "/v1/models?" + urlencode(sorted(params.items()))}
        else:
            rest["links"] = {"next": None}
        return b"".join(list_document(records[start:stop], rest))

    def model_file(self, provider: str, upstream_id: str) -> Path | None:
        """The per-model file of ``provider``/``upstream_id`` if the build has it."""
        path = self.root / "v1" / "model" / provider / f"{model_filename(upstream_id)}.json"
        return path if path.is_file() else None


def _single(query: dict[str, list[str]], name: str) -> str | None:
    values = [value for value in query.get(name, []) if value != ""]
    if len(values) > 1:
        raise RequestError(HTTPStatus.BAD_REQUEST, f"{name} given more than once", name)
    return values[0] if values else None


def _page_size(text: str) -> int:
    if not text.isascii() or not text.isdigit() or not 1 <= int(text) <= MAX_REQUEST_PAGE_SIZE:
        message = f"page_size must be an integer from 1 to {MAX_REQUEST_PAGE_SIZE}, got {text[:40]!r}"
        raise RequestError(HTTPStatus.BAD_REQUEST, message, "page_size")
    return int(text)


def content_type(path: Path) -> str:
    known = CONTENT_TYPES.get(path.suffix.lower())
    return known or mimetypes.guess_type(path.name)[0] or "application/octet-stream"


def static_path(root: Path, url_path: str) -> Path | None:
    """The file for ``url_path`` inside ``root`` (``index.html`` for folders); None if none or outside."""
    parts = [part for part in unquote(url_path).split("/") if part]
    if any(part in (".", "..") or "\\" in part or "\x00" in part for part in parts):
        return None
    candidate = root.joinpath(*parts).resolve()
    if not candidate.is_relative_to(root):
        return None
    if candidate.is_dir():
        candidate = candidate / "index.html"
    return candidate if candidate.is_file() else None


class CatalogHandler(BaseHTTPRequestHandler):
    server: CatalogServer
    server_version = "modelatlas"

    def do_GET(self) -> None:
        self._answer(send_body=True)

    def do_HEAD(self) -> None:
        self._answer(send_body=False)

    def _answer(self, send_body: bool) -> None:
        try:
            status, headers, body = self._route()
        except RequestError as exc:
            bad_request = exc.status == HTTPStatus.BAD_REQUEST
            error_type = "invalid_request_error" if bad_request else "not_found_error"
            status, headers, body = exc.status, {}, error_body(exc.message, exc.param, error_type)
            headers["Content-Type"] = "application/json"
        except Exception as exc:  # answer, never leak a traceback to the client
            self.log_error("internal error on %s: %r", self.path, exc)
            status, headers = HTTPStatus.INTERNAL_SERVER_ERROR, {"Content-Type": "application/json"}
            body = error_body("internal server error", None, "server_error")
        self.send_response(status)
        headers.setdefault("Access-Control-Allow-Origin", "*")
        headers["Content-Length"] = str(len(body))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        if send_body:
            self.wfile.write(body)

    def _route(self) -> tuple[HTTPStatus, dict[str, str], bytes]:
        url = urlsplit(self.path)
        index = self.server.index
        if url.path.rstrip("/") == "/v1/models":
            body = index.list_models(parse_qs(url.query, keep_blank_values=True))
            return HTTPStatus.OK, {"Content-Type": "application/json"}, body
        path = static_path(index.root, url.path)
        if path is not None:
            folder_without_slash = not url.path.endswith(("/", "index.html"))
            if path.name == "index.html" and folder_without_slash:
                return HTTPStatus.MOVED_PERMANENTLY, {"Location": quote(url.path) + "/"}, b""
            return HTTPStatus.OK, {"Content-Type": content_type(path)}, path.read_bytes()
        provider, _, upstream = url.path.removeprefix("/v1/models/").partition("/")
        if url.path.startswith("/v1/models/") and provider in provider_ids() and upstream:
            model = index.model_file(provider, unquote(upstream))
            if model is not None:
                return HTTPStatus.OK, {"Content-Type": "application/json"}, _record_of(model)
            message = f"no model {provider}/{unquote(upstream)} in this build"
            raise RequestError(HTTPStatus.NOT_FOUND, message, "model")
        raise RequestError(HTTPStatus.NOT_FOUND, f"not found: {url.path}", None)

    def log_message(self, format: str, *args: Any) -> None:
        if not self.server.quiet:
            super().log_message(format, *args)


def _record_of(model_file: Path) -> bytes:
    return dumps_compact(loads(model_file.read_bytes())["data"]).encode("utf-8")


class CatalogServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], index: ModelIndex, quiet: bool = False) -> None:
        self.index = index
        self.quiet = quiet
        super().__init__(address, CatalogHandler)


def make_server(
    build_dir: Path, host: str = "127.0.0.1", port: int = 8080, quiet: bool = False
) -> CatalogServer:
    """A ready server over ``build_dir`` (not yet serving); InputError if it is not a build."""
    index = ModelIndex.load(build_dir)
    try:
        return CatalogServer((host, port), index, quiet)
    except OSError as exc:
        raise InputError(f"cannot listen on {host}:{port}: {exc.strerror}; pass another --port") from exc

