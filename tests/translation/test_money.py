"""The currency of each amount reaches the reader: found by CLDR's names in every edition language, and written
by them where the language's own table has no word for it."""

from __future__ import annotations

import pytest

from tools.languages import LANGUAGES
from tools.money import currency_name, currency_problems
from tools.quantities import write

# (source, translation, language, (missing, extra))
CASES = [
    ("It cost $7.1 billion.", "Costó 7,1 mil millones de dólares.", "es", ([], [])),
    ("It cost $7.1 billion.", "Costó 7,1 mil millones de libras.", "es", (["USD"], ["GBP"])),
    ("It cost €5m.", "Costó 5 millones de dólares.", "es", (["EUR"], ["USD"])),
    ("It cost €5m.", "Va costar 5 milions d’euros.", "ca", ([], [])),
    ("It cost €5m.", "Es kostete 5 Millionen Euro.", "de", ([], [])),
    ("It cost £3.4bn.", "Це коштувало 3,4 млрд фунтів.", "uk", ([], [])),
    ("It cost £3.4bn.", "Это стоило 3,4 млрд долларов.", "ru", (["GBP"], ["USD"])),
    ("It cost $5m.", "Kosztowało to 5 mln dolarów.", "pl", ([], [])),
    ("It cost $5m.", "Cela a coûté 5 millions $.", "fr", ([], [])),  # a symbol after the number
    ("Norway added NOK 3 billion.", "Noruega añadió NOK 3 mil millones.", "es", ([], [])),  # the code kept
    ("Norway added NOK 3 billion.", "Noruega añadió 3 mil millones de coronas noruegas.", "es", ([], [])),
    ("Norway added NOK 3 billion.", "Noruega añadió 3 mil millones de coronas suecas.", "es", (["NOK"], [])),
    ("Norway added 3 billion NOK.", "Норвегія додала 3 млрд норвезьких крон.", "uk", ([], [])),
    ("It cost 5 million euros and 3 million pounds.", "Costó 5 millones de euros y 3 millones de libras.", "es", ([], [])),
    ("It cost 5 million euros and 3 million pounds.", "Costó 5 millones de euros y 3 millones de euros.", "es", (["GBP"], [])),
    ("Inflation in the euro area hit 3%.", "La inflación en la eurozona alcanzó el 3 %.", "es", ([], [])),  # no amount
    ("The dollar fell 2% on Monday.", "El dólar cayó un 2 % el lunes.", "es", ([], [])),  # not beside the number
    ("Canada paid C$2bn.", "Canadá pagó 2 mil millones de dólares.", "es", ([], [])),  # dólares may be any dollar
    ("It is below the 2019 level of $13.1 million.", "Es inferior al nivel de 2019 de 13,1 millones de dólares.", "es", ([], [])),  # no lev
    ("It cost 40 million Swedish kronor.", "Costó 40 millones de coronas suecas.", "es", ([], [])),  # a CLDR plural
    ("It cost 40 million Swedish kronor.", "Costó 40 millones de coronas noruegas.", "es", (["SEK"], [])),
    ("She won 52% of the vote.", "Ganó el 52 % del voto.", "es", ([], [])),  # a verb: no won without its words
    ("Officials said 3 Chinese ships entered.", "Dijeron que entraron 3 barcos chinos.", "es", ([], [])),  # no yuan
    ("It cost 5 billion South Korean won.", "Costó 5 mil millones de wones surcoreanos.", "es", ([], [])),
    ("It cost 5 billion South Korean won.", "Costó 5 mil millones de dólares.", "es", (["KPW/KRW"], ["USD"])),
]  # fmt: skip


@pytest.mark.parametrize(("source", "translation", "lang", "expected"), CASES)
def test_each_amount_keeps_its_currency(source: str, translation: str, lang: str, expected) -> None:
    assert currency_problems(source, translation, lang) == expected


@pytest.mark.parametrize("lang", sorted(code for code, entry in LANGUAGES.items() if entry.amounts and code != "en"))
def test_a_currency_the_table_lacks_is_written_by_its_cldr_name_and_found_again(lang: str) -> None:
    for code in ("NOK", "CHF", "JPY", "SEK"):
        name = currency_name(code, lang)
        assert name and name != code
        assert currency_problems(f"It paid {code} 3 billion.", f"3 {name}", lang) == ([], []), (code, name)


def test_german_writes_a_currency_adjective_in_lower_case() -> None:
    assert currency_name("NOK", "de") == "norwegische Kronen"
    assert currency_name("CHF", "de") == "Schweizer Franken"  # Schweizer stays a capital


@pytest.mark.parametrize(
    ("english", "lang", "written"),
    [
        ("NOK 3 billion", "es", "3 mil millones de coronas noruegas"),
        ("2.5 billion SEK", "ca", "2,5 mil milions de corones sueques"),
        ("USD 5m", "de", "5 Millionen US-Dollar"),  # the language's own word for the dollar
        ("CHF 40m", "de", "40 Millionen Schweizer Franken"),
        ("NOK 3 billion", "uk", "3 млрд норвезьких крон"),  # the genitive plural after млрд
        ("NOK 3 billion", "pl", "3 mld koron norweskich"),
        ("NOK 3 billion", "fr", "3 milliards de couronnes norvégiennes"),
        ("TOP 10m", "es", None),  # a code that is an English word in capitals is no currency
        ("CAD 2bn", "fr", "2 milliards de dollars canadiens"),
    ],
)
def test_an_amount_with_a_currency_code_is_locked_and_written_by_name(english: str, lang: str, written) -> None:
    assert write(english, lang) == written
