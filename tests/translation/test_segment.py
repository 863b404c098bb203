"""Sentence segmentation: cases as data, and the seed round-trips exactly."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tools.ingest import read_seed
from tools.segment import dateline, join_sentences, split_sentences

ROOT = Path(__file__).resolve().parents[2]
CASES = yaml.safe_load((Path(__file__).parent / "segmentation.yml").read_text(encoding="utf-8"))["cases"]


@pytest.mark.parametrize("case", CASES, ids=[c["why"][:40] for c in CASES])
def test_segmentation(case: dict) -> None:
    assert split_sentences(case["text"], case.get("lang")) == case["sentences"]
    assert join_sentences(case["sentences"]) == case["text"]


def test_the_seed_round_trips() -> None:
    article = read_seed(ROOT / "seeds" / "000_665afb2dddca8924.txt")
    total = 0
    for paragraph in article.paragraphs:
        sentences = split_sentences(paragraph.text)
        assert join_sentences(sentences) == paragraph.text
        total += len(sentences)
    assert total == 57


DATELINES = yaml.safe_load((Path(__file__).parent / "segmentation.yml").read_text(encoding="utf-8"))["datelines"]


@pytest.mark.parametrize("case", DATELINES, ids=[c["why"] for c in DATELINES])
def test_a_dateline_is_the_place_date_and_agency_before_the_story_s_dash(case: dict) -> None:
    found = dateline(case["text"])
    assert (found and case["text"][: found.start("dash")]) == (case["dateline"] or None)
