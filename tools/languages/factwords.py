"""How each language writes a percentage, an ordinal, a number with a unit, and what it wants of an English possessive.

Pure data for :mod:`tools.quantities` (the scale words and currencies of amounts are in
:mod:`tools.amountwords`). One choice per language, written down here and tested
(tests/translation/quantities.yml):

- **Percentages** are written by CLDR through Babel (``format_percent``): no table.
- **Ordinals**: CLDR has no ordinal formatting for most languages, and in most the form
  depends on the noun's gender or case (es 3.º/3.ª, ca 3r/3a, uk 3-й/3-я/3-го), which
  the English source does not say: those are the engine's (Apertium writes "la 3.ª
  flota"). German and Polish write an ordinal as the number with a full stop, French
  with "e" (but 1er/1re: the engine's). A century is written as the language writes
  it, in Roman numerals where it does ("siglo XXI", "XXIe siècle"); where the century
  word takes a case (uk, ru, pl: "у XXI столітті") only the numeral is locked.
- **Units** in an English compound adjective ("a 1,600-kilometre border", "the
  12-mile limit", "a 10-year plan"): the unit word by CLDR's plural category of the
  number, or the language's invariable abbreviation (de, uk, ru, pl: "1600 km").
- **Of-languages** (es, ca, fr) put a measure and an owner after the noun: before
  the engine, "a 1,600-kilometre border" becomes "a border of 1,600-kilometre", "a
  $2bn-a-year fund" "a fund of $2bn per year", "Russia's shadow fleet" "the shadow
  fleet of Russia" and "the allies' governments" "the governments of the allies",
  which an engine translates well (Apertium left "los aliados' gobiernos").
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class FactWords:
    """``ordinal``: the pattern of an ordinal number (``{n}``), None where gender or case decide its form;
    ``ordinal_one``: the pattern of 1 when it differs (None: the engine's); ``century``: the pattern of "21st
    century" (``{n}``, ``{roman}``), or ``century_numeral``: of its number alone (the engine gives the word and
    its case); ``units``: English unit → CLDR plural category → the word (``other`` serves any category not
    listed); ``of_form``: the source's compound adjectives and possessives are rewritten in the "of" form."""

    units: dict[str, dict[str, str]] = field(default_factory=dict, hash=False, compare=False)
    ordinal: str | None = None
    ordinal_one: str | None = None
    century: str | None = None
    century_numeral: str | None = None
    of_form: bool = False

    def unit(self, unit: str, category: str) -> str | None:
        """The word for ``unit`` after a number of plural ``category``; None when the language has none here."""
        forms = self.units.get(unit)
        return forms.get(category, forms["other"]) if forms else None


def _same(word: str) -> dict[str, str]:
    return {"other": word}


def _plural(one: str, other: str) -> dict[str, str]:
    return {"one": one, "other": other}


# The English units a compound adjective names (singular, as "a 12-mile limit" writes them) → one name.
ENGLISH_UNITS = {
    "kilometre": "km", "kilometer": "km", "km": "km", "metre": "m", "meter": "m", "mile": "mi",
    "tonne": "t", "ton": "t", "kilogram": "kg", "kg": "kg", "litre": "l", "liter": "l", "hectare": "ha",
    "year": "year", "month": "month", "week": "week", "day": "day", "hour": "hour", "minute": "minute",
}  # fmt: skip

