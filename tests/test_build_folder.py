"""The manifest's encoding (build_folder.py): byte for byte what ``json.dumps`` writes, whatever the
paths and digests hold, in batches or not."""

from __future__ import annotations

import json

import pytest

from modelatlas import build_folder
from modelatlas.build_folder import MANIFEST_FORMAT, Manifest, ManifestEntry, manifest_pieces

SHA = "ab" * 32
KEY = "cd" * 32
# Every kind of character json.dumps escapes (a quote, a backslash, control characters, DEL and
# non-ASCII ones), and the printable ASCII ones it writes as they are.
ODD_PATHS = ['a"b.json', "a\\b.json", "tab\there.json", "nl\n.json", "café.html", "del\x7f.json",
             "😀.json", "sp ace/~!#$%&'()*+,-.:;<=>?@[]^_`{|}.json"]


def _as_json_dumps(manifest: Manifest) -> bytes:
    """The manifest as one ``json.dumps`` of it writes it (what the encoder replaced)."""
    files = {path: entry if entry.key else entry[:2] for path, entry in sorted(manifest.files.items())}
    document = {"format": MANIFEST_FORMAT, "files": files, "inputs": manifest.inputs}
    if manifest.caches:
        document["caches"] = {name: list(entry[:2]) for name, entry in sorted(manifest.caches.items())}
    return json.dumps(document, separators=(",", ":")).encode()


@pytest.mark.parametrize("batch", [1, 2, 3, 10_000])
def test_the_manifest_is_what_json_dumps_writes_in_any_batch(
    batch: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(build_folder, "MANIFEST_BATCH", batch)
    files = {f"model/p/{n}.html": ManifestEntry(n * 1000, SHA, KEY if n % 2 else None) for n in range(7)}
    files["v1/empty-key.json"] = ManifestEntry(0, SHA, "")  # an empty key is no key
    manifest = Manifest(files, "inputs-1", {".modelatlas-links.json": ManifestEntry(5, SHA)})
    text = b"".join(manifest_pieces(manifest))
    assert text == _as_json_dumps(manifest)
    assert json.loads(text)["files"]["model/p/1.html"] == [1000, SHA, KEY]


@pytest.mark.parametrize("odd", ODD_PATHS)
@pytest.mark.parametrize("where", ["path", "sha256", "key"])
def test_a_string_that_needs_an_escape_is_escaped_as_json_dumps_escapes_it(odd: str, where: str) -> None:
    # A previous manifest edited by hand is read back as it is: its strings reach the encoder.
    entry = {"path": ManifestEntry(7, SHA, KEY), "sha256": ManifestEntry(7, odd, KEY),
             "key": ManifestEntry(7, SHA, odd)}[where]
    files = {"a.json": ManifestEntry(1, SHA), (odd if where == "path" else "b.json"): entry}
    manifest = Manifest(files, None)
    text = b"".join(manifest_pieces(manifest))
    assert text == _as_json_dumps(manifest)
    assert json.loads(text)["files"] == {path: list(e if e.key else e[:2]) for path, e in files.items()}


def test_an_empty_manifest_is_one_json_document() -> None:
    text = b"".join(manifest_pieces(Manifest({}, None)))
    assert json.loads(text) == {"format": MANIFEST_FORMAT, "files": {}, "inputs": None}
