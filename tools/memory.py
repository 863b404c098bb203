"""The translation memory: one gettext PO file per language and article.

``translations/<lang>/<article-id>.po`` opens in Poedit, Weblate or Lokalize.
Each source sentence is one entry (``msgid``), with where it occurs (``#:``)
and its provenance (``#. machine translation: apertium eng-spa 0.8.1``).
Machine output is marked ``fuzzy``: it needs review. A person reviews an
entry by editing it and clearing ``fuzzy``; the engine never overwrites an
entry that exists, reviewed or not. A changed sentence gets a fresh
translation and keeps the old sentence as ``#| msgid`` and the old
translation in a comment, for the reviewer to compare; a sentence no longer in
the article becomes obsolete (``#~``), not deleted, and comes back with its
translation and review state when the sentence does.

Every form gettext writes is read and written back: obsolete entries with
their previous msgid (``#~|``), ``msgctxt``, plural entries, multi-line
strings. polib reads some broken files leniently (losing text) and drops
``#~|`` lines, so every line is checked first (a bad one is an error naming
its line, as ``msgfmt -c`` does) and ``#~|`` is handed to polib as ``#|``.
A file the memory had to repair (an obsolete entry duplicating a live one,
which older versions wrote) is backed up as ``.po~`` before it is rewritten.

The file is locked while it is read, changed and written (two builds at once
wait for each other), and written atomically.
"""

from __future__ import annotations

import contextlib
import dataclasses
import difflib
import fcntl
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import polib

from tools.errors import PressError
from tools.fsutil import write_atomic
from tools.markdown import GENERATOR

MACHINE = "machine translation: "
PREVIOUS = "previous translation: "
REUSED = "reused from "
_SIMILAR = 0.5
_ISOLATE = ("\u2068", "\u2069")  # gettext's quoting of a file name with spaces in #: references


@dataclass(frozen=True)
class Unit:
    """A sentence to translate and where it occurs (``seeds/x.txt:5``)."""

    text: str
    reference: str


@dataclass(frozen=True)
class Known:
    """A translation the language's memory already holds, and where."""

    msgstr: str
    reviewed: bool
    comment: str
    path: Path
    where: str = ""  # the path as provenance shows it (translations/es/x.po)


