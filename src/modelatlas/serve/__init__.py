"""``modelatlas serve``: the gateway's ``GET /v1/models`` query semantics over a built folder.

* ``GET /v1/models?provider=&page_size=&page_token=`` — answered from ``v1/models.json``
  (:mod:`~modelatlas.serve.model_index`); bad parameters → HTTP 400 with an OpenAI-style JSON error.
* ``GET /v1/models/<provider>/<upstream id>`` (``/`` may be sent as ``%2F``) → that model's record.
* Everything else → the built folder's files (``index.html`` for folders), never outside it.

Every answer carries the headers the build's ``_headers`` promises, a strong ETag and
Last-Modified (304 on a match), gzip when accepted; a rebuild is picked up without a restart
(:mod:`~modelatlas.serve.live_build`). See :mod:`~modelatlas.serve.handler` for the HTTP side.
"""

from __future__ import annotations

from pathlib import Path

from modelatlas.errors import InputError
from modelatlas.serve.connection import DEFAULT_LIMITS, Limits
from modelatlas.serve.handler import CatalogServer
from modelatlas.serve.live_build import LiveBuild

__all__ = ["CatalogServer", "make_server"]


def make_server(
    build_dir: Path,
    host: str = "127.0.0.1",
    port: int = 8080,
    quiet: bool = False,
    limits: Limits = DEFAULT_LIMITS,
) -> CatalogServer:
    """A ready server over ``build_dir`` (not yet serving); InputError if it is not a build."""
    build = LiveBuild(build_dir)
    try:
        return CatalogServer((host, port), build, quiet, limits)
    except OSError as exc:
        raise InputError(f"cannot listen on {host}:{port}: {exc.strerror}; pass another --port") from exc
