"""Quality checks of a translated edition, read from its translation memory (no engine runs).

Every sentence's translation is checked against its source; each finding is a
:class:`~tools.diagnostics.Diagnostic` at the line of the entry's ``msgstr`` in
the PO file, and is written into the entry as ``#. qa: <kind>: <message>`` for
the reviewer (replaced on each run; a file whose findings did not change is
not rewritten). ``press check`` lists them; ``--strict`` fails on any.

Kinds, and the translate-toolkit ``pofilter`` tests each one covers:

- ``untranslated``: no translation, or only spaces (untranslated, blank)
- ``unchanged``: the source returned as it was (unchanged)
- ``untranslated-word``: a word the engine marked unknown (the ``#. unknown
  words:`` line) still in the translation, or a source word left in it that the
  language's dictionary does not know
- ``glued``: a word the dictionary does not know that splits into two or three
  words it knows ("iniciativasdeperfil" → "iniciativas de perfil")
- ``double-space``, ``doubled-word`` (doublespacing, doublewords)
- ``numbers``: compared by value, 0.8 == 0,8 and 1,400 == 1400 (numbers)
- ``term``: a glossary term of the source without its rendering; ``agreement``:
  what the translation stage could not make agree (its ``#. agreement:`` lines),
  while the entry awaits review
- ``placeholder``: a ⟦T1⟧ left in the text
- ``quotes``: quotation marks lost, added or unpaired (doublequoting, singlequoting)
- ``brackets`` (brackets); ``punctuation``: at the start or end, a space before
  it, none after it, a space inside quotes or brackets («␣Nos vamos») (startpunc, endpunc, puncspacing,
  purepunc)
- ``capitals``: the first letter's case (startcaps); a word capitalised inside a sentence, or in
  capitals, that the dictionary knows only in lower case and the source lacks ("Los Barcos"), and a month
  or day CLDR writes in lower case capitalised ("en Marzo") (simplecaps, without its counting)
- ``sentences``: not as many sentences as the source, each side split by its language (sentencecount,
  without its English splitter: "EE. UU." ends no Spanish sentence); a title before no name ("El Dr. se
  reunió Smith": a word moved across the abbreviation)
- ``whitespace``: leading, trailing, line breaks, tabs (start/endwhitespace, newlines, tabs)
- ``markup``: URLs, e-mail addresses, tags, backslashes changed (urls, emails, xmltags, escapes)
- ``length``: far longer or shorter than the source (long, short)
- ``bidi``: a bidirectional control character the source lacks (embeddings and overrides U+202A–U+202E,
  isolates U+2066–U+2069, and the marks U+200E/U+200F, which no left-to-right edition needs): invisible, it
  reorders what a reader sees ("Trojan Source")

The dictionaries are Debian's hunspell ones (``hunspell-es`` …), read by spylls, and the
project's own word list of the language (``translations/<lang>/words.txt``: a word a line, ``#``
comments), the words reviewers accept that the dictionary lacks (compounds such as
"descongelamiento", which would otherwise read as glued).
"""

from __future__ import annotations

import bisect
import itertools
import re
import unicodedata
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from functools import cache, lru_cache
from pathlib import Path

import polib
from babel import Locale
from spylls.hunspell import Dictionary

from tools.dates import ISO_DATE, english_months_left, month_named, names_month, source_dates
from tools.diagnostics import WARNING, Diagnostic
from tools.errors import PressError
from tools.glossary.detect import Detector
from tools.glossary.termbase import TermBase
from tools.languages import HUNSPELL, LANGUAGES, Language, language
from tools.memory.entries import Memory, Unit
from tools.memory.files import locked
from tools.money import currency_problems
from tools.numbers import source_amounts, translation_amounts
from tools.quantities import is_roman, roman_centuries
from tools.segment import split_sentences
from tools.typography.markup import protected_spans

