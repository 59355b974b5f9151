"""Page tokens and page arithmetic shared by the static pages and ``modelatlas serve``.

A page token is base64 of the compact JSON ``{"page":k}`` -- the gateway's own example
``eyJwYWdlIjoxfQ==`` is the token of page 1. Page ``k`` of size ``n`` holds items ``k*n`` to
``k*n+n-1``. An empty list still has one (empty) page 0.

:data:`TOKEN_PATTERN` is exactly the set of tokens this tool issues (``k`` written without leading
zeros), with the padding ``=`` optional: the format ``openapi.json`` documents and the only one
:func:`decode_page_token` accepts. Such a token never holds ``+`` or ``/``.
"""

from __future__ import annotations

import base64
import json
import re

from modelatlas.jsonio import dumps_compact

MAX_TOKEN_LENGTH = 200
# base64 of '{"page":' + digits + '}' (see the tests for how each group is derived): the fixed head
# 'eyJwYWdlIjo' holds '{"page' and the ':' of '":d', the next character the first digit; then
# three digits per four characters; then the tail, by how many digits are left over: '}'
# (fQ==), 'd}' (xx0=) or 'dd}' (xxx9).
_DIGIT_PAIR = "(?:[MN][DTjz]|O[DT])"  # the first 12 bits of a group starting with a digit, then a digit
_THREE_DIGITS = f"{_DIGIT_PAIR}[AEIMQUYcgk][wxyz0-5]"
_TAIL = f"(?:fQ(?:==)?|(?:[MN][HXn3]|O[HX])0=?|{_DIGIT_PAIR}[BFJNRVZdhl]9)"
TOKEN_PATTERN = f"^eyJwYWdlIjo(?:wfQ(?:==)?|[x-z0-5](?:{_THREE_DIGITS})*{_TAIL})$"
_TOKEN = re.compile(TOKEN_PATTERN)
# The two page-size limits bound different costs, so they differ on purpose:
MAX_BUILD_PAGE_SIZE = 10_000  # ``build --page-size``: each page is a file, written once per build
MAX_REQUEST_PAGE_SIZE = 1_000  # ``serve``'s ``?page_size=``: each request encodes its page anew


def encode_page_token(page: int) -> str:
    """The token that asks for page ``page`` (>= 0)."""
    if isinstance(page, bool) or not isinstance(page, int) or page < 0:
        raise ValueError(f"page must be a non-negative integer, got {page!r}")
    return base64.b64encode(dumps_compact({"page": page}).encode("ascii")).decode("ascii")


def decode_page_token(token: str) -> int:
    """The page number inside ``token``; ValueError if it is not a token this tool issues
    (:data:`TOKEN_PATTERN`; a missing ``=`` padding is accepted)."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        raise ValueError(f"page_token is empty or longer than {MAX_TOKEN_LENGTH} characters")
    if not _TOKEN.fullmatch(token):
        raise ValueError(
            "page_token is not a page token of this server: pass the next_page_token of a page "
            'as it is (base64 of {"page":k}, e.g. eyJwYWdlIjoxfQ== for page 1)'
        )
    raw = base64.b64decode(token + "=" * (-len(token) % 4))
    page = json.loads(raw)["page"]
    assert isinstance(page, int) and page >= 0, token  # what the pattern says
    return int(page)


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
