"""The connection layer of ``modelatlas serve``: one event loop for every socket, a few threads for
the answers.

One selector loop reads every connection (no thread per connection), so a client that sends its
request head slowly, or keeps an idle connection open, costs a socket and a few bytes, and is cut
off when its deadline passes: the head (and a small body) within :attr:`Limits.request`, an idle
kept-alive connection after :attr:`Limits.idle`, an answer the client does not read after
:attr:`Limits.write` without progress. Only a complete request goes to a worker thread, where the
request handler writes its answer into memory; the loop sends it. With :attr:`Limits.connections`
open (or when the process runs out of file descriptors) the loop closes the connection that has
been idle or reading its head the longest, so a new client is always accepted and answered.
A client that goes away or is cut off is one log line (none with ``--quiet``), never a traceback.
"""

from __future__ import annotations

import abc
import contextlib
import errno
import io
import queue
import selectors
import socket
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from http import HTTPStatus
from typing import Any

from modelatlas.serve.connection import (
    DEFAULT_LIMITS,
    Connection,
    Limits,
    State,
    body_length,
    descriptor_room,
    host,
    reason,
)

HEAD_END = b"\r\n\r\n"


class EventServer(abc.ABC):
    """``serve_forever`` / ``shutdown`` / ``server_close`` / ``server_address``, like ``socketserver``."""

    def __init__(
        self, address: tuple[str, int], limits: Limits = DEFAULT_LIMITS, quiet: bool = False
    ) -> None:
        self.limits = limits
        self.quiet = quiet
        family = socket.AF_INET6 if ":" in address[0] else socket.AF_INET
        self.socket = socket.create_server(address, family=family, backlog=limits.backlog)
        self.socket.setblocking(False)
        self.server_address = self.socket.getsockname()
        self.capacity = min(limits.connections, descriptor_room())
        self._selector = selectors.DefaultSelector()
        self._wake_read, self._wake_write = socket.socketpair()
        self._wake_read.setblocking(False)
        self._answers: queue.SimpleQueue[tuple[Connection, bytes, bool]] = queue.SimpleQueue()
        self._workers = ThreadPoolExecutor(max_workers=limits.workers, thread_name_prefix="serve")
        self._connections: dict[socket.socket, Connection] = {}
        self._next_expiry = 0.0
        self._stop = threading.Event()
        self._stopped = threading.Event()
        self._stopped.set()

    # -- what a subclass provides ---------------------------------------------------------------

    @abc.abstractmethod
    def answer(self, request: bytes, address: Any) -> tuple[bytes, bool]:
        """The whole answer to one request and whether the connection stays open."""

    def refusal(self, status: HTTPStatus, message: str) -> bytes:
        """An answer the connection layer sends itself (a head too large)."""
        body = message.encode()
        head = f"HTTP/1.1 {status.value} {status.phrase}\r\nContent-Length: {len(body)}\r\n"
        return head.encode() + b"Connection: close\r\n\r\n" + body

    def log(self, message: str) -> None:
        if not self.quiet:
            with contextlib.suppress(OSError, ValueError):
                sys.stderr.write(f"modelatlas serve: {message}\n")

    # -- the loop -------------------------------------------------------------------------------

    def serve_forever(self, poll_interval: float = 0.5) -> None:
        self._stop.clear()
        self._stopped.clear()
        self._selector.register(self.socket, selectors.EVENT_READ)
        self._selector.register(self._wake_read, selectors.EVENT_READ)
        try:
            while not self._stop.is_set():
                for key, events in self._selector.select(timeout=min(poll_interval, 0.25)):
                    self._ready(key.fileobj, events)  # type: ignore[arg-type]
                self._collect_answers()
                now = time.monotonic()
                if now >= self._next_expiry:  # a sweep of every connection, ten times a second at most
                    self._expire(now)
                    self._next_expiry = now + 0.1
        finally:
            for sock in list(self._connections):
                self._close(sock)
            for sock in (self.socket, self._wake_read):
                with contextlib.suppress(KeyError, ValueError):
                    self._selector.unregister(sock)
            self._stopped.set()

    def shutdown(self) -> None:
        self._stop.set()
        self._wake()
        self._stopped.wait()

    def server_close(self) -> None:
        self._workers.shutdown(wait=False, cancel_futures=True)
        for sock in (self.socket, self._wake_read, self._wake_write):
            sock.close()
        self._selector.close()

    def _wake(self) -> None:
        with contextlib.suppress(OSError):
            self._wake_write.send(b"\0")

    def _ready(self, sock: socket.socket, events: int) -> None:
        if sock is self.socket:
            self._accept()
        elif sock is self._wake_read:
            with contextlib.suppress(OSError):
                self._wake_read.recv(4096)
        elif sock in self._connections:
            connection = self._connections[sock]
            if events & selectors.EVENT_READ and connection.state is State.READING:
                self._read(connection)
            if events & selectors.EVENT_WRITE and connection.state is State.WRITING:
                self._write(connection)

    def _accept(self) -> None:
        for _ in range(64):  # a burst at a time; the rest on the next turn
            if len(self._connections) >= self.capacity and not self._evict():
                return
            try:
                sock, address = self.socket.accept()
            except BlockingIOError:
                return
            except OSError as exc:
                if exc.errno in (errno.EMFILE, errno.ENFILE, errno.ENOBUFS, errno.ENOMEM):
                    self.capacity = max(1, len(self._connections))  # what the system allows
                    if self._evict():
                        continue
                return
            sock.setblocking(False)
            with contextlib.suppress(OSError):
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            self._connections[sock] = Connection(sock, address, time.monotonic())
            self._selector.register(sock, selectors.EVENT_READ)

    def _evict(self) -> bool:
        """Close the connection idle or reading its head the longest (False if none is)."""
        waiting = [c for c in self._connections.values() if c.state is State.READING]
        if not waiting:
            return False
        oldest = min(waiting, key=lambda c: c.since)
        self.log(f"{host(oldest.address)}: closed to make room for a new connection")
        self._close(oldest.sock)
        return True

    def _read(self, connection: Connection) -> None:
        try:
            data = connection.sock.recv(65536)
        except (BlockingIOError, InterruptedError):
            return
        except OSError as exc:
            self._cut(connection, f"connection lost while reading ({reason(exc)})")
            return
        if not data:
            if connection.inbox:
                self._cut(connection, "went away in the middle of a request")
            else:
                self._close(connection.sock)
            return
        if not connection.inbox:
            connection.since = time.monotonic()  # the request's clock starts at its first byte
        connection.inbox += data
        self._dispatch(connection)

    def _dispatch(self, connection: Connection) -> None:
        """Hand a complete request to a worker (or refuse one whose head is too large)."""
        end = connection.inbox.find(HEAD_END)
        if end < 0:
            if len(connection.inbox) > self.limits.head_bytes:
                too_large = self.refusal(HTTPStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "request head too large")
                self._send(connection, too_large, False)
            return
        head_end = end + len(HEAD_END)
        length, readable = body_length(bytes(connection.inbox[:head_end]), self.limits.body_bytes)
        if readable and len(connection.inbox) < head_end + length:
            return  # the body is still coming
        size = head_end + length if readable else head_end
        request = bytes(connection.inbox[:size])
        del connection.inbox[:size]
        if not readable:
            connection.inbox.clear()  # an unread body: the connection closes after the answer
        connection.state = State.ANSWERING
        self._selector.unregister(connection.sock)  # until the answer is ready
        self._workers.submit(self._answer_in_worker, connection, request, readable)

    def _answer_in_worker(self, connection: Connection, request: bytes, keep: bool) -> None:
        try:
            answer, keep_alive = self.answer(request, connection.address)
        except Exception as exc:  # never a traceback: one line, and the connection closes
            self.log(f"{host(connection.address)}: internal error answering ({type(exc).__name__}: {exc})")
            answer = self.refusal(HTTPStatus.INTERNAL_SERVER_ERROR, "internal server error")
            keep_alive = False
        self._answers.put((connection, answer, keep_alive and keep))
        self._wake()

    def _collect_answers(self) -> None:
        while True:
            try:
                connection, answer, keep_alive = self._answers.get_nowait()
            except queue.Empty:
                return
            if connection.sock in self._connections:
                self._selector.register(connection.sock, selectors.EVENT_READ)
                self._send(connection, answer, keep_alive)

    def _send(self, connection: Connection, answer: bytes, keep_alive: bool) -> None:
        connection.state = State.WRITING
        connection.outbox = memoryview(answer)
        connection.keep_alive = keep_alive
        connection.since = time.monotonic()
        self._selector.modify(connection.sock, selectors.EVENT_WRITE)
        self._write(connection)

    def _write(self, connection: Connection) -> None:
        try:
            sent = connection.sock.send(connection.outbox)
        except (BlockingIOError, InterruptedError):
            return
        except OSError as exc:
            self._cut(connection, f"went away before the answer was sent ({reason(exc)})")
            return
        connection.outbox = connection.outbox[sent:]
        connection.since = time.monotonic()
        if connection.outbox:
            return
        if not connection.keep_alive:
            self._close(connection.sock)
            return
        connection.state = State.READING
        self._selector.modify(connection.sock, selectors.EVENT_READ)
        if connection.inbox:  # a pipelined request
            self._dispatch(connection)

    def _expire(self, now: float) -> None:
        limits = self.limits
        for connection in list(self._connections.values()):
            waited = now - connection.since
            if connection.state is State.READING and connection.inbox and waited > limits.request:
                self._cut(connection, f"request not complete after {limits.request:g} s")
            elif connection.idle and waited > limits.idle:
                self._close(connection.sock)
            elif connection.state is State.WRITING and waited > limits.write:
                self._cut(connection, f"did not read the answer for {limits.write:g} s")

    def _cut(self, connection: Connection, why: str) -> None:
        self.log(f"{host(connection.address)}: {why}; connection closed")
        self._close(connection.sock)

    def _close(self, sock: socket.socket) -> None:
        connection = self._connections.pop(sock, None)
        if connection is not None and connection.state is not State.ANSWERING:
            with contextlib.suppress(KeyError, ValueError):
                self._selector.unregister(sock)
        with contextlib.suppress(OSError):
            sock.close()


class InMemoryRequest:
    """A ``BaseHTTPRequestHandler`` mixin that answers one request read into memory and writes its
    answer into memory (the event loop does the socket work)."""

    rfile: io.BytesIO
    wfile: io.BytesIO
    request: bytes

    def setup(self) -> None:
        self.rfile = io.BytesIO(self.request)
        self.wfile = io.BytesIO()

    def handle(self) -> None:
        self.handle_one_request()  # type: ignore[attr-defined]

    def finish(self) -> None:
        pass
