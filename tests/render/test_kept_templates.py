"""The compiled site templates kept in the cache folder: read back by a build of the same code, and
never trusted when they could be someone else's or are not what was written. (Compiling them in a
forked process is :func:`~modelatlas.cpus.made_beside`'s, tested in tests/test_cpus.py: here they
are compiled in this process, and every compiling is counted.)"""

from __future__ import annotations

import marshal
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from click.testing import CliRunner

from modelatlas.cli import cli
from modelatlas.cli.build_cmd import TEMPLATES_CACHE
from modelatlas.render import kept_templates
from modelatlas.render.input_keys import code_fingerprint
from modelatlas.render.kept_templates import compiled_meanwhile
from modelatlas.render.templates import compiled_templates
from tests.file_tree import file_states
from tests.paths import FIXTURES

DATA = FIXTURES / "data_small"

TEMPLATE_NAMES = set(marshal.loads(compiled_templates()))


@pytest.fixture
def compilings(monkeypatch: pytest.MonkeyPatch) -> list[bytes]:
    """What each compiling of the templates made (made here, at once). Two compilings may make other
    bytes, equal code: marshal writes an object shared or not as its reference count says."""
    counted: list[bytes] = []

    @contextmanager
    def made_here(make: Callable[[], bytes]) -> Iterator[Callable[[], bytes | None]]:
        made = make()
        counted.append(made)
        yield lambda: made

    monkeypatch.setattr(kept_templates, "made_beside", made_here)
    return counted


def _kept_path(folder: Path) -> Path:
    return folder / f"{code_fingerprint().hex()}.bin"


def _compiled(folder: Path | None) -> bytes | None:
    with compiled_meanwhile(folder) as compiled:
        return compiled()


def test_a_build_keeps_the_compiled_templates_and_the_next_reads_them(
    tmp_path: Path, compilings: list[bytes]
) -> None:
    folder = tmp_path / "cache" / "templates"
    made = _compiled(folder)
    assert made is not None and set(marshal.loads(made)) == TEMPLATE_NAMES and compilings == [made]
    assert _kept_path(folder).read_bytes() == made
    assert _kept_path(folder).stat().st_mode & 0o077 == 0  # no one but its owner may read or write it
    assert _compiled(folder) == made and compilings == [made]  # read, not compiled again


@pytest.mark.parametrize(
    "spoil",
    [
        pytest.param(lambda path: path.chmod(0o620), id="group-writable"),
        pytest.param(lambda path: path.chmod(0o602), id="world-writable"),
        pytest.param(lambda path: path.write_bytes(b"\x00not marshal"), id="corrupt"),
        pytest.param(lambda path: path.write_bytes(marshal.dumps({"t.html": "not bytes"})), id="wrong-shape"),
        pytest.param(lambda path: path.write_bytes(marshal.dumps(["a list"])), id="not-a-map"),
        pytest.param(lambda path: (path.unlink(), path.symlink_to(path.parent / "elsewhere.bin")), id="link"),
    ],
)
def test_a_kept_file_that_may_not_be_this_builds_is_compiled_again_and_replaced(
    tmp_path: Path, compilings: list[bytes], spoil: Callable[[Path], object]
) -> None:
    folder = tmp_path / "templates"
    first = _compiled(folder)
    elsewhere = folder / "elsewhere.bin"  # what a link points at: the same bytes, this user's
    elsewhere.write_bytes(_kept_path(folder).read_bytes())
    elsewhere.chmod(0o600)
    spoil(_kept_path(folder))
    again = _compiled(folder)
    assert compilings == [first, again]
    assert _kept_path(folder).read_bytes() == again and not _kept_path(folder).is_symlink()
    assert _compiled(folder) == again and len(compilings) == 2


def test_another_users_file_is_not_read(tmp_path: Path, compilings: list[bytes],
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "templates"
    _compiled(folder)
    owner = _kept_path(folder).stat().st_uid
    monkeypatch.setattr(kept_templates.os, "getuid", lambda: owner + 1, raising=False)
    assert _compiled(folder) == compilings[-1] and len(compilings) == 2


def test_keeping_a_new_version_removes_the_older_ones_and_nothing_else(
    tmp_path: Path, compilings: list[bytes]
) -> None:
    folder = tmp_path / "templates"
    folder.mkdir()
    older = folder / ("0" * 32 + ".bin")
    older.write_bytes(b"an older version's templates")
    notes = folder / "notes.txt"
    notes.write_text("not ours")
    assert _compiled(folder) == compilings[-1]
    assert sorted(p.name for p in folder.iterdir()) == sorted([_kept_path(folder).name, "notes.txt"])


def test_a_folder_that_cannot_be_written_keeps_nothing_and_fails_nothing(
    tmp_path: Path, compilings: list[bytes]
) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("a file where the folder would be")
    assert _compiled(blocked / "templates") == compilings[-1]
    assert _compiled(blocked / "templates") == compilings[-1] and len(compilings) == 2


def test_templates_not_compiled_beside_by_then_are_compiled_here_and_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    @contextmanager
    def not_done_yet(make: Callable[[], bytes]) -> Iterator[Callable[[], bytes | None]]:
        yield lambda: None

    monkeypatch.setattr(kept_templates, "made_beside", not_done_yet)
    made = _compiled(tmp_path)
    assert made is not None and set(marshal.loads(made)) == TEMPLATE_NAMES
    assert _kept_path(tmp_path).read_bytes() == made
    assert _compiled(None) is None  # keeping nothing: each template compiled when first needed


def test_without_a_folder_nothing_is_kept(tmp_path: Path, compilings: list[bytes]) -> None:
    assert _compiled(None) == compilings[-1] and _compiled(None) == compilings[-1] and len(compilings) == 2
    assert list(tmp_path.iterdir()) == []


def test_the_command_keeps_them_in_the_cache_folder_and_builds_the_same_bytes_with_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, compilings: list[bytes]
) -> None:
    cache = tmp_path / "cache"
    monkeypatch.setenv("MODELATLAS_CACHE_DIR", str(cache))
    outputs = []
    for name in ("first", "second"):
        out = tmp_path / name
        result = CliRunner().invoke(cli, ["build", "--data", str(DATA), "--out", str(out), "--allow-missing"])
        assert result.exit_code == 0, result.output
        files = file_states(out)
        outputs.append({rel: state[0] for rel, state in files.items() if ".modelatlas-" not in rel})
        assert _kept_path(cache / TEMPLATES_CACHE).read_bytes() == compilings[0]  # kept by the first
    assert outputs[0] == outputs[1] and len(outputs[0]) > 100 and len(compilings) == 1
