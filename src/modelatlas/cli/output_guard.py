"""The last gate before text leaves the process: stdout and stderr with every declared credential
scrubbed, whatever printed it (a command's report, a server's request log, a traceback).

The secrets are read on the first write (the provider registry is imported then, not at start-up),
from the settings of the process (:func:`modelatlas.fetch.providers.credentials.process_scrubber`).
"""

from __future__ import annotations

import contextlib
import io
import sys
import threading
from collections.abc import Callable, Iterator
from typing import TextIO


class ScrubbedStream(io.TextIOBase):
    """A text stream writing into ``inner`` with every secret value replaced (no ``buffer``: bytes
    cannot go around it)."""

    def __init__(self, inner: TextIO, scrub: Callable[[str], str]) -> None:
        super().__init__()
        self.inner = inner
        self._scrub = scrub

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return getattr(self.inner, "encoding", None) or "utf-8"

    @property
    def errors(self) -> str:  # type: ignore[override]
        return getattr(self.inner, "errors", None) or "replace"

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:  # type: ignore[override]
        if not isinstance(text, str):
            raise TypeError(f"write() argument must be str, not {type(text).__name__}")
        self.inner.write(self._scrub(text))
        return len(text)

    def flush(self) -> None:
        with contextlib.suppress(ValueError, OSError):
            self.inner.flush()

    def isatty(self) -> bool:
        return bool(getattr(self.inner, "isatty", lambda: False)())

    def fileno(self) -> int:
        return self.inner.fileno()


class _LazyScrub:
    """The process's scrubber, built on first use (once, whichever thread writes first)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._scrub: Callable[[str], str] | None = None

    def __call__(self, text: str) -> str:
        if self._scrub is None:
            with self._lock:
                if self._scrub is None:
                    from modelatlas.fetch.providers.credentials import process_scrubber

                    self._scrub = process_scrubber().values_in
        return self._scrub(text)


@contextlib.contextmanager
def scrubbed_output() -> Iterator[None]:
    """stdout and stderr scrubbed while the block runs (nothing changes if they already are)."""
    if isinstance(sys.stdout, ScrubbedStream) and isinstance(sys.stderr, ScrubbedStream):
        yield
        return
    scrub = _LazyScrub()
    out, err = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = ScrubbedStream(out, scrub), ScrubbedStream(err, scrub)
    try:
        yield
    finally:
        sys.stdout, sys.stderr = out, err


def install() -> None:
    """Scrub stdout and stderr for the rest of the process (tracebacks at exit included)."""
    scrub = _LazyScrub()
    sys.stdout = ScrubbedStream(sys.stdout, scrub)
    sys.stderr = ScrubbedStream(sys.stderr, scrub)
