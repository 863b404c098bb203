"""The authored glossary texts: complete in every edition language, valid, and each mistake named with its line."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tools.config import load_config
from tools.diagnostics import Diagnostic
from tools.errors import PressError
from tools.glossary.definitions import FIELDS, load_authored, load_definitions, machine_units
from tools.glossary.termbase import TermBase, load_termbase
from tools.segment import split_sentences
from tools.translate import glossary_units

ROOT = Path(__file__).resolve().parents[2]
FOLDER = ROOT / "glossary" / "definitions"
BASE, _ = load_termbase(ROOT / "glossary" / "terms.yml")
# Every language the term base renders has its authored texts, editions.yml's and those ready to be turned on (ca)
LANGUAGES = sorted({lang for term in BASE.terms for lang in term.renderings})
AUTHORED, PROBLEMS = load_definitions(FOLDER, BASE, LANGUAGES)
EVERY_TEXT = [(lang, term.id, field) for lang in LANGUAGES for term in BASE.terms for field in FIELDS]
SENTENCES = {"definition": (1, 1), "annotation": (2, 5)}


def test_every_language_the_term_base_renders_has_its_file_and_every_edition_is_rendered() -> None:
    assert {path.stem for path in FOLDER.glob("*.yml")} == set(LANGUAGES) >= {"uk", "ru", "de", "fr", "es", "pl", "ca"}
    assert set(load_config(ROOT).languages) <= set(LANGUAGES)


def test_the_project_files_validate_without_a_single_problem() -> None:
    assert [str(p) for p in PROBLEMS] == []


@pytest.mark.parametrize("lang, term_id, field", EVERY_TEXT)
def test_every_term_is_authored_in_every_edition_language(lang: str, term_id: str, field: str) -> None:
    entry = AUTHORED[lang][term_id]
    assert entry.text(field), f"{lang}.yml: {term_id} has no {field}"
    low, high = SENTENCES[field]
    assert low <= len(split_sentences(entry.text(field))) <= high, split_sentences(entry.text(field))


def _normal(text: str) -> str:
    """Lower case (not casefold: ß stays ß), one plain space, one apostrophe."""
    return re.sub(r"\s+", " ", re.sub("['’ʼ]", "'", text)).lower()


@pytest.mark.parametrize("lang, term_id, field", EVERY_TEXT)
def test_every_authored_text_names_its_term(lang: str, term_id: str, field: str) -> None:
    rendering = BASE.by_id(term_id).renderings[lang]
    text = _normal(AUTHORED[lang][term_id].text(field))
    forms = [_normal(form) for form in rendering.all_forms]
    assert any(re.search(rf"(?<![\w-]){re.escape(form)}(?![\w-])", text) for form in forms), (forms, text)


def test_no_authored_text_is_the_english_one() -> None:
    english = {getattr(term, field) for term in BASE.terms for field in FIELDS}
    assert not [(lang, t, f) for lang, t, f in EVERY_TEXT if AUTHORED[lang][t].text(f) in english]


# --- validation: a broken file → the problems it must give (severity, line, words of the message)
TINY_TERMS = """\
terms:
  - id: shadow-fleet
    term: shadow fleet
    definition: Tankers that carry Russian oil around sanctions.
    annotation: First sentence. Second sentence.
    renderings:
      es: {term: flota fantasma}
  - id: big-stick
    term: big stick
    definition: Diplomacy backed by force.
    annotation: First sentence. Second sentence.
    renderings:
      es: {term: gran garrote}
