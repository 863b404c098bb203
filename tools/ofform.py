"""An English sentence in the "of" form, for an engine into a language that puts owners and measures after the noun.

Engines into Spanish and Catalan mangle what English puts before a noun: Apertium left
"los aliados' gobiernos" for "the allies' governments", kept the English possessive
after a locked term ("⟦T1⟧'s tankers") and glued "a 1,600-kilometre border" into
"un bordede1,600 kilómetros". What it translates well is the "of" form, so for a
language whose :mod:`tools.languages.factwords` entry says ``of_form``, the sentence the
engine sees is rewritten first (never the memory's msgid, which stays the source):

    Russia's shadow fleet          → the shadow fleet of Russia
    The shadow fleet's tankers     → The tankers of the shadow fleet
    the allies' governments        → the governments of the allies
    a 1,600-kilometre border       → a border of 1,600-kilometre   (the measure is locked)
    a $2bn-a-year fund             → a fund of $2bn per year
    2.3 million barrels a day      → 2.3 million barrels per day   (not "un día", one day)
    the U.K., e.g., i.e.           → the United Kingdom, for example, that is to say   (Apertium knows no "U.K.")
    Prof. Baker, Col. Smith        → Professor Baker, Colonel Smith   (nor "Prof.": it ended the sentence there)

Only where the phrases' bounds are certain: the owner is a locked term, a proper
noun, a noun after a determiner, or a plural in s'; what it owns is a locked term,
or one or two words followed by a clear end of the noun phrase (punctuation, a function
word, a verb in -ed or an irregular past, a plural noun's verb, a singular noun's verb in -s
before a number or a function word). Anything else stays as written,
and QA reports the possessive an engine leaves.
"""

from __future__ import annotations

import re

from tools.languages import language
from tools.languages.abbreviations import ENGLISH_TITLES_WRITTEN_OUT
from tools.languages.factwords import DETERMINERS, ENGLISH_UNITS, FUNCTION_WORDS, NOT_OWNERS, PHRASE_ENDS, VERBS

_POSSESSIVE = re.compile(r"(?<=\w)['’]s(?!\w)|(?<=\ws)['’](?!\w)|(?<=[A-Z]\.[A-Z]\.)['’]s(?!\w)")  # the U.K.'s share
_LONGEST = 64  # characters of a word, and the spaces before it
_WORD_BEFORE = re.compile(r"([\w.’'-]*\w\.?)\s*$")
_WORD = re.compile(r"\s+([a-z][a-z-]*[a-z])(?![\w'’])")
_FIRST_WORD = re.compile(r"\s+([A-Za-z][a-z-]*[a-z]|[A-Z]{2,})(?![\w'’])")  # "Gazprom's Baltic pipeline", "NATO allies"
_AFTER_VERB = re.compile(r"\s+(?:[\d$€£⟦]|(\w+))")
_NEXT = re.compile(r"\s*(\S?)([A-Za-z]*)")
_UNITS = "|".join(sorted(ENGLISH_UNITS, key=len, reverse=True))
_MEASURE = re.compile(
    r"(?<![\w.,-])(?P<measure>[$€£]?\d[\d,]*(?:\.\d+)?"
    rf"(?:(?:k|m|mn|bn|tn|\s(?:thousand|million|billion|trillion))-a-(?P<per>year|month|week|day)|-(?:{_UNITS})))"
    r"(?=\s)"
)


def of_form(sentence: str, lang: str, terms: list[tuple[int, int]], keep: list[tuple[int, int]] = ()) -> str:
    """``sentence`` with its possessives and measure compounds in the "of" form where ``lang`` wants it;
    ``terms``: the spans of its locked terms and names (an owner or a thing owned whose bounds are known);
    ``keep``: spans no rewriting may touch (code, URLs: a sentence with one is left as it is)."""
    facts = language(lang).facts
    if facts is None or not facts.of_form or keep:
        return sentence
    return _abbreviations(_rates(_measures(_possessives(sentence, terms))))


