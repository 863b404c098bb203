"""What the last build made of each article, kept so a build redoes only the work whose inputs changed.

An article's page in one edition is a function of its seed, its memory in that language and the
edition's context: the toolkit's code, the language, the engine and model, the term base and the
definitions, the glossary's machine texts, the site settings. :func:`input_key` hashes them (the seed
by its sha256, the memory by its bytes); when the key is the one recorded, the build takes the
recorded page model instead of translating and rendering the article again, links the live site page
(while its bytes are the ones recorded) instead of writing it, and takes each book's key from the keys
of its articles instead of rendering the book for pandoc to hash it. An article whose seed and memory
are as recorded is not looked up in the memories either: its memory holds every sentence.

The records are JSON under ``.press/cache/`` (generated, never committed): ``<lang>.json`` per edition
and ``seeds.json`` (the seeds whose language was checked and whose template was written). They are
saved after a build succeeded and hold only what that build had; a missing, unreadable or foreign
record, or an entry under another key, means "not known" and the work is done again: a record never
makes a build guess.

An edition's record also keeps its memories as the build left them (``memories:``: per file its
sha256 and the short hashes of its reviewed sentences), so the next build can tell a memory that
lost reviewed work (cut short, emptied, deleted) and stop (:func:`tools.memory.losses`).
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import json
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from tools.fsutil import write_atomic

VERSION = 1
MEMORIES = "memories:"  # the entry of an edition's memories (no article id has a colon)
_CODE_SUFFIXES = {".py", ".css", ".typ", ".java", ".lock"}


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@functools.cache
def code_hash() -> str:
    """The toolkit's own files (code, templates, stylesheet) and the libraries whose data shape a page."""
    tools = Path(__file__).parents[1]
    digest = hashlib.sha256(sys.version.encode())
    for name in ("babel", "PyYAML", "Markdown"):
        digest.update(f"\0{name} {_version(name)}".encode())
    for path in sorted(p for p in tools.rglob("*") if p.suffix in _CODE_SUFFIXES and "__pycache__" not in p.parts):
        digest.update(b"\0" + path.relative_to(tools).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def _version(name: str) -> str:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return "-"


def input_key(*parts: str) -> str:
    """One hash of several strings (each kept apart, so no two lists of parts hash alike)."""
    return sha256(json.dumps(parts, ensure_ascii=False))


@dataclass
class Record:
    """One record file: what it held when read, and what this build keeps (only that is saved)."""

    path: Path
    held: dict = field(default_factory=dict)
    kept: dict = field(default_factory=dict)

    @classmethod
    def read(cls, path: Path) -> Record:
        """The record at ``path``; empty when there is none or it is not one of this version."""
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            data = None
        held = data.get("entries") if isinstance(data, dict) and data.get("version") == VERSION else None
        return cls(path, held if isinstance(held, dict) else {})

    def get(self, name: str, key: str) -> dict | None:
        """What was recorded under ``name`` for inputs ``key``, or None."""
        entry = self.held.get(name)
        return entry if isinstance(entry, dict) and entry.get("key") == key else None

    def keep(self, name: str, entry: dict) -> None:
        self.kept[name] = entry

    def memories(self) -> dict:
        """The edition's memories as the last build left them (file name → ``{"sha", "reviewed"}``), or {}."""
        entry = self.held.get(MEMORIES)
        files = entry.get("files") if isinstance(entry, dict) else None
        return files if isinstance(files, dict) else {}

    def keep_memories(self, files: dict) -> None:
        """Keep each memory's sha256 and reviewed sentences (what the next build checks), nothing else."""
        kept = {name: {k: v for k, v in held.items() if k in ("sha", "reviewed")} for name, held in files.items()}
        self.kept[MEMORIES] = {"key": "", "files": kept}

    def save(self) -> None:
        data = {"version": VERSION, "entries": self.kept}
        write_atomic(self.path, json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n")


def output_stamps(root: Path, paths: Iterable[Path]) -> dict[str, list[int]]:
    """Each output a build left, by its path under ``root``: its size and mtime (ns), for :func:`outputs_as_recorded`."""
    stamps = {}
    for path in paths:
        stat = path.stat()
        stamps[path.relative_to(root).as_posix()] = [stat.st_size, stat.st_mtime_ns]
    return stamps


def outputs_as_recorded(root: Path, stamps: object) -> bool:
    """Whether every output recorded by :func:`output_stamps` is still there, its size and mtime as recorded
    (cheap: no file is read). No record, or a foreign one, is False: the build runs rather than guesses."""
    if not isinstance(stamps, dict) or not stamps:
        return False
    for name, stamp in stamps.items():
        try:
            stat = (root / name).stat()
        except (OSError, ValueError):
            return False
        if stamp != [stat.st_size, stat.st_mtime_ns]:
            return False
    return True
