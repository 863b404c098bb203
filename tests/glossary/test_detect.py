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


@pytest.mark.parametrize(
    "lang, text, found",
    [
        ("en", "The shadow fleets grew, the shadow fleet sailed.", [("shadow fleets", True), ("shadow fleet", False)]),
        (
            "en",
            "Two Alaska summits and the frozen Russian assets.",
            [("Alaska summits", True), ("frozen Russian assets", False)],
        ),
        ("uk", "тіньові флоти і тіньового флоту", [("тіньові флоти", True), ("тіньового флоту", False)]),
        ("es", "las flotas fantasma y la flota fantasma", [("flotas fantasma", True), ("flota fantasma", False)]),
        ("ru", "мастера сделок", [("мастера сделок", False)]),  # also the singular's genitive: not a plural
    ],
)
def test_a_match_says_whether_its_form_is_a_plural(lang: str, text: str, found: list[tuple[str, bool]]) -> None:
    assert [(m.text, m.plural) for m in Detector(BASE, lang).find(text)] == found


def test_a_kept_name_is_found_next_to_a_hyphen_and_a_term_is_not() -> None:
    detector = Detector(BASE, "en", with_names=True)
    assert [m.term_id for m in detector.find("the Trump-Putin connection")] == ["=Trump", "=Putin"]
    assert detector.find("a pre-Alaska summit talk") == []
