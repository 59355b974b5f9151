"""Validators, gzip negotiation and the representation cache of ``modelatlas serve``."""

from __future__ import annotations

import gzip
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from modelatlas.serve.representation import (
    Representation,
    RepresentationCache,
    accepts_gzip,
    is_not_modified,
)

BODY = b'{"data":[' + b'{"id":"x"},' * 100 + b'{"id":"y"}]}'
MODIFIED = 1_700_000_000.0  # Tue, 14 Nov 2023 22:13:20 GMT


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, False),
        ("", False),
        ("gzip", True),
        ("GZIP", True),
        ("deflate, gzip;q=0.5", True),
        ("gzip;q=0", False),
        ("gzip; q=0.0, identity", False),
        ("*", True),
        ("*;q=0", False),
        ("br, *", True),
        ("gzip;q=0, *", False),  # the named coding wins over the wildcard
        ("identity", False),
        ("x-gzip", True),
        ("gzip;q=abc", False),
    ],
)
def test_accepts_gzip(header: str | None, expected: bool) -> None:
    assert accepts_gzip(header) is expected


def test_etags_are_strong_per_variant_and_the_gzip_bytes_decode() -> None:
    representation = Representation(BODY, "application/json", MODIFIED)
    identity, zipped = representation.etag(False), representation.etag(True)
    assert identity.startswith('"') and zipped.endswith('-gzip"') and identity != zipped
    assert Representation(BODY, "application/json", 0).etag(False) == identity  # a function of the bytes
    assert gzip.decompress(representation.gzipped()) == BODY
    assert representation.gzipped() is representation.gzipped()
    assert representation.last_modified == "Tue, 14 Nov 2023 22:13:20 GMT"


def test_small_or_binary_bodies_are_not_compressed() -> None:
    assert not Representation(b"{}", "application/json", MODIFIED).compressible
    assert not Representation(BODY, "image/png", MODIFIED).compressible
    assert Representation(BODY, "text/html; charset=utf-8", MODIFIED).compressible


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({}, False),
        ({"If-None-Match": "ETAG"}, True),
        ({"If-None-Match": "W/ETAG"}, True),  # weak comparison for If-None-Match
        ({"If-None-Match": "GZIP"}, True),
        ({"If-None-Match": '"a", ETAG'}, True),
        ({"If-None-Match": "*"}, True),
        ({"If-None-Match": '"other"'}, False),
        ({"If-None-Match": '"other"', "If-Modified-Since": "Tue, 14 Nov 2023 22:13:20 GMT"}, False),
        ({"If-Modified-Since": "Tue, 14 Nov 2023 22:13:20 GMT"}, True),
        ({"If-Modified-Since": "Tue, 14 Nov 2023 22:13:19 GMT"}, False),
        ({"If-Modified-Since": "Wed, 01 Jan 2098 00:00:00 GMT"}, False),  # in the future: ignored
        ({"If-Modified-Since": "not a date"}, False),
        ({"If-Modified-Since": ""}, False),
    ],
)
def test_is_not_modified(headers: dict[str, str], expected: bool) -> None:
    representation = Representation(BODY, "application/json", MODIFIED)
    filled = {
        name: value.replace("ETAG", representation.etag(False)).replace("GZIP", representation.etag(True))
        for name, value in headers.items()
    }
    assert is_not_modified(filled, representation) is expected


def test_cache_makes_each_key_once_under_concurrency() -> None:
    cache = RepresentationCache()
    calls = []

    def make() -> Representation:
        calls.append(1)
        time.sleep(0.05)
        return Representation(BODY, "application/json", MODIFIED)

    with ThreadPoolExecutor(max_workers=10) as pool:
        results = list(pool.map(lambda _: cache.get("key", make), range(10)))
    assert len(calls) == 1 and all(result is results[0] for result in results)


def test_cache_evicts_least_recently_used_by_bytes() -> None:
    cache = RepresentationCache(max_bytes=3 * len(b"x" * 100))

    def make(letter: bytes) -> Representation:
        return Representation(letter * 100, "image/png", MODIFIED)  # not compressible: cost = size

    first = cache.get("a", lambda: make(b"a"))
    cache.get("b", lambda: make(b"b"))
    cache.get("c", lambda: make(b"c"))
    assert cache.get("a", lambda: make(b"A")) is first  # a used again: b is now the oldest
    cache.get("d", lambda: make(b"d"))
    assert cache.get("b", lambda: make(b"B")).body == b"B" * 100  # b was evicted and made again
