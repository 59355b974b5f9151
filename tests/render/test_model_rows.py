"""The browse and provider tables' rows (render/model_rows.py): each record's made once per build and
kept beside the manifest; a rebuild makes only the rows of the records that changed, and a rows file
that is edited, corrupt, missing or made by other code costs only time, never a wrong page."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any

import pytest

import modelatlas.render.kept_rows as kept_rows
import modelatlas.render.model_rows as model_rows
from modelatlas.build_folder import ROWS_CACHE_NAME, ManifestEntry, load_manifest
from modelatlas.jsonio import load_path
from modelatlas.render.build import assemble, load_catalog
from modelatlas.render.catalog import Catalog
from modelatlas.render.kept_rows import ROOT, KeptRows
from modelatlas.render.model_rows import ModelRows
from modelatlas.render.site_index import row_view
from modelatlas.render.table_cells import ROWS_PER_PIECE
from modelatlas.render.table_cells import model_rows as table_rows
from modelatlas.validate.build_integrity import manifest_problems
from tests.paths import FIXTURES as ALL_FIXTURES
from tests.render.test_link_cache import data_copy, edit_record, record_count, same_as_fresh
from tests.render.test_render_html import with_record

FIXTURES = ALL_FIXTURES / "site"


def hostile_catalog() -> Catalog:
    """The fixture catalog with a record whose every text is hostile markup."""
    return with_record(load_catalog(FIXTURES), load_path(FIXTURES / "hostile" / "record.json"))


@pytest.fixture
def made_rows(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """A file listing the id of every record whose row is made from now on, in any process of the
    build (the output stage's processes are forked: each appends to the file)."""
    made = tmp_path / "made-rows.txt"
    made.touch()

    def counting(record: dict[str, Any]) -> dict[str, Any]:
        with open(made, "a", encoding="utf-8") as handle:
            handle.write(record["id"] + "\n")
        return row_view(record)

    monkeypatch.setattr(model_rows, "row_view", counting)
    return made


def made_ids(made: Path) -> list[str]:
    ids = made.read_text(encoding="utf-8").split()
    made.write_text("", encoding="utf-8")
    return ids


def test_rows_are_the_rows_the_tables_wrote_with_and_without_the_provider_column() -> None:
    catalog = hostile_catalog()
    rows = ModelRows(catalog.digests, None)
    for show_provider in (True, False):
        expected = table_rows([row_view(m) for m in catalog.models], ROOT, show_provider)
        assert "".join(rows.pieces(catalog.models, show_provider)) == expected
    assert "<script" not in "".join(rows.pieces(catalog.models, True))


def test_a_long_table_is_written_in_pieces_of_rows_per_piece_rows() -> None:
    catalog = hostile_catalog()
    records = [catalog.models[n % len(catalog.models)] for n in range(2 * ROWS_PER_PIECE + 7)]
    pieces = list(ModelRows(catalog.digests, None).pieces(records, False))
    assert [piece.count("<tr>") for piece in pieces] == [ROWS_PER_PIECE, ROWS_PER_PIECE, 7]
    assert "".join(pieces) == table_rows([row_view(record) for record in records], ROOT, False)


def test_a_rows_file_read_back_gives_every_row_and_makes_none(made_rows: Path, tmp_path: Path) -> None:
    catalog = hostile_catalog()
    made = ModelRows(catalog.digests, None)
    content = b"".join(made.kept_file(catalog.models))
    assert len(made_ids(made_rows)) == len(catalog.models)  # each made once, though read twice
    (tmp_path / ROWS_CACHE_NAME).write_bytes(content)
    kept = KeptRows.read(tmp_path, _entry(content))
    try:
        again = ModelRows(catalog.digests, kept)
        assert "".join(again.pieces(catalog.models, True)) == "".join(made.pieces(catalog.models, True))
        assert b"".join(again.kept_file(catalog.models)) == content
        assert made_ids(made_rows) == []
    finally:
        kept.close()


@pytest.mark.parametrize("damage", ["edited", "truncated", "other code", "not recorded"])
def test_a_rows_file_that_is_not_the_recorded_one_is_not_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, damage: str
) -> None:
    catalog = hostile_catalog()
    content = b"".join(ModelRows(catalog.digests, None).kept_file(catalog.models))
    entry = _entry(content)
    if damage == "edited":  # same size, one byte of a row changed: the manifest's hash tells
        content = content[:-10] + b"X" + content[-9:]
    elif damage == "truncated":
        content = content[:-100]
    elif damage == "other code":  # made by other code (or for another folder depth): another key
        monkeypatch.setattr(kept_rows, "rows_key", lambda: b"0" * 32)
    (tmp_path / ROWS_CACHE_NAME).write_bytes(content)
    kept = KeptRows.read(tmp_path, None if damage == "not recorded" else entry)
    assert len(kept) == 0 and kept.handle is None


