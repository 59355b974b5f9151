"""The committed change log: ``data/changes/<YYYY-MM>.jsonl``, one change entry per line.

One file per month keeps every file bounded; lines are compact, key-sorted JSON appended in the
order the changes were seen (oldest first within a file), so git diffs of the log are pure
additions. :func:`load_changes` returns the whole log newest first, as the build and site want it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from modelatlas import regular_files
from modelatlas.changes.diff import ChangeKind, Entry
from modelatlas.datastore import write_atomic
from modelatlas.errors import InputError
from modelatlas.jsonio import compact_bytes, loads
from modelatlas.schema import SCHEMA_VERSION, iter_violations

_MONTH_FILE = re.compile(r"^\d{4}-\d{2}\.jsonl$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
BASELINE_NAME = "baseline.json"


def changes_dir(data_dir: Path) -> Path:
    return data_dir / "changes"


def baseline_path(data_dir: Path) -> Path:
    return changes_dir(data_dir) / BASELINE_NAME


def read_baseline(data_dir: Path) -> str | None:
    """The day of the snapshot the log starts from (``changes/baseline.json``), None without one."""
    path = baseline_path(data_dir)
    if not path.is_file():
        return None
    try:
        document = loads(regular_files.read_bytes(path))
    except ValueError as exc:
        raise InputError(f"{path}: not valid JSON; rebuild it with 'modelatlas history'") from exc
    for violation in iter_violations("change-baseline", document, str(path)):
        raise InputError(f"{violation}; rebuild it with 'modelatlas history'")
    return str(document["date"])


def write_baseline(data_dir: Path, date: str) -> Path:
    path = baseline_path(data_dir)
    document = {"date": date, "schema_version": SCHEMA_VERSION}
    write_atomic(path, compact_bytes(document) + b"\n")
    return path


def log_files(data_dir: Path) -> list[Path]:
    """The month files of the log, oldest first."""
    folder = changes_dir(data_dir)
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.is_file() and _MONTH_FILE.match(p.name))


def dated(entries: Iterable[Entry], date: str) -> list[Entry]:
    """Entries stamped with ``date`` (``YYYY-MM-DD``), keys in the log's order."""
    if not _DATE.match(date):
        raise InputError(f"change date {date!r} is not YYYY-MM-DD")
    return [{"date": date, **{k: v for k, v in entry.items() if k != "date"}} for entry in entries]


def check_entries(entries: Iterable[Entry], where: str) -> None:
    """Raise InputError naming the first entry that breaks schema/change.schema.json."""
    for index, entry in enumerate(entries):
        for violation in iter_violations("change", entry, f"{where} entry {index + 1}"):
            raise InputError(str(violation))


def serialize(entries: Iterable[Entry]) -> bytes:
    return b"".join(compact_bytes(entry) + b"\n" for entry in entries)


def _by_month(entries: Iterable[Entry]) -> dict[str, list[Entry]]:
    by_month: dict[str, list[Entry]] = {}
    for entry in entries:
        by_month.setdefault(entry["date"][:7], []).append(entry)
    return dict(sorted(by_month.items()))


def append_changes(data_dir: Path, entries: Sequence[Entry]) -> list[Path]:
    """Append dated entries to their month files; returns the files written."""
    check_entries(entries, "new change")
    written: list[Path] = []
    for month, group in _by_month(entries).items():
        path = changes_dir(data_dir) / f"{month}.jsonl"
        existing = regular_files.read_bytes(path) if path.exists() else b""
        if existing and not existing.endswith(b"\n"):
            existing += b"\n"
        write_atomic(path, existing + serialize(group))
        written.append(path)
    return written


def replace_log(data_dir: Path, entries: Sequence[Entry]) -> list[Path]:
    """Rewrite the whole log from ``entries`` (oldest first), removing month files no longer needed."""
    check_entries(entries, "rebuilt change")
    for path in log_files(data_dir):
        path.unlink()
    written: list[Path] = []
    for month, group in _by_month(entries).items():
        path = changes_dir(data_dir) / f"{month}.jsonl"
        write_atomic(path, serialize(group))
        written.append(path)
    return written


def log_problems(data_dir: Path) -> Iterator[tuple[str, str, str]]:
    """``(file:line, JSON pointer, what)`` for every line of the log that is no change entry, and for
    a baseline file that is not sound."""
    for path in log_files(data_dir):
        for number, line in enumerate(regular_files.read_bytes(path).splitlines(), start=1):
            if not line.strip():
                continue
            where = f"{path}:{number}"
            try:
                entry = loads(line)
            except ValueError:
                yield where, "", "not valid JSON; fix or delete the line"
                continue
            for violation in iter_violations("change", entry, where):
                yield where, violation.pointer, violation.message
    try:
        read_baseline(data_dir)
    except InputError as exc:
        yield str(baseline_path(data_dir)), "", exc.message


def read_log(data_dir: Path) -> list[Entry]:
    """The whole log, oldest first (file order, then line order)."""
    entries: list[Entry] = []
    for path in log_files(data_dir):
        for number, line in enumerate(regular_files.read_bytes(path).splitlines(), start=1):
            if not line.strip():
                continue
            try:
                entry = loads(line)
            except ValueError as exc:
                raise InputError(f"{path}:{number}: not valid JSON; fix or delete the line") from exc
            if not isinstance(entry, dict):
                raise InputError(f"{path}:{number}: expected a JSON object")
            entries.append(entry)
    return entries


def load_changes(data_dir: Path) -> list[Entry]:
    """Every change-log entry under ``data_dir``, newest first (empty when there is no log)."""
    # sorted(reverse=True) is stable: entries of one day keep their logged order (by model).
    return sorted(read_log(data_dir), key=lambda e: str(e.get("date", "")), reverse=True)


def log_since(data_dir: Path, entries_newest_first: Sequence[Entry], snapshot_day: str | None) -> str | None:
    """The day the log starts: its baseline (``changes/baseline.json``); without one, its oldest
    entry's day, or for an empty log the snapshot's own day (nothing is known to have changed since)."""
    baseline = read_baseline(data_dir)
    if baseline is not None:
        return baseline
    if entries_newest_first:
        return str(entries_newest_first[-1]["date"])
    return snapshot_day


def track_removed(removed: set[str], entries: Iterable[Entry]) -> set[str]:
    """Update ``removed`` (models currently removed) with entries in log order; returns it."""
    for entry in entries:
        if entry.get("kind") == ChangeKind.REMOVED:
            removed.add(entry["model"])
        elif entry.get("kind") in (ChangeKind.ADDED, ChangeKind.READDED):
            removed.discard(entry["model"])
    return removed


def removed_models(entries_oldest_first: Iterable[Entry]) -> set[str]:
    """Models whose latest model-level entry in the log is ``removed`` (for re-added detection)."""
    return track_removed(set(), entries_oldest_first)
