"""The HTTP response headers of a deployed build, defined once.

The build writes them as ``_headers`` (the Netlify / Cloudflare Pages format: a path pattern, then
indented ``Name: value`` lines; every rule whose pattern matches a path applies) and ``modelatlas
serve`` sends the same headers, so a client sees the same CORS, caching and content types locally
as from the host. A pattern is either an exact path or a prefix ending in ``/*``.
"""

from __future__ import annotations

from dataclasses import dataclass

Headers = tuple[tuple[str, str], ...]

ALLOWED_METHODS = "GET, HEAD, OPTIONS"
# Authorization is named because the CORS wildcard does not cover it; "*" covers every other
# request header a client library adds (OpenAI-Organization, X-Stainless-*, ...).
CORS: Headers = (
    ("Access-Control-Allow-Origin", "*"),
    ("Access-Control-Allow-Methods", ALLOWED_METHODS),
    ("Access-Control-Allow-Headers", "Authorization, Content-Type, If-Modified-Since, If-None-Match, *"),
    ("Access-Control-Expose-Headers", "ETag"),
    ("Access-Control-Max-Age", "86400"),
)
FEED: Headers = (
    *CORS,
    ("Content-Type", "application/atom+xml; charset=utf-8"),
    ("Cache-Control", "public, max-age=300"),
)


@dataclass(frozen=True)
class HeaderRule:
    pattern: str
    headers: Headers

    def matches(self, path: str) -> bool:
        if self.pattern.endswith("/*"):
            return path.startswith(self.pattern[:-1])
        return path == self.pattern


RULES: tuple[HeaderRule, ...] = (
    HeaderRule(
        "/*",
        (("X-Content-Type-Options", "nosniff"), ("Referrer-Policy", "strict-origin-when-cross-origin")),
    ),
    HeaderRule(
        "/v1/*",
        (
            *CORS,
            ("Content-Type", "application/json; charset=utf-8"),
            ("Cache-Control", "public, max-age=300, stale-while-revalidate=86400"),
        ),
    ),
    HeaderRule(
        "/schema/*",
        (
            *CORS,
            ("Content-Type", "application/schema+json; charset=utf-8"),
            ("Cache-Control", "public, max-age=3600"),
        ),
    ),
    HeaderRule(
        "/openapi.json",
        (
            *CORS,
            ("Content-Type", "application/json; charset=utf-8"),
            ("Cache-Control", "public, max-age=3600"),
        ),
    ),
    HeaderRule("/changes.xml", FEED),
    HeaderRule("/changes/*", FEED),
)

_PREAMBLE = """\
# Netlify / Cloudflare Pages response headers (GitHub Pages ignores this file; it already sends
# Access-Control-Allow-Origin: * and application/json for .json files).
"""


def headers_for(path: str) -> dict[str, str]:
    """Every header the rules give ``path`` (a URL path such as ``/v1/models.json``); later rules win."""
    headers: dict[str, str] = {}
    for rule in RULES:
        if rule.matches(path):
            headers.update(rule.headers)
    return headers


def headers_file() -> bytes:
    """The ``_headers`` file."""
    blocks = [
        rule.pattern + "\n" + "".join(f"  {name}: {value}\n" for name, value in rule.headers)
        for rule in RULES
    ]
    return (_PREAMBLE + "\n" + "\n".join(blocks)).encode("utf-8")
