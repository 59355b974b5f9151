"""Write rendered files into the out folder: the old complete output or the new one, never a mix.

Staging strategy: under the out folder's lock, the build's complete output is assembled in a fresh
staging folder beside it (:mod:`modelatlas.render.out_folder`): each rendered file is hashed as it
streams past; one whose bytes equal what the manifest says is on disk is hard-linked from the
current output (nothing copied, its inode and mtime kept), any other is written. Files in the out
folder that no build wrote are linked across too. (In a rebuild, a process forked while the catalog
loads has already checked the current output's files and linked them into the staging folder:
:mod:`modelatlas.render.prelink`.) Once every renderer has finished, the staging
folder and the out folder are exchanged in one atomic step and the old one is removed. A failure
(or a kill) before that leaves the out folder exactly as it was; a build that changes nothing
leaves it untouched. Memory stays small: one hash per file. From 20,000 files on, a forked
process writes the manifest while this one walks the current output for files no build wrote.

The manifest ``<out>/.modelatlas-manifest.json`` maps every file this tool wrote to its size and
SHA-256, so a rebuild compares hashes instead of re-reading old files. The manifest is not trusted
over the files: a file counts as the manifest describes it only while it has the recorded size
and was not modified after the manifest was written (a file edited, replaced or deleted by hand is
rewritten). Only files listed in the manifest are ever left out of a new output.

Skipping work, not just writes: a renderer may yield a :class:`Lazy` file (an input key and a
function that renders it) instead of bytes. The manifest records each path's input key beside its
hash; a lazy file whose key equals the recorded one, and whose file passes the check above, counts
as unchanged without being rendered; runs of lazy files that must be rendered are shared with
worker processes (:func:`modelatlas.render.lazy.rendered_ahead`). The manifest also records the
whole build's input fingerprint (``inputs``), so :func:`unchanged_build` can answer a no-op rebuild
from the manifest and a ``stat`` of every file.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from modelatlas import regular_files
from modelatlas.build_folder import (
    MANIFEST_FORMAT,
    MANIFEST_NAME,
    Manifest,
    load_manifest,
)
from modelatlas.config import Scrubber
from modelatlas.cpus import computed_beside
from modelatlas.errors import InputError, io_error
from modelatlas.jsonio import compact_bytes
from modelatlas.render import side_stage
from modelatlas.render.lazy import Content, Deferred, Lazy, rendered_ahead
from modelatlas.render.out_folder import OutFolder, Staging, locked
from modelatlas.render.prelink import Prelinks
from modelatlas.render.stage_walk import StageWalk, check_relative_path, chunks_of, on_disk

__all__ = ["BuildReport", "check_relative_path", "content_bytes", "sync_output", "unchanged_build"]

MANIFEST_BATCH = 10_000  # manifest entries serialized at a time
MANIFEST_READ_BYTES = 1 << 20
MANIFEST_BESIDE_FROM = 20_000  # files from which the manifest is written by a forked process

@dataclass(frozen=True)
class BuildReport:
    written: int
    unchanged: int
    removed: int
    scrubbed: tuple[str, ...] = ()  # data files holding a credential's value (replaced by *** in the build)

    @property
    def total(self) -> int:
        return self.written + self.unchanged


def content_bytes(content: Content | Lazy | Deferred) -> bytes:
    """The bytes of one rendered file, rendering a :class:`Lazy` or :class:`Deferred` one (readers
    other than the output stage)."""
    if isinstance(content, Lazy | Deferred):
        content = content.produce()
    return b"".join(chunks_of(content))


def _manifest_pieces(manifest: Manifest) -> Iterator[bytes]:
    """The manifest's JSON (``{"format":..,"files":{path: [size, sha256(, key)]},"inputs":..}``,
    paths sorted), a batch of entries at a time: at 200k files, one ``json.dumps`` of it all held a
    fragment per value, the text and the previous manifest's text at once (the build's last peak)."""
    files = manifest.files
    yield f'{{"format":{json.dumps(MANIFEST_FORMAT)},"files":{{'.encode()
    paths = sorted(files)
    for start in range(0, len(paths), MANIFEST_BATCH):
        batch = {path: tuple(entry) if entry.key else entry[:2]
                 for path in paths[start : start + MANIFEST_BATCH] for entry in (files[path],)}
        yield (b"," if start else b"") + compact_bytes(batch)[1:-1]
    caches = {name: list(entry[:2]) for name, entry in sorted((manifest.caches or {}).items())}
    kept = f',"caches":{json.dumps(caches, separators=(",", ":"))}' if caches else ""
    yield f'}},"inputs":{json.dumps(manifest.inputs)}{kept}}}'.encode()


def _write_manifest(folder: Path, manifest: Manifest) -> str:
    """Write the manifest into ``folder``; the SHA-256 of its bytes."""
    hasher = hashlib.sha256()
    with open(folder / MANIFEST_NAME, "wb") as handle:
        for piece in _manifest_pieces(manifest):
            hasher.update(piece)
            handle.write(piece)
    return hasher.hexdigest()


@contextmanager
def _manifest_written(folder: Path, manifest: Manifest) -> Iterator[Callable[[], str]]:
    """The manifest written into ``folder`` while the block runs (by a forked process from
    :data:`MANIFEST_BESIDE_FROM` files on: at 100k models, 1.2 s of serializing while the walk of the
    current output for foreign files took 0.6 s, each on one core, at the end of every build); the
    block gets a function that waits for the SHA-256 of its bytes. A process that fails leaves the
    manifest to be written again here (the file is written whole each time)."""
    def write() -> str:
        return _write_manifest(folder, manifest)

    if len(manifest.files) < MANIFEST_BESIDE_FROM:
        yield write
        return
    with computed_beside(write) as written:
        yield written


def _file_sha256(path: Path) -> str | None:
    hasher = hashlib.sha256()
    try:
        regular_files.ensure_regular(path)
        with open(path, "rb") as handle:
            while chunk := handle.read(MANIFEST_READ_BYTES):
                hasher.update(chunk)
    except OSError:
        return None
    return hasher.hexdigest()


def manifest_time(out_dir: Path) -> int:
    """When the manifest was written (ns; 0 without one): no file written later is trusted."""
    try:
        return os.stat(out_dir / MANIFEST_NAME).st_mtime_ns
    except OSError:
        return 0


def unchanged_build(out_dir: Path, inputs: str, manifest: Manifest | None = None) -> BuildReport | None:
    """The report of a no-op rebuild if ``out_dir`` was built from exactly ``inputs`` and every file
    it lists is still there as the manifest describes it; None when a real build is needed.
    ``manifest``: the out folder's, when the caller has read it already."""
    if manifest is None:
        if not (out_dir / MANIFEST_NAME).is_file():
            return None
        manifest = load_manifest(out_dir)
    if manifest.inputs != inputs or not manifest.files:
        return None
    root, written_by = str(out_dir), manifest_time(out_dir)
    if not all(on_disk(root, rel, entry.size, written_by) for rel, entry in manifest.files.items()):
        return None
    return BuildReport(written=0, unchanged=len(manifest.files), removed=0)


