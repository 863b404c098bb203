"""Keep Markdown, HTML, URLs and code out of the typography rules' reach.

A document is split into blocks: prose paragraphs, which the rules see, and
verbatim blocks (front matter, fenced and indented code, HTML blocks, blank
lines), which they do not. Inside a prose paragraph, inline spans that must
not change (code spans, tags, URLs, link targets, entities, table rules,
list and heading markers) are swapped for one placeholder character each
and swapped back afterwards. Placeholders come from the Supplementary
Private Use Areas, so no rule mistakes them for letters or spaces:
``WORD_LIKE`` ones read as a word, ``SPACE_LIKE`` ones (line prefixes) as
the start of a line, and ``TAG_LIKE`` ones (inline HTML tags such as
``<em>`` or ``</a>``) as nothing at all: rules look through them.

A paragraph is an HTML block only where Python-Markdown makes one: a line
that starts with a block-level tag (``<div>``, ``<p>``, ``<table>``...), a
comment, a declaration or a processing instruction. A paragraph that starts
with an inline tag (``<em>``, ``<a href>``, ``<span>``) is prose.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_WORD_BASE = 0xF0000
_SPACE_BASE = 0xF8000
_TAG_BASE = 0x100000
_MAX_SPANS = 0x8000
WORD_LIKE = "\U000f0000-\U000f7fff"
SPACE_LIKE = "\U000f8000-\U000fffff"
TAG_LIKE = "\U00100000-\U00107fff"
_PLACEHOLDER = re.compile(f"[{WORD_LIKE}{SPACE_LIKE}{TAG_LIKE}]")

# Python-Markdown's markdown.util.BLOCK_LEVEL_ELEMENTS (3.11), as data; a test keeps the two equal.
_BLOCK_LEVEL = (
    "address article aside blockquote details div dl fieldset figcaption figure footer form h1 h2 h3 h4 h5 h6"
    " header hgroup hr main menu nav ol p pre section table ul canvas colgroup dd body dt group html iframe li"
    " legend math map noscript output object option progress script style summary tbody td textarea tfoot th"
    " thead tr video center"
)
_VOID = "area base br col embed hr img input link meta param source track wbr"  # HTML elements with no content
BLOCK_LEVEL_TAGS = frozenset(_BLOCK_LEVEL.split())
VOID_TAGS = frozenset(_VOID.split())

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_HTML_BLOCK = re.compile(
    rf"^ {{0,3}}<(?:/?(?:{'|'.join(sorted(BLOCK_LEVEL_TAGS))})(?=[\s/>]|$)|!|\?)", re.IGNORECASE
)  # a block-level tag (opening or closing), a comment, a declaration, a processing instruction
_INDENTED = re.compile(r"^(?: {4}|\t)")

_TYPOGRAPHIC = "\u2013\u2014…«»“”„‟‘’‚‛‹›"  # never part of a URL: it must be percent-encoded
_URL_TAIL = "[.,;:!?)\\]…\"'«»“”„‟‘’‚‛‹›*_]"  # punctuation after a URL belongs to the prose
_HTML_TAG = re.compile(r"</?([A-Za-z][A-Za-z0-9-]*)(?:\s[^<>]*)?/?>")
# Inline spans, protected in this order (earlier spans may sit inside later ones).
_WORD_SPANS = [
    re.compile("[\U000f0000-\U000ffffd\U00100000-\U0010fffd]"),  # our placeholder ranges, if the input uses them
    re.compile(r"^[ \t]{0,3}\[[^\]\n]+\]:[ \t]*\S.*$", re.MULTILINE),  # reference definition
    re.compile(r"^(?=[^\n]*\|)(?=[^\n]*-)[ \t|:-]+$", re.MULTILINE),  # table delimiter row
    re.compile(
        r"^[ \t]{0,3}(?:(?:-[ \t]*){3,}|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,}|=+[ \t]*)$", re.MULTILINE
    ),  # rule, setext
    re.compile(r"(`+)(?!`).*?(?<!`)\1(?!`)", re.DOTALL),  # code span
    re.compile(r"<!--.*?-->", re.DOTALL),  # HTML comment
    re.compile(r"<[A-Za-z][A-Za-z0-9+.-]*:[^\s<>]*>|<[^\s@<>]+@[^\s@<>]+>"),  # autolink
    _HTML_TAG,
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
            blocks += _paragraph_blocks(lines[start:i], start + 1)
    return blocks


def _paragraph_blocks(chunk: list[str], line: int) -> list[Block]:
    """A run of non-blank lines: verbatim from a line that opens an HTML block (as Python-Markdown does) on."""
    if all(_INDENTED.match(text) for text in chunk):
        return [Block("".join(chunk), line, False)]
    html = next((i for i, text in enumerate(chunk) if _HTML_BLOCK.match(text)), len(chunk))
    blocks = [Block("".join(chunk[:html]), line, True)] if html else []
    if html < len(chunk):
        blocks.append(Block("".join(chunk[html:]), line + html, False))
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


class TooManySpans(ValueError):
    """A paragraph holds more protected spans than there are placeholders (32,768): hostile or broken input."""


class Protector:
    """Swaps protected inline spans for placeholders, and back."""

    def __init__(self) -> None:
        self._spans: list[tuple[str, bool]] = []

    def protect(self, text: str) -> str:
        """The text with every protected span replaced by one placeholder."""
        for number, pattern in enumerate(_WORD_SPANS):
            nested = number > 0
            text = pattern.sub(lambda m, nested=nested: self._hold(m.group(), _base(m), nested), text)
        return _LINE_PREFIX.sub(lambda m: self._hold(m.group(), _SPACE_BASE) if m.group() else "", text)

    def restore(self, text: str) -> str:
        """The text with every placeholder replaced by what it stands for."""
        return _PLACEHOLDER.sub(self._original, text)

    def _hold(self, span: str, base: int, nested: bool = True) -> str:
        """Store ``span``; ``nested`` if it may hold placeholders of earlier spans."""
        if len(self._spans) >= _MAX_SPANS:
            raise TooManySpans(f"more than {_MAX_SPANS:,} code spans, links or tags in one paragraph")
        self._spans.append((span, nested and bool(_PLACEHOLDER.search(span))))
        return chr(base + len(self._spans) - 1)

    def _original(self, match: re.Match[str]) -> str:
        code = ord(match.group())
        index = code - (_TAG_BASE if code >= _TAG_BASE else _SPACE_BASE if code >= _SPACE_BASE else _WORD_BASE)
        if index >= len(self._spans):
            return match.group()
        span, nested = self._spans[index]
        return self.restore(span) if nested else span


def _base(match: re.Match[str]) -> int:
    """Where a protected span's placeholder comes from: an inline tag with content reads as nothing."""
    if match.re is _HTML_TAG and is_transparent_tag(match.group(1)):
        return _TAG_BASE
    return _WORD_BASE


