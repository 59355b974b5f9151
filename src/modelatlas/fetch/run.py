"""``modelatlas fetch`` orchestration: live provider lists, public catalogs, guards, stale marks.

For each selected provider with credentials: fetch (concurrently, one thread and one HTTP client
per provider) → scrub secrets from the raw bodies → normalize → enrich through
:func:`modelatlas.fetch.refresh.refresh_provider` (the catalogs only enrich the API's list; removed
models are kept and marked) → validate → shrink guard → write. A provider without credentials is
refreshed from the public catalogs.

A provider that fails, or is held back by the shrink guard, keeps its models untouched: only the
``status`` block of its file changes (``stale: true``, ``reason``, ``last_attempt``), so the site
and ``providers.json`` show it as stale while ``last_refresh`` still says when its list was good.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from modelatlas.config import Scrubber, Settings
from modelatlas.datastore import ProviderDoc, provider_path, read_provider, serialize_provider, write_atomic
from modelatlas.errors import EXIT_FAILURE, EXIT_OK, EXIT_PARTIAL, InputError, ModelatlasError, io_error
from modelatlas.fetch.catalogs import CatalogLoad
from modelatlas.fetch.curated import load_curated
from modelatlas.fetch.http import FetchError, HttpClient, one_line
from modelatlas.fetch.outcome import FetchState, ProviderResult
from modelatlas.fetch.progress import Progress, describe_catalogs
from modelatlas.fetch.providers import credentials, registry
from modelatlas.fetch.providers.declaration import Provider, provider_config
from modelatlas.fetch.record_builder import Normalized, UpstreamShapeError
from modelatlas.fetch.refresh import refresh_provider, timestamp, validate_doc
from modelatlas.fetch.reliability import load_scores


@dataclass
class FetchReport:
    results: list[ProviderResult]
    catalogs: CatalogLoad | None = None

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


def active_ids(doc: ProviderDoc | None) -> set[str]:
    models = doc.get("models", []) if doc else []
    return {
        m["id"] for m in models if m.get("modelatlas", {}).get("lifecycle", {}).get("status") != "removed"
    }


def shrink_reason(previous: ProviderDoc | None, doc: ProviderDoc, limit: float) -> str | None:
    """Why ``doc`` must be held back (None if it may be written).

    An empty list after a non-empty one is always held back. A list that lost more than ``limit``
    of the previous active models is held back when it comes from the same kind of source (a
    provider that moves from catalogs to its own API legitimately gets a different list).
    """
    before, after = active_ids(previous), active_ids(doc)
    if not before:
        return None
    lost = len(before - after)
    if not after:
        return f"the new list is empty (had {len(before)} models)"
    same_source = (previous or {}).get("status", {}).get("source") == doc["status"]["source"]
    if same_source and lost / len(before) > limit:
        return f"the list lost {lost} of {len(before)} models ({lost * 100 // len(before)}% > {limit:.0%})"
    return None


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
        return path.read_bytes() != content
    except FileNotFoundError:
        return True


def _blocking_catalogs(previous: ProviderDoc | None, catalogs: CatalogLoad) -> list[str]:
    """Unreachable catalogs (no last good copy either) that the provider's current data came from."""
    sources = (previous or {}).get("status", {}).get("sources", [])
    return [source for source in catalogs.unavailable if source in sources]


def _note_fallbacks(doc: ProviderDoc, catalogs: CatalogLoad) -> None:
    """Say in the status block which catalogs came from their last good copy, and from when."""
    status = doc["status"]
    used = {s: catalogs.fallbacks[s][0] for s in status.get("sources", []) if s in catalogs.fallbacks}
    if used:
        status["catalog_fallbacks"] = used
        copies = ", ".join(f"{source} (copy of {saved_at})" for source, saved_at in used.items())
        status["reason"] += f"; unreachable, used their last good copy: {copies}"


def _lifecycle(model: dict[str, Any]) -> Any:
    return model.get("modelatlas", {}).get("lifecycle", {}).get("status")


