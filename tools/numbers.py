"""Numbers and money in an edition's notation, as CLDR (through Babel) writes them for its locale.

Only the notation changes, never the wording: the decimal separator ("0.8" →
"0,8"), digit grouping ("1,400" → "1400" in es, "1.400" in de, "1 400" in fr),
the percent sign ("0.8%" → "0,8 %") and a currency symbol's place and form
("$60" → "60 US$" in es, "60 $" in de, "60 USD" in uk): "por ciento" stays
"por ciento". The currency follows the locale's standard currency pattern and
CLDR's symbol for the edition's locale (``$`` in an English source is USD,
``€`` EUR, ``£`` GBP), because that is how a reader of the edition sees money
written; the amount keeps the digits it was written with (no ",00" added).

Conservative: a number changes only when its English notation is certain.
Plain integers keep their digits (years, counts, IDs); numbers inside words or
codes (A320, COVID-19, 3D, US$60), versions and addresses (1.2.3), dates and
times (03.2026, 10:30, 10.30 am), fractions (3/4), numbers after a label word
(version 2.0, article 5.1) and compounds (1.5-litre) do not change. A token that
reads as a number in both notations with different values ("1,400" is 1400 in
English, 1,4 in Spanish) changes only when the source sentence says which: so
converting twice changes nothing more (idempotent).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from babel import Locale
from babel.numbers import NumberPattern, format_decimal, get_currency_symbol, get_decimal_symbol, get_group_symbol

from tools.languages import language

SOURCE_LOCALE = "en"
CURRENCIES = {"$": "USD", "€": "EUR", "£": "GBP"}  # what these symbols mean in an English news source
_SPACES = "\u00a0\u202f"  # the group separators of CLDR's space-grouping locales (fr, uk, ru, pl)
# Words after which a number is a label, not a quantity (version 2.0, article 5.1, a las 10.30): whole words,
# and stems that cover a word's inflected forms (статтею, artykułu).
LABEL_WORDS = frozenset(("v", "ver", "no", "nr", "núm", "art", "pkt", "ust", "godz", "um", "las"))
LABEL_STEMS = (
    "versi", "secci", "section", "articl", "artícul", "artikel", "chapit", "capítul",
    "kapitel", "paragra", "párraf", "apartad", "abschnitt", "absatz", "ziffer", "alinéa", "release",
    "версі", "верси", "розділ", "раздел", "статт", "стать", "пункт", "частин", "части", "часть", "глав",
    "wersj", "sekcj", "artyku", "rozdzia", "punkt", "ustęp", "godzin",
)  # fmt: skip
# Scale words after an amount ("$1.5 billion", "$1,5 mil millones"): the symbol then stays where it was written.
SCALE_WORDS = frozenset(
    ("mil", "mille", "bn", "mn", "mio", "mrd", "md", "mds", "тис", "млн", "млрд", "трлн", "тыс", "tys", "mln", "mld",
     "mlrd", "bln")
)  # fmt: skip
SCALE_STEMS = (
    "thousand", "million", "millón", "millon", "billion", "billón", "billon", "trillion", "millard", "milliard",
    "tausend", "тисяч", "тысяч", "мільйон", "мільярд", "трильйон", "миллион", "миллиард", "триллион",
    "tysiąc", "tysięc", "milion", "miliard", "bilion",
)  # fmt: skip
_TOKEN = re.compile(rf"(?P<currency>[$€£])?(?P<number>\d+(?:[.,{_SPACES}]\d+)*)(?P<percent>[ {_SPACES}]?%)?")
_TIME_AFTER = re.compile(r"\s?(?:[ap]\.m\.|(?:[ap]m|uhr|h|hrs|horas|heures|godz|год|ч)\b)", re.IGNORECASE)
_WORD_BEFORE = re.compile(r"(\w+)\.?\s+$")
_WORD_AFTER = re.compile(r"\s*(\w+)")
_VERSION = re.compile(r"\d{1,2}\.0")  # .0 after a name: a version (NATO 2.0, Web 2.0, Industry 4.0), not a quantity
_PERCENT_AFTER = re.compile(r"\s?(?:%|per\s?cent|por ciento|pour cent|Prozent|per cent|процент|відсот|procent)")


@dataclass(frozen=True)
class Notation:
    """A locale's decimal and group symbols, and from how many digits it groups."""

    locale: Locale
    decimal: str
    group: str
    min_grouping: int

    def reads(self, text: str) -> Decimal | None:
        """The value of ``text`` in this notation, or None when it is not a number written this way."""
        group = re.escape(self.group) if self.group not in _SPACES else f"[{_SPACES}]"
        pattern = rf"(?:[1-9]\d{{0,2}}(?:{group}\d{{3}})+|0|[1-9]\d*)(?:{re.escape(self.decimal)}\d+)?"
        if not re.fullmatch(pattern, text):
            return None
        digits = re.sub(group, "", text).replace(self.decimal, ".")
        return Decimal(digits)

    def write(self, value: Decimal, places: int) -> str:
        """``value`` with ``places`` decimals, grouped as the locale groups a number of its size."""
        integer_digits = len(str(abs(int(value))))
        grouped = integer_digits >= 3 + self.min_grouping
        pattern = ("#,##0" if grouped else "0") + ("." + "0" * places if places else "")
        return format_decimal(value, format=pattern, locale=self.locale)


