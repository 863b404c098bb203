"""The translation memory: one gettext PO file per language and article.

``translations/<lang>/<slug>.po`` opens in Poedit, Weblate or Lokalize. Each
source sentence is one entry (``msgid``), with where it occurs (``#:``) and
its provenance (``#. machine translation: apertium eng-spa 0.8.1``). Machine
output is marked ``fuzzy``: it needs review. A person reviews an entry by
editing it and clearing ``fuzzy``; the engine never overwrites an entry that
exists, reviewed or not. A changed sentence gets a fresh translation and
keeps the old sentence as ``#| msgid`` and the old translation in a
comment, for the reviewer to compare; a sentence no longer in the article
becomes obsolete (``#~``), not deleted.

The file is locked while it is read, changed and written (two builds at once
wait for each other), and written atomically.
"""

from __future__ import annotations

import contextlib
import difflib
import fcntl
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import polib

from tools.errors import PressError
from tools.fsutil import write_atomic
from tools.markdown import GENERATOR

MACHINE = "machine translation: "
PREVIOUS = "previous translation: "
_SIMILAR = 0.5


@dataclass(frozen=True)
class Unit:
    """A sentence to translate and where it occurs (``seeds/x.txt:5``)."""

    text: str
    reference: str


class Memory:
    """One PO file, loaded; change it with :meth:`add` and :meth:`retire`, then :meth:`save`."""

    def __init__(self, path: Path, lang: str, po: polib.POFile) -> None:
        self.path, self.lang, self.po = path, lang, po
        self._entries = {e.msgid: e for e in po if not e.obsolete}

    @classmethod
    def load(cls, path: Path, lang: str, source: str) -> Memory:
        """Read ``path``, or start an empty memory; a syntax error names the line."""
        if not path.is_file():
            po = polib.POFile(wrapwidth=0)
            po.metadata = {
                "Project-Id-Version": source,
                "Language": lang,
                "MIME-Version": "1.0",
                "Content-Type": "text/plain; charset=UTF-8",
                "Content-Transfer-Encoding": "8bit",
                "X-Generator": GENERATOR,
            }
            return cls(path, lang, po)
        fix = "fix that line (Poedit shows it too), or delete the file to translate again"
        try:
            text = path.read_text(encoding="utf-8")
            _check_syntax(text, path, fix)
            return cls(path, lang, polib.pofile(text, encoding="utf-8", wrapwidth=0))
        except (OSError, ValueError, UnicodeDecodeError) as exc:
            raise PressError(path, _line_of(exc), f"not a valid PO file: {_reason(exc)}", fix) from None

    def get(self, text: str) -> polib.POEntry | None:
        """The live entry for a sentence, if the memory has one."""
        return self._entries.get(text)

    def missing(self, units: list[Unit]) -> list[str]:
        """The sentences, each once and in order, that the memory has no entry for."""
        return list(dict.fromkeys(u.text for u in units if u.text not in self._entries))

    def add(self, text: str, translation: str, provenance: str, units: list[Unit]) -> None:
        """A machine translation, fuzzy; it remembers the entry it replaces, if one looks like it."""
        entry = polib.POEntry(msgid=text, msgstr=translation, flags=["fuzzy"], comment=MACHINE + provenance)
        previous = self._previous(text, {u.text for u in units})
        if previous is not None:
            entry.previous_msgid = previous.msgid
            entry.tcomment = PREVIOUS + previous.msgstr if previous.msgstr else ""
        self.po.append(entry)
        self._entries[text] = entry

    def retire(self, units: list[Unit]) -> None:
        """Set the references of live entries; entries no longer in the article become obsolete."""
        where: dict[str, list[str]] = {}
        for unit in units:
            where.setdefault(unit.text, []).append(unit.reference)
        for entry in list(self._entries.values()):
            if entry.msgid in where:
                entry.occurrences = [tuple(ref.rsplit(":", 1)) for ref in where[entry.msgid]]
            else:
                entry.obsolete = True
                entry.occurrences = []
                del self._entries[entry.msgid]
        order = {text: number for number, text in enumerate(where)}
        self.po.sort(key=lambda e: (e.obsolete, order.get(e.msgid, len(order)), e.msgid))

    def translations(self) -> dict[str, str]:
        """Every live sentence with a translation."""
        return {text: e.msgstr for text, e in self._entries.items() if e.msgstr.strip()}

    def counts(self) -> tuple[int, int]:
        """(machine, reviewed): live entries still fuzzy, and those a person has reviewed."""
        machine = sum("fuzzy" in e.flags for e in self._entries.values())
        return machine, len(self._entries) - machine

    def save(self) -> bool:
        """Write the file atomically; False if it already held exactly this."""
        return write_atomic(self.path, str(self.po))

    def _previous(self, text: str, current: set[str]) -> polib.POEntry | None:
        """The entry, about to go obsolete, whose sentence is most like ``text``."""
        leaving = [e for e in self._entries.values() if e.msgid not in current]
        scored = [(difflib.SequenceMatcher(None, e.msgid, text).ratio(), e.msgid, e) for e in leaving]
        best = max(scored, default=None, key=lambda item: item[:2])
        return best[2] if best and best[0] >= _SIMILAR else None


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


_STRING = r'"(?:[^"\\]|\\.)*"'
_PO_LINE = re.compile(rf"^(?:#~\s*)?(?:(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)\s+{_STRING}|{_STRING})\s*$")


def _check_syntax(text: str, path: Path, fix: str) -> None:
    """Refuse what polib would read leniently (and lose): every line a comment or a keyword with one string."""
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if (
            stripped
            and not (stripped.startswith("#") and not stripped.startswith("#~"))
            and not _PO_LINE.match(stripped)
        ):
            raise PressError(path, number, f"not a valid PO file: cannot read {stripped[:40]!r}", fix)


def _line_of(exc: Exception) -> int | None:
    match = re.search(r"line (\d+)", str(exc))
    return int(match.group(1)) if match else None


def _reason(exc: Exception) -> str:
    return str(exc).split("\n")[0][:160]
