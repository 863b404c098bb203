"""What a build checks, and records, of a language's memories, before it writes anything.

Each file's reviewed sentences are kept in the build's record (:func:`survey`), and a memory that no
longer holds some of them (cut short, emptied, deleted: :func:`losses`), or has an entry the build must
not publish (an empty msgstr, a msgctxt: :func:`entry_problem`), stops it in one line."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

import polib

from tools.errors import PressError
from tools.fsutil import file_sha
from tools.memory.files import backup_path
from tools.memory.provenance import REVIEWED, provenance_of
from tools.memory.syntax import read_po


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
            raw, _, _, po = read_po(path)
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


def note_saved(path: Path, po: polib.POFile, sha: str) -> None:
    """What a save of this process wrote to ``path``: :func:`survey` takes it from here, not reading the file again."""
    _SURVEYED[os.path.abspath(path)] = _surveyed(po, sha)


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
            reviewer = provenance_of(entry.comment, REVIEWED)
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
