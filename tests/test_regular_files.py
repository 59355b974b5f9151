"""Files the user points the tool at are read only when they are regular files, and JSON nested past
the parser's recursion is bad input like any other."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from modelatlas import jsonio, regular_files
from modelatlas.datastore import write_atomic


def test_a_regular_file_is_read_and_its_line_ends_made_newlines(tmp_path: Path) -> None:
    path = tmp_path / "table.yaml"
    path.write_bytes(b"a: 1\r\nb: 2\rc: \xc3\xa9\n")
    assert regular_files.read_bytes(path) == b"a: 1\r\nb: 2\rc: \xc3\xa9\n"
    assert regular_files.read_text(path) == "a: 1\nb: 2\nc: é\n" == path.read_text(encoding="utf-8")
    link = tmp_path / "link.yaml"
    link.symlink_to(path)
    assert regular_files.read_text(link) == "a: 1\nb: 2\nc: é\n"


@pytest.mark.skipif(not Path("/dev/zero").exists() or not hasattr(os, "mkfifo"), reason="no devices or FIFOs")
def test_a_device_or_a_pipe_in_a_files_place_is_refused_unread(tmp_path: Path) -> None:
    endless = tmp_path / "endless.json"
    endless.symlink_to("/dev/zero")  # read() would fill memory
    pipe = tmp_path / "pipe.json"
    os.mkfifo(pipe)  # open() would wait for a writer
    for path in (endless, pipe):
        with pytest.raises(regular_files.NotRegularFile, match="not a regular file") as raised:
            regular_files.read_bytes(path)
        assert isinstance(raised.value, OSError) and raised.value.filename == str(path)
    with pytest.raises(FileNotFoundError):
        regular_files.read_bytes(tmp_path / "absent.json")


def test_json_nested_past_the_recursion_limit_is_a_value_error() -> None:
    deep = "[" * 100_000 + "]" * 100_000
    for parse in (jsonio.loads, jsonio.loads_read_only):
        with pytest.raises(ValueError, match="nested too deeply"):
            parse(deep)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs")
def test_a_pipe_where_a_data_file_is_written_is_replaced_unread(tmp_path: Path) -> None:
    path = tmp_path / "providers" / "groq.json"
    path.parent.mkdir()
    os.mkfifo(path)
    assert write_atomic(path, b"{}\n") is True
    assert path.is_file() and path.read_bytes() == b"{}\n"
    assert write_atomic(path, b"{}\n") is False  # unchanged: compared, not rewritten
