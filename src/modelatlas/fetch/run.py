"""``modelatlas fetch`` orchestration: live provider lists, public catalogs, guards, stale marks.

For each selected provider with credentials: fetch (concurrently, one thread and one HTTP client
per provider) → scrub secrets from the raw bodies → normalize → enrich through
:func:`modelatlas.fetch.refresh.refresh_provider` (the catalogs only enrich the API's list; removed
models are kept and marked) → validate → shrink guard → write. A provider without credentials is
refreshed from the public catalogs.

Each provider is refreshed as soon as its live list and the catalogs it appears in are in
(:func:`modelatlas.fetch.catalogs.sources_for`): a slow catalog never holds up a provider it has no
models of. A provider that fails, or is held back by the shrink guard
(:mod:`modelatlas.fetch.shrink_guard`), keeps its models untouched: only the
``status`` block of its file changes (``stale: true``, ``reason``, ``last_attempt``), so the site
and ``providers.json`` show it as stale while ``last_refresh`` still says when its list was good.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Collection, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from modelatlas import regular_files
from modelatlas.config import Scrubber, Settings
from modelatlas.datastore import ProviderDoc, provider_path, read_provider, serialize_provider, write_atomic
from modelatlas.errors import EXIT_FAILURE, EXIT_OK, EXIT_PARTIAL, InputError, ModelatlasError, io_error
from modelatlas.fetch.catalog_cache import Catalogs
from modelatlas.fetch.catalogs import CatalogLoad, sources_for
from modelatlas.fetch.curated import load_curated
from modelatlas.fetch.http import FetchError, HttpClient, one_line
from modelatlas.fetch.lifecycle_tables import load_table
from modelatlas.fetch.outcome import FetchState, ProviderResult
from modelatlas.fetch.progress import Progress, describe_catalogs
from modelatlas.fetch.provider_lists import live_list, load_list, next_list, write_list
from modelatlas.fetch.providers import credentials, registry
from modelatlas.fetch.providers.declaration import Provider, provider_config
from modelatlas.fetch.record_builder import Normalized, UpstreamShapeError
from modelatlas.fetch.refresh import catalog_dates, refresh_provider, timestamp, validate_doc
from modelatlas.fetch.reliability import load_scores
from modelatlas.fetch.shrink_guard import held_reason
from modelatlas.fetch.status_notes import keep_skipped_parts, note_fallbacks, note_rejected_records


@dataclass
class FetchReport:
    results: list[ProviderResult]

    @property
    def exit_code(self) -> int:
        fresh = sum(r.state is FetchState.FRESH for r in self.results)
        if fresh == len(self.results):
            return EXIT_OK
        return EXIT_PARTIAL if fresh else EXIT_FAILURE


def fetch_live(provider: Provider, settings: Settings) -> Normalized:
    """One provider's live list: fetch through a fresh client (own deadline), then normalize."""
    config = provider_config(provider, settings)
    scrubber = credentials.scrubber(settings)
    with HttpClient(settings.http, scrubber) as client:
        pages = scrubber.value(provider.fetch(client, config))  # before any text is cut or parsed
    try:
        return provider.normalize(pages)
    except UpstreamShapeError as exc:
        raise FetchError(f"unexpected response shape: {exc}") from None


def mark_stale(data_dir: Path, provider: str, reason: str, now: datetime, dry_run: bool = False) -> bool:
    """Set ``stale``/``reason``/``last_attempt`` in the provider's status; models stay untouched."""
    previous = read_provider(data_dir, provider)
    if previous is None or not isinstance(previous.get("status"), dict):
        return False
    doc = copy.copy(previous)
    doc["status"] = {**previous["status"], "stale": True, "reason": reason, "last_attempt": timestamp(now)}
    return _write(provider_path(data_dir, provider), serialize_provider(doc), dry_run)


def _write(path: Path, content: bytes, dry_run: bool) -> bool:
    """Write ``content`` (a dry run only compares); whether the file changes."""
    if not dry_run:
        return write_atomic(path, content)
    try:
        return regular_files.read_bytes(path) != content
    except (FileNotFoundError, regular_files.NotRegularFile):
        return True


