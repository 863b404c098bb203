"""The files beside a memory: its backup (``FILE.po~``) and its lock (under ``.press/locks/``)."""

from __future__ import annotations

import contextlib
import fcntl
from collections.abc import Iterator
from pathlib import Path

from tools.layout import memory_lock


def backup_path(path: Path) -> Path:
    """Where a memory's backup goes: ``FILE.po~`` beside it (one: the file as it was before the last change that
    replaced reviewed work, or a repair)."""
    return path.with_name(path.name + "~")


@contextlib.contextmanager
def locked(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``path``'s lock file: one build changes a memory at a time. The lock file is
    under ``.press/locks/`` (:func:`tools.layout.memory_lock`): taking it changes nothing ``mkdocs serve`` watches."""
    lock_path = memory_lock(path)
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_path, "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
