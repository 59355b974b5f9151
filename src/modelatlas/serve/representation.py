"""One response body with its validators: strong ETag, Last-Modified, and a gzip variant.

The ETag is a hash of the bytes; the gzip variant gets its own strong ETag (``"<hash>-gzip"``)
because its bytes differ, and ``If-None-Match`` matches either (RFC 9110 compares weakly there).
``If-Modified-Since`` is only looked at without ``If-None-Match``; a date that cannot be read or
lies in the future is ignored. Bodies are kept in a byte-bounded LRU cache, keyed by what they were
made from (a file's path and stat, or the build and the query), so a 304 costs no file read.
"""

from __future__ import annotations

import gzip
import hashlib
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass, field
from email.utils import formatdate, parsedate_to_datetime

MIN_GZIP_SIZE = 512
CACHE_BYTES = 128 * 1024 * 1024
_COMPRESSIBLE = ("text/", "application/json", "application/schema+json", "application/atom+xml",
                 "application/manifest+json", "image/svg+xml")


@dataclass
class Representation:
    body: bytes
    content_type: str
    modified: float  # seconds since the epoch
    digest: str = field(init=False)
    _gzipped: bytes | None = field(default=None, init=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    def __post_init__(self) -> None:
        self.digest = hashlib.sha256(self.body).hexdigest()[:32]

    @property
    def compressible(self) -> bool:
        return len(self.body) >= MIN_GZIP_SIZE and self.content_type.startswith(_COMPRESSIBLE)

    def gzipped(self) -> bytes:
        """The gzip variant, made once: concurrent first requests wait for one compression."""
        if self._gzipped is None:
            with self._lock:
                if self._gzipped is None:
                    self._gzipped = gzip.compress(self.body, compresslevel=6, mtime=0)
        return self._gzipped

    def etag(self, gzipped: bool) -> str:
        return f'"{self.digest}-gzip"' if gzipped else f'"{self.digest}"'

    @property
    def last_modified(self) -> str:
        return formatdate(int(self.modified), usegmt=True)

    @property
    def cost(self) -> int:
        return 2 * len(self.body) if self.compressible else len(self.body)


def accepts_gzip(accept_encoding: str | None) -> bool:
    """Whether an ``Accept-Encoding`` value allows gzip (``gzip`` or ``*`` with a q above 0)."""
    weights: dict[str, float] = {}
    for item in (accept_encoding or "").split(","):
        name, *params = (part.strip() for part in item.split(";"))
        weight = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    weight = float(value)
                except ValueError:
                    weight = 0.0
        if name:
            weights[name.lower()] = weight
    for name in ("gzip", "x-gzip", "*"):
        if name in weights:
            return weights[name] > 0
    return False


def _etags(header: str) -> list[str]:
    return [tag.strip().removeprefix("W/") for tag in header.split(",") if tag.strip()]


def is_not_modified(request_headers: Mapping[str, str], representation: Representation) -> bool:
    """Whether a GET/HEAD with these headers is answered 304 (RFC 9110 section 13.2.2 order)."""
    if_none_match = request_headers.get("If-None-Match")
    if if_none_match is not None:
        current = {representation.etag(False), representation.etag(True)}
        tags = _etags(if_none_match)
        return "*" in tags or any(tag in current for tag in tags)
    if_modified_since = request_headers.get("If-Modified-Since")
    if not if_modified_since:
        return False
    try:
        since = parsedate_to_datetime(if_modified_since).timestamp()
    except (TypeError, ValueError, IndexError, OverflowError):
        return False
    if since > time.time():
        return False
    return int(representation.modified) <= since


class RepresentationCache:
    """A thread-safe LRU of representations, bounded by the bytes they hold. A key is made by one
    thread at a time: concurrent first requests for it wait for that one instead of all making it."""

    def __init__(self, max_bytes: int = CACHE_BYTES) -> None:
        self.max_bytes = max_bytes
        self._items: OrderedDict[Hashable, Representation] = OrderedDict()
        self._making: dict[Hashable, threading.Lock] = {}
        self._bytes = 0
        self._lock = threading.Lock()

    def _cached(self, key: Hashable) -> Representation | None:
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
            return found

    def get(self, key: Hashable, make: Callable[[], Representation]) -> Representation:
        found = self._cached(key)
        if found is not None:
            return found
        with self._lock:
            making = self._making.setdefault(key, threading.Lock())
        with making:
            found = self._cached(key)
            if found is not None:
                return found
            try:
                made = make()  # outside the cache lock: reading a file or joining a list takes a while
                self._store(key, made)
            finally:
                with self._lock:
                    self._making.pop(key, None)
        return made

    def _store(self, key: Hashable, made: Representation) -> None:
        if made.cost > self.max_bytes:
            return
        with self._lock:
            if key not in self._items:
                self._items[key] = made
                self._bytes += made.cost
            while self._bytes > self.max_bytes:
                _, evicted = self._items.popitem(last=False)
                self._bytes -= evicted.cost