class Memory:
    """One PO file, loaded; change it with :meth:`add`, :meth:`revive`, :meth:`reuse`, :meth:`retire`; then :meth:`save`."""

    def __init__(self, path: Path, lang: str, po: polib.POFile, repairs: tuple[str, ...] = ()) -> None:
        self.path, self.lang, self.po, self.repairs = path, lang, po, repairs
        self._live = {e.msgid: e for e in po if not e.obsolete and not e.msgctxt and not e.msgid_plural}
        self._obsolete = {e.msgid: e for e in po if e.obsolete and not e.msgctxt and not e.msgid_plural}
        self._original = path.read_bytes() if repairs else b""

    @classmethod
    def load(cls, path: Path, lang: str, source: str) -> Memory:
        """Read ``path``, or start an empty memory; a syntax error names the line and how to repair it."""
        if not path.is_file():
            return cls(path, lang, _new_po(lang, source))
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError as exc:
            raise PressError(
                path, None, f"not UTF-8 ({exc.reason})", "save the file as UTF-8 in your PO editor"
            ) from None
        except OSError as exc:
            raise PressError(path, None, f"cannot read: {exc.strerror}", "check the file's permissions") from None
        kept, repairs = check_po(text, path)
        try:
            po = polib.pofile(_for_polib(kept), encoding="utf-8", wrapwidth=0)
        except (OSError, ValueError) as exc:
            line = _line_of(exc)
            raise PressError(path, line, f"not a valid PO file: {_reason(exc)}", _REPAIR) from None
        return cls(path, lang, po, tuple(repairs))

    def get(self, text: str) -> polib.POEntry | None:
        """The live entry for a sentence, if the memory has one."""
        return self._live.get(text)

    def missing(self, units: list[Unit]) -> list[str]:
        """The sentences, each once and in order, that the memory has no live entry for."""
        return list(dict.fromkeys(u.text for u in units if u.text not in self._live))

    def revive(self, texts: Iterable[str]) -> list[str]:
        """Bring back the obsolete entries of these sentences, as they were; return the sentences revived."""
        revived = []
        for text in texts:
            entry = self._obsolete.pop(text, None)
            if entry is not None:
                entry.obsolete = False
                entry.previous_msgid = None
                self._live[text] = entry
                revived.append(text)
        return revived

    def reuse(self, text: str, known: Known) -> None:
        """A translation found in another memory of the language, with its review state and where it came from."""
        flags = [] if known.reviewed else ["fuzzy"]
        comment = "\n".join(filter(None, [known.comment, REUSED + (known.where or known.path.name)]))
        self._append(polib.POEntry(msgid=text, msgstr=known.msgstr, flags=flags, comment=comment))

    def add(self, text: str, translation: str, provenance: str, units: list[Unit]) -> None:
        """A machine translation, fuzzy; it remembers the entry it replaces, if one looks like it."""
        entry = polib.POEntry(msgid=text, msgstr=translation, flags=["fuzzy"], comment=MACHINE + provenance)
        previous = self._previous(text, {u.text for u in units})
        if previous is not None:
            entry.previous_msgid = previous.msgid
            entry.tcomment = PREVIOUS + previous.msgstr if previous.msgstr else ""
        self._append(entry)

    def retire(self, units: list[Unit]) -> None:
        """Set the references of live entries; entries no longer in the article become obsolete."""
        where: dict[str, list[str]] = {}
        for unit in units:
            where.setdefault(unit.text, []).append(unit.reference)
        for entry in list(self._live.values()):
            if entry.msgid in where:
                entry.occurrences = [_occurrence(ref) for ref in where[entry.msgid]]
                continue
            entry.obsolete, entry.occurrences = True, []
            del self._live[entry.msgid]
            replaced = self._obsolete.pop(entry.msgid, None)
            if replaced is not None:
                self.po.remove(replaced)
            self._obsolete[entry.msgid] = entry
        order = {text: number for number, text in enumerate(where)}
        self.po.sort(key=lambda e: (e.obsolete, order.get(e.msgid, len(order)), e.msgid))

    def translations(self) -> dict[str, str]:
        """Every live sentence with a translation."""
        return {text: e.msgstr for text, e in self._live.items() if e.msgstr.strip()}

    def known(self) -> dict[str, Known]:
        """Every live translated sentence, as the language's memory offers it to other files."""
        return {
            text: Known(e.msgstr, "fuzzy" not in e.flags, e.comment, self.path)
            for text, e in self._live.items()
            if e.msgstr.strip()
        }

    def counts(self) -> tuple[int, int]:
        """(machine, reviewed): live entries still fuzzy, and those a person has reviewed."""
        machine = sum("fuzzy" in e.flags for e in self._live.values())
        return machine, len(self._live) - machine

    def save(self) -> bool:
        """Write the file atomically (a repaired file's original first goes to ``.po~``); False if unchanged."""
        if self._original:
            write_atomic(self.path.with_name(self.path.name + "~"), self._original)
            self._original = b""
        return write_atomic(self.path, str(self.po))

    def _append(self, entry: polib.POEntry) -> None:
        stale = self._obsolete.pop(entry.msgid, None)
        if stale is not None:
            self.po.remove(stale)
        self.po.append(entry)
        self._live[entry.msgid] = entry

    def _previous(self, text: str, current: set[str]) -> polib.POEntry | None:
        """The entry, about to go obsolete, whose sentence is most like ``text``."""
        leaving = [e for e in self._live.values() if e.msgid not in current]
        scored = [(difflib.SequenceMatcher(None, e.msgid, text).ratio(), e.msgid, e) for e in leaving]
        best = max(scored, default=None, key=lambda item: item[:2])
        return best[2] if best and best[0] >= _SIMILAR else None


class LanguageMemory:
    """Every memory file of one language, as one translation memory: a sentence is translated once."""

    def __init__(self, folder: Path, lang: str, source: str) -> None:
        self._known: dict[str, Known] = {}
        self._base = folder.parent.parent  # memories are named from the project's root in provenance
        for path in sorted(folder.glob("*.po")) if folder.is_dir() else []:
            self.learn(Memory.load(path, lang, source))

    def learn(self, memory: Memory) -> None:
        """Add a memory's translations; a reviewed one wins over machine output."""
        where = memory.path.relative_to(self._base).as_posix() if memory.path.is_relative_to(self._base) else ""
        for text, known in memory.known().items():
            known = dataclasses.replace(known, where=where)
            held = self._known.get(text)
            if held is None or (known.reviewed and not held.reviewed):
                self._known[text] = known

    def lookup(self, text: str, exclude: Path) -> Known | None:
        """The best translation of ``text`` held by a file other than ``exclude``."""
        known = self._known.get(text)
        return known if known is not None and known.path != exclude else None