"""
GOOD = "definition: Una flota. \n  annotation: Primera frase. Segunda frase."
BIG_STICK = f"big-stick:\n  {GOOD}\n"
CASES = [
    ("the good file", f"shadow-fleet:\n  {GOOD}\n{BIG_STICK}", []),
    (
        "a duplicate key (YAML would keep the second silently)",
        f"shadow-fleet:\n  {GOOD}\nshadow-fleet:\n  {GOOD}\n",
        [("error", 4, "duplicate key 'shadow-fleet' (first on line 1)")],
    ),
    (
        "an unknown term id",
        f"shadow-flet:\n  {GOOD}\n{BIG_STICK}",
        [("error", 1, "unknown term id 'shadow-flet'"), ("warning", 1, "'shadow-fleet' has no authored text in es")],
    ),
    ("a number as a term id", f"{BIG_STICK}12: {{definition: Uno.}}\n", [("error", 4, "unknown term id '12'")]),
    (
        "an entry that is text, not a mapping",
        f"{BIG_STICK}shadow-fleet: La flota fantasma.\n",
        [("error", 4, "term 'shadow-fleet': the entry must be a mapping (key: value), not the text")],
    ),
    (
        "a definition that is a list",
        f"{BIG_STICK}shadow-fleet:\n  definition: [Una, flota]\n  annotation: Una. Dos.\n",
        [("error", 5, "term 'shadow-fleet': the definition must be text, not a list")],
    ),
    (
        "a definition that is a number",
        f"{BIG_STICK}shadow-fleet:\n  definition: 12\n  annotation: Una. Dos.\n",
        [("error", 5, "the definition must be text, not the number 12")],
    ),
    (
        "a blank annotation",
        f'{BIG_STICK}shadow-fleet:\n  definition: Una flota.\n  annotation: " "\n',
        [("error", 6, "term 'shadow-fleet': the annotation is empty")],
    ),
    (
        "a misspelt field",
        f"{BIG_STICK}shadow-fleet:\n  defintion: Una flota.\n  annotation: Una. Dos.\n",
        [
            ("error", 5, "term 'shadow-fleet': unknown field 'defintion'"),
            ("warning", 4, "term 'shadow-fleet': no definition in es"),
        ],
    ),
    (
        "a definition of two sentences",
        f"{BIG_STICK}shadow-fleet:\n  definition: Una flota. Son petroleros.\n  annotation: Una. Dos.\n",
        [("warning", 5, "the definition has 2 sentence(s), not one sentence")],
    ),
    (
        "an annotation of one sentence",
        f"{BIG_STICK}shadow-fleet:\n  definition: Una flota.\n  annotation: >-\n    Solo una.\n",
        [("warning", 6, "the annotation has 1 sentence(s), not 2 to 5")],
    ),
    (
        "an annotation of six sentences",
        f"{BIG_STICK}shadow-fleet:\n  definition: Una flota.\n  annotation: Uno. Dos. Tres. Cuatro. Cinco. Seis.\n",
        [("warning", 6, "the annotation has 6 sentence(s), not 2 to 5")],
    ),
    (
        "a term left out",
        f"# comment\n\n{BIG_STICK}",
        [("warning", 3, "term 'shadow-fleet' has no authored text in es; the machine translation is shown")],
    ),
    (
        "an entry without its annotation",
        f"{BIG_STICK}shadow-fleet: {{definition: Una flota.}}\n",
        [("warning", 4, "term 'shadow-fleet': no annotation in es")],
    ),
    ("broken YAML", f"{BIG_STICK}shadow-fleet: {{definition: Una\n", [("error", 5, "not valid YAML")]),
    ("a list, not a mapping", "- shadow-fleet\n- big-stick\n", [("error", 1, "the file must be a mapping")]),
    (
        "an alias",
        f"big-stick: &same\n  {GOOD}\nshadow-fleet: *same\n",
        [("error", 4, "an alias (*same) is not supported")],
    ),
    ("an empty file", "# nothing yet\n", [("warning", None, "es.yml is empty")]),
]


def tiny_base(tmp_path: Path) -> TermBase:
    path = tmp_path / "terms.yml"
    path.write_text(TINY_TERMS, encoding="utf-8")
    base, problems = load_termbase(path)
    assert problems == []
    return base


@pytest.mark.parametrize("why, text, expected", CASES, ids=[case[0] for case in CASES])
def test_each_mistake_is_one_line_with_its_file_and_line(
    why: str, text: str, expected: list[tuple[str, int | None, str]], tmp_path: Path
) -> None:
    base = tiny_base(tmp_path)
    folder = tmp_path / "definitions"
    folder.mkdir()
    (folder / "es.yml").write_text(text, encoding="utf-8")
    _, problems = load_definitions(folder, base, ["es"])
    for severity, line, words in expected:
        assert any(p.severity == severity and p.line == line and words in p.message for p in problems), problems
    errors = [p for p in problems if p.severity == "error"]
    assert len(errors) == len([e for e in expected if e[0] == "error"]), errors
    for problem in problems:
        where = f"{folder / 'es.yml'}:{problem.line}" if problem.line else str(folder / "es.yml")
        severity = "error: " if problem.severity == "error" else ""
        assert str(problem).startswith(f"{severity}{where}: definitions: ") and "\n" not in str(problem)


def test_a_good_file_gives_its_texts_on_one_line(tmp_path: Path) -> None:
    base = tiny_base(tmp_path)
    folder = tmp_path / "definitions"
    folder.mkdir()
    (folder / "es.yml").write_text(f"shadow-fleet:\n  {GOOD}\n{BIG_STICK}", encoding="utf-8")
    authored, problems = load_definitions(folder, base, ["es"])
    assert problems == []
    entry = authored["es"]["shadow-fleet"]
    assert (entry.definition, entry.annotation, entry.line) == ("Una flota.", "Primera frase. Segunda frase.", 1)


def test_a_missing_language_and_a_stray_file_are_warnings(tmp_path: Path) -> None:
    base = tiny_base(tmp_path)
    folder = tmp_path / "definitions"
    folder.mkdir()
    (folder / "it.yml").write_text(BIG_STICK, encoding="utf-8")
    authored, problems = load_definitions(folder, base, ["es"])
    assert authored == {}
    assert [(p.severity, p.path.name, p.line) for p in problems] == [
        ("warning", "it.yml", None),
        ("warning", "es.yml", None),
    ]
    assert "'it' is not an edition language" in problems[0].message
    assert "es.yml does not exist: no term has an authored text in es" in problems[1].message


def test_the_build_stops_on_the_first_error_with_one_line(tmp_path: Path) -> None:
    base = tiny_base(tmp_path)
    folder = tmp_path / "definitions"
    folder.mkdir()
    (folder / "es.yml").write_text(f"{BIG_STICK}shadow-fleet: 5\n", encoding="utf-8")
    with pytest.raises(PressError) as raised:
        load_authored(folder, base, ["es"], [])
    assert (raised.value.path, raised.value.line) == (folder / "es.yml", 4)
    (folder / "es.yml").write_text(BIG_STICK, encoding="utf-8")
    warnings: list[Diagnostic] = []
    assert set(load_authored(folder, base, ["es"], warnings)["es"]) == {"big-stick"}
    message = "term 'shadow-fleet' has no authored text in es; the machine translation is shown"
    fix = "add shadow-fleet: {definition: …, annotation: …}"
    assert [str(w) for w in warnings] == [f"{folder / 'es.yml'}:1: definitions: {message}; fix: {fix}"]


def test_only_unauthored_texts_go_to_the_machine() -> None:
    units = glossary_units(BASE)
    for lang in LANGUAGES:
        assert machine_units(units, BASE, lang, AUTHORED[lang]) == []
    some = {term_id: entry for term_id, entry in AUTHORED["es"].items() if term_id != "shadow-fleet"}
    fleet = BASE.by_id("shadow-fleet")
    left = machine_units(units, BASE, "es", some)
    assert [unit.text for unit in left] == split_sentences(fleet.definition) + split_sentences(fleet.annotation)
    assert len(machine_units(units, BASE, "es", {})) == len(units)
