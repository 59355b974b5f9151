"""The HTTP side of ``modelatlas serve``: routing, methods, CORS, conditional GET, gzip, JSON errors.

HTTP/1.1 with keep-alive; the sockets, timeouts and connection limits are
:mod:`modelatlas.serve.event_server`' (each request reaches :class:`CatalogHandler` whole, in memory).
GET and HEAD are answered; OPTIONS is a CORS preflight (204 with the
headers of :mod:`modelatlas.render.response_headers`); POST, PUT, DELETE and PATCH get a JSON 405
with ``Allow``; every error body is JSON, including the ones the standard library raises itself.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Hashable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any
from urllib.parse import SplitResult, parse_qs, quote, unquote, urlsplit

from modelatlas.ids import provider_ids
from modelatlas.jsonio import compact_bytes
from modelatlas.render.response_headers import ALLOWED_METHODS, headers_for
from modelatlas.serve.connection import DEFAULT_LIMITS, Limits
from modelatlas.serve.event_server import EventServer, InMemoryRequest
from modelatlas.serve.live_build import LiveBuild
from modelatlas.serve.model_index import RequestError, parse_list_query, record_body
from modelatlas.serve.representation import (
    Representation,
    RepresentationCache,
    accepts_gzip,
    is_not_modified,
)

JSON = "application/json"
MAX_DISCARDED_BODY = 1024 * 1024
CONTENT_TYPES = {
    ".json": JSON,
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
_ERROR_TYPES = {
    HTTPStatus.BAD_REQUEST: "invalid_request_error",
    HTTPStatus.NOT_FOUND: "not_found_error",
    HTTPStatus.METHOD_NOT_ALLOWED: "method_not_allowed",
}


def error_body(status: HTTPStatus, message: str, param: str | None = None) -> bytes:
    error_type = _ERROR_TYPES.get(status, "server_error" if status >= 500 else "invalid_request_error")
    return compact_bytes({"error": {"message": message, "type": error_type, "param": param}})


def content_type(path: Path) -> str:
    known = CONTENT_TYPES.get(path.suffix.lower())
    return known or mimetypes.guess_type(path.name)[0] or "application/octet-stream"


def static_path(root: Path, url_path: str) -> Path | None:
    """The file for ``url_path`` inside ``root`` (``index.html`` for folders); None if none or outside."""
    # Split before decoding: an encoded "/" (%2F) is part of a name, never a folder separator.
    parts = [unquote(part) for part in url_path.split("/") if part]
    if any(part in (".", "..") or any(c in part for c in "/\\\x00") for part in parts):
        return None
    try:
        candidate = root.joinpath(*parts).resolve()
        if not candidate.is_relative_to(root):
            return None
        if candidate.is_dir():
            candidate = candidate / "index.html"
        elif url_path.endswith("/"):  # "index.html/" is no file on a static host (its links would break)
            return None
        return candidate if candidate.is_file() else None
    except (OSError, ValueError):  # a name too long for the file system, say: no such file
        return None


def _file_key(kind: str, path: Path) -> Hashable:
    stat = path.stat()
    return (kind, str(path), stat.st_mtime_ns, stat.st_size, stat.st_ino)


class CatalogServer(EventServer):
    def __init__(
        self, address: tuple[str, int], build: LiveBuild, quiet: bool = False, limits: Limits = DEFAULT_LIMITS
    ) -> None:
        self.build = build
        self.cache = RepresentationCache()
        super().__init__(address, limits, quiet)

    def answer(self, request: bytes, address: Any) -> tuple[bytes, bool]:
        handler = CatalogHandler(request, address, self)
        return handler.wfile.getvalue(), not handler.close_connection

    def refusal(self, status: HTTPStatus, message: str) -> bytes:
        body = error_body(status, message)
        head = (
            f"HTTP/1.1 {status.value} {status.phrase}\r\nContent-Type: {JSON}\r\nCache-Control: no-store\r\n"
            f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
        )
        return head.encode("ascii") + body


class CatalogHandler(InMemoryRequest, BaseHTTPRequestHandler):
    server: CatalogServer  # type: ignore[assignment]
    server_version = "modelatlas"
    protocol_version = "HTTP/1.1"

    def version_string(self) -> str:
        return self.server_version

    def do_GET(self) -> None:
        self._answer(send_body=True)

    def do_HEAD(self) -> None:
        self._answer(send_body=False)

    def do_OPTIONS(self) -> None:
        headers = headers_for(urlsplit(self.path).path)
        headers.pop("Content-Type", None)
        headers["Allow"] = ALLOWED_METHODS
        self._send(HTTPStatus.NO_CONTENT, headers, b"", send_body=False)

    def _method_not_allowed(self) -> None:
        self._discard_request_body()
        message = f"method {self.command} is not allowed; this server is read-only ({ALLOWED_METHODS})"
        self._send_error(HTTPStatus.METHOD_NOT_ALLOWED, message, {"Allow": ALLOWED_METHODS})

    do_POST = do_PUT = do_DELETE = do_PATCH = do_TRACE = do_CONNECT = do_QUERY = _method_not_allowed

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """The standard library's own errors (bad request line, unknown method, ...) as JSON too."""
        status = HTTPStatus(code)
        self.close_connection = True
        self._send_error(status, message or status.phrase, {})

    def _discard_request_body(self) -> None:
        length = self.headers.get("Content-Length", "0")
        if self.headers.get("Transfer-Encoding") or not length.isdigit() or int(length) > MAX_DISCARDED_BODY:
            self.close_connection = True
        elif int(length):
            self.rfile.read(int(length))

    def _answer(self, send_body: bool) -> None:
        url = urlsplit(self.path)
        try:
            self._answer_url(url, send_body)
        except RequestError as exc:
            self._send_error(exc.status, exc.message, {}, exc.param)
        except FileNotFoundError:  # removed by a rebuild between finding and reading it
            self._send_error(HTTPStatus.NOT_FOUND, f"not found: {url.path}", {})
        except Exception as exc:  # answer, never leak a traceback to the client
            self.log_error("internal error on %s: %r", self.path, exc)
            self._send_error(HTTPStatus.INTERNAL_SERVER_ERROR, "internal server error", {})

    def _answer_url(self, url: SplitResult, send_body: bool) -> None:
        cache = self.server.cache
        if url.path.rstrip("/") == "/v1/models":
            index = self.server.build.index()
            query = parse_list_query(parse_qs(url.query, keep_blank_values=True))
            key = ("list", index.signature, query, url.path)  # links are relative to the path
            representation = cache.get(
                key, lambda: Representation(index.list_body(query, url.path), JSON, index.modified)
            )
            return self._send_representation(url.path, representation, send_body)
        path = static_path(self.server.build.root, url.path)
        if path is not None:
            if path.name == "index.html" and not url.path.endswith(("/", "index.html")):
                headers = {"Location": quote(url.path) + "/"}
                return self._send(HTTPStatus.MOVED_PERMANENTLY, headers, b"", send_body)
            representation = cache.get(_file_key("file", path), lambda: _file_representation(path))
            return self._send_representation(url.path, representation, send_body)
        if url.path.startswith("/v1/models/"):
            # The OpenAI SDK sends "openai/gpt-4o" as "openai%2Fgpt-4o": decode before splitting.
            model_id = unquote(url.path.removeprefix("/v1/models/"))
            provider, _, upstream = model_id.partition("/")
            index = self.server.build.index()
            model = index.model_file(provider, upstream) if provider in provider_ids() and upstream else None
            if model is None:
                raise RequestError(HTTPStatus.NOT_FOUND, f"no model {model_id} in this build", "model")
            root = self.server.build.root
            key = (_file_key("model", model), url.path.rsplit("/", 1)[0])  # links relative to the folder
            representation = cache.get(key, lambda: _record_representation(model, root, url.path))
            return self._send_representation(url.path, representation, send_body)
        raise RequestError(HTTPStatus.NOT_FOUND, f"not found: {url.path}", None)

    def _send_representation(self, url_path: str, representation: Representation, send_body: bool) -> None:
        headers = {"Content-Type": representation.content_type, "Cache-Control": "no-cache"}
        headers.update(headers_for(url_path))
        compress = representation.compressible and accepts_gzip(self.headers.get("Accept-Encoding"))
        if representation.compressible:
            headers["Vary"] = "Accept-Encoding"
        headers["ETag"] = representation.etag(compress)
        headers["Last-Modified"] = representation.last_modified
        if is_not_modified(self.headers, representation):
            headers.pop("Content-Type")
            return self._send(HTTPStatus.NOT_MODIFIED, headers, b"", send_body=False)
        if compress:
            headers["Content-Encoding"] = "gzip"
        body = representation.gzipped() if compress else representation.body
        self._send(HTTPStatus.OK, headers, body, send_body)

    def _send_error(
        self, status: HTTPStatus, message: str, extra: dict[str, str], param: str | None = None
    ) -> None:
        # The standard library may fail a request before it has read its path or method.
        headers = headers_for(urlsplit(getattr(self, "path", None) or "/").path)
        headers.update(extra, **{"Content-Type": JSON, "Cache-Control": "no-store"})
        body = error_body(status, message, param)
        self._send(status, headers, body, send_body=getattr(self, "command", None) != "HEAD")

    def _send(self, status: HTTPStatus, headers: dict[str, str], body: bytes, send_body: bool) -> None:
        self.send_response(status)
        if status not in (HTTPStatus.NO_CONTENT, HTTPStatus.NOT_MODIFIED):
            headers["Content-Length"] = str(len(body))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        if send_body and body:
            self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        if not self.server.quiet:
            super().log_message(format, *args)


def _file_representation(path: Path) -> Representation:
    return Representation(path.read_bytes(), content_type(path), path.stat().st_mtime)


def _record_representation(model_file: Path, root: Path, url_path: str) -> Representation:
    """A per-model file's record alone (what ``GET /v1/models/{id}`` answers, as the OpenAI API does)."""
    return Representation(record_body(model_file, root, url_path), JSON, model_file.stat().st_mtime)
