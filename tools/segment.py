"""Split a paragraph into sentences, and put translated sentences back together.

A sentence ends at . ! ? or … (with any closing quotes or brackets after it)
followed by a space and something that can start a sentence: a capital, a
digit or an opening quote. It does not end after a known abbreviation
(Mr., Dr., U.S., e.g., Jan.), an initial (J. R. R.), or inside a number
(0.8). Quotes and parentheses do not end a sentence: «the main obstacle to
peace». stays one. Joining the sentences with the spaces between them gives
the paragraph back exactly.
"""

from __future__ import annotations

import re

ABBREVIATIONS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "prof",
        "st",
        "jr",
        "sr",
        "gen",
        "col",
        "lt",
        "sgt",
        "gov",
        "sen",
        "rep",
        "pres",
        "vs",
        "etc",
        "e.g",
        "i.e",
        "cf",
        "al",
        "approx",
        "no",
        "nos",
        "vol",
        "fig",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "u.s",
        "u.k",
        "u.n",
        "e.u",
        "a.m",
        "p.m",
        "inc",
        "ltd",
        "co",
        "corp",
    ]
)
_END = re.compile(r"[.!?…]+[\"'”’»)\]]*(?=\s+[\"'“‘«(\[]?[A-ZА-ЯЁЄІЇҐ0-9¿¡])")
_WORD_BEFORE = re.compile(r"([\w.]+)$")


def split_sentences(paragraph: str) -> list[str]:
    """The sentences of ``paragraph``, without the spaces between them."""
    sentences, start = [], 0
    for match in _END.finditer(paragraph):
        if _is_abbreviation(paragraph[start : match.start() + 1]):
            continue
        sentences.append(paragraph[start : match.end()].strip())
        start = match.end()
    rest = paragraph[start:].strip()
    return sentences + [rest] if rest else sentences


def join_sentences(sentences: list[str]) -> str:
    """One paragraph from its sentences, one space between them."""
    return " ".join(s.strip() for s in sentences if s.strip())


def _is_abbreviation(text: str) -> bool:
    """Whether ``text`` ends in an abbreviation or an initial, not the end of a sentence."""
    if not text.endswith("."):
        return False
    match = _WORD_BEFORE.search(text[:-1])
    if not match:
        return False
    word = match.group(1).lower()
    return word in ABBREVIATIONS or (len(word) == 1 and word.isalpha() and word.upper() == match.group(1))
