"""Pair quotation marks in a paragraph and set them for a language.

Every quote character, straight or curly, in any language's convention, is
classified by its context (what it touches on the left and right) rather
than by its glyph, so „German“, «Russian», »Danish« and "straight" input all
pair. Quotes are paired with a stack; a pair's nesting depth chooses the
target language's marks. A single quote that pairs with nothing is an
apostrophe. A double quote that pairs with nothing makes the paragraph
*unbalanced*: it is reported and its quotes are left as written, since any
guess would put a quotation in the wrong place. A mark right after a digit,
with no quotation pending that it could close, is a measure: a prime (5′) or
a double prime (an inch sign, 12″).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tools.languages.styles import Style
from tools.typography.markup import SPACE_LIKE, TAG_LIKE, skip_tags

DOUBLE = '"«»“”„‟'
SINGLE = "'‘’‚‛‹›"
LETTER_APOSTROPHE = "\u02bc"
PRIME = "\u2032"  # ′ feet, minutes
DOUBLE_PRIME = "\u2033"  # ″ inches, seconds
_DOUBLE_PRIME_LIKE = '"“”'  # what an inch sign is typed as, straight or made curly by a word processor
_PRIME_LIKE = "'‘’"
_INCHES_FOLLOW = re.compile(f"\\d{{1,2}}[{_DOUBLE_PRIME_LIKE}{DOUBLE_PRIME}](?!\\w)")  # 5'10": feet and inches
APOSTROPHE_LIKE = "'’‘‛" + LETTER_APOSTROPHE
_PADDING = "\u202f\u2009"  # narrow spaces that hug a quote mark (French « »); a no-break space is a space
_INNER_SPACE = " \u00a0" + _PADDING  # given way to the style's padding inside a quotation
_EMPHASIS = re.compile(f"[{_PADDING}*_~]")  # Markdown emphasis does not change a quote's side
_TRANSPARENT = re.compile(f"[{_PADDING}*_~{TAG_LIKE}]")  # nor does an inline tag (<em>, </a>)
_OPENS_BEFORE = "([{—–-/¿¡’"  # ’: an apostrophe may stand where an opening quote was
_CLOSES_AFTER = ".,;:!?)]}…"
_ELISIONS = re.compile(r"'(?:tis|twas|em|til|n'|\d\ds)\b", re.IGNORECASE)
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_SPACE_LIKE = re.compile(f"[{SPACE_LIKE}]")
_QUOTE_LIKE = re.compile(f"[{re.escape(DOUBLE + SINGLE + APOSTROPHE_LIKE)}]")


@dataclass(frozen=True)
class Mark:
    """A decision about one quote character at ``index``."""

    index: int
    role: str  # "open", "close", "apostrophe" or "prime"
    depth: int = 0


@dataclass(frozen=True)
class Unbalanced:
    """A double quote that pairs with nothing, at ``index`` of the paragraph."""

    index: int
    char: str
    role: str


def pair_quotes(text: str, style: Style) -> tuple[list[Mark], list[Unbalanced]]:
    """Classify every quote character of a paragraph.

    Decisions depend only on what typesetting keeps (context, the style's
    own marks, nesting depth), so typesetting the result again pairs alike.
    """
    stack: list[tuple[int, str]] = []  # (index, family) of open quotes
    pairs: list[tuple[int, int]] = []
    apostrophes: list[int] = []
    unbalanced: list[Unbalanced] = []
    opened: set[int] = set()
    primes: list[int] = []
    for found in _QUOTE_LIKE.finditer(text):  # no other character is a mark
        index, char = found.start(), found.group()
        if _is_prime(text, index, stack, style):
            primes.append(index)
            continue
        if char in APOSTROPHE_LIKE and _is_apostrophe(text, index):
            apostrophes.append(index)
            continue
        if (char not in DOUBLE and char not in SINGLE) or _between_alnum(text, index):
            continue  # not a quote; a double quote inside a word is left as written
        family = "double" if char in DOUBLE else "single"
        role = _role(text, index, stack, opened, style)
        if role == "apostrophe" or (role == "open" and char == "’"):  # ’ opens no quotation in any style
            apostrophes.append(index)
        elif role == "none":
            continue
        elif role == "open":
            stack.append((index, family))
            opened.add(index)
        elif family == "single":
            if _closes_single(stack, style):
                pairs.append((stack.pop()[0], index))
            else:
                apostrophes.append(index)  # the allies' concern
        else:
            while stack and stack[-1][1] == "single":  # an opener that was an elision: 'Bout time
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
    others = [Mark(i, "apostrophe") for i in apostrophes] + [Mark(i, "prime") for i in primes]
    return _with_depths(pairs) + others, unbalanced


def quote_edits(text: str, marks: list[Mark], style: Style) -> list[tuple[int, int, str]]:
    """Each mark's edit as (start, end, new) of ``text``, in order and not overlapping.

    A quotation mark's span takes in the spaces on its inside that give way
    to the style's padding; an apostrophe's or a prime's is its one character.
    """
    edits: list[tuple[int, int, str]] = []
    limit = len(text)  # where the edit after this one starts: a space it took is not taken again
    for mark in sorted(marks, key=lambda m: m.index, reverse=True):
        edit = _mark_edit(text, mark, style, limit)
        edits.append(edit)
        limit = edit[0]
    return edits[::-1]


def _mark_edit(text: str, mark: Mark, style: Style, limit: int) -> tuple[int, int, str]:
    """The edit that sets one mark, its span ending by ``limit``."""
    i = mark.index
    if mark.role == "apostrophe":
        return i, i + 1, _apostrophe(text, i, style)
    if mark.role == "prime":
        return i, i + 1, DOUBLE_PRIME if text[i] in _DOUBLE_PRIME_LIKE else PRIME
    opening, closing = style.quote_marks(mark.depth)
    padding = style.quote_padding if opening in "«‹" else ""
    # Spaces on the inside give way to the style's padding, unless that would glue two words.
    if mark.role == "open":
        end = i + 1
        if not _left(text, i).isalnum():
            while end < limit and text[end] in _INNER_SPACE:
                end += 1
        return i, end, opening + padding
    start = i
    if not _right(text, i).isalnum():
        while start > 0 and text[start - 1] in _INNER_SPACE:
            start -= 1
    return start, i + 1, padding + closing


def _is_prime(text: str, index: int, stack: list[tuple[int, str]], style: Style) -> bool:
    """A mark right after a digit that closes no pending quotation: 5' tall, 5'10", a 12" screen.

    Not: "1999" (a quotation closes), the 1990's (a word follows), 1'000 (Swiss digit grouping).
    """
    char = text[index]
    if index == 0 or not text[index - 1].isdecimal():
        return False
    after = text[index + 1] if index + 1 < len(text) else ""
    if char in _DOUBLE_PRIME_LIKE:
        return not after.isalnum() and all(family != "double" for _, family in stack)
    if char in _PRIME_LIKE:
        measure = not after.isalnum() or bool(_INCHES_FOLLOW.match(text, index + 1))
        return measure and not _closes_single(stack, style)
    return False


def _word_follows(text: str, index: int) -> bool:
    return _right(text, index).isalnum()


def _left(text: str, index: int) -> str:
    """The character before ``index``, looking through inline tags; '' at the start."""
    left = skip_tags(text, index - 1, -1)
    return text[left] if left >= 0 else ""


def _right(text: str, index: int) -> str:
    """The character after ``index``, looking through inline tags; '' at the end."""
    right = skip_tags(text, index + 1)
    return text[right] if right < len(text) else ""


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


def _role(text: str, index: int, stack: list[tuple[int, str]], opened: set[int], style: Style) -> str:
    """Open or close, by what the mark touches; if that cannot tell, by its glyph, then by the stack.

    A single mark that touches nothing telling, with a word after it, is an
    apostrophe; a double one is no quotation mark ("none").
    """
    can_open, can_close = _sides(text, index, opened, _TRANSPARENT)
    if can_open == can_close and _touches_tag(text, index):  # a tag that leaves it open reads as a word's edge
        can_open, can_close = _sides(text, index, opened, _EMPHASIS)
    if can_open != can_close:
        return "open" if can_open else "close"
    char = text[index]
    if _word_follows(text, index):  # neither side tells, and a word follows
        return "apostrophe" if char in SINGLE else "none"  # x.’s, or word"word: left as written
    if char in SINGLE:  # ’ may be an apostrophe in any style: its glyph tells nothing
        return "close" if _closes_single(stack, style) else "open"
    if char in style.opening_marks and char not in style.closing_marks:
        return "open"
    if char in style.closing_marks and char not in style.opening_marks:
        return "close"
    return "close" if stack else "open"


def _sides(text: str, index: int, opened: set[int], transparent: re.Pattern[str]) -> tuple[bool, bool]:
    """Whether the mark at ``index`` can open, and can close, by what it touches through ``transparent``."""
    before, after = _neighbours(text, index, transparent)
    after_open_quote = _skip(text, index, -1, transparent) in opened
    can_open = (
        not _is_space(after)
        and after not in _CLOSES_AFTER
        and (
            _is_space(before)
            or before in _OPENS_BEFORE
            or after_open_quote
            or (not before.isalnum() and after.isalnum())  # x.“word”
        )
    )
    can_close = (
        not _is_space(before)
        and before not in "([{"
        and not after_open_quote
        and (_is_space(after) or not after.isalnum())
    )
    return can_open, can_close


def _touches_tag(text: str, index: int) -> bool:
    return skip_tags(text, index - 1, -1) != index - 1 or skip_tags(text, index + 1) != index + 1


def _closes_single(stack: list[tuple[int, str]], style: Style) -> bool:
    """Whether a single mark in closing position closes the innermost open quotation."""
    return bool(stack) and (stack[-1][1] == "single" or style.quote_marks(len(stack) - 1)[1] in SINGLE)


def _neighbours(text: str, index: int, transparent: re.Pattern[str]) -> tuple[str, str]:
    """The characters around ``index``, skipping what is ``transparent``; '' at the ends."""
    left, right = _skip(text, index, -1, transparent), _skip(text, index, 1, transparent)
    return (text[left] if left >= 0 else ""), (text[right] if right < len(text) else "")


def _skip(text: str, index: int, step: int, transparent: re.Pattern[str] = _TRANSPARENT) -> int:
    """The index of the first character from ``index`` in direction ``step`` that is not ``transparent``."""
    index += step
    while 0 <= index < len(text) and transparent.match(text[index]):
        index += step
    return index


def _is_space(char: str) -> bool:
    return char == "" or char.isspace() or bool(_SPACE_LIKE.match(char))


def _is_apostrophe(text: str, index: int) -> bool:
    """Inside a word (don't, Putinʼs, пʼять), or an elision at a word's start ('90s, 'tis)."""
    if text[index] == LETTER_APOSTROPHE:
        return _left(text, index).isalpha() and _right(text, index).isalpha()
    if _between_alnum(text, index) or (_left(text, index).isalpha() and _right(text, index).isalpha()):
        return True  # inside a word, also across inline tags (<em>Putin</em>'s, l'<abbr>ONU</abbr>)
    at_word_start = not _left(text, index).isalnum()
    return text[index] == "'" and at_word_start and bool(_ELISIONS.match(text, index))


def _between_alnum(text: str, index: int) -> bool:
    return 0 < index < len(text) - 1 and text[index - 1].isalnum() and text[index + 1].isalnum()


def _apostrophe(text: str, index: int, style: Style) -> str:
    if _CYRILLIC.match(_left(text, index)) and _CYRILLIC.match(_right(text, index)):
        return style.cyrillic_apostrophe
    return style.word_apostrophe
