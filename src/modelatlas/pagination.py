"""Page tokens and page arithmetic shared by the static pages and ``modelatlas serve``.

A page token is base64 of the compact JSON ``{"page":k}`` -- the seed's own example
``eyJwYWdlIjoxfQ==`` is the token of page 1. Page ``k`` of size ``n`` holds items ``k*n`` to
``k*n+n-1``. An empty list still has one (empty) page 0.
"""

from __future__ import annotations

import base64
import binascii
import json

from modelatlas.jsonio import dumps_compact

MAX_TOKEN_LENGTH = 200
MAX_REQUEST_PAGE_SIZE = 1000  # the largest page_size a `GET /v1/models` request may ask `serve` for


def encode_page_token(page: int) -> str:
    """The token that asks for page ``page`` (>= 0)."""
    if isinstance(page, bool) or not isinstance(page, int) or page < 0:
        raise ValueError(f"page must be a non-negative integer, got {page!r}")
    return base64.b64encode(dumps_compact({"page": page}).encode("ascii")).decode("ascii")


def decode_page_token(token: str) -> int:
    """The page number inside ``token``; ValueError if it is not a token this tool issued.

    Accepts the URL-safe base64 alphabet, missing padding, and ``+`` turned into a space by a
    client that did not URL-encode the query string.
    """
    if not token or len(token) > MAX_TOKEN_LENGTH:
        raise ValueError("page_token is empty or too long")
    text = token.strip().replace(" ", "+").replace("-", "+").replace("_", "/")
    text += "=" * (-len(text) % 4)
    try:
        raw = base64.b64decode(text, validate=True)
        value = json.loads(raw.decode("utf-8"))
    except (binascii.Error, UnicodeDecodeError, ValueError) as exc:
        raise ValueError("page_token is not a valid page token") from exc
    if not isinstance(value, dict) or set(value) != {"page"}:
        raise ValueError("page_token is not a valid page token")
    page = value["page"]
    if isinstance(page, bool) or not isinstance(page, int) or page < 0:
        raise ValueError("page_token holds no valid page number")
    return page


def page_count(total: int, page_size: int) -> int:
    """Number of pages for ``total`` items: at least 1 (an empty list has one empty page)."""
    if page_size < 1:
        raise ValueError(f"page_size must be at least 1, got {page_size}")
    if total < 0:
        raise ValueError(f"total must be non-negative, got {total}")
    return max(1, -(-total // page_size))


def page_bounds(page: int, total: int, page_size: int) -> tuple[int, int]:
    """``(start, stop)`` slice indexes of page ``page``; ValueError if the page does not exist."""
    if page < 0 or page >= page_count(total, page_size):
        raise ValueError(f"page {page} is out of range (there are {page_count(total, page_size)} pages)")
    start = page * page_size
    return start, min(start + page_size, total)


def has_next(page: int, total: int, page_size: int) -> bool:
    """Whether a page follows page ``page``."""
    return page + 1 < page_count(total, page_size)
