"""Keep Markdown, HTML, URLs and code out of the typography rules' reach.

A document is split into blocks: prose paragraphs, which the rules see, and
verbatim blocks (front matter, fenced and indented code, HTML blocks, blank
lines), which they do not. Inside a prose paragraph, inline spans that must
not change (code spans, tags, URLs, link targets, entities, table rules,
list and heading markers) are swapped for one placeholder character each
and swapped back afterwards. Placeholders come from Supplementary Private
Use Area-A, so no rule mistakes them for letters or spaces:
``WORD_LIKE`` ones read as a word, ``SPACE_LIKE`` ones (line prefixes) as
the start of a line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_WORD_BASE = 0xF0000
_SPACE_BASE = 0xF8000
_MAX_SPANS = 0x8000
WORD_LIKE = "\U000f0000-\U000f7fff"
SPACE_LIKE = "\U000f8000-\U000fffff"
_PLACEHOLDER = re.compile(f"[{WORD_LIKE}{SPACE_LIKE}]")

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_HTML_BLOCK = re.compile(r"^ {0,3}<(?:[A-Za-z/]|!--)")
_INDENTED = re.compile(r"^(?: {4}|\t)")

_TYPOGRAPHIC = "\u2013\u2014…«»“”„‟‘’‚‛‹›"  # never part of a URL: it must be percent-encoded
_URL_TAIL = "[.,;:!?)\\]…\"'«»“”„‟‘’‚‛‹›*_]"  # punctuation after a URL belongs to the prose
# Inline spans, protected in this order (earlier spans may sit inside later ones).
_WORD_SPANS = [
    re.compile("[\U000f0000-\U000ffffd]"),  # our placeholder range, if the input already uses it
    re.compile(r"^[ \t]{0,3}\[[^\]\n]+\]:[ \t]*\S.*$", re.MULTILINE),  # reference definition
    re.compile(r"^(?=[^\n]*\|)(?=[^\n]*-)[ \t|:-]+$", re.MULTILINE),  # table delimiter row
    re.compile(
        r"^[ \t]{0,3}(?:(?:-[ \t]*){3,}|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,}|=+[ \t]*)$", re.MULTILINE
    ),  # rule, setext
    re.compile(r"(`+)(?!`).*?(?<!`)\1(?!`)", re.DOTALL),  # code span
    re.compile(r"<!--.*?-->", re.DOTALL),  # HTML comment
    re.compile(r"<[A-Za-z][A-Za-z0-9+.-]*:[^\s<>]*>|<[^\s@<>]+@[^\s@<>]+>"),  # autolink
    re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>"),  # HTML tag
    re.compile(r"(?<=\])\((?:[^()\s]|\([^()\s]*\))*(?:\s+(?:\"[^\"]*\"|'[^']*'|\([^)]*\)))?\)"),  # link target
    re.compile(r"(?<=\])\[[^\]\n]*\]|\[\^[^\]\n]+\]"),  # reference label, footnote
    re.compile(rf"\b(?:(?:https?|ftp)://|www\.)[^\s<>{_TYPOGRAPHIC}]+?(?={_URL_TAIL}*(?:\s|$|[<>{_TYPOGRAPHIC}]))"),
    re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b"),  # e-mail address
    re.compile(r"&(?:#\d+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]+);"),  # entity
    re.compile(r"\{:?[ \t]*[#.][^}\n]*\}"),  # attribute list
    re.compile(r"\\[!-/:-@\[-`{-~]"),  # backslash escape
]
_LINE_PREFIX = re.compile(
    r"^[ \t]*(?:>[ \t]?)*(?:(?:[-*+]|\d{1,9}[.)])[ \t]+|#{1,6}(?:[ \t]+|$)|\[\^[^\]\n]+\]:[ \t]*|\*\[[^\]\n]+\]:[ \t]*)?",
    re.MULTILINE,
)  # indentation, quote, list and heading markers, footnote and abbreviation definitions


@dataclass
class Block:
    """A run of lines, with its first line's number; only prose is typeset."""

    text: str
    line: int
    prose: bool


def split_blocks(text: str) -> list[Block]:
    """Split a document into blocks whose texts, joined, give it back exactly."""
    lines = text.split("\n")
    lines = [line + "\n" for line in lines[:-1]] + ([lines[-1]] if lines[-1] else [])
    blocks: list[Block] = []
    i = _front_matter_end(lines)
    if i:
        blocks.append(Block("".join(lines[:i]), 1, False))
    while i < len(lines):
        start = i
        if not lines[i].strip():
            while i < len(lines) and not lines[i].strip():
                i += 1
            blocks.append(Block("".join(lines[start:i]), start + 1, False))
        elif fence := _FENCE.match(lines[i]):
            i = _fence_end(lines, i, fence.group(1))
            blocks.append(Block("".join(lines[start:i]), start + 1, False))
        else:
            i += 1
            while i < len(lines) and lines[i].strip() and not _FENCE.match(lines[i]):
                i += 1
            chunk = lines[start:i]
            verbatim = bool(_HTML_BLOCK.match(chunk[0])) or all(_INDENTED.match(line) for line in chunk)
            blocks.append(Block("".join(chunk), start + 1, not verbatim))
    return blocks


def _front_matter_end(lines: list[str]) -> int:
    if not lines or lines[0].rstrip() != "---":
        return 0
    for i in range(1, len(lines)):
        if lines[i].rstrip() in ("---", "..."):
            return i + 1
    return 0


def _fence_end(lines: list[str], start: int, fence: str) -> int:
    closing = re.compile(rf"^ {{0,3}}{re.escape(fence[0])}{{{len(fence)},}}\s*$")
    for i in range(start + 1, len(lines)):
        if closing.match(lines[i]):
            return i + 1
    return len(lines)


class Protector:
    """Swaps protected inline spans for placeholders, and back."""

    def __init__(self) -> None:
        self._spans: list[tuple[str, bool]] = []

    def protect(self, text: str) -> str:
        """The text with every protected span replaced by one placeholder."""
        for number, pattern in enumerate(_WORD_SPANS):
            nested = number > 0
            text = pattern.sub(lambda m, nested=nested: self._hold(m.group(), _WORD_BASE, nested), text)
        return _LINE_PREFIX.sub(lambda m: self._hold(m.group(), _SPACE_BASE) if m.group() else "", text)

    def restore(self, text: str) -> str:
        """The text with every placeholder replaced by what it stands for."""
        return _PLACEHOLDER.sub(self._original, text)

    def _hold(self, span: str, base: int, nested: bool = True) -> str:
        """Store ``span``; ``nested`` if it may hold placeholders of earlier spans."""
        if len(self._spans) >= _MAX_SPANS:
            raise ValueError("too many protected spans in one paragraph")
        self._spans.append((span, nested and bool(_PLACEHOLDER.search(span))))
        return chr(base + len(self._spans) - 1)

    def _original(self, match: re.Match[str]) -> str:
        code = ord(match.group())
        index = code - (_SPACE_BASE if code >= _SPACE_BASE else _WORD_BASE)
        if index >= len(self._spans):
            return match.group()
        span, nested = self._spans[index]
        return self.restore(span) if nested else span
