"""``modelatlas build``: data/ → validated catalog → every renderer → output sync into the out folder.

Order of work, so that a failed build writes nothing:
1. load every registered provider's document (a provider without a file gets an empty stand-in
   whose status says "no data file") and validate them (schema + id rules); any problem stops the build here;
2. build the :class:`~modelatlas.render.catalog.Catalog` (models sorted by id, each with
   ``modelatlas.links.details`` = its JSON file; file-name collisions stop the build here), and
   link records to their canonical model (:func:`modelatlas.canonical.enrich`);
3. stream every renderer's files through :func:`modelatlas.render.output.sync_output`, which
   assembles the new output in a staging folder and swaps it in, in one step, once every renderer
   has finished (under the out folder's lock, held from the no-op check on: a second build into
   the same folder waits).

Before all that, a no-op rebuild is recognised from its inputs: the hash of every file under
data/, the options and the code fingerprint (:mod:`modelatlas.render.input_keys`). When the
manifest of the out folder records the same hash and every file it lists is still there with its
size, nothing is loaded or rendered. Otherwise per-file input keys still let unchanged model pages
skip rendering.
"""

from __future__ import annotations

import dataclasses
import gc
import hashlib
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

from modelatlas import regular_files
from modelatlas.build_folder import (
    CHECKED_CACHE_NAME,
    DOCUMENTS_CACHE_NAME,
    ROWS_CACHE_NAME,
    Manifest,
    load_manifest,
)
from modelatlas.canonical.curated import load_curated_links
from modelatlas.changes.changelog import load_changes, log_since
from modelatlas.collector import gc_paused, into_oldest_generation
from modelatlas.cpus import computed_beside
from modelatlas.datastore import ProviderDoc
from modelatlas.errors import InputError, ModelatlasError
from modelatlas.fetch.providers.credentials import credential_files, process_scrubber
from modelatlas.filenames import FilenameCollision, check_unique
from modelatlas.pagination import MAX_BUILD_PAGE_SIZE
from modelatlas.record import Record
from modelatlas.render import RENDERER_MODULES, deferred_files, prelink, renderers, templates
from modelatlas.render.catalog import Catalog
from modelatlas.render.input_keys import code_fingerprint, input_key
from modelatlas.render.kept_rows import KeptRows
from modelatlas.render.kept_templates import compiled_meanwhile
from modelatlas.render.lazy import Deferred
from modelatlas.render.link_cache import KeptLinks
from modelatlas.render.links import normalize_base_url
from modelatlas.render.out_folder import locked
from modelatlas.render.output import BuildReport, manifest_time, sync_output, unchanged_build
from modelatlas.validate import KeptChecks, KeptDocuments, check_data_beside
from modelatlas.validate.checks import Problem

__all__ = ["BuildReport", "assemble", "load_catalog", "model_details_path"]

SHOWN_PROBLEMS = 3
INTERN_MAX = 80
NO_FULL_COLLECTIONS = 1 << 30  # young collections between two full ones: never, in practice
YOUNG_OBJECTS = 200_000  # containers made between two young collections in the output stage (Python: 700)
# Fields whose values are flat objects or arrays with one JSON type per member (per the schema).
SHARED_FIELDS = frozenset({
    "architecture", "pricing", "top_provider", "per_request_limits", "supported_parameters",
    "supported_methods", "provenance", "capabilities", "extra_pricing", "lifecycle",
})


def model_details_path(provider: str, filename: str) -> str:
    """The per-model JSON file, relative to the build root."""
    return f"v1/model/{provider}/{filename}.json"


def _shared_key(key: str, value: dict[str, Any] | list[Any]) -> tuple[Any, ...]:
    """A hashable stand-in for a schema-typed value (one JSON type per field, so True vs 1 cannot mix)."""
    if isinstance(value, list):
        return (key, "[", *value)
    return (key, *((k, tuple(v) if isinstance(v, list) else v) for k, v in value.items()))


