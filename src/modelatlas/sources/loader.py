"""Loading one public catalog from an http(s) URL or a local file, parsed with exact decimals."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import requests

from modelatlas.errors import InputError, ModelatlasError
from modelatlas.jsonio import loads

TIMEOUT_SECONDS = (10.0, 60.0)  # connect, read
MAX_BYTES = 64 * 1024 * 1024  # the largest catalog is a few MB; refuse anything absurd


def catalog_location(env_var: str, default_url: str) -> str:
    """Where a catalog is read from: ``$env_var`` if set (URL or path), else its public URL."""
    return os.environ.get(env_var, "").strip() or default_url


def _read_url(url: str, source: str) -> bytes:
    try:
        with requests.get(url, timeout=TIMEOUT_SECONDS, stream=True) as response:
            if response.status_code != 200:
                status = response.status_code
                raise ModelatlasError(f"{source}: GET {url} answered HTTP {status}; try again later")
            chunks: list[bytes] = []
            size = 0
            for chunk in response.iter_content(chunk_size=1 << 16):
                size += len(chunk)
                if size > MAX_BYTES:
                    raise ModelatlasError(f"{source}: {url} is larger than {MAX_BYTES} bytes; refusing it")
                chunks.append(chunk)
            return b"".join(chunks)
    except requests.RequestException as exc:
        raise ModelatlasError(f"{source}: cannot GET {url}: {type(exc).__name__}; check the network") from exc


def _read_path(location: str, source: str, env_var: str) -> bytes:
    path = Path(location.removeprefix("file://"))
    try:
        if path.stat().st_size > MAX_BYTES:
            raise ModelatlasError(f"{source}: {path} is larger than {MAX_BYTES} bytes; refusing it")
        return path.read_bytes()
    except OSError as exc:
        raise InputError(
            f"{source}: cannot read {path} ({exc.strerror}); "
            f"set {env_var} to an http(s) URL or an existing file"
        ) from exc


def load_catalog(source: str, env_var: str, default_url: str) -> Any:
    """The parsed JSON of one catalog (non-integer numbers as Decimal)."""
    location = catalog_location(env_var, default_url)
    if location.startswith(("http://", "https://")):
        raw = _read_url(location, source)
    else:
        raw = _read_path(location, source, env_var)
    try:
        return loads(raw)
    except ValueError as exc:
        raise ModelatlasError(f"{source}: {location} is not valid JSON ({exc})") from exc
