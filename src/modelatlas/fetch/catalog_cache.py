"""Each public catalog loaded on its own, falling back to its last good copy when it cannot be reached.

After a catalog is read and normalized, its records are saved as that catalog's last good copy in
the cache folder: ``$MODELATLAS_CACHE_DIR``, else ``$XDG_CACHE_HOME/modelatlas``, else
``~/.cache/modelatlas`` (never inside data/: the data folder holds only what is committed and
published), as ``catalogs/<source id>.json`` with the fetch time it was saved at.

When a catalog cannot be read (network, HTTP error, bad JSON), that catalog alone falls back to its
saved copy and the others are used fresh; :attr:`CatalogLoad.fallbacks` says which and from when,
and each provider refreshed with it says so in its status block (``catalog_fallbacks``). A catalog
with no saved copy is listed in :attr:`CatalogLoad.unavailable`; only the providers whose data
came from it are held back (see :mod:`modelatlas.fetch.run`). A catalog override pointing at a
missing local file stays a usage error (exit 2).
"""

from __future__ import annotations

import contextlib
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path
from types import ModuleType

from modelatlas.config import Scrubber, Settings
from modelatlas.datastore import write_atomic
from modelatlas.errors import InputError, ModelatlasError
from modelatlas.fetch.catalogs import CATALOG_MODULES, CatalogLoad
from modelatlas.fetch.refresh import timestamp
from modelatlas.jsonio import dumps_compact, loads
from modelatlas.record import Record

CACHE_ENV = "MODELATLAS_CACHE_DIR"
CACHE_FORMAT = 1


def cache_dir() -> Path:
    """The folder holding the catalogs' last good copies (see the module doc)."""
    override = Settings.environment_value(CACHE_ENV)
    if override:
        return Path(override)
    xdg = Settings.environment_value("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "modelatlas"


def _copy_path(folder: Path, source: str) -> Path:
    return folder / "catalogs" / f"{source}.json"


def save_copy(folder: Path, source: str, records: dict[str, list[Record]], saved_at: str) -> None:
    """Keep ``records`` as the last good copy of catalog ``source`` (a failed write only loses the copy)."""
    content = dumps_compact({"format": CACHE_FORMAT, "saved_at": saved_at, "records": records})
    with contextlib.suppress(OSError):  # the cache is a convenience: the refresh itself goes on
        write_atomic(_copy_path(folder, source), content.encode("utf-8"))


def last_good_copy(folder: Path, source: str) -> tuple[dict[str, list[Record]], str] | None:
    """(records, saved_at) of catalog ``source``'s last good copy, or None if there is no usable one."""
    try:
        document = loads(_copy_path(folder, source).read_bytes())
    except (OSError, ValueError):
        return None
    if not isinstance(document, dict) or document.get("format") != CACHE_FORMAT:
        return None
    records, saved_at = document.get("records"), document.get("saved_at")
    if not isinstance(records, dict) or not isinstance(saved_at, str):
        return None
    return records, saved_at


def load_catalogs_with_fallback(
    now: datetime,
    folder: Path | None = None,
    *,
    keep_copies: bool = True,
    modules: tuple[ModuleType, ...] = CATALOG_MODULES,
    scrubber: Scrubber | None = None,
) -> CatalogLoad:
    """Every catalog, each fresh or else from its last good copy; ``keep_copies=False`` (dry runs)
    saves nothing. Raises only :class:`InputError` (a catalog override naming a missing file).

    ``scrubber`` removes credential values from each raw catalog and failure reason before anything
    else reads them (a catalog is fetched without credentials, but must not be able to echo one)."""
    folder = cache_dir() if folder is None else folder
    scrubber = scrubber or Scrubber(())
    result = CatalogLoad(records={})
    with ThreadPoolExecutor(max_workers=len(modules) or 1, thread_name_prefix="catalog") as pool:
        loads = [pool.submit(module.load) for module in modules]  # downloads overlap; order kept below
    for module, loading in zip(modules, loads, strict=True):
        source = module.SOURCE_ID
        skipped: Counter[str] = Counter()
        try:
            records = module.normalize(scrubber.value(loading.result()), skipped)
        except InputError:
            raise
        except ModelatlasError as exc:
            reason = scrubber.text(exc.message)
            copy = last_good_copy(folder, source)
            if copy is None:
                result.unavailable[source] = reason
            else:
                result.records[source], saved_at = copy
                result.fallbacks[source] = (saved_at, reason)
            continue
        result.records[source] = records
        result.skipped[source] = skipped
        if keep_copies:
            save_copy(folder, source, records, timestamp(now))
    return result
