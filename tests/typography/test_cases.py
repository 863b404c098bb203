"""Typography cases as data: tests/typography/cases/<lang>.yml, written from each language's style rules."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tools.languages import CODES
from tools.typography import explain, typeset

CASES = Path(__file__).parent / "cases"
VISIBLE = {"⍽": "\u00a0", "⸱": "\u202f"}
MIN_CASES_PER_LANGUAGE = 25


def _unvisible(text: str) -> str:
    for symbol, char in VISIBLE.items():
        text = text.replace(symbol, char)
    return text


def _load() -> list:
    params = []
    for path in sorted(CASES.glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for number, case in enumerate(data["cases"], start=1):
            params.append(
                pytest.param(
                    data["lang"],
                    _unvisible(case["in"]),
                    _unvisible(case["out"]),
                    case.get("warns", 0),
                    id=f"{data['lang']}-{number:02d}-{case['why'][:40]}",
                )
            )
    return params


@pytest.mark.parametrize("lang, source, expected, warns", _load())
def test_case(lang: str, source: str, expected: str, warns: int) -> None:
    report = explain(source, lang)
    assert report.text == expected
    assert len(report.warnings) == warns
    assert typeset(expected, lang) == expected, "typesetting the expected text must change nothing"


@pytest.mark.parametrize("lang", CODES)
def test_every_language_has_enough_cases(lang: str) -> None:
    path = CASES / f"{lang}.yml"
    assert path.is_file(), f"no case file for {lang}"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert data["lang"] == lang
    assert len(data["cases"]) >= MIN_CASES_PER_LANGUAGE
    assert all(case.get("why") for case in data["cases"]), "every case says why"
