"""How each language's newspapers write a large amount: the scale word after the number and the currency.

Pure data, named by the language registry (``Language.amounts``). One choice
per language, as its press writes it (checked against CLDR's long and short
compact patterns, which Babel 2.18 inflects wrongly: "5 мільярда", "1
Milliarden"): Spanish and Catalan write the scale as words and the currency
after "de" ("3,4 mil millones de libras", "7,1 mil milions de dòlars"), French
too ("3,4 milliards d’euros"), German as words with the currency after
("3,4 Milliarden Pfund"), Ukrainian, Russian and Polish with the invariable
abbreviations their press uses ("3,4 млрд фунтів", "36 млн долларов", "5 mld
euro"). A scale word agrees with the number by CLDR's plural rules (1,5
millones, 1 millón; 1 Milliarde, 2 Milliarden).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class AmountWords:
    """``scales``: power of ten → CLDR plural category → the word (``other`` serves a category not listed);
    ``currencies``: ISO code → the currency after a scale word; ``of``: the word between them (es "de"), and
    ``of_vowel`` its form before a vowel (ca, fr "d’"); a currency not in ``currencies`` takes its CLDR name
    for ``currency_count`` (:func:`tools.money.currency_name`)."""

    scales: dict[int, dict[str, str]] = field(hash=False, compare=False)
    currencies: dict[str, str] = field(hash=False, compare=False)
    of: str = ""
    of_vowel: str = ""
    currency_count: int = 2  # a number whose CLDR plural form a currency takes after a scale word (uk 5: млрд крон)

    def scale(self, power: int, category: str) -> str:
        """The scale word of 10^``power`` for a number of plural ``category``."""
        forms = self.scales[power]
        return forms.get(category, forms["other"])


def _same(word: str) -> dict[str, str]:
    return {"other": word}


ENGLISH = AmountWords(
    scales={3: _same("thousand"), 6: _same("million"), 9: _same("billion"), 12: _same("trillion")},
    currencies={"USD": "dollars", "EUR": "euros", "GBP": "pounds"},
)
SPANISH = AmountWords(
    scales={
        3: _same("mil"),
        6: {"one": "millón", "other": "millones"},
        9: _same("mil millones"),
        12: {"one": "billón", "other": "billones"},
    },
    currencies={"USD": "dólares", "EUR": "euros", "GBP": "libras"},
    of="de",
)
CATALAN = AmountWords(
    scales={
        3: _same("mil"),
        6: {"one": "milió", "other": "milions"},
        9: _same("mil milions"),
        12: {"one": "bilió", "other": "bilions"},
    },
    currencies={"USD": "dòlars", "EUR": "euros", "GBP": "lliures"},
    of="de",
    of_vowel="d’",
)
FRENCH = AmountWords(
    scales={
        3: _same("mille"),
        6: {"one": "million", "other": "millions"},
        9: {"one": "milliard", "other": "milliards"},
        12: {"one": "billion", "other": "billions"},
    },
    currencies={"USD": "dollars", "EUR": "euros", "GBP": "livres"},
    of="de",
    of_vowel="d’",
)
GERMAN = AmountWords(
    scales={
        3: _same("Tausend"),
        6: {"one": "Million", "other": "Millionen"},
        9: {"one": "Milliarde", "other": "Milliarden"},
        12: {"one": "Billion", "other": "Billionen"},
    },
    currencies={"USD": "US-Dollar", "EUR": "Euro", "GBP": "Pfund"},
)
UKRAINIAN = AmountWords(
    scales={3: _same("тис."), 6: _same("млн"), 9: _same("млрд"), 12: _same("трлн")},
    currencies={"USD": "доларів", "EUR": "євро", "GBP": "фунтів"},
    currency_count=5,  # the genitive plural, as after млрд: 3 млрд норвезьких крон
)
RUSSIAN = AmountWords(
    scales={3: _same("тыс."), 6: _same("млн"), 9: _same("млрд"), 12: _same("трлн")},
    currencies={"USD": "долларов", "EUR": "евро", "GBP": "фунтов"},
    currency_count=5,  # the genitive plural, as after млрд: 3 млрд норвезьких крон
)
POLISH = AmountWords(
    scales={3: _same("tys."), 6: _same("mln"), 9: _same("mld"), 12: _same("bln")},
    currencies={"USD": "dolarów", "EUR": "euro", "GBP": "funtów"},
    currency_count=5,  # the genitive plural, as after млрд: 3 млрд норвезьких крон
)