def _possessives(sentence: str, terms: list[tuple[int, int]]) -> str:
    """Each possessive whose owner and owned noun are certain, right to left (the spans before stay valid)."""
    limit = len(sentence)
    for match in reversed(list(_POSSESSIVE.finditer(sentence))):
        owner = _owner(sentence, match.start(), terms)
        owned = _owned(sentence, match.end(), terms)
        if owner is None or owned is None or owned[1] > limit:
            continue
        start, end = owner[0], owned[1]
        owner_text = sentence[owner[0] : match.start()]
        at_start = start < 8 and not sentence[:start].strip("\"'“‘«( ")
        if at_start and owner_text.split(" ", 1)[0] in ("The", "A", "An"):
            owner_text = owner_text[0].lower() + owner_text[1:]
        the = "The" if at_start and sentence[start].isupper() else "the"
        rewritten = f"{the} {sentence[owned[0] : owned[1]]} of {owner_text}"
        sentence = sentence[:start] + rewritten + sentence[end:]
        limit = start
    return sentence


def _owner(sentence: str, end: int, terms: list[tuple[int, int]]) -> tuple[int, int] | None:
    """Where the owner before a possessive at ``end`` starts (with its determiner); None when it is uncertain."""
    term = next((start for start, stop in terms if stop == end), None)
    if term is not None:
        start = term
    else:
        words = _words_before(sentence, end)
        if not words:
            return None
        proper = _proper_run(words)
        if proper and proper[0][1].lower() in NOT_OWNERS:
            return None  # "It's", "That's": a contraction
        if proper and not (len(proper) == 1 and proper[0][1] in ("The", "A", "An")):
            start = proper[-1][0]
        elif words[0][1].islower() and words[0][1].lower() not in NOT_OWNERS | PHRASE_ENDS:
            start = words[0][0]
            plural = sentence[end - 1 : end] == "s" and sentence[end : end + 1] in ("'", "’")
            if len(words) < 2 or words[1][1].lower() not in DETERMINERS:
                alone = (
                    len(words) < 2 or words[1][1].lower() in PHRASE_ENDS
                )  # "as allies' sanctions", not "deal makers'"
                return (start, end) if plural and alone else None
        else:
            return None
    before = _words_before(sentence, start)
    proper = sentence[start].isupper() and term is None
    if before and (before[0][1].lower() == "the" if proper else before[0][1].lower() in DETERMINERS):
        start = before[0][0]  # "the United States", but not "his Russia"
    return start, end


def _words_before(sentence: str, end: int) -> list[tuple[int, str]]:
    """The words before ``end``, nearest first, with where each starts (up to five)."""
    words, position = [], end
    while len(words) < 5:
        window = max(0, position - _LONGEST)  # a search from the start would make many possessives quadratic
        match = _WORD_BEFORE.search(sentence, window, position)
        if not match or (match.start(1) == window > 0):
            break  # no word, or one longer than any English word
        words.append((match.start(1), match.group(1)))
        position = match.start(1)  # punctuation between two words ends the search: the pattern needs spaces
    return words


