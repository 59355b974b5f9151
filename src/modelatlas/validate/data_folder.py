"""Checks of the data folder as a whole, beyond each provider document's schema.

* every provider of the registry has its ``providers/<provider>.json`` (a missing file would
  otherwise build as a provider with no models, silently);
* ``providers/`` holds nothing else (a misspelt ``grok.json`` is never read);
* every ``curated/<provider>.yaml`` parses and follows the curated-entry rules, so does
  ``curated/canonical.yaml`` (hand-checked cross-provider links), and ``curated/`` holds no other file;
* every ``lists/<provider>.json`` (a provider's recorded list) follows its schema and every
  ``lifecycle/<provider>.yaml`` (a provider's deprecation table) its rules, with no other file there;
* no file holds the value of a credential the registry declares (so ``publish`` never commits one);
* every line of the change log ``changes/<YYYY-MM>.jsonl`` is a change entry, ``changes/baseline.json``
  is sound, and ``changes/`` holds nothing else.

This is the one check of the folder as a whole: ``validate`` lists every problem found here, and
``build`` and ``publish`` stop on the first (exit 2) through :func:`require_complete_data` (``build``
checks all but the missing files in a forked process while it reads the data:
:func:`sound_folder_beside`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from modelatlas.canonical.curated import curated_links_path, load_curated_links
from modelatlas.changes import changelog
from modelatlas.cpus import computed_beside
from modelatlas.datastore import provider_path, providers_dir
from modelatlas.errors import InputError
from modelatlas.fetch.curated import curated_path, load_curated
from modelatlas.fetch.lifecycle_tables import load_table, table_path
from modelatlas.fetch.provider_lists import list_path, load_list
from modelatlas.fetch.providers.credentials import credential_files, process_scrubber
from modelatlas.ids import provider_ids
from modelatlas.validate.checks import Problem, problems_from_json, problems_json

IGNORED_NAMES = frozenset({"README.md", ".gitkeep"})


def missing_provider_files(data_dir: Path) -> list[Path]:
    """The provider files of the registry that are not there, in registry order. Something else in
    a file's place (a folder, a pipe, a device) is there: reading it says what it is."""
    return [path for provider in provider_ids() if not (path := provider_path(data_dir, provider)).exists()]


def _stray(folder: Path, expected: set[str]) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.name not in expected and p.name not in IGNORED_NAMES)


def stray_provider_files(data_dir: Path) -> list[Path]:
    """Files in ``providers/`` that are no provider's file (never read by any command)."""
    return _stray(providers_dir(data_dir), {f"{provider}.json" for provider in provider_ids()})


def curated_problems(data_dir: Path) -> list[Problem]:
    """One problem per broken curated file, and per curated file of no known provider."""
    problems: list[Problem] = []
    for provider in provider_ids():
        try:
            load_curated(data_dir, provider)
        except InputError as exc:
            path = str(curated_path(data_dir, provider))
            problems.append(Problem(path, "", exc.message.removeprefix(path).lstrip(": ")))
    try:
        load_curated_links(data_dir)
    except InputError as exc:
        path = str(curated_links_path(data_dir))
        problems.append(Problem(path, "", exc.message.removeprefix(path).lstrip(": ")))
    expected = {curated_path(data_dir, provider).name for provider in provider_ids()}
    expected.add(curated_links_path(data_dir).name)
    for path in _stray(data_dir / "curated", expected):
        message = f"not a curated file of any provider; name it <provider>.yaml ({', '.join(provider_ids())})"
        problems.append(Problem(str(path), "", message))
    return problems


def evidence_problems(data_dir: Path) -> list[Problem]:
    """One problem per broken list or deprecation table, and per file there of no known provider."""
    problems: list[Problem] = []
    for path_of, load in ((list_path, load_list), (table_path, load_table)):
        for provider in provider_ids():
            try:
                load(data_dir, provider)
            except InputError as exc:
                path = str(path_of(data_dir, provider))
                problems.append(Problem(path, "", exc.message.removeprefix(path).lstrip(": ")))
        folder = path_of(data_dir, "x").parent
        expected = {path_of(data_dir, provider).name for provider in provider_ids()}
        for path in _stray(folder, expected):
            message = f"not a file of any provider; name it <provider>{path.suffix}"
            problems.append(Problem(str(path), "", message))
    return problems


