"""The language registry: every language the toolkit publishes in, one entry each, naming all its facts.

Adding a language is adding its entry to :data:`LANGUAGES`. Facts that are
long tables stay where they read best, and the entry names them: its
typography style (``tools/typography/styles.py``), the words around an
article (``tools/ui.py``), its agreement grammar (``tools/grammar.py``) and
the abbreviations and month names sentences do not end at (``tools/segment.py``).
The rest is held here: the CLDR locale (numbers, Plural-Forms, by Babel), the
search index's word rules, the alphabet glossaries sort by, the hunspell
dictionary QA reads and the Debian package that has it, and from how many
digits numbers are grouped. Every module reads its per-language facts from
here, so this is the one list of languages.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from tools import grammar, segment, ui
from tools.grammar import Grammar
from tools.typography import styles
from tools.typography.styles import Style
from tools.ui import Words

LATIN = "abcdefghijklmnopqrstuvwxyz"  # the alphabet of a language written in Latin letters that sorts accents as base


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
    stand twice in a row ("nous nous sommes").
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
    abbreviations: frozenset[str] = segment.ABBREVIATIONS  # a period after one ends no sentence
    ordinal_months: frozenset[str] = frozenset()  # month names an ordinal day stands before (am 15. August)
    function_words: str = ""  # articles, prepositions, conjunctions, pronouns (with the grammar's: function_words)

    @property
    def plural_forms(self) -> str:
        """The ``Plural-Forms`` header of the language's memories, as gettext's msginit writes it."""
        return gettext_plural_forms(self.locale)


LANGUAGES: dict[str, Language] = {
    language.code: language
    for language in (
        Language(
            code="en",
            function_words="the a an of in on at to for from by with about as into onto upon over under than and or but nor so yet if that this these those it its he she they them their his her him we us our you your i me my who whom whose which what",
            locale="en",
            style=styles.ENGLISH,
            words=ui.ENGLISH,
            grammar=grammar.NO_AGREEMENT,
            search="en",
        ),
        Language(
            code="uk",
            function_words="і й та а але або чи що як бо я ти він вона воно ми ви вони його її їх йому їй їм цей ця це ці той та те ті",
            abbreviations=segment.UKRAINIAN_ABBREVIATIONS,
            script="CYRILLIC",
            one_letter_words="авзіїйоуя",
            locale="uk",
            style=styles.UKRAINIAN,
            words=ui.UKRAINIAN,
            grammar=grammar.UKRAINIAN,
            search="ru",  # lunr has no Ukrainian: Russian's rules keep its Cyrillic words (no Ukrainian stemming)
            alphabet="абвгґдеєжзиіїйклмнопрстуфхцчшщьюя",
            hunspell="uk_UA",
            hunspell_package="hunspell-uk",
        ),
        Language(
            code="ru",
            function_words="и а но или что как да я ты он она оно мы вы они его её ее их ему ей им этот эта это эти тот та то те",
            abbreviations=segment.RUSSIAN_ABBREVIATIONS,
            script="CYRILLIC",
            one_letter_words="авиоксуя",
            locale="ru",
            style=styles.RUSSIAN,
            words=ui.RUSSIAN,
            grammar=grammar.RUSSIAN,
            search="ru",
            alphabet="абвгдежзийклмнопрстуфхцчшщъыьэюя",  # ё sorts as е (CLDR), through its base letter
            hunspell="ru_RU",
            hunspell_package="hunspell-ru",
        ),
        Language(
            code="de",
            function_words="und oder aber denn sondern dass ob wenn als wie ich du er sie es wir ihr man sich mich dich ihn uns euch ihm ihnen mir dir sein seine ihre",
            abbreviations=segment.GERMAN_ABBREVIATIONS,
            ordinal_months=segment.GERMAN_MONTHS,
            repeatable_words=frozenset({"die", "der", "das"}),
            locale="de",
            style=styles.GERMAN,
            words=ui.GERMAN,
            grammar=grammar.GERMAN,
            search="de",
            hunspell="de_DE",
            hunspell_package="hunspell-de-de",
        ),
        Language(
            code="fr",
            function_words="le la les l' un une des du de d' à au aux en dans par pour sur sous avec sans entre vers chez et ou mais donc or ni car que qui je tu il elle on nous vous ils elles me te se lui leur y ce",
            abbreviations=segment.FRENCH_ABBREVIATIONS,
            one_letter_words="aày",
            repeatable_words=frozenset({"nous", "vous"}),
            locale="fr",
            style=styles.FRENCH,
            words=ui.FRENCH,
            grammar=grammar.FRENCH,
            search="fr",
            hunspell="fr_FR",
            hunspell_package="hunspell-fr",
        ),
        Language(
            code="es",
            function_words="el la los las lo un una unos unas de del a al en con por para sin sobre entre hasta desde hacia contra según y e o u ni pero que si como yo tú él ella nosotros vosotros ellos ellas me te se nos os le les su sus mi mis tu tus",
            abbreviations=segment.SPANISH_ABBREVIATIONS,
            one_letter_words="aoyeu",
            locale="es",
            style=styles.RAE,
            words=ui.SPANISH,
            grammar=grammar.SPANISH,
            search="es",
            alphabet="abcdefghijklmnñopqrstuvwxyz",
            hunspell="es_ES",
            hunspell_package="hunspell-es",
            min_grouping=2,
        ),
        Language(
            code="pl",
            function_words="i a ale albo lub czy że oraz ja ty on ona ono my wy oni one go jej ich mu im się ten ta to ci te",
            abbreviations=segment.POLISH_ABBREVIATIONS,
            one_letter_words="aiouwz",
            locale="pl",
            style=styles.POLISH,
            words=ui.POLISH,
            grammar=grammar.POLISH,
            search=None,  # lunr has no Polish
            alphabet="aąbcćdeęfghijklłmnńoóprsśtuwyzźżqvx",
            hunspell="pl_PL",
            hunspell_package="hunspell-pl",
            min_grouping=2,
        ),
        Language(
            code="ca",
            function_words="el la els les l' un una uns unes de del dels d' a al als en amb per pel pels sense sobre entre fins i o però que si jo tu ell ella nosaltres vosaltres ells elles em et es ens us li",
            abbreviations=segment.CATALAN_ABBREVIATIONS,
            locale="ca",
            style=styles.RAE,  # Catalan (IEC) sets quotes, dashes and years as Spanish (RAE) does
            words=ui.CATALAN,
            grammar=grammar.CATALAN,
            search=None,  # lunr has no Catalan
        ),
    )
}


def language(code: str, what: str = "entry in tools/languages.py") -> Language:
    """The entry of ``code``; ValueError "no <what> for language 'xx' (known: …)" for a language not registered."""
    try:
        return LANGUAGES[code]
    except KeyError:
        known = ", ".join(sorted(LANGUAGES))
        raise ValueError(f"no {what} for language '{code}' (known: {known})") from None


@cache
def gettext_plural_forms(locale: str) -> str:
    """``nplurals=…; plural=…;`` for a CLDR locale, from Babel's table of gettext's rules (what msginit writes)."""
    from babel.messages.plurals import get_plural  # Babel is imported only by the stages that need it

    plural = get_plural(locale)
    return f"nplurals={plural.num_plurals}; plural={plural.plural_expr};"


@cache
def function_words(code: str) -> frozenset[str]:
    """Words a term cannot be, lower case: the entry's articles, prepositions, conjunctions and pronouns, its
    one-letter words, and every word of its grammar's determiners and governing prepositions (empty for a language
    the registry lacks)."""
    entry = LANGUAGES.get(code)
    if entry is None:
        return frozenset()
    tables = entry.grammar.determiners.values()
    grammar = {word for table in tables for form in table.values() for word in form.split()}
    return frozenset({*entry.function_words.split(), *entry.one_letter_words, *grammar, *entry.grammar.prepositions})


def debian_packages() -> list[str]:
    """The Debian packages of every registered language's hunspell dictionary, sorted."""
    return sorted({entry.hunspell_package for entry in LANGUAGES.values() if entry.hunspell_package})
