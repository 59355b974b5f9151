"""``modelatlas serve`` under slow, idle and vanishing clients, as a real subprocess.

Before: 1,100 slow sockets (one header line every few seconds) under ``ulimit -n 1024`` timed out
every normal request, and every cut-off request printed a traceback (20 MB of stderr despite
``--quiet``).
"""

from __future__ import annotations

import http.client
import os
import re
import resource
import socket
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from modelatlas.serve import make_server
from modelatlas.serve.connection import Limits
from tests.paths import REPO
from tests.serve.live_server import build_api

ENV = {
    **os.environ,
    "PYTHONUNBUFFERED": "1",
    "PYTHONPATH": os.pathsep.join([str(REPO / "src"), os.environ.get("PYTHONPATH", "")]),
}
SLOW_HEAD = b"GET /v1/models HTTP/1.1\r\nHost: slow\r\n"  # never finished


@pytest.fixture(scope="module")
def build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_api(tmp_path_factory.mktemp("serve-load") / "build")


def _room_for(sockets: int) -> None:
    """Raise this process's descriptor limit for the test's own client sockets."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = sockets + 256
    if soft < wanted:
        assert hard == resource.RLIM_INFINITY or hard >= wanted, f"ulimit -Hn {hard} < {wanted}: cannot test"
        resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))


@contextmanager
def _serve(
    build: Path, *flags: str, limit: int | None = None
) -> Iterator[tuple[str, int, subprocess.Popen[str]]]:
    """``modelatlas serve`` over ``build`` on a free port (``limit``: its ``ulimit -n``, soft and hard)."""

    def limited() -> None:
        if limit is not None:
            resource.setrlimit(resource.RLIMIT_NOFILE, (limit, limit))

    command = [sys.executable, "-m", "modelatlas", "serve", "--dir", str(build), "--port", "0", *flags]
    process = subprocess.Popen(
        command, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, preexec_fn=limited
    )
    try:
        assert process.stdout is not None
        found = re.search(r"at http://([0-9.]+):([0-9]+)/", process.stdout.readline())
        assert found, process.stderr.read() if process.stderr else ""
        yield found.group(1), int(found.group(2)), process
    finally:
        process.terminate()
        process.wait(timeout=30)


def _slow_sockets(host: str, port: int, count: int) -> list[socket.socket]:
    sockets = []
    for _ in range(count):
        sock = socket.create_connection((host, port), timeout=5)
        sock.sendall(SLOW_HEAD)
        sockets.append(sock)
    return sockets


def _timed_get(host: str, port: int, path: str = "/v1/models?page_size=2") -> tuple[int, float]:
    started = time.monotonic()
    connection = http.client.HTTPConnection(host, port, timeout=10)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        response.read()
        return response.status, time.monotonic() - started
    finally:
        connection.close()


@pytest.mark.parametrize(
    ("slow", "limit"), [(1000, None), (1100, 1024)], ids=["1000 slow", "1100 slow, ulimit 1024"]
)
def test_a_normal_request_is_answered_within_a_second_beside_slow_sockets(
    build: Path, slow: int, limit: int | None
) -> None:
    _room_for(slow)
    with _serve(build, "--quiet", limit=limit) as (host, port, process):
        sockets = _slow_sockets(host, port, slow)
        try:
            time.sleep(0.3)  # let the server take them all in
            status, seconds = _timed_get(host, port)
            print(f"\n{slow} slow sockets (ulimit -n {limit or 'default'}): a request took {seconds:.3f} s")
            assert status == 200 and seconds < 1.0, f"{seconds:.2f}s with {slow} slow sockets open"
        finally:
            for sock in sockets:
                sock.close()
        # and right after they all go away, every client is answered at once
        answers = [_timed_get(host, port) for _ in range(20)]
        assert all(status == 200 and seconds < 1.0 for status, seconds in answers), answers
        assert process.poll() is None


def _cut_offs(host: str, port: int) -> int:
    """Clients that go away at every stage of a request; returns how many."""
    cuts: list[Callable[[], None]] = []

    def half_head() -> None:
        sock = socket.create_connection((host, port))
        sock.sendall(b"GET /v1/models HTTP/1.1\r\nHo")
        sock.close()

    def reset_while_answered() -> None:
        sock = socket.create_connection((host, port))
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        sock.sendall(b"GET /v1/models.json HTTP/1.1\r\nHost: x\r\n\r\n")
        sock.close()  # an RST while the answer is on its way

    def garbage() -> None:
        sock = socket.create_connection((host, port))
        sock.sendall(b"\x16\x03\x01\x02\x00" + os.urandom(64) + b"\r\n\r\n")  # a TLS hello, say
        sock.recv(1024)
        sock.close()

    cuts += [half_head, reset_while_answered, garbage] * 5
    for cut in cuts:
        cut()
    time.sleep(0.5)
    return len(cuts)


def test_cut_off_clients_are_one_quiet_line_each_and_nothing_with_quiet(build: Path) -> None:
    with _serve(build) as (host, port, process):
        count = _cut_offs(host, port)
        assert _timed_get(host, port)[0] == 200
        process.terminate()
        _, log = process.communicate(timeout=30)
    assert "Traceback" not in log, log
    lines = log.splitlines()
    assert len(lines) <= 2 * count + 2, log  # at most a request line and a cut line per client
    with _serve(build, "--quiet") as (host, port, process):
        _cut_offs(host, port)
        assert _timed_get(host, port)[0] == 200
        process.terminate()
        _, log = process.communicate(timeout=30)
    assert log == "", log


def test_a_request_too_slow_or_an_idle_connection_is_cut_at_its_deadline(build: Path) -> None:
    """In-process, with short limits: a head still unfinished after ``request`` seconds and a
    connection idle for ``idle`` seconds are closed; a normal client is served all along."""
    server = make_server(build, "127.0.0.1", 0, quiet=True, limits=Limits(request=0.5, idle=0.8))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    host, port = server.server_address[:2]
    try:
        slow = socket.create_connection((host, port), timeout=5)
        slow.sendall(SLOW_HEAD)
        idle = socket.create_connection((host, port), timeout=5)
        started = time.monotonic()
        assert slow.recv(1) == b""  # closed by the server
        assert 0.4 < time.monotonic() - started < 2.0
        assert idle.recv(1) == b""
        assert 0.7 < time.monotonic() - started < 2.5
        assert _timed_get(host, port)[0] == 200
    finally:
        server.shutdown()
        server.server_close()


def test_a_request_head_too_large_gets_431(build: Path) -> None:
    server = make_server(build, "127.0.0.1", 0, quiet=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    host, port = server.server_address[:2]
    try:
        sock = socket.create_connection((host, port), timeout=5)
        sock.sendall(b"GET / HTTP/1.1\r\n" + b"X-Pad: " + b"p" * 70_000)
        answer = sock.recv(65536)
        assert answer.startswith(b"HTTP/1.1 431 ") and b'"type":"invalid_request_error"' in answer
    finally:
        server.shutdown()
        server.server_close()
