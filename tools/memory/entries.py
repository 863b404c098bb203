"""One memory file: a gettext PO file per language and article, its entries, and how a build changes them.

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

Every form gettext writes is read (:mod:`tools.memory.syntax`) and written back
(:mod:`tools.memory.writer`). A file the memory had to repair (an obsolete entry
duplicating a live one, which older versions wrote) is backed up as ``.po~`` before
it is rewritten, and so is a file whose reviewed work an import replaces
(:meth:`Memory.back_up`). A save writes atomically and completes the header
(:mod:`tools.memory.header`); the caller holds the file's lock (:func:`tools.memory.files.locked`).

Review: an entry a person has reviewed (``fuzzy`` cleared) names its reviewer
in its provenance (``#. reviewed by NAME``), taken from ``press review --by``,
``press memory import --by`` or, for a review made in Poedit, the header's
``Last-Translator``. A machine translation keeps the engine's output
(``#. machine output: …``), so the post-edit can be compared with it.
"""

from __future__ import annotations

import difflib
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import polib

from tools.errors import PressError
from tools.fsutil import write_atomic
from tools.memory.files import backup_path
from tools.memory.header import complete_header, entries_state, is_person, new_po, set_field, source_state
from tools.memory.provenance import (
    MACHINE,
    OUTPUT,
    PREVIOUS,
    REUSED,
    REVIEWED,
    UNKNOWN,
    escaped,
    provenance_of,
    unescaped,
    with_provenance,
)
from tools.memory.survey import note_saved
from tools.memory.syntax import MAX_TRANSLATION, header_comments, read_po
from tools.memory.writer import comment_lines, format_po, occurrence

_SIMILAR = 0.5


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


@dataclass(frozen=True)
class Review:
    """One live entry as ``press review`` shows it: the engine's output beside what a person made of it."""

    number: int  # 1-based, in the file's order: what ``press review --accept N`` takes
    source: str
    translation: str
    machine: str | None  # the engine's output, when the memory kept it
    previous: str | None  # the translation of the sentence before it changed
    reviewer: str | None
    fuzzy: bool

    @property
    def edited(self) -> bool:
        """A person changed the engine's output."""
        return self.machine is not None and self.machine != self.translation


