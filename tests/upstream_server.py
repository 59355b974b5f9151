"""A real local HTTP server whose answers a test writes as a function of the request (hostile upstreams:
echoes, drips, wrong shapes). Shared by the secrets, deadline and catalog tests."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Answer:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    # Seconds between bytes of the head (status line and headers) and of the body; 0 sends at once.
    drip_head: float = 0.0
    drip_body: float = 0.0


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    headers: dict[str, str]


Route = Callable[[Request], Answer]


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    route: Route

    def do_GET(self) -> None:
        request = Request(self.command, self.path, {k: v for k, v in self.headers.items()})
        answer = type(self).route(request)
        head = f"HTTP/1.1 {answer.status} X\r\n".encode()
        length = str(len(answer.body))
        headers = {"Content-Type": "application/json", "Content-Length": length, **answer.headers}
        for name, value in headers.items():
            head += f"{name}: {value}\r\n".encode()
        head += b"Connection: close\r\n\r\n"
        self.close_connection = True
        try:
            self._send(head, answer.drip_head)
            self._send(answer.body, answer.drip_body)
        except OSError:  # the client gave up (a deadline): expected
            pass

    def _send(self, data: bytes, drip: float) -> None:
        if not drip:
            self.wfile.write(data)
            self.wfile.flush()
            return
        for index in range(len(data)):
            if getattr(self.server, "stopping", False):
                return
            self.wfile.write(data[index : index + 1])
            self.wfile.flush()
            threading.Event().wait(drip)

    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def upstream(route: Route) -> Iterator[str]:
    """Serve ``route`` on a free local port; yields the base URL (no trailing slash)."""
    handler = type("Handler", (_Handler,), {"route": staticmethod(route)})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.stopping = True  # type: ignore[attr-defined]
        server.shutdown()
        server.server_close()
