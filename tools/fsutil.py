"""Atomic file output (a reader or an interrupted build never sees half a file), and files' hashes.

A write the system refuses (a full disk, a read-only folder, no permission) is one line that names the path
and the fix (:func:`system_error`), never a traceback; any other OSError is a bug, and stays one.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson

from tools.errors import PressError

_FIXES = {
    errno.ENOSPC: "free space on the disk that holds it (df -h), then run the command again",
    errno.EDQUOT: "free space within your disk quota (quota -s), then run the command again",
    errno.EROFS: "mount it read-write, or work in a writable copy of the project",
    errno.EACCES: "give the user who runs press access to it (ls -ld; chown or chmod)",
    errno.EPERM: "give the user who runs press access to it (ls -ld; lsattr: is it immutable?)",
    errno.EIO: "the disk reported an error: check it (dmesg), then run the command again",
    errno.EFBIG: "the file system refuses a file this large: work on another one",
}


def write_atomic(path: Path, data: str | bytes) -> bool:
    """Write ``data`` to ``path`` through a temporary file and a rename.

    Returns False, without touching the file (or its mtime, which ``make``
    reads), when it already holds exactly ``data``.
    """
    raw = data.encode("utf-8") if isinstance(data, str) else data
    if path.is_file() and path.read_bytes() == raw:
        return False
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise_system_error(exc, path)
        raise
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(raw)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException as exc:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise_system_error(exc, path)
        raise
    return True


def raise_system_error(exc: OSError, path: Path) -> None:
    """Raise the one-line :func:`system_error` for ``exc``; return (for the caller to re-raise) when it is none."""
    error = system_error(exc, path)
    if error is not None:
        raise error from None


def system_error(exc: OSError, path: Path | str | None = None, doing: str = "cannot write: ") -> PressError | None:
    """A full disk, a read-only or forbidden place, as one line naming the path (``path``, else the exception's)
    and the fix; None for any other OSError (a bug, not the system's refusal)."""
    fix = _FIXES.get(exc.errno or 0)
    if fix is None:
        return None
    where = path if path is not None else exc.filename
    return PressError(where, None, doing + (exc.strerror or os.strerror(exc.errno or 0)), fix)


def refuse_unwritable(folders: set[Path]) -> None:
    """One line for the first folder (or, where it is yet to be made, the nearest one above) this process may not
    write in: a read-only file system, or no permission."""
    for folder in sorted(folders):
        existing = next((f for f in (folder, *folder.parents) if f.exists()), None)
        if existing is not None and not os.access(existing, os.W_OK):
            error = os.strerror(errno.EROFS) if _read_only(existing) else os.strerror(errno.EACCES)
            fix = _FIXES[errno.EROFS if _read_only(existing) else errno.EACCES]
            raise PressError(existing, None, f"cannot write: {error}", fix)


def _read_only(folder: Path) -> bool:
    return bool(os.statvfs(folder).f_flag & os.ST_RDONLY)


def same_bytes(first: Path, second: Path) -> bool:
    """True when two files hold the same bytes (sizes first, then contents)."""
    if first.stat().st_size != second.stat().st_size:
        return False
    return first.read_bytes() == second.read_bytes()


def file_system_now(folder: Path) -> int:
    """The time (ns) the file system in ``folder`` gives a file changed now: its clock, which may lag the system's
    by a tick, is the one every input's mtime is on."""
    folder.mkdir(parents=True, exist_ok=True)
    fd, probe = tempfile.mkstemp(prefix=".now.", dir=folder)
    try:
        return os.fstat(fd).st_mtime_ns
    finally:
        os.close(fd)
        os.unlink(probe)


def mark_as_of(mark: Path, start: int) -> None:
    """Give ``mark`` the time its run started reading (``start``, from :func:`file_system_now`) less a nanosecond:
    an input changed while the run read it, or in the tick it started, is newer than the mark, so the next
    run does not take the outputs for current. (Only for a run that writes none of its own inputs: ``press
    site``. ``press build`` writes the memories it reads, so its mark keeps the time it ended.)"""
    os.utime(mark, ns=(start - 1, start - 1))


def modified_since(paths: list[Path], since: int) -> bool:
    """Whether any of ``paths``, or anything under one, was modified after ``since`` (nanoseconds); a removed
    file counts through its folder's time. Paths that do not exist are not modified."""
    return any(_modified_since(path, since) for path in paths)


def _modified_since(path: Path, since: int) -> bool:
    try:
        if path.stat().st_mtime_ns > since:
            return True
        return path.is_dir() and _entries_modified_since(os.fspath(path), since)
    except FileNotFoundError:
        return False


def _entries_modified_since(folder: str, since: int) -> bool:
    """Whether anything under ``folder`` was modified after ``since``: one ``stat`` an entry, links followed as
    :meth:`Path.stat` follows them (a folder is known from the directory's entry itself, without a second ``stat``:
    at 3,000 articles a no-op build walks 44,000 entries)."""
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                try:
                    if entry.stat().st_mtime_ns > since:
                        return True
                    if entry.is_dir() and _entries_modified_since(entry.path, since):
                        return True
                except FileNotFoundError:  # removed meanwhile, or a link to nothing
                    continue
    except FileNotFoundError:
        return False
    except NotADirectoryError:  # a folder replaced by a file since its stat: a change
        return True
    return False


def text_sha(text: str) -> str:
    """The sha256 (hex) of a text's UTF-8 bytes."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def input_key(*parts: str) -> str:
    """One hash of several strings (each kept apart, so no two lists of parts hash alike). Its form is in every
    recorded key (each book's above all): changing it would make every page and book of a project again."""
    return text_sha(json.dumps(parts, ensure_ascii=False))


def json_bytes(value: Any, sort_keys: bool = False, default: Callable[[Any], Any] | None = None) -> bytes:
    """``value`` as compact JSON (UTF-8), by orjson: five times as fast as the standard library on the build's
    records and the site's per-page keys. What orjson refuses (an integer beyond 64 bits) is encoded by ``json``;
    a key that is not a string becomes one, as ``json`` does. orjson leaves each string that is not ASCII holding
    a UTF-8 copy of itself (CPython's cache) for as long as it lives: a long text that stays in memory (a page's
    HTML) is hashed apart (:func:`text_sha`), not given here (42 MB in an edition's mkdocs at 1,000 articles)."""
    option = orjson.OPT_NON_STR_KEYS | (orjson.OPT_SORT_KEYS if sort_keys else 0)
    try:
        return orjson.dumps(value, default=default, option=option)
    except orjson.JSONEncodeError:
        return json.dumps(value, sort_keys=sort_keys, default=default, ensure_ascii=False).encode("utf-8")


def data_sha(value: Any, default: Callable[[Any], Any] | None = None) -> str:
    """The sha256 (hex) of plain data, its keys sorted: a cache key (:func:`json_bytes`)."""
    return hashlib.sha256(json_bytes(value, sort_keys=True, default=default)).hexdigest()


def uuid_urn(identity: str) -> str:
    """A stable ``urn:uuid:`` for an identity (a feed entry, a book): the first 128 bits of its sha256."""
    return f"urn:uuid:{uuid.UUID(text_sha(identity)[:32])}"


def file_sha(path: Path) -> str:
    """The file's sha256 (hex), or ``-`` when there is none. A file read once in this process is not read again
    while it is the same file with the same size, mtime and ctime (a build looks at each memory several times: at
    3,000 articles each look read 3,000 files); any write changes its ctime, even one that sets its mtime back.
    The file system stamps times by a clock that ticks every few milliseconds, so two writes of one size can carry
    one stamp: a file changed in the last seconds is read every time (as git treats a "racy" entry)."""
    try:
        before = os.stat(path)
        key = _identity(before)
        if key in _SHAS:
            return _SHAS[key]
        sha = hashlib.sha256(path.read_bytes()).hexdigest()
        after = settled_stamp(os.stat(path))
    except OSError:
        return "-"
    if after is not None and tuple(after) == key:
        if len(_SHAS) >= _SHAS_HELD:
            _SHAS.clear()
        _SHAS[key] = sha
    return sha


def settled_stamp(stat: os.stat_result) -> list[int] | None:
    """A file's device, inode, size, mtime and ctime from ``stat``, when it had not changed for seconds then (what
    :func:`file_sha` holds a hash by: any later write changes one of them); None for a file changed since."""
    if time.time_ns() - max(stat.st_ctime_ns, stat.st_mtime_ns) <= _SETTLED_NS:
        return None
    return list(_identity(stat))


def _identity(stat: os.stat_result) -> tuple[int, ...]:
    return (stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns)


def relative_name(path: Path, root: Path) -> str:
    """``path`` under ``root`` as a POSIX name, cut as a string (pathlib's ``relative_to`` costs 20 µs a call: 0.2 s
    over a site's 8,700 pages); ValueError when it is not under it."""
    whole, prefix = str(path), f"{root}{os.sep}"
    return whole[len(prefix) :] if whole.startswith(prefix) else path.relative_to(root).as_posix()


_SHAS: dict[tuple[int, ...], str] = {}  # (device, inode, size, mtime, ctime) → sha256, for this process
_SHAS_HELD = 200_000
_SETTLED_NS = 2_000_000_000  # a file unchanged for this long has a stamp no later write of it can share
