"""A language's memories as one: which translation a lookup finds, through the SQLite index of what each file
holds, as the files change under it, and when the index is damaged or left by an earlier version."""

from __future__ import annotations

import contextlib
import os
import sqlite3
from pathlib import Path

import polib
import pytest
from fakes import record_memory_loads

import tools.memory.language
from tools.errors import PressError
from tools.memory.entries import Memory
from tools.memory.language import LanguageMemory

SENTENCE = "The shadow fleet carries oil."

# each case: the memories (file → msgstr of SENTENCE, reviewed?), the file excluded, the msgstr found (or None)
CASES = {
    "one file": ({"a.po": ("uno", False)}, "x.po", "uno"),
    "the first file by name": ({"b.po": ("be", False), "a.po": ("a", False)}, "x.po", "a"),
    "a reviewed one wins": ({"a.po": ("a", False), "b.po": ("revisada", True)}, "x.po", "revisada"),
    "the first reviewed by name": ({"c.po": ("ce", True), "b.po": ("be", True), "a.po": ("a", False)}, "x.po", "be"),
    "the best is the article's own": ({"a.po": ("a", True), "b.po": ("be", False)}, "a.po", None),
    "held by no other": ({"a.po": ("a", False)}, "a.po", None),
    "an empty msgstr is not a translation": ({"a.po": ("", False)}, "x.po", None),
    "none": ({}, "x.po", None),
}


def write_po(path: Path, msgstr: str, reviewed: bool, sentence: str = SENTENCE) -> None:
    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": "es"}
    po.append(polib.POEntry(msgid=sentence, msgstr=msgstr, flags=[] if reviewed else ["fuzzy"], comment="apertium"))
    po.save(str(path))


def memories(folder: Path, files: dict[str, tuple[str, bool]]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, (msgstr, reviewed) in files.items():
        write_po(folder / name, msgstr, reviewed)
    return folder


def found(memory: LanguageMemory, folder: Path, exclude: str = "x.po", sentence: str = SENTENCE) -> str | None:
    known = memory.lookup(sentence, folder / exclude)
    return None if known is None else known.msgstr


@pytest.fixture
def parsed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the memory files parsed (not taken from the index)."""
    return record_memory_loads(monkeypatch)


@pytest.mark.parametrize("indexed", [False, True], ids=["in memory", "on disk"])
@pytest.mark.parametrize("case", CASES)
def test_the_lookup_finds_the_best_other_translation(tmp_path: Path, case: str, indexed: bool) -> None:
    files, exclude, expected = CASES[case]
    folder = memories(tmp_path / "translations" / "es", files)
    index = tmp_path / "cache" / "es.memories.sqlite" if indexed else None
    assert found(LanguageMemory(folder, "es", "en", index), folder, exclude) == expected
    if indexed:  # and so says a second build, from the index alone
        assert found(LanguageMemory(folder, "es", "en", index), folder, exclude) == expected


def test_where_names_the_file_from_the_project(tmp_path: Path) -> None:
    folder = memories(tmp_path / "translations" / "es", {"a.po": ("uno", True)})
    known = LanguageMemory(folder, "es", "en").lookup(SENTENCE, folder / "x.po")
    assert known is not None and known.reviewed and known.where == "translations/es/a.po"
    assert known.path == folder / "a.po" and "apertium" in known.comment


def test_only_the_files_that_changed_are_parsed_again(tmp_path: Path, parsed: list[str]) -> None:
    folder = memories(tmp_path / "translations" / "es", {"a.po": ("a", False), "b.po": ("be", False)})
    index = tmp_path / "cache" / "es.memories.sqlite"
    assert found(LanguageMemory(folder, "es", "en", index), folder) == "a"
    assert sorted(parsed) == ["a.po", "b.po"]
    parsed.clear()
    assert found(LanguageMemory(folder, "es", "en", index), folder) == "a"
    assert parsed == [], "nothing changed: the index answers"
    write_po(folder / "b.po", "revisada", True)  # a reviewer's edit
    os.utime(folder / "a.po")  # touched, not changed: hashed, not parsed
    assert found(LanguageMemory(folder, "es", "en", index), folder) == "revisada"
    assert parsed == ["b.po"]
    parsed.clear()
    (folder / "b.po").unlink()
    assert found(LanguageMemory(folder, "es", "en", index), folder) == "a", "a file removed is forgotten"
    assert parsed == []


def test_what_the_build_wrote_is_learned_without_parsing(tmp_path: Path, parsed: list[str]) -> None:
    folder = memories(tmp_path / "translations" / "es", {"a.po": ("a", False)})
    index = tmp_path / "cache" / "es.memories.sqlite"
    language = LanguageMemory(folder, "es", "en", index)
    assert found(language, folder, sentence="Putin needs money.") is None
    write_po(folder / "b.po", "Putin necesita dinero.", False, "Putin needs money.")  # as the build's save would
    memory = Memory.load(folder / "b.po", "es", "en")
    memory.written = True
    parsed.clear()
    language.learn(memory)
    assert found(language, folder, sentence="Putin needs money.") == "Putin necesita dinero."
    assert found(LanguageMemory(folder, "es", "en", index), folder, sentence="Putin needs money.") is not None
    assert parsed == [], "the file written is indexed from what was written"


@pytest.mark.parametrize("damage", ["not a database", "truncated", "another layout"])
def test_a_damaged_index_is_made_again_from_the_files(tmp_path: Path, parsed: list[str], damage: str) -> None:
    folder = memories(tmp_path / "translations" / "es", {"a.po": ("a", False), "b.po": ("be", True)})
    index = tmp_path / "cache" / "es.memories.sqlite"
    first = LanguageMemory(folder, "es", "en", index)
    assert found(first, folder) == "be"
    first.close()  # as the build leaves it: its log written into the file
    assert not Path(f"{index}-wal").exists()
    if damage == "not a database":
        index.write_bytes(b"SQLite format 2\0" + b"\xff" * 4000)
    elif damage == "truncated":
        index.write_bytes(index.read_bytes()[:1500])
    else:
        with contextlib.closing(sqlite3.connect(index)) as db:
            db.execute("PRAGMA user_version = 99")
    parsed.clear()
    assert found(LanguageMemory(folder, "es", "en", index), folder) == "be"
    assert sorted(parsed) == ["a.po", "b.po"]


def test_the_index_of_a_file_each_is_removed(tmp_path: Path) -> None:
    folder = memories(tmp_path / "translations" / "es", {"a.po": ("a", False)})
    legacy = tmp_path / "cache" / "es.memories"
    legacy.mkdir(parents=True)
    (legacy / "a.po.json").write_text("{}", encoding="utf-8")
    assert found(LanguageMemory(folder, "es", "en", tmp_path / "cache" / "es.memories.sqlite"), folder) == "a"
    assert not legacy.exists()


def test_an_index_that_cannot_be_written_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = memories(tmp_path / "translations" / "es", {"a.po": ("a", False)})
    index = tmp_path / "cache" / "es.memories.sqlite"

    def full_disk(db, *args):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(tools.memory.language, "_sync", full_disk)
    with pytest.raises(PressError, match="the index of the memories fails: database or disk is full") as error:
        found(LanguageMemory(folder, "es", "en", index), folder)
    assert error.value.path == index and "remove the index" in error.value.fix
