"""The term base validates, and each kind of mistake in it gets an error with file, line and entry."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tools.config import load_config
from tools.diagnostics import Diagnostic, exit_status
from tools.errors import PressError
from tools.glossary.termbase import check_languages, count_sentences, load_termbase, stop_on_errors

ROOT = Path(__file__).resolve().parents[2]
FIELDS = "annotation, definition, forms, id, plural, renderings, see, sources, term"
SHORTEN = "shorten it; the rest goes in the annotation"
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
      uk:
        term: тіньовий флот
        gender: m
        cases: {gen: тіньового флоту, dat: тіньовому флоту, acc: тіньовий флот, ins: тіньовим флотом, loc: тіньовому флоті}
"""
CASES = yaml.safe_load((Path(__file__).parent / "cases" / "termbase.yml").read_text(encoding="utf-8"))["cases"]


def write(tmp_path: Path, terms: str) -> Path:
    path = tmp_path / "terms.yml"
    path.write_text("terms:\n" + terms, encoding="utf-8")
    return path


def errors_of(path: Path) -> list[tuple[int | None, str]]:
    """The errors of the term base at ``path``, as (line, text): its problems, or the PressError that stops it."""
    try:
        _, problems = load_termbase(path)
        return [(p.line, str(p)) for p in problems if p.severity == "error"]
    except PressError as error:
        return [(error.line, str(error))]


def test_the_project_term_base_is_clean() -> None:
    base, problems = load_termbase(ROOT / "glossary" / "terms.yml")
    config = load_config(ROOT)
    problems += check_languages(base, (*config.languages, *config.planned))  # ready for the planned ones too
    assert [str(p) for p in problems] == []
    assert len(base.terms) >= 15
    assert REQUIRED <= {t.term for t in base.terms}
    for term in base.terms:
        assert count_sentences(term.definition) == 1, term.id
        assert 2 <= count_sentences(term.annotation) <= 5, term.id


@pytest.mark.parametrize("case", CASES, ids=[case["why"][:50] for case in CASES])
def test_each_mistake_is_named_with_its_line(case: dict, tmp_path: Path) -> None:
    path = tmp_path / "terms.yml"
    path.write_text(case["file"], encoding="utf-8")
    found = errors_of(path)
    assert any(line == case["line"] and case["error"] in text for line, text in found), found
    for line, text in found:
        assert "\n" not in text and isinstance(line, int), text


def test_bytes_that_are_not_utf8_are_named_with_their_line(tmp_path: Path) -> None:
    path = tmp_path / "terms.yml"
    path.write_bytes("terms:\n  - {id: a, term: A}\nnames: [Caf\u00e9]\n".encode("latin-1"))
    assert errors_of(path) == [(3, f"{path}:3: not UTF-8 text; fix: save the file as UTF-8")]


def test_a_term_with_type_errors_keeps_its_good_fields(tmp_path: Path) -> None:
    base, problems = load_termbase(write(tmp_path, GOOD_TERM.replace("renderings:", "forms: [5]\n    renderings:")))
    assert [(p.line, p.message) for p in problems] == [
        (6, "term 'shadow-fleet': an item of forms must be text, not the number 5")
    ]
    assert base.terms[0].renderings["uk"].term == "тіньовий флот"


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


def test_problems_are_diagnostics_printed_on_one_line_and_errors_say_so(tmp_path: Path) -> None:
    text = GOOD_TERM.replace("around sanctions.", "around sanctions. It grew.").replace(
        "    renderings:", "    fro: x\n    renderings:"
    )
    path = write(tmp_path, text)
    _, problems = load_termbase(path)
    assert [str(p) for p in problems] == [
        f"error: {path}:6: termbase: term 'shadow-fleet': unknown field 'fro'; fix: use only {FIELDS}",
        f"{path}:4: termbase: term 'shadow-fleet': the definition should be one sentence; fix: {SHORTEN}",
    ]
    assert (exit_status(problems, strict=False), exit_status(problems[1:], strict=False)) == (1, 0)
    assert exit_status(problems[1:], strict=True) == 1, "--strict fails on a warning"


def test_the_build_stops_on_the_first_error_and_keeps_the_warnings(tmp_path: Path) -> None:
    base, problems = load_termbase(write(tmp_path, GOOD_TERM.replace("around sanctions.", "around sanctions. Yes.")))
    warnings: list[Diagnostic] = []
    stop_on_errors(problems + check_languages(base, ("uk",)), warnings)
    assert [(w.severity, w.kind, w.line) for w in warnings] == [("warning", "termbase", 4)]
    with pytest.raises(PressError, match=r"no rendering for 'de' \(and 1 more: run press glossary check\)"):
        stop_on_errors(check_languages(base, ("de", "es")), warnings)