def _proper_run(words: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """The capitalised words right before a possessive (Xi Jinping, U.S.), nearest first."""
    run = []
    for start, word in words:
        if not word[0].isupper():
            break
        run.append((start, word))
    return run


def _owned(sentence: str, start: int, terms: list[tuple[int, int]]) -> tuple[int, int] | None:
    """The noun phrase a possessive at ``start`` owns: a term, or one or two words before a clear end; None when
    its end is uncertain."""
    if sentence[start : start + 1] != " " or sentence[start + 1 : start + 2] == " ":
        return None
    term = next((stop for first, stop in terms if first == start + 1), None)
    if term is not None:
        return start + 1, term
    return _noun_phrase(sentence, start)


def _noun_phrase(sentence: str, start: int) -> tuple[int, int] | None:
    """One or two words from ``start`` (lower case after the first) whose end is certain (the first of two not a
    plural)."""
    first = _FIRST_WORD.match(sentence, start)
    if first is None or first.group(1).lower() in PHRASE_ENDS:
        return None
    word = first.group(1)
    if _ends_phrase(sentence, first.end(), word) or (not _plural(word) and _verb_at(sentence, first.end())):
        return first.start(1), first.end()
    second = _WORD.match(sentence, first.end())
    if second is None or second.group(1) in PHRASE_ENDS or _plural(word):
        return None  # "sanctions bite": a plural's verb may follow it
    if _plural(second.group(1)) and not _past_at(sentence, second.end()) and not _stop_at(sentence, second.end()):
        return None  # "budget counts": a verb in -s, unless a verb or a full stop follows ("oil exports fell.")
    if _ends_phrase(sentence, second.end(), second.group(1)):
        return first.start(1), second.end()
    return None


def _stop_at(sentence: str, start: int) -> bool:
    """Whether a sentence's end or a comma follows at ``start``."""
    return sentence[start : start + 1] in ("", ".", ",", ";", ":", "!", "?")


def _past_at(sentence: str, start: int) -> bool:
    """Whether the word at ``start`` is a verb this module knows (an auxiliary, an irregular past, one in -ed)."""
    word = _WORD.match(sentence, start)
    return bool(word) and (word.group(1) in VERBS or (word.group(1).endswith("ed") and len(word.group(1)) > 3))


def _verb_at(sentence: str, start: int) -> bool:
    """Whether the word at ``start`` is a verb in -s after a singular noun: "pipeline loses 90", "budget counts on"
    (followed by a number, a placeholder or a function word; "oil exports fell" has a noun there)."""
    word = _WORD.match(sentence, start)
    if word is None or not _plural(word.group(1)):
        return False
    after = _AFTER_VERB.match(sentence, word.end())
    return bool(after) and (after.group(1) is None or after.group(1).lower() in FUNCTION_WORDS)


def _ends_phrase(sentence: str, end: int, last: str) -> bool:
    """Whether the noun phrase ending at ``end`` with the word ``last`` certainly ends there."""
    following = _NEXT.match(sentence, end)
    mark, word = following.group(1), following.group(2)
    if not mark:
        return True  # the end of the sentence
    if not mark.isalpha():
        return mark not in "-'’"
    word = mark + word
    if word in PHRASE_ENDS or (word.endswith("ed") and len(word) > 3 and word.islower()):
        return True
    return _plural(last) and word.islower() and not word.endswith("s")  # "the banks' clients move": a plural's verb


def _plural(word: str) -> bool:
    """Whether an English word ends as a plural noun (or a verb of the third person) does."""
    return word.endswith("s") and not word.endswith(("ss", "ous", "us", "is"))


def _measures(sentence: str) -> str:
    """ "a 1,600-kilometre border" → "a border of 1,600-kilometre", "a $2bn-a-year fund" → "a fund of $2bn per year"."""
    for match in reversed(list(_MEASURE.finditer(sentence))):
        noun = _noun_phrase(sentence, match.end())
        if noun is None:
            continue
        measure = match.group("measure")
        if match.group("per"):
            measure = measure.removesuffix(f"-a-{match.group('per')}") + f" per {match.group('per')}"
        sentence = f"{sentence[: match.start()]}{sentence[noun[0] : noun[1]]} of {measure}{sentence[noun[1] :]}"
    return sentence


_RATE = re.compile(
    r"(?<![\w,.])(?!(?:1[89]|20)\d\d\b)(?P<amount>\d[\d,.]*%?(?:\s[\w%$€£-]+){0,3}?)"  # not a year: "in 2024 a year"
    r"\s(?:a|an)\s(?P<per>day|week|month|year|hour)\b(?!\s(?:later|earlier|before|after|ago|or)\b)"
)


def _rates(sentence: str) -> str:
    """ "2.3 million barrels a day" → "2.3 million barrels per day": a rate after a quantity (never "once a day")."""
    return _RATE.sub(lambda m: f"{m.group('amount')} per {m.group('per')}", sentence)


# Abbreviations of an English source the engines into these languages do not know ("el U.K. Es acción"), in
# words they translate; "U.S." stays ("los EE.UU.", "els EUA").
_ABBREVIATIONS = {"U.K.": "United Kingdom", "e.g.": "for example", "i.e.": "that is to say"}  # es decir, és a dir
_ABBREVIATION = re.compile(r"(?<![\w.])(?:U\.K\.|e\.g\.|i\.e\.)(?=[\s,;:)]|$)")


# "Prof. Baker" → "Professor Baker": the titles Apertium does not know, before a name (a capital)
_TITLES = {f"{short}.": whole for short, whole in ENGLISH_TITLES_WRITTEN_OUT.items()}
_TITLE = re.compile(rf"(?<![\w.])(?:{'|'.join(re.escape(t) for t in _TITLES)})(?= (?P<next>[^\W\d_]))")


def _abbreviations(sentence: str) -> str:
    """ "the U.K." → "the United Kingdom", "e.g." → "for example", "i.e." → "that is to say"; "Prof. Baker" →
    "Professor Baker"."""
    sentence = _TITLE.sub(lambda m: _TITLES[m.group()] if m.group("next").isupper() else m.group(), sentence)
    return _ABBREVIATION.sub(lambda m: _ABBREVIATIONS[m.group()], sentence)
