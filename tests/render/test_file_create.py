"""New files written with ``os.open`` / ``os.writev``: the same bytes and mode as ``open(path, "xb")``,
never over an existing file, whatever the number of chunks or a short write."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from modelatlas.render import file_create
from modelatlas.render.file_create import create_with


def test_the_chunks_are_written_in_order_past_the_chunks_one_writev_takes(tmp_path: Path) -> None:
    chunks = [bytes([index % 251]) * (index % 7) for index in range(3 * file_create._IOV_MAX + 5)]
    create_with(str(tmp_path / "many"), chunks)
    assert (tmp_path / "many").read_bytes() == b"".join(chunks)
    create_with(str(tmp_path / "empty"), [])
    assert (tmp_path / "empty").read_bytes() == b""


def test_the_mode_is_what_open_gives(tmp_path: Path) -> None:
    create_with(str(tmp_path / "raw"), [b"x"])
    with open(tmp_path / "buffered", "xb") as handle:
        handle.write(b"x")
    assert os.stat(tmp_path / "raw").st_mode == os.stat(tmp_path / "buffered").st_mode


def test_an_existing_file_is_never_opened(tmp_path: Path) -> None:
    target = tmp_path / "current"
    target.write_bytes(b"the output being replaced")
    (tmp_path / "linked").hardlink_to(target)
    with pytest.raises(FileExistsError):
        create_with(str(tmp_path / "linked"), [b"new"])
    assert target.read_bytes() == b"the output being replaced"


def test_a_short_write_is_finished(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A writev that writes only part of its chunks (a signal, a nearly full disk) is resumed."""

    def short(fd: int, batch: list[bytes]) -> int:
        return os.write(fd, b"".join(batch)[:5])  # stops inside the second chunk

    monkeypatch.setattr(file_create.os, "writev", short)
    chunks = [b"abc", b"defgh", b"", b"ijklmnop"]
    create_with(str(tmp_path / "short"), chunks)
    assert (tmp_path / "short").read_bytes() == b"abcdefghijklmnop"
