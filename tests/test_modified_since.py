"""Whether anything under a project's folders changed since a build's mark (:func:`tools.fsutil.modified_since`):
what decides that a no-op ``press build`` or ``press site`` does nothing. Every change to a tree is seen, however
deep and through links; a tree left alone is not."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tools.fsutil import modified_since

MARK = time.time_ns() - 60 * 10**9  # the build's mark, a minute ago: adding or removing a file dates its folder now
BEFORE = MARK - 60 * 10**9


def _tree(root: Path) -> Path:
    """A project's folder: pages two folders deep, a book beside, a link to a file outside and one to a folder
    outside; everything older than the mark."""
    outside = root / "outside"
    (outside / "shelf").mkdir(parents=True)
    (outside / "note.txt").write_text("n")
    (outside / "shelf" / "book.pdf").write_text("b")
    docs = root / "docs"
    (docs / "es" / "archive").mkdir(parents=True)
    (docs / "es" / "archive" / "2026-01.md").write_text("a")
    (docs / "es" / "page.md").write_text("p")
    (docs / "book.epub").write_text("e")
    (docs / "note.txt").symlink_to(outside / "note.txt")
    (docs / "shelf").symlink_to(outside / "shelf", target_is_directory=True)
    for path in sorted(root.rglob("*"), reverse=True):  # children before their folders
        os.utime(path, ns=(BEFORE, BEFORE), follow_symlinks=False)
        if not path.is_symlink():
            os.utime(path, ns=(BEFORE, BEFORE))
    return docs


def _touch(path: Path) -> None:
    os.utime(path)  # now


CHANGES: dict[str, Callable[[Path], None]] = {
    "a page deep down": lambda docs: _touch(docs / "es" / "archive" / "2026-01.md"),
    "a file at the top": lambda docs: _touch(docs / "book.epub"),
    "a file removed (its folder's time)": lambda docs: (docs / "es" / "page.md").unlink(),
    "a file added": lambda docs: (docs / "es" / "new.md").write_text("n"),
    "a linked file's target": lambda docs: _touch(docs.parent / "outside" / "note.txt"),
    "a file in a linked folder": lambda docs: _touch(docs.parent / "outside" / "shelf" / "book.pdf"),
    "the folder itself": lambda docs: _touch(docs),
}


@pytest.mark.parametrize("change", list(CHANGES))
def test_every_change_under_a_folder_is_seen(tmp_path: Path, change: str) -> None:
    docs = _tree(tmp_path)
    assert not modified_since([docs], MARK)
    CHANGES[change](docs)
    assert modified_since([docs], MARK)


def test_a_tree_left_alone_a_missing_path_and_a_broken_link_are_not_changes(tmp_path: Path) -> None:
    docs = _tree(tmp_path)
    (docs / "gone").symlink_to(tmp_path / "nowhere")
    os.utime(docs / "gone", ns=(BEFORE, BEFORE), follow_symlinks=False)
    os.utime(docs, ns=(BEFORE, BEFORE))
    assert not modified_since([docs, tmp_path / "missing", docs / "book.epub"], MARK)


def test_the_first_change_is_enough(tmp_path: Path) -> None:
    """A file given as such (not a folder) is one entry; a change in the second of two paths counts."""
    docs = _tree(tmp_path)
    _touch(docs.parent / "outside" / "note.txt")
    assert modified_since([docs / "es", docs.parent / "outside" / "note.txt"], MARK)