def share_repeated_values(doc: dict[str, Any]) -> None:
    """Shrink one provider's records in memory (what lets 100k models fit in a few hundred MB).

    Values that repeat across records (provenance maps, capabilities, architecture, prices,
    supported parameters, ...: :data:`SHARED_FIELDS`) become one shared object per distinct value,
    and short strings are interned. Records must therefore be treated as read-only by renderers
    (they are pure functions of the catalog anyway).
    """
    shared: dict[tuple[Any, ...], Any] = {}
    # By identity first: the parser already made most equal flat values one object. Every value met
    # here was made before this loop and is alive while met, so no two share an id.
    known: dict[int, Any] = {}
    for model in doc["models"]:
        for owner in (model, model["modelatlas"]):
            for key, value in owner.items():
                if type(value) is str:
                    if len(value) <= INTERN_MAX:
                        owner[key] = sys.intern(value)
                elif key in SHARED_FIELDS:
                    found = known.get(id(value))
                    if found is None:
                        found = known[id(value)] = shared.setdefault(_shared_key(key, value), value)
                    owner[key] = found


def _check_page_size(page_size: int) -> None:
    if not 1 <= page_size <= MAX_BUILD_PAGE_SIZE:
        raise InputError(f"--page-size must be between 1 and {MAX_BUILD_PAGE_SIZE}, got {page_size}")


def data_fingerprint(data_dir: Path) -> bytes:
    """Hash of every file under ``data_dir`` (relative path, size and bytes, in sorted order)."""
    hasher = hashlib.blake2b(digest_size=16)
    files: list[tuple[str, str]] = []
    for folder, subfolders, names in os.walk(data_dir):
        subfolders.sort()
        for name in names:
            path = os.path.join(folder, name)
            files.append((os.path.relpath(path, data_dir).replace(os.sep, "/"), path))
    for rel, path in sorted(files):
        try:
            content = regular_files.read_bytes(Path(path))
        except (regular_files.NotRegularFile, FileNotFoundError) as exc:  # a pipe; a link to nothing
            raise InputError(f"cannot read {path}: {exc.strerror}; restore it or remove it") from None
        hasher.update(f"\0{rel}\0{len(content)}\0".encode())
        hasher.update(content)
    return hasher.digest()


def build_inputs(
    data_dir: Path, page_size: int, renderer_names: Iterable[str], base_url: str | None = None
) -> str:
    """The whole build's input fingerprint: data files, options, renderers and code."""
    options = f"page_size={page_size};renderers={','.join(renderer_names)};base_url={base_url}".encode()
    return input_key("build", data_fingerprint(data_dir), options)


def load_catalog(
    data_dir: Path, page_size: int = 100, base_url: str | None = None, links: KeptLinks | None = None,
    kept_rows: KeptRows | None = None, sound_folder: Callable[[], None] = lambda: None,
    checks: KeptChecks | None = None, documents: KeptDocuments | None = None,
) -> Catalog:
    """The validated catalog of ``data_dir``; ModelatlasError (exit 1) naming the first problems.

    The documents are checked in forked processes while the catalog is made
    (:func:`~modelatlas.validate.check_data_beside`); an error met meanwhile gives way to their problems.
    ``sound_folder`` raises if the folder as a whole is not sound
    (:func:`~modelatlas.validate.data_folder.sound_folder_beside`): its error comes first of all.
    ``links``: the previous build's canonical links, reused if they are still these records' (and
    this build's kept for the next); without it, records are linked from scratch. ``kept_rows``: the
    previous build's model table rows (:attr:`Catalog.kept_rows`). ``checks``: the records the
    previous build checked, not checked again (and this build's, kept for the next). ``documents``: the
    documents the previous build parsed, taken where the bytes allow (and this build's, kept for the next)."""
    _check_page_size(page_size)
    try:
        with check_data_beside(data_dir, share_repeated_values, checks, documents) as (docs, pending):
            try:
                catalog = _catalog(data_dir, docs, page_size, base_url, links or KeptLinks(), kept_rows)
            except Exception:
                _stop_on_problems(pending.report().problems)
                raise
            _stop_on_problems(pending.report().problems)
    except Exception:
        sound_folder()
        raise
    sound_folder()
    return catalog


