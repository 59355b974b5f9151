"""Per-provider progress of ``modelatlas fetch`` on stderr.

On a terminal (and not in CI) one status line is redrawn in place (``[3/16] fetching: groq,
vertex``) and each provider's result is printed above it; otherwise (pipes, ``CI`` set) every
event is one plain line, so nightly logs read top to bottom.
"""

from __future__ import annotations

import os
import sys
import threading
from typing import TextIO

from modelatlas.fetch.outcome import FetchState, ProviderResult

MAX_REJECTED_SHOWN = 3


def describe_result(result: ProviderResult) -> str:
    """One line per provider: ``openai: fresh, 119 models from provider_api (updated; ...)``."""
    if result.state is FetchState.FRESH:
        change = "updated" if result.changed else "unchanged"
        text = f"{result.provider}: fresh, {result.count} models from {result.source}"
        text += f" ({change}; {result.reason})"
    else:
        text = f"{result.provider}: {result.state.upper()}: {result.reason}"
    if result.rejected:
        shown = "; ".join(result.rejected[:MAX_REJECTED_SHOWN])
        more = (
            f" (+{len(result.rejected) - MAX_REJECTED_SHOWN} more)"
            if len(result.rejected) > MAX_REJECTED_SHOWN
            else ""
        )
        text += f" [{len(result.rejected)} upstream records rejected or trimmed: {shown}{more}]"
    return text


class Progress:
    def __init__(self, stream: TextIO, live_line: bool) -> None:
        self._stream = stream
        self._live_line = live_line
        self._lock = threading.Lock()
        self._running: list[str] = []
        self._done = 0

    @classmethod
    def for_stderr(cls) -> Progress:
        stream = sys.stderr
        interactive = hasattr(stream, "isatty") and stream.isatty() and not os.environ.get("CI")
        return cls(stream, interactive)

    def _redraw(self) -> None:
        if self._live_line:
            running = ", ".join(self._running[:6]) + (" …" if len(self._running) > 6 else "")
            self._stream.write(
                f"\r\x1b[2K[{self._done} done] fetching: {running}" if running else "\r\x1b[2K"
            )
            self._stream.flush()

    def _print(self, line: str) -> None:
        if self._live_line:
            self._stream.write("\r\x1b[2K")
        self._stream.write(line + "\n")
        self._redraw()
        self._stream.flush()

    def started(self, provider: str, message: str) -> None:
        with self._lock:
            self._running.append(provider)
            if self._live_line:
                self._redraw()
            else:
                self._print(f"{provider}: {message}")

    def finished(self, result: ProviderResult) -> None:
        with self._lock:
            if result.provider in self._running:
                self._running.remove(result.provider)
            self._done += 1
            self._print(describe_result(result))
