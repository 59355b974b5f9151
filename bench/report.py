"""The benchmark's outputs: the issue's targets checked against the figures, a table, and results.json."""

from __future__ import annotations

import contextlib
import json
import os
import platform
from pathlib import Path
from typing import Any

SizeFigures = dict[str, Any]
LARGE_SIZE = 100_000
CHANGE_LIMIT = 0.40  # a 1% change rebuild / full build, below 100k models
CHANGE_LIMIT_LARGE = 0.30  # at 100k models: the site-wide pages must not dominate


def _get(figures: SizeFigures | None, key: str) -> float | None:
    value = (figures or {}).get(key)
    return float(value) if isinstance(value, int | float) else None


def check_targets(
    sizes: dict[int, SizeFigures], fetch: dict[str, Any] | None, snapshot: SizeFigures | None = None
) -> list[dict[str, Any]]:
    """Each target of the issue with the figure it is judged on and whether it is met (None: not measured)."""
    targets: list[dict[str, Any]] = []

    def add(name: str, limit: str, value: float | None, met: bool | None) -> None:
        targets.append({"target": name, "limit": limit, "measured": value, "met": met})

    ten = sizes.get(10_000)
    ratio = _get(ten, "build_over_floor")
    add("full build / floor at 10k", "<= 3", ratio, None if ratio is None else ratio <= 3)
    for size, figures in sorted(sizes.items()):
        written = figures.get("noop_files_written")
        noop = _get(figures, "noop_over_full")
        zero = None if written is None else written == 0
        add(f"no-op rebuild writes 0 files ({size})", "== 0", written, zero)
        add(f"no-op rebuild / full build ({size})", "<= 0.25", noop, None if noop is None else noop <= 0.25)
        pct = _get(figures, "change_over_full")
        limit = CHANGE_LIMIT_LARGE if size >= LARGE_SIZE else CHANGE_LIMIT
        add(f"1% change rebuild / full build ({size})", f"<= {limit:.2f}", pct,
            None if pct is None else pct <= limit)
        extra = figures.get("change_needless_rewrites")
        add(f"1% change rewrites only dependent files ({size})", "== 0 needless", extra,
            None if extra is None else extra == 0)
    big, small = _get(sizes.get(100_000), "full_build_s"), _get(ten, "full_build_s")
    scaling = big / small if big and small else None
    add("time(100k) / time(10k)", "<= 11", scaling, None if scaling is None else scaling <= 11)
    rss = _get(sizes.get(100_000), "full_build_peak_rss_mb")
    add("peak RSS of build at 100k (MB)", "<= 600", rss, None if rss is None else rss <= 600)
    validate = _get(sizes.get(100_000), "validate_s")
    add("validate of 100k records (s)", "<= 5", validate, None if validate is None else validate <= 5)
    snapshot_ratio = _get(snapshot, "build_over_floor")
    add("full build of the snapshot / floor (tmpfs)", "<= 10", snapshot_ratio,
        None if snapshot_ratio is None else snapshot_ratio <= 10)
    fetch_ratio = _get(fetch, "wall_over_slowest_chain")
    add("fetch wall / slowest provider chain", "<= 1.5", fetch_ratio,
        None if fetch_ratio is None else fetch_ratio <= 1.5)
    return targets


COLUMNS = (  # header, figure key, width, number format
    ("models", "size", 7, "d"),
    ("files", "files", 7, "d"),
    ("build s", "full_build_s", 8, ".2f"),
    ("RSS MB", "full_build_peak_rss_mb", 7, ".0f"),
    ("floor s", "floor_s", 8, ".2f"),
    ("b/floor", "build_over_floor", 8, ".2f"),
    ("cpu b/f", "build_over_floor_cpu", 8, ".2f"),
    ("no-op s", "noop_s", 8, ".2f"),
    ("no-op %", "noop_pct", 8, ".1f"),
    ("no-op w", "noop_files_written", 8, "d"),
    ("1% s", "change_s", 7, ".2f"),
    ("1% %", "change_pct", 6, ".1f"),
    ("1% w", "change_files_written", 7, "d"),
    ("valid s", "validate_s", 8, ".2f"),
    ("v RSS", "validate_peak_rss_mb", 6, ".0f"),
)


def _cell(value: Any, width: int, spec: str) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return "-".rjust(width)
    try:
        return format(value, f">{width}{spec}")
    except (ValueError, TypeError):
        return str(value).rjust(width)


def format_table(sizes: dict[int, SizeFigures], fetch: dict[str, Any] | None,
                 targets: list[dict[str, Any]], snapshot: SizeFigures | None = None) -> str:
    """The figures per size as a fixed-width table, the fetch and snapshot lines, then every target
    met or missed."""
    lines = [" ".join(head.rjust(width) for head, _key, width, _spec in COLUMNS)]
    for size, figures in sorted(sizes.items()):
        row = {"size": size, **figures}
        for ratio, pct in (("noop_over_full", "noop_pct"), ("change_over_full", "change_pct")):
            row[pct] = 100 * row[ratio] if row.get(ratio) is not None else None
        lines.append(" ".join(_cell(row.get(key), width, spec) for _head, key, width, spec in COLUMNS))
    if fetch:
        lines.append("")
        lines.append(
            f"fetch: wall {fetch['wall_s']:.2f} s, slowest provider chain {fetch['slowest_chain_s']:.2f} s "
            f"({fetch['slowest_provider']}, {fetch['slowest_chain_requests']} requests x "
            f"{fetch['latency_s']:.2f} s latency), ratio {fetch['wall_over_slowest_chain']:.2f}, "
            f"{fetch['requests']} requests, exit {fetch['exit_code']}"
        )
    if snapshot:
        lines.append("")
        lines.append(
            f"snapshot ({snapshot['data']}, out in {snapshot['work']}): {snapshot['files']} files, "
            f"full build {snapshot['full_build_s']:.2f} s ({snapshot['full_build_cpu_s']:.2f} s CPU, "
            f"{snapshot['full_build_peak_rss_mb']:.0f} MB), floor {snapshot['floor_s']:.3f} s, "
            f"build / floor {snapshot['build_over_floor']:.1f}"
        )
    lines.append("")
    for target in targets:
        met = {True: "met", False: "MISSED", None: "not measured"}[target["met"]]
        measured = target["measured"]
        shown = f"{measured:.3g}" if isinstance(measured, float) else str(measured)
        lines.append(f"  [{met:>12}] {target['target']}: {shown} (target {target['limit']})")
    return "\n".join(lines)


def machine() -> dict[str, Any]:
    """The machine, and how busy it was (other processes make wall times noisy; CPU times less so)."""
    info: dict[str, Any] = {"cpus": os.cpu_count(), "python": platform.python_version(),
                            "platform": platform.platform(), "load_average": list(os.getloadavg())}
    with contextlib.suppress(OSError):
        info["cpu_pressure"] = Path("/proc/pressure/cpu").read_text().splitlines()[0]
    return info


def write_results(path: Path, payload: dict[str, Any]) -> None:
    path.write_text(json.dumps(payload, indent=2, sort_keys=True) + "\n", encoding="utf-8")