def _stop_on_problems(problems: list[Problem]) -> None:
    if problems:
        shown = "; ".join(str(problem) for problem in problems[:SHOWN_PROBLEMS])
        more = len(problems) - SHOWN_PROBLEMS
        suffix = f" (and {more} more; run 'modelatlas validate' for all)" if more > 0 else ""
        raise ModelatlasError(f"data failed validation, nothing written: {shown}{suffix}") from None


def _catalog(
    data_dir: Path, docs: dict[str, ProviderDoc], page_size: int, base_url: str | None, kept: KeptLinks,
    kept_rows: KeptRows | None,
) -> Catalog:
    curated_links = load_curated_links(data_dir)
    models: list[Record] = []
    for provider, doc in docs.items():
        upstream_ids = [model["modelatlas"]["upstream_id"] for model in doc["models"]]
        try:
            names = check_unique(upstream_ids)
        except FilenameCollision as exc:
            raise ModelatlasError(f"provider {provider}: {exc}; rename one of them in data/") from exc
        for model in doc["models"]:
            extension = model["modelatlas"]
            links = dict(extension.get("links", {}))  # a copy: flat objects are shared when parsed
            links["details"] = model_details_path(provider, names[extension["upstream_id"]])
            extension["links"] = links
            models.append(model)
    models.sort(key=lambda model: model["id"])
    canonical = kept.enrich(models, curated_links)
    changes = load_changes(data_dir)
    refreshed = [str(doc.get("status", {}).get("last_refresh", "")) for doc in docs.values()]
    snapshot_day = max((stamp[:10] for stamp in refreshed if stamp), default=None)
    return Catalog(
        providers=docs,
        models=models,
        page_size=page_size,
        changes=changes,
        changes_since=log_since(data_dir, changes, snapshot_day),
        canonical=canonical,
        base_url=base_url,
        kept_rows=kept_rows,
    )


@contextmanager
def kept_out_of_collections() -> Iterator[None]:
    """The cyclic garbage collector during the output stage. Every object alive on entry (the loaded
    catalog, the previous manifest, the renderers) is skipped by it until the block ends: its full
    collections walked every record again and again (about a sixth of a 1% rebuild at 10k models).
    Full collections are off too, and young ones run once per :data:`YOUNG_OBJECTS` containers made
    (and not yet freed), not 700: the stage makes almost no cyclic garbage (a 10k full build's young
    collections found 1,475 objects, its full ones none); each full one walked every manifest entry
    made so far (a tuple subclass, which the collector never untracks): 34 of them, 1.6 s of a 100k
    rebuild's build process, in every process of the stage; and the young ones, with their middle
    generation, were 4% of a snapshot build's CPU (interleaved, ten builds each: 2.618 -> 2.502 s);
    at 50,000, a snapshot build's process and its main worker still ran one each, 9-34 ms, of
    objects the stage keeps (its caches), finding 500-2,000 garbage objects. Everything it made is
    frozen too before the collector is given back: the first allocation after would otherwise start
    a young collection of all of it (19-46 ms at the end of a snapshot build, which then exits).
    Enter it while collections are paused after loading (:func:`gc_paused`): resumed earlier, their
    first rounds walk everything loaded (more than the renderers' imports themselves at 100k)."""
    threshold = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(YOUNG_OBJECTS, threshold[1], NO_FULL_COLLECTIONS)
    try:
        yield
    finally:
        into_oldest_generation()  # what the stage made too: no young collection walks it as the build ends
        gc.set_threshold(*threshold)


