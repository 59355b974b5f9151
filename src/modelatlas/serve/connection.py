"""One connection of ``modelatlas serve`` as the event loop sees it, and the limits every connection
keeps (:mod:`modelatlas.serve.event_server`)."""

from __future__ import annotations

import contextlib
import os
import socket
from dataclasses import dataclass
from enum import Enum
from typing import Any

try:
    import resource
except ImportError:  # Windows
    resource = None  # type: ignore[assignment]


@dataclass(frozen=True)
class Limits:
    request: float = 10.0  # seconds from a request's first byte to its whole head (and small body)
    idle: float = 30.0  # seconds a kept-alive connection may wait for its next request
    write: float = 30.0  # seconds an answer may make no progress towards the client
    connections: int = 4096  # open connections at most (lowered to what the descriptor limit allows)
    head_bytes: int = 64 * 1024  # a request head larger than this gets 431
    body_bytes: int = 1024 * 1024  # a body up to this is read before the request is answered
    workers: int = 16  # threads answering complete requests
    backlog: int = 1024  # the listen backlog


DEFAULT_LIMITS = Limits()


class State(Enum):
    READING = "reading"  # waiting for (the rest of) a request
    ANSWERING = "answering"  # a worker is making the answer
    WRITING = "writing"  # sending the answer


class Connection:
    def __init__(self, sock: socket.socket, address: Any, now: float) -> None:
        self.sock = sock
        self.address = address
        self.state = State.READING
        self.inbox = bytearray()
        self.outbox = memoryview(b"")
        self.keep_alive = False
        self.since = now  # when the current state (or the current request's first byte) began

    @property
    def idle(self) -> bool:
        return self.state is State.READING and not self.inbox


def body_length(head: bytes, limit: int) -> tuple[int, bool]:
    """(the body's length, whether to read it before answering): a ``Content-Length`` up to ``limit``
    without ``Expect`` or ``Transfer-Encoding``; any other body is not read (the connection closes)."""
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        name = name.strip().lower()
        if name in (b"transfer-encoding", b"expect"):
            return 0, False
        if name == b"content-length":
            value = value.strip()
            if not value.isdigit() or len(value) > 12 or int(value) > limit:
                return 0, False
            length = int(value)
    return length, True


def descriptor_room() -> int:
    """How many connections the descriptor limit leaves room for, after raising the soft limit to the
    hard one (what a server is expected to do)."""
    if resource is None:
        return 1 << 30
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard == resource.RLIM_INFINITY or hard > soft:
        with contextlib.suppress(ValueError, OSError):
            wanted = hard if hard != resource.RLIM_INFINITY else 1 << 16
            resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
            soft = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
    return max(8, soft - 64)  # leave room for files, the selector, the wake-up pair


def host(address: Any) -> str:
    return str(address[0]) if isinstance(address, tuple) and address else str(address)


def reason(exc: OSError) -> str:
    return os.strerror(exc.errno) if exc.errno else type(exc).__name__