@cache
def notation(lang: str) -> Notation:
    """The notation of the language's CLDR locale, with the registry's minimum grouping (Babel does not carry
    CLDR's minimumGroupingDigits)."""
    entry = language(lang)
    locale = Locale.parse(entry.locale)
    return Notation(locale, get_decimal_symbol(locale), get_group_symbol(locale), entry.min_grouping)


def localize_numbers(text: str, lang: str, source: str | None = None) -> str:
    """``text`` with its numbers, percentages and amounts in ``lang``'s notation; ``source`` settles ambiguous ones."""
    target = notation(lang)
    wanted = set(source_values(source)) if source is not None else None
    return _TOKEN.sub(lambda match: _localized(match, target, wanted), text)


def source_values(text: str) -> Counter[Decimal | str]:
    """Every number of an English sentence by value (``1,400`` → 1400), and codes (``1.2.3``) as written."""
    english = notation(SOURCE_LOCALE)
    return Counter(_value(m.group("number"), english, english, None) for m in _TOKEN.finditer(text))


def translation_values(text: str, lang: str, wanted: Counter[Decimal | str]) -> Counter[Decimal | str]:
    """Every number of a translation by value, in either notation; an ambiguous one is read as ``wanted`` has it."""
    target, english = notation(lang), notation(SOURCE_LOCALE)
    remaining = Counter(wanted)
    values: Counter[Decimal | str] = Counter()
    for match in _TOKEN.finditer(text):
        value = _value(match.group("number"), target, english, remaining)
        remaining[value] -= 1
        values[value] += 1
    return values


def source_amounts(text: str) -> Counter[Decimal | str]:
    """Every number of an English sentence by value with its scale word: "£3.4bn" and "3.4 billion" are 3.4E+9."""
    english = notation(SOURCE_LOCALE)
    return Counter(
        _scaled(_value(m.group("number"), english, english, None), m, SOURCE_LOCALE) for m in _TOKEN.finditer(text)
    )


def translation_amounts(text: str, lang: str, source: str) -> Counter[Decimal | str]:
    """Every number of a translation of ``source`` by value with its scale word in ``lang`` (es "3,4 mil
    millones" is 3.4E+9, "3,4 billones" 3.4E+12), an ambiguous one read as the source has it."""
    target, english = notation(lang), notation(SOURCE_LOCALE)
    remaining = Counter(source_values(source))
    values: Counter[Decimal | str] = Counter()
    for match in _TOKEN.finditer(text):
        value = _value(match.group("number"), target, english, remaining)
        remaining[value] -= 1
        values[_scaled(value, match, lang)] += 1
    return values


# An English abbreviation an engine may leave in a translation ("9,5 bn"), and the short scales of an English
# amount of money ("$5m", "£2k": "5m" alone is five metres).
_LEFT_SCALES = {"mn": 6, "bn": 9, "tn": 12}
_MONEY_SCALES = {"k": 3, "m": 6, "b": 9}
_SCALE_WORD = re.compile(rf"[ {_SPACES}]*(\w+)\.?")
_SCALE_JOINERS = frozenset(("de", "of"))  # ca "milers de milions"