@contextlib.contextmanager
def locked(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``path``'s lock file: one build changes a memory at a time."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_name(f".{path.name}.lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _new_po(lang: str, source: str) -> polib.POFile:
    po = polib.POFile(wrapwidth=0)
    po.metadata = {
        "Project-Id-Version": source,
        "Language": lang,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "X-Generator": GENERATOR,
    }
    return po


def _occurrence(reference: str) -> tuple[str, str]:
    """``seeds/a b.txt:5`` → a ``#:`` reference, the file name isolated as gettext does when it has a space."""
    name, line = reference.rsplit(":", 1)
    return (f"{_ISOLATE[0]}{name}{_ISOLATE[1]}" if re.search(r"\s", name) else name, line)


# The PO grammar, line by line: what gettext reads. A string is quoted with only gettext's escapes.
_STRING = r'"(?:[^"\\]|\\[\\"abfnrtv]|\\[0-7]{1,3}|\\x[0-9A-Fa-f]+)*"'
_KEYWORD = r"(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)"
_ENTRY_LINE = re.compile(rf"^(?:#~\s*)?(?:(?P<key>{_KEYWORD})\s+)?(?P<value>{_STRING})\s*$")
_PREVIOUS_LINE = re.compile(rf"^#~?\|\s*(?:(?:msgctxt|msgid|msgid_plural)\s+)?{_STRING}\s*$")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")  # a raw one; tab and line ends are fine
_REPAIR = "repair that line in a text editor or Poedit (msgfmt -c FILE shows the same line); the file was not changed"


def check_po(text: str, path: Path) -> tuple[str, list[str]]:
    """Check every line as gettext reads it; return the text to parse and what was repaired.

    Refused, with the line: a line that is no PO syntax, an escape gettext does
    not know, a duplicate live message. Repaired (and reported): an obsolete
    entry whose message is also live or obsolete earlier in the file, which
    ``msgfmt -c`` refuses and an older version of this memory wrote; the
    live entry (or the first obsolete one) is kept.
    """
    lines = text.split("\n")  # not splitlines(): it also breaks at \x0b, \x1c and \x85
    for number, line in enumerate(lines, start=1):
        stripped = line.strip()
        if control := _CONTROL.search(line):
            message = f"control character U+{ord(control.group()):04X} at column {control.start() + 1}"
            raise PressError(path, number, message, "remove that character in a text editor (gettext would keep it)")
        if not stripped or _ENTRY_LINE.match(stripped) or stripped == "#~":
            continue
        if stripped.startswith(("#|", "#~|")):
            readable = _PREVIOUS_LINE.match(stripped)
        else:
            readable = stripped.startswith("#") and not stripped.startswith("#~")
        if not readable:
            raise PressError(path, number, f"not a valid PO file: cannot read {stripped[:40]!r}", _REPAIR)
    return _drop_duplicates(lines, path)


def _drop_duplicates(lines: list[str], path: Path) -> tuple[str, list[str]]:
    """Refuse a live message defined twice; drop an obsolete entry that repeats a message."""
    blocks = _blocks(lines)
    live: dict[tuple[str, str], int] = {}
    for start, block in blocks:
        key, obsolete = _message_key(block)
        if key is not None and not obsolete:
            if key in live:
                raise PressError(
                    path,
                    start + 1,
                    f"duplicate message definition (first defined at line {live[key]})",
                    "merge the two entries into one (msguniq FILE does it), keeping the reviewed translation",
                )
            live[key] = start + 1
    kept, repairs, seen = [], [], set(live)
    for start, block in blocks:
        key, obsolete = _message_key(block)
        if obsolete and key in seen:
            repairs.append(f"line {start + 1}: dropped an obsolete entry that repeats a message")
            continue
        if key is not None:
            seen.add(key)
        kept += block
    return "\n".join(kept) + "\n", repairs


def _blocks(lines: list[str]) -> list[tuple[int, list[str]]]:
    """The entries of a PO file: runs of lines separated by blank lines, with their first line's index."""
    blocks, current, start = [], [], 0
    for index, line in enumerate([*lines, ""]):
        if line.strip():
            if not current:
                start = index
            current.append(line)
        elif current:
            blocks.append((start, current))
            current = []
    return blocks


def _message_key(block: list[str]) -> tuple[tuple[str, str] | None, bool]:
    """(msgctxt, msgid) of an entry (None for the header or a comment-only block), and whether it is obsolete."""
    fields: dict[str, str] = {}
    current = ""
    obsolete = False
    for line in block:
        stripped = line.strip()
        if stripped.startswith("#~") and not stripped.startswith("#~|"):
            obsolete = True
            stripped = stripped[2:].strip()
        elif stripped.startswith("#"):
            continue
        match = _ENTRY_LINE.match(stripped)
        if not match:
            continue
        if match.group("key"):
            current = match.group("key")
        fields[current] = fields.get(current, "") + match.group("value")[1:-1]
    if "msgid" not in fields or (fields["msgid"] == "" and "msgctxt" not in fields):
        return None, obsolete
    return (fields.get("msgctxt", "\x00"), fields["msgid"]), obsolete


def _for_polib(text: str) -> str:
    """polib skips ``#~|`` lines (an obsolete entry's previous msgid): hand them to it as ``#|``, which it keeps."""
    return re.sub(r"^#~\|", "#|", text, flags=re.MULTILINE)


def _line_of(exc: Exception) -> int | None:
    match = re.search(r"line (\d+)", str(exc))
    return int(match.group(1)) if match else None


def _reason(exc: Exception) -> str:
    return str(exc).split("\n")[0][:160]
