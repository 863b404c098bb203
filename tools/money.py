"""Which currency each amount of money is in, in an English source and in a translation, by CLDR's names.

A number can survive translation with its value and lose its currency: Apertium
may write "$7.1 billion" as "7,1 mil millones de libras". QA compares the
currencies of a sentence's amounts on both sides (:func:`currency_problems`);
the translation stage writes a currency the language's table does not name by
its CLDR name (:func:`currency_name`).

A currency counts only beside a number, as money is written: a symbol, ISO code
or name right before a number, or within a few words after one ("7,1 mil
millones de dólares", "3,4 млрд фунтів", "5 Millionen US-Dollar"). So "la zona
euro" or "the dollar fell" is no amount. A name is known by the stems of its
CLDR display names in the language, every plural form (долар, доларів, долари);
a place name is never a currency (Noruega, France), and the language's own
table (:mod:`tools.languages.amounts`) adds the forms its press writes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import cache

from babel import Locale
from babel.numbers import get_currency_name, get_currency_symbol, get_territory_currencies

from tools.languages import LANGUAGES
from tools.numbers import CURRENCIES

_SYMBOLS = {**CURRENCIES, "US$": "USD"}  # what an English news source means by them
_ENGLISH_WORDS = {"dollar": "USD", "euro": "EUR", "pound": "GBP", "sterling": "GBP"}
# Codes that are English words in capitals ("ALL 3 MILLION", "TRY 10"): never read as a currency when written.
_ENGLISH_WORD_CODES = frozenset(("ALL", "BAM", "CUP", "GEL", "MAD", "MOP", "SOS", "TOP", "TRY"))
# English words that are also a currency's name (CLDR's last word): "she won 52% of the vote", "3 real options".
# Only with the words that make them money ("South Korean won", "Brazilian real") or a symbol or code.
_ENGLISH_HOMOGRAPHS = frozenset(("won", "real", "reals", "rand", "rands", "mark", "marks", "sol", "dong", "dram"))
_CURRENT = date(2026, 1, 1)  # fixed, so that QA says the same on every day
_ENDING = 3  # letters an inflected form adds to a stem: dólar-es, долар-ів, Krone-n (not euro-zona)
_NEAR = 4  # words between a number and the currency after it: "7,1 mil millones de dólares"
_COUNTS = (1, 2, 3, 5, 11, 21, 1.5)  # a number of each CLDR plural category, in every language here
_TOKEN = re.compile(r"US\$|[$€£]|\d[\d.,\u00a0\u202f]*|[^\W\d_]+(?:-[^\W\d_]+)*")


@cache
def current_currencies() -> frozenset[str]:
    """The currencies legal tender somewhere on a fixed day (CLDR's territory data): no franc français, no
    Gold-Franc, so the names that remain are the ones a news story means."""
    territories = (code for code in Locale.parse("en").territories if len(code) == 2 and code.isalpha())
    return frozenset(code for t in territories for code in get_territory_currencies(t, _CURRENT, tender=True))


@cache
def written_codes() -> frozenset[str]:
    """The ISO codes read as a currency where a text writes them ("NOK 3 billion"): the current ones, less the
    codes that are English words."""
    return current_currencies() - _ENGLISH_WORD_CODES


def currency_name(code: str, lang: str) -> str:
    """``code`` as the language writes it after a scale word: its table's name, else CLDR's for a plural count
    (es "coronas noruegas", uk "норвезьких крон": the genitive plural after "млрд"); German's adjective in lower
    case ("norwegische Kronen", as Duden has it, where CLDR capitalises)."""
    entry = LANGUAGES[lang]
    own = entry.amounts.currencies.get(code) if entry.amounts else None
    if own:
        return own
    name = get_currency_name(code, entry.amounts.currency_count if entry.amounts else 2, entry.locale)
    first, _, rest = name.partition(" ")
    if lang == "de" and rest and re.fullmatch(r"[A-ZÄÖÜ]\w*isch(?:e|en)", first):
        name = f"{first[0].lower()}{first[1:]} {rest}"
    return name


def currency_problems(source: str, translated: str, lang: str) -> tuple[list[str], list[str]]:
    """The currencies of the source's amounts the translation lacks, and those it has that the source has not
    (ISO codes, sorted). A name several currencies share (coronas: NOK, SEK, DKK…) answers for any of them."""
    wanted = _currencies(source, _english_names())
    known = frozenset().union(*wanted)
    # Only the source's currencies and those the language's table names (dollars, euros, pounds) count in the
    # translation: a word some far currency's name also has (nuevo of nuevo séquel, sol) says nothing alone.
    table = LANGUAGES[lang].amounts
    relevant = known | frozenset(table.currencies if table else ())
    mentions = sorted((m & relevant for m in _currencies(translated, _names(lang)) if m & relevant), key=len)
    missing = []
    for codes in sorted(wanted, key=sorted):  # an amount whose name several currencies share: any of them
        match = next((m for m in mentions if m & codes), None)
        if match is None:
            missing.append("/".join(sorted(codes)))
        else:
            mentions.remove(match)
    extra = sorted({min(m) for m in mentions if not m & known})
    return missing, extra


@dataclass(frozen=True)
class _Names:
    """A language's currency words: stem (lower case) or symbol → the ISO codes it may be; and the
    words of its place names, which are no currency (Noruega, France: though coronas noruegas, francs)."""

    stems: dict[str, frozenset[str]] = field(hash=False)
    modifiers: dict[str, frozenset[str]] = field(hash=False)
    places: frozenset[str] = field(hash=False)
    inflected: bool = True  # a stem may take an ending; False: whole words only (English's "level" is no lev)
    homographs: frozenset[str] = frozenset()  # heads that name money only after a word of their name

    def codes(self, token: str, narrowing: bool = False) -> frozenset[str]:
        """The currencies ``token`` may name (a modifier's only when ``narrowing`` a head); empty when none."""
        if token in _SYMBOLS:
            return frozenset((_SYMBOLS[token],))
        if len(token) == 3 and token.isupper() and token in written_codes():
            return frozenset((token,))
        lower = token.lower()
        if lower in self.places:
            return frozenset()
        for stems in (self.stems, self.modifiers) if narrowing else (self.stems,):
            if codes := (_stemmed(lower, stems) if self.inflected else stems.get(lower, frozenset())):
                return codes
        return frozenset()


def _stemmed(word: str, stems: dict[str, frozenset[str]]) -> frozenset[str]:
    """The codes of the longest stem ``word`` starts with, followed by at most an inflection's ending (dólar-es,
    долар-ів, Krone-n; a stem of three letters or fewer at most two: yen-es): a few lookups, not a scan."""
    for size in range(len(word), 0, -1):
        if len(word) - size > (_ENDING if size > 3 else 2):
            break
        if (codes := stems.get(word[:size])) is not None:
            return codes
    return frozenset()


def _currencies(text: str, names: _Names) -> list[frozenset[str]]:
    """The currency (the codes it may be) of each amount of money in ``text``: a currency beside a number, its
    words taken together ("coronas suecas": the coronas that are SEK; "норвезьких крон": NOK)."""
    tokens = _TOKEN.findall(text)
    numbers = [i for i, token in enumerate(tokens) if token[0].isdigit()]
    near = sorted({j for i in numbers for j in (i - 1, *range(i + 1, i + _NEAR + 1)) if 0 <= j < len(tokens)})
    found, used = [], -1
    for j in near:
        if j <= used or tokens[j][0].isdigit():
            continue
        codes, used, narrowed = names.codes(tokens[j]), j, False
        for k in range(j - 1, max(j - 3, -1), -1) if codes else ():  # норвезьких крон; South Korean won
            narrower = names.codes(tokens[k], narrowing=True) & codes
            if not narrower:
                break
            codes, narrowed = narrower, True
        if tokens[j].lower() in names.homographs and not narrowed:
            continue  # "she won 52%": no South Korean won
        while codes and used + 1 < len(tokens) and (more := names.codes(tokens[used + 1], narrowing=True)):
            codes, used = (codes & more) or codes, used + 1  # coronas suecas, доларів США
        if codes:
            found.append(codes)
    return found


@cache
def _english_names() -> _Names:
    """The source's currency words, whole: CLDR's English names in every plural form (an English noun takes no
    other ending), and the press's dollar, euro, pound, sterling. A stem with endings read "the 2019 level of
    $13.1 million" as an amount in Bulgarian leva."""
    names = _cldr_names("en", whole=True)
    english = {form: frozenset((code,)) for word, code in _ENGLISH_WORDS.items() for form in (word, f"{word}s")}
    stems = {**names.stems, **english}
    return _Names(stems, names.modifiers, names.places, inflected=False, homographs=_ENGLISH_HOMOGRAPHS)


@cache
def _names(lang: str) -> _Names:
    """CLDR's currency names in ``lang``; the language's own table's words name one currency each (its
    dólares are USD)."""
    names, table = _cldr_names(lang), LANGUAGES[lang].amounts
    own = {
        word: frozenset((code,)) for code, name in (table.currencies.items() if table else ()) for word in _words(name)
    }
    return _Names({**names.stems, **own}, names.modifiers, names.places)


def _cldr_names(lang: str, whole: bool = False) -> _Names:
    """Every currency's name in ``lang`` by the stems of its words (``whole``: every word of every plural form
    instead, the last one the head, as English writes them). A word is a head (dólar, corona, крон) when
    it stands beside more other words across the names than the name's other words do; the rest (estadounidense,
    noruega, США) only narrow a head they follow or precede: "la política estadounidense" names no money."""
    locale = Locale.parse(LANGUAGES[lang].locale if lang in LANGUAGES else lang)
    names: dict[str, list[list[str]]] = {}  # code → its names' words: each form's (whole), else their stems
    symbols: dict[str, set[str]] = {}
    for code in current_currencies():
        symbol = get_currency_symbol(code, locale)
        if symbol != code and not symbol.isalpha():
            symbols.setdefault(symbol.lower(), set()).add(code)
        forms = {get_currency_name(code, count, locale) for count in _COUNTS}
        names[code] = [_words(form) for form in sorted(forms)] if whole else [_stems(forms)]
    heads: dict[str, set[str]] = dict(symbols)
    modifiers: dict[str, set[str]] = {}
    places = frozenset(word.lower() for name in locale.territories.values() for word in re.findall(r"\w+", name))
    if whole:  # English names its currencies head last: Chinese yuan, South Korean won ("3 Chinese ships": none)
        for code, forms in names.items():
            for words in filter(None, forms):
                heads.setdefault(words[-1], set()).add(code)
                for word in words[:-1]:
                    modifiers.setdefault(word, set()).add(code)
        return _Names(_frozen(heads), _frozen(modifiers), places)
    companions: dict[str, set[str]] = {}
    for (stems,) in names.values():
        for stem in stems:
            companions.setdefault(stem, set()).update(other for other in stems if other != stem)
    for code, (stems,) in names.items():
        most = max((len(companions[stem]) for stem in stems), default=0)
        for stem in stems:
            (heads if len(companions[stem]) == most else modifiers).setdefault(stem, set()).add(code)
    return _Names(_frozen(heads), _frozen(modifiers), places)


def _frozen(stems: dict[str, set[str]]) -> dict[str, frozenset[str]]:
    return {stem: frozenset(codes) for stem, codes in stems.items()}


def _stems(forms: set[str]) -> list[str]:
    """The common start of each word position across a name's plural forms ("dólar", "estadounidense")."""
    split = [_words(form.lower()) for form in forms]
    if len({len(words) for words in split}) != 1:
        return []
    stems = []
    for words in zip(*split, strict=True):
        start = words[0]
        for word in words[1:]:
            while not word.startswith(start):
                start = start[:-1]
        if len(start) >= 3:  # yen, ien: a three-letter stem takes at most two more letters (yenes)
            stems.append(start)
    return stems


def _words(name: str) -> list[str]:
    return re.findall(r"[^\W\d_]+(?:-[^\W\d_]+)*", name.lower())
