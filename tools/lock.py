"""One writer at a time: the project's lock, held by every command that writes the project.

``press build``, ``press site``, ``press ebooks``, ``press check`` (unless ``--no-write``),
``press memory import``, ``press review --accept`` and the build that ``mkdocs serve`` runs
each hold an exclusive ``flock`` on ``.press/locks/press.lock`` (:attr:`Layout.writer_lock`)
for as long as they run, and write their pid and name into it. Two builds at once used to
delete each other's outputs and leave a record saying they were up to date; now a second
writer waits up to ``PRESS_LOCK_WAIT`` seconds (default :data:`WAIT`) for the first to end,
then stops with one line naming it. The kernel frees a lock when its holder dies, even by
SIGKILL, so a lock file left by a dead run is simply taken over: the pid in it is read only
while someone holds the lock. The lock is re-entrant within a process (the CLI holds it
around ``press build``, whose hooks may ask again).
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
import os
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import ParamSpec, TypeVar

from tools.diagnostics import shown
from tools.errors import PressError
from tools.fsutil import system_error
from tools.layout import Layout

WAIT = 10.0  # seconds a second writer waits for the first before it stops
WAIT_ENV = "PRESS_LOCK_WAIT"
_POLL = 0.05
_held: dict[Path, int] = {}  # lock files this process holds → how deep
_guard = threading.Lock()
P = ParamSpec("P")
R = TypeVar("R")


def wait_seconds() -> float:
    """How long to wait for another writer: ``PRESS_LOCK_WAIT`` (seconds), else :data:`WAIT`."""
    given = os.environ.get(WAIT_ENV, "").strip()
    if not given:
        return WAIT
    try:
        seconds = float(given)
    except ValueError:
        seconds = -1.0
    if not 0 <= seconds < float("inf"):
        raise PressError(
            None, None, f"{WAIT_ENV}={shown(given)} is not a number of seconds", f"set {WAIT_ENV}=30, or unset it"
        )
    return seconds


@contextlib.contextmanager
def one_writer(layout: Layout, command: str, wait: float | None = None) -> Iterator[None]:
    """Hold the project's writer lock while the block runs (``command`` names this run to a waiting one);
    wait up to ``wait`` seconds (default :func:`wait_seconds`) for another holder, then raise PressError."""
    path = layout.writer_lock.resolve()
    with _guard:
        if path in _held:  # this process holds it already
            _held[path] += 1
            reentered = True
        else:
            reentered = False
    if reentered:
        try:
            yield
        finally:
            with _guard:
                _held[path] -= 1
        return
    fd = _open(path)
    try:
        _acquire(fd, path, wait_seconds() if wait is None else wait)
        _sign(fd, path, command)
        with _guard:
            _held[path] = 1
        try:
            yield
        finally:
            with _guard:
                del _held[path]
            os.ftruncate(fd, 0)  # the next reader finds no pid of a run that has ended
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def _open(path: Path) -> int:
    """The lock file's descriptor (made with its folder); a full disk or a read-only project is one line."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        return os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    except OSError as exc:
        raise system_error(exc, path) or exc from None


def _sign(fd: int, path: Path, command: str) -> None:
    """Write this run's pid and command into the lock it holds, for a waiting run to name."""
    try:
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()} {command}\n".encode(), 0)
    except OSError as exc:
        raise system_error(exc, path) or exc from None


def writes_project(command: str) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """A function whose first argument is a project's root (a path or a :class:`Layout`) runs holding its writer
    lock: what it writes (the build's record too) is written by the one run that holds it."""

    def decorate(function: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(function)
        def holding(*args: P.args, **kwargs: P.kwargs) -> R:
            root = args[0]
            layout = root if isinstance(root, Layout) else Layout(Path(root))  # type: ignore[arg-type]
            with one_writer(layout, command):
                return function(*args, **kwargs)

        return holding

    return decorate


def _acquire(fd: int, path: Path, wait: float) -> None:
    """Take the lock on ``fd``, polling until ``wait`` seconds have passed; PressError naming the holder then."""
    deadline = time.monotonic() + wait
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() >= deadline:
                break
            time.sleep(_POLL)
    pid, command = holder(path)
    who = f"pid {pid}" if pid else "its pid not yet written"
    stop = f"stop it: kill {pid}" if pid else f"stop it (fuser {path} names it)"
    raise PressError(
        path,
        None,
        f"another {command or 'press run'} is running ({who})",
        f"wait for it to finish ({WAIT_ENV}=SECONDS waits longer, now {wait:g} s), or {stop}",
    )


def holder(path: Path) -> tuple[int | None, str]:
    """The pid and command written in a held lock file; (None, "") while the holder has not written them yet.
    A pid that is not alive (the holder just took the lock from a dead run) is read again briefly."""
    for _ in range(20):
        try:
            pid_text, _, command = path.read_text(encoding="utf-8").strip().partition(" ")
            pid = int(pid_text)
        except (OSError, ValueError):
            pid, command = None, ""
        if pid is not None and _alive(pid):
            return pid, command
        time.sleep(_POLL)
    return None, ""


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
