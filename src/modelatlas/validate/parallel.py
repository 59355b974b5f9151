"""The ``validate`` command's checks of data/ and of a built folder, spread over worker processes.

Unlike :func:`modelatlas.validate.checks.check_data` (which ``build`` uses and which returns every loaded
document), this holds at most one parsed provider document per process: each file is read, checked
and dropped. Big folders are split over worker processes (largest files first, so the biggest file
does not start last); a worker sends back only the model count and the problems of each file, and the
report lists them in provider registry order, whatever order the workers finished in. The checks
themselves are the same functions, so the problems are identical to ``check_data``'s.

A built folder's files (sorted by path) are cut into contiguous runs of about equal bytes, checked by
the workers with :func:`modelatlas.validate.build_files.check_build_files`, and the reports joined in
path order, so the result is the same as :func:`modelatlas.validate.build_files.check_build`'s.
"""

from __future__ import annotations

import multiprocessing
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path

from modelatlas.cpus import usable_cpus
from modelatlas.datastore import provider_path
from modelatlas.ids import provider_ids
from modelatlas.schema import fast_validator, validator
from modelatlas.validate.build_files import build_files, built_base_url, check_build_files
from modelatlas.validate.build_integrity import integrity_problems
from modelatlas.validate.checks import (
    Problem,
    Report,
    count_models,
    gc_paused,
    read_and_check,
    require_data_dir,
)

# Below this many bytes of provider files (or built files), starting workers costs more than it saves.
PARALLEL_MIN_BYTES = 16 * 1024 * 1024
RUNS_PER_WORKER = 8  # a built folder is cut into jobs x this many runs, so workers finish together
FileResult = tuple[int, list[Problem]]  # models in the file, its problems


def default_jobs() -> int:
    """Worker processes for a big data folder: the CPUs this process may use, at most 4."""
    return max(1, min(usable_cpus(), 4))


def check_one_file(data_dir: Path, provider: str) -> FileResult | None:
    """Models and problems of one provider file (None if the provider has no file); nothing kept."""
    # Read only: equal flat objects parsed as one, which the checks then judge once each.
    with gc_paused():  # the document is dropped before GC resumes: no collection ever walks it
        doc, problems = read_and_check(data_dir, provider, read_only=True)
        models = None if doc is None else count_models(doc)
        del doc
    return None if models is None else (models, problems)


def _file_sizes(data_dir: Path) -> dict[str, int]:
    sizes: dict[str, int] = {}
    for provider in provider_ids():
        try:
            sizes[provider] = provider_path(data_dir, provider).stat().st_size
        except FileNotFoundError:
            continue
    return sizes


def _pool_context() -> multiprocessing.context.BaseContext:
    """fork where there is one: workers inherit the imported modules and compiled validators."""
    if "fork" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context()


def _compile_validators() -> None:
    """Compile the validators once, before the workers fork (they inherit them)."""
    for name in ("provider-file", "model", "model-file", "list-response"):
        validator(name)
        fast_validator(name)


def _check_in_workers(data_dir: Path, sizes: dict[str, int], jobs: int) -> dict[str, FileResult | None]:
    _compile_validators()
    largest_first = sorted(sizes, key=lambda provider: (-sizes[provider], provider))
    with ProcessPoolExecutor(max_workers=jobs, mp_context=_pool_context()) as pool:
        futures: dict[str, Future[FileResult | None]] = {
            provider: pool.submit(check_one_file, data_dir, provider) for provider in largest_first
        }
        # In registry order, so the first unreadable file in that order is the error raised.
        return {provider: futures[provider].result() for provider in provider_ids() if provider in futures}


def check_data_files(
    data_dir: Path, jobs: int | None = None, min_parallel_bytes: int = PARALLEL_MIN_BYTES
) -> Report:
    """Problems of every provider file under ``data_dir`` (missing providers are not problems).

    ``jobs`` worker processes (default :func:`default_jobs`) are used when the files add up to at
    least ``min_parallel_bytes``; otherwise, or with ``jobs=1``, the files are checked in this process.
    Raises :class:`~modelatlas.errors.InputError` for a missing data folder or an unreadable file.
    """
    require_data_dir(data_dir)
    sizes = _file_sizes(data_dir)
    jobs = min(jobs or default_jobs(), len(sizes))
    if jobs > 1 and sum(sizes.values()) >= min_parallel_bytes:
        results = _check_in_workers(data_dir, sizes, jobs)
    else:
        results = {provider: check_one_file(data_dir, provider) for provider in provider_ids()}
    report = Report()
    for provider in provider_ids():
        result = results.get(provider)
        if result is None:
            continue
        models, problems = result
        report.checked += 1
        report.models += models
        report.problems.extend(problems)
    return report


def _runs_of_equal_bytes(rels: list[str], sizes: list[int], count: int) -> list[list[str]]:
    """``rels`` cut, in order, into at most ``count`` contiguous runs of about equal total size."""
    share = max(1, sum(sizes) // count)
    runs: list[list[str]] = [[]]
    filled = 0
    for rel, size in zip(rels, sizes, strict=True):
        if filled >= share and len(runs) < count:
            runs.append([])
            filled = 0
        runs[-1].append(rel)
        filled += size
    return runs


def check_build_folder(
    build_dir: Path, jobs: int | None = None, min_parallel_bytes: int = PARALLEL_MIN_BYTES
) -> Report:
    """Every JSON file of a built folder checked (same report as :func:`check_build`), over
    ``jobs`` worker processes when the files add up to at least ``min_parallel_bytes``; then the
    folder as a whole (:func:`~modelatlas.validate.build_integrity.integrity_problems`)."""
    report = _check_build_files(build_dir, jobs, min_parallel_bytes)
    report.problems.extend(integrity_problems(build_dir.resolve(), report.facts))
    return report


def _check_build_files(build_dir: Path, jobs: int | None, min_parallel_bytes: int) -> Report:
    root, known_schemas, files = build_files(build_dir)
    base_url = built_base_url(root)
    rels, sizes = list(files), list(files.values())
    jobs = jobs or default_jobs()
    if jobs == 1 or sum(sizes) < min_parallel_bytes:
        return check_build_files(root, known_schemas, rels, base_url)
    runs = _runs_of_equal_bytes(rels, sizes, jobs * RUNS_PER_WORKER)
    _compile_validators()
    with ProcessPoolExecutor(max_workers=jobs, mp_context=_pool_context()) as pool:
        count = len(runs)
        reports = list(
            pool.map(check_build_files, [root] * count, [known_schemas] * count, runs, [base_url] * count)
        )
    joined = Report()
    for report in reports:
        joined.checked += report.checked
        joined.models += report.models
        joined.unmatched.extend(report.unmatched)
        joined.problems.extend(report.problems)
        joined.facts.update(report.facts)
    return joined
