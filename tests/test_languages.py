"""The language registry: every registered language has every fact, and each fact is true on this machine."""

from __future__ import annotations

import dataclasses
import gettext
import os
import string
import subprocess
import unicodedata
from pathlib import Path

import material
import polib
import pytest
from babel import Locale
from babel.messages.plurals import get_plural

from tools import grammar, segment, typography
from tools.errors import PressError
from tools.glossary.collation import sort_key
from tools.languages import CODES, HUNSPELL, LANGUAGES, Language, debian_packages, function_words, language
from tools.languages.grammar import Grammar
from tools.languages.styles import Style
from tools.languages.words import Words
from tools.memory.header import plural_forms
from tools.numbers import notation
from tools.qa import dictionary
from tools.ui import words

ROOT = Path(__file__).resolve().parents[1]
LUNR = Path(material.__file__).parent / "templates/assets/javascripts/lunr/min"
GETTEXT = "apt-get install gettext"


def placeholders(text: str) -> set[str]:
    """The ``{name}`` fields of a format string."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("code", CODES)
def test_every_language_has_every_fact(code: str) -> None:
    entry = language(code)
    assert entry.code == code
    assert isinstance(entry.style, Style) and isinstance(entry.words, Words) and isinstance(entry.grammar, Grammar)
    assert entry.min_grouping in (1, 2)
    assert (entry.hunspell is None) == (entry.hunspell_package is None), "a dictionary needs the package that has it"
    assert words(code) is entry.words and grammar.grammar_of(code) is entry.grammar


@pytest.mark.parametrize("code", CODES)
def test_words_have_no_empty_label_and_the_english_fields(code: str) -> None:
    english = LANGUAGES["en"].words
    for field in dataclasses.fields(Words):
        text = getattr(words(code), field.name)
        assert isinstance(text, str) and text.strip(), f"{code}: {field.name} is empty"
        assert placeholders(text) - {"of"} == placeholders(getattr(english, field.name)), f"{code}: {field.name}"
    assert len(words(code).months.split(" ")) == 12


@pytest.mark.parametrize("code", CODES)
def test_the_alphabet_sorts_its_own_letters(code: str) -> None:
    alphabet = LANGUAGES[code].alphabet
    assert len(set(alphabet)) == len(alphabet), "a letter twice"
    assert sorted(alphabet, key=lambda letter: sort_key(letter, code)) == list(alphabet)
    assert sorted(alphabet.upper(), key=lambda letter: sort_key(letter, code)) == list(alphabet.upper())


@pytest.mark.parametrize("code", CODES)
def test_the_alphabet_covers_the_language_s_own_words(code: str) -> None:
    """Each letter of the language's name and months is in its alphabet, or an accented form of one."""
    alphabet = LANGUAGES[code].alphabet
    text = f"{words(code).language} {words(code).months}".casefold()
    letters = {unicodedata.normalize("NFD", c)[0] if c not in alphabet else c for c in text if c.isalpha()}
    assert letters <= set(alphabet), f"{code}: {sorted(letters - set(alphabet))}"


@pytest.mark.parametrize("code", CODES)
def test_the_cldr_locale_parses_in_babel(code: str) -> None:
    locale = Locale.parse(LANGUAGES[code].locale)
    assert locale.language == code
    assert notation(code).locale == locale and notation(code).min_grouping == LANGUAGES[code].min_grouping


@pytest.mark.parametrize("code", CODES)
def test_plural_forms_come_from_babel_and_cover_every_number(code: str) -> None:
    plural = get_plural(LANGUAGES[code].locale)
    forms = LANGUAGES[code].plural_forms
    assert forms == plural_forms(code) == f"nplurals={plural.num_plurals}; plural={plural.plural_expr};"
    which = gettext.c2py(plural.plural_expr)
    assert {which(n) for n in range(1000)} == set(range(plural.num_plurals)), "every form used, none beyond"


def test_plural_forms_match_msginit(tmp_path: Path, require) -> None:
    require("msginit", GETTEXT)
    pot = tmp_path / "t.pot"
    pot.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n', encoding="utf-8")
    checked = []
    for code, entry in LANGUAGES.items():
        out = tmp_path / f"{code}.po"
        command = ["msginit", "--no-translator", "-l", entry.locale, "-i", pot, "-o", out]
        subprocess.run(command, capture_output=True, check=True)
        if forms := polib.pofile(str(out)).metadata.get("Plural-Forms"):  # msginit's table has no Catalan
            assert forms == entry.plural_forms, code
            checked.append(code)
    assert len(checked) >= len(LANGUAGES) - 1


