"""Where prices are read from: :func:`bundled` (the snapshot shipped in the package) or :func:`load`.

``load(source)`` takes a built folder (its ``v1/models.json``, which carries every record whole), a
data folder (``providers/<provider>.json``), or the base URL of a published build. A URL is fetched
through the project's HTTP client and a copy is kept in the cache folder (``$MODELATLAS_CACHE_DIR``,
else ``$XDG_CACHE_HOME/modelatlas``, else ``~/.cache/modelatlas``) under ``cost/``: a copy younger
than ``max_age`` seconds is used without a request; an older one is refreshed, and when the URL
cannot be read the copy is used anyway and :attr:`Prices.stale` says why. Without any copy an
unreachable URL is an error.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from modelatlas import jsonio, regular_files
from modelatlas.cost.catalog import Prices, Record
from modelatlas.cost.errors import CostError
from modelatlas.errors import InputError

MODELS_FILE = ("v1", "models.json")
CACHE_FORMAT = 1
DEFAULT_MAX_AGE = 3600.0


def _read_json(path: Path) -> Any:
    try:
        return jsonio.parse(regular_files.read_bytes(path))
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}") from None
    except ValueError as exc:
        raise InputError(f"{path} is not valid JSON ({exc}); rebuild or re-download it") from None


def _provider_files(folder: Path, source: str) -> Prices:
    """Prices over ``<folder>/<provider>.json`` provider documents, each read when first needed."""
    try:
        names = sorted(name[:-5] for name in os.listdir(folder) if name.endswith(".json"))
    except OSError as exc:
        raise InputError(f"cannot read {folder}: {exc.strerror or exc}") from None

    def read(provider: str) -> list[Record]:
        document = _read_json(folder / f"{provider}.json")
        models = document.get("models") if isinstance(document, dict) else None
        if not isinstance(models, list):
            raise InputError(f"{folder / (provider + '.json')} has no models list; is it a provider file?")
        return models

    return Prices(read, tuple(names), source)


def _models_document(document: Any, where: str, stale: str | None = None) -> Prices:
    records = document.get("data") if isinstance(document, dict) else None
    if not isinstance(records, list):
        raise InputError(f"{where} is not a models list (no data array); point at a build of modelatlas")
    return Prices.from_records(records, where, stale)


def bundled() -> Prices:
    """The committed snapshot shipped inside the package (``modelatlas/_data``)."""
    from modelatlas.bundled import data_folder

    return _provider_files(data_folder(), "the bundled snapshot")


def load(source: str | Path, *, max_age: float = DEFAULT_MAX_AGE, refresh: bool = False) -> Prices:
    """Prices from a built folder, a data folder or a published base URL (see the module doc).

    ``refresh=True`` fetches a URL even when the cached copy is young.
    """
    text = str(source)
    if text.startswith(("http://", "https://")):
        return _from_url(text, max_age, refresh)
    folder = Path(source)
    built = folder.joinpath(*MODELS_FILE)
    if built.is_file():
        return _models_document(_read_json(built), str(built))
    if (folder / "providers").is_dir():
        return _provider_files(folder / "providers", str(folder))
    raise InputError(
        f"{folder} is neither a built folder (no v1/models.json) nor a data folder (no providers/); "
        "run 'modelatlas build' or pass the folder or URL of a build"
    )


def models_url(base: str) -> str:
    """The ``v1/models.json`` under a published base URL (a URL of that file itself is kept)."""
    if base.endswith(".json"):
        return base
    return base.rstrip("/") + "/" + "/".join(MODELS_FILE)


def _cache_path(url: str) -> Path:
    from modelatlas.config import cache_folder, load_settings

    digest = hashlib.sha256(url.encode("utf-8")).hexdigest()[:24]
    return cache_folder(load_settings()) / "cost" / f"{digest}.json"


def _cached(path: Path, url: str) -> tuple[Any, datetime] | None:
    try:
        copy = jsonio.parse(regular_files.read_bytes(path))
        saved_at = datetime.fromisoformat(copy["saved_at"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if copy.get("format") != CACHE_FORMAT or copy.get("url") != url or saved_at.tzinfo is None:
        return None
    return copy.get("document"), saved_at


def _save(path: Path, url: str, document: Any, now: datetime) -> None:
    from modelatlas.datastore import write_atomic
    from modelatlas.jsonio import compact_bytes

    content = compact_bytes(
        {"document": document, "format": CACHE_FORMAT, "saved_at": now.isoformat(), "url": url}
    )
    with contextlib.suppress(OSError):  # the copy is a convenience: the prices just read are used anyway
        write_atomic(path, content)


def _from_url(base: str, max_age: float, refresh: bool) -> Prices:
    from modelatlas.config import load_settings
    from modelatlas.fetch.http import FetchError, HttpClient
    from modelatlas.fetch.providers.credentials import scrubber

    url = models_url(base)
    path = _cache_path(url)
    now = datetime.now(UTC)
    cached = _cached(path, url)
    if cached is not None and not refresh and (now - cached[1]).total_seconds() < max_age:
        return _models_document(cached[0], f"{url} (copy of {cached[1].isoformat()})")
    settings = load_settings()
    try:
        with HttpClient(settings.http, scrubber(settings)) as client:
            document = client.get_json(url)
        prices = _models_document(document, url)
    except (FetchError, InputError) as exc:
        reason = exc.reason if isinstance(exc, FetchError) else exc.message
        if cached is None:
            raise CostError(
                f"cannot load prices from {url}: {reason}; try again, or pass a built folder"
            ) from None
        stale = f"{url} could not be read ({reason}); using the copy saved at {cached[1].isoformat()}"
        return _models_document(cached[0], f"{url} (copy of {cached[1].isoformat()})", stale)
    _save(path, url, document, now)
    return prices
