"""Dates in an English source and the months an edition names, for QA: a date must reach the reader.

A source date is a capitalised English month name (or its abbreviation, Jan.
to Dec.) with a day or a year beside it, or after a word that makes it a time
("in March", "since Jan."): "March 3, 2026", "3 March", "Jan. 2023",
"Monday, Feb. 14"; or an ISO date, 2026-09-30. "May" alone, or "the March on Washington", is not one.
Its month must stand in the translation as the edition's language names it:
CLDR's names through Babel, any inflection of them (березня, марте, w marcu:
a word that starts as every CLDR form of the month does), or as a number in a
numeric date (3.3.2026). An English month name left in a translation is a
finding of its own, unless the language writes the month so too (de April).
"""

from __future__ import annotations

import re
from functools import cache

from babel.dates import get_month_names

_WIDTHS = ("wide", "abbreviated")
_CONTEXTS = ("format", "stand-alone")
_TIME_WORDS = "in|since|until|till|by|before|after|from|to|through|early|late|mid|last|next|this|of|on|during"


@cache
def _english_months() -> dict[str, int]:
    """English month names and abbreviations (Sept too) → month number."""
    names = {get_month_names(width, "format", locale="en")[month]: month for width in _WIDTHS for month in range(1, 13)}
    return names | {"Sept": 9}


@cache
def _source_date() -> re.Pattern[str]:
    months = "|".join(sorted(map(re.escape, _english_months()), key=len, reverse=True))
    day = r"\d{1,2}(?:st|nd|rd|th)?"
    return re.compile(
        rf"(?:(?P<before>{day})\s+(?:of\s+)?)?(?<![\w-])(?P<month>{months})(?![\w-])\.?"
        rf"(?:\s+(?P<after>{day})(?!\d))?(?:,?\s+(?P<year>\d{{4}}))?"
    )


# An ISO 8601 calendar date (2026-09-30): a real month and day, not part of a longer number, a path or a version.
ISO_DATE = re.compile(
    r"(?<![\w./-])(?P<year>\d{4})-(?P<month>0[1-9]|1[0-2])-(?P<day>0[1-9]|[12]\d|3[01])(?![\w/-]|[.,:]\d)"
)


def source_dates(text: str) -> list[tuple[str, int]]:
    """Each date of an English sentence, as written, with its month number, in the sentence's order: ISO dates
    (2026-09-30) too."""
    dates = []
    for match in _source_date().finditer(text):
        numbered = match.group("before") or match.group("after") or match.group("year")
        word_before = re.search(rf"(?:^|\W)(?:{_TIME_WORDS})-?\s*$", text[: match.start("month")], re.IGNORECASE)
        if numbered or word_before:
            dates.append((match.start(), match.group().strip().rstrip("."), _english_months()[match.group("month")]))
    dates += [(match.start(), match.group(), int(match.group("month"))) for match in ISO_DATE.finditer(text)]
    return [(written, month) for _, written, month in sorted(dates)]


@cache
def month_stems(lang: str) -> dict[int, tuple[str, ...]]:
    """Month number → what a word naming it in ``lang`` starts with (lower case): the common start of CLDR's
    wide names (format and stand-alone: марта, март → март), and the abbreviations, each with its period."""
    stems = {}
    for month in range(1, 13):
        wide = {_bare(get_month_names("wide", context, locale=lang)[month]) for context in _CONTEXTS}
        short = {_bare(get_month_names("abbreviated", context, locale=lang)[month]) for context in _CONTEXTS}
        stem = _common_start(sorted(wide))
        stems[month] = (stem,) + tuple(sorted(f"{s}." for s in short if len(s) < len(stem)))
    return stems


def names_month(translated: str, lang: str, month: int) -> bool:
    """Whether ``translated`` names ``month`` as ``lang`` does, or writes it as a number in a numeric date."""
    numeric = rf"(?<!\d)\d{{1,2}}[./-]0?{month}(?:[./-]\d{{2,4}})?(?!\d)|(?<!\d)\d{{4}}-0?{month}(?:-\d{{1,2}})?(?!\d)"
    return _in_words(translated, lang, month) or bool(re.search(numeric, translated))


def english_months_left(translated: str, lang: str) -> list[str]:
    """English month names standing in a translation into ``lang`` as dates, where ``lang`` names months otherwise."""
    return [
        written
        for written, month in source_dates(translated)
        if not ISO_DATE.fullmatch(written) and not _in_words(re.sub(r"[\d,]", "", written), lang, month)
    ]


def month_named(word: str, lang: str) -> int | None:
    """The month ``word`` names in ``lang`` (märz, de març, 1er mars's mars), or None."""
    return next((month for month in range(1, 13) if _in_words(_bare(word), lang, month)), None)


def _in_words(text: str, lang: str, month: int) -> bool:
    """Whether a word of ``text`` names ``month`` as ``lang`` does."""
    words = re.findall(r"\w+\.?", text.lower())
    return any(word.startswith(stem) for stem in month_stems(lang)[month] for word in words)


def _bare(name: str) -> str:
    """A month's name without Catalan's "de"/"d’" and a final period, lower case: "de març" → "març"."""
    return re.sub(r"^(?:de |d[’'])", "", name.lower()).rstrip(".")


def _common_start(names: list[str]) -> str:
    """The longest start all ``names`` share (at least three letters, else the shortest name)."""
    start = names[0]
    for name in names[1:]:
        while not name.startswith(start):
            start = start[:-1]
    return start if len(start) >= 3 else min(names, key=len)
