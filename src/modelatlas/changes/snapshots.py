"""Resolve a diff side (OLD or NEW) into a catalog snapshot: a data folder, a built folder, or a git revision.

A *snapshot* is every model record of the catalog keyed by id, plus each provider's status block
(when known). ``modelatlas diff``, ``history`` and ``publish`` all read snapshots through here.

* a data folder: a folder holding ``providers/<p>.json`` (or a repository root holding ``data/providers``);
* a built folder: a folder holding ``v1/models.json`` (or only the per-provider ``v1/models/<p>.json``);
* a git revision of the repository: ``HEAD~1``, a tag, a commit, or a date (``2026-11-20``, resolved with
  ``git rev-list -1 --before=DATE HEAD``); its ``data/providers/*.json`` are read with ``git cat-file``.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from modelatlas import datastore
from modelatlas.errors import InputError
from modelatlas.ids import provider_ids
from modelatlas.jsonio import loads
from modelatlas.record import Record

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2})?)?(Z|[+-]\d{2}:?\d{2})?$")


@dataclass
class Snapshot:
    """The models of one catalog state keyed by id, with provider status blocks where known."""

    label: str
    models: dict[str, Record] = field(default_factory=dict)
    statuses: dict[str, dict[str, Any]] = field(default_factory=dict)


def snapshot_from_docs(label: str, docs: dict[str, dict[str, Any]]) -> Snapshot:
    snapshot = Snapshot(label)
    for provider, doc in docs.items():
        if isinstance(doc.get("status"), dict):
            snapshot.statuses[provider] = doc["status"]
        for record in doc.get("models") or []:
            if isinstance(record, dict) and isinstance(record.get("id"), str):
                snapshot.models[record["id"]] = record
    return snapshot


def _built_models(folder: Path) -> list[Record]:
    whole = folder / "v1" / "models.json"
    paths = [whole] if whole.is_file() else [folder / "v1" / "models" / f"{p}.json" for p in provider_ids()]
    records: list[Record] = []
    for path in paths:
        if not path.is_file():
            continue
        try:
            document = loads(path.read_bytes())
        except (OSError, ValueError) as exc:
            raise InputError(
                f"{path}: not a readable JSON list response ({exc}); rebuild it with 'modelatlas build'"
            ) from exc
        data = document.get("data") if isinstance(document, dict) else None
        if not isinstance(data, list):
            raise InputError(f"{path}: no 'data' list; is this a modelatlas build folder?")
        records.extend(r for r in data if isinstance(r, dict))
    return records


def load_folder(folder: Path) -> Snapshot:
    """A snapshot from a data folder or a built folder on disk."""
    # A built folder first: the HTML site has a providers/ folder of its own.
    if (folder / "v1" / "models.json").is_file() or (folder / "v1" / "models").is_dir():
        snapshot = Snapshot(str(folder))
        for record in _built_models(folder):
            if isinstance(record.get("id"), str):
                snapshot.models[record["id"]] = record
        return snapshot
    if (folder / "providers").is_dir():
        return snapshot_from_docs(str(folder), datastore.load_all(folder))
    if (folder / "data" / "providers").is_dir():
        return snapshot_from_docs(str(folder), datastore.load_all(folder / "data"))
    raise InputError(
        f"{folder} is neither a data folder (providers/*.json) nor a built folder (v1/models.json)"
    )


class GitRepo:
    """Read-only access to the files of a git repository at any revision (one ``cat-file`` process)."""

    def __init__(self, path: Path) -> None:
        top = self._run(
            ["rev-parse", "--show-toplevel"], cwd=path, what=f"{path} is not inside a git repository"
        )
        self.root = Path(top.strip())
        self._batch: subprocess.Popen[bytes] | None = None

    @staticmethod
    def _run(args: list[str], cwd: Path, what: str) -> str:
        try:
            done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False)
        except FileNotFoundError as exc:
            raise InputError("git is not installed; install git to diff revisions") from exc
        except NotADirectoryError as exc:
            raise InputError(f"{what}: {cwd} is not a folder") from exc
        if done.returncode != 0:
            detail = done.stderr.decode("utf-8", "replace").strip().splitlines()
            raise InputError(f"{what}" + (f" ({detail[-1]})" if detail else ""))
        return done.stdout.decode("utf-8", "replace")

    def git(self, *args: str, what: str = "git command failed") -> str:
        return self._run(list(args), cwd=self.root, what=what)

    def resolve(self, spec: str) -> str:
        """The full commit id for a revision or a date (``YYYY-MM-DD[ HH:MM]``)."""
        if _DATE.match(spec):
            commit = self.git(
                "rev-list", "-1", f"--before={spec}", "HEAD", what=f"cannot resolve date {spec!r}"
            ).strip()
            if not commit:
                raise InputError(f"no commit on or before {spec!r} in {self.root}; pick a later date")
            return commit
        if spec.startswith("-"):
            raise InputError(f"{spec!r} is not a revision, a date or a folder")
        return self.git(
            "rev-parse",
            "--verify",
            "--quiet",
            "--end-of-options",
            f"{spec}^{{commit}}",
            what=f"{spec!r} is neither a folder nor a revision of {self.root}; try HEAD~1, a tag or a date",
        ).strip()

    def relative(self, path: Path) -> str:
        """``path`` as a POSIX path relative to the repository root (it must lie inside it)."""
        try:
            rel = path.resolve().relative_to(self.root.resolve())
        except ValueError as exc:
            raise InputError(f"{path} is not inside the git repository {self.root}") from exc
        return PurePosixPath(*rel.parts).as_posix() if rel.parts else "."

    def blobs(self, commit: str, folder: str) -> dict[str, str]:
        """File name → blob id of the files directly in ``folder`` at ``commit`` (empty if absent)."""
        out = self.git(
            "ls-tree", "-z", commit, "--", folder.rstrip("/") + "/", what=f"cannot list {folder} at {commit}"
        )
        blobs: dict[str, str] = {}
        for entry in out.split("\0"):
            if not entry:
                continue
            meta, _, path = entry.partition("\t")
            parts = meta.split()
            if len(parts) == 3 and parts[1] == "blob":
                blobs[PurePosixPath(path).name] = parts[2]
        return blobs

    def read_blob(self, blob: str) -> bytes:
        if self._batch is None:
            self._batch = subprocess.Popen(
                ["git", "cat-file", "--batch"], cwd=self.root, stdin=subprocess.PIPE, stdout=subprocess.PIPE
            )
        assert self._batch.stdin is not None and self._batch.stdout is not None
        self._batch.stdin.write(blob.encode("ascii") + b"\n")
        self._batch.stdin.flush()
        header = self._batch.stdout.readline().split()
        if len(header) != 3:
            raise InputError(f"git object {blob} is missing from {self.root}")
        content = self._batch.stdout.read(int(header[2]))
        self._batch.stdout.read(1)
        return content

    def close(self) -> None:
        if self._batch is not None:
            assert self._batch.stdin is not None
            self._batch.stdin.close()
            self._batch.wait()
            self._batch = None

    def __enter__(self) -> GitRepo:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class RevisionReader:
    """Provider documents of ``data/`` at any commit; unchanged files are parsed once (cached by blob)."""

    def __init__(self, repo: GitRepo, data_prefix: str) -> None:
        self.repo = repo
        self.providers_folder = f"{data_prefix}/providers" if data_prefix != "." else "providers"
        self._docs: dict[str, dict[str, Any]] = {}

    def docs_at(self, commit: str) -> dict[str, dict[str, Any]]:
        blobs = self.repo.blobs(commit, self.providers_folder)
        docs: dict[str, dict[str, Any]] = {}
        for provider in provider_ids():
            blob = blobs.get(f"{provider}.json")
            if blob is None:
                continue
            if blob not in self._docs:
                try:
                    doc = loads(self.repo.read_blob(blob))
                except ValueError as exc:
                    raise InputError(
                        f"{self.providers_folder}/{provider}.json at {commit[:12]} is not valid JSON"
                    ) from exc
                self._docs[blob] = doc if isinstance(doc, dict) else {}
            docs[provider] = self._docs[blob]
        return docs

    def snapshot_at(self, commit: str, label: str) -> Snapshot:
        return snapshot_from_docs(label, self.docs_at(commit))


def load_snapshot(spec: str, repo_path: Path, data_dir: Path) -> Snapshot:
    """Resolve ``spec`` (folder or git revision of the repository holding ``data_dir``) into a snapshot."""
    folder = Path(spec)
    if folder.is_dir():
        return load_folder(folder)
    if folder.exists():
        raise InputError(f"{spec} is a file; pass a data folder, a built folder or a git revision")
    try:
        repo = GitRepo(repo_path)
    except InputError as exc:
        raise InputError(f"{spec!r} is not a folder, and {exc.message}; cannot read a git revision") from exc
    with repo:
        commit = repo.resolve(spec)
        prefix = repo.relative(data_dir if data_dir.is_absolute() else repo_path / data_dir)
        reader = RevisionReader(repo, prefix)
        snapshot = reader.snapshot_at(commit, f"{spec} ({commit[:12]})")
    if not snapshot.models and not snapshot.statuses:
        raise InputError(f"revision {spec!r} has no {reader.providers_folder}/*.json; pick a later revision")
    return snapshot
