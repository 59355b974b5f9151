"""Each public catalog loaded on its own, falling back to its last good copy when it cannot be reached.

After a catalog is read and normalized, its records are saved as that catalog's last good copy in
the cache folder (:func:`~modelatlas.config.cache_folder`, from the command's settings, a config
file's ``env:`` too): ``$MODELATLAS_CACHE_DIR``, else ``$XDG_CACHE_HOME/modelatlas``, else
``~/.cache/modelatlas`` (never inside data/: the data folder holds only what is committed and
published), as ``catalogs/<source id>.json`` with the fetch time it was saved at.

When a catalog cannot be read (network, HTTP error, bad JSON) or is not usable (an answer without a
single model of its shape, such as ``{"error": ...}`` or ``[]`` with HTTP 200, or fewer than half the
models of its last good copy), that catalog alone falls back to its saved copy, which is never
overwritten by such an answer, and the others are used fresh; :attr:`CatalogLoad.fallbacks` says
which and from when, and each provider refreshed with it says so in its status block
(``catalog_fallbacks``). A catalog with no saved copy is listed in :attr:`CatalogLoad.unavailable`;
only the providers whose data came from it are held back (see :mod:`modelatlas.fetch.run`). An
empty copy is never saved nor used. A catalog override pointing at a missing local file stays a
usage error (exit 2).
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections import Counter
from collections.abc import Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import datetime
from pathlib import Path
from types import ModuleType

from modelatlas import regular_files
from modelatlas.config import HttpSettings, Scrubber, Settings, cache_folder
from modelatlas.datastore import write_atomic
from modelatlas.errors import InputError, ModelatlasError
from modelatlas.fetch.catalogs import CATALOG_MODULES, CatalogLoad, sources_for
from modelatlas.fetch.catalogs.loader import CATALOG_HTTP, missing_local_file
from modelatlas.fetch.providers import registry
from modelatlas.fetch.providers.credentials import scrubber
from modelatlas.fetch.refresh import TIMESTAMP_FORMAT, timestamp
from modelatlas.jsonio import compact_bytes, loads
from modelatlas.record import Record

CACHE_FORMAT = 1
MIN_SHARE = 0.5  # a fresh catalog with fewer models than this share of its last good copy is not used


def _copy_path(folder: Path, source: str) -> Path:
    return folder / "catalogs" / f"{source}.json"


def save_copy(folder: Path, source: str, records: dict[str, list[Record]], saved_at: str) -> None:
    """Keep ``records`` as the last good copy of catalog ``source`` (a failed write only loses the copy;
    an empty catalog is never kept)."""
    if not _count(records):
        return
    content = compact_bytes({"format": CACHE_FORMAT, "saved_at": saved_at, "records": records})
    with contextlib.suppress(OSError):  # the cache is a convenience: the refresh itself goes on
        write_atomic(_copy_path(folder, source), content)


def _is_timestamp(value: object) -> bool:
    """Whether ``value`` is a save time as :func:`~modelatlas.fetch.refresh.timestamp` writes it."""
    if not isinstance(value, str):
        return False
    try:
        datetime.strptime(value, TIMESTAMP_FORMAT)
    except ValueError:
        return False
    return True


def last_good_copy(folder: Path, source: str) -> tuple[dict[str, list[Record]], str] | None:
    """(records, saved_at) of catalog ``source``'s last good copy, or None if there is no usable one."""
    try:
        document = loads(regular_files.read_bytes(_copy_path(folder, source)))
    except (OSError, ValueError):
        return None
    if not isinstance(document, dict) or document.get("format") != CACHE_FORMAT:
        return None
    records, saved_at = document.get("records"), document.get("saved_at")
    if not isinstance(records, dict) or not _is_timestamp(saved_at) or not records:
        return None  # an empty copy, or one that does not say when it was saved, is no good copy
    if not all(isinstance(listed, list) for listed in records.values()):
        return None
    return records, saved_at


def _reason(exc: Exception) -> str:
    if isinstance(exc, ModelatlasError):
        return exc.message
    return f"internal error reading it ({type(exc).__name__}: {str(exc)[:120]})"


def _count(records: dict[str, list[Record]]) -> int:
    return sum(len(listed) for listed in records.values())


