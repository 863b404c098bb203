"""A file's sha256 (:func:`tools.fsutil.file_sha`), held for the process while the file is provably the same: the
same file, size, mtime and ctime, unchanged for seconds. Every way a file changes is read again."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from tools import fsutil
from tools.fsutil import file_sha

OLD = 10**9 * 1_000_000_000  # 2001: a stamp long settled


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def settled(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    os.utime(path, ns=(OLD, OLD))  # its ctime is now: held once it is more than two seconds old
    return path


@pytest.fixture
def later(monkeypatch: pytest.MonkeyPatch):
    """The clock a minute on: the file's ctime is settled."""
    now = fsutil.time.time_ns() + 60 * 10**9
    monkeypatch.setattr(fsutil.time, "time_ns", lambda: now)


def test_a_settled_file_is_read_once(tmp_path: Path, later, monkeypatch: pytest.MonkeyPatch) -> None:
    path = settled(tmp_path / "a.po", b"msgid one")
    reads = []
    real = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda p: reads.append(p) or real(p))
    assert file_sha(path) == file_sha(path) == file_sha(tmp_path / "." / "a.po") == sha(b"msgid one")
    assert len(reads) == 1


CHANGES = {
    "rewritten in place, the same size, its mtime set back": lambda p: (
        p.write_bytes(b"msgid two"),
        os.utime(p, ns=(OLD, OLD)),
    ),
    "replaced by another file (a rename)": lambda p: (
        (p.parent / "new").write_bytes(b"msgid two"),
        os.utime(p.parent / "new", ns=(OLD, OLD)),
        os.replace(p.parent / "new", p),
    ),
    "removed": lambda p: p.unlink(),
    "a folder in its place": lambda p: (p.unlink(), p.mkdir()),
    "cut short": lambda p: os.truncate(p, 3),
}


@pytest.mark.parametrize("change", list(CHANGES))
def test_every_change_of_a_file_is_read_again(tmp_path: Path, later, change: str) -> None:
    path = settled(tmp_path / "a.po", b"msgid one")
    assert file_sha(path) == sha(b"msgid one")
    CHANGES[change](path)
    expected = sha(path.read_bytes()) if path.is_file() else "-"
    assert file_sha(path) == expected != sha(b"msgid one")


def test_a_file_written_in_the_last_seconds_is_read_every_time(tmp_path: Path, monkeypatch) -> None:
    """Two writes of one size within the file system's clock tick can carry one stamp: a file this fresh is not
    held, so a same-size rewrite in the same tick (its stamps put back as they were) is still seen."""
    path = tmp_path / "a.po"
    path.write_bytes(b"msgid one")
    reads = []
    real = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda p: reads.append(p) or real(p))
    assert file_sha(path) == file_sha(path) == sha(b"msgid one")
    assert len(reads) == 2, "read each time"
    stamp = path.stat()
    path.write_bytes(b"msgid two")
    os.utime(path, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))
    assert file_sha(path) == sha(b"msgid two")


def test_a_name_under_a_root_is_cut_as_pathlib_cuts_it(tmp_path: Path) -> None:
    """``relative_name`` (the CSP pass, the build's output stamps): a string cut, the same name as ``relative_to``;
    a folder whose name only begins like the root's is not under it."""
    from tools.fsutil import relative_name

    root = tmp_path / "site"
    for path in (root / "index.html", root / "a" / "b" / "c.html", root / "a-b" / "index.html"):
        assert relative_name(path, root) == path.relative_to(root).as_posix()
    with pytest.raises(ValueError):
        relative_name(tmp_path / "site-old" / "index.html", root)