def _blocking_catalogs(previous: ProviderDoc | None, catalogs: CatalogLoad) -> list[str]:
    """Unreachable catalogs (no last good copy either) that the provider's current data came from."""
    sources = (previous or {}).get("status", {}).get("sources", [])
    return [source for source in catalogs.unavailable if source in sources]


@dataclass(frozen=True)
class FetchRun:
    """What every provider's refresh in one ``fetch`` run shares."""

    data_dir: Path
    settings: Settings
    now: datetime
    allow_shrink: bool
    scrubber: Scrubber
    allow_mass_removal: frozenset[str] = frozenset()  # providers named by --allow-mass-removal
    dry_run: bool = False  # everything but writing: ``changed`` says whether a file would change

    def scrub(self, text: str) -> str:
        return self.scrubber.text(text)

    @property
    def today(self) -> date:
        """The run's day (``--now``, in UTC)."""
        return date.fromisoformat(timestamp(self.now)[:10])


def _refresh_one(
    run: FetchRun, provider: str, catalogs: CatalogLoad, live: Normalized | None
) -> ProviderResult:
    data_dir, settings, scrubber = run.data_dir, run.settings, run.scrubber
    previous = read_provider(data_dir, provider)
    blocking = _blocking_catalogs(previous, catalogs)
    if blocking:  # why each failed was said once, on the catalog's own line
        names = ", ".join(blocking)
        raise FetchError(f"its catalogs {names} failed (see their lines), no last good copy; kept its data")
    api_records = live.records if live is not None else None
    recorded = load_list(data_dir, provider)
    doc = refresh_provider(
        provider,
        catalogs=catalogs.records,
        curated=load_curated(data_dir, provider),
        api_records=api_records,
        previous=previous,
        now=run.now,
        dates=catalog_dates(run.today, catalogs.fallbacks),
        provider_list=recorded,
        lifecycle=load_table(data_dir, provider),
        scores=load_scores(data_dir),
    )
    if live is not None and live.skipped:
        keep_skipped_parts(doc, previous, live)
    if live is not None and live.rejected_ids:
        note_rejected_records(doc, live.rejected_ids)
    note_fallbacks(doc, catalogs)
    doc = scrubber.value(doc)
    validate_doc(doc)
    status = doc["status"]
    result = ProviderResult(
        provider,
        FetchState.FRESH,
        status.get("reason", ""),
        status["source"],
        status["count"],
        rejected=list(live.rejected) if live else [],
        curated_unused=[f"entry {u['entry']} ({u['model']})" for u in status.get("curated_unused", [])],
    )
    held = held_reason(
        previous,
        doc,
        settings.fetch.shrink_limit,
        allow_shrink=run.allow_shrink,
        allow_mass=provider in run.allow_mass_removal,
    )
    if held:
        result.state, result.reason = FetchState.HELD, held
        return result
    content = serialize_provider(doc)
    if scrubber.leaks(content):
        raise FetchError("a credential appears in the refreshed data; nothing written")
    result.changed = _write(provider_path(data_dir, provider), content, run.dry_run)
    if live is not None and not run.dry_run:
        list_url = registry.declared(provider).list_url
        fetched = live_list(provider, list_url, live.records, live.skipped, run.today)
        write_list(data_dir, next_list(recorded, fetched))
    return result