class Memory:
    """One PO file, loaded; change it with :meth:`add`, :meth:`revive`, :meth:`reuse`, :meth:`retire`; then :meth:`save`."""

    def __init__(
        self, path: Path, lang: str, po: polib.POFile, repairs: tuple[str, ...] = (), raw: bytes = b""
    ) -> None:
        self.path, self.lang, self.po, self.repairs = path, lang, po, repairs
        self._live = {e.msgid: e for e in po if not e.obsolete and not e.msgctxt and not e.msgid_plural}
        self._obsolete = {e.msgid: e for e in po if e.obsolete and not e.msgctxt and not e.msgid_plural}
        self._raw = raw  # the file's bytes as read: what a backup keeps
        self._original = raw if repairs else b""  # a backup to write before the next save
        self._saved = entries_state(po), source_state(po)  # what the header's dates describe
        self.written = False  # whether save() changed the file since it was loaded
        self.header_comments = comment_lines(po.header)  # "#" lines above the header (polib drops an empty one)
        self._note_reviews()

    @classmethod
    def load(cls, path: Path, lang: str, source: str) -> Memory:
        """Read ``path``, or start an empty memory; a syntax error names the line and how to repair it."""
        if not path.is_file():
            return cls(path, lang, new_po(lang, source))
        raw, kept, repairs, po = read_po(path)
        memory = cls(path, lang, po, tuple(repairs), raw)
        memory.header_comments = header_comments(kept)
        return memory

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
        lines = [known.comment, REUSED + (known.where or known.path.name)]
        if known.reviewed and provenance_of(known.comment, REVIEWED) is None:
            lines.append(REVIEWED + UNKNOWN)
        comment = "\n".join(filter(None, lines))
        self._append(polib.POEntry(msgid=text, msgstr=known.msgstr, flags=flags, comment=comment))

    def add(self, text: str, translation: str, provenance: str, units: list[Unit]) -> None:
        """A machine translation, fuzzy, with the engine's output kept; it remembers the entry it replaces, if one looks like it.

        An empty translation is refused: gettext reads an empty msgstr as untranslated and drops its ``fuzzy``, so
        the next read would take it for a reviewed one; an over-long one too (the file's reader refuses it)."""
        if not translation.strip() or len(translation) > MAX_TRANSLATION:
            what = "an empty translation" if not translation.strip() else f"{len(translation):,} characters"
            message = f"{provenance.split(',')[0]} gave {what} for {text[:60]!r}; nothing was stored"
            raise PressError(self.path, None, message, "check the engine (press models list), or translate it by hand")
        comment = "\n".join([MACHINE + provenance, OUTPUT + escaped(translation)])
        held = self._live.get(text)
        if held is not None:  # machine output made again (its terms changed): in place, the old text as previous
            if "fuzzy" in held.flags:  # a reviewed entry is a person's work: never replaced
                held.tcomment = PREVIOUS + held.msgstr if held.msgstr else ""
                held.msgstr, held.comment = translation, comment
            return
        entry = polib.POEntry(msgid=text, msgstr=translation, flags=["fuzzy"], comment=comment)
        previous = self._previous(text, {u.text for u in units})
        if previous is not None:
            entry.previous_msgid = previous.msgid
            entry.tcomment = PREVIOUS + previous.msgstr if previous.msgstr else ""
        self._append(entry)

    def retire(self, units: list[Unit]) -> None:
        """Set the references of live entries; entries no longer in the article become obsolete."""
        where: dict[str, list[str]] = {}
        for unit in units:
            refs = where.setdefault(unit.text, [])
            if unit.reference not in refs:  # gettext keeps a reference once
                refs.append(unit.reference)
        for entry in list(self._live.values()):
            if entry.msgid in where:
                entry.occurrences = [occurrence(ref) for ref in where[entry.msgid]]
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
        """(machine, reviewed): live entries still fuzzy, and those a person has reviewed (an empty msgstr is
        neither: gettext reads it as untranslated, whatever its flags)."""
        machine = sum("fuzzy" in e.flags for e in self._live.values())
        blank = sum(not e.msgstr.strip() and "fuzzy" not in e.flags for e in self._live.values())
        return machine, len(self._live) - machine - blank

    def back_up(self) -> Path:
        """Keep the file as it was read: the next :meth:`save` first writes it to ``FILE.po~`` (when it changes the
        file). Return that path."""
        if self._raw:
            self._original = self._raw
        return backup_path(self.path)

    def untouched(self, text: str) -> bool:
        """The live entry of ``text`` is machine output as the engine gave it: fuzzy, and no person changed it."""
        entry = self._live.get(text)
        if entry is None or "fuzzy" not in entry.flags:
            return False
        machine = provenance_of(entry.comment, OUTPUT)
        return machine is not None and unescaped(machine) == entry.msgstr

    def reviewers(self) -> list[str]:
        """Who reviewed the live entries, each once, in the order of the file (unknown reviewers left out)."""
        names = (provenance_of(e.comment, REVIEWED) for e in self._in_order() if "fuzzy" not in e.flags)
        return list(dict.fromkeys(name for name in names if name and name != UNKNOWN))

    def entries(self) -> list[Review]:
        """Every live entry, numbered, with the engine's output and the reviewer where the memory knows them."""
        rows = []
        for number, entry in enumerate(self._in_order(), start=1):
            machine = provenance_of(entry.comment, OUTPUT)
            previous = entry.tcomment[len(PREVIOUS) :] if entry.tcomment.startswith(PREVIOUS) else None
            rows.append(
                Review(
                    number,
                    entry.msgid,
                    entry.msgstr,
                    None if machine is None else unescaped(machine),
                    previous,
                    provenance_of(entry.comment, REVIEWED),
                    "fuzzy" in entry.flags,
                )
            )
        return rows

    def accept(self, number: int, by: str) -> Review:
        """Mark live entry ``number`` (1-based, as :meth:`entries` numbers them) reviewed by ``by``."""
        entries = self._in_order()
        if not 1 <= number <= len(entries):
            raise PressError(self.path, None, f"no entry {number} (it has {len(entries)})", "press review lists them")
        entry = entries[number - 1]
        if not entry.msgstr.strip():
            raise PressError(self.path, entry.linenum or None, f"entry {number} has no translation", _EDIT)
        self.set_translation(entry.msgid, entry.msgstr, reviewed=True, by=by)
        return self.entries()[number - 1]

    def set_translation(self, text: str, translation: str, reviewed: bool, by: str) -> bool:
        """A person's translation of a live sentence (from a CAT tool or ``press review``); True if it changed the entry.

        Reviewed: ``fuzzy`` is cleared and ``by`` recorded as the reviewer (and as
        Last-Translator, unless a person is named there). Not reviewed: the entry is
        fuzzy again.
        """
        entry = self._live[text]
        before = (entry.msgstr, list(entry.flags), entry.comment)
        entry.msgstr = translation
        if reviewed:
            entry.flags = [f for f in entry.flags if f != "fuzzy"]
            changed = entry.msgstr != before[0] or provenance_of(entry.comment, REVIEWED) in (None, UNKNOWN)
            if changed:
                entry.comment = with_provenance(entry.comment, REVIEWED, by)
            self._set_translator(by)
        elif "fuzzy" not in entry.flags:
            entry.flags = ["fuzzy", *entry.flags]
            entry.comment = with_provenance(entry.comment, REVIEWED, None)
        return (entry.msgstr, list(entry.flags), entry.comment) != before

    def save(self) -> bool:
        """Write the file atomically, as msgcat would (a repaired or :meth:`back_up` file's original first goes to
        ``.po~``); False if unchanged."""
        entries, source = entries_state(self.po), source_state(self.po)
        complete_header(self.po.metadata, self.lang, entries != self._saved[0], source != self._saved[1])
        self._saved = entries, source
        text = format_po(self.po, self.header_comments)
        if self._original and text.encode("utf-8") != self._original:
            write_atomic(backup_path(self.path), self._original)
        self._original = b""
        written = write_atomic(self.path, text)
        self.written |= written
        note_saved(self.path, self.po, hashlib.sha256(text.encode("utf-8")).hexdigest())
        return written

    def last_translator(self) -> str:
        """The header's Last-Translator when a person is named there (as Poedit writes it), else ''."""
        translator = self.po.metadata.get("Last-Translator", "").strip()
        return translator if is_person(translator) else ""

    def _note_reviews(self) -> None:
        """Entries reviewed outside press since the last save get their reviewer: the header's Last-Translator."""
        name = self.last_translator() or UNKNOWN
        for entry in self._live.values():
            if "fuzzy" not in entry.flags and entry.msgstr.strip() and provenance_of(entry.comment, REVIEWED) is None:
                entry.comment = with_provenance(entry.comment, REVIEWED, name)

    def _in_order(self) -> list[polib.POEntry]:
        """The live entries in the file's order."""
        return [e for e in self.po if self._live.get(e.msgid) is e]

    def _set_translator(self, name: str) -> None:
        if not self.last_translator():
            set_field(self.po.metadata, "Last-Translator", name)

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


_EDIT = "translate it first (in Poedit, or a CAT tool through press memory export)"
