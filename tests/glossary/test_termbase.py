"""The term base validates, and each kind of mistake in it gets an error with file, line and entry."""

from __future__ import annotations

from pathlib import Path

import pytest

from tools.config import load_config
from tools.errors import PressError
from tools.glossary.termbase import check_languages, count_sentences, load_termbase

ROOT = Path(__file__).resolve().parents[2]
REQUIRED = {
    "Anchorage formula", "shadow fleet", "Peace Council", "Alaska summit", "personal diplomacy", "appeasement",
    "Donbas", "frozen Russian assets", "Northern Sea Route", "big stick", "China trap", "security vacuum",
}  # fmt: skip

GOOD_TERM = """\
  - id: shadow-fleet
    term: shadow fleet
    definition: Tankers that carry Russian oil around sanctions.
    annotation: First sentence. Second sentence.
    renderings:
      uk: {term: тіньовий флот}
"""

# (name, the YAML of the terms list, line named, words of the message)
BAD = [
    ("missing field", "  - id: a\n    term: A\n    annotation: One. Two.\n", 1, "term 'a': missing field 'definition'"),
    ("unknown field", GOOD_TERM + "    colour: red\n", 7, "unknown field 'colour'"),
    ("duplicate id", GOOD_TERM + GOOD_TERM, 7, "duplicate term id 'shadow-fleet' (first on line 2)"),
    (
        "form in two terms",
        GOOD_TERM + "  - {id: other, term: Shadow Fleet, definition: X., annotation: A. B.}\n",
        7,
        "'Shadow Fleet' is a form of both 'shadow-fleet' and 'other'",
    ),
    ("unknown reference", GOOD_TERM + "    see: [nowhere]\n", 1, "refers to unknown term 'nowhere'"),
    ("bad id", GOOD_TERM.replace("id: shadow-fleet", "id: Shadow Fleet"), 1, "bad id 'Shadow Fleet'"),
    (
        "rendering without term",
        GOOD_TERM.replace("{term: тіньовий флот}", "{forms: [x]}"),
        5,
        "the 'uk' rendering has no term",
    ),
    ("duplicate key", GOOD_TERM + "    term: again\n", 7, "duplicate key 'term'"),
]


def write(tmp_path: Path, terms: str) -> Path:
    path = tmp_path / "terms.yml"
    path.write_text("terms:\n" + terms, encoding="utf-8")
    return path


def test_the_project_term_base_is_clean() -> None:
    base, problems = load_termbase(ROOT / "glossary" / "terms.yml")
    problems += check_languages(base, load_config(ROOT).languages)
    assert [str(p) for p in problems] == []
    assert len(base.terms) >= 15
    assert REQUIRED <= {t.term for t in base.terms}
    for term in base.terms:
        assert count_sentences(term.definition) == 1, term.id
        assert 2 <= count_sentences(term.annotation) <= 5, term.id


@pytest.mark.parametrize("name, terms, line, words", BAD, ids=[case[0] for case in BAD])
def test_each_mistake_is_named_with_its_line(name: str, terms: str, line: int, words: str, tmp_path: Path) -> None:
    path = write(tmp_path, terms)
    try:
        _, problems = load_termbase(path)
        found = [(p.line, p.message) for p in problems if p.severity == "error"]
    except PressError as error:  # a problem in the YAML itself
        found = [(error.line, error.message)]
    assert any(problem_line == line + 1 and words in message for problem_line, message in found), found


def test_language_without_rendering(tmp_path: Path) -> None:
    base, _ = load_termbase(write(tmp_path, GOOD_TERM))
    problems = check_languages(base, ("uk", "de"))
    assert [(p.line, p.message) for p in problems] == [(2, "term 'shadow-fleet' has no rendering for 'de'")]
    assert "editions.yml lists de" in problems[0].fix


def test_warnings_for_style(tmp_path: Path) -> None:
    terms = GOOD_TERM.replace("First sentence. Second sentence.", "Only one.").replace(
        "around sanctions.", "around sanctions. It is big."
    )
    _, problems = load_termbase(write(tmp_path, terms))
    assert {p.severity for p in problems} == {"warning"}
    assert any("one sentence" in p.message for p in problems)
    assert any("1 sentence(s), not 2 to 5" in p.message for p in problems)


@pytest.mark.parametrize(
    "text, error",
    [("terms: [\n", "not valid YAML"), ("title: no terms\n", "no 'terms:' list")],
)
def test_unreadable_term_base(text: str, error: str, tmp_path: Path) -> None:
    path = tmp_path / "terms.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(PressError, match=error):
        load_termbase(path)
