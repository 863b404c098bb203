"""A person's name after an English title is locked before the engine and comes back as written
(:mod:`tools.names`): Apertium wrote "Dr. Smith" as "Dr. Herrero" and "Mrs. Cook" as "Cocinero de Señora"."""

from __future__ import annotations

import pytest

from tools.names import titled_names
from tools.translate import PERSON, lock_terms, restore_terms

# sentence → the names found after titles, in order
CASES = {
    "Dr. Smith met the minister.": ["Smith"],
    "He met Mr. Smith at 5 p.m.": ["Smith"],
    "Prof. Baker and Mrs. Cook spoke.": ["Baker", "Cook"],
    "Mrs Cook and Ms Baker spoke (British, no period).": ["Cook", "Baker"],
    "said Dr. Ayşe Demir, an analyst in Istanbul.": ["Ayşe Demir"],
    "Dr. J. R. Smith-Jones and Mr. O'Brien left.": ["J. R. Smith-Jones", "O'Brien"],
    "Mr. Jones's report and Sir Keir Starmer’s plan were late.": ["Jones", "Keir Starmer"],
    "Dr. Smith.": ["Smith"],
    "Mr. President, said the senator, Madam Speaker is here.": [],
    "the dr. smith of the village, and the Lady of the Lake": [],
    "Dr. Smith Warns Of Shadow Fleet As Sir Keir Starmer Visits": ["Smith", "Keir"],  # a title-case headline
    "Drs. Smith and Jones, Mrs.Cook": [],  # not a title this list knows; no space
    "Captain Smith thanked Professor Baker.": ["Smith", "Baker"],  # written out (or by tools/ofform.py)
    "The Governor General and the General Assembly met.": [],
}


@pytest.mark.parametrize("sentence", list(CASES))
def test_the_name_after_a_title_is_found(sentence: str) -> None:
    assert [sentence[a:b] for a, b in titled_names(sentence)] == CASES[sentence]


def test_a_name_locked_already_is_left_to_its_lock() -> None:
    sentence = "Mr. Trump met Dr. Smith."
    trump = sentence.index("Trump")
    assert [sentence[a:b] for a, b in titled_names(sentence, [(trump, trump + 5)])] == ["Smith"]


@pytest.mark.parametrize("lang", ["es", "ca", "de", "uk"])
def test_a_translation_locks_the_name_and_gives_it_back_as_written(lang: str) -> None:
    """Into every language (not into the source's own: lang None), the title left to the engine."""
    text, slots = lock_terms("Prof. Baker and Mrs. Cook met Dr. Ayşe Demir.", None, lang=lang)
    title = "Professor" if lang in ("es", "ca") else "Prof."  # written out for Apertium (tools/ofform.py)
    assert text == f"{title} ⟦T1⟧ and Mrs. ⟦T2⟧ met Dr. ⟦T3⟧."
    assert [(slot.id, slot.text) for slot in slots] == [
        (PERSON, "Baker"),
        (PERSON, "Cook"),
        (PERSON, "Ayşe Demir"),
    ]
    engine_said = "Prof. ⟦T1⟧ y Señora ⟦T2⟧ conocieron a Dra. ⟦T3⟧."
    assert (
        restore_terms(engine_said, slots, None, lang).text == "Prof. Baker y Señora Cook conocieron a Dra. Ayşe Demir."
    )
    assert lock_terms("Dr. Smith met the minister.", None)[1] == [], "no lock when the text is not being translated"
