"""Per-language grammar for putting a locked term back into a translated sentence.

The engine translated the sentence around a placeholder; the term comes back
in the form its neighbours ask for, from the term base's forms (never
generated here):

- es, fr, ca, de: the determiner or contraction just before it (skipping an
  opening quote) takes the term's gender and number (es el/la/los/las,
  del/de la, al/a la; fr le/la/l'/les, du/de la/de l'/des, au/à la/aux; ca
  el/la/l'/els/les, del/dels, al/als, pel/pels, d'; de der/die/das/den/dem/des,
  ein…, im/zum/zur/…, with its case kept);
- uk, ru, pl (and de after an article): the case the preposition before it
  governs picks the case form.

What the tables cannot decide (a preposition that governs two cases whose
forms differ, ``des`` before a singular term, a French word starting with
``h``, a missing form) leaves the engine's text as it was and says why in a
finding: never a guess.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache

CASES = ("nom", "gen", "dat", "acc", "ins", "loc")
_OPENING = '«“„"‘‹'
_APOSTROPHES = "'’"

# Romance determiners: a paradigm per kind, by gender.number; "elided" is the form before a vowel.
_ES = {  # "elided": the form before a stressed a (el agua, un águila), which the tables cannot tell
    "def": {"m.sg": "el", "f.sg": "la", "m.pl": "los", "f.pl": "las", "elided": "el"},
    "indef": {"m.sg": "un", "f.sg": "una", "m.pl": "unos", "f.pl": "unas", "elided": "un"},
    "de+def": {"m.sg": "del", "f.sg": "de la", "m.pl": "de los", "f.pl": "de las", "elided": "del"},
    "a+def": {"m.sg": "al", "f.sg": "a la", "m.pl": "a los", "f.pl": "a las", "elided": "al"},
    "este": {"m.sg": "este", "f.sg": "esta", "m.pl": "estos", "f.pl": "estas"},
    "ese": {"m.sg": "ese", "f.sg": "esa", "m.pl": "esos", "f.pl": "esas"},
    "aquel": {"m.sg": "aquel", "f.sg": "aquella", "m.pl": "aquellos", "f.pl": "aquellas"},
    "nuestro": {"m.sg": "nuestro", "f.sg": "nuestra", "m.pl": "nuestros", "f.pl": "nuestras"},
    "su": {"m.sg": "su", "f.sg": "su", "m.pl": "sus", "f.pl": "sus"},
    "alguno": {"m.sg": "algún", "f.sg": "alguna", "m.pl": "algunos", "f.pl": "algunas"},
    "ninguno": {"m.sg": "ningún", "f.sg": "ninguna", "m.pl": "ningunos", "f.pl": "ningunas"},
}
_FR = {
    "def": {"m.sg": "le", "f.sg": "la", "m.pl": "les", "f.pl": "les", "elided": "l'"},
    "indef": {"m.sg": "un", "f.sg": "une", "m.pl": "des", "f.pl": "des"},
    "de+def": {"m.sg": "du", "f.sg": "de la", "m.pl": "des", "f.pl": "des", "elided": "de l'"},
    "à+def": {"m.sg": "au", "f.sg": "à la", "m.pl": "aux", "f.pl": "aux", "elided": "à l'"},
    "ce": {"m.sg": "ce", "f.sg": "cette", "m.pl": "ces", "f.pl": "ces", "elided m": "cet"},
    "son": {"m.sg": "son", "f.sg": "sa", "m.pl": "ses", "f.pl": "ses", "elided": "son"},
    "notre": {"m.sg": "notre", "f.sg": "notre", "m.pl": "nos", "f.pl": "nos"},
    "leur": {"m.sg": "leur", "f.sg": "leur", "m.pl": "leurs", "f.pl": "leurs"},
    "de": {"m.sg": "de", "f.sg": "de", "m.pl": "de", "f.pl": "de", "elided": "d'"},
}
_CA = {
    "def": {"m.sg": "el", "f.sg": "la", "m.pl": "els", "f.pl": "les", "elided": "l'"},
    "indef": {"m.sg": "un", "f.sg": "una", "m.pl": "uns", "f.pl": "unes"},
    "de+def": {"m.sg": "del", "f.sg": "de la", "m.pl": "dels", "f.pl": "de les", "elided": "de l'"},
    "a+def": {"m.sg": "al", "f.sg": "a la", "m.pl": "als", "f.pl": "a les", "elided": "a l'"},
    "per+def": {"m.sg": "pel", "f.sg": "per la", "m.pl": "pels", "f.pl": "per les", "elided": "per l'"},
    "aquest": {"m.sg": "aquest", "f.sg": "aquesta", "m.pl": "aquests", "f.pl": "aquestes"},
    "de": {"m.sg": "de", "f.sg": "de", "m.pl": "de", "f.pl": "de", "elided": "d'"},
}


def _paradigms(rows: str) -> dict[str, dict[str, str]]:
    """Paradigms from lines 'm.sg f.sg m.pl f.pl' (a fifth word: the masculine form before a vowel, fr nouvel)."""
    out = {}
    for row in filter(str.strip, rows.split(",")):
        forms = row.split()
        out[forms[0]] = dict(zip(("m.sg", "f.sg", "m.pl", "f.pl", "elided m"), forms))
    return out


# Quantifiers (they stand for a determiner: muchos barcos) and adjectives that go before the noun; both agree with
# the term through up to two words and a quote or tag between (el llamado «…», muchos nuevos …).
_ES_QUANTIFIERS = _paradigms("mucho mucha muchos muchas, vario varia varios varias, poco poca pocos pocas,")
_ES_QUANTIFIERS |= _paradigms(
    "otro otra otros otras, cierto cierta ciertos ciertas, diverso diversa diversos diversas,"
)
_ES_QUANTIFIERS |= _paradigms("tanto tanta tantos tantas, numeroso numerosa numerosos numerosas")
_ES_ADJECTIVES = _paradigms("llamado llamada llamados llamadas, denominado denominada denominados denominadas,")
_ES_ADJECTIVES |= _paradigms("supuesto supuesta supuestos supuestas, nuevo nueva nuevos nuevas,")
_ES_ADJECTIVES |= _paradigms("ruso rusa rusos rusas, mismo misma mismos mismas, propio propia propios propias")
_CA_QUANTIFIERS = _paradigms("molt molta molts moltes, divers diversa diversos diverses, poc poca pocs poques,")
_CA_QUANTIFIERS |= _paradigms(
    "altre altra altres altres, algun alguna alguns algunes, nombrós nombrosa nombrosos nombroses"
)
_CA_ADJECTIVES = _paradigms("anomenat anomenada anomenats anomenades, suposat suposada suposats suposades,")
_CA_ADJECTIVES |= _paradigms("nou nova nous noves, rus russa russos russes, mateix mateixa mateixos mateixes")
_FR_QUANTIFIERS = _paradigms("nombreux nombreuse nombreux nombreuses, certain certaine certains certaines,")
_FR_QUANTIFIERS |= _paradigms(
    "divers diverse divers diverses, quelque quelque quelques quelques, tout toute tous toutes"
)
_FR_ADJECTIVES = _paradigms("nouveau nouvelle nouveaux nouvelles nouvel, russe russe russes russes,")
_FR_ADJECTIVES |= _paradigms("prétendu prétendue prétendus prétendues, même même mêmes mêmes")
# A chain without a determiner after one of these is not the subject (the verb after the term is another's).
_ES_PREPOSITIONS = "a ante bajo con contra de desde durante en entre hacia hasta mediante para por según sin sobre tras"
_CA_PREPOSITIONS = "a amb cap contra de des durant en entre fins malgrat mitjançant per segons sense sobre"
_FR_PREPOSITIONS = (
    "à avec chez contre dans de depuis derrière devant en entre envers malgré par parmi pendant pour sans "
)
_FR_PREPOSITIONS += "selon sous sur vers"


def _german(m: str, f: str, n: str, pl: str | None) -> dict[str, str]:
    """A German determiner paradigm from its forms per gender, each 'nom acc dat gen'."""
    forms = {}
    for gender, row in (("m", m), ("f", f), ("n", n), ("pl", pl)):
        for case, form in zip(("nom", "acc", "dat", "gen"), row.split(" ") if row else ()):
            forms[f"{gender}.{case}"] = form
    return forms


# German determiners by gender (or pl).case; a contraction's paradigm holds only its preposition's cases.
_DE = {
    "def": _german("der den dem des", "die die der der", "das das dem des", "die die den der"),
    "indef": _german("ein einen einem eines", "eine eine einer einer", "ein ein einem eines", None),
    "kein": _german(
        "kein keinen keinem keines", "keine keine keiner keiner", "kein kein keinem keines", "keine keine keinen keiner"
    ),
    "dies": _german(
        "dieser diesen diesem dieses",
        "diese diese dieser dieser",
        "dieses dieses diesem dieses",
        "diese diese diesen dieser",
    ),
    "zu+def": {"m.dat": "zum", "f.dat": "zur", "n.dat": "zum", "pl.dat": "zu den"},
    "von+def": {"m.dat": "vom", "f.dat": "von der", "n.dat": "vom", "pl.dat": "von den"},
    "bei+def": {"m.dat": "beim", "f.dat": "bei der", "n.dat": "beim", "pl.dat": "bei den"},
    "in+def": {"m.acc": "in den", "f.acc": "in die", "n.acc": "ins", "pl.acc": "in die"}
    | {"m.dat": "im", "f.dat": "in der", "n.dat": "im", "pl.dat": "in den"},
    "an+def": {"m.acc": "an den", "f.acc": "an die", "n.acc": "ans", "pl.acc": "an die"}
    | {"m.dat": "am", "f.dat": "an der", "n.dat": "am", "pl.dat": "an den"},
}
_DE_ARTICLE = {
    "def": "definite",
    "indef": "mixed",
    "kein": "mixed",
    "dies": "definite",
}  # adjective declension after it


def _governing_table(rows: dict[str, str]) -> dict[str, tuple[str, ...]]:
    """Prepositions by the cases they govern: {"acc loc": "на о"} → {"на": ("acc", "loc"), "о": (...)}."""
    return {word: tuple(cases.split()) for cases, words in rows.items() for word in words.split()}


# The cases a preposition governs (the forms a term takes after it come from the term base).
_UK_PREPOSITIONS = _governing_table(
    {
        "gen": "до від од без для біля після коло серед щодо проти навколо замість крім окрім протягом упродовж "
        "вздовж уздовж поблизу внаслідок понад",
        "dat": "завдяки всупереч усупереч назустріч",
        "acc": "про через крізь попри",
        "loc": "при",
        "ins": "над перед між",
        "acc ins": "під",
        "acc ins gen": "за",
        "acc loc": "на",
        "acc loc gen": "у в уві ві",
        "loc acc dat": "по",
        "loc acc": "о об",
        "gen ins acc": "з із зі зо",
    }
)
_RU_PREPOSITIONS = _governing_table(
    {
        "gen": "у из изо от ото до без безо для после около против среди вокруг вместо кроме ради возле из-за "
        "из-под насчёт насчет относительно ввиду",
        "dat": "к ко благодаря вопреки согласно навстречу",
        "acc": "про через сквозь",
        "loc": "при",
        "ins": "над надо перед передо между",
        "acc loc": "в во на",
        "loc acc": "о об обо",
        "gen ins acc": "с со",
        "acc ins": "за под подо",
        "dat loc acc": "по",
    }
)
_PL_PREPOSITIONS = _governing_table(
    {
        "gen": "do od ode bez beze dla u wobec wokół podczas według zamiast oprócz koło obok spośród wśród",
        "dat": "ku dzięki przeciw przeciwko wbrew",
        "acc": "przez przeze",
        "loc": "przy",
        "loc acc": "w we na o po",
        "gen ins acc": "z ze",
        "ins acc": "nad nade pod pode przed przede między poza ponad",
        "ins acc gen": "za",
    }
)
_DE_PREPOSITIONS = _governing_table(
    {
        "acc": "durch für gegen ohne um bis",
        "dat": "aus bei mit nach seit von zu gegenüber ab",
        "gen": "wegen während trotz statt anstatt innerhalb außerhalb aufgrund angesichts bezüglich",
        "acc dat": "an auf hinter in neben über unter vor zwischen",
    }
)


@dataclass(frozen=True)
class Grammar:
    """What agreement needs of one language; ``agreement`` says which rules apply.

    ``romance``: the determiner before a term takes its gender and number
    (``determiners``: paradigms by kind, then gender.number); ``german``: the
    determiner takes gender and case (``determiners`` by gender.case), the
    case from the preposition before it; ``cases``: the preposition before a
    term picks its case form. ``cases`` are the forms a term base records
    (the first is the headword's), ``genders`` the genders it may give.
    """

    agreement: str = ""
    genders: tuple[str, ...] = ()
    cases: tuple[str, ...] = ()
    determiners: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    prepositions: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    quantifiers: Mapping[str, Mapping[str, str]] = field(default_factory=dict)  # romance: muchos, varios
    adjectives: Mapping[str, Mapping[str, str]] = field(default_factory=dict)  # romance: before the noun (nuevo)
    subject_after: frozenset[str] = frozenset()  # romance: prepositions after which the term is not a subject


# One grammar per language that has one; tools/languages.py names each language's.
NO_AGREEMENT = Grammar()  # the term is restored as written (English)
SPANISH = Grammar(
    "romance", ("m", "f"), (), _ES, {}, _ES_QUANTIFIERS, _ES_ADJECTIVES, frozenset(_ES_PREPOSITIONS.split())
)
FRENCH = Grammar(
    "romance", ("m", "f"), (), _FR, {}, _FR_QUANTIFIERS, _FR_ADJECTIVES, frozenset(_FR_PREPOSITIONS.split())
)
CATALAN = Grammar(
    "romance", ("m", "f"), (), _CA, {}, _CA_QUANTIFIERS, _CA_ADJECTIVES, frozenset(_CA_PREPOSITIONS.split())
)
GERMAN = Grammar("german", ("m", "f", "n"), ("nom", "gen", "dat", "acc"), _DE, _DE_PREPOSITIONS)
UKRAINIAN = Grammar("cases", ("m", "f", "n"), CASES, prepositions=_UK_PREPOSITIONS)
RUSSIAN = Grammar("cases", ("m", "f", "n"), CASES, prepositions=_RU_PREPOSITIONS)
POLISH = Grammar("cases", ("m", "f", "n"), CASES, prepositions=_PL_PREPOSITIONS)


def grammar_of(lang: str) -> Grammar:
    """The grammar the language registry names for ``lang``; none for a language it does not know."""
    from tools.languages import LANGUAGES  # the registry imports these grammars: looked up when first asked

    entry = LANGUAGES.get(lang)
    return entry.grammar if entry else NO_AGREEMENT


@cache
def _by_language() -> dict[str, dict[str, object]]:
    """The registry's grammars as the tables callers import: CASES_OF, GENDERS_OF, PREPOSITIONS, ROMANCE."""
    from tools.languages import LANGUAGES

    grammars = {code: entry.grammar for code, entry in LANGUAGES.items()}
    return {
        "CASES_OF": {code: g.cases for code, g in grammars.items() if g.cases},
        "GENDERS_OF": {code: g.genders for code, g in grammars.items() if g.genders},
        "PREPOSITIONS": {code: g.prepositions for code, g in grammars.items() if g.prepositions},
        "ROMANCE": {code: g.determiners for code, g in grammars.items() if g.agreement == "romance"},
    }


def __getattr__(name: str) -> dict[str, object]:
    """``CASES_OF``, ``GENDERS_OF``, ``PREPOSITIONS``, ``ROMANCE``: per-language views of the registry's grammars."""
    if name not in ("CASES_OF", "GENDERS_OF", "PREPOSITIONS", "ROMANCE"):
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return _by_language()[name]


@dataclass(frozen=True)
class Word:
    """A locked term or name in one language, as agreement needs it.

    ``cases`` holds its forms in the number to restore (for de: after a
    definite article); ``headword`` is the form given when nothing asks for
    another. ``gender`` is m, f or n (None for a name).
    """

    headword: str
    gender: str | None = None
    plural: bool = False
    cases: Mapping[str, str] = field(default_factory=dict)
    name: bool = False  # a kept name: only determiners that ignore gender (ca, fr de → d') change before it


@dataclass(frozen=True)
class Agreement:
    """The text before the term (its determiner fixed), the term's form, and why nothing was changed, if so."""

    before: str
    form: str
    finding: str | None = None


def agree(lang: str, before: str, word: Word, case: str | None = None) -> Agreement:
    """Fix what precedes ``word`` in ``lang`` and choose its form; ``case`` when already known (a possessive)."""
    grammar = grammar_of(lang)
    if grammar.agreement == "romance":
        return _romance(lang, grammar, before, word)
    if grammar.agreement == "german":
        return _german_agreement(before, word)
    if grammar.prepositions:
        return _by_preposition(lang, before, word, case)
    return Agreement(before, word.headword)


def _romance(lang: str, grammar: Grammar, before: str, word: Word) -> Agreement:
    """Fix the determiner, quantifiers and adjectives before the term (a word, quote or tag between looked through)."""
    chain = _chain(before, grammar)
    if not chain:
        return Agreement(before, word.headword)
    tables = {**grammar.determiners, **grammar.quantifiers, **grammar.adjectives}
    headless = not any(item.head for item in chain) and not _opens_sentence(before[: chain[-1].start])
    out, findings, following = before[chain[0].end :], [], word.headword
    for item in chain:  # nearest the term first: each one's elision depends on the word after it
        form, finding = _item_form(lang, tables, item, word, following)
        if form is not None and headless and _key(form) != _key(item.written):
            form, finding = (
                None,
                f"«{item.written}» before «{word.headword}»: whether it goes with the term is not decidable",
            )
        findings += [finding] if finding else []
        written = item.prefix + (item.written if form is None else _same_case(form, item.prefix + item.written))
        out = (
            written + item.gap if form is None else item.prefix + _joined(written[len(item.prefix) :], item.gap)
        ) + out
        following = written
    return Agreement(before[: chain[-1].start] + out, word.headword, "; ".join(findings) or None)


def _item_form(lang: str, tables: Mapping[str, Mapping[str, str]], item: _Found, word: Word, following: str):
    """The form of one word of the chain for ``word``, or None and why not (None and no finding: leave it)."""
    where = f"«{item.written}» before «{word.headword}»"
    kinds = [kind for kind in item.kinds if word.gender or _ignores_gender(tables[kind])]
    if not kinds:
        return None, None if word.name else f"{where}: its gender is not in the term base"
    elision = _elides(lang, Word(following, word.gender))
    key = f"{word.gender or 'm'}.{'pl' if word.plural else 'sg'}"
    proposals = {_romance_form(tables[kind], key, elision, word.gender or "m") for kind in kinds}
    if None in proposals:
        return None, f"{where}: whether it elides is not decidable"
    if len(proposals) != 1:
        return None, f"{where}: {' or '.join(sorted(proposals))} not decidable"
    return proposals.pop(), None


def _opens_sentence(text: str) -> bool:
    """Nothing but opening quotes, brackets or tags before, or the end of a sentence."""
    text = re.sub(r"<[^<>]*>", "", text).rstrip().rstrip(_OPENING + "([").rstrip()
    return not text or text[-1] in ".!?…:"


def _ignores_gender(table: Mapping[str, str]) -> bool:
    """A determiner whose forms are the same in both genders (fr, ca de/d'; es su/sus)."""
    return table["m.sg"] == table["f.sg"] and table["m.pl"] == table["f.pl"] and "elided m" not in table


def _romance_form(table: Mapping[str, str], key: str, elision: bool | None, gender: str) -> str | None:
    """The paradigm's form for gender.number, elided before a vowel; None when elision is not decidable."""
    elided = table.get("elided") or (table.get("elided m") if gender == "m" else None)
    if key.endswith(".pl") or not elided:
        return table[key]
    if elision is None:
        return None
    return elided if elision else table[key]


def _elides(lang: str, word: Word) -> bool | None:
    """Whether a determiner elides before the word (fr, ca); None when its first sound decides and is unknown."""
    first = word.headword[:2].casefold()
    if lang == "es":  # only a feminine word's stressed a takes el; whether the a is stressed is not known
        return None if word.gender == "f" and first.startswith(("a", "á", "ha", "há")) else False
    vowel = "aeiouyàâäéèêëîïôöùûüœæíóú"
    if lang == "fr":
        return None if first.startswith("h") else first[:1] in vowel
    first = first.removeprefix("h")
    if word.gender == "f" and first[:1] in "iuíúïü":
        return None  # la before an unstressed i or u, l' before a stressed one
    return first[:1] in vowel


def _german_agreement(before: str, word: Word) -> Agreement:
    found = _determiner(before, _DE)
    if found is None:
        return Agreement(before, word.headword)  # without an article the declension is strong: not in the term base
    where = f"«{found.written}» before «{word.headword}»"
    gender = "pl" if word.plural else word.gender
    if gender is None:
        return Agreement(before, word.headword, None if word.name else f"{where}: its gender is not in the term base")
    governed = _governing(before[: found.start], "de")
    options = set()
    for kind in found.kinds:
        table = _DE[kind]
        readings = [key.split(".") for key, form in table.items() if _key(form) == _key(found.written)]
        cases = {case for _, case in readings if governed is None or case in governed}
        agreeing = {case for g, case in readings if g == gender and case in cases}
        for case in agreeing or cases:
            options.add((table.get(f"{gender}.{case}"), _german_form(word, case, _DE_ARTICLE.get(kind, "definite"))))
    if len(options) != 1 or None in next(iter(options)):
        return Agreement(before, word.headword, f"{where}: the case is not decidable")
    determiner, form = options.pop()
    return Agreement(before[: found.start] + _joined(_same_case(determiner, found.written), found.gap), form)


def _german_form(word: Word, case: str, declension: str) -> str | None:
    """The term's form after a definite (weak) or an indefinite (mixed) determiner; None when not in the term base."""
    strong = case == "nom" or (case == "acc" and word.gender == "n" and not word.plural)
    if declension == "mixed" and strong:
        return word.headword
    return word.cases.get(case) or (word.headword if case == "nom" else None)


def _by_preposition(lang: str, before: str, word: Word, known_case: str | None) -> Agreement:
    governed = _governing(before, lang)
    cases = tuple(governed) if governed else ((known_case,) if known_case else ())
    if not cases:
        return Agreement(before, word.headword)
    forms = {word.cases.get(case) for case in cases}
    if len(forms) == 1 and None not in forms:
        return Agreement(before, forms.pop())
    preposition = _last_word(before)
    if None in forms and len(cases) == 1:
        return Agreement(before, word.headword, f"no {cases[0]} form of «{word.headword}» in the term base")
    return Agreement(
        before, word.headword, f"«{preposition}» before «{word.headword}»: {'/'.join(cases)} not decidable"
    )


def _governing(before: str, lang: str) -> tuple[str, ...] | None:
    """The cases the preposition just before (an opening quote skipped) governs, or None if there is none."""
    word = _last_word(before)
    return grammar_of(lang).prepositions.get(word.casefold()) if word else None


def _last_word(before: str) -> str:
    text = before.rstrip().rstrip(_OPENING).rstrip()
    match = re.search(r"[\w-]+$", text)
    return match.group() if match else ""


@dataclass(frozen=True)
class _Found:
    """A word before the term: where it starts, as written, its paradigms, what follows it, what Apertium glued
    before it (tan-llamado), and whether it is a determiner or quantifier (else an adjective)."""

    start: int
    written: str
    kinds: tuple[str, ...]
    gap: str
    prefix: str = ""
    head: bool = True

    @property
    def end(self) -> int:
        return self.start + len(self.prefix) + len(self.written) + len(self.gap)


_GAP = rf"(?:\s|[{_OPENING}]|<[^<>]*>)*"  # between a word and the term: spaces, opening quotes, inline tags


def _determiner(
    before: str, tables: Mapping[str, Mapping[str, str]], gap: str = rf"\s*[{_OPENING}]?\s*"
) -> _Found | None:
    """The determiner ending ``before`` (an opening quote may follow it), or None."""
    forms = sorted({form for table in tables.values() for form in table.values()}, key=len, reverse=True)
    alternatives = "|".join(_pattern(form) for form in forms)
    match = re.search(rf"(?<![\w-])((?:\w+-)*)({alternatives})({gap})$", before, re.IGNORECASE)
    if not match or not (match.group(3) or match.group(2).endswith(tuple(_APOSTROPHES))):
        return None
    key = _key(match.group(2))
    kinds = tuple(kind for kind, table in tables.items() if key in {_key(form) for form in table.values()})
    return _Found(match.start(), match.group(2), kinds, match.group(3), match.group(1))


def _chain(before: str, grammar: Grammar) -> list[_Found]:
    """The determiner, quantifiers and adjectives ending ``before``, nearest first: at most two words that are not
    a determiner, stopping after a determiner or at a word the tables do not know."""
    tables = {**grammar.determiners, **grammar.quantifiers, **grammar.adjectives}
    chain: list[_Found] = []
    rest = before
    while len(chain) < 3:
        found = _determiner(rest, tables, _GAP)
        if found is None:
            break
        determiner = any(kind in grammar.determiners for kind in found.kinds)
        head = determiner or any(kind in grammar.quantifiers for kind in found.kinds)
        if found.prefix and head or determiner is False and len(chain) == 2:
            break
        chain.append(_Found(found.start, found.written, found.kinds, found.gap, found.prefix, head))
        if determiner:
            break
        rest = rest[: found.start]
    return chain


def _pattern(form: str) -> str:
    return "".join("\\s+" if c == " " else f"[{_APOSTROPHES}]" if c in _APOSTROPHES else re.escape(c) for c in form)


def _key(form: str) -> str:
    return " ".join(form.casefold().replace("’", "'").split())


def _joined(determiner: str, gap: str) -> str:
    """The determiner and what followed it (spaces, an opening quote); an elided one takes no space."""
    if determiner.endswith(tuple(_APOSTROPHES)):
        return determiner + gap.strip()
    return determiner + (gap if gap[:1].isspace() else " " + gap)


def _same_case(form: str, written: str) -> str:
    """``form`` with the capital of ``written`` (El → La) and its apostrophe (’ or ')."""
    if "’" in written:
        form = form.replace("'", "’")
    return form[0].upper() + form[1:] if written[:1].isupper() else form


# --- a verb right after a plural term (es, ca): Apertium's own dictionaries of the language analyse and inflect it

# The language's analyser and generator under Apertium's data directory (those of the pair that translates into it).
_MORPHOLOGY = {
    "es": ("apertium-eng-spa/spa-eng.automorf.bin", "apertium-eng-spa/eng-spa.autogen.bin"),
    "ca": ("apertium-eng-cat/cat-eng.automorf.bin", "apertium-eng-cat/eng-cat.autogen.bin"),
}
_VERBS = ("<vblex>", "<vbser>", "<vbhaver>", "<vbmod>", "<vaux>")
_IMPERATIVE = "<imp><p2><sg>"  # navega: also the imperative, which a subject before it rules out
_NEXT_WORD = re.compile(r"((?:\s|[»”\"’›]|<[^<>]*>)*\s(?:<[^<>]*>)*)([^\W\d_][\w-]*)(?:(\s+)([^\W\d_]+))?")


@dataclass(frozen=True)
class Following:
    """The text after the term, its verb made plural where the dictionaries decide it, and why not, if so."""

    after: str
    finding: str | None = None


def agree_verb(lang: str, before: str, after: str, word: Word) -> Following:
    """A third-person singular verb right after a plural term that is a subject takes the plural (es, ca)."""
    grammar = grammar_of(lang)
    match = _NEXT_WORD.match(after)
    if grammar.agreement != "romance" or not word.plural or word.name or not match or not match.group(2).islower():
        return Following(after)
    if not _subject(before, grammar) or lang not in _MORPHOLOGY:
        return Following(after)
    verb = match.group(2)
    readings = _analyse(lang, verb) or ()
    singular = [r for r in readings if r.startswith(_VERBS, r.find("<")) and "<p3><sg>" in r]
    if not singular:
        return Following(after)
    where = f"«{verb}» after «{word.headword}»"
    others = [r for r in readings if r not in singular and _IMPERATIVE not in r]
    if others and not (match.group(4) and any("<inf>" in r for r in _analyse(lang, match.group(4)) or ())):
        return Following(after, f"{where}: a singular verb or another word, not decidable")
    plurals = {_generate(lang, r.replace("<p3><sg>", "<p3><pl>")) for r in singular}
    if len(plurals) != 1 or None in plurals:
        return Following(after, f"{where}: its plural is not decidable")
    return Following(after[: match.start(2)] + plurals.pop() + after[match.end(2) :])


def _subject(before: str, grammar: Grammar) -> bool:
    """Whether the term (with its determiner) may be a subject: no preposition or contraction (del, al) before it."""
    chain = _chain(before, grammar)
    if any(kind not in ("def", "indef") and "+" in kind for item in chain for kind in item.kinds):
        return False
    rest = before[: chain[-1].start] if chain else before
    return _last_word(re.sub(r"<[^<>]*>", " ", rest)).casefold() not in grammar.subject_after


@cache
def _analyse(lang: str, word: str) -> tuple[str, ...] | None:
    """The dictionary's readings of ``word`` (lemma<tag>…); None without the dictionary or when it fails."""
    run = _lt_proc([], _MORPHOLOGY[lang][0], word.casefold().replace("^", "").replace("$", ""))
    if run is None or not run.startswith("^"):
        return None
    readings = run.strip().strip("^$").split("/")[1:]
    return tuple(r for r in readings if not r.startswith(("*", "#", "@")))


@cache
def _generate(lang: str, reading: str) -> str | None:
    """The surface form of a reading; None when the generator does not know it."""
    if "#" in reading or "+" in reading:
        return None
    run = _lt_proc(["-g"], _MORPHOLOGY[lang][1], f"^{reading}$")
    form = run.strip() if run else ""
    return form if form and not form.startswith(("#", "@", "*")) and " " not in form else None


def _lt_proc(options: list[str], dictionary: str, text: str) -> str | None:
    """lttoolbox's lt-proc on one line with one of Apertium's dictionaries; None when it is missing or fails."""
    import subprocess

    from tools.engines.apertium import data_dir

    path = data_dir() / dictionary
    if not path.is_file():
        return None
    try:
        run = subprocess.run(
            ["lt-proc", *options, str(path)], input=text + "\n", capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return run.stdout if run.returncode == 0 else None