def prepare_out_dir(out_dir: Path) -> None:
    """Create ``out_dir`` if needed; InputError for a file, or a folder no build wrote."""
    try:
        if out_dir.exists() and not out_dir.is_dir():
            raise InputError(f"output path {out_dir} exists and is not a folder; pass another --out")
        if out_dir.is_dir() and not (out_dir / MANIFEST_NAME).exists() and any(out_dir.iterdir()):
            raise InputError(
                f"{out_dir} is not empty and was not written by modelatlas (no {MANIFEST_NAME}); "
                "pass a new or empty --out folder, or delete this one"
            )
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise io_error("create the output folder", exc, "pass another --out") from exc


def _remove_stale_count(root: Path, stale: Iterable[str]) -> int:
    return sum(1 for rel in stale if os.path.lexists(root / rel))


def sync_output(
    out_dir: Path,
    files: Iterable[tuple[str, Content | Lazy | Deferred]],
    inputs: str | None = None,
    *,
    scrubber: Scrubber | None = None,
    folder: OutFolder | None = None,
    previous: Manifest | None = None,
    caches: Mapping[str, bytes | Deferred] | None = None,
    prelinks: Prelinks | None = None,
    deferred: side_stage.Files | None = None,
) -> BuildReport:
    """Make ``out_dir`` hold exactly ``files`` (plus the manifest and files no build wrote); see the
    module doc for how.

    ``inputs`` is the whole build's input fingerprint, recorded for :func:`unchanged_build`.
    ``scrubber`` (when the data holds a credential's value): that value is replaced in every path
    and file, and every lazy file is rendered (a kept one was written without this scrubber).
    ``folder``: the out folder's lock, when the caller already holds it.
    ``previous``: the out folder's manifest, when the caller has read it (under that lock).
    ``caches``: files kept beside the manifest for the next build (:data:`CACHE_NAMES`), by name.
    ``prelinks``: the linker of the current output's files into a staging folder, started by the
    caller (under the lock, from ``previous``: :mod:`modelatlas.render.prelink`).
    ``deferred``: the :class:`Deferred` files of ``files``, in their order, made without the others
    (:func:`modelatlas.render.deferred_files`): what the side process walks (else ``files``).
    """
    if folder is None:
        prepare_out_dir(out_dir)
        with locked(out_dir) as held:
            return sync_output(
                out_dir, files, inputs, scrubber=scrubber, folder=held, caches=caches, deferred=deferred
            )
    prepare_out_dir(out_dir)
    try:
        not_linked = prelinks.not_linked() if prelinks is not None else None
        staging = Staging(folder.root, prelinks.staging if not_linked is not None else folder.fresh_staging())
        old = previous if previous is not None else load_manifest(folder.root)
        streams = (files, files if deferred is None else deferred)
        report, changed = _stage(
            staging, folder.root, streams, inputs, scrubber, old, caches or {}, not_linked
        )
    except OSError as exc:
        folder.discard()
        raise io_error("write", exc, f"nothing in {out_dir} was changed") from exc
    except BaseException:
        folder.discard()
        raise
    try:
        if changed:
            folder.swap(staging.source_folders)
        else:
            folder.discard()
    except OSError as exc:
        folder.discard()
        raise io_error("replace the output folder", exc, f"{out_dir} still holds the previous build") from exc
    return report


