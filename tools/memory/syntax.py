"""Reading a PO file as gettext does: every line checked against gettext's grammar before polib reads it.

polib reads some broken files leniently (losing text) and drops ``#~|`` lines, so every line is checked
first (a bad one is an error naming its line, as ``msgfmt -c`` does) and ``#~|`` is handed to polib as
``#|``. An obsolete entry duplicating a live one (which older versions wrote) is dropped and reported
as a repair. A translation longer than ``MAX_TRANSLATION`` characters is refused when the file is read
(one line naming it), before any slow parsing; so is an entry cut short (a ``msgid`` with no ``msgstr``)."""

from __future__ import annotations

import re
from pathlib import Path

import polib

from tools.errors import PressError

MAX_TRANSLATION = 20_000  # characters of one translation (a sentence's is a few hundred): longer is refused
_MAX_LINE = 4 * MAX_TRANSLATION + 100  # a PO line holds one string, escaped (\n is two characters, \ooo four)
_SHORTEN = (
    "shorten it (a sentence's translation is a few hundred characters), or restore the file: git checkout -- FILE"
)


def read_po(path: Path) -> tuple[bytes, str, list[str], polib.POFile]:
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


def header_comments(text: str) -> list[str]:
    """The translator comments above the header entry, an empty ``#`` line included."""
    comments = []
    for line in text.split("\n"):
        if line.startswith(("msgid", "msgctxt")) or not line.strip():
            break
        if line.startswith("#") and line[1:2] not in (".", ":", ",", "|", "~"):
            comments.append(line[2:] if line.startswith("# ") else line[1:])
    return comments


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
