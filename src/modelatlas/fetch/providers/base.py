"""Shared pieces of provider modules: the resolved settings of one fetch and pagination loops."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from modelatlas.config import Settings
from modelatlas.fetch.http import FetchError, HttpClient

MAX_PAGES = 1000


@dataclass(frozen=True)
class ProviderConfig:
    provider: str
    settings: Settings
    api_root: str  # the provider's API root: scheme, host, port and path prefix

    def get(self, name: str) -> str | None:
        return self.settings.get(name)

    def first(self, *names: str) -> str | None:
        return self.settings.first(*names)

    def url(self, path: str) -> str:
        return self.api_root + path


class CursorGuard:
    """Stops a pagination loop whose cursor repeats or that never ends."""

    def __init__(self, what: str) -> None:
        self.what = what
        self.seen: set[Any] = set()

    def check(self, cursor: Any) -> None:
        if cursor in self.seen:
            raise FetchError(f"{self.what} repeats ({str(cursor)[:40]!r}); stopped paging to avoid a loop")
        if len(self.seen) >= MAX_PAGES:
            raise FetchError(f"more than {MAX_PAGES} pages; stopped paging")
        self.seen.add(cursor)


def next_token(body: Any, key: str) -> str | None:
    """A page token from ``body[key]``; None (end of list) when absent, null or empty."""
    if not isinstance(body, dict):
        return None
    token = body.get(key)
    if token is None or token == "":
        return None
    if not isinstance(token, str):
        raise FetchError(f"'{key}' is a {type(token).__name__}, not a string")
    return token


def token_pages(
    client: HttpClient,
    url: str,
    headers: dict[str, str],
    *,
    size: dict[str, str | int],
    token_param: str,
    next_field: str,
    what: str | None = None,
) -> list[Any]:
    """Every page of a token-paginated list (the page token in the body, sent back as a parameter).

    The first request sends ``size`` (the page-size parameter); each next one adds
    ``token_param=<body[next_field]>``, until the body has no token (the provider's own end signal).
    A repeating token stops the provider with an error (:class:`CursorGuard`).
    """
    guard = CursorGuard(what or next_field)
    pages: list[Any] = []
    params: dict[str, str | int] = dict(size)
    while True:
        body = client.get_json(url, headers=headers, params=params)
        pages.append(body)
        token = next_token(body, next_field)
        if token is None:
            return pages
        guard.check(token)
        params = {**size, token_param: token}
