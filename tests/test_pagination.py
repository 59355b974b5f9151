"""Page tokens and page arithmetic (the static pages and serve share them)."""

from __future__ import annotations

import base64
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from modelatlas.pagination import (
    MAX_TOKEN_LENGTH,
    TOKEN_PATTERN,
    decode_page_token,
    encode_page_token,
    has_next,
    page_bounds,
    page_count,
)

GATEWAY_TOKEN_PAGE_1 = "eyJwYWdlIjoxfQ=="  # the gateway's own example next_page_token


def test_token_of_page_1_is_the_gateways_example() -> None:
    assert encode_page_token(1) == GATEWAY_TOKEN_PAGE_1
    assert decode_page_token(GATEWAY_TOKEN_PAGE_1) == 1


@pytest.mark.parametrize("page", [0, 1, 2, 9, 10, 99, 12345])
def test_tokens_round_trip(page: int) -> None:
    assert decode_page_token(encode_page_token(page)) == page


def test_tokens_without_their_padding_are_accepted() -> None:
    assert decode_page_token(encode_page_token(1).rstrip("=")) == 1
    assert decode_page_token(encode_page_token(12).rstrip("=")) == 12


def test_the_documented_pattern_holds_every_issued_token() -> None:
    for page in [*range(0, 3000), *(10**n + d for n in range(3, 140) for d in (-1, 0, 1))]:
        token = encode_page_token(page)
        assert re.fullmatch(TOKEN_PATTERN, token) and re.fullmatch(TOKEN_PATTERN, token.rstrip("=")), page
        assert "+" not in token and "/" not in token  # safe in a query string as it is


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.from_regex(TOKEN_PATTERN, fullmatch=True).filter(lambda t: len(t) <= MAX_TOKEN_LENGTH))
def test_every_token_of_the_documented_pattern_names_a_page(token: str) -> None:
    """What openapi.json promises schemathesis: a page_token of this pattern is never a 400."""
    page = decode_page_token(token)
    assert encode_page_token(page).rstrip("=") == token.rstrip("=")


@pytest.mark.parametrize(
    "token",
    [
        "",
        "not base64!",
        "@@@@",
        base64.b64encode(b"[1]").decode(),
        base64.b64encode(b'{"page":-1}').decode(),
        base64.b64encode(b'{"page":"1"}').decode(),
        base64.b64encode(b'{"page":true}').decode(),
        base64.b64encode(b'{"page":1.5}').decode(),
        base64.b64encode(b'{"page":1,"x":2}').decode(),
        base64.b64encode(b"\xff\xfe").decode(),
        base64.b64encode(b'{"page":01}').decode(),  # not how this tool writes page 1
        base64.b64encode(b'{"page": 1}').decode(),
        " " + encode_page_token(1),
        base64.urlsafe_b64encode(b'{"page":1}').decode() + "\n",
        "A" * 500,
    ],
)
def test_bad_tokens_raise_value_error(token: str) -> None:
    with pytest.raises(ValueError):
        decode_page_token(token)


@pytest.mark.parametrize("page", [-1, True, 1.0, "1"])
def test_encoding_rejects_non_pages(page: object) -> None:
    with pytest.raises(ValueError):
        encode_page_token(page)  # type: ignore[arg-type]


def test_zero_items_have_one_empty_page() -> None:
    assert page_count(0, 100) == 1
    assert page_bounds(0, 0, 100) == (0, 0)
    assert not has_next(0, 0, 100)
    with pytest.raises(ValueError):
        page_bounds(1, 0, 100)


def test_exactly_one_full_page() -> None:
    assert page_count(100, 100) == 1
    assert page_bounds(0, 100, 100) == (0, 100)
    assert not has_next(0, 100, 100)
    with pytest.raises(ValueError):
        page_bounds(1, 100, 100)


def test_one_more_than_a_page_makes_a_second_page_of_one() -> None:
    assert page_count(101, 100) == 2
    assert page_bounds(1, 101, 100) == (100, 101)
    assert has_next(0, 101, 100)


def test_page_size_one() -> None:
    assert page_count(3, 1) == 3
    assert [page_bounds(k, 3, 1) for k in range(3)] == [(0, 1), (1, 2), (2, 3)]
    assert has_next(1, 3, 1) and not has_next(2, 3, 1)


def test_last_partial_page() -> None:
    assert page_count(250, 100) == 3
    assert page_bounds(2, 250, 100) == (200, 250)


def test_pages_cover_every_item_exactly_once() -> None:
    for total in range(0, 30):
        for size in range(1, 8):
            covered = [i for k in range(page_count(total, size)) for i in range(*page_bounds(k, total, size))]
            assert covered == list(range(total))


def test_bad_page_sizes_and_pages() -> None:
    with pytest.raises(ValueError):
        page_count(10, 0)
    with pytest.raises(ValueError):
        page_bounds(-1, 10, 5)
