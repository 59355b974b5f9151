"""Per-provider progress of ``modelatlas fetch`` on stderr.

One line per catalog not read fresh (or that skipped entries), then one summary line per
provider as it finishes. On a terminal (and not in CI) a status line is also redrawn in place
(``[3 done] fetching: groq, vertex``) below them; otherwise (pipes, ``CI`` set) only the summary
lines are printed, so nightly logs read top to bottom.
"""

from __future__ import annotations

import sys
import threading
from typing import TYPE_CHECKING, TextIO

from modelatlas.config import Settings
from modelatlas.fetch.outcome import FetchState, ProviderResult

if TYPE_CHECKING:
    from modelatlas.fetch.catalogs import CatalogLoad

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
    if result.curated_unused:
        shown = "; ".join(result.curated_unused[:MAX_REJECTED_SHOWN])
        extra = len(result.curated_unused) - MAX_REJECTED_SHOWN
        more = f" (+{extra} more)" if extra > 0 else ""
        text += f" [{len(result.curated_unused)} curated entries unused: {shown}{more}]"
    return text


def describe_catalogs(catalogs: CatalogLoad) -> list[str]:
    """One line per catalog that was not read fresh, or that skipped entries."""
    lines = []
    for source, (saved_at, why) in sorted(catalogs.fallbacks.items()):
        why = why.removeprefix(f"{source}: ")
        lines.append(f"{source}: failed ({why}); using its last good copy from {saved_at}")
    for source, why in sorted(catalogs.unavailable.items()):
        why = why.removeprefix(f"{source}: ")
        lines.append(f"{source}: failed ({why}) and no last good copy; providers using it keep old data")
    for source, skipped in sorted(catalogs.skipped.items()):
        if skipped:
            detail = ", ".join(f"{reason}: {n}" for reason, n in sorted(skipped.items()))
            lines.append(f"{source}: skipped {sum(skipped.values())} ({detail})")
    return lines


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
        interactive = hasattr(stream, "isatty") and stream.isatty() and not Settings.environment_value("CI")
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

    def started(self, provider: str) -> None:
        with self._lock:
            self._running.append(provider)
            self._redraw()

    def note(self, line: str) -> None:
        with self._lock:
            self._print(line)

    def finished(self, result: ProviderResult) -> None:
        with self._lock:
            if result.provider in self._running:
                self._running.remove(result.provider)
            self._done += 1
            self._print(describe_result(result))
