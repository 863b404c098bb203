"""What `press typeset --explain` says, as data: tests/typography/changes.yml, one paragraph a case.

The expected lines were written when the quote rules found their Changes by
diffing the whole paragraph; each mark's edit, recorded where it is set, must
say the same thing.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tools.typography import explain

CASES = yaml.safe_load((Path(__file__).parent / "changes.yml").read_text(encoding="utf-8"))["cases"]


@pytest.mark.parametrize(
    "case", CASES, ids=[f"{number:02d}-{case['lang']}-{case['why'][:40]}" for number, case in enumerate(CASES, 1)]
)
def test_explain_lines(case: dict) -> None:
    report = explain(case["text"], case["lang"])
    assert [change.describe() for change in report.changes] == case["explain"]
