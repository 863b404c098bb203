"""The language registry: every language the toolkit publishes in, one entry each, naming all its facts.

A package with floors of its own. At the bottom, the types and tables, pure
data: the words around an article (:mod:`~tools.languages.words`), the
typography styles (:mod:`~tools.languages.styles`), the agreement grammars
(:mod:`~tools.languages.grammar`), the abbreviations and month names a
sentence does not end at (:mod:`~tools.languages.abbreviations`) and how the
press writes a large amount (:mod:`~tools.languages.amounts`). Above them,
here, the registry: :data:`LANGUAGES`, one :class:`Language` entry per code
naming its tables and holding the short facts (the CLDR locale for numbers
and Plural-Forms by Babel, the search index's word rules, the alphabet
glossaries sort by, the hunspell dictionary QA reads and its Debian package,
from how many digits numbers are grouped). The behaviour that applies them
(``tools/ui.py``, ``tools/grammar.py``, ``tools/segment.py``,
``tools/typography/``, ``tools/numbers.py``, ``tools/glossary/collation.py``)
imports this package, never the other way round.

Adding a language is adding its entry to :data:`LANGUAGES` (and its tables
below, when it needs its own).

One lookup, one rule for a code the registry lacks: :func:`language`. A
language code enters the toolkit at a boundary that checks it against
:data:`CODES` and refuses an unknown one there, naming the file, the line and
the fix (``editions.yml``, the term base, ``mkdocs.yml``'s ``extra.editions``,
``press typeset --lang``). Past the boundary every code is registered, so
:func:`language` has no default: an unknown code is a ValueError naming the
known ones (a bug, never a guess). A language with none of a fact has its
neutral value in its own entry (no agreement, no ordinal months, Latin
letters), not a fallback of the lookup.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from tools.languages import abbreviations, amounts, factwords, grammar, styles, words
from tools.languages.amounts import AmountWords
from tools.languages.factwords import FactWords
from tools.languages.grammar import Grammar
from tools.languages.styles import Style
from tools.languages.words import Words

LATIN = "abcdefghijklmnopqrstuvwxyz"  # the alphabet of a language written in Latin letters that sorts accents as base
HUNSPELL = Path("/usr/share/hunspell")  # where Debian's hunspell packages put the dictionaries entries name


@dataclass(frozen=True, kw_only=True)
class Language:
    """One language's facts; ``code`` is its ISO 639-1 code, the key of :data:`LANGUAGES`.

    ``search`` is the lunr language of the site's search index (None: no
    rules of its own, English ones serve); ``alphabet`` its letters in
    dictionary order (a letter outside it sorts as its base letter);
    ``hunspell`` the dictionary's name in ``/usr/share/hunspell`` and
    ``hunspell_package`` the Debian package that installs it (None: QA has
    none); ``min_grouping`` CLDR's minimumGroupingDigits, which Babel does
    not carry (2: "1400", but "14 000"). For QA: ``script`` the Unicode
    script its words are written in, ``one_letter_words`` its words of one
    letter (others are stray letters), ``repeatable_words`` words that may
    stand twice in a row ("nous nous sommes"). ``scales`` are the words
    that multiply the number before them, each form as written (its value
    as a power of ten; a Spanish *billón* is 10¹², a French *billion* too):
    QA compares amounts by value (3,4 mil millones is 3.4bn, 3,4 billones is
    not), and "de" may join two (ca: milers de milions).
    """

    code: str
    locale: str  # CLDR, as Babel parses it
    style: Style
    words: Words
    grammar: Grammar
    search: str | None
    alphabet: str = LATIN
    hunspell: str | None = None
    hunspell_package: str | None = None
    min_grouping: int = 1
    script: str = "LATIN"
    one_letter_words: str = ""
    repeatable_words: frozenset[str] = frozenset()
    abbreviations: frozenset[str] = abbreviations.ENGLISH  # a period after one ends no sentence
    ordinal_months: frozenset[str] = frozenset()  # month names an ordinal day stands before (am 15. August)
    # words after which a number with a period is an ordinal, not a sentence's end (im 21. Jahrhundert, die 3. Flotte)
    ordinal_after: frozenset[str] = frozenset()
    amounts: AmountWords | None = None  # how its press writes a large amount (tools/languages/amounts.py)
    facts: FactWords | None = None  # its ordinals, centuries, units, the of form (tools/languages/factwords.py)
    date_on: str | None = None  # "on" before a date with a day (es el 3 de marzo, de am 3. März; "": none)
    date_in: str | None = None  # "in" before a month and year (es en enero de 2023; None: the engine's to say)
    # "before", "since", "until", "after" before a date with a day (es antes del 1 de diciembre, de seit dem 3. März)
    date_prepositions: dict[str, str] = field(default_factory=dict, hash=False, compare=False)
    # the words before a date that elide before a day said with a vowel (ca el → l’: l’1 de desembre, de l’11)
    date_elisions: dict[str, str] = field(default_factory=dict, hash=False, compare=False)
    vowel_days: frozenset[int] = frozenset()  # the days whose name starts with a vowel (ca u, onze)
    first_day: str = ""  # the first of a month as the language writes it in a date (fr 1er: le 1er décembre)
    scales: dict[str, int] = field(
        default_factory=dict, hash=False, compare=False
    )  # scale word (lower case) → power of ten: млрд → 9
    function_words: str = ""  # articles, prepositions, conjunctions, pronouns (with the grammar's: function_words)

    @property
    def plural_forms(self) -> str:
        """The ``Plural-Forms`` header of the language's memories, as gettext's msginit writes it."""
        return gettext_plural_forms(self.locale)


def _forms(power: int, forms: str) -> dict[str, int]:
    """Each of the space-separated ``forms`` of one scale word, with its power of ten."""
    return dict.fromkeys(forms.split(), power)


LANGUAGES: dict[str, Language] = {
    language.code: language
    for language in (
        Language(
            code="en",
            date_on="on",
            date_in="in",
            amounts=amounts.ENGLISH,
            scales={
                "thousand": 3,
                "thousands": 3,
                "million": 6,
                "millions": 6,
                "mn": 6,
                "billion": 9,
                "billions": 9,
                "bn": 9,
                "trillion": 12,
                "trillions": 12,
                "tn": 12,
            },
            function_words="the a an of in on at to for from by with about as into onto upon over under than and or but nor so yet if that this these those it its he she they them their his her him we us our you your i me my who whom whose which what",
            locale="en",
            style=styles.ENGLISH,
            words=words.ENGLISH,
            grammar=grammar.NO_AGREEMENT,
            search="en",
        ),
        Language(
            code="uk",
            date_on="",
            amounts=amounts.UKRAINIAN,
            facts=factwords.UKRAINIAN,
            scales=_forms(3, "тис тисяча тисячі тисяч")
            | _forms(6, "млн мільйон мільйона мільйони мільйонів")
            | _forms(9, "млрд мільярд мільярда мільярди мільярдів")
            | _forms(12, "трлн трильйон трильйона трильйони трильйонів"),
            function_words="і й та а але або чи що як бо я ти він вона воно ми ви вони його її їх йому їй їм цей ця це ці той та те ті",
            abbreviations=abbreviations.UKRAINIAN,
            script="CYRILLIC",
            one_letter_words="авзіїйоуя",
            locale="uk",
            style=styles.UKRAINIAN,
            words=words.UKRAINIAN,
            grammar=grammar.UKRAINIAN,
            search="ru",  # lunr has no Ukrainian: Russian's rules keep its Cyrillic words (no Ukrainian stemming)
            alphabet="абвгґдеєжзиіїйклмнопрстуфхцчшщьюя",
            hunspell="uk_UA",
            hunspell_package="hunspell-uk",
        ),
        Language(
            code="ru",
            date_on="",
            amounts=amounts.RUSSIAN,
            facts=factwords.RUSSIAN,
            scales=_forms(3, "тыс тысяча тысячи тысяч")
            | _forms(6, "млн миллион миллиона миллионы миллионов")
            | _forms(9, "млрд миллиард миллиарда миллиарды миллиардов")
            | _forms(12, "трлн триллион триллиона триллионы триллионов"),
            function_words="и а но или что как да я ты он она оно мы вы они его её ее их ему ей им этот эта это эти тот та то те",
            abbreviations=abbreviations.RUSSIAN,
            script="CYRILLIC",
            one_letter_words="авиоксуя",
            locale="ru",
            style=styles.RUSSIAN,
            words=words.RUSSIAN,
            grammar=grammar.RUSSIAN,
            search="ru",
            alphabet="абвгдежзийклмнопрстуфхцчшщъыьэюя",  # ё sorts as е (CLDR), through its base letter
            hunspell="ru_RU",
            hunspell_package="hunspell-ru",
        ),
        Language(
            code="de",
            date_on="am",
            date_prepositions={"before": "vor dem", "since": "seit dem", "until": "bis zum", "after": "nach dem"},
            amounts=amounts.GERMAN,
            facts=factwords.GERMAN,
            scales=_forms(3, "tausend")
            | _forms(6, "mio million millionen")
            | _forms(9, "mrd milliarde milliarden")
            | _forms(12, "bio billion billionen"),
            function_words="und oder aber denn sondern dass ob wenn als wie ich du er sie es wir ihr man sich mich dich ihn uns euch ihm ihnen mir dir sein seine ihre",
            abbreviations=abbreviations.GERMAN,
            ordinal_months=abbreviations.GERMAN_MONTHS,
            ordinal_after=abbreviations.GERMAN_ORDINAL_AFTER,
            repeatable_words=frozenset({"die", "der", "das"}),
            locale="de",
            style=styles.GERMAN,
            words=words.GERMAN,
            grammar=grammar.GERMAN,
            search="de",
            hunspell="de_DE",
            hunspell_package="hunspell-de-de",
        ),
        Language(
            code="fr",
            date_on="le",
            date_in="en",
            first_day="1er",  # Imprimerie nationale: le 1er mars, but le 2 mars
            date_prepositions={"before": "avant le", "since": "depuis le", "until": "jusqu’au", "after": "après le"},
            amounts=amounts.FRENCH,
            facts=factwords.FRENCH,
            scales=_forms(3, "mille")
            | _forms(6, "million millions")
            | _forms(9, "md mds milliard milliards")
            | _forms(12, "billion billions"),
            function_words="le la les l' un une des du de d' à au aux en dans par pour sur sous avec sans entre vers chez et ou mais donc or ni car que qui je tu il elle on nous vous ils elles me te se lui leur y ce",
            abbreviations=abbreviations.FRENCH,
            one_letter_words="aày",
            repeatable_words=frozenset({"nous", "vous"}),
            locale="fr",
            style=styles.FRENCH,
            words=words.FRENCH,
            grammar=grammar.FRENCH,
            search="fr",
            hunspell="fr_FR",
            hunspell_package="hunspell-fr",
        ),
        Language(
            code="es",
            date_on="el",
            date_in="en",
            date_prepositions={"before": "antes del", "since": "desde el", "until": "hasta el", "after": "después del"},
            amounts=amounts.SPANISH,
            facts=factwords.SPANISH,
            scales=_forms(3, "mil")
            | _forms(6, "millón millon millones")
            | _forms(9, "millardo millardos")
            | _forms(12, "billón billon billones"),
            function_words="el la los las lo un una unos unas de del a al en con por para sin sobre entre hasta desde hacia contra según y e o u ni pero que si como yo tú él ella nosotros vosotros ellos ellas me te se nos os le les su sus mi mis tu tus",
            abbreviations=abbreviations.SPANISH,
            one_letter_words="aoyeu",
            locale="es",
            style=styles.RAE,
            words=words.SPANISH,
            grammar=grammar.SPANISH,
            search="es",
            alphabet="abcdefghijklmnñopqrstuvwxyz",
            hunspell="es_ES",
            hunspell_package="hunspell-es",
            min_grouping=2,
        ),
        Language(
            code="pl",
            date_on="",
            amounts=amounts.POLISH,
            facts=factwords.POLISH,
            scales=_forms(3, "tys tysiąc tysiące tysięcy")
            | _forms(6, "mln milion miliona miliony milionów")
            | _forms(9, "mld mlrd miliard miliarda miliardy miliardów")
            | _forms(12, "bln bilion biliona biliony bilionów"),
            function_words="i a ale albo lub czy że oraz ja ty on ona ono my wy oni one go jej ich mu im się ten ta to ci te",
            abbreviations=abbreviations.POLISH,
            one_letter_words="aiouwz",
            locale="pl",
            style=styles.POLISH,
            words=words.POLISH,
            grammar=grammar.POLISH,
            search=None,  # lunr has no Polish
            alphabet="aąbcćdeęfghijklłmnńoóprsśtuwyzźżqvx",
            hunspell="pl_PL",
            hunspell_package="hunspell-pl",
            min_grouping=2,
        ),
        Language(
            code="ca",
            date_on="el",
            date_in="el",
            date_prepositions={"before": "abans del", "since": "des del", "until": "fins al", "after": "després del"},
            date_elisions={"el": "l’", "del": "de l’", "al": "a l’"},  # IEC: l’1 de desembre, des de l’11 de setembre
            vowel_days=frozenset({1, 11}),
            amounts=amounts.CATALAN,
            facts=factwords.CATALAN,
            scales=_forms(3, "mil milers")
            | _forms(6, "milió milio milions")
            | _forms(9, "miliard miliards")
            | _forms(12, "bilió bilio bilions"),
            function_words="el la els les l' un una uns unes de del dels d' a al als en amb per pel pels sense sobre entre fins i o però que si jo tu ell ella nosaltres vosaltres ells elles em et es ens us li",
            abbreviations=abbreviations.CATALAN,
            locale="ca",
            style=styles.RAE,  # Catalan (IEC) sets quotes, dashes and years as Spanish (RAE) does
            words=words.CATALAN,
            grammar=grammar.CATALAN,
            search=None,  # lunr has no Catalan
            hunspell="ca",  # Debian's hunspell-ca: central Catalan (ca_ES-valencia is the Valencian variant)
            hunspell_package="hunspell-ca",
        ),
    )
}


CODES: tuple[str, ...] = tuple(sorted(LANGUAGES))  # every registered code, sorted: what a boundary accepts


def language(code: str) -> Language:
    """The entry of ``code``; ValueError "no entry in tools/languages for language 'xx' (known: …)" for a code the
    registry lacks (every boundary has refused one already)."""
    try:
        return LANGUAGES[code]
    except KeyError:
        raise ValueError(f"no entry in tools/languages for language {code!r} (known: {', '.join(CODES)})") from None


@cache
def gettext_plural_forms(locale: str) -> str:
    """``nplurals=…; plural=…;`` for a CLDR locale, from Babel's table of gettext's rules (what msginit writes)."""
    from babel.messages.plurals import get_plural  # Babel is imported only by the stages that need it

    plural = get_plural(locale)
    return f"nplurals={plural.num_plurals}; plural={plural.plural_expr};"


@cache
def function_words(code: str) -> frozenset[str]:
    """Words a term cannot be, lower case: the entry's articles, prepositions, conjunctions and pronouns, its
    one-letter words, and every word of its grammar's determiners and governing prepositions."""
    entry = language(code)
    tables = entry.grammar.determiners.values()
    grammar = {word for table in tables for form in table.values() for word in form.split()}
    return frozenset({*entry.function_words.split(), *entry.one_letter_words, *grammar, *entry.grammar.prepositions})


def debian_packages() -> list[str]:
    """The Debian packages of every registered language's hunspell dictionary, sorted."""
    return sorted({entry.hunspell_package for entry in LANGUAGES.values() if entry.hunspell_package})
