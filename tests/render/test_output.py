"""The output stage: atomic, unchanged files untouched, stale files removed, failures roll back."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from modelatlas.build_folder import (
    LINKS_CACHE_NAME,
    MANIFEST_NAME,
    ROWS_CACHE_NAME,
    TEMP_SUFFIX,
    load_manifest,
    read_manifest,
)
from modelatlas.cpus import usable_cpus
from modelatlas.errors import InputError, ModelatlasError
from modelatlas.render import output as output_module
from modelatlas.render.lazy import Deferred
from modelatlas.render.output import (
    BuildReport,
    Lazy,
    check_relative_path,
    sync_output,
    unchanged_build,
)
from tests.file_tree import file_states

FILES = {"a.json": b'{"a":1}', "v1/models.json": b"[1,2]", "v1/model/x/y.json": b"{}"}


def test_first_sync_writes_every_file_and_a_manifest(tmp_path: Path) -> None:
    out = tmp_path / "out"
    report = sync_output(out, FILES.items())
    assert (report.written, report.unchanged, report.removed) == (3, 0, 0)
    for rel, content in FILES.items():
        assert (out / rel).read_bytes() == content
    assert set(read_manifest(out)) == set(FILES)
    assert not [p for p in out.rglob("*") if p.name.endswith(TEMP_SUFFIX)]


def test_chunked_content_is_written_in_order(tmp_path: Path) -> None:
    sync_output(tmp_path / "out", [("big.json", [b"[", b"1", b",", b"2", b"]"])])
    assert (tmp_path / "out" / "big.json").read_bytes() == b"[1,2]"


def test_content_made_as_it_is_written_is_hashed_once_and_kept_when_unchanged(tmp_path: Path) -> None:
    out = tmp_path / "out"

    def made(parts: list[bytes]) -> Iterator[bytes]:
        yield from parts  # a generator: can be read once only

    first = sync_output(out, [("list.json", made([b"[1,", b"2]"])), ("a.json", b"{}")])
    assert first.written == 2 and (out / "list.json").read_bytes() == b"[1,2]"
    before = file_states(out)
    second = sync_output(out, [("list.json", made([b"[1,2", b"]"])), ("a.json", b"[]")])
    assert (second.written, second.unchanged) == (1, 1)  # same bytes in other chunks: kept, not rewritten
    assert file_states(out)["list.json"] == before["list.json"]
    third = sync_output(out, [("list.json", made([b"[3]"])), ("a.json", b"[]")])
    assert (third.written, third.unchanged) == (1, 1) and (out / "list.json").read_bytes() == b"[3]"
    assert read_manifest(out)["list.json"][:2] == (3, hashlib.sha256(b"[3]").hexdigest())


def test_the_manifest_written_in_batches_is_one_json_document(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(output_module, "MANIFEST_BATCH", 2)
    out = tmp_path / "out"
    files = {f"d/{n}.json": f"[{n}]".encode() for n in range(5)}
    sync_output(out, files.items(), "inputs-1")
    text = (out / MANIFEST_NAME).read_text(encoding="utf-8")
    document = json.loads(text)
    assert text == json.dumps(document, separators=(",", ":"))  # compact, in the order it always had
    assert list(document) == ["format", "files", "inputs"] and document["inputs"] == "inputs-1"
    assert list(document["files"]) == sorted(files)
    before = file_states(out)
    assert sync_output(out, files.items(), "inputs-1").written == 0
    assert file_states(out) == before  # the same manifest is recognised: nothing swapped


@pytest.mark.skipif(not hasattr(os, "fork") or usable_cpus() < 2, reason="no fork, or one CPU")
def test_a_manifest_written_by_a_forked_process_is_the_one_written_here(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # From MANIFEST_BESIDE_FROM files on, a forked process writes the manifest while this one walks
    # the current output; a process that fails (here: every forked one) leaves it to be written here.
    files = {f"d/{n}.json": f"[{n}]".encode() for n in range(5)}
    sync_output(tmp_path / "here", files.items(), "inputs-1")
    monkeypatch.setattr(output_module, "MANIFEST_BESIDE_FROM", 0)
    writers: list[int] = []
    write = output_module._write_manifest

    def recorded(folder: Path, manifest: output_module.Manifest) -> str:
        (folder.parent / f"writer-{os.getpid()}").touch()  # beside the staging folder: outlives it
        writers.append(os.getpid())
        return write(folder, manifest)

    monkeypatch.setattr(output_module, "_write_manifest", recorded)
    sync_output(tmp_path / "beside", files.items(), "inputs-1")
    beside = (tmp_path / "beside" / MANIFEST_NAME).read_bytes()
    assert beside == (tmp_path / "here" / MANIFEST_NAME).read_bytes()
    writer_files = [path.name for path in tmp_path.glob("writer-*")]
    assert len(writer_files) == 1 and writer_files != [f"writer-{os.getpid()}"] and not writers
    assert sync_output(tmp_path / "beside", files.items(), "inputs-1").written == 0  # recognised

    parent = os.getpid()

    def failing_beside(folder: Path, manifest: output_module.Manifest) -> str:
        if os.getpid() != parent:
            os._exit(3)
        return write(folder, manifest)

    monkeypatch.setattr(output_module, "_write_manifest", failing_beside)
    sync_output(tmp_path / "fallback", files.items(), "inputs-1")
    assert (tmp_path / "fallback" / MANIFEST_NAME).read_bytes() == beside


def test_unchanged_files_are_not_rewritten(tmp_path: Path) -> None:
    out = tmp_path / "out"
    sync_output(out, FILES.items())
    before = file_states(out)
    report = sync_output(out, FILES.items())
    assert (report.written, report.unchanged, report.removed) == (0, 3, 0)
    assert file_states(out) == before  # same bytes, inodes and mtimes: nothing touched, manifest included


def test_only_changed_files_are_rewritten(tmp_path: Path) -> None:
    out = tmp_path / "out"
    sync_output(out, FILES.items())
    before = file_states(out)
    changed = dict(FILES, **{"a.json": b'{"a":2}'})
    report = sync_output(out, changed.items())
    assert (report.written, report.unchanged) == (1, 2)
    after = file_states(out)
    assert after["a.json"][0] == b'{"a":2}'
    assert after["v1/models.json"] == before["v1/models.json"]


def test_stale_files_are_removed_with_their_empty_folders(tmp_path: Path) -> None:
    out = tmp_path / "out"
    sync_output(out, FILES.items())
    (out / "v1" / "model" / "notes.txt").write_text("mine")  # not written by the tool: kept
    report = sync_output(out, [("a.json", FILES["a.json"])])
    assert report.removed == 2
    assert not (out / "v1" / "models.json").exists()
    assert not (out / "v1" / "model" / "x").exists()
    assert (out / "v1" / "model" / "notes.txt").read_text() == "mine"
    assert set(read_manifest(out)) == {"a.json"}


def test_every_entry_no_build_wrote_is_carried_across_and_nothing_else(tmp_path: Path) -> None:
    out = tmp_path / "out"
    sync_output(out, FILES.items())
    foreign = {"notes.txt": "root", "v1/model/mine.txt": "beside built files",
               "v1/model/x/extra.json": "deep",
               "mine/deep/file.txt": "a folder of its own", "v1/.modelatlas-links.json": "not the cache",
               ".well-known/security.txt": "a hidden folder's"}
    for rel, text in foreign.items():
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        (out / rel).write_text(text)
    (out / "empty" / "inner").mkdir(parents=True)
    (out / ".hidden-empty").mkdir()
    os.symlink("../a.json", out / "v1" / "link.json")
    os.symlink("mine", out / "folder-link")
    (out / "v1" / f"left{TEMP_SUFFIX}").write_text("a killed build's")
    sync_output(out, [("a.json", FILES["a.json"]), ("v1/new.json", b"[]")])
    for rel, text in foreign.items():
        assert (out / rel).read_text() == text, rel
    assert (out / "empty" / "inner").is_dir() and (out / ".hidden-empty").is_dir()
    assert os.readlink(out / "v1" / "link.json") == "../a.json" and os.readlink(out / "folder-link") == "mine"
    assert not (out / "v1" / f"left{TEMP_SUFFIX}").exists()  # temporaries stay behind
    assert not (out / "v1" / "models.json").exists() and (out / "v1" / "new.json").read_bytes() == b"[]"
    assert set(read_manifest(out)) == {"a.json", "v1/new.json"}


def test_a_file_deleted_or_edited_by_hand_is_restored(tmp_path: Path) -> None:
    out = tmp_path / "out"
    sync_output(out, FILES.items())
    (out / "a.json").unlink()
    (out / "v1" / "models.json").write_bytes(b"[1,2,3,4]")
    report = sync_output(out, FILES.items())
    assert report.written == 2
    assert (out / "a.json").read_bytes() == FILES["a.json"]
    assert (out / "v1" / "models.json").read_bytes() == FILES["v1/models.json"]


@pytest.mark.parametrize("damage", ["{not json", "[" * 100_000 + "]" * 100_000], ids=["cut", "too deep"])
def test_a_lost_manifest_means_a_full_rewrite_not_a_wrong_skip(tmp_path: Path, damage: str) -> None:
    out = tmp_path / "out"
    sync_output(out, FILES.items())
    (out / MANIFEST_NAME).write_text(damage)
    report = sync_output(out, FILES.items())
    assert report.written == 3


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs")
def test_a_manifest_that_is_a_pipe_is_a_lost_manifest_not_a_wait(tmp_path: Path) -> None:
    out = tmp_path / "out"
    sync_output(out, FILES.items())
    (out / MANIFEST_NAME).unlink()
    os.mkfifo(out / MANIFEST_NAME)  # opening it would wait for a writer that never comes
    assert sync_output(out, FILES.items()).written == 3
    assert (out / MANIFEST_NAME).is_file()


def failing(files: dict[str, bytes]) -> Iterator[tuple[str, bytes]]:
    yield from files.items()
    raise RuntimeError("renderer crashed")


def test_a_failure_mid_stream_leaves_the_previous_output_intact(tmp_path: Path) -> None:
    out = tmp_path / "out"
    sync_output(out, FILES.items())
    before = file_states(out)
    new = {"a.json": b"changed", "v1/new/deep/file.json": b"new"}
    with pytest.raises(RuntimeError, match="renderer crashed"):
        sync_output(out, failing(new))
    assert file_states(out) == before
    assert not (out / "v1" / "new").exists()


def test_a_failed_first_build_leaves_an_empty_folder(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with pytest.raises(RuntimeError):
        sync_output(out, failing(FILES))
    assert list(out.rglob("*")) == []


@pytest.mark.parametrize(
    "bad",
    ["/etc/passwd", "../x", "a/../../x", "a/./b", "a//b", "a\\b", "a\x00b", "C:/x", "", "a/", MANIFEST_NAME],
)
def test_unsafe_paths_are_rejected_and_nothing_is_written(tmp_path: Path, bad: str) -> None:
    with pytest.raises(ValueError):
        check_relative_path(bad)
    out = tmp_path / "out"
    with pytest.raises(ModelatlasError, match="unsafe path"):
        sync_output(out, [("ok.json", b"{}"), (bad, b"x")])
    assert list(out.rglob("*")) == []
    assert not (tmp_path / "x").exists()


def test_duplicate_paths_are_an_error(tmp_path: Path) -> None:
    with pytest.raises(ModelatlasError, match="share the path"):
        sync_output(tmp_path / "out", [("a.json", b"1"), ("a.json", b"2")])


def test_a_symlinked_folder_pointing_outside_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "out"
    sync_output(out, [("a.json", b"1")])
    outside = tmp_path / "outside"
    outside.mkdir()
    os.symlink(outside, out / "v1")
    with pytest.raises(ModelatlasError, match="outside"):
        sync_output(out, [("a.json", b"1"), ("v1/x.json", b"2")])
    assert list(outside.iterdir()) == []


def test_refuses_a_foreign_non_empty_folder(tmp_path: Path) -> None:
    (tmp_path / "important.txt").write_text("keep")
    with pytest.raises(InputError, match="not written by modelatlas"):
        sync_output(tmp_path, FILES.items())
    assert [p.name for p in tmp_path.iterdir()] == ["important.txt"]


def test_refuses_a_file_as_out_folder(tmp_path: Path) -> None:
    target = tmp_path / "file"
    target.write_text("x")
    with pytest.raises(InputError, match="not a folder"):
        sync_output(target, FILES.items())


def lazy_files(key: str, calls: list[str], content: bytes = b"<p>page</p>") -> list[tuple[str, Lazy]]:
    def produce() -> bytes:
        calls.append(key)
        return content

    return [("model/x.html", Lazy(key, produce))]


def test_a_lazy_file_with_its_recorded_key_is_not_rendered(tmp_path: Path) -> None:
    out, calls = tmp_path / "out", []
    assert sync_output(out, lazy_files("k1", calls)).written == 1
    before = file_states(out)
    report = sync_output(out, lazy_files("k1", calls))
    assert calls == ["k1"] and (report.written, report.unchanged) == (0, 1)
    assert file_states(out) == before
    assert read_manifest(out)["model/x.html"].key == "k1"


def test_a_lazy_file_is_rendered_when_its_key_changes_or_its_file_is_gone(tmp_path: Path) -> None:
    out, calls = tmp_path / "out", []
    sync_output(out, lazy_files("k1", calls))
    report = sync_output(out, lazy_files("k2", calls))  # same bytes: rendered, compared, not rewritten
    assert calls == ["k1", "k2"] and (report.written, report.unchanged) == (0, 1)
    assert read_manifest(out)["model/x.html"].key == "k2"
    (out / "model/x.html").unlink()
    assert sync_output(out, lazy_files("k2", calls)).written == 1 and calls[-1] == "k2" and len(calls) == 3
    (out / "model/x.html").write_bytes(b"edited by hand, another size")
    sync_output(out, lazy_files("k2", calls))
    assert len(calls) == 4 and (out / "model/x.html").read_bytes() == b"<p>page</p>"


def test_unchanged_build_needs_the_same_inputs_and_every_file(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert unchanged_build(out, "inputs-1") is None
    sync_output(out, FILES.items(), inputs="inputs-1")
    assert unchanged_build(out, "inputs-1") == BuildReport(written=0, unchanged=len(FILES), removed=0)
    assert unchanged_build(out, "inputs-2") is None
    (out / "v1/model/x/y.json").write_bytes(b"{ }")  # another size
    assert unchanged_build(out, "inputs-1") is None
    (out / "v1/model/x/y.json").unlink()
    assert unchanged_build(out, "inputs-1") is None


def test_a_format_1_manifest_is_still_read(tmp_path: Path) -> None:
    out = tmp_path / "out"
    sync_output(out, FILES.items())
    (out / MANIFEST_NAME).write_text(json.dumps({"format": 1, "files": {"a.json": [7, "ab"]}}))
    assert read_manifest(out) == {"a.json": (7, "ab", None)}
    assert unchanged_build(out, "anything") is None


def test_build_caches_made_while_loading_or_by_a_renderer_are_kept_linked_and_never_counted(
    tmp_path: Path,
) -> None:
    """Both kinds of cache (bytes the build made as it loaded, a renderer's Deferred) are staged one
    way: beside the manifest, linked from the current output when their bytes are the previous
    build's, written when not, never counted as output files; an unknown name is a bug."""
    out = tmp_path / "out"

    def build(links: bytes, rows: bytes) -> BuildReport:
        files = [("a.json", b"{}"), (ROWS_CACHE_NAME, Deferred(lambda: rows, cache=True))]
        return sync_output(out, files, caches={LINKS_CACHE_NAME: links})

    assert build(b"L1", b"R1").written == 1
    inodes = {name: (out / name).stat().st_ino for name in (LINKS_CACHE_NAME, ROWS_CACHE_NAME)}
    recorded = {name: tuple(entry[:2]) for name, entry in (load_manifest(out).caches or {}).items()}
    assert recorded == {
        LINKS_CACHE_NAME: (2, hashlib.sha256(b"L1").hexdigest()),
        ROWS_CACHE_NAME: (2, hashlib.sha256(b"R1").hexdigest()),
    }
    second = build(b"L1", b"R2")  # the links kept, the rows changed
    assert (second.written, second.unchanged) == (0, 1)
    assert (out / LINKS_CACHE_NAME).stat().st_ino == inodes[LINKS_CACHE_NAME]
    assert (out / ROWS_CACHE_NAME).stat().st_ino != inodes[ROWS_CACHE_NAME]
    assert (out / ROWS_CACHE_NAME).read_bytes() == b"R2"
    third = build(b"L3", b"R2")  # and the other way round
    assert (third.written, third.unchanged) == (0, 1) and (out / LINKS_CACHE_NAME).read_bytes() == b"L3"
    with pytest.raises(ModelatlasError, match="unknown or second build cache"):
        sync_output(out, [("a.json", b"{}")], caches={"notes.txt": b"x"})
