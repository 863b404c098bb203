"""Split a paragraph into sentences, and put translated sentences back together.

A sentence ends at . ! ? or … (with any closing quotes or brackets after it)
followed by a space and something that can start a sentence: a capital, a
digit or an opening quote. It does not end after a known abbreviation of the
paragraph's language (Mr., Dr., U.S., e.g., Jan.; z. B., usw.; 2025 r.), an
initial (J. R. R.), an ordinal day before a month's name (am 15. August), or
inside a number (0.8). Quotes and parentheses do not end a sentence: «the
main obstacle to peace». stays one. Without a language, every language's
abbreviations and months apply. Joining the sentences with the spaces between
them gives the paragraph back exactly.
"""

from __future__ import annotations

import re
from functools import cache

from tools.languages import LANGUAGES, language
from tools.languages.abbreviations import ENGLISH

# Abbreviations with a period inside (U.S., e.g.) end no word of any language: a translation that keeps them
# (an engine leaves "EE.UU." or "U.K." as it is) is split as its source was.
DOTTED = frozenset(word for word in ENGLISH if "." in word)
_END = re.compile(r"[.!?…]+[\"'”’»)\]]*(?=\s+[\"'“‘«(\[]?[A-ZА-ЯЁЄІЇҐ0-9¿¡])")
_WINDOW = 40  # characters either side of a period that decide whether it ends a sentence
_WORD_BEFORE = re.compile(r"([\w.]+)$")
_SPACED_BEFORE = re.compile(r"(?<![\w.])((?:\w+\. ?)+\w+)$")  # d. h, z. B
_NUMBER_AFTER_WORD = re.compile(r"(?<!\w)(\w+)\s+\d{1,3}$")  # "im 21" before the period
_WORD_AFTER = re.compile(r"\s*[\"'“‘«(\[]?(\w+)(\.?)")


# A wire story's dateline: the place in capitals (NEW YORK, ST. PETERSBURG, LONDRES, КИЇВ), perhaps a date or a
# region after a comma and the agency in brackets, then a dash, at the start of the story's first paragraph.
_DATELINE = re.compile(
    r"(?P<place>[^\W\d_][\w'’./-]*(?: [^\W\d_][\w'’./-]*){0,3})"
    r"(?P<when>,[^\n()—–]{1,40}?)?(?P<agency> \([^()\n]{1,40}\))?"
    r"(?P<dash>\s*[—–]\s*|\s+--?\s+|--)(?=[^\W_]|[\"“‘'«⟦¿¡])"
)


def dateline(text: str) -> re.Match[str] | None:
    """The dateline ``text`` starts with (``LONDON, Dec. 4 (Reuters) - ``; the match's ``dash`` group is its
    separator), or None. Its place is all capitals, of three letters or more: "NATO - The alliance" reads as one
    too, harmlessly; "Ukraine - the country" and "U.S. - China talks" do not."""
    match = _DATELINE.match(text)
    if match is None or not match.group("place").isupper() or sum(c.isalpha() for c in match.group("place")) < 3:
        return None
    return match


def split_sentences(paragraph: str, lang: str | None = None) -> list[str]:
    """The sentences of ``paragraph`` (in ``lang``, or any language when None), without the spaces between them."""
    sentences, start = [], 0
    for match in _END.finditer(paragraph):
        after = paragraph[match.end() : match.end() + _WINDOW]
        if _continues(paragraph[max(start, match.start() - _WINDOW) : match.start() + 1], after, lang):
            continue
        sentences.append(paragraph[start : match.end()].strip())
        start = match.end()
    rest = paragraph[start:].strip()
    return sentences + [rest] if rest else sentences


def join_sentences(sentences: list[str]) -> str:
    """One paragraph from its sentences, one space between them."""
    return " ".join(s.strip() for s in sentences if s.strip())


def _continues(before: str, after: str, lang: str | None) -> bool:
    """Whether the period that ends ``before`` is no sentence end: an abbreviation, an initial, an ordinal day."""
    word = _WORD_BEFORE.search(before[:-1]) if before.endswith(".") else None
    if word is None:
        return False
    last, following = word.group(1), _WORD_AFTER.match(after)
    abbreviations = _abbreviations(lang)
    spaced = _SPACED_BEFORE.search(before[:-1])
    known = {last.lower(), spaced.group(1).replace(" ", "").lower() if spaced else ""}
    if known & abbreviations or (len(last) == 1 and last.isalpha() and last.isupper()):
        return True
    if following is None:
        return False
    starts_abbreviation = following.group(2) == "." and f"{last}.{following.group(1)}".lower() in abbreviations
    months = _months(lang)
    day = last.isdecimal() and len(last) <= 2 and following.group(1).lower() in months
    return starts_abbreviation or day or _ordinal(before[:-1], lang)


def _ordinal(before: str, lang: str | None) -> bool:
    """Whether ``before`` ends in a number its language writes as an ordinal there (im 21. Jahrhundert)."""
    if lang is None:
        return False  # source text is split with every language's abbreviations, never with these words
    context = _NUMBER_AFTER_WORD.search(before)
    return context is not None and context.group(1).lower() in language(lang).ordinal_after


def _abbreviations(lang: str | None) -> frozenset[str]:
    """The language's abbreviations and the dotted ones of English, or every language's."""
    return _registry_words("abbreviations", lang) | DOTTED


def _months(lang: str | None) -> frozenset[str]:
    """The month names an ordinal day stands before in the language (none for most), or every language's."""
    return _registry_words("ordinal_months", lang)


@cache
def _registry_words(fact: str, lang: str | None) -> frozenset[str]:
    """A word set the language's registry entry names; with no language, the union of every entry's (source text
    is split with every language's rules)."""
    if lang is None:
        return frozenset().union(*(getattr(entry, fact) for entry in LANGUAGES.values()))
    return getattr(language(lang), fact)
