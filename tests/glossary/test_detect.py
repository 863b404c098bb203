"""Term detection (cases as data) and candidates for new terms."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tools.glossary.detect import Detector, candidates
from tools.glossary.termbase import load_termbase
from tools.ingest import read_seed

ROOT = Path(__file__).resolve().parents[2]
BASE, _ = load_termbase(ROOT / "glossary" / "terms.yml")
CASES = yaml.safe_load((Path(__file__).parent / "cases" / "detection.yml").read_text(encoding="utf-8"))["cases"]


def visible(text: str) -> str:
    return text.replace("⍽", "\u00a0")


@pytest.mark.parametrize("case", CASES, ids=[f"{c['lang']}-{c['why'][:40]}" for c in CASES])
def test_detection(case: dict) -> None:
    found = Detector(BASE, case["lang"]).find(visible(case["text"]))
    expected = [tuple(visible(item).split(" = ")) for item in case["found"]]
    assert [(m.text, m.term_id) for m in found] == expected


def test_every_term_occurs_in_the_seed() -> None:
    article = read_seed(ROOT / "seeds" / "000_665afb2dddca8924.txt")
    detector = Detector(BASE, "en")
    found = {m.term_id for p in article.paragraphs for m in detector.find(p.text)}
    assert found == {t.id for t in BASE.terms}


def test_every_quoted_phrase_of_the_seed_is_a_term_or_left_out() -> None:
    article = read_seed(ROOT / "seeds" / "000_665afb2dddca8924.txt")
    texts = [article.title] + [p.text for p in article.paragraphs]
    assert [c.phrase for c in candidates(texts, BASE) if c.kind == "quoted"] == []
    names = {c.phrase for c in candidates(texts, BASE) if c.kind == "name"}
    assert {"White House", "Middle East", "Gaza Strip"} <= names
    assert "Peace Council" not in names and "Northern Sea Route" not in names


def test_candidates_report_what_is_missing() -> None:
    found = candidates(["The «iron curtain» fell, the «shadow fleet» sailed; the Warsaw Pact ended."], BASE)
    assert [(c.phrase, c.kind) for c in found] == [("iron curtain", "quoted"), ("Warsaw Pact", "name")]
