"""Numbers in the edition's notation: cases as data (numbers/<lang>.yml), idempotence as a property."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from tools.edition import render_article
from tools.ingest import read_seed
from tools.numbers import localize_numbers, notation, source_values, translation_values
from tools.segment import split_sentences
from tools.translate import Translation

ROOT = Path(__file__).resolve().parents[2]
CASES = Path(__file__).parent / "numbers"
LANGUAGES = ("es", "de", "fr", "uk", "ru", "pl")


def cases() -> list:
    found = []
    for lang in LANGUAGES:
        for number, case in enumerate(yaml.safe_load((CASES / f"{lang}.yml").read_text(encoding="utf-8")), 1):
            found.append(pytest.param(lang, case, id=f"{lang}-{number}"))
    return found


@pytest.mark.parametrize("lang", LANGUAGES)
def test_each_language_has_twenty_cases_each_with_a_reason(lang: str) -> None:
    data = yaml.safe_load((CASES / f"{lang}.yml").read_text(encoding="utf-8"))
    assert len(data) >= 20
    assert all(set(case) <= {"text", "source", "want", "reason"} and case.get("reason") for case in data)


@pytest.mark.parametrize(("lang", "case"), cases())
def test_numbers_take_the_editions_notation(lang: str, case: dict) -> None:
    got = localize_numbers(case["text"], lang, case.get("source"))
    assert got == case["want"], case["reason"]
    assert localize_numbers(got, lang, case.get("source")) == got, "idempotent"
    if "source" in case and got != case["text"]:  # a number that changed keeps the source's value
        wanted = source_values(case["source"])
        assert translation_values(got, lang, wanted) == wanted


_WORDS = ["barcos", "por ciento", "Uhr", "version", "a las", "COVID-", "US", "mil millones", "A", "am"]
_PIECES = st.one_of(
    st.sampled_from(_WORDS),
    st.text(alphabet="0123456789.,%$€£ -–/:\u00a0\u202f", min_size=1, max_size=12),
)
_TEXTS = st.lists(_PIECES, max_size=8).map("".join)


@given(text=_TEXTS, source=st.one_of(st.none(), _TEXTS), lang=st.sampled_from(LANGUAGES))
def test_converting_twice_changes_nothing_more_and_keeps_the_digits(text: str, source: str | None, lang: str) -> None:
    once = localize_numbers(text, lang, source)
    assert localize_numbers(once, lang, source) == once
    assert re.findall(r"\d", once) == re.findall(r"\d", text)
    if not re.search("[$€£]", text):  # without money, only separators and spaces change
        assert re.findall(r"[^\W\d]", once) == re.findall(r"[^\W\d]", text)


@pytest.mark.parametrize(
    ("source", "translation", "lang", "same"),
    [
        ("to 0.8 percent", "al 0,8 por ciento", "es", True),
        ("to 0.8 percent", "al 0.8 por ciento", "es", True),
        ("1,400 ships", "1400 barcos", "es", True),
        ("1,400 ships", "1,400 barcos", "es", True),
        ("1,400 ships", "1,4 barcos", "es", False),
        ("1,400 ships", "1.400 Schiffe", "de", True),
        ("0.8 percent", "8 por ciento", "es", False),
        ("in 2026", "en 2025", "es", False),
        ("version 1.2.3", "versión 1.2.3", "es", True),
        ("$60 a barrel", "60\u00a0US$ por barril", "es", True),
    ],
)
def test_numbers_compare_by_value(source: str, translation: str, lang: str, same: bool) -> None:
    wanted = source_values(source)
    assert (translation_values(translation, lang, wanted) == wanted) is same


def test_a_language_without_a_cldr_locale_is_an_error() -> None:
    with pytest.raises(ValueError, match="no CLDR locale"):
        notation("xx-nope")
    assert notation("es").reads("1.234,5") == Decimal("1234.5")


def test_a_translated_edition_prints_numbers_in_its_notation() -> None:
    article = read_seed(ROOT / "seeds" / "000_665afb2dddca8924.txt")
    imf = next(s for p in article.paragraphs for s in split_sentences(p.text) if "0.8 percent" in s)
    machine = "Los ingresos han caído un cuarto, y el FMI rebajó su previsión al 0.8 por ciento; cuesta $60 en 2026."
    translation = Translation(lang="es", engine="apertium", model="eng-spa", texts={imf: machine})
    page = render_article(article, "es", translation=translation).text
    assert "al 0,8 por ciento; cuesta 60\u00a0US" in page and "en 2026." in page  # ($ is escaped for the theme)
    assert "0.8 por ciento" not in page
