"""A wall-clock deadline on a whole HTTP request: connecting, the status line and headers, the body,
whatever the transfer encoding.

Socket timeouts bound each read, so an upstream that drips one byte a second (header lines, or a
body under a large ``Content-Length``) never trips them. Here the socket of every connection a
request uses is noted once the request is sent (:class:`DeadlineAdapter` makes the connection pools
build :class:`_Noted` connections); when the deadline passes, a timer shuts those sockets down and
the read blocked on them returns at once, failing the request. (The socket, not the connection: a
response that closes its connection outlives the connection's reference to its socket.)
"""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Iterator
from typing import Any

from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

_current = threading.local()  # the Watch of the request this thread is making, if any


class Watch:
    """The sockets of one request; :meth:`expire` shuts them down."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._sockets: list[socket.socket] = []
        self.expired = False

    def add(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.append(sock)
            if self.expired:
                _shut(sock)

    def expire(self) -> None:
        with self._lock:
            self.expired = True
            for sock in self._sockets:
                _shut(sock)


def _shut(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)


class _Noted:
    """A connection that hands its socket to the current request's :class:`Watch` once it is sent."""

    sock: socket.socket | None

    def request(self, *args: Any, **kwargs: Any) -> None:
        super().request(*args, **kwargs)  # type: ignore[misc]
        watch = getattr(_current, "watch", None)
        if watch is not None and self.sock is not None:
            watch.add(self.sock)


class _HTTPConnection(_Noted, HTTPConnection):
    pass


class _HTTPSConnection(_Noted, HTTPSConnection):
    pass


class _HTTPPool(HTTPConnectionPool):
    ConnectionCls = _HTTPConnection


class _HTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _HTTPSConnection


_POOLS = {"http": _HTTPPool, "https": _HTTPSPool}


class DeadlineAdapter(HTTPAdapter):
    """requests' adapter whose connections (direct or through an HTTP proxy) can be cut at a deadline."""

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = _POOLS

    def proxy_manager_for(self, proxy: str, **proxy_kwargs: Any) -> Any:
        manager = super().proxy_manager_for(proxy, **proxy_kwargs)
        if not proxy.lower().startswith("socks"):
            manager.pool_classes_by_scheme = _POOLS
        return manager


@contextlib.contextmanager
def deadline(seconds: float) -> Iterator[Watch]:
    """Cut every connection the block's requests use once ``seconds`` have passed (this thread)."""
    watch = Watch()
    _current.watch = watch
    timer = threading.Timer(max(0.0, seconds), watch.expire)
    timer.daemon = True
    timer.start()
    try:
        yield watch
    finally:
        timer.cancel()
        _current.watch = None