def _scaled(value: Decimal | str, match: re.Match[str], lang: str) -> Decimal | str:
    """``value`` times the scale words right after the number (mil millones: 10³ × 10⁶)."""
    if not isinstance(value, Decimal):
        return value
    words = language(lang).scales
    scales = words | _LEFT_SCALES if lang != SOURCE_LOCALE else dict(words)
    if match.group("currency"):
        scales |= _MONEY_SCALES
    power, position = 0, match.end()
    while after := _SCALE_WORD.match(match.string, position):
        word = after.group(1).lower()
        if word in _SCALE_JOINERS and power and (joined := _SCALE_WORD.match(match.string, after.end())):
            after, word = joined, joined.group(1).lower()
        if word not in scales:
            break
        power, position = power + scales[word], after.end()
        scales = {w: p for w, p in scales.items() if w not in _MONEY_SCALES}
    return (value * 10**power).normalize() if power else value


def _value(number: str, target: Notation, english: Notation, wanted: Counter | None) -> Decimal | str:
    """One token's value: the reading ``wanted`` holds if any, else the target's, else the English, else the text."""
    readings = [r for r in (target.reads(number), english.reads(number)) if r is not None]
    if wanted:
        readings.sort(key=lambda r: wanted[r] <= 0)
    return readings[0] if readings else number


def _localized(match: re.Match[str], target: Notation, wanted: set[Decimal | str] | None) -> str:
    text, currency, percent = match.string, match.group("currency"), match.group("percent")
    if (currency and percent) or _is_code(text, match.start(), match.end("number")):
        return match.group()
    written = _number_in(match.group("number"), target, wanted)
    if written is None:
        return match.group()
    if percent:
        return _affixed(written, target.locale.percent_formats[None], "%")
    if currency is None:
        return written
    after = _WORD_AFTER.match(text, match.end())
    word = after.group(1).lower() if after else ""
    if word in SCALE_WORDS or word.startswith(SCALE_STEMS):
        return currency + written
    symbol = get_currency_symbol(CURRENCIES[currency], target.locale)
    return _affixed(written, target.locale.currency_formats["standard"], symbol)


def _number_in(number: str, target: Notation, wanted: set[Decimal | str] | None) -> str | None:
    """The number as the edition writes it; None when it is no number, or its notation cannot be told.

    Without the source, only a number that reads in English notation alone
    changes; with it, a number changes only to the value the source has.
    """
    english, local = notation(SOURCE_LOCALE).reads(number), target.reads(number)
    if english is None or english == local:
        return None if local is None else number
    if wanted is None:
        return target.write(english, len(number.partition(".")[2])) if local is None else None
    if english in wanted and local not in wanted:
        return target.write(english, len(number.partition(".")[2]))
    return number if local in wanted and english not in wanted else None


def _affixed(number: str, pattern: NumberPattern, sign: str) -> str:
    """``number`` with the locale pattern's prefix and suffix, ``¤`` or ``%`` in it replaced by ``sign``."""
    prefix, suffix = pattern.prefix[0], pattern.suffix[0]
    return prefix.replace("¤", sign) + number + suffix.replace("¤", sign)


def _is_code(text: str, start: int, end: int) -> bool:
    """Whether the number (with its symbol) at ``text[start:end]`` is part of a word, code, date, time or label."""
    before, after = text[:start], text[end:]
    if before[-1:].isalnum() or before[-1:] in ("_", "/", ":", ".", "#", "№", "$", "€", "£", "%"):
        return True
    if before[-1:] in "-‐‑" and before[-2:-1].isalpha():  # COVID-19, F-16
        return True
    if after[:1].isalnum() or after[:1] in ("_", "/") or re.match(r"[-‐‑][^\W\d]|:\d", after):
        return True
    if _TIME_AFTER.match(after):
        return True
    label = _WORD_BEFORE.search(before)
    word = label.group(1).lower() if label else ""
    if (
        label
        and _VERSION.fullmatch(text[start:end])
        and label.group(1)[0].isupper()
        and not _PERCENT_AFTER.match(after)
    ):
        return True  # a name's version: Web 2.0, NATO 2.0, Industria 4.0 (not "Growth 2.0 percent")
    return word in LABEL_WORDS or word.startswith(LABEL_STEMS)
