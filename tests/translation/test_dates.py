"""Dates reach the reader: every month of a source date is named as the edition's language names it (CLDR
through Babel, any inflection), and no English month name is left in a translation."""

from __future__ import annotations

import polib
import pytest

from tools.dates import english_months_left, source_dates
from tools.qa import entry_problems

LOST = "the month is not named as the language names it"
LEFT = "an English month name is left"


@pytest.mark.parametrize(
    ("text", "dates"),
    [
        ("Signed on March 3, 2026, in Paris.", [("March 3, 2026", 3)]),
        ("Signed on 3 March 2026.", [("3 March 2026", 3)]),
        ("It began in Jan. 2023.", [("Jan. 2023", 1)]),
        ("Talks resumed on Monday, Feb. 14.", [("Feb. 14", 2)]),
        ("Talks resumed on the 14th of February.", [("14th of February", 2)]),
        ("Prices rose in September and fell since Sept. 2024.", [("September", 9), ("Sept. 2024", 9)]),
        ("You may go, and May will tell.", []),
        ("The March on Washington was peaceful.", []),
        ("Troops march in step.", []),
        ("The deadline, 2026-09-30, was set on March 3, 2026.", [("2026-09-30", 9), ("March 3, 2026", 3)]),
        ("Version 2026-09-30.1, file 2026-09-30/a, 2026-09-30T10:00, 12026-09-30, 2026-13-01.", []),
    ],
)
def test_source_dates(text: str, dates: list[tuple[str, int]]) -> None:
    assert source_dates(text) == dates


# (source, translation, language, findings: LOST, LEFT or both, by kind of message)
CASES = [
    ("The deal was signed on March 3, 2026.", "El acuerdo se firmó el 3 de marzo de 2026.", "es", []),
    ("The deal was signed on March 3, 2026.", "El acuerdo se firmó el Marcha 3, 2026.", "es", [LOST]),
    ("The deal was signed on March 3, 2026.", "El acuerdo se firmó el March 3, 2026.", "es", [LOST, LEFT]),
    ("The deal was signed on March 3, 2026.", "El acord es va signar el 3 de març del 2026.", "ca", []),
    ("Talks on Feb. 14 went well.", "Les converses del 14 de Desfila van anar bé.", "ca", [LOST]),
    ("Talks on Feb. 14 went well.", "Les converses del 14.2 van anar bé.", "ca", []),
    ("It began in Jan. 2023 and on 3 March.", "Почалося в січні 2023 року і 3 березня.", "uk", []),
    ("It began in Jan. 2023 and on 3 March.", "Началось в январе 2023 года и 3 марта.", "ru", []),
    ("It began in Jan. 2023 and on 3 March.", "Zaczęło się w styczniu 2023 r. i 3 marca.", "pl", []),
    ("It began in Jan. 2023 and on 3 March.", "Es begann im Januar 2023 und am 3. März.", "de", []),
    ("It began in Jan. 2023 and on 3 March.", "Cela a commencé en janvier 2023 et le 3 mars.", "fr", []),
    ("It began in Jan. 2023 and on 3 March.", "Cela a commencé en Jan. 2023 et le 3 mars.", "fr", [LOST, LEFT]),
    ("Talks on April 4 went well.", "Die Gespräche am 4. April liefen gut.", "de", []),
    ("Talks on April 4 went well.", "Las conversaciones del 4 de abril fueron bien.", "es", []),
    ("Talks on April 4 went well.", "Las conversaciones del 4 de mayo fueron bien.", "es", [LOST]),
    ("The deadline is 2026-09-30.", "El plazo es el 30 de septiembre de 2026.", "es", []),  # written out
    ("The deadline is 2026-09-30.", "El plazo es 2026-09-30.", "es", []),  # kept as written
    ("The deadline is 2026-09-30.", "El plazo es el 30 de agosto de 2026.", "es", [LOST]),
    ("The deadline is 2026-09-30.", "Термін — 30 вересня 2026 р.", "uk", []),
]


@pytest.mark.parametrize(("source", "translation", "lang", "kinds"), CASES)
def test_a_date_keeps_its_month_in_the_language(source: str, translation: str, lang: str, kinds: list[str]) -> None:
    entry = polib.POEntry(msgid=source, msgstr=translation, flags=["fuzzy"])
    problems = list(entry_problems(entry, lang))
    found = [message for kind, message in problems if kind == "date"]
    assert [next(k for k in (LOST, LEFT) if message.startswith(k)) for message in found] == kinds, found
    if "2026-09-30" in source:  # an ISO date written out is counted by its day and year: no number is missing
        assert [message for kind, message in problems if kind == "numbers"] == [], problems


def test_a_month_the_language_writes_as_english_does_is_not_left() -> None:
    assert english_months_left("Am 4. April und im August 2025.", "de") == []
    assert english_months_left("El 4 April y en August 2025.", "es") == ["4 April", "August 2025"]


ELIDES, FIRST = "the article elides before the day", "the first of the month is written 1er"
# (source, translation, language, the day's findings): the day as the language writes it in a date
DAYS = [
    ("Signed on December 1, 2026.", "Es va signar l’1 de desembre del 2026.", "ca", []),
    ("Signed on December 1, 2026.", "Es va signar el 1 de desembre del 2026.", "ca", [ELIDES]),
    ("Signed on September 11.", "Es va signar l’11 de setembre.", "ca", []),
    ("Signed on September 11.", "Es va signar el 11 de setembre.", "ca", [ELIDES]),
    ("Signed on September 21.", "Es va signar el 21 de setembre.", "ca", []),  # vint-i-u: no vowel first
    ("Signed on March 1.", "Se firmó el 1 de marzo.", "es", []),  # Spanish does not elide
    ("Signed on March 1.", "Signé le 1er mars.", "fr", []),
    ("Signed on March 1.", "Signé le 1 mars.", "fr", [FIRST]),
    ("Signed on March 11.", "Signé le 11 mars.", "fr", []),
    ("Paid before December 1.", "Pagat abans del 1 de desembre.", "ca", [ELIDES]),
    ("Paid before December 1.", "Pagat abans de l’1 de desembre.", "ca", []),
    ("Open until 11 September.", "Obert fins al 11 de setembre.", "ca", [ELIDES]),
    ("One in three, in March.", "1 de cada 3, al març.", "ca", []),  # a number, not a day
]


@pytest.mark.parametrize(("source", "translation", "lang", "kinds"), DAYS)
def test_a_day_is_written_as_the_language_writes_it(source: str, translation: str, lang: str, kinds: list[str]) -> None:
    entry = polib.POEntry(msgid=source, msgstr=translation, flags=["fuzzy"])
    found = [message for kind, message in entry_problems(entry, lang) if kind in ("date", "quotes")]
    assert [next(k for k in (ELIDES, FIRST) if k in message) for message in found] == kinds, found