def _stage(
    staging: Staging, root: Path, streams: tuple[side_stage.Files, side_stage.Files], inputs: str | None,
    scrubber: Scrubber | None, previous: Manifest, caches: Mapping[str, bytes | Deferred],
    not_linked: set[str] | None,
) -> tuple[BuildReport, bool]:
    """Assemble the new output in the staging folder; (its report, whether it differs from the current).
    ``streams``: every file, and its :class:`Deferred` files in the same order (perhaps without the others).

    The :class:`Deferred` files are staged by a second process beside this one when one may be forked
    (:mod:`modelatlas.render.side_stage`); this one stages the rest and then adds what that one staged."""
    files, deferred = streams
    old = previous.files
    listed = set(old)
    walk = StageWalk(staging, old, manifest_time(root), scrubber, not_linked, previous.caches)
    with side_stage.started(deferred, walk) as side:
        for rel, content in rendered_ahead(files, walk.needed):
            if side is not None and isinstance(content, Deferred):
                side.hold(rel, content)
                continue
            walk.take(rel, content)
        if side is not None:
            side.join(walk)
    walk.drop_stale()
    new = walk.new
    listed |= set(new)
    for name, content in caches.items():  # (with the caches renderers made: render/model_rows.py)
        walk.take_cache(name, content)
    manifest = Manifest(new, inputs, walk.caches)
    with _manifest_written(Path(staging.root), manifest) as written:
        staging.carry_foreign(listed)
        removed = _remove_stale_count(root, old)  # what is left of the old manifest is stale
        same_manifest = _file_sha256(root / MANIFEST_NAME) == written()
    changed = bool(staging.written or removed or staging.leftovers or not same_manifest)
    return BuildReport(written=staging.written, unchanged=walk.unchanged, removed=removed), changed
