"""Loading one public catalog from an http(s) URL or a local file, parsed with exact decimals."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from modelatlas import regular_files
from modelatlas.config import HttpSettings, Settings
from modelatlas.errors import InputError, ModelatlasError
from modelatlas.fetch.http import FetchError, HttpClient
from modelatlas.jsonio import loads

# The largest catalog is a few MB; anything past this cap is refused. ``deadline`` is the whole
# catalog's (every file and retry); ``modelatlas fetch`` sets it from the catalog_deadline setting.
CATALOG_HTTP = HttpSettings(
    connect_timeout=10.0, read_timeout=60.0, retries=2, deadline=180.0, max_response_mb=64
)
MAX_BYTES = CATALOG_HTTP.max_response_bytes


def catalog_location(env_var: str, default_url: str) -> str:
    """Where a catalog is read from: ``$env_var`` if set (URL or path), else its public URL."""
    return Settings.environment_value(env_var) or default_url


def _get_url(url: str, source: str, http: HttpSettings) -> Any:
    """The parsed body, through the shared HTTP client (timeouts, retries, size cap); a catalog gets
    no credential, but its error messages pass the credential scrubber all the same."""
    # Imported here: the registry imports a provider module that imports the catalogs.
    from modelatlas.fetch.providers.credentials import process_scrubber

    with HttpClient(http, process_scrubber()) as client:
        try:
            return client.get_json(url)
        except FetchError as exc:
            raise ModelatlasError(f"{source}: {exc.reason}; check the network or the URL") from exc


def _read_path(location: str, source: str, env_var: str) -> bytes:
    path = Path(location.removeprefix("file://"))
    try:
        if path.stat().st_size > MAX_BYTES:
            raise ModelatlasError(f"{source}: {path} is larger than {MAX_BYTES} bytes; refusing it")
        return regular_files.read_bytes(path)  # a device's size is 0: it is refused, not read
    except OSError as exc:
        raise InputError(
            f"{source}: cannot read {path} ({exc.strerror}); "
            f"set {env_var} to an http(s) URL or an existing file"
        ) from exc


def load_catalog(source: str, env_var: str, default_url: str, http: HttpSettings = CATALOG_HTTP) -> Any:
    """The parsed JSON of one catalog (non-integer numbers as Decimal)."""
    location = catalog_location(env_var, default_url)
    if location.startswith(("http://", "https://")):
        return _get_url(location, source, http)
    raw = _read_path(location, source, env_var)
    try:
        return loads(raw)
    except ValueError as exc:
        raise ModelatlasError(f"{source}: {location} is not valid JSON ({exc})") from exc


def load_catalog_part(
    source: str, env_var: str, default_base: str, relative: str, http: HttpSettings = CATALOG_HTTP
) -> Any:
    """The parsed JSON of one file of a catalog published as a folder of files.

    ``$env_var`` (else ``default_base``) is an http(s) base URL or a local folder; ``relative``
    (``pricing/openai.json``) is joined to it.
    """
    base = catalog_location(env_var, default_base)
    if base.startswith(("http://", "https://")):
        return _get_url(f"{base.rstrip('/')}/{relative}", source, http)
    location = str(Path(base.removeprefix("file://")) / relative)
    try:
        return loads(_read_path(location, source, env_var))
    except ValueError as exc:
        raise ModelatlasError(f"{source}: {location} is not valid JSON ({exc})") from exc


def missing_local_file(env_var: str, default_url: str) -> str | None:
    """The one-line error for a catalog override naming a local path that does not exist (else None)."""
    location = catalog_location(env_var, default_url)
    if location.startswith(("http://", "https://")):
        return None
    path = Path(location.removeprefix("file://"))
    if path.exists():
        return None
    return f"cannot read {path} (no such file or folder); set {env_var} to an http(s) URL or an existing file"