@pytest.mark.parametrize("code", CODES)
def test_the_search_language_is_one_lunr_has(code: str) -> None:
    search = LANGUAGES[code].search
    assert search is None or search == "en" or (LUNR / f"lunr.{search}.min.js").is_file(), search


@pytest.mark.parametrize("code", [code for code in CODES if LANGUAGES[code].hunspell])
def test_the_hunspell_dictionary_is_on_disk(code: str) -> None:
    entry = LANGUAGES[code]
    if not (HUNSPELL / f"{entry.hunspell}.dic").is_file():
        message = f"{entry.hunspell}.dic is not installed (install: apt-get install {entry.hunspell_package})"
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(f"{message}; make installs it")
        pytest.skip(message)
    assert (HUNSPELL / f"{entry.hunspell}.aff").is_file()
    first = (HUNSPELL / f"{entry.hunspell}.dic").read_bytes().split(b"\n", 1)[0]
    assert first.strip().isdigit(), "a hunspell .dic starts with its word count"  # QA's tests load and use it


def test_make_installs_every_dictionary_package() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8").replace("\\\n", " ")
    line = next(line for line in makefile.split("\n") if line.startswith("DEBIAN_PACKAGES"))
    assert set(debian_packages()) <= set(line.split(":=")[1].split())


@pytest.mark.parametrize("code", CODES)
def test_the_grammar_is_complete_for_its_agreement(code: str) -> None:
    rules = LANGUAGES[code].grammar
    assert rules.agreement in ("", "romance", "german", "cases")
    assert bool(rules.agreement) == bool(rules.genders)
    assert bool(rules.determiners) == (rules.agreement in ("romance", "german"))
    assert bool(rules.prepositions) == (rules.agreement in ("german", "cases"))
    assert all(set(cases) <= set(rules.cases) for cases in rules.prepositions.values())


UNKNOWN = [  # every lookup of a language's facts, for a code the registry lacks: the one lookup's one error
    pytest.param(lambda: language("xx"), id="registry"),
    pytest.param(lambda: words("xx"), id="words"),
    pytest.param(lambda: typography.typeset("text", "xx"), id="typeset"),
    pytest.param(lambda: grammar.agree("xx", "the ", grammar.Word("fleet")), id="agreement"),
    pytest.param(lambda: segment.split_sentences("One. Two.", "xx"), id="sentences"),
    pytest.param(lambda: notation("xx"), id="numbers"),
    pytest.param(lambda: sort_key("Zebra", "xx"), id="collation"),
    pytest.param(lambda: function_words("xx"), id="function words"),
]


@pytest.mark.parametrize("lookup", UNKNOWN)
def test_an_unknown_language_is_one_error_naming_the_known_ones(lookup) -> None:
    with pytest.raises(ValueError, match=r"^no entry in tools/languages for language 'xx' \(known: ca, de, en, es, "):
        lookup()


def test_a_language_qa_has_no_dictionary_for_is_one_line_with_its_fix() -> None:
    with pytest.raises(PressError, match="no hunspell dictionary is known for 'xx'; fix: add it to tools/languages"):
        dictionary("xx")


def test_a_language_with_none_of_a_fact_has_its_neutral_value() -> None:
    """English has no agreement, no ordinal months, Latin letters: its entry's values, which lookups return."""
    assert grammar.agree("en", "the ", grammar.Word("fleet")) == grammar.Agreement("the ", "fleet")
    assert sort_key("Zebra", "en") > sort_key("ähnlich", "en"), "ä sorts as a"
    assert segment.split_sentences("Am 15. August kam er.", "en") == ["Am 15.", "August kam er."]
    assert segment.split_sentences("Am 15. August kam er.", "de") == ["Am 15. August kam er."]


def test_an_entry_is_frozen() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        LANGUAGES["en"].search = "fr"  # type: ignore[misc]
    assert isinstance(LANGUAGES["en"], Language)
