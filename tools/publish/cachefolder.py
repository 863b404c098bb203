"""A folder of cached values, a file each under its key: what the site's caches keep between builds.

One file per key, not one record for all: a build reads the values it uses and writes the ones it made, so a
small edit at 1,000 articles neither parses nor rewrites, nor holds in memory, the whole site's cache. A file's
first line is the sha256 of its key and its value, so a torn, damaged or misplaced file reads as missing, never
as another value; files are written through a temporary file and a rename, without an fsync (a cache: what a
crash tears is a miss). After a build the folder keeps the values that build used (:meth:`CacheFolder.keep_only`).
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from pathlib import Path

_KEY = re.compile(r"[0-9a-f]{64}")


class CacheFolder:
    """Values (bytes) under sha256 keys in ``folder``, one file each (``<key><suffix>``)."""

    def __init__(self, folder: Path, suffix: str) -> None:
        self.folder, self.suffix = folder, suffix

    @staticmethod
    def is_key(value: object) -> bool:
        """Whether ``value`` is a key a value can be kept under (a sha256, in hex)."""
        return isinstance(value, str) and _KEY.fullmatch(value) is not None

    def path(self, key: str) -> Path:
        return self.folder / self._name(key)

    def _name(self, key: str) -> str:
        if not _KEY.fullmatch(key):
            raise ValueError(f"not a sha256 key: {key!r}")
        return f"{key}{self.suffix}"

    def read(self, key: str) -> bytes | None:
        """The value under ``key``; None when it is missing or its file fails its check. (A site build reads four
        a page: the path is a string here, not pathlib's.)"""
        try:
            with open(os.path.join(self.folder, self._name(key)), "rb") as handle:
                data = handle.read()
        except OSError:
            return None
        check, _, value = data.partition(b"\n")
        return value if check == _check(key, value) else None

    def write(self, key: str, value: bytes) -> None:
        """Keep ``value`` under ``key``; a folder that cannot be written only means the next build makes it again."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".cache.", suffix=".tmp", dir=self.folder)
            with os.fdopen(fd, "wb") as handle:
                handle.write(_check(key, value) + b"\n" + value)
            os.replace(tmp, self.path(key))
        except OSError:
            return

    def keep_only(self, keys: set[str]) -> None:
        """Remove every file but those of ``keys`` (and any a build left half-written)."""
        try:
            names = os.listdir(self.folder)
        except OSError:
            return
        keep = {f"{key}{self.suffix}" for key in keys}
        for name in names:
            if name not in keep:
                (self.folder / name).unlink(missing_ok=True)


def _check(key: str, value: bytes) -> bytes:
    """A file's first line: the sha256 of its key and its value (another key's file fails it too)."""
    digest = hashlib.sha256(key.encode() + b"\0")
    digest.update(value)  # not joined first: a page's HTML is not copied to be hashed
    return digest.hexdigest().encode()
