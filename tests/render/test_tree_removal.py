"""The previous output is removed whole, by two processes when it is big (render/tree_removal.py),
never following a link out of it, and whatever a failing helper left is removed by the build."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from modelatlas.render import tree_removal
from modelatlas.render.tree_removal import remove_tree


def make_tree(root: Path, outside: Path) -> int:
    """A tree of folders of different sizes, with a link to a folder outside it; its file count."""
    count = 0
    for top, width in (("model", 5), ("v1/model", 5), ("canonical", 2)):
        for index in range(width):
            folder = root / top / f"p{index}"
            folder.mkdir(parents=True)
            for number in range(3 * index + 1):
                (folder / f"{number}.html").write_text("x")
                count += 1
    (root / "index.html").write_text("home")
    (outside / "kept.txt").write_text("not ours")
    os.symlink(outside, root / "model" / "linked")
    return count + 2


@pytest.fixture
def shared(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tree_removal, "SHARED_FROM", 2)
    monkeypatch.setattr(tree_removal, "process_count", lambda: 2)


def test_a_big_tree_is_removed_by_two_processes_without_following_links(
    tmp_path: Path, shared: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    root, outside = tmp_path / "old", tmp_path / "outside"
    outside.mkdir()
    count = make_tree(root, outside)
    folders = tree_removal._folders(str(root))
    mine, theirs = tree_removal._halves(folders)
    assert mine and theirs and abs(sum(len(n) for _f, n in mine) - sum(len(n) for _f, n in theirs)) <= 13
    assert sum(len(names) for _folder, names in folders) == count
    forks: list[int] = []
    real_fork = os.fork

    def counted_fork() -> int:
        forks.append(1)
        return real_fork()

    monkeypatch.setattr(tree_removal.os, "fork", counted_fork)
    remove_tree(root)
    assert forks == [1] and not root.exists()
    assert (outside / "kept.txt").read_text() == "not ours"


def test_what_a_failing_helper_leaves_is_removed_by_the_build(
    tmp_path: Path, shared: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    root, outside = tmp_path / "old", tmp_path / "outside"
    outside.mkdir()
    make_tree(root, outside)
    build = os.getpid()
    real = tree_removal._unlink_all

    def failing_in_the_helper(folders: tree_removal.Folders) -> None:
        if os.getpid() != build:
            raise OSError("the helper fails")
        real(folders)

    monkeypatch.setattr(tree_removal, "_unlink_all", failing_in_the_helper)
    remove_tree(root)
    assert not root.exists() and (outside / "kept.txt").is_file()


def test_a_tree_is_removed_from_the_listing_it_is_given_whatever_changed_since(
    tmp_path: Path, shared: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The build hands over the listing its walk for foreign files made (relative folders): the tree
    is not listed again, and a file added since or a folder gone since changes nothing."""
    root, outside = tmp_path / "old", tmp_path / "outside"
    outside.mkdir()
    make_tree(root, outside)
    listing = [("" if folder == str(root) else os.path.relpath(folder, root), names)
               for folder, names in tree_removal._folders(str(root))]
    listing.append(("gone/since", ["a.html"]))  # listed, then removed by hand
    (root / "model" / "p0" / "added-since.html").write_text("x")
    monkeypatch.setattr(tree_removal, "_folders", lambda _root: pytest.fail("listed again"))
    remove_tree(root, listing)
    assert not root.exists() and (outside / "kept.txt").read_text() == "not ours"
