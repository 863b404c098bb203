"""Atomic file output (a reader or an interrupted build never sees half a file), and files' hashes."""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path


def write_atomic(path: Path, data: str | bytes) -> bool:
    """Write ``data`` to ``path`` through a temporary file and a rename.

    Returns False, without touching the file (or its mtime, which ``make``
    reads), when it already holds exactly ``data``.
    """
    raw = data.encode("utf-8") if isinstance(data, str) else data
    if path.is_file() and path.read_bytes() == raw:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(raw)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return True


def same_bytes(first: Path, second: Path) -> bool:
    """True when two files hold the same bytes (sizes first, then contents)."""
    if first.stat().st_size != second.stat().st_size:
        return False
    return first.read_bytes() == second.read_bytes()


def modified_since(paths: list[Path], since: int) -> bool:
    """Whether any of ``paths``, or anything under one, was modified after ``since`` (nanoseconds); a removed
    file counts through its folder's time. Paths that do not exist are not modified."""
    return any(_modified_since(path, since) for path in paths)


def _modified_since(path: Path, since: int) -> bool:
    try:
        if path.stat().st_mtime_ns > since:
            return True
        if not path.is_dir():
            return False
        with os.scandir(path) as entries:
            return any(_modified_since(Path(entry.path), since) for entry in entries)
    except FileNotFoundError:
        return False


def file_sha(path: Path) -> str:
    """The file's sha256 (hex), or ``-`` when there is none."""
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return "-"