def assemble(
    data_dir: Path,
    out_dir: Path,
    page_size: int = 100,
    renderer_names: Iterable[str] = RENDERER_MODULES,
    base_url: str | None = None,
    on_wait: Callable[[], None] | None = None,
    sound_folder: Callable[[], None] = lambda: None,
    hold: Callable[[Catalog], None] = lambda catalog: None,
    templates_cache: Path | None = None,
) -> BuildReport:
    """Build ``out_dir`` from ``data_dir``; returns how many files were written, unchanged, removed.

    ``renderer_names`` narrows the renderers (tests of one renderer); the default runs them all.
    ``sound_folder`` raises if the data folder as a whole is not sound (see :func:`load_catalog`).
    ``base_url`` (see :func:`modelatlas.render.links.normalize_base_url`) makes every link absolute.
    ``on_wait`` is called once if another build holds ``out_dir``; this one then waits for it.
    ``hold`` is given the loaded catalog, for a caller that keeps it past the return: the command
    line, which ends the process right after without freeing it (freed object by object on return,
    a 100k catalog took 0.4 s; the kernel drops it at once).
    ``templates_cache``: a folder where the compiled site templates are kept for the next build of the
    same code (:mod:`~modelatlas.render.kept_templates`; the command line's cache folder); None
    compiles them afresh.
    """
    _check_page_size(page_size)
    base_url = normalize_base_url(base_url)
    renderer_names = tuple(renderer_names)
    # Data holding a credential's value (committed before it was declared, or edited in) is built
    # with that value replaced everywhere, and never from what an earlier build kept.
    secrets = process_scrubber()
    leaked = credential_files(data_dir, secrets)
    hashed = data_dir.is_dir() and not leaked

    def inputs_of_data() -> str:
        return build_inputs(data_dir, page_size, renderer_names, base_url) if hashed else ""

    # One build per out folder, from the no-op check on.
    with locked(out_dir, on_wait) as folder, ExitStack() as output_stage:
        # Reading the manifest, loading and importing make no garbage cycles: collections would
        # only walk what they make (a third of the time of reading a 100k build's manifest).
        with gc_paused():
            # The data is hashed in a forked process while the manifest is read: 0.6 s each at 100k
            # models. A build can be a no-op only where the previous one recorded its inputs: only
            # then does it wait for the hash here; a first build loads meanwhile and takes it last.
            inputs_when_hashed = output_stage.enter_context(computed_beside(inputs_of_data))
            code_fingerprint()  # every input key starts with it: made here too, meanwhile
            previous = load_manifest(out_dir) if out_dir.is_dir() else Manifest({})  # read once
            if previous.inputs is not None and (inputs := inputs_when_hashed() or None) is not None:
                report = unchanged_build(out_dir, inputs, previous)
                if report is not None:
                    sound_folder()
                    return report
            # Links hold ids and names: never kept from, or for, data holding a credential's value.
            links = KeptLinks() if leaked else KeptLinks(out_dir, previous.caches)
            # The records checked: never kept for data holding a credential's value either.
            checked = previous.cache(CHECKED_CACHE_NAME)
            checks = None if leaked else KeptChecks(code_fingerprint(), out_dir, checked)
            # The documents as parsed: never kept from, or for, data holding a credential's value either.
            documents = None if leaked else KeptDocuments(code_fingerprint(), out_dir)
            if documents is not None:
                output_stage.callback(documents.close)
            # Data holding a credential's value renders every file anew: nothing to link ahead.
            to_link = {} if leaked else previous.files
            prelinks = output_stage.enter_context(prelink.started(folder, to_link, manifest_time(out_dir)))
            # The model tables' rows: never kept from, or for, data holding a credential's value.
            rows = None if leaked else KeptRows.read(out_dir, previous.cache(ROWS_CACHE_NAME))
            if rows is not None:
                output_stage.callback(rows.close)
            # The site's templates: kept compiled by an earlier build of this code, else compiled
            # meanwhile, on the core the loading leaves idle (and kept for the next).
            with compiled_meanwhile(templates_cache) as compiled:
                catalog = load_catalog(
                    data_dir, page_size, base_url, links, rows, sound_folder, checks, documents
                )
                hold(catalog)
                templates.use_compiled(compiled())
            modules = renderers(renderer_names)
            inputs = inputs_when_hashed() or None
            output_stage.enter_context(kept_out_of_collections())
        files = (item for module in modules for item in module.render(catalog))
        caches: dict[str, bytes | Deferred] = {} if checks is None else {**links.caches, **checks.caches}
        if documents is not None and documents.writer is not None:  # written by the checker meanwhile
            caches[DOCUMENTS_CACHE_NAME] = Deferred(documents.written, cache=True)
        report = sync_output(
            out_dir, files, inputs, scrubber=secrets if leaked else None, folder=folder,
            previous=previous, caches=caches, prelinks=prelinks, deferred=deferred_files(modules, catalog),
        )
    return dataclasses.replace(report, scrubbed=leaked)