def usability_problem(records: dict[str, list[Record]], skipped: Counter[str], copy_count: int) -> str | None:
    """Why a freshly read catalog is not usable (None if it is): it must hold records (an answer
    of the wrong shape, ``{"error": ...}``, ``[]``, holds none) and at least :data:`MIN_SHARE` of
    its last good copy's."""
    count = _count(records)
    if not count:
        detail = ", ".join(f"{reason}: {n}" for reason, n in sorted(skipped.items()))
        return f"answered without a single usable model ({detail or 'not its shape'}); not used"
    if count < copy_count * MIN_SHARE:
        return f"answered with {count} models, its last good copy has {copy_count}; not used"
    return None


class CatalogLoading:
    """The catalogs a fetch needs, each loading in its own thread; :meth:`wait` for some or all.

    Each catalog is read, scrubbed of credentials, normalized and checked for usability on its own;
    one that fails (unreachable, not JSON, the wrong shape, far too few models, or a normalizer
    that raises) is replaced by its last good copy. A catalog override naming a missing local file
    is a usage error raised at once (:class:`InputError`), before any provider is refreshed.
    """

    def __init__(
        self,
        now: datetime,
        folder: Path | None = None,
        *,
        keep_copies: bool = True,
        modules: tuple[ModuleType, ...] = CATALOG_MODULES,
        scrubber: Scrubber | None = None,
        http: HttpSettings = CATALOG_HTTP,
    ) -> None:
        for module in modules:
            missing = missing_local_file(module.ENV_VAR, module.DEFAULT_URL)
            if missing:
                raise InputError(f"{module.SOURCE_ID}: {missing}")
        self._now, self._keep_copies, self._http = now, keep_copies, http
        self._folder = cache_folder() if folder is None else folder
        self._scrubber = scrubber or Scrubber(())
        pool = ThreadPoolExecutor(max_workers=len(modules) or 1, thread_name_prefix="catalog")
        self._futures = {module.SOURCE_ID: pool.submit(self._load, module) for module in modules}
        self._reported: set[str] = set()
        pool.shutdown(wait=False)

    @classmethod
    def for_providers(
        cls, providers: Iterable[str], now: datetime, settings: Settings, *, keep_copies: bool = True
    ) -> CatalogLoading:
        """The catalogs that can hold models of ``providers`` (no other is even requested), each with
        ``settings.http.catalog_deadline`` seconds in all, scrubbed of ``settings``' credentials."""
        selected = set(providers)
        wanted = set().union(*(sources_for(p) for p in registry.PROVIDERS if p.id in selected))
        modules = tuple(m for m in CATALOG_MODULES if m.SOURCE_ID in wanted)
        http = dataclasses.replace(CATALOG_HTTP, deadline=settings.http.catalog_deadline)
        return cls(now, cache_folder(settings), keep_copies=keep_copies, modules=modules,
                   scrubber=scrubber(settings), http=http)

    def newly_finished(self) -> CatalogLoad:
        """What the catalogs finished since the last call gave (what to describe on progress lines)."""
        finished = [s for s, f in self._futures.items() if f.done() and s not in self._reported]
        self._reported.update(finished)
        return self.wait(finished)

    def pending(self, sources: Iterable[str]) -> list[Future[CatalogLoad]]:
        """The loads of ``sources`` not finished yet."""
        return [f for s in sources if (f := self._futures.get(s)) is not None and not f.done()]

    def wait(self, sources: Iterable[str] | None = None) -> CatalogLoad:
        """What ``sources`` (default: every catalog) gave, each fresh or from its last good copy."""
        result = CatalogLoad(records={})
        for source in self._futures if sources is None else sources:
            if source in self._futures:
                result.merge(self._futures[source].result())
        return result

    def _load(self, module: ModuleType) -> CatalogLoad:
        source = module.SOURCE_ID
        result = CatalogLoad(records={})
        skipped: Counter[str] = Counter()
        copy = last_good_copy(self._folder, source)
        try:
            records = module.normalize(self._scrubber.value(module.load(self._http)), skipped)
            problem = usability_problem(records, skipped, _count(copy[0]) if copy else 0)
            if problem:
                raise ModelatlasError(f"{source}: {problem}")
        except Exception as exc:  # unreadable, unusable, or a normalizer that should not have raised
            reason = self._scrubber.text(_reason(exc))
            if copy is None:
                result.unavailable[source] = reason
            else:
                result.records[source], saved_at = copy
                result.fallbacks[source] = (saved_at, reason)
            return result
        result.records[source] = records
        result.skipped[source] = skipped
        if self._keep_copies:
            save_copy(self._folder, source, records, timestamp(self._now))
        return result


Catalogs = CatalogLoad | CatalogLoading  # loaded, or loading: both answer pending(), wait(), newly_finished()

