"""What agreement needs of each language, as data (:mod:`tools.grammar` applies it).

Romance determiners, quantifiers and adjectives before a noun by gender and
number (es, fr, ca); German determiners by gender and case; the cases each
preposition governs (uk, ru, pl, de). The registry names each language's
:class:`Grammar`; a language with no agreement has :data:`NO_AGREEMENT`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

CASES = ("nom", "gen", "dat", "acc", "ins", "loc")

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
_ES_ADJECTIVES |= _paradigms(
    "primer primera primeros primeras, último última últimos últimas, gran gran grandes grandes"
)
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
    declension: Mapping[str, str] = field(default_factory=dict)  # german: the adjective declension after a kind


# One grammar per language that has one; the registry (tools/languages/__init__.py) names each language's.
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
GERMAN = Grammar("german", ("m", "f", "n"), ("nom", "gen", "dat", "acc"), _DE, _DE_PREPOSITIONS, declension=_DE_ARTICLE)
UKRAINIAN = Grammar("cases", ("m", "f", "n"), CASES, prepositions=_UK_PREPOSITIONS)
RUSSIAN = Grammar("cases", ("m", "f", "n"), CASES, prepositions=_RU_PREPOSITIONS)
POLISH = Grammar("cases", ("m", "f", "n"), CASES, prepositions=_PL_PREPOSITIONS)