SPANISH = FactWords(
    units={
        "km": _plural("kilómetro", "kilómetros"), "m": _plural("metro", "metros"), "mi": _plural("milla", "millas"),
        "t": _plural("tonelada", "toneladas"), "kg": _plural("kilogramo", "kilogramos"),
        "l": _plural("litro", "litros"), "ha": _plural("hectárea", "hectáreas"), "year": _plural("año", "años"),
        "month": _plural("mes", "meses"), "week": _plural("semana", "semanas"), "day": _plural("día", "días"),
        "hour": _plural("hora", "horas"), "minute": _plural("minuto", "minutos"),
    },
    century="siglo {roman}",
    of_form=True,
)  # fmt: skip
CATALAN = FactWords(
    units={
        "km": _plural("quilòmetre", "quilòmetres"), "m": _plural("metre", "metres"), "mi": _plural("milla", "milles"),
        "t": _plural("tona", "tones"), "kg": _plural("quilogram", "quilograms"), "l": _plural("litre", "litres"),
        "ha": _plural("hectàrea", "hectàrees"), "year": _plural("any", "anys"), "month": _plural("mes", "mesos"),
        "week": _plural("setmana", "setmanes"), "day": _plural("dia", "dies"), "hour": _plural("hora", "hores"),
        "minute": _plural("minut", "minuts"),
    },
    century="segle {roman}",
    of_form=True,
)  # fmt: skip
FRENCH = FactWords(
    units={
        "km": _plural("kilomètre", "kilomètres"), "m": _plural("mètre", "mètres"), "mi": _plural("mile", "miles"),
        "t": _plural("tonne", "tonnes"), "kg": _plural("kilogramme", "kilogrammes"), "l": _plural("litre", "litres"),
        "ha": _plural("hectare", "hectares"), "year": _plural("an", "ans"), "month": _same("mois"),
        "week": _plural("semaine", "semaines"), "day": _plural("jour", "jours"), "hour": _plural("heure", "heures"),
        "minute": _plural("minute", "minutes"),
    },
    ordinal="{n}e",
    century="{roman}e siècle",
    of_form=True,
)  # fmt: skip
GERMAN = FactWords(
    units={"km": _same("km"), "m": _same("m"), "mi": _plural("Meile", "Meilen"), "t": _same("t"), "kg": _same("kg"),
           "l": _same("l"), "ha": _same("ha")},
    ordinal="{n}.",
    ordinal_one="{n}.",
    century="{n}. Jahrhundert",
)  # fmt: skip
UKRAINIAN = FactWords(
    units={"km": _same("км"), "m": _same("м"), "t": _same("т"), "kg": _same("кг"), "l": _same("л"), "ha": _same("га")},
    century_numeral="{roman}",
)
RUSSIAN = FactWords(
    units={"km": _same("км"), "m": _same("м"), "t": _same("т"), "kg": _same("кг"), "l": _same("л"), "ha": _same("га")},
    century_numeral="{roman}",
)
POLISH = FactWords(
    units={"km": _same("km"), "m": _same("m"), "t": _same("t"), "kg": _same("kg"), "l": _same("l"), "ha": _same("ha")},
    ordinal="{n}.",
    ordinal_one="{n}.",
    century_numeral="{roman}",
)


# English words that end the noun an owner or a measure belongs to (what follows a noun phrase, never part of it):
# function words, and verbs (auxiliaries, reporting verbs, irregular pasts; a regular past ends in -ed).
FUNCTION_WORDS = frozenset((
    "a", "an", "the", "this", "that", "these", "those", "its", "their", "our", "his", "her", "my", "your",
    "and", "or", "but", "nor", "so", "yet", "of", "in", "on", "at", "to", "for", "with", "by", "from", "into",
    "onto", "over", "under", "about", "after", "before", "since", "until", "than", "as", "while", "when",
    "where", "which", "who", "whom", "whose", "what", "why", "how", "if", "not", "no", "also", "still", "now",
    "only", "even", "just", "already", "again", "too", "very", "more", "most", "less", "least", "then",
    "there", "here", "according", "against", "between", "through", "during", "per", "via", "because", "it",
    "they", "he", "she", "we", "you", "i", "towards", "toward", "across", "along", "among", "around", "behind",
    "beyond", "despite", "without", "within", "upon", "amid",
))  # fmt: skip
VERBS = frozenset((
    "is", "are", "was", "were", "be", "been", "being", "has", "have", "had", "will", "would", "shall",
    "should", "can", "could", "may", "might", "must", "do", "does", "did", "said", "says", "say", "told",
    "tells", "added", "noted", "warned", "rose", "fell", "grew", "made", "took", "gave", "came", "went",
    "paid", "held", "kept", "left", "lost", "met", "ran", "sent", "set", "spent", "stood", "won", "bought",
    "brought", "built", "cut", "hit", "led", "put", "sold", "thought", "began", "became", "saw", "knew",
    "wrote", "spoke", "drove", "fought", "froze", "sank", "struck", "got", "found", "meant",
    "remains", "stays", "seems", "becomes", "goes", "lies", "crosses", "carries", "reaches", "connects",
))  # fmt: skip
PHRASE_ENDS = FUNCTION_WORDS | VERBS
# An owner word that is no noun ("it's", "that's"): a contraction, not a possessive.
NOT_OWNERS = frozenset(("it", "that", "there", "here", "what", "who", "where", "when", "how", "let", "he", "she", "one",
                        "everyone", "nobody"))  # fmt: skip
# A determiner that goes with its owner ("the banks' clients" → "the clients of the banks").
# ("that" is not one: "said that America's refusal" is a conjunction before the owner.)
DETERMINERS = frozenset(("the", "a", "an", "this", "these", "those", "every", "each", "its", "their", "our", "his",
                         "her", "my", "your"))  # fmt: skip
