"""A language's memories as one translation memory, read through an index of what each file holds."""

from __future__ import annotations

import json
from pathlib import Path

from tools.fsutil import file_sha, write_atomic
from tools.memory.entries import Known, Memory


class LanguageMemory:
    """Every memory file of one language, as one translation memory: a sentence is translated once.

    The files are read at the first lookup (a build that needs none reads none). With an ``index`` folder
    (``.press/cache/<lang>.memories/``), what each file holds is kept there (``<file>.json``) under the
    file's sha256 (and its size and time, to skip hashing it), and only a file whose bytes changed is
    parsed again: an edit at 1,000 articles parsed 1,000 memories. A memory this build wrote is indexed
    from what was written (:meth:`learn`); an entry that no longer describes its file is never believed.
    """

    def __init__(self, folder: Path, lang: str, source: str, index: Path | None = None) -> None:
        self._known: dict[str, Known] | None = None
        self._folder, self._lang, self._source, self._index = folder, lang, source, index
        self._base = folder.parent.parent  # memories are named from the project's root in provenance

    def _read(self) -> dict[str, Known]:
        if self._known is None:
            self._known = {}
            for path in sorted(self._folder.glob("*.po")) if self._folder.is_dir() else []:
                held = self._held(path)
                entry = _indexed(held, path)
                if entry is None:
                    entry = _entry(path, _sentences(Memory.load(path, self._lang, self._source)))
                if entry is not held:
                    self._keep(path, entry)
                self._add(path, entry["known"])
        return self._known

    def learn(self, memory: Memory) -> None:
        """Add a memory's translations (once the files are read; until then its file holds them); index what
        this build wrote."""
        if not (memory.written or self._known is not None):
            return
        known = _sentences(memory)
        if memory.written and memory.path.is_file():
            self._keep(memory.path, _entry(memory.path, known))
        if self._known is not None:
            self._add(memory.path, known)

    def _held(self, path: Path) -> object:
        if self._index is None:
            return None
        try:
            return json.loads((self._index / f"{path.name}.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None

    def _keep(self, path: Path, entry: dict) -> None:
        if self._index is not None:
            write_atomic(
                self._index / f"{path.name}.json", json.dumps(entry, ensure_ascii=False, separators=(",", ":"))
            )

    def _add(self, path: Path, known: dict[str, list]) -> None:
        """A memory's translations (sentence → [msgstr, reviewed, comment]); a reviewed one wins over machine output."""
        assert self._known is not None
        where = path.relative_to(self._base).as_posix() if path.is_relative_to(self._base) else ""
        for text, (msgstr, reviewed, comment) in known.items():
            held = self._known.get(text)
            if held is None or (reviewed and not held.reviewed):
                self._known[text] = Known(msgstr, bool(reviewed), comment, path, where)

    def lookup(self, text: str, exclude: Path) -> Known | None:
        """The best translation of ``text`` held by a file other than ``exclude``."""
        known = self._read().get(text)
        return known if known is not None and known.path != exclude else None


def _sentences(memory: Memory) -> dict[str, list]:
    """What a memory offers the language's other memories, as the index keeps it: sentence → [msgstr, reviewed,
    comment]."""
    return {text: [k.msgstr, k.reviewed, k.comment] for text, k in memory.known().items()}


def _entry(path: Path, known: dict[str, list]) -> dict:
    """An index entry for a memory file as it is on disk now."""
    info = path.stat()
    return {"sha": file_sha(path), "stat": [info.st_mtime_ns, info.st_size], "known": known}


def _indexed(entry: object, path: Path) -> dict | None:
    """The index entry when it describes the file as it is (same size and time, else same sha256), else None."""
    if not (isinstance(entry, dict) and _readable(entry.get("known"))):
        return None
    info = path.stat()
    if entry.get("stat") == [info.st_mtime_ns, info.st_size]:
        return entry
    if entry.get("sha") == file_sha(path):
        return entry | {"stat": [info.st_mtime_ns, info.st_size]}
    return None


def _readable(known: object) -> bool:
    """An index entry's sentences as :meth:`LanguageMemory._add` takes them (else the file is parsed again)."""
    return isinstance(known, dict) and all(
        isinstance(v, list) and len(v) == 3 and isinstance(v[0], str) and isinstance(v[2], str) for v in known.values()
    )