def run_fetch(
    data_dir: Path,
    providers: Sequence[str],
    settings: Settings,
    *,
    now: datetime,
    load_catalogs: Callable[[], Catalogs],
    allow_shrink: bool = False,
    allow_mass_removal: Collection[str] = (),
    progress: Progress | None = None,
    dry_run: bool = False,
) -> FetchReport:
    """Refresh ``providers``; every failure is reported per provider, never raised.

    ``load_catalogs`` gives the catalogs, loaded (a :class:`CatalogLoad`) or loading (a
    :class:`~modelatlas.fetch.catalog_cache.CatalogLoading`); it may raise :class:`InputError` only,
    as this does for a bad ``$MODELATLAS_SOURCE_DATES``. Each catalog is dated by
    :func:`~modelatlas.fetch.refresh.catalog_dates`.
    ``dry_run``: everything but writing; each result's ``changed`` says whether its file would change.
    """
    progress = progress or Progress.for_stderr()
    scrubber = credentials.scrubber(settings)
    declared = registry.by_id()
    live_providers = {p: declared[p] for p in providers if declared[p].missing_credentials(settings) is None}
    workers = max(1, min(settings.fetch.workers, len(live_providers)))
    run = FetchRun(data_dir, settings, now, allow_shrink, scrubber, frozenset(allow_mass_removal), dry_run)
    catalog_dates(run.today)  # a bad $MODELATLAS_SOURCE_DATES is a usage error before any work (exit 2)
    try:
        catalogs: Catalogs | None = load_catalogs()
        catalog_error = None
    except InputError:
        raise  # a catalog override pointing at a missing file is a usage error (exit 2)
    except ModelatlasError as exc:
        catalogs, catalog_error = None, scrubber.text(exc.message)
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="fetch") as pool:
        live: dict[str, Future[Normalized]] = {}
        for provider, declaration in live_providers.items():
            progress.started(provider)
            live[provider] = pool.submit(fetch_live, declaration, settings)
        waiting = Waiting(providers, live, catalogs, {p: sources_for(declared[p]) for p in providers})
        results: dict[str, ProviderResult] = {}
        while len(results) < len(providers):
            if catalogs is not None:
                for line in describe_catalogs(catalogs.newly_finished()):
                    progress.note(scrubber.text(line))
            ready = waiting.ready(results)
            if not ready:
                waiting.block(results)
                continue
            for provider in ready:
                partial = catalogs.wait(waiting.sources[provider]) if catalogs is not None else None
                outcome = _provider_outcome(run, provider, live.get(provider), partial, catalog_error)
                progress.finished(outcome)
                results[provider] = outcome
    return FetchReport([results[p] for p in providers])


@dataclass
class Waiting:
    """What each provider's refresh waits for: its live list (if fetched) and its catalogs."""

    providers: Sequence[str]
    live: dict[str, Future[Normalized]]
    catalogs: Catalogs | None
    sources: dict[str, frozenset[str]]

    def _pending(self, provider: str) -> list[Future[Any]]:
        own = self.live.get(provider)
        pending: list[Future[Any]] = [own] if own is not None and not own.done() else []
        if self.catalogs is not None:
            pending += self.catalogs.pending(self.sources[provider])
        return pending

    def ready(self, done: Collection[str]) -> list[str]:
        """The providers not done yet with nothing left to wait for, in the given order."""
        return [p for p in self.providers if p not in done and not self._pending(p)]

    def block(self, done: Collection[str]) -> None:
        """Wait until something a provider not done yet waits for finishes."""
        pending = {f for p in self.providers if p not in done for f in self._pending(p)}
        wait(pending, return_when=FIRST_COMPLETED)


def _provider_outcome(
    run: FetchRun,
    provider: str,
    future: Future[Normalized] | None,
    catalogs: CatalogLoad | None,
    catalog_error: str | None,
) -> ProviderResult:
    scrub = run.scrub
    source = "provider_api" if future is not None else "public_catalogs"
    try:
        normalized = future.result() if future is not None else None
        if catalogs is None:
            raise FetchError(f"public catalogs unavailable: {catalog_error}")
        result = _refresh_one(run, provider, catalogs, normalized)
    except FetchError as exc:
        result = ProviderResult(
            provider,
            FetchState.FAILED,
            f"{'live' if future else 'catalog'} refresh failed: {exc.reason}",
            source,
        )
    except ModelatlasError as exc:
        result = ProviderResult(provider, FetchState.FAILED, f"refresh failed: {exc.message}", source)
    except OSError as exc:  # the data folder cannot be read or written
        result = ProviderResult(provider, FetchState.FAILED, io_error("read or write", exc).message, source)
    except Exception as exc:  # a bug or unforeseen data must not take the other providers down
        result = ProviderResult(
            provider, FetchState.FAILED, f"internal error ({type(exc).__name__}): {exc}", source
        )
    result.reason = one_line(scrub(result.reason), 400)
    result.rejected = [one_line(scrub(reason), 200) for reason in result.rejected]
    if result.state is not FetchState.FRESH:
        try:
            mark_stale(run.data_dir, provider, result.reason, run.now, run.dry_run)
        except (OSError, ModelatlasError) as exc:
            result.reason += f" (could not mark stale: {one_line(scrub(str(exc)), 120)})"
    return result
