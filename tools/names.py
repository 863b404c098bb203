"""A person's name after an English title (Dr. Smith, Mrs. Cook, Prof. Ayşe Demir), found to be locked.

An engine translates a surname that is also a word: Apertium wrote "Dr. Smith" as "Dr. Herrero" (es) and
"Dr. Ferrer" (ca), "Prof. Baker and Mrs. Cook" as "Prof. Panadero y Cocinero de Señora": a person's name changed,
which a newsroom prints a correction for. The capitalised words right after a title
(:data:`tools.languages.abbreviations.ENGLISH_TITLES`) are that person's name, and the translation stage locks them
(:func:`tools.translate.lock_terms`) so that they come back as written; the title itself is the engine's to
translate (Mrs. → Señora). Initials (J. R. Smith), hyphens and apostrophes inside a name (Smith-Jones, O'Brien)
belong to it; an English possessive after it does not (Jones's). An office after a title (Mr. President) is
no name. In a headline in title case (Dr. Smith Warns Of Fleet) only the first word after a title is taken: the
others are capitalised as every word is.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from tools.languages.abbreviations import ENGLISH_OFFICES, ENGLISH_TITLES

_TITLE = re.compile(rf"(?<![\w.])(?:{'|'.join(sorted(ENGLISH_TITLES))})\.? (?=[^\W\d_])")
_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")


def titled_names(sentence: str, taken: Sequence[tuple[int, int]] = ()) -> list[tuple[int, int]]:
    """Where each name after a title is in ``sentence`` (start, end), leaving out one that overlaps ``taken`` (a
    term or a kept name locked already: Mr. Trump)."""
    names, headline = [], _title_case(sentence)
    for title in _TITLE.finditer(sentence):
        end = _name_end(sentence, title.end(), headline)
        if end is None:
            continue
        start = title.end()
        if not any(a < end and start < b for a, b in taken):
            names.append((start, end))
    return names


def _name_end(sentence: str, start: int, first_only: bool = False) -> int | None:
    """The end of the capitalised words (and initials) from ``start`` (the first word's ``first_only``); None when
    the first is not a name."""
    end, at = None, start
    while True:
        word = _WORD.match(sentence, at)
        if word is None or not word.group()[0].isupper() or (end is None and word.group() in ENGLISH_OFFICES):
            return end
        if word.group().endswith(("'s", "’s")):
            return word.end() - 2  # Jones's: the name without the possessive
        end = word.end()
        if first_only:
            return end
        if len(word.group()) == 1 and sentence.startswith(". ", end):  # an initial: J. R. Smith
            at = end + 2
        elif sentence.startswith(" ", end):
            at = end + 1
        else:
            return end


def _title_case(sentence: str) -> bool:
    """Whether the sentence is a headline in title case: four words or more besides those title case leaves in
    lower case (of, the, and, ...), every one of them capitalised ("met" in "Mrs. Cook met Dr. Ayşe Demir" says
    it is a sentence)."""
    words = [word for word in _WORD.findall(sentence) if word.casefold() not in _LOWER_IN_TITLES]
    return len(words) >= 4 and all(word[0].isupper() for word in words)


_LOWER_IN_TITLES = frozenset(
    ("a", "an", "the", "and", "but", "or", "nor", "for", "of", "in", "on", "at", "to", "by", "as")
)
