"""A language's memories as one translation memory, read through an index of what each file holds."""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
from collections.abc import Iterable
from pathlib import Path

from tools.errors import PressError
from tools.fsutil import file_sha
from tools.memory.entries import Known, Memory

SCHEMA = 2  # the index's layout (SQLite's user_version): an index of another layout is made again
# known_by_file: a file's entries are replaced whenever it is written; without it, each replacement read the whole
# table (68,000 sentences at 1,000 articles: a file's 68 entries replaced in 42 ms; 3 ms with it)
_TABLES = """
CREATE TABLE files (name TEXT PRIMARY KEY, sha TEXT NOT NULL, mtime_ns INTEGER NOT NULL, size INTEGER NOT NULL);
CREATE TABLE known (
    sentence TEXT NOT NULL, name TEXT NOT NULL, msgstr TEXT NOT NULL, reviewed INTEGER NOT NULL, comment TEXT NOT NULL,
    PRIMARY KEY (sentence, name)
) WITHOUT ROWID;
CREATE INDEX known_by_file ON known (name);
"""


class LanguageMemory:
    """Every memory file of one language, as one translation memory: a sentence is translated once.

    What each file holds is indexed in SQLite (``.press/cache/<lang>.memories.sqlite``; in memory without an
    ``index``) under the file's sha256 and its size and time: a lookup reads the folder's listing, parses only
    a file whose bytes changed since it was indexed, and asks the index for the sentence. At 1,000 articles the
    index of a file each (JSON) took 0.5 s to read for one edited sentence. A memory this build wrote is indexed
    from what was written (:meth:`learn`); an entry that no longer describes its file is never believed, and a
    damaged index is made again from the files. Of the files holding a sentence, a reviewed translation wins,
    then the first file by name.
    """

    def __init__(self, folder: Path, lang: str, source: str, index: Path | None = None) -> None:
        self._folder, self._lang, self._source, self._index = folder, lang, source, index
        self._base = folder.parent.parent  # memories are named from the project's root in provenance
        self._db: sqlite3.Connection | None = None
        self._synced = False

    def learn(self, memory: Memory) -> None:
        """Index what this build wrote to a memory of this language's folder."""
        if memory.written and memory.path.parent == self._folder and memory.path.is_file():
            self._retrying(lambda db: _index_file(db, memory.path, _sentences(memory)))

    def lookup(self, text: str, exclude: Path) -> Known | None:
        """The best translation of ``text`` held by a file other than ``exclude`` (None when the best is there)."""
        row = self._retrying(lambda db: _best(self._synced_db(db), text))
        if row is None or self._folder / row[0] == exclude:
            return None
        name, msgstr, reviewed, comment = row
        path = self._folder / name
        where = path.relative_to(self._base).as_posix() if path.is_relative_to(self._base) else ""
        return Known(msgstr, bool(reviewed), comment, path, where)

    def close(self) -> None:
        """Close the index (its log checkpointed into the file); a later lookup opens it again."""
        if self._db is not None:
            self._db.close()
            self._db = None

    def _synced_db(self, db: sqlite3.Connection) -> sqlite3.Connection:
        """The index, brought up to the folder's files once per build (at the first lookup)."""
        if not self._synced:
            _sync(db, self._folder, self._lang, self._source)
            self._synced = True
        return db

    def _retrying(self, work):
        """``work(db)``; a damaged index file is removed, made again, and the work done once more. An index that
        cannot be read or written (a full disk, an I/O error) is one PressError naming it."""
        try:
            try:
                return work(self._open())
            except sqlite3.OperationalError:
                raise
            except sqlite3.DatabaseError:
                self._discard()
                return work(self._open())
        except sqlite3.OperationalError as exc:
            raise PressError(
                self._index,
                None,
                f"the index of the memories fails: {exc}",
                "free disk space, or remove the index: it is made again",
            ) from None

    def _open(self) -> sqlite3.Connection:
        if self._db is None:
            if self._index is not None:
                _remove_folder_index(self._index)
                self._index.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(":memory:" if self._index is None else self._index, isolation_level=None)
            try:
                # a write-ahead log synced at checkpoints: a crash may lose the last entries (their files are then
                # parsed again), never leave the index inconsistent; a commit costs 0.2 ms, not 1.4 (an fsync each)
                db.execute("PRAGMA journal_mode = WAL")
                db.execute("PRAGMA synchronous = NORMAL")
                if db.execute("PRAGMA user_version").fetchone()[0] != SCHEMA:
                    db.executescript("DROP TABLE IF EXISTS files; DROP TABLE IF EXISTS known;" + _TABLES)
                    db.execute(f"PRAGMA user_version = {SCHEMA}")
            except BaseException:
                db.close()
                raise
            self._db = db
        return self._db

    def _discard(self) -> None:
        self.close()
        self._synced = False
        if self._index is not None:
            for suffix in ("", "-journal", "-wal", "-shm"):
                Path(f"{self._index}{suffix}").unlink(missing_ok=True)