def data_folder_problems(data_dir: Path, allow_missing: bool = False) -> list[Problem]:
    """Every problem of the folder as a whole (missing files are none with ``allow_missing``)."""
    problems: list[Problem] = []
    if not allow_missing:
        for path in missing_provider_files(data_dir):
            problems.append(Problem(str(path), "", f"missing; {_restore_hint(path)}"))
    for path in stray_provider_files(data_dir):
        message = "not a provider file (expected <provider>.json); remove or rename it"
        problems.append(Problem(str(path), "", message))
    for rel in credential_files(data_dir, process_scrubber()):
        message = "holds the value of a declared credential (not shown); remove it and rotate that key"
        problems.append(Problem(str(data_dir / rel), "", message))
    return problems + curated_problems(data_dir) + evidence_problems(data_dir) + change_log_problems(data_dir)


def change_log_problems(data_dir: Path) -> list[Problem]:
    """Every line of ``changes/<YYYY-MM>.jsonl`` a change entry, the baseline sound, nothing stray."""
    problems = [Problem(*problem) for problem in changelog.log_problems(data_dir)]
    folder = changelog.changes_dir(data_dir)
    for path in _stray(folder, {p.name for p in changelog.log_files(data_dir)} | {changelog.BASELINE_NAME}):
        message = "not part of the change log (expected <YYYY-MM>.jsonl or baseline.json); remove it"
        problems.append(Problem(str(path), "", message))
    return problems


def _restore_hint(path: Path) -> str:
    return f"restore it with 'git checkout -- {path}', or pass --allow-missing to go on without it"


def require_complete_data(data_dir: Path, allow_missing: bool) -> None:
    """What ``build`` and ``publish`` insist on: the folder as ``validate`` checks it
    (:func:`data_folder_problems`: every provider file unless ``allow_missing``, nothing stray,
    sound curated files and change log), before any provider document is read.

    Raises :class:`~modelatlas.errors.InputError` (exit 2) naming the first problem.
    """
    require_provider_files(data_dir, allow_missing)
    _refuse(data_folder_problems(data_dir, allow_missing=True))


def require_provider_files(data_dir: Path, allow_missing: bool) -> None:
    """Every provider file of the registry there, unless ``allow_missing``; else
    :class:`~modelatlas.errors.InputError` (exit 2) naming the missing ones."""
    missing = [] if allow_missing else missing_provider_files(data_dir)
    if missing:
        names = ", ".join(path.name for path in missing)
        folder = providers_dir(data_dir)
        raise InputError(
            f"{len(missing)} of {len(provider_ids())} provider files missing in {folder} ({names}); "
            f"{_restore_hint(missing[0] if len(missing) == 1 else folder)}"
        )


@contextmanager
def sound_folder_beside(data_dir: Path) -> Iterator[Callable[[], None]]:
    """The rest of :func:`require_complete_data` (all but the missing files) run in a forked process
    while the block runs: reading the curated files and deprecation tables is a fifth of a second a
    build spent before it did anything else. The block gets a function that waits for the result and
    raises the same :class:`~modelatlas.errors.InputError` on a problem; where no process may be
    forked, the check runs when that function is first called."""
    with computed_beside(lambda: problems_json(data_folder_problems(data_dir, allow_missing=True))) as sent:
        yield lambda: _refuse(problems_from_json(sent()))


def _refuse(problems: list[Problem]) -> None:
    if problems:
        more = f" (and {len(problems) - 1} more; run 'modelatlas validate')" if len(problems) > 1 else ""
        raise InputError(f"data folder not sound, nothing built: {problems[0]}{more}")
