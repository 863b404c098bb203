"""A paragraph with more protected spans than typography has placeholders is hostile or broken input: it is
left as written, with one warning at its line, and term detection treats it as protected; nothing raises."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tools.glossary.termbase import load_termbase
from tools.ingest import Article, Paragraph
from tools.publish.edition import TermLinker, render_article
from tools.typography import explain
from tools.typography.markup import protected_spans

ROOT = Path(__file__).resolve().parents[2]
FLOOD = "`shadow fleet` " * 40_000 + "said the 'captain'."


@pytest.mark.parametrize("lang", ["en", "fr", "uk"])
def test_a_flood_of_code_spans_is_left_as_written_with_one_warning(lang: str) -> None:
    report = explain(f'First "quoted" line.\n\n{FLOOD}\n', lang)
    first, flood = report.text.split("\n\n")
    assert flood == FLOOD + "\n", "left as written"
    assert first != 'First "quoted" line.', "the paragraph before it is still typeset"
    [warning] = report.warnings
    assert warning.line == 3 and "32,768" in warning.message and "left as written" in warning.message


def test_detection_does_not_look_inside_a_flood() -> None:
    assert protected_spans(FLOOD) == [(0, len(FLOOD))]


def test_an_article_with_a_flood_renders_with_a_warning_at_its_line() -> None:
    base, problems = load_termbase(ROOT / "glossary" / "terms.yml")
    assert not problems
    article = Article(
        id="flood",
        slug="flood",
        date=dt.date(2026, 2, 1),
        title="A flood",
        by="",
        paragraphs=(Paragraph("The shadow fleet sails.", 3), Paragraph(FLOOD, 5)),
        source=Path("seeds/flood.txt"),
        sha256="0" * 64,
    )
    page = render_article(article, "en", TermLinker(base, "en"))
    assert page.terms == ("shadow-fleet",), "linked in the first paragraph, not inside the flood"
    assert [(w.line, w.kind) for w in page.warnings] == [(5, "typography")]
