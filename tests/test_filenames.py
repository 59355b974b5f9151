"""File-name safety for hostile upstream ids: portable, URL-safe, unique, never escaping a folder."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from modelatlas.filenames import MAX_SLUG, WINDOWS_RESERVED, FilenameCollision, check_unique, model_filename

HOSTILE = [
    "../../x",
    "..",
    ".",
    "a:b",
    "a/b",
    "a_b",
    "a\\b",
    "CON",
    "con",
    "nul.txt",
    "Com1.json",
    "lpt9",
    "x" * 300,
    "y" * 299 + "Y",
    "GPT-4o",
    "gpt-4o",
    "modèle-été",
    "模型",
    "emoji-🦙",
    "anthropic.claude-3-5-sonnet-20240620-v1:0",
    "meta/llama@2024?q=1#frag",
    "trailing.",
    ".hidden",
    "with space",
    "percent%2e%2e",
    "nul\x00byte",
    "",
]
SAFE_NAME = re.compile(r"[a-z0-9._~-]+")


@pytest.mark.parametrize("upstream_id", HOSTILE)
def test_names_are_portable_and_url_safe(upstream_id: str) -> None:
    name = model_filename(upstream_id)
    assert SAFE_NAME.fullmatch(name), name
    assert name not in (".", "..") and not name.startswith(".") and not name.endswith(".")
    assert ".." not in name
    assert name.split(".")[0] not in WINDOWS_RESERVED
    assert len(name.encode()) <= MAX_SLUG + 11
    assert (name + ".json").split(".")[0] not in WINDOWS_RESERVED


@pytest.mark.parametrize("upstream_id", HOSTILE)
def test_names_stay_inside_their_folder(tmp_path: Path, upstream_id: str) -> None:
    folder = tmp_path / "v1" / "model" / "bedrock"
    target = (folder / f"{model_filename(upstream_id)}.json").resolve()
    assert target.parent == folder.resolve()


def test_plain_ids_are_used_as_is() -> None:
    assert model_filename("gpt-4o") == "gpt-4o"
    assert model_filename("claude-3.5-sonnet_v2") == "claude-3.5-sonnet_v2"
    assert model_filename("a_b") == "a_b"


def test_ids_needing_changes_get_a_hash_and_a_readable_slug() -> None:
    assert re.fullmatch(r"gpt-4o~[0-9a-f]{10}", model_filename("GPT-4o"))
    assert re.fullmatch(r"con_~[0-9a-f]{10}", model_filename("CON"))
    assert re.fullmatch(r"nul_\.txt~[0-9a-f]{10}", model_filename("nul.txt"))
    assert model_filename("modèle-été").startswith("modele-ete~")


def test_names_are_deterministic() -> None:
    assert model_filename("a:b") == model_filename("a:b")


def test_no_collisions_even_case_insensitively() -> None:
    names = check_unique(HOSTILE)
    folded = [name.casefold() for name in names.values()]
    assert len(set(folded)) == len(set(HOSTILE))
    assert names["a/b"] != names["a_b"] != names["a:b"]
    assert names["GPT-4o"].casefold() != names["gpt-4o"].casefold()
    assert names["CON"] != names["con"]


def test_long_ids_that_share_a_prefix_stay_distinct() -> None:
    ids = ["p" * 200 + str(n) for n in range(50)]
    names = check_unique(ids)
    assert len(set(names.values())) == 50
    assert all(len(name) <= MAX_SLUG + 11 for name in names.values())


def test_check_unique_reports_a_collision(monkeypatch: pytest.MonkeyPatch) -> None:
    import modelatlas.filenames as filenames

    monkeypatch.setattr(filenames, "id_hash", lambda upstream_id: "0000000000")
    monkeypatch.setattr(filenames, "model_filename", filenames.model_filename.__wrapped__)  # not remembered
    with pytest.raises(FilenameCollision, match="both map to file name"):
        check_unique(["a:b", "a/b"])


def test_check_unique_accepts_the_same_id_twice() -> None:
    assert check_unique(["x", "x"]) == {"x": "x"}
