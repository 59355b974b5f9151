"""The one HTTP client every provider fetch goes through.

Connect and read timeouts, bounded retries with exponential backoff on 429/5xx and connection
errors (honouring ``Retry-After``, capped), a wall-clock deadline per provider (all pages and
retries included, and enforced on every byte of every request: :mod:`modelatlas.fetch.deadline`
cuts a connection that drips headers or a body past it), a cap on response size (the body is
streamed and dropped past the cap), no redirects
(credentials never follow a redirect to another host), and errors turned into one line: the HTTP
status plus the provider's own error message, with every secret scrubbed.
"""

from __future__ import annotations

import email.utils
import re
import time
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit

from modelatlas.config import HttpSettings, Scrubber
from modelatlas.jsonio import loads

if TYPE_CHECKING:
    import requests

    from modelatlas.fetch.deadline import Watch

RETRY_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504, 529})
_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")
_TAG = re.compile(r"<[^>]{0,200}>")
MAX_REASON = 240
USER_AGENT = "modelatlas (+https://github.com/modelatlas/modelatlas)"


class FetchError(Exception):
    """A provider's fetch failed; ``reason`` is one scrubbed line for the operator; ``status`` the
    HTTP status of a refused request (None for other failures)."""

    def __init__(self, reason: str, status: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.status = status


def one_line(text: str, limit: int = MAX_REASON) -> str:
    text = " ".join(_CONTROL.sub(" ", text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _stringish(value: Any) -> str | None:
    if isinstance(value, str) and value.strip():
        return value.strip()
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return None


def provider_error_message(body: Any) -> str | None:
    """The provider's own message from any of the error envelopes the list APIs use: an ``error``
    object (``message`` with ``type``/``status``/``code``) or string, FastAPI's ``detail`` (a
    validation list, a string or an object), or a top-level ``message``/``Message``."""
    if isinstance(body, list) and body and isinstance(body[0], dict):
        return provider_error_message(body[0])
    if not isinstance(body, dict):
        return None
    error = body.get("error")
    if isinstance(error, dict):  # OpenAI-style, Google RPC status, Microsoft
        message = _stringish(error.get("message"))
        kind = _stringish(error.get("type")) or _stringish(error.get("status"))
        code = _stringish(error.get("code"))
        label = kind or code
        if message and label and label not in message:
            return f"{message} ({label})"
        return message or label
    if isinstance(error, str) and error.strip():
        return error.strip()
    detail = body.get("detail")  # FastAPI (a 422's validation list)
    if isinstance(detail, list):
        parts = []
        for item in detail[:3]:
            if isinstance(item, dict) and _stringish(item.get("msg")):
                loc = item.get("loc")
                where = ".".join(str(p) for p in loc) if isinstance(loc, list) else ""
                parts.append(f"{where}: {item['msg']}" if where else str(item["msg"]))
        return "; ".join(parts) or None
    if isinstance(detail, str | dict):
        return _stringish(detail) or _stringish(detail.get("message") if isinstance(detail, dict) else None)
    return _stringish(body.get("message")) or _stringish(body.get("Message"))  # AWS: ``Message``


def _retry_after_seconds(value: str | None) -> float | None:
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


class HttpClient:
    """One provider's HTTP session: every request of that provider's fetch shares its deadline."""

    def __init__(
        self,
        settings: HttpSettings,
        scrubber: Scrubber,
        *,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.settings = settings
        self.scrubber = scrubber
        self._sleep = sleep
        self._clock = clock
        # requests (and the adapter built on it) load with the first client: every provider module
        # imports this one, and commands that never fetch (build, validate) need not pay for them.
        import requests

        from modelatlas.fetch.deadline import DeadlineAdapter

        self._deadline_at = clock() + settings.deadline
        self._session = requests.Session()
        self._session.trust_env = True
        adapter = DeadlineAdapter()
        self._session.mount("http://", adapter)
        self._session.mount("https://", adapter)
        self._watch: Watch | None = None
        self.requests_made = 0

    def close(self) -> None:
        self._session.close()

    def __enter__(self) -> HttpClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _fail(self, text: str, status: int | None = None) -> FetchError:
        return FetchError(one_line(self.scrubber.text(text)), status)

    def _remaining(self) -> float:
        return self._deadline_at - self._clock()

    def _deadline_passed(self, doing: str) -> FetchError:
        return self._fail(f"deadline of {self.settings.deadline:g}s exceeded {doing}")

    def get_json(
        self,
        url: str,
        *,
        headers: Mapping[str, str] | None = None,
        params: Mapping[str, str | int] | None = None,
    ) -> Any:
        return self.request_json("GET", url, headers=headers, params=params)

    def request_json(
        self,
        method: str,
        url: str,
        *,
        headers: Mapping[str, str] | None = None,
        params: Mapping[str, str | int] | None = None,
    ) -> Any:
        """The parsed JSON body (floats as Decimal) of a 2xx answer; FetchError otherwise."""
        import requests

        from modelatlas.fetch.deadline import deadline

        all_headers = {"User-Agent": USER_AGENT, "Accept": "application/json", **(headers or {})}
        attempt = 0
        while True:
            remaining = self._remaining()
            if remaining <= 0:
                raise self._fail(f"deadline of {self.settings.deadline:g}s exceeded before {method} {url}")
            retry_after: float | None = None
            with deadline(remaining) as self._watch:
                try:
                    self.requests_made += 1
                    response = self._session.request(
                        method,
                        url,
                        headers=all_headers,
                        params=params,
                        stream=True,
                        allow_redirects=False,
                        timeout=(
                            min(self.settings.connect_timeout, remaining),
                            min(self.settings.read_timeout, remaining),
                        ),
                    )
                except requests.RequestException as exc:
                    if self._watch.expired:
                        raise self._deadline_passed(f"waiting for the answer to {method} {url}") from None
                    if isinstance(exc, requests.Timeout):
                        waited = min(self.settings.read_timeout, remaining)
                        reason = f"timed out after {waited:g}s: {method} {url}"
                    else:
                        reason = f"connection failed ({type(exc).__name__}): {method} {url}"
                else:
                    with response:
                        if 200 <= response.status_code < 300:
                            return self._parse(response, url)
                        reason = self._error_reason(response, url)
                        if response.status_code not in RETRY_STATUSES:
                            raise self._fail(reason, response.status_code)
                        retry_after = _retry_after_seconds(response.headers.get("Retry-After"))
            if attempt >= self.settings.retries:
                raise self._fail(f"{reason} (gave up after {attempt + 1} attempts)")
            if retry_after is not None:
                delay = min(retry_after, self.settings.retry_after_cap)
            else:
                delay = min(self.settings.backoff * (2**attempt), self.settings.backoff_max)
            if delay >= self._remaining():
                raise self._fail(f"{reason} (no retry: the {self.settings.deadline:g}s deadline would pass)")
            self._sleep(delay)
            attempt += 1

    def _read_body(self, response: requests.Response, url: str) -> bytes:
        import requests

        cap = self.settings.max_response_bytes
        declared = response.headers.get("Content-Length")
        if declared and declared.isdigit() and int(declared) > cap:
            raise self._fail(f"response of {int(declared)} bytes exceeds the {cap} byte cap: {url}")
        chunks: list[bytes] = []
        size = 0
        try:
            for chunk in response.iter_content(chunk_size=65536):
                size += len(chunk)
                if size > cap:
                    raise self._fail(f"response exceeds the {cap} byte cap (stopped reading): {url}")
                if self._remaining() <= 0:
                    raise self._deadline_passed(f"while reading {url}")
                chunks.append(chunk)
        except requests.RequestException as exc:
            if self._watch is not None and self._watch.expired:
                raise self._deadline_passed(f"while reading {url}") from None
            raise self._fail(f"connection broke while reading ({type(exc).__name__}): {url}") from None
        if self._watch is not None and self._watch.expired:  # cut mid-head: what was read is not the answer
            raise self._deadline_passed(f"while reading {url}")
        return b"".join(chunks)

    def _parse(self, response: requests.Response, url: str) -> Any:
        body = self._read_body(response, url)
        try:
            return loads(body)
        except ValueError as exc:
            detail = exc.msg if hasattr(exc, "msg") else type(exc).__name__
            raise self._fail(
                f"HTTP {response.status_code} but the body is not valid JSON ({detail}): {url}"
            ) from None

    def _error_reason(self, response: requests.Response, url: str) -> str:
        status = f"HTTP {response.status_code}"
        if response.reason:
            status += f" {response.reason}"
        if 300 <= response.status_code < 400:
            target = urlsplit(response.headers.get("Location", "")).netloc or "elsewhere"
            return f"{status}: unexpected redirect to {target} (not followed): {url}"
        try:
            body = self._read_body(response, url)
        except FetchError:
            body = b""
        message: str | None
        try:
            message = provider_error_message(loads(body)) if body else None
        except ValueError:
            text = one_line(_TAG.sub(" ", body[:2000].decode("utf-8", "replace")), 120)
            message = f"non-JSON body: {text}" if text else None
        amz = response.headers.get("x-amzn-ErrorType")
        if amz:
            message = f"{amz.split(':')[0]}: {message}" if message else amz.split(":")[0]
        return f"{status}: {message}: {url}" if message else f"{status}: {url}"


def same_origin_url(base: str, candidate: str) -> str:
    """Resolve a next-page link against ``base``; refuse one pointing at another host (key safety)."""
    resolved = urljoin(base, candidate)
    a, b = urlsplit(base), urlsplit(resolved)
    if (a.scheme, a.netloc) != (b.scheme, b.netloc):
        raise FetchError(f"next-page link points at another host ({b.netloc or 'none'}); not followed")
    return resolved
