"""Writing PO as gettext's ``msgcat`` does: header, live entries, then obsolete ones, every string cut after
each ``\\n`` and wrapped at 79 columns where libunistring allows (:mod:`tools.memory.linebreak`), references
joined up to column 79, flags and previous strings in gettext's order. A save in Poedit or ``msgcat``
followed by a build changes no line.

translate-toolkit (``translate.storage.pypo``) was measured against ``msgcat`` for this and does not
write the same bytes (ARCHITECTURE.md, "Written like msgcat writes")."""

from __future__ import annotations

import functools
import re
import sys

import polib

from tools.memory.linebreak import line_breaks

PAGE_WIDTH = 79
_ESCAPES = {"\a": "a", "\b": "b", "\f": "f", "\n": "n", "\r": "r", "\t": "t", "\v": "v", "\\": "\\", '"': '"'}
_ISOLATE = ("\u2068", "\u2069")  # gettext's quoting of a file name with spaces in #: references


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
        breaks = line_breaks(text, keep, width, start)
        if first and text and (index < len(portions) - 1 or start > width or breaks):
            lines.append(f'{prefix}{keyword} ""')
            first, start = False, 0
            breaks = line_breaks(text, keep, width, start)
        pieces = [text[i:j] for i, j in zip([0, *breaks], [*breaks, len(text)])]
        lines.append(f'{prefix}{keyword + " " if first else ""}"{pieces[0]}"')
        lines += [f'{prefix}"{piece}"' for piece in pieces[1:]]
        first = False
    return tuple(lines)


def format_po(po: polib.POFile, header_comments: list[str] | None = None) -> str:
    """The whole file as gettext's ``msgcat`` writes it: header, live entries, then obsolete ones."""
    header = polib.POEntry(msgid="", msgstr="".join(f"{k}: {v}\n" for k, v in po.metadata.items()))
    comments = comment_lines(po.header) if header_comments is None else header_comments
    header.flags = ["fuzzy"] if po.metadata_is_fuzzy and "fuzzy" in po.metadata_is_fuzzy else []
    blocks = [["#" + (" " + line if line else "") for line in comments] + _entry_lines(header)]
    blocks += [_entry_lines(e) for e in po if not e.obsolete]
    blocks += [_entry_lines(e) for e in po if e.obsolete and (e.msgstr or e.msgstr_plural.get(0, ""))]
    return "\n".join("\n".join(block) + "\n" for block in blocks)


def _entry_lines(entry: polib.POEntry) -> list[str]:
    """One entry: comments, references, flags, previous strings, then its strings (``#~ `` when obsolete)."""
    lines = ["#" + (" " + line if line else "") for line in comment_lines(entry.tcomment)]
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


def comment_lines(comment: str) -> list[str]:
    """A comment's lines (none for an empty one)."""
    return comment.split("\n") if comment else []


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


def occurrence(reference: str) -> tuple[str, str]:
    """``seeds/a b.txt:5`` → a ``#:`` reference, the file name isolated as gettext does when it has a space."""
    name, line = reference.rsplit(":", 1)
    return (f"{_ISOLATE[0]}{name}{_ISOLATE[1]}" if re.search(r"\s", name) else name, line)