def is_transparent_tag(name: str) -> bool:
    """Whether the rules look through tag ``name``: an inline element with content (em, a, abbr, span).

    A superscript or subscript (a footnote mark, an exponent) is not part of the word beside it.
    """
    name = name.lower()
    return name not in BLOCK_LEVEL_TAGS and name not in VOID_TAGS and name not in ("sup", "sub")


def skip_tags(text: str, index: int, step: int = 1) -> int:
    """The first index from ``index`` on (in direction ``step``) that is not an inline tag's placeholder."""
    while 0 <= index < len(text) and _TAG_BASE <= ord(text[index]) < _TAG_BASE + _MAX_SPANS:
        index += step
    return index


def protected_spans(text: str) -> list[tuple[int, int]]:
    """Where in ``text`` (one paragraph) the spans are that the rules never touch: (start, end) offsets, in order.

    The same spans as :class:`Protector` swaps out (code, tags, URLs, link targets, entities, markers), so
    term detection leaves alone exactly what typography leaves alone.
    """
    protector = Protector()
    try:
        protected = protector.protect(text)
    except TooManySpans:
        return [(0, len(text))]  # more than typography would touch: it leaves all of it as written
    spans, shift = [], 0
    for match in _PLACEHOLDER.finditer(protected):
        start = match.start() + shift
        length = len(protector.restore(match.group()))
        spans.append((start, start + length))
        shift += length - 1
    return spans
