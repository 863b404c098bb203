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
which older versions wrote) is backed up as ``.po~`` before it is rewritten, and
so is a file whose reviewed work an import replaces (:meth:`Memory.back_up`).
A translation longer than ``MAX_TRANSLATION`` characters is refused when the
file is read (one line naming it), before any slow parsing; so is an entry cut
short (a ``msgid`` with no ``msgstr``).

The build checks a language's memories before it writes anything (:func:`survey`,
:func:`losses`): each file's reviewed sentences are kept in the build's record, and
a memory that no longer holds some of them (cut short, emptied, deleted), or has an
entry the build must not publish (an empty msgstr, a msgctxt), stops it in one line.

The file is locked while it is read, changed and written (two builds at once
wait for each other; the lock file is under ``.press/locks/``), and written atomically, exactly as gettext's ``msgcat``
writes it (79 columns, its line breaking), so a save in Poedit or ``msgcat``
followed by a build changes no line. The header is complete (``Plural-Forms``,
``Language-Team``, ``Last-Translator``, the two dates; a value a person set is
never overwritten), and its dates change only when an entry does.

Review: an entry a person has reviewed (``fuzzy`` cleared) names its reviewer
in its provenance (``#. reviewed by NAME``), taken from ``press review --by``,
``press memory import --by`` or, for a review made in Poedit, the header's
``Last-Translator``. A machine translation keeps the engine's output
(``#. machine output: …``), so the post-edit can be compared with it.
"""

from __future__ import annotations

import contextlib
import difflib
import fcntl
import functools
import hashlib
import json
import os
import re
import sys
import time
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import polib

from tools.errors import PressError
from tools.fsutil import file_sha, write_atomic
from tools.languages import LANGUAGES, gettext_plural_forms
from tools.layout import GENERATOR, memory_lock

MACHINE = "machine translation: "
OUTPUT = "machine output: "
PREVIOUS = "previous translation: "
REUSED = "reused from "
REVIEWED = "reviewed by "
UNKNOWN = "unknown"  # a review made outside press, with no person in the header's Last-Translator
TOOLKIT = "press (machine translation)"  # Last-Translator of a memory no person has worked on
_SIMILAR = 0.5
_ISOLATE = ("\u2068", "\u2069")  # gettext's quoting of a file name with spaces in #: references
_TEMPLATE_TRANSLATOR = "FULL NAME <EMAIL@ADDRESS>"
MAX_TRANSLATION = 20_000  # characters of one translation (a sentence's is a few hundred): longer is refused
_MAX_LINE = 4 * MAX_TRANSLATION + 100  # a PO line holds one string, escaped (\n is two characters, \ooo four)
_SHORTEN = (
    "shorten it (a sentence's translation is a few hundred characters), or restore the file: git checkout -- FILE"
)


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
        self._saved = _entries_state(po), _source_state(po)  # what the header's dates describe
        self.written = False  # whether save() changed the file since it was loaded
        self.header_comments = _comment_lines(po.header)  # "#" lines above the header (polib drops an empty one)
        self._note_reviews()

    @classmethod
    def load(cls, path: Path, lang: str, source: str) -> Memory:
        """Read ``path``, or start an empty memory; a syntax error names the line and how to repair it."""
        if not path.is_file():
            return cls(path, lang, _new_po(lang, source))
        raw, kept, repairs, po = _read_po(path)
        memory = cls(path, lang, po, tuple(repairs), raw)
        memory.header_comments = _header_comments(kept)
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
        if known.reviewed and _provenance(known.comment, REVIEWED) is None:
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
        comment = "\n".join([MACHINE + provenance, OUTPUT + _one_line(translation)])
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
        machine = _provenance(entry.comment, OUTPUT)
        return machine is not None and _from_one_line(machine) == entry.msgstr

    def reviewers(self) -> list[str]:
        """Who reviewed the live entries, each once, in the order of the file (unknown reviewers left out)."""
        names = (_provenance(e.comment, REVIEWED) for e in self._in_order() if "fuzzy" not in e.flags)
        return list(dict.fromkeys(name for name in names if name and name != UNKNOWN))

    def entries(self) -> list[Review]:
        """Every live entry, numbered, with the engine's output and the reviewer where the memory knows them."""
        rows = []
        for number, entry in enumerate(self._in_order(), start=1):
            machine = _provenance(entry.comment, OUTPUT)
            previous = entry.tcomment[len(PREVIOUS) :] if entry.tcomment.startswith(PREVIOUS) else None
            rows.append(
                Review(
                    number,
                    entry.msgid,
                    entry.msgstr,
                    None if machine is None else _from_one_line(machine),
                    previous,
                    _provenance(entry.comment, REVIEWED),
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
            changed = entry.msgstr != before[0] or _provenance(entry.comment, REVIEWED) in (None, UNKNOWN)
            if changed:
                entry.comment = _with_provenance(entry.comment, REVIEWED, by)
            self._set_translator(by)
        elif "fuzzy" not in entry.flags:
            entry.flags = ["fuzzy", *entry.flags]
            entry.comment = _with_provenance(entry.comment, REVIEWED, None)
        return (entry.msgstr, list(entry.flags), entry.comment) != before

    def save(self) -> bool:
        """Write the file atomically, as msgcat would (a repaired or :meth:`back_up` file's original first goes to
        ``.po~``); False if unchanged."""
        entries, source = _entries_state(self.po), _source_state(self.po)
        complete_header(self.po.metadata, self.lang, entries != self._saved[0], source != self._saved[1])
        self._saved = entries, source
        text = format_po(self.po, self.header_comments)
        if self._original and text.encode("utf-8") != self._original:
            write_atomic(backup_path(self.path), self._original)
        self._original = b""
        written = write_atomic(self.path, text)
        self.written |= written
        _SURVEYED[os.path.abspath(self.path)] = _surveyed(self.po, hashlib.sha256(text.encode("utf-8")).hexdigest())
        return written

    def last_translator(self) -> str:
        """The header's Last-Translator when a person is named there (as Poedit writes it), else ''."""
        translator = self.po.metadata.get("Last-Translator", "").strip()
        return translator if _is_person(translator) else ""

    def _note_reviews(self) -> None:
        """Entries reviewed outside press since the last save get their reviewer: the header's Last-Translator."""
        name = self.last_translator() or UNKNOWN
        for entry in self._live.values():
            if "fuzzy" not in entry.flags and entry.msgstr.strip() and _provenance(entry.comment, REVIEWED) is None:
                entry.comment = _with_provenance(entry.comment, REVIEWED, name)

    def _in_order(self) -> list[polib.POEntry]:
        """The live entries in the file's order."""
        return [e for e in self.po if self._live.get(e.msgid) is e]

    def _set_translator(self, name: str) -> None:
        if not self.last_translator():
            _set_field(self.po.metadata, "Last-Translator", name)

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


def backup_path(path: Path) -> Path:
    """Where a memory's backup goes: ``FILE.po~`` beside it (one: the file as it was before the last change that
    replaced reviewed work, or a repair)."""
    return path.with_name(path.name + "~")


def _read_po(path: Path) -> tuple[bytes, str, list[str], polib.POFile]:
    """A PO file's bytes, its text as checked (:func:`check_po`), what was repaired, and what polib reads of it."""
    try:
        raw = path.read_bytes()
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise PressError(path, None, f"not UTF-8 ({exc.reason})", "save the file as UTF-8 in your PO editor") from None
    except OSError as exc:
        raise PressError(path, None, f"cannot read: {exc.strerror}", "check the file's permissions") from None
    kept, repairs = check_po(text, path)
    try:
        po = polib.pofile(_for_polib(kept), encoding="utf-8", wrapwidth=0)
    except (OSError, ValueError) as exc:
        line = _line_of(exc)
        raise PressError(path, line, f"not a valid PO file: {_reason(exc)}", _REPAIR) from None
    _check_lengths(po, path)
    return raw, kept, repairs, po


def _check_lengths(po: polib.POFile, path: Path) -> None:
    """Refuse a translation longer than ``MAX_TRANSLATION`` characters, naming its line."""
    for entry in po:
        longest = max([entry.msgstr, *entry.msgstr_plural.values()], key=len)
        if len(longest) > MAX_TRANSLATION:
            message = f"a msgstr of {len(longest):,} characters, more than a translation may have ({MAX_TRANSLATION:,})"
            raise PressError(path, entry.linenum or None, message, _SHORTEN.replace("FILE", str(path)))


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


# --- what a build checks, and records, of a language's memories --------------------------------


@dataclass(frozen=True)
class Loss:
    """A memory holding fewer reviewed translations than the last build recorded (or emptied, or gone)."""

    path: Path
    recorded: int  # reviewed sentences the last build recorded
    missing: int  # of those, how many the file no longer holds
    state: str = ""  # "gone", "empty", or "" (cut short or edited)

    def describe(self) -> str:
        if self.state == "gone":
            return (
                f"the memory is gone, and with it {self.missing} of the {self.recorded} reviewed translation(s)"
                " the last build recorded"
            )
        if not self.recorded:
            return "the memory is empty: a memory always starts with its header, so it was emptied or cut short"
        empty = " (the file is empty)" if self.state == "empty" else ""
        remain = self.recorded - self.missing
        return (
            f"{self.missing} of the {self.recorded} reviewed translation(s) the last build recorded are missing"
            f" ({remain} remain){empty}"
        )

    def fix(self) -> str:
        backup = backup_path(self.path)
        kept = f", or from its backup: cp {backup} {self.path}" if backup.is_file() else ""
        return f"restore it: git checkout -- {self.path}{kept}; or, if that was meant, press build --accept-loss"


def survey(folder: Path, lang: str, held: dict) -> tuple[dict[str, dict], list[PressError]]:
    """Each memory (``*.po``) of a language's folder as the build records it, ``{"sha", "reviewed"}`` (the short
    hashes of its reviewed sentences, live or obsolete), and the problems of its entries (:func:`entry_problem`).

    A file whose sha256 is the one ``held`` (the last build's record) has is taken from there, not read again;
    one read again also lists what it still translates (``translated``: a review taken back is no loss).
    """
    found: dict[str, dict] = {}
    problems = []
    for path in sorted(folder.glob("*.po")) if folder.is_dir() else []:
        sha, before = file_sha(path), held.get(path.name)
        saved = _SURVEYED.get(os.path.abspath(path))  # as this process saved it: not read again
        if isinstance(before, dict) and before.get("sha") == sha and _hashes(before) is not None:
            found[path.name] = before
        elif saved is not None and saved["sha"] == sha:
            found[path.name] = saved
        else:
            raw, _, _, po = _read_po(path)
            found[path.name] = _surveyed(po, sha) | ({"empty": True} if not raw.strip() else {})
            problem = entry_problem(path, po)
            if problem is not None:
                problems.append(problem)
    return found, problems


_SURVEYED: dict[str, dict] = {}  # a memory's path → what :func:`survey` finds in it, as its last save wrote it


def _surveyed(po: polib.POFile, sha: str) -> dict:
    """What :func:`survey` records of a memory: its sha256, its reviewed and its translated sentences (hashed)."""
    reviewed, translated = set(), set()
    for entry in po:
        if entry.msgstr.strip() and not entry.msgid_plural:
            translated.add(_short(entry.msgid))
            if "fuzzy" not in entry.flags:
                reviewed.add(_short(entry.msgid))
    return {"sha": sha, "reviewed": sorted(reviewed), "translated": sorted(translated)}


def losses(folder: Path, held: dict, now: dict[str, dict]) -> list[Loss]:
    """The memories that lost reviewed translations since the record ``held`` was made (``now``: :func:`survey`),
    and those emptied (a memory press wrote always has its header). A sentence still translated in any memory of
    the language is not lost (a memory renamed, or moved to the article's id)."""
    out = []
    anywhere = set().union(*((_hashes(c, "translated") or _hashes(c) or set()) for c in now.values()))
    for name in sorted(set(held) | set(now)):
        recorded = _hashes(held.get(name)) or set()
        current = now.get(name)
        if current is None:
            if recorded - anywhere:
                out.append(Loss(folder / name, len(recorded), len(recorded - anywhere), "gone"))
            continue
        missing = len(recorded - anywhere)
        empty = "empty" if current.get("empty") else ""
        if missing or empty:
            out.append(Loss(folder / name, len(recorded), missing, empty))
    return out


def loss_error(found: list[Loss]) -> PressError:
    """The one line a build stops with when memories lost reviewed work: the first, and how many more."""
    first = found[0]
    more = f" (and {len(found) - 1} more memory file(s))" if len(found) > 1 else ""
    return PressError(first.path, None, first.describe() + more, first.fix())


def entry_problem(path: Path, po: polib.POFile) -> PressError | None:
    """The first entry a build must not publish as it is: a live one with an empty msgstr (its page would show the
    English sentence while the memory calls it translated), or one with a msgctxt (press keys entries by their
    sentence alone: it would be ignored, and the sentence translated again beside it)."""
    for entry in po:
        if entry.obsolete or entry.msgid_plural:
            continue
        if entry.msgctxt is not None:
            message = (
                f"the entry of {entry.msgid[:50]!r} has a msgctxt ({entry.msgctxt[:30]!r}), which press does not read"
            )
            fix = "remove its msgctxt line (press keys an entry by its sentence alone); the translation stays"
            return PressError(path, entry.linenum or None, message, fix)
        if not entry.msgstr.strip():
            reviewer = _provenance(entry.comment, REVIEWED)
            was = f" (reviewed by {reviewer})" if reviewer else ""
            message = f"the entry of {entry.msgid[:50]!r}{was} has an empty msgstr: its page would show the English"
            fix = (
                f"write its translation, restore the file (git checkout -- {path}), "
                "or delete the entry to have it translated again (then press build --accept-loss)"
            )
            return PressError(path, entry.linenum or None, message, fix)
    return None


def _short(text: str) -> str:
    """A sentence's short hash, as the build's record keeps reviewed sentences."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _hashes(entry: object, key: str = "reviewed") -> set[str] | None:
    """The sentences' hashes a survey entry holds under ``key``, or None when it is not one."""
    hashes = entry.get(key) if isinstance(entry, dict) else None
    return set(hashes) if isinstance(hashes, list) and all(isinstance(h, str) for h in hashes) else None


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


def write_template(path: Path, units: list[Unit], project: str = "") -> bool:
    """Write the article's template (``.pot``): each sentence once with its references, no translation.

    Its ``POT-Creation-Date`` changes only when a sentence or a reference does;
    False (and the file untouched) when nothing did.
    """
    po = polib.POFile(wrapwidth=0)
    po.metadata_is_fuzzy = ["fuzzy"]
    po.metadata = {
        "Project-Id-Version": project or path.stem,
        "Report-Msgid-Bugs-To": "",
        "POT-Creation-Date": "",
        "PO-Revision-Date": "YEAR-MO-DA HO:MI+ZONE",
        "Last-Translator": _TEMPLATE_TRANSLATOR,
        "Language-Team": "LANGUAGE <LL@li.org>",
        "Language": "",
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "X-Generator": GENERATOR,
    }
    where: dict[str, list[str]] = {}
    for unit in units:
        refs = where.setdefault(unit.text, [])
        if unit.reference not in refs:
            refs.append(unit.reference)
    for text, refs in where.items():
        po.append(polib.POEntry(msgid=text, msgstr="", occurrences=[_occurrence(ref) for ref in refs]))
    body = format_po(po).split("\n\n", 1)[-1]
    old = path.read_text(encoding="utf-8") if path.is_file() else ""
    kept = re.search(r'^"POT-Creation-Date: ([^"\\]*)\\n"$', old, re.MULTILINE)
    same = kept is not None and old.split("\n\n", 1)[-1] == body
    po.metadata["POT-Creation-Date"] = kept.group(1) if kept and same else timestamp()
    return write_atomic(path, format_po(po))


def _new_po(lang: str, source: str) -> polib.POFile:
    po = polib.POFile(wrapwidth=0)
    po.header = f"Translation memory of {source} ({lang}), kept by press: machine output stays fuzzy until reviewed."
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


# --- provenance: the entry's #. lines ---------------------------------------------------------


def _provenance(comment: str, prefix: str) -> str | None:
    """The value of the provenance line that starts with ``prefix`` (the last one), if any."""
    values = [line[len(prefix) :] for line in comment.split("\n") if line.startswith(prefix)]
    return values[-1].strip() if values else None


def _with_provenance(comment: str, prefix: str, value: str | None) -> str:
    """The comment with its ``prefix`` line replaced by ``prefix + value`` (dropped when ``value`` is None)."""
    lines = [line for line in comment.split("\n") if line and not line.startswith(prefix)]
    return "\n".join(lines + ([prefix + value] if value is not None else []))


def _one_line(text: str) -> str:
    """A text for one ``#.`` line: backslashes and line ends escaped as PO strings escape them."""
    return text.replace("\\", "\\\\").replace("\n", "\\n")


def _from_one_line(text: str) -> str:
    return re.sub(r"\\(.)", lambda m: "\n" if m.group(1) == "n" else m.group(1), text)


def _is_person(translator: str) -> bool:
    """A Last-Translator a person set (not empty, not the template's placeholder, not the toolkit)."""
    return (
        bool(translator) and translator not in (_TEMPLATE_TRANSLATOR, TOOLKIT) and not translator.startswith("press ")
    )


# --- the header -------------------------------------------------------------------------------

_HEADER_ORDER = (
    "Project-Id-Version",
    "Report-Msgid-Bugs-To",
    "POT-Creation-Date",
    "PO-Revision-Date",
    "Last-Translator",
    "Language-Team",
    "Language",
    "MIME-Version",
    "Content-Type",
    "Content-Transfer-Encoding",
    "Plural-Forms",
)


def complete_header(metadata: dict[str, str], lang: str, entries_changed: bool, sources_changed: bool) -> None:
    """Fill the fields gettext wants; move the dates only when what they date changed. Nothing a person set is overwritten."""
    dates = {"POT-Creation-Date": sources_changed, "PO-Revision-Date": entries_changed}
    stale = [key for key, changed in dates.items() if changed or not metadata.get(key)]
    now = timestamp() if stale else ""
    for key in stale:
        _set_field(metadata, key, now)
    defaults = {
        "Last-Translator": TOOLKIT,
        "Language-Team": _language_name(lang),
        "Language": lang,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": plural_forms(lang),
    }
    for key, value in defaults.items():
        if not metadata.get(key, "").strip():
            _set_field(metadata, key, value)


def plural_forms(lang: str) -> str:
    """The language's ``Plural-Forms`` header, as gettext's msginit writes it (Babel's table of gettext rules)."""
    entry = LANGUAGES.get(lang)
    return entry.plural_forms if entry else gettext_plural_forms(lang)


def _language_name(lang: str) -> str:
    import babel

    try:
        return babel.Locale.parse(lang).english_name or lang
    except (ValueError, babel.UnknownLocaleError):
        return lang


def timestamp() -> str:
    """Now, as PO headers write dates, in UTC; ``SOURCE_DATE_EPOCH`` when set (reproducible builds)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch and not epoch.isdigit():
        raise PressError(None, None, f"SOURCE_DATE_EPOCH={epoch!r} is not a number of seconds", "unset it or fix it")
    return time.strftime("%Y-%m-%d %H:%M+0000", time.gmtime(int(epoch) if epoch else time.time()))


def _set_field(metadata: dict[str, str], key: str, value: str) -> None:
    """Set a header field; a new one goes where gettext puts it (after the standard fields before it)."""
    if key in metadata or key not in _HEADER_ORDER:
        metadata[key] = value
        return
    before = set(_HEADER_ORDER[: _HEADER_ORDER.index(key)])
    items = list(metadata.items())
    at = max((i + 1 for i, (k, _) in enumerate(items) if k in before), default=0)
    items.insert(at, (key, value))
    metadata.clear()
    metadata.update(items)


def _entries_state(po: polib.POFile) -> tuple:
    """Everything of the entries that a save writes: what PO-Revision-Date dates."""
    return tuple(
        (
            e.obsolete,
            e.msgctxt,
            e.msgid,
            e.msgid_plural,
            e.msgstr,
            tuple(sorted(e.msgstr_plural.items())),
            tuple(e.flags),
            e.comment,
            e.tcomment,
            tuple(e.occurrences),
            e.previous_msgctxt,
            e.previous_msgid,
            e.previous_msgid_plural,
        )
        for e in po
    )


def _source_state(po: polib.POFile) -> tuple:
    """The sentences and where they occur: what POT-Creation-Date dates."""
    return tuple((e.msgctxt, e.msgid, tuple(e.occurrences)) for e in po if not e.obsolete)


# --- writing PO as gettext does ---------------------------------------------------------------
# gettext's write-po.c (msgcat, msgmerge, Poedit's gettext tools): 79 columns, a string cut at
# each \n and wrapped where libunistring 1.0's line breaking (UAX #14 by a pair table) allows.

PAGE_WIDTH = 79
_ESCAPES = {"\a": "a", "\b": "b", "\f": "f", "\n": "n", "\r": "r", "\t": "t", "\v": "v", "\\": "\\", '"': '"'}
_PROHIBITED, _POSSIBLE, _MANDATORY = 0, 1, 2

# libunistring 1.0's table (lbrktables.c): D break, I break only after spaces, P no break; row = before.
_CLASSES = "WJ GL B2 BA BB HY CL CP1 CP2 EX IN NS OP1 OP2 QU IS NU PO PR SY AL H2 H3 ID1 ID2 JL JV JT HL RI ZWJ EB EM"
_ROWS = """\
PIIIIIPPPPIIIIIPIIIPIIIIIIIIIIIII PIIIIIPPPPIIIIIPIIIPIIIIIIIIIIIII PIPIDIPPPPIIDDIPDDDPDDDDDDDDDDDDD
PDDIDIPPPPIIDDIPDDDPDDDDDDDDDDDDD PIIIIIPPPPIIIIIPIIIPIIIIIIIIIIIII PDDIDIPPPPIIDDIPIDDPDDDDDDDDDDDDD
PIDIDIPPPPIPDDIPDIIPDDDDDDDDDDDDD PIDIDIPPPPIIDDIPIIIPIDDDDDDDIDIDD PIDIDIPPPPIIDDIPDIIPDDDDDDDDDDDDD
PIDIDIPPPPIIDDIPDDDPDDDDDDDDDDDDD PIDIDIPPPPIIDDIPDDDPDDDDDDDDDDDDD PIDIDIPPPPIIDDIPDDDPDDDDDDDDDDDDD
PPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPP PPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPP PIIIIIPPPPIIPPIPIIIPIIIIIIIIIIIII
PIDIDIPPPPIIDDIPIDDPDDDDDDDDDDDDD PIDIDIPPPPIIIDIPIIIPIDDDDDDDIDIDD PIDIDIPPPPIIIIIPIDDPIDDDDDDDIDIDD
PIDIDIPPPPIIIIIPIDDPIIIIIIIIIDIII PIDIDIPPPPIIDDIPIDDPDDDDDDDDIDDDD PIDIDIPPPPIIIDIPIIIPIDDDDDDDIDIDD
PIDIDIPPPPIIDDIPDIDPDDDDDDIIDDDDD PIDIDIPPPPIIDDIPDIDPDDDDDDDIDDDDD PIDIDIPPPPIIDDIPDIDPDDDDDDDDDDDDD
PIDIDIPPPPIIDDIPDIDPDDDDDDDDDDDDI PIDIDIPPPPIIDDIPDIDPDIIDDIIDDDDDD PIDIDIPPPPIIDDIPDIDPDDDDDDIIDDDDD
PIDIDIPPPPIIDDIPDIDPDDDDDDDIDDDDD PIDIDIPPPPIIIDIPIIIPIDDDDDDDIDIDD PIDIDIPPPPIIDDIPDDDPDDDDDDDDDDDDD
PIDIDIPPPPIIIDIPIIIPIDDIIDDDIDIII PIDIDIPPPPIIDDIPDIDPDDDDDDDDDDDDI PIDIDIPPPPIIDDIPDIDPDDDDDDDDDDDDD"""
_PAIRS = {before: dict(zip(_CLASSES.split(), row)) for before, row in zip(_CLASSES.split(), _ROWS.split())}
# Line break classes (Unicode 14, as libunistring 1.0 resolves them for UTF-8) where the general
# category does not tell: exact for ASCII, Latin, IPA, Greek, Cyrillic, general punctuation, currency.
_EXCEPTIONS = """\
0009 BA,000A LF,000B-000C BK,000D CR,0020 SP,0021 EX,0022 QU,0025 PO,0027 QU,0029 CP1,002B PR,002C IS,002D HY,
002E IS,002F SY,003A-003B IS,003F EX,005C PR,005D CP1,007C BA,0085 BK,00A0 GL,00A1 OP1,00A2 PO,00AD BA,00B0 PO,
00B1 PR,00B4 BB,00BF OP1,02C8 BB,02CC BB,02DF BB,034F GL,035C-0362 GL,037E IS,1FFD BB,2007 GL,200B ZW,200D ZWJ,
2011 GL,2014 B2,2015 AL,2024-2026 IN,2027 BA,2028-2029 BK,202F GL,2030-2037 PO,203C-203D NS,2044 IS,2047-2049 NS,
2056 BA,2058-205B BA,205D-205E BA,2060 WJ,2061-2064 AL,20A7 PO,20B6 PO,20BB PO,20BE PO,20C0 PO,2103 PO,2109 PO,
2116 PR"""


def _exceptions() -> dict[int, str]:
    table = {}
    for item in _EXCEPTIONS.replace("\n", "").split(","):
        span, name = item.split()
        first, _, last = span.partition("-")
        for code in range(int(first, 16), int(last or first, 16) + 1):
            table[code] = name
    return table


_EXCEPTION = _exceptions()


@functools.cache
def _break_class(char: str) -> str:
    """The character's line break class: the table above, else from its general category."""
    code = ord(char)
    if code in _EXCEPTION:
        return _EXCEPTION[code]
    category = unicodedata.category(char)
    wide = category != "Cn" and unicodedata.east_asian_width(char) in ("W", "F")
    if 0xAC00 <= code <= 0xD7A3:
        return "H2" if (code - 0xAC00) % 28 == 0 else "H3"
    by_category = {"Mn": "CM", "Me": "CM", "Mc": "CM", "Cf": "CM", "Cc": "CM", "Nd": "NU", "Zs": "BA", "Pd": "BA"}
    if category in by_category:
        return by_category[category]
    if category == "Ps":
        return "OP2" if wide else "OP1"
    if category == "Pe":
        return "CL"
    if category in ("Pi", "Pf"):
        return "QU"
    if category == "Sc":
        return "PR"
    return "ID1" if wide else "AL"


@functools.cache
def _columns(char: str) -> int:
    """libunistring's ``uc_width``: 0 for marks and format characters, 2 for wide ones; -1 for controls."""
    code = ord(char)
    if 0 < code < 0xA0 and (code < 0x20 or code >= 0x7F):
        return -1
    if (
        unicodedata.category(char) in ("Mn", "Me", "Cf")
        or unicodedata.bidirectional(char) == "NSM"
        or 0x1160 <= code <= 0x11FF
        or 0xD7B0 <= code <= 0xD7FF
        or unicodedata.name(char, "").startswith("ZERO WIDTH ")
    ):
        return 0
    if unicodedata.category(char) == "Cn":  # unassigned: wide only where CJK ideographs will go
        return 2 if 0x3400 <= code <= 0x4DBF or 0x20000 <= code <= 0x3FFFD else 1
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


@functools.cache
def _advance(char: str) -> int:
    """How far a character moves the column (a control character: not at all)."""
    return max(_columns(char), 0)


def _opportunities(text: str) -> list[int]:
    """Where a line may break before each character: libunistring 1.0's ``u8_possible_linebreaks``."""
    out = [_PROHIBITED] * len(text)
    prev = last = "BK"
    space = False
    regional = 0
    for i, char in enumerate(text):
        prop = _break_class(char)
        if prop in ("BK", "LF", "CR"):
            out[i], prev, last, space = _MANDATORY, prop, "BK", False
            regional = 0
            continue
        if prop == "SP":
            space = True
        elif prop == "ZW":
            last, space = "ZW", False
        elif prop in ("CM", "ZWJ"):
            if last == "BK":
                last, space = "AL", False
            elif last == "ZW" or space:
                out[i], last, space = _POSSIBLE, "AL", False
        else:
            out[i] = _pair_break(prev, last, prop, space, regional)
            last, space = prop, False
        prev = "HL_BA" if prev == "HL" and prop in ("HY", "BA") else prop
        regional = regional + 1 if prop == "RI" else 0
    return out


def _pair_break(prev: str, last: str, prop: str, space: bool, regional: int) -> int:
    if last == "BK":
        return _PROHIBITED
    if last == "ZW":
        return _POSSIBLE
    if prev == "ZWJ":
        return _PROHIBITED
    if last == "RI" and prop == "RI":
        return _POSSIBLE if space or regional % 2 == 0 else _PROHIBITED
    if prev == "HL_BA":
        return _PROHIBITED
    rule = _PAIRS[last][prop]
    return _POSSIBLE if rule == "D" or (rule == "I" and space) else _PROHIBITED


def _line_breaks(text: str, keep: list[bool], width: int, start: int) -> list[int]:
    """Where to break ``text`` to fit ``width`` columns after ``start``: libunistring's ``u8_width_linebreaks``."""
    if start + sum(map(_advance, text)) <= width:
        return []  # it fits: no piece can pass the width
    breaks: list[int] = []
    last, column, piece = None, start, 0
    for i, (char, opportunity) in enumerate(zip(text, _opportunities(text))):
        if keep[i]:
            opportunity = _PROHIBITED
        if opportunity != _PROHIBITED and last is not None and column + piece > width:
            breaks.append(last)
            column = 0
        if opportunity == _MANDATORY:
            last, column, piece = None, 0, 0
            continue
        if opportunity == _POSSIBLE:
            last, column, piece = i, column + piece, 0
        piece += _advance(char)
    if last is not None and column + piece > width:
        breaks.append(last)
    return sorted(set(breaks))


@functools.lru_cache(maxsize=8192)  # a build saves a memory after each batch: most strings are as last time
def po_string(prefix: str, keyword: str, value: str, wrap: bool = True) -> tuple[str, ...]:
    """One keyword and its string (``msgid "…"``), as gettext writes it: cut after each \\n, wrapped at 79 columns."""
    portions = re.findall(r"[^\n]*\n|[^\n]+", value) or [""]
    lines: list[str] = []
    first = True
    for index, portion in enumerate(portions):
        chars: list[str] = []
        keep: list[bool] = []  # no break before this character: the second half of an escape, the final \n
        for char in portion:
            escape = _ESCAPES.get(char)
            chars += ["\\", escape] if escape else [char]
            keep += [False, True] if escape else [False]
        if portion.endswith("\n"):
            keep[-2] = True
        text = "".join(chars)
        width = (PAGE_WIDTH if wrap else sys.maxsize) - 2 - len(prefix)
        start = len(keyword) + 1 if first else 0
        breaks = _line_breaks(text, keep, width, start)
        if first and text and (index < len(portions) - 1 or start > width or breaks):
            lines.append(f'{prefix}{keyword} ""')
            first, start = False, 0
            breaks = _line_breaks(text, keep, width, start)
        pieces = [text[i:j] for i, j in zip([0, *breaks], [*breaks, len(text)])]
        lines.append(f'{prefix}{keyword + " " if first else ""}"{pieces[0]}"')
        lines += [f'{prefix}"{piece}"' for piece in pieces[1:]]
        first = False
    return tuple(lines)


def format_po(po: polib.POFile, header_comments: list[str] | None = None) -> str:
    """The whole file as gettext's ``msgcat`` writes it: header, live entries, then obsolete ones."""
    header = polib.POEntry(msgid="", msgstr="".join(f"{k}: {v}\n" for k, v in po.metadata.items()))
    comments = _comment_lines(po.header) if header_comments is None else header_comments
    header.flags = ["fuzzy"] if po.metadata_is_fuzzy and "fuzzy" in po.metadata_is_fuzzy else []
    blocks = [["#" + (" " + line if line else "") for line in comments] + _entry_lines(header)]
    blocks += [_entry_lines(e) for e in po if not e.obsolete]
    blocks += [_entry_lines(e) for e in po if e.obsolete and (e.msgstr or e.msgstr_plural.get(0, ""))]
    return "\n".join("\n".join(block) + "\n" for block in blocks)


def _entry_lines(entry: polib.POEntry) -> list[str]:
    """One entry: comments, references, flags, previous strings, then its strings (``#~ `` when obsolete)."""
    lines = ["#" + (" " + line if line else "") for line in _comment_lines(entry.tcomment)]
    lines += ["#." + (" " + line if line else "") for line in entry.comment.split("\n")] if entry.comment else []
    lines += _reference_lines(entry) if entry.occurrences else []
    lines += _flag_lines(entry)
    wrap = "no-wrap" not in entry.flags
    mark = "#~ " if entry.obsolete else ""
    for keyword, value in (
        ("msgctxt", entry.previous_msgctxt),
        ("msgid", entry.previous_msgid),
        ("msgid_plural", entry.previous_msgid_plural),
    ):
        if value is not None:
            lines += po_string("#~| " if entry.obsolete else "#| ", keyword, value, wrap)
    if entry.msgctxt is not None:
        lines += po_string(mark, "msgctxt", entry.msgctxt, wrap)
    lines += po_string(mark, "msgid", entry.msgid, wrap)
    if entry.msgid_plural:
        lines += po_string(mark, "msgid_plural", entry.msgid_plural, wrap)
        for index in sorted(entry.msgstr_plural):
            lines += po_string(mark, f"msgstr[{index}]", entry.msgstr_plural[index], wrap)
    else:
        lines += po_string(mark, "msgstr", entry.msgstr, wrap)
    return lines


def _comment_lines(comment: str) -> list[str]:
    return comment.split("\n") if comment else []


def _header_comments(text: str) -> list[str]:
    """The translator comments above the header entry, an empty ``#`` line included."""
    comments = []
    for line in text.split("\n"):
        if line.startswith(("msgid", "msgctxt")) or not line.strip():
            break
        if line.startswith("#") and line[1:2] not in (".", ":", ",", "|", "~"):
            comments.append(line[2:] if line.startswith("# ") else line[1:])
    return comments


def _flag_lines(entry: polib.POEntry) -> list[str]:
    """``#, fuzzy`` first (only on a translated entry, as gettext does), then the other flags; obsolete: fuzzy only."""
    first = entry.msgstr_plural.get(0, "") if entry.msgid_plural else entry.msgstr
    fuzzy = ["fuzzy"] if "fuzzy" in entry.flags and (first or entry.obsolete) else []
    others = [] if entry.obsolete else [f for f in entry.flags if f != "fuzzy"]
    flags = list(dict.fromkeys(fuzzy + others))
    return ["#, " + ", ".join(flags)] if flags else []


def _reference_lines(entry: polib.POEntry) -> list[str]:
    """``#:`` lines: references joined by spaces, a new line before one that would pass column 79 (in bytes)."""
    lines, line, column = [], "#:", 2
    for reference in _references(entry.occurrences):
        size = len(reference.encode("utf-8")) + 1
        if column > 2 and column + size > PAGE_WIDTH:
            lines.append(line)
            line, column = "#:", 2
        line, column = f"{line} {reference}", column + size
    return [*lines, line]


def _references(occurrences: list[tuple[str, str]]) -> list[str]:
    """Each reference once; a file name gettext isolated (U+2068 a b.txt U+2069) is one, though polib split it at spaces."""
    out: list[str] = []
    open_name = False
    for name, line in occurrences:
        while name.startswith("./"):
            name = name[2:]
        text = f"{name}:{line}" if line else name
        if open_name:
            out[-1] += " " + text
        else:
            out.append(text)
        open_name = (open_name or text.startswith(_ISOLATE[0])) and _ISOLATE[1] not in text
    return list(dict.fromkeys(out))


# The PO grammar, line by line: what gettext reads. A string is quoted with only gettext's escapes.
_STRING = r'"(?:[^"\\]++|\\[\\"abfnrtv]|\\[0-7]{1,3}|\\x[0-9A-Fa-f]+)*+"'  # possessive: linear on a long line
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
    longest = max(range(len(lines)), key=lambda i: len(lines[i]))
    if len(lines[longest]) > _MAX_LINE:  # before any pattern reads it: a 16 MB line would take half a minute
        message = f"a line of {len(lines[longest]):,} characters (a translation may have {MAX_TRANSLATION:,})"
        raise PressError(path, longest + 1, message, _SHORTEN.replace("FILE", str(path)))
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
        fields, obsolete = _fields(block)
        if "msgid" in fields and not any(key.startswith("msgstr") for key in fields):
            message = "an entry with no msgstr (the file ends or breaks inside it: cut short?)"
            raise PressError(path, start + 1, message, f"restore the file (git checkout -- {path}), or add its msgstr")
        key = _key(fields)
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
    fields, obsolete = _fields(block)
    return _key(fields), obsolete


def _key(fields: dict[str, str]) -> tuple[str, str] | None:
    if "msgid" not in fields or (fields["msgid"] == "" and "msgctxt" not in fields):
        return None
    return fields.get("msgctxt", "\x00"), fields["msgid"]


def _fields(block: list[str]) -> tuple[dict[str, str], bool]:
    """An entry's keywords and their strings (as written, escaped), and whether it is obsolete."""
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
    return fields, obsolete


def _for_polib(text: str) -> str:
    """polib skips ``#~|`` lines (an obsolete entry's previous msgid): hand them to it as ``#|``, which it keeps."""
    return re.sub(r"^#~\|", "#|", text, flags=re.MULTILINE)


def _line_of(exc: Exception) -> int | None:
    match = re.search(r"line (\d+)", str(exc))
    return int(match.group(1)) if match else None


def _reason(exc: Exception) -> str:
    return str(exc).split("\n")[0][:160]
