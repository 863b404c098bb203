"""Amounts and dates of an English source, locked before the engine and written back by CLDR for the edition.

An engine turns "£3.4bn" into "3,4 billones de libras" (a Spanish *billón*
is 10¹²: wrong by a factor of 1,000) and "March 3, 2026" into "Marcha 3,
2026". So the translation stage locks each amount with a scale word (a number
with thousand, million, billion, trillion, k, m, bn, tn; with or without a
currency symbol or word) and each date with a day or a year ("March 3, 2026",
"3 March 2026", "Feb. 14", and "Jan. 2023" where the language needs no case
for it), each percentage ("4.5%", "90 per cent", "12 percent"), ordinal ("the
3rd fleet", "the 21st century") and number-with-unit compound ("a 1,600-kilometre
border", "the 12-mile limit") as a placeholder the engine passes through, as it
does terms; every occurrence, a second identical one too. The placeholder comes
back written for the edition's locale: the number by Babel in the locale's
notation, the scale word and currency as the language's press writes them
(:mod:`tools.languages.amounts`), the date by CLDR's patterns through Babel, the
percentage by Babel's ``format_percent``, an ordinal and a unit as the language
writes them (:mod:`tools.languages.factwords`; where gender or case decide an
ordinal's form, the engine's). The value never changes: a written amount,
percentage or measure is read back and compared
(:func:`tools.numbers.translation_amounts`) before it is used.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from babel import Locale
from babel.dates import format_date, format_skeleton
from babel.numbers import format_decimal, format_percent

from tools.dates import ISO_DATE, source_dates
from tools.languages import LANGUAGES, language
from tools.languages.factwords import ENGLISH_UNITS
from tools.money import currency_name, written_codes
from tools.numbers import CURRENCIES, notation, translation_amounts

_SCALES = {
    "thousand": 3,
    "k": 3,
    "million": 6,
    "mn": 6,
    "m": 6,
    "billion": 9,
    "bn": 9,
    "b": 9,
    "trillion": 12,
    "tn": 12,
}
_SHORT = frozenset(("k", "m", "b"))  # only right after a number with a currency symbol: 5m alone is five metres
_CURRENCY_WORDS = {"dollars": "USD", "dollar": "USD", "euros": "EUR", "euro": "EUR", "pounds": "GBP"}
_CODES = "|".join(sorted(written_codes()))  # NOK 3 billion, 3 billion NOK, USD 5m
_AMOUNT = re.compile(
    rf"(?<![\w.,])(?:(?P<symbol>[$€£])|(?P<code>{_CODES})\s)?(?P<number>\d{{1,3}}(?:,\d{{3}})*(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?:\s?(?P<scale>thousand|million|billion|trillion)\b|(?P<suffix>k|m|mn|bn|b|tn)\b)"
    rf"(?:\s(?P<currency>dollars?|euros?|pounds)\b|\s(?P<code_after>{_CODES})\b)?(?P<of>\sof)?"
)
_NOUN_AFTER = re.compile(r"\s+(?!of\b)[^\W\d_]")  # "1.5 million barrels": es, ca, fr write "de" before the noun
_DAY = re.compile(r"(?<!\d)\d{1,2}(?!\d)")
_PREPOSITIONS = "[Oo]n|[Ii]n|[Bb]efore|[Ss]ince|[Uu]ntil|[Aa]fter"
_PREPOSITION = re.compile(rf"({_PREPOSITIONS}) ")  # locked with its date: the language's own words come back
_PREPOSITION_BEFORE = re.compile(rf"(?<!\w)(?:{_PREPOSITIONS}) $")
_YEAR = re.compile(r"\d{4}")
_FIRST_DAY = re.compile(r"(?<!\d)1(?!\d)")
_CASE_LANGUAGES = frozenset(("de", "uk", "ru", "pl"))  # "in January 2023": im Januar, у січні: the engine's to say
_NUMBER = r"(?P<number>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
_PERCENT = re.compile(rf"(?<![\w.,$€£]){_NUMBER}(?:\s?%|\s(?:per\s?cent|percent)\b)")
_ORDINAL = re.compile(r"(?<![\w.,-])(?P<n>\d+)(?P<suffix>st|nd|rd|th)\b(?!-)(?P<century>\scentury\b)?")
_UNITS = "|".join(sorted(ENGLISH_UNITS, key=len, reverse=True))
_MEASURE = re.compile(rf"(?<![\w.,$€£-]){_NUMBER}-(?P<unit>{_UNITS})\b(?!-)")


@dataclass(frozen=True)
class Quantity:
    """A span of a source sentence to lock: where it is and what it says."""

    start: int
    end: int
    text: str


def quantities(sentence: str, lang: str, taken: list[tuple[int, int]] = ()) -> list[Quantity]:
    """The amounts and dates of an English sentence that :func:`write` can write in ``lang``, outside ``taken``."""
    found = [
        Quantity(match.start(), match.end(), match.group() + (" of" if _before_noun(match) else ""))
        for match in _AMOUNT.finditer(sentence)
    ]
    found += [Quantity(m.start(), m.end(), m.group()) for p in (_PERCENT, _MEASURE) for m in p.finditer(sentence)]
    for match in _ORDINAL.finditer(sentence):
        numeral_only = match.group("century") and _numeral_only(lang)  # "the ⟦T1⟧ century": the engine's word
        found.append(Quantity(match.start(), match.end("suffix" if numeral_only else 0), match.group()))
    searched = 0
    for written, _ in source_dates(sentence):
        start = sentence.find(written, searched)  # a second identical date is the next occurrence
        searched = start + len(written) if start >= 0 else searched
        before = _PREPOSITION_BEFORE.search(sentence, 0, start) if start >= 0 else None
        if before and write(sentence[before.start() : start + len(written)], lang) is not None:
            written, start = sentence[before.start() : start + len(written)], before.start()  # "on March 3"
        if start >= 0:
            found.append(Quantity(start, start + len(written), written))
    spans = sorted(found, key=lambda q: q.start)
    kept: list[Quantity] = []
    for quantity in spans:
        clashes = [
            (a, b) for a, b in [*taken, *((q.start, q.end) for q in kept)] if a < quantity.end and quantity.start < b
        ]
        if not clashes and write(quantity.text, lang) is not None:
            kept.append(quantity)
    return kept


def _before_noun(match: re.Match[str]) -> bool:
    """Whether an amount without a currency stands before a noun (1.5 million barrels): it is "1.5 million of"."""
    scaled = match.group("scale") or match.group("suffix")
    plain = not (match.group("symbol") or match.group("currency") or match.group("of"))
    large = _SCALES[scaled] >= 6 if scaled else False  # 2 thousand ships: 2 mil barcos, no "de"
    return bool(large and plain and _NOUN_AFTER.match(match.string, match.end()))


def _numeral_only(lang: str) -> bool:
    """Whether ``lang`` locks only the number of "21st century" (the engine gives the word in its case)."""
    facts = language(lang).facts
    return bool(facts and facts.century_numeral)


def write(text: str, lang: str) -> str | None:
    """An English amount, percentage, ordinal, measure or date as the edition writes it; None when it is none of
    them, or cannot be written."""
    match = _AMOUNT.fullmatch(text)
    if match:
        return _amount(match, lang)
    for pattern, writer in ((_PERCENT, _percent), (_ORDINAL, _ordinal), (_MEASURE, _measure)):
        if match := pattern.fullmatch(text):
            return writer(match, lang)
    preposition = _PREPOSITION.match(text)
    bare = text[preposition.end() :] if preposition else text
    dates = source_dates(bare)
    if len(dates) != 1 or dates[0][0] != bare:
        return None
    written = _date(bare, dates[0][1], lang)
    if written is None or preposition is None:
        return written
    entry, day, said = LANGUAGES[lang], _day_and_year(bare)[0], preposition.group(1).lower()
    if said == "on":
        word = entry.date_on if day else None
    elif said == "in":
        word = entry.date_in
    else:
        word = entry.date_prepositions.get(said) if day else None
    if word is None:
        return None  # the engine says it ("on Jan. 2023", "since May 2024", a language whose words need a case)
    *first, last = word.split(" ") if word else [""]
    if last in entry.date_elisions and day in entry.vowel_days and written.startswith(str(day)):
        written = " ".join([*first, entry.date_elisions[last] + written])  # del 1 → de l’1: elided before a vowel
    else:
        written = f"{word} {written}" if word else written
    return written[0].upper() + written[1:] if preposition.group(1)[0].isupper() else written


def _amount(match: re.Match[str], lang: str) -> str | None:
    entry = LANGUAGES.get(lang)
    money = match.group("symbol") or match.group("code")
    if entry is None or entry.amounts is None or (match.group("suffix") in _SHORT and not money):
        return None
    power = _SCALES[(match.group("scale") or match.group("suffix")).lower()]
    value = Decimal(match.group("number").replace(",", "")) * 10**power
    currency = (
        CURRENCIES.get(match.group("symbol") or "")
        or _CURRENCY_WORDS.get(match.group("currency") or "")
        or match.group("code")
        or match.group("code_after")
    )
    words = entry.amounts
    locale = Locale.parse(entry.locale)
    power = max((p for p in words.scales if p <= value.adjusted()), default=None)
    if power is None:
        return None
    number = (value / 10**power).normalize()
    places = max(0, -number.as_tuple().exponent)
    written = format_decimal(number, format="0" + ("." + "0" * places if places else ""), locale=locale)
    text = f"{written} {words.scale(power, locale.plural_form(number))}"
    of = words.of if power >= 6 else ""  # 1,5 millones de barriles, but 2 mil barcos
    if currency:
        name = currency_name(currency, lang)
        joined = words.of_vowel if of and words.of_vowel and name[0].lower() in "aeiouàèéíòóú" else of
        text += f" {joined}{name}" if joined.endswith("’") else f" {joined} {name}" if joined else f" {name}"
    if match.group("of") and words.of:
        text += f" {words.of}"  # … de dólares de petróleo, 2 mil de los barcos: the engine gives the noun
    expected = value.normalize()
    if translation_amounts(text, lang, "") != {expected: 1}:
        return None  # what we would write does not read back as the value: leave it to the engine (and QA)
    return text


def _percent(match: re.Match[str], lang: str) -> str | None:
    """A percentage by CLDR's percent pattern for ``lang`` (its no-break space), with the source's decimals."""
    if lang not in LANGUAGES:
        return None
    number = match.group("number")
    value = Decimal(number.replace(",", ""))
    locale = Locale.parse(LANGUAGES[lang].locale)
    grouped, places = value >= 10 ** (3 + LANGUAGES[lang].min_grouping - 1), len(number.partition(".")[2])
    digits = ("#,##0" if grouped else "0") + ("." + "0" * places if places else "")  # CLDR's minimum grouping too
    pattern = locale.percent_formats[None]
    text = format_percent(value / 100, format=f"{pattern.prefix[0]}{digits}{pattern.suffix[0]}", locale=locale)
    return text if translation_amounts(text, lang, "") == {value.normalize(): 1} else None


def _ordinal(match: re.Match[str], lang: str) -> str | None:
    """An ordinal ("3rd", "21st century") as ``lang`` writes it; None where gender or case decide its form."""
    facts = language(lang).facts
    n = int(match.group("n"))
    if facts is None or match.group("suffix") != _english_suffix(n):
        return None
    if match.group("century"):
        pattern = facts.century or facts.century_numeral
        return pattern.format(n=n, roman=_roman(n)) if pattern and 0 < n < 40 else None
    pattern = facts.ordinal_one if n == 1 else facts.ordinal
    return pattern.format(n=n) if pattern else None


def _english_suffix(n: int) -> str:
    """The suffix English writes after ``n``: 1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st."""
    if n % 100 in (11, 12, 13):
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")


def _roman(n: int) -> str:
    """``n`` (1–39) in Roman numerals, as centuries are written."""
    tens, units = divmod(n, 10)
    ones = ["", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX"]
    return "X" * tens + ones[units]


_ROMAN = re.compile(r"(?<![\w-])(?=[XVI])X{0,3}(?:IX|IV|V?I{0,3})(?![\w-])")


def is_roman(word: str) -> bool:
    """Whether ``word`` is a Roman numeral of a century (I to XXXIX)."""
    return bool(_ROMAN.fullmatch(word))


def roman_centuries(source: str, translated: str) -> Counter[Decimal]:
    """The centuries of an English ``source`` ("21st century") that ``translated`` writes in Roman numerals
    ("siglo XXI"), by value: QA counts them as the number."""
    named = {int(m.group("n")) for m in _ORDINAL.finditer(source) if m.group("century")}
    written = [_from_roman(m.group()) for m in _ROMAN.finditer(translated)]
    return Counter(Decimal(n) for n in written if n in named)


def _from_roman(numeral: str) -> int:
    values = {"I": 1, "V": 5, "X": 10}
    return sum(-values[a] if values[a] < values.get(b, 0) else values[a] for a, b in zip(numeral, numeral[1:] + " "))


def _measure(match: re.Match[str], lang: str) -> str | None:
    """A number with a unit ("1,600-kilometre") as ``lang`` writes it: the number in its notation, the unit word
    by CLDR's plural category of the number (or the language's abbreviation)."""
    facts = language(lang).facts
    if facts is None or lang not in LANGUAGES:
        return None
    number = match.group("number")
    value = Decimal(number.replace(",", ""))
    locale = Locale.parse(LANGUAGES[lang].locale)
    unit = facts.unit(ENGLISH_UNITS[match.group("unit")], locale.plural_form(value))
    if unit is None:
        return None
    text = f"{notation(lang).write(value, len(number.partition('.')[2]))} {unit}"
    return text if translation_amounts(text, lang, "") == {value.normalize(): 1} else None


def _date(text: str, month: int, lang: str) -> str | None:
    """A date with a day or a year, by CLDR's pattern for ``lang`` (long date, day and month, month and year)."""
    if lang not in LANGUAGES:
        return None
    day, year = _day_and_year(text)
    if day is None and (year is None or lang in _CASE_LANGUAGES):
        return None
    try:
        when = date(year or 2000, month, day or 1)
    except ValueError:
        return None
    entry = LANGUAGES[lang]
    if day and year:
        written = format_date(when, format="long", locale=entry.locale)
    else:
        written = format_skeleton("MMMMd" if day else "yMMMM", when, locale=entry.locale)
    if day == 1 and entry.first_day:
        written = _FIRST_DAY.sub(entry.first_day, written, count=1)  # le 1 mars → le 1er mars
    return written


def _day_and_year(text: str) -> tuple[int | None, int | None]:
    """The day (1–2 digits, "3rd" too) and the year (4 digits) an English date names, each None when absent."""
    if iso := ISO_DATE.fullmatch(text):
        return int(iso.group("day")), int(iso.group("year"))
    year = _YEAR.search(text)
    day = _DAY.search(_YEAR.sub("", text))
    return (int(day.group()) if day else None), (int(year.group()) if year else None)