def keep_skipped_parts(doc: ProviderDoc, previous: ProviderDoc | None, live: Normalized) -> None:
    """A part of the live list the provider refused (one Vertex publisher) keeps its previous
    records instead of being marked removed; the status reason says what was skipped and why."""
    before = {m["id"]: m for m in (previous or {}).get("models", [])}
    owners = set(live.keep_owned_by)
    kept = []
    for model in doc["models"]:
        old = before.get(model["id"])
        refused = old is not None and old.get("owned_by") in owners and _lifecycle(old) != "removed"
        kept.append(old if refused and _lifecycle(model) == "removed" else model)
    doc["models"] = kept
    skipped = "; ".join(f"{part}: {reason}" for part, reason in live.skipped.items())
    doc["status"]["reason"] = f"{doc['status']['reason']}; skipped {skipped}"


@dataclass(frozen=True)
class FetchRun:
    """What every provider's refresh in one ``fetch`` run shares."""

    data_dir: Path
    settings: Settings
    now: datetime
    allow_shrink: bool
    scrubber: Scrubber
    dry_run: bool = False  # everything but writing: ``changed`` says whether a file would change

    def scrub(self, text: str) -> str:
        return self.scrubber.text(text)


def _refresh_one(
    run: FetchRun, provider: str, catalogs: CatalogLoad, live: Normalized | None
) -> ProviderResult:
    data_dir, settings, scrubber = run.data_dir, run.settings, run.scrubber
    previous = read_provider(data_dir, provider)
    blocking = _blocking_catalogs(previous, catalogs)
    if blocking:  # why each is unreachable was said once, on the catalog's own line
        names = ", ".join(blocking)
        raise FetchError(f"its catalogs {names} are unreachable with no last good copy; kept its data")
    api_records = live.records if live is not None else None
    doc = refresh_provider(
        provider,
        catalogs=catalogs.records,
        curated=load_curated(data_dir, provider),
        api_records=api_records,
        previous=previous,
        now=run.now,
        scores=load_scores(data_dir),
    )
    if live is not None and live.skipped:
        keep_skipped_parts(doc, previous, live)
    _note_fallbacks(doc, catalogs)
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
    )
    held = None if run.allow_shrink else shrink_reason(previous, doc, settings.fetch.shrink_limit)
    if held:
        result.state, result.reason = (
            FetchState.HELD,
            f"held back: {held}; rerun with --allow-shrink to accept it",
        )
        return result
    content = serialize_provider(doc)
    if scrubber.leaks(content):
        raise FetchError("a credential appears in the refreshed data; nothing written")
    result.changed = _write(provider_path(data_dir, provider), content, run.dry_run)
    return result


def run_fetch(
    data_dir: Path,
    providers: Sequence[str],
    settings: Settings,
    *,
    now: datetime,
    load_catalogs: Callable[[], CatalogLoad],
    allow_shrink: bool = False,
    progress: Progress | None = None,
    dry_run: bool = False,
) -> FetchReport:
    """Refresh ``providers``; every failure is reported per provider, never raised.

    ``dry_run``: everything but writing; each result's ``changed`` says whether its file would change.
    """
    progress = progress or Progress.for_stderr()
    scrubber = credentials.scrubber(settings)
    scrub = scrubber.text
    declared = registry.by_id()
    live_providers = {p: declared[p] for p in providers if declared[p].missing_credentials(settings) is None}
    workers = max(1, min(settings.fetch.workers, len(live_providers) + 1))
    live: dict[str, Future[Normalized]] = {}
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="fetch") as pool:
        catalogs_future = pool.submit(load_catalogs)
        for provider, declaration in live_providers.items():
            progress.started(provider)
            live[provider] = pool.submit(fetch_live, declaration, settings)
        results: list[ProviderResult] = []
        try:
            catalogs = catalogs_future.result()
        except InputError:
            raise  # a catalog override pointing at a missing file is a usage error (exit 2)
        except ModelatlasError as exc:
            catalogs, catalog_error = None, scrub(exc.message)
        else:
            catalog_error = None
            for line in describe_catalogs(catalogs):
                progress.note(scrub(line))
        run = FetchRun(data_dir, settings, now, allow_shrink, scrubber, dry_run)
        for provider in providers:
            results.append(_provider_outcome(run, provider, live.get(provider), catalogs, catalog_error))
            progress.finished(results[-1])
    return FetchReport(results, catalogs)


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