QA = "qa: "  # the memory's comment lines this module owns
KINDS = (
    "untranslated", "unchanged", "untranslated-word", "glued", "double-space", "doubled-word", "numbers", "term",
    "agreement", "placeholder", "quotes", "brackets", "punctuation", "capitals", "whitespace", "markup", "length",
    "bidi", "sentences",
)  # fmt: skip
UNKNOWN_WORDS = "unknown words: "  # written by the translation stage
AGREEMENT = "agreement: "  # written by the translation stage
# The registry's hunspell dictionaries by language, and the Debian packages that install them.
DICTIONARIES = {code: entry.hunspell for code, entry in LANGUAGES.items() if entry.hunspell}
PACKAGES = {code: entry.hunspell_package for code, entry in LANGUAGES.items() if entry.hunspell_package}
LENGTH_RANGE = (0.5, 2.2)
_MIN_LENGTH = 24
_MIN_GLUED = 6  # shorter unknown tokens are names and abbreviations more often than glued words
_VOWEL = re.compile("[aeiouyáéíóúàèìòùâêîôûäëïöüÿæœąęаеєиіїоуюяыэё]", re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_]+(?:['’ʼ][^\W\d_]+)*")
_DOUBLE_QUOTES = '"«»“”„‟'
_SINGLE_QUOTES = "'‘’‚‛‹›"
_OPENING_QUOTES = '«“„"‹'
_END_PUNCTUATION = ".!?…:;"
_FRENCH_SPACED = "!?:;»"  # French sets a no-break space before these
_BIDI = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")  # every edition's script is left-to-right
_URL = re.compile(r"\b(?:https?|ftp)://\S+|\bwww\.\S+|\b[\w.+-]+@[\w-]+\.[\w.-]+|</?[A-Za-z][^<>]*>|\\")


def _facts(lang: str) -> Language:
    """The language's entry in the registry (its codes were checked where they came in: editions.yml)."""
    return language(lang)


@dataclass(frozen=True)
class Terms:
    """The term detectors of the source and of the edition's language."""

    source: Detector
    target: Detector


def check_edition(
    units: list[Unit] | None,
    memory_path: Path,
    lang: str,
    base: TermBase | None,
    source: str = "en",
    write: bool = True,
    accepted: frozenset[str] = frozenset(),
) -> list[Diagnostic]:
    """The findings for one memory: for ``units`` (an article's sentences) or, with None, every live entry;
    ``accepted``: the project's words of the language (:func:`read_words`).

    With ``write``, each entry's ``#. qa:`` lines are replaced by its findings;
    the file is written only when that changed something.
    """
    terms = Terms(Detector(base, source, source), Detector(base, lang, source)) if base else None
    with locked(memory_path):
        memory = Memory.load(memory_path, lang, source)
        texts = (
            [u.text for u in units] if units is not None else [e.msgid for e in memory.po if memory.get(e.msgid) is e]
        )
        found: dict[str, list[tuple[str, str]]] = {}
        for text in dict.fromkeys(texts):
            entry = memory.get(text)
            found[text] = (
                list(entry_problems(entry, lang, terms, accepted)) if entry else [("untranslated", "no entry")]
            )
        changed = [_set_findings(memory.get(text), problems) for text, problems in found.items() if memory.get(text)]
        if write and any(changed):
            memory.save()
    lines = msgstr_lines(memory_path) if memory_path.is_file() else {}
    return [
        Diagnostic(memory_path, lines.get(text), WARNING, kind, message, lang=lang)
        for text, problems in found.items()
        for kind, message in problems
    ]


def entry_problems(
    entry: polib.POEntry, lang: str, terms: Terms | None = None, accepted: frozenset[str] = frozenset()
) -> Iterator[tuple[str, str]]:
    """(kind, message) for each problem of one memory entry; ``accepted``: the project's words (lower case)."""
    source, translated = entry.msgid, entry.msgstr
    if not translated.strip():
        yield "untranslated", "no translation" if not translated else "the translation is blank"
        return
    if translated.strip().lower() == source.strip().lower() and len(source.strip()) > 1 and not source.isupper():
        yield "unchanged", "the translation is the source"
    comments = entry.comment.split("\n") if entry.comment else []
    yield from _word_problems(source, translated, lang, comments, terms, accepted)
    yield from _text_problems(source, translated, lang, terms)
    yield from _number_problems(source, translated, lang)
    yield from _date_problems(source, translated, lang)
    yield from _english_structure(translated, lang)
    if terms:
        found = {m.term_id for m in terms.target.find(translated)}
        for term_id in sorted({m.term_id for m in terms.source.find(source)} - found):
            yield "term", f"'{term_id}' is not rendered"
    if "fuzzy" in entry.flags:
        yield from (("agreement", line.removeprefix(AGREEMENT)) for line in comments if line.startswith(AGREEMENT))
    if "⟦" in translated or "⟧" in translated:
        yield "placeholder", "a term placeholder is left: " + ", ".join(re.findall(r"⟦[^⟧]*⟧?|⟧", translated))
    yield from _bidi_problems(source, translated)
    yield from _length_problems(source, translated)


def _word_problems(
    source: str, translated: str, lang: str, comments: list[str], terms: Terms | None, accepted: frozenset[str]
) -> Iterator[tuple[str, str]]:
    """Words the engine did not know or left in the source language, and words glued together."""
    tokens = _tokens(translated, terms)
    marked = [
        w.strip() for line in comments if line.startswith(UNKNOWN_WORDS) for w in line[len(UNKNOWN_WORDS) :].split(",")
    ]
    left = [w for w in dict.fromkeys(marked) if w and _contains(translated, w)]
    source_words = {w.lower() for w in _WORD.findall(source)}
    script = _facts(lang).script
    copied = [
        t
        for t in dict.fromkeys(tokens)
        if t[0].islower() and len(t) > 2 and t.lower() in source_words and t not in left and _script(t) == "LATIN"
        if script != "LATIN" or not _spelled(t, lang, accepted)
    ]
    if left:
        yield "untranslated-word", "the engine did not know: " + ", ".join(left)
    if copied:
        yield "untranslated-word", "left in the source language: " + ", ".join(copied)
    for token in dict.fromkeys(tokens):
        if _script(token) != script or len(token) < _MIN_GLUED or token.lower() in source_words:
            continue
        if not _spelled(token, lang, accepted):
            parts = split_glued(token, lang)
            if parts:
                yield "glued", f"'{token}' reads as '{' '.join(parts)}'"


def _spelled(word: str, lang: str, accepted: frozenset[str]) -> bool:
    """The language's dictionary or the project's word list (``accepted``, lower case) knows ``word``."""
    return knows(lang, word) or word.lower() in accepted


def _contains(text: str, word: str) -> bool:
    """Whether ``word`` stands in ``text`` as a word of its own (any case)."""
    return bool(re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text, re.IGNORECASE))


def _script(word: str) -> str:
    """The script of a word's first letter: LATIN, CYRILLIC, …"""
    return unicodedata.name(word[0], "?").split()[0]


def _tokens(text: str, terms: Terms | None) -> list[str]:
    """The words of a translation, outside the glossary terms found in it and what no engine may change (code, tags,
    URLs, addresses, entities: typography's protected spans, locked as placeholders by the translation stage)."""
    spans = [(m.start, m.end) for m in terms.target.find(text)] if terms else []
    spans += protected_spans(text)
    return [w.group() for w in _WORD.finditer(text) if not any(start <= w.start() < end for start, end in spans)]


def _text_problems(source: str, translated: str, lang: str, terms: Terms | None = None) -> Iterator[tuple[str, str]]:
    """Spacing, doubled words, quotes, brackets, punctuation, capitals, sentences, whitespace and markup."""
    if source.count("  ") != translated.count("  "):
        where = ", ".join(repr(m.group().replace(" ", "␣")) for m in re.finditer(r"\S*  +\S*", translated)) or "none"
        yield "double-space", f"{translated.count('  ')} double space(s) (the source has {source.count('  ')}): {where}"
    doubled = _doubled_words(translated, lang)
    if doubled:
        yield "doubled-word", "repeated: " + ", ".join(repr(w) for w in doubled)
    yield from _quote_problems(source, translated, lang)
    brackets = [b for b in "()[]{}" if source.count(b) != translated.count(b)]
    if brackets:
        yield "brackets", "not as in the source: " + " ".join(brackets)
    yield from _punctuation_problems(source, translated, lang)
    first, first_translated = _first(source), _first(translated)
    if first.isupper() != first_translated.isupper() and not (first.isnumeric() or first_translated.isnumeric()):
        yield "capitals", "the first letter's case differs from the source's"
    yield from _capital_problems(source, translated, lang, terms)
    yield from _sentence_problems(source, translated, lang)
    if _edges(source) != _edges(translated):
        yield "whitespace", "spaces, tabs or line breaks at the edges or inside differ from the source"
    if Counter(_URL.findall(source)) != Counter(_URL.findall(translated)):
        yield "markup", "a URL, e-mail address, tag or backslash is not as in the source"


# A title abbreviation stands before a name: "El Dr. se reunió Smith" moved the name across it (pofilter's
# sentencecount reads the period as a sentence end and so finds that; we read the title).
_SHOWN = 5  # examples a finding names
_TITLE = re.compile(r"(?<![\w.])(Dr|Dra|Sr|Sra|Srta|Sres|Prof|Mr|Mrs|Ms|Gen)\.\s+(?=([^\W\d_]+))")
# What may stand between a sentence's start (or an opening quote) and its first word.
_OPENING = "\"'«“‘‹„([¿¡—–-"
_AFTER_END = re.compile(rf"(?:[.!?…:;]\s|[{_OPENING}])[\s{_OPENING}]*$")
_ONLY_OPENERS = re.compile(rf"[\s{_OPENING}]*")
_LOOK_BACK = 24  # characters before a word that decide whether it starts a sentence
_NAME_LINK = re.compile(r"[\s-]+(?:(?:of|the|and|de|del|la|las|los|el|y|i|d['’]|l['’])\s*)*$", re.IGNORECASE)
# Common nouns the language's style capitalises in one sense (RAE: el Estado, the state; IEC: l'Estat).
# Institutions are capitalised as names even where the source writes them in lower case ("the treasury").
_STYLE_CAPITALS = {
    "es": frozenset({
        "Estado", "Estados", "Gobierno", "Iglesia", "Occidente", "Oriente", "Administración", "Ejército", "Armada",
        "Congreso", "Senado", "Parlamento", "Tesoro", "Hacienda", "Justicia", "Corona",
    }),
    "ca": frozenset({
        "Estat", "Estats", "Govern", "Església", "Occident", "Orient", "Administració", "Exèrcit", "Armada",
        "Congrés", "Senat", "Parlament", "Tresor", "Hisenda", "Justícia", "Corona",
    }),
}  # fmt: skip
_NOUNS_CAPITALISED = frozenset({"de", "lb"})  # every noun starts with a capital: no capital is odd by itself


def _sentence_problems(source: str, translated: str, lang: str) -> Iterator[tuple[str, str]]:
    """As many sentences as the source, each side split by its own language (EE. UU. ends no Spanish sentence;
    the source as the translation stage split it), and a title abbreviation before a name."""
    wanted, got = len(split_sentences(source)), len(split_sentences(translated, lang))
    if wanted != got:
        yield "sentences", f"{got} sentence(s), the source has {wanted}"
    moved = [f"'{m.group(1)}. {m.group(2)}'" for m in _TITLE.finditer(translated) if m.group(2)[0].islower()]
    if moved:
        shown = ", ".join(moved[:_SHOWN]) + (f" and {len(moved) - _SHOWN} more" if len(moved) > _SHOWN else "")
        yield "sentences", f"a title before no name: {shown} (a word moved across the abbreviation)"


def _capital_problems(source: str, translated: str, lang: str, terms: Terms | None) -> Iterator[tuple[str, str]]:
    """Capitals the translation adds (pofilter's simplecaps, without counting: English capitalises months,
    nationalities and titles that Spanish writes in lower case). A month or day capitalised inside a sentence
    where CLDR writes it in lower case ("en Marzo"). A word capitalised inside a sentence, or in capitals, is
    odd when the dictionary lists it only in lower case (one it lists capitalised, Rusia, or lacks, Kremlin, is
    a name), the source does not have it, no glossary term holds it and the language's style does not
    capitalise it; a name of several words ("Naciones Unidas") counts once. The source's own capitalised words
    that the translation renders ("West" as "Occidente") allow as many odd ones. Not in a language that
    capitalises every noun (German), nor without the language's dictionary."""
    source_words = set(_WORD.findall(source))
    calendar = _lower_case_calendar(lang)
    capitalised = [
        word
        for name in _capitalised_names(translated)
        for word in name.split()
        if word.lower() in calendar and word not in source_words and not word.islower()
    ]
    if capitalised:
        yield "capitals", "a month or day the language writes in lower case: " + ", ".join(map(repr, capitalised))
    if lang in _NOUNS_CAPITALISED or missing_dictionary(lang) is not None:
        return
    odd = _odd_capitals(translated, lang, terms, source_words)
    kept = set(_WORD.findall(translated))
    allowed = len([name for name in _capitalised_names(source) if not set(name.split()) <= kept])
    if len(odd) > allowed:
        yield "capitals", "capitalised as the source is not: " + ", ".join(map(repr, odd))


@cache
def _lower_case_calendar(lang: str) -> frozenset[str]:
    """The names of the months and days of the week that CLDR writes in lower case in ``lang`` (es marzo, lunes;
    none in English or German), from Babel; an edition capitalises one only at a sentence's start."""
    locale = Locale.parse(_facts(lang).locale)
    names = [
        name.split()[-1]
        for table in (locale.months, locale.days)
        for context in ("format", "stand-alone")
        for name in table.get(context, {}).get("wide", {}).values()
    ]
    return frozenset(name for name in names if name.islower() and len(name) > 2)


def _capitalised_names(text: str) -> list[str]:
    """The capitalised words of ``text`` not at a sentence's start (English "I" aside), runs joined by "of",
    "de" … counted as one name; and the words in capitals (2 letters or more) wherever they stand."""
    names: list[str] = []
    last_end = -1
    for match in _WORD.finditer(text):
        word, start = match.group(), match.start()
        capitals = len(word) > 1 and word.isupper()
        title = len(word) > 1 and word[0].isupper() and word != "I"
        if not (capitals or (title and not _starts_sentence(text, start))):
            continue
        if names and not capitals and last_end >= 0 and _NAME_LINK.fullmatch(text[last_end:start] or " "):
            names[-1] += " " + word
        else:
            names.append(word)
        last_end = match.end()
    return names


def _starts_sentence(text: str, start: int) -> bool:
    """Whether the word at ``start`` begins the text, a sentence or a quotation (only openers before it)."""
    before = text[max(0, start - _LOOK_BACK) : start]
    return bool(_AFTER_END.search(before)) or (start <= _LOOK_BACK and bool(_ONLY_OPENERS.fullmatch(before)))


def _odd_capitals(translated: str, lang: str, terms: Terms | None, source_words: set[str]) -> list[str]:
    """The capitalised names of a translation whose capitalised words the dictionary lists only in lower case."""
    spans = sorted(
        ([(m.start, m.end) for m in terms.target.find(translated)] if terms else []) + protected_spans(translated)
    )
    starts = [start for start, _ in spans]
    reach = list(itertools.accumulate((end for _, end in spans), max))  # the furthest end of the spans so far
    held = set()
    for word in _WORD.finditer(translated):
        at = bisect.bisect_right(starts, word.start()) - 1
        if at >= 0 and word.start() < reach[at]:
            held.add(word.group())
    style = _STYLE_CAPITALS.get(lang, frozenset())
    return [
        name
        for name in _capitalised_names(translated)
        if not is_roman(name)  # a century: "XXI" (tools/quantities.py)
        if all(
            word not in source_words and word not in held and word not in style and not _dictionary_name(lang, word)
            for word in name.split()
            if word[0].isupper()
        )
    ]


def _bidi_problems(source: str, translated: str) -> Iterator[tuple[str, str]]:
    """Bidi controls the source does not have (as many of each): shown, and where, by code point."""
    extra = Counter(_BIDI.findall(translated)) - Counter(_BIDI.findall(source))
    if extra:
        where = ", ".join(
            f"U+{ord(m.group()):04X} {unicodedata.name(m.group())} at {m.start() + 1}"
            for m in _BIDI.finditer(translated)
            if m.group() in extra
        )
        yield "bidi", f"invisible bidirectional control(s) that reorder the text: {where}"


def _doubled_words(text: str, lang: str) -> list[str]:
    """Words written twice in a row (as pofilter reads them: lower case, full stops removed)."""
    words = text.replace(".", "").lower().split()
    valid = _facts(lang).repeatable_words
    return [b for a, b in itertools.pairwise(words) if a == b and b not in valid]


def _quote_problems(source: str, translated: str, lang: str) -> Iterator[tuple[str, str]]:
    wanted, got = _count(source, _DOUBLE_QUOTES), _count(translated, _DOUBLE_QUOTES)
    if wanted != got or translated.count("«") != translated.count("»"):
        yield "quotes", f"{got} double quotation mark(s), the source has {wanted}"
    wanted, got = len(_free_singles(source, "en")), len(_free_singles(translated, lang))
    if wanted != got:
        yield "quotes", f"{got} single quotation mark(s) that are not apostrophes, the source has {wanted}"


# A quotation in single marks: an opening one before a letter (not after one), a closing one after a letter (not
# before one); its closing mark is a quotation mark, however it reads as a plural's apostrophe ('news' safe?).
_SINGLE_QUOTATION = re.compile(r"(?<![\w'’‘])['‘](?=[^\W\d_])[^'’‘\n]*?[^\W\d_](['’])(?![\w'’])")


def _quotation_marks(text: str) -> set[int]:
    """The positions of the single marks that open and close a quotation ('noticioso', ‘banks’)."""
    return {i for m in _SINGLE_QUOTATION.finditer(text) for i in (m.start(), m.start(1))}


def _free_singles(text: str, lang: str) -> list[int]:
    """Positions of single quotation marks that are not apostrophes (l'État, п'ять, d'«apaivagament», l’11; in en
    and de also Jones'); a pair around a quotation is two."""
    free, quoting = [], _quotation_marks(text)
    for i, char in enumerate(text):
        if char not in _SINGLE_QUOTES:
            continue
        if i in quoting:
            free.append(i)
            continue
        before, after = text[i - 1 : i], text[i + 1 : i + 2]
        if before.isalpha() and (
            after.isalpha() or (lang in ("en", "de") and before in "sxzß" and not after.isalnum())
        ):
            continue
        if lang == "en" and after.isdigit() and not before.isalnum():  # ’90s
            continue
        if before == "." and after == "s" and not text[i + 2 : i + 3].isalnum():  # the U.K.’s plan
            continue
        if before.isalpha() and after and after in _OPENING_QUOTES:  # d’«apaivagament», l’“État”: an elision
            continue
        if before.isalpha() and after.isdigit():  # l’1 de desembre, l’11 de setembre: an elision before a day
            continue
        free.append(i)
    return free


_NUMBER_SEPARATOR = re.compile(r"(?<=\d)[.,](?=\d)")


def _punctuation_problems(source: str, translated: str, lang: str) -> Iterator[tuple[str, str]]:
    if _is_punctuation(source) and translated.strip() != source.strip():
        yield "punctuation", "the source is only punctuation; the translation must be the same"
        return
    if _start(source, lang) != _start(translated, lang):
        yield "punctuation", f"starts with {_start(translated, lang)!r}, the source with {_start(source, lang)!r}"
    if _end(source, lang) != _end(translated, lang):
        yield "punctuation", f"ends with {_end(translated, lang)!r}, the source with {_end(source, lang)!r}"
    yield from _inner_spacing(source, translated, lang)
    source, translated = _NUMBER_SEPARATOR.sub("", source), _NUMBER_SEPARATOR.sub("", translated)  # 3,4 is no comma
    source, translated = _unstop(source), _unstop(translated)  # U.S. is EE. UU.: an abbreviation's spelling
    for mark in ",.;:!?":
        if source.count(mark) and source.count(mark) == translated.count(mark):
            spaced = source.count(mark + " "), translated.count(mark + " ")
            moved = abs(spaced[0] - spaced[1]) == 1 and source.endswith(mark) != translated.endswith(mark)
            if spaced[0] != spaced[1] and not moved:
                yield "punctuation", f"the space after '{mark}' is not as in the source"
                break


_DOTTED = re.compile(r"(?<![\w.])(?:[^\W\d_]{1,3}\.[ \u00a0]?){2,}")  # U.S., EE. UU., p. ej., e.g.


def _unstop(text: str) -> str:
    """The text with the periods and inner spaces of dotted abbreviations taken out (EE. UU. → EEUU)."""
    return _DOTTED.sub(lambda m: re.sub(r"[.\s]", "", m.group()) + (" " if m.group()[-1].isspace() else ""), text)


_OPENERS, _CLOSERS = "«“„‘‹([{¿¡", "»”’›)]}"


def _inner_spacing(source: str, translated: str, lang: str) -> Iterator[tuple[str, str]]:
    """A space inside quotation marks, brackets or ¿ ¡ the source does not have: «␣Nos vamos», (␣unos »
    (pofilter's puncspacing and startpunc); French sets a no-break space inside « », not a space."""
    french = "«»" if _facts(lang).style.french_punctuation else ""
    after = [m for m in _OPENERS if m not in french and translated.count(m + " ") > source.count(m + " ")]
    before = [m for m in _CLOSERS if m not in french and translated.count(" " + m) > source.count(" " + m)]
    if after:
        yield "punctuation", "a space after the opening " + ", ".join(f"'{m}'" for m in after)
    if before:
        yield "punctuation", "a space before the closing " + ", ".join(f"'{m}'" for m in before)


def _start(text: str, lang: str) -> str:
    """The punctuation a sentence starts with (Spanish ¿ ¡ aside)."""
    lead = re.match(r"[\W_]*", text.replace("\u00a0", " ")).group()
    return "".join(c for c in lead if _is_mark(c) and not (lang == "es" and c in "¿¡"))


def _end(text: str, lang: str) -> str:
    """The end punctuation of a sentence, with the spaces among it (pofilter's endpunc), French spacing aside."""
    tail = re.search(rf"[{re.escape(_END_PUNCTUATION)}\s]*$", text.rstrip().replace("\u00a0", " ")).group()
    spaced = _FRENCH_SPACED if _facts(lang).style.french_punctuation else ""
    return re.sub(rf"\s+(?=[{re.escape(spaced)}])", "", tail) if spaced else tail


def _is_mark(char: str) -> bool:
    return unicodedata.category(char).startswith("P")


def _is_punctuation(text: str) -> bool:
    return bool(text.strip()) and not any(c.isalnum() for c in text)


def _first(text: str) -> str:
    """The first letter or digit."""
    found = re.search(r"[^\W_]", text)
    return found.group() if found else ""


def _edges(text: str) -> tuple:
    return re.match(r"\s*", text).group(), re.search(r"\s*$", text).group(), text.count("\n"), text.count("\t")


def _count(text: str, marks: str) -> int:
    return sum(text.count(mark) for mark in marks)


def _number_problems(source: str, translated: str, lang: str) -> Iterator[tuple[str, str]]:
    """Every number and amount of the source in the translation by value, scale words included: "£3.4bn" as
    "3,4 billones" (10¹² in Spanish) is missing 3400000000 and has 3400000000000, a factor of 1,000 off. An ISO
    date the translation writes out (2026-09-30: el 30 de septiembre de 2026) counts by its day and year; its month
    is the date check's."""
    source = ISO_DATE.sub(lambda m: m.group() if m.group() in translated else f"{int(m['day'])} {m['year']}", source)
    wanted, got = source_amounts(source), translation_amounts(translated, lang, source)
    got += roman_centuries(source, translated)  # "siglo XXI" for the source's "21st century"
    if wanted != got:
        lacking, extra = list((wanted - got).elements()), list((got - wanted).elements())
        text = f"missing {_listed(lacking)}; extra {_listed(extra)}"
        factors = sorted(filter(None, (_scale_slip(a, b) for a in lacking for b in extra)))
        if factors:
            text += f" (off by a factor of {factors[0]:,}: a scale word or a separator)"
        yield "numbers", text
    missing, extra = currency_problems(source, translated, lang)
    if missing or extra:
        said = [f"missing {', '.join(missing)}" if missing else "", f"extra {', '.join(extra)}" if extra else ""]
        yield "numbers", "currency of an amount: " + "; ".join(filter(None, said))


def _date_problems(source: str, translated: str, lang: str) -> Iterator[tuple[str, str]]:
    """Every date of the source with its month named as the language names it; no English month name left."""
    lost = [written for written, month in source_dates(source) if not names_month(translated, lang, month)]
    if lost:
        yield "date", "the month is not named as the language names it: " + ", ".join(map(repr, lost))
    left = english_months_left(translated, lang)
    if left:
        yield "date", "an English month name is left: " + ", ".join(map(repr, left))
    yield from _day_form_problems(translated, language(lang))


_DAY_BEFORE_MONTH = re.compile(
    r"(?<![\w’'])(?:(?P<article>[Ee]l|[Ll]e|[Dd]el|[Aa]l) )?(?P<day>\d{1,2}) (?P<month>(?:de |d[’'])?\w+)"
)


def _day_form_problems(translated: str, entry: Language) -> Iterator[tuple[str, str]]:
    """A day written against the language's dates: ca el 1 de març (l’1), fr le 1 mars (le 1er mars)."""
    for match in _DAY_BEFORE_MONTH.finditer(translated):
        day, article = int(match.group("day")), match.group("article")
        if month_named(match.group("month"), entry.code) is None:
            continue
        elided = entry.date_elisions.get((article or "").lower())
        if elided and day in entry.vowel_days:
            yield "date", f"{match.group()!r}: the article elides before the day: {elided}{day}"
        elif entry.first_day and day == 1:
            yield "date", f"{match.group()!r}: the first of the month is written {entry.first_day}"


# English structure an engine lets through: a possessive ("Russia’s fleet", "los bancos’ clientes"), and the
# English abbreviations every other language writes otherwise (U.K. is R. U., e.g. is p. ej., z. B., напр.).
_ENGLISH_POSSESSIVE = re.compile(r"\w+['’]s(?!\w)|\w+['’](?=\s+\w)")
_ENGLISH_ABBREVIATION = re.compile(r"(?<![\w.])(?:U\.S|U\.K|U\.N|e\.g|i\.e)\.", re.IGNORECASE)  # l'U.k. too


def _english_structure(translated: str, lang: str) -> Iterator[tuple[str, str]]:
    """An English possessive apostrophe or an English abbreviation left in a translation (a single quotation
    mark that closes a quotation is no possessive)."""
    if lang == "en":
        return
    quoting = _quotation_marks(translated)
    possessives = [
        m.group()
        for m in _ENGLISH_POSSESSIVE.finditer(translated)
        if translated.count("‘", 0, m.start()) <= translated.count("’", 0, m.start())  # no quotation open
        and not quoting.intersection(range(m.start(), m.end()))  # 'noticioso' seguro: it closes a quotation
    ]
    if possessives:
        yield "english-structure", "an English possessive is left: " + ", ".join(map(repr, possessives))
    abbreviations = _ENGLISH_ABBREVIATION.findall(translated)
    if abbreviations:
        yield "english-structure", "an English abbreviation is left: " + ", ".join(map(repr, abbreviations))


def _listed(values: list[Decimal | str]) -> str:
    """Values as plain numbers (3400000000, not 3.4E+9), sorted; "none" for none."""
    return ", ".join(sorted(format(v, "f") if isinstance(v, Decimal) else v for v in values)) or "none"


def _scale_slip(wanted: Decimal | str, got: Decimal | str) -> int:
    """The factor (1,000, 10⁶ or 10⁹) between two values that differ by one (a billón for a billion, 1,4 for
    1,400); 0 for others."""
    if not isinstance(wanted, Decimal) or not isinstance(got, Decimal) or not wanted or not got:
        return 0
    ratio = max(abs(wanted), abs(got)) / min(abs(wanted), abs(got))
    return next((1000**n for n in (1, 2, 3) if ratio == 1000**n), 0)


def _length_problems(source: str, translated: str) -> Iterator[tuple[str, str]]:
    wanted, got = len(source.strip()), len(translated.strip())
    extreme = got < wanted * 0.1 or wanted < got * 0.1 or (wanted > 1 and got == 1) or (wanted == 1 and got > 1)
    if extreme or (wanted >= _MIN_LENGTH and not LENGTH_RANGE[0] <= got / wanted <= LENGTH_RANGE[1]):
        yield "length", f"{got / wanted:.1f}× the source's length"


@lru_cache(maxsize=50_000)
def _dictionary_name(lang: str, word: str) -> bool:
    """Whether the dictionary lists ``word`` capitalised (a name: Rusia, Estados Unidos) or does not know it at all
    (a name it lacks: Kremlin); False for a word it knows only in lower case (barcos, ministro), or in capitals."""
    if word.isupper() and len(word) > 1:
        return not knows(lang, word.lower())
    forms = list(dictionary(lang).lookuper.good_forms(word))
    return not forms or any(form.stem[:1].isupper() for form in forms)


def split_glued(token: str, lang: str) -> tuple[str, ...]:
    """Two words the dictionary knows that ``token`` is made of, else three, or () (longest first part first).

    Each part has a vowel and two letters at least, or is one of the language's
    one-letter words ("Dochodyz" → "Dochody z"), so that abbreviations the
    dictionary lists ("ms", "tv") do not make a word look glued.
    """
    cuts = range(len(token) - 1, 0, -1)
    for cut in cuts:
        if _is_word(token[:cut], lang) and _is_word(token[cut:], lang):
            return token[:cut], token[cut:]
    for cut in cuts:
        head, rest = token[:cut], token[cut:]
        if _is_word(head, lang):
            for second in range(len(rest) - 1, 0, -1):
                if _is_word(rest[:second], lang) and _is_word(rest[second:], lang):
                    return head, rest[:second], rest[second:]
    return ()


def _is_word(part: str, lang: str) -> bool:
    if len(part) == 1:
        return part.lower() in _facts(lang).one_letter_words
    return bool(_VOWEL.search(part)) and knows(lang, part)


@lru_cache(maxsize=200_000)
def knows(lang: str, word: str) -> bool:
    """Whether the language's hunspell dictionary knows ``word``; every word, where QA has no dictionary of the
    language (:func:`missing_dictionary` says so once, and the spelling checks find nothing)."""
    return missing_dictionary(lang) is not None or bool(dictionary(lang).lookup(word))


@cache
def missing_dictionary(lang: str) -> Diagnostic | None:
    """The one warning for a language whose hunspell dictionary QA cannot read (unknown or not installed): its
    spelling checks (glued words, words left in the source language) are left out, every other check runs. None
    when the dictionary is there."""
    try:
        dictionary(lang)
    except PressError as error:
        message = f"{error.message}: the spelling checks of '{lang}' are left out"
        return Diagnostic(error.path or HUNSPELL, None, WARNING, "dictionary", message, error.fix, lang)
    return None


@cache
def dictionary(lang: str) -> Dictionary:
    """The Debian hunspell dictionary of ``lang``, read by spylls; a missing one is an error with its package."""
    name = DICTIONARIES.get(lang)
    if name is None:
        raise PressError(
            HUNSPELL, None, f"no hunspell dictionary is known for '{lang}'", "add it to tools/languages/__init__.py"
        )
    if not (HUNSPELL / f"{name}.dic").is_file():
        package = PACKAGES.get(lang, f"hunspell-{lang}")
        raise PressError(
            HUNSPELL / f"{name}.dic", None, "the dictionary is not installed", f"apt-get install {package}"
        )
    return Dictionary.from_files(str(HUNSPELL / name))


def read_words(path: Path) -> frozenset[str]:
    """A project word list (a word a line, ``#`` comments, blank lines), lower case; none when there is no file.
    A line of two words, or of no letter, is one error naming its line."""
    if not path.is_file():
        return frozenset()
    words = set()
    for number, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), start=1):
        word = line.split("#", 1)[0].strip()
        if not word:
            continue
        if not _WORD.fullmatch(word):
            raise PressError(path, number, f"{word[:40]!r} is not one word", "write one word a line (# for a comment)")
        words.add(word.lower())
    return frozenset(words)


def _set_findings(entry: polib.POEntry, problems: list[tuple[str, str]]) -> bool:
    """Replace the entry's ``#. qa:`` lines with ``problems``; True if that changed it."""
    kept = [line for line in (entry.comment.split("\n") if entry.comment else []) if not line.startswith(QA)]
    comment = "\n".join(kept + [f"{QA}{kind}: {_one_line(message)}" for kind, message in problems])
    if comment == entry.comment:
        return False
    entry.comment = comment
    return True


def _one_line(text: str) -> str:
    return " ".join(text.split())


def msgstr_lines(path: Path) -> dict[str, int]:
    """The line of each live entry's ``msgstr`` in the file as it is on disk, by sentence."""
    lines = path.read_text(encoding="utf-8").split("\n")
    po = polib.pofile("\n".join(lines), wrapwidth=0)
    where = {}
    for entry in po:
        if entry.obsolete or not entry.linenum:
            continue
        number = entry.linenum
        while number <= len(lines) and not lines[number - 1].startswith("msgstr"):
            number += 1
        where[entry.msgid] = number
    return where
