"""Pair quotation marks in a paragraph and set them for a language.

Every quote character, straight or curly, in any language's convention, is
classified by its context (what it touches on the left and right) rather
than by its glyph, so „German“, «Russian», »Danish« and "straight" input all
pair. Quotes are paired with a stack; a pair's nesting depth chooses the
target language's marks. A single quote that pairs with nothing is an
apostrophe. A double quote that pairs with nothing makes the paragraph
*unbalanced*: it is reported and its quotes are left as written, since any
guess would put a quotation in the wrong place.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tools.typography.markup import SPACE_LIKE
from tools.typography.styles import Style

DOUBLE = "\"«»“”„‟"
SINGLE = "'‘’‚‛‹›"
LETTER_APOSTROPHE = "\u02bc"
APOSTROPHE_LIKE = "'’‘‛" + LETTER_APOSTROPHE
_PADDING = "\u00a0\u202f\u2009"  # spaces that hug a quote mark (French « »)
_TRANSPARENT = _PADDING + "*_~"  # Markdown emphasis does not change a quote's side
_OPENS_BEFORE = "([{—–-/¿¡"
_CLOSES_AFTER = ".,;:!?)]}…"
_ELISIONS = re.compile(r"'(?:tis|twas|em|til|n'|\d\ds)\b", re.I)
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_SPACE_LIKE = re.compile(f"[{SPACE_LIKE}]")


@dataclass(frozen=True)
class Mark:
    """A decision about one quote character at ``index``."""

    index: int
    role: str  # "open", "close" or "apostrophe"
    depth: int = 0


@dataclass(frozen=True)
class Unbalanced:
    """A double quote that pairs with nothing, at ``index`` of the paragraph."""

    index: int
    char: str
    role: str


def pair_quotes(text: str) -> tuple[list[Mark], list[Unbalanced]]:
    """Classify every quote character of a paragraph."""
    stack: list[tuple[int, str]] = []  # (index, family) of open quotes
    pairs: list[tuple[int, int]] = []
    apostrophes: list[int] = []
    unbalanced: list[Unbalanced] = []
    opened: set[int] = set()
    for index, char in enumerate(text):
        if char in APOSTROPHE_LIKE and _is_apostrophe(text, index):
            apostrophes.append(index)
            continue
        if char not in DOUBLE and char not in SINGLE:
            continue
        family = "double" if char in DOUBLE else "single"
        role = _role(text, index, family, stack, opened)
        if role == "open":
            stack.append((index, family))
            opened.add(index)
        elif family == "single":
            if stack and stack[-1][1] == "single":
                pairs.append((stack.pop()[0], index))
            else:
                apostrophes.append(index)
        else:
            while stack and stack[-1][1] == "single":  # an opener that was an elision: 'Tis
                apostrophes.append(stack.pop()[0])
            if stack:
                pairs.append((stack.pop()[0], index))
            else:
                unbalanced.append(Unbalanced(index, char, "close"))
    for index, family in stack:
        if family == "single":
            apostrophes.append(index)
        else:
            unbalanced.append(Unbalanced(index, text[index], "open"))
    return _with_depths(pairs) + [Mark(i, "apostrophe") for i in apostrophes], unbalanced


def set_quotes(text: str, marks: list[Mark], style: Style) -> str:
    """The paragraph with each classified mark set in the language's style."""
    chars = list(text)
    for mark in sorted(marks, key=lambda m: m.index, reverse=True):
        i = mark.index
        if mark.role == "apostrophe":
            chars[i] = _apostrophe(text, i, style)
            continue
        opening, closing = style.quote_marks(mark.depth)
        padding = style.quote_padding if opening in "«‹" else ""
        if mark.role == "open":
            end = i + 1
            while end < len(chars) and chars[end] in " " + _PADDING:
                end += 1
            chars[i:end] = [opening + padding]
        else:
            start = i
            while start > 0 and chars[start - 1] in " " + _PADDING:
                start -= 1
            chars[start : i + 1] = [padding + closing]
    return "".join(chars)


def _with_depths(pairs: list[tuple[int, int]]) -> list[Mark]:
    marks: list[Mark] = []
    open_ends: list[int] = []
    for start, end in sorted(pairs):
        while open_ends and open_ends[-1] < start:
            open_ends.pop()
        depth = len(open_ends)
        marks += [Mark(start, "open", depth), Mark(end, "close", depth)]
        open_ends.append(end)
    return marks


def _role(text: str, index: int, family: str, stack: list[tuple[int, str]], opened: set[int]) -> str:
    before, after = _neighbours(text, index)
    can_open = not _is_space(after) and after not in _CLOSES_AFTER and (
        _is_space(before) or before in _OPENS_BEFORE or _before_is_open_quote(text, index, opened)
    )
    can_close = (
        not _is_space(before)
        and before not in "([{"
        and not _before_is_open_quote(text, index, opened)
        and (_is_space(after) or not after.isalnum())
    )
    if can_open != can_close:
        return "open" if can_open else "close"
    same_family_open = any(fam == family for _, fam in stack)
    if family == "double":
        return "close" if same_family_open else "open"
    return "close" if stack and stack[-1][1] == "single" else "open"


def _neighbours(text: str, index: int) -> tuple[str, str]:
    """The characters around ``index``, skipping emphasis and quote padding; '' at the ends."""
    left = index - 1
    while left >= 0 and text[left] in _TRANSPARENT:
        left -= 1
    right = index + 1
    while right < len(text) and text[right] in _TRANSPARENT:
        right += 1
    return (text[left] if left >= 0 else ""), (text[right] if right < len(text) else "")


def _is_space(char: str) -> bool:
    return char == "" or char.isspace() or bool(_SPACE_LIKE.match(char))


def _before_is_open_quote(text: str, index: int, opened: set[int]) -> bool:
    left = index - 1
    while left >= 0 and text[left] in _TRANSPARENT:
        left -= 1
    return left in opened


def _is_apostrophe(text: str, index: int) -> bool:
    """Inside a word (don't, Putinʼs, пʼять), or an elision at a word's start ('90s, 'tis)."""
    before = text[index - 1] if index > 0 else ""
    after = text[index + 1] if index + 1 < len(text) else ""
    if text[index] == LETTER_APOSTROPHE:
        return before.isalpha() and after.isalpha()
    if before.isalnum() and after.isalnum():
        return True
    return not before.isalnum() and bool(_ELISIONS.match("'" + text[index + 1 : index + 6]))


def _apostrophe(text: str, index: int, style: Style) -> str:
    before = text[index - 1] if index > 0 else ""
    after = text[index + 1] if index + 1 < len(text) else ""
    if _CYRILLIC.match(before) and _CYRILLIC.match(after):
        return style.cyrillic_apostrophe
    return style.word_apostrophe