def _best(db: sqlite3.Connection, text: str) -> tuple[str, str, int, str] | None:
    return db.execute(
        "SELECT name, msgstr, reviewed, comment FROM known WHERE sentence = ? ORDER BY reviewed DESC, name LIMIT 1",
        (text,),
    ).fetchone()


def _sync(db: sqlite3.Connection, folder: Path, lang: str, source: str) -> None:
    """The index as the folder's ``*.po`` files are: a file gone is dropped, a file whose size and time are not
    those indexed is hashed, and parsed only when its sha256 is not the one indexed."""
    indexed = {name: (sha, stat) for name, sha, *stat in db.execute("SELECT name, sha, mtime_ns, size FROM files")}
    present = _memory_files(folder)
    gone = [(name,) for name in indexed.keys() - present.keys()]
    with _transaction(db):
        db.executemany("DELETE FROM files WHERE name = ?", gone)
        db.executemany("DELETE FROM known WHERE name = ?", gone)
    for name, stat in sorted(present.items()):
        sha, recorded = indexed.get(name, (None, None))
        if recorded == list(stat):
            continue
        path = folder / name
        if sha is not None and sha == file_sha(path):
            with _transaction(db):
                db.execute("UPDATE files SET mtime_ns = ?, size = ? WHERE name = ?", (*stat, name))
            continue
        _index_file(db, path, _sentences(Memory.load(path, lang, source)))


def _memory_files(folder: Path) -> dict[str, tuple[int, int]]:
    """Each ``*.po`` file of the folder: its (mtime_ns, size)."""
    if not folder.is_dir():
        return {}
    files = {}
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.name.endswith(".po") and entry.is_file():
                info = entry.stat()
                files[entry.name] = (info.st_mtime_ns, info.st_size)
    return files


def _index_file(db: sqlite3.Connection, path: Path, known: dict[str, tuple[str, bool, str]]) -> None:
    """What ``path`` holds, in place of what was indexed for it, under its sha256, size and time now."""
    info, sha = path.stat(), file_sha(path)
    rows: Iterable[tuple] = (
        (text, path.name, msgstr, int(reviewed), comment) for text, (msgstr, reviewed, comment) in known.items()
    )
    with _transaction(db):
        db.execute("DELETE FROM known WHERE name = ?", (path.name,))
        db.executemany("INSERT INTO known VALUES (?, ?, ?, ?, ?)", rows)
        db.execute("INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?)", (path.name, sha, info.st_mtime_ns, info.st_size))


@contextlib.contextmanager
def _transaction(db: sqlite3.Connection):
    db.execute("BEGIN")
    try:
        yield
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")


def _sentences(memory: Memory) -> dict[str, tuple[str, bool, str]]:
    """What a memory offers the language's other memories: sentence → (msgstr, reviewed, comment)."""
    return {text: (k.msgstr, k.reviewed, k.comment) for text, k in memory.known().items()}


def _remove_folder_index(index: Path) -> None:
    """The index of a file each (JSON) that earlier versions kept beside this one: no longer read."""
    legacy = index.with_suffix("")
    if legacy != index and legacy.is_dir():
        shutil.rmtree(legacy, ignore_errors=True)