def test_a_forked_process_makes_rows_into_its_own_file(made_rows: Path) -> None:
    catalog = hostile_catalog()
    rows = ModelRows(catalog.digests, None)
    first, rest = catalog.models[:2], catalog.models[2:]
    before = "".join(rows.pieces(first, False))
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child makes the other rows, then exits
        status = 1
        try:
            with os.fdopen(write, "wb") as out:
                out.write("".join(rows.pieces(rest, False)).encode())
            status = 0
        finally:
            os._exit(status)
    os.close(write)
    with os.fdopen(read, "rb") as pipe:
        child = pipe.read().decode()
    assert os.waitpid(pid, 0)[1] == 0
    assert child == table_rows([row_view(m) for m in rest], ROOT, False)
    assert "".join(rows.pieces(first, False)) == before  # the parent's rows are still its own
    made = made_ids(made_rows)
    assert sorted(made) == sorted(m["id"] for m in catalog.models) and len(made) == len(set(made))


def test_a_rebuild_makes_only_the_changed_records_rows(tmp_path: Path, made_rows: Path) -> None:
    data, out = data_copy(tmp_path), tmp_path / "out"
    assemble(data, out)
    caches = load_manifest(out).caches or {}
    assert caches[ROWS_CACHE_NAME].size == (out / ROWS_CACHE_NAME).stat().st_size
    assert not list(manifest_problems(out, {}))  # the rows file beside the manifest is no stray file
    made = made_ids(made_rows)
    assert sorted(made) == sorted(set(made)) and len(made) == record_count(data)  # once for both tables
    edit_record(data, "anthropic", "anthropic/claude-3-5-sonnet-20240620",
                lambda r: r["pricing"].update(prompt="0.000004"))
    assemble(data, out)
    assert made_ids(made_rows) == ["anthropic/claude-3-5-sonnet-20240620"]
    same_as_fresh(data, out, tmp_path)  # every page and the rows file: the bytes of a fresh build


@pytest.mark.parametrize("edit", ["a row's text", "garbage", "remove"])
def test_a_rows_file_edited_by_hand_or_missing_costs_only_time(
    tmp_path: Path, made_rows: Path, edit: str
) -> None:
    data, out = data_copy(tmp_path), tmp_path / "out"
    assemble(data, out)
    kept = out / ROWS_CACHE_NAME
    if edit == "a row's text":  # a row's model name, at the same size: the recorded hash no longer holds
        content = kept.read_bytes()
        at = content.index(b"</a><span")
        kept.write_bytes(content[: at - 4] + b"EVIL" + content[at:])
    elif edit == "garbage":
        kept.write_bytes(b"modelatlas-rows 1 junk\n")
    else:
        kept.unlink()
    (out / "index.html").unlink()  # not a no-op
    made_ids(made_rows)
    assemble(data, out)
    assert len(set(made_ids(made_rows))) == record_count(data)  # every row made again
    same_as_fresh(data, out, tmp_path)
    assert b"EVIL" not in b"".join(path.read_bytes() for path in out.rglob("*.html"))


def test_data_holding_a_credential_keeps_no_rows(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data, out = data_copy(tmp_path), tmp_path / "out"
    secret = "sk-test-rows-0123456789abcdef"
    edit_record(data, "anthropic", "anthropic/claude-3-5-sonnet-20240620", lambda r: r.update(name=secret))
    monkeypatch.setenv("ANTHROPIC_API_KEY", secret)
    assemble(data, out)
    assert not (out / ROWS_CACHE_NAME).exists()
    assert ROWS_CACHE_NAME not in (load_manifest(out).caches or {})


def _entry(content: bytes) -> ManifestEntry:
    return ManifestEntry(len(content), hashlib.sha256(content).hexdigest())
