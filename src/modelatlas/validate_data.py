"""The ``validate`` command's check of data/: nothing kept, provider files spread over processes.

Unlike :func:`modelatlas.validate.check_data` (which ``build`` uses and which returns every loaded
document), this holds at most one parsed provider document per process: each file is read, checked
and dropped. Big folders are split over worker processes (largest files first, so the biggest file
does not start last); a worker sends back only the model count and the problems of each file, and the
report lists them in provider registry order, whatever order the workers finished in. The checks
themselves are the same functions, so the problems are identical to ``check_data``'s.
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path

from modelatlas.datastore import provider_path
from modelatlas.ids import PROVIDER_IDS
from modelatlas.schema import fast_validator, validator
from modelatlas.validate import Problem, Report, count_models, read_and_check, require_data_dir

# Below this many bytes of provider files, starting workers costs more than it saves.
PARALLEL_MIN_BYTES = 16 * 1024 * 1024
FileResult = tuple[int, list[Problem]]  # models in the file, its problems


def default_jobs() -> int:
    """Worker processes for a big data folder: the CPUs this process may use, at most 4."""
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        usable = os.cpu_count() or 1
    return max(1, min(usable, 4))


def check_one_file(data_dir: Path, provider: str) -> FileResult | None:
    """Models and problems of one provider file (None if the provider has no file); nothing kept."""
    doc, problems = read_and_check(data_dir, provider)
    if doc is None:
        return None
    return count_models(doc), problems


def _file_sizes(data_dir: Path) -> dict[str, int]:
    sizes: dict[str, int] = {}
    for provider in PROVIDER_IDS:
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


def _check_in_workers(data_dir: Path, sizes: dict[str, int], jobs: int) -> dict[str, FileResult | None]:
    for name in ("provider-file", "model"):  # compile once, before the workers fork
        validator(name)
        fast_validator(name)
    largest_first = sorted(sizes, key=lambda provider: (-sizes[provider], provider))
    with ProcessPoolExecutor(max_workers=jobs, mp_context=_pool_context()) as pool:
        futures: dict[str, Future[FileResult | None]] = {
            provider: pool.submit(check_one_file, data_dir, provider) for provider in largest_first
        }
        # In registry order, so the first unreadable file in that order is the error raised.
        return {provider: futures[provider].result() for provider in PROVIDER_IDS if provider in futures}


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
        results = {provider: check_one_file(data_dir, provider) for provider in PROVIDER_IDS}
    report = Report()
    for provider in PROVIDER_IDS:
        result = results.get(provider)
        if result is None:
            continue
        models, problems = result
        report.checked += 1
        report.models += models
        report.problems.extend(problems)
    return report
