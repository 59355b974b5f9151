"""The floor (``bench/floor.py``): a build's bytes written again with plain Python, and not measured,
with the reason, where the machine lacks the memory to hold them twice (it was killed by the kernel
at 100k models once, after its builds had run)."""

from __future__ import annotations

from pathlib import Path

from bench.floor import available_memory, measure_floor


def a_build(root: Path) -> None:
    (root / "v1" / "model").mkdir(parents=True)
    (root / "index.html").write_bytes(b"<p>home</p>")
    (root / "v1" / "model" / "a.json").write_bytes(b"{}" * 500)


def test_the_floor_writes_every_file_again_and_leaves_nothing(tmp_path: Path) -> None:
    a_build(tmp_path / "out")
    floor = measure_floor(tmp_path / "out", tmp_path / "floor", runs=2, available=10**12)
    assert (floor.files, floor.output_bytes, len(floor.walls)) == (2, 1011, 2)
    assert floor.seconds is not None and floor.seconds > 0 and floor.not_measured is None
    assert not (tmp_path / "floor").exists()


def test_without_room_for_twice_the_bytes_the_floor_is_not_measured_and_says_why(tmp_path: Path) -> None:
    a_build(tmp_path / "out")
    floor = measure_floor(tmp_path / "out", tmp_path / "floor", runs=2, available=2021)
    assert (floor.files, floor.output_bytes, floor.walls, floor.seconds) == (2, 1011, [], None)
    assert floor.not_measured is not None and "free memory" in floor.not_measured
    assert not (tmp_path / "floor").exists()
    assert measure_floor(tmp_path / "out", tmp_path / "floor", runs=1, available=2022).walls


def test_available_memory_is_read_from_the_kernel() -> None:
    free = available_memory()
    assert free is None or free > 0
    if Path("/proc/meminfo").exists():
        assert free is not None
