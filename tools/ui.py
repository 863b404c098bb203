"""What an edition says around the article, in its own language: dates, provenance, reading time, names.

The words themselves are data in the registry (:mod:`tools.languages.words`);
this module writes them for a page or a book.
"""

from __future__ import annotations

import datetime as dt

from tools.languages import language
from tools.languages.words import Words


def words(lang: str) -> Words:
    """The words of ``lang``, as its registry entry names them."""
    return language(lang).words


def format_date(date: dt.date, lang: str) -> str:
    """The date as the language writes it: ``2 February 2026``, ``2 лютого 2026 року``, ``2. Februar 2026``."""
    month = words(lang).months.split(" ")[date.month - 1]
    of = "d’" if month[0] in "aeiou" else "de "  # Catalan: d’abril, de febrer
    return words(lang).date.format(day=date.day, month=month, year=date.year, of=of)


def language_name(code: str, lang: str) -> str:
    """The name of language ``code`` as ``lang`` writes it (CLDR, through Babel): ``inglés`` in Spanish; the
    language's own name when CLDR lacks it."""
    from babel import Locale, UnknownLocaleError

    try:
        name = Locale.parse(lang).languages.get(code)
    except (ValueError, UnknownLocaleError):
        name = None
    return name or words(code).language


def provenance_note(provenance: dict, lang: str) -> str:
    """One sentence: which engine and model translated the edition, how much a person reviewed."""
    share = round(100 * provenance["reviewed_share"])
    return words(lang).provenance.format(engine=provenance["engine"], model=provenance["model"], reviewed=share)


def provenance_words(provenance: dict, lang: str) -> str:
    """The provenance in plain words for a reader: machine translation, and how much of it a person reviewed."""
    ui = words(lang)
    share = provenance["reviewed_share"]
    if share >= 1:
        text = ui.reviewed
    else:
        text = ui.partly_reviewed.format(reviewed=min(99, max(1, round(100 * share)))) if share > 0 else ui.unreviewed
    reviewers = [str(name) for name in provenance.get("reviewers") or [] if str(name) != "unknown"]
    return f"{text} ({', '.join(reviewers)})" if reviewers and share > 0 else text


def reading_minutes(word_count: int, words_per_minute: int = 220) -> int:
    """Minutes to read ``word_count`` words (at least one)."""
    return max(1, -(-word_count // words_per_minute))
