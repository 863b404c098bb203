"""Properties every language's typography must keep, on generated text and on the seed."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tools.languages import CODES
from tools.typography import explain, typeset

ROOT = Path(__file__).resolve().parents[2]
SEED = next((ROOT / "seeds").glob("*.txt"))
APOSTROPHES = "'’ʼ‘"

# Text made of what typography touches: words, quotes, dashes, dots, spaces, Markdown.
PIECES = st.sampled_from(
    ["word", "Слово", "пʼять", "café", "2026", "0.8", "z", "w", "в", "и", "d", "l", "B", "s", "Tis", "90s", "бы"]
    + list("\"'«»“”„‚‘’‹›")
    + ["-", "--", "---", "–", "—", "...", ". . .", "…"]
    + [" ", "  ", "\u00a0", "\u202f", "\t", "\n", "\n\n"]
    + list(".,;:!?()%¿¡*_#>[]`/")
    + ["`code`", "https://example.com/a--b", "<em>", "</em>", "[link](http://x.org)", "&amp;", "\n- ", "\n1. "]
    + ['<a href="x">', "</a>", "<sup>", "</sup>", "<span>", "</span>", "<div>", "<br>", "<!-- c -->"]
    + ["5", "12:30", "fe80::1", "″", "′"]
)
TEXTS = st.lists(PIECES, max_size=40).map("".join)


def letters_and_digits(text: str) -> str:
    """What no rule may change: the letters and digits, in order (apostrophes set aside)."""
    return "".join(ch for ch in unicodedata.normalize("NFC", text) if ch.isalnum() and ch not in APOSTROPHES)


@pytest.mark.parametrize("lang", CODES)
@given(text=TEXTS)
def test_idempotent_and_keeps_letters(lang: str, text: str) -> None:
    once = typeset(text, lang)
    assert typeset(once, lang) == once
    assert letters_and_digits(once) == letters_and_digits(text)
    assert once.count("\n") == text.count("\n"), "line numbers must stay true"


@pytest.mark.parametrize("lang", CODES)
def test_seed_properties(lang: str) -> None:
    source = SEED.read_text(encoding="utf-8")
    report = explain(source, lang)
    assert report.warnings == ()
    assert typeset(report.text, lang) == report.text
    assert letters_and_digits(report.text) == letters_and_digits(source)
    assert "  " not in report.text and '"' not in report.text


def test_every_change_names_its_rule_and_line() -> None:
    source = SEED.read_text(encoding="utf-8")
    report = explain(source, "en")
    rules = {change.rule for change in report.changes}
    assert {"quotes", "dashes"} <= rules
    lines = source.split("\n")
    for change in report.changes:
        assert 1 <= change.line <= len(lines)
        # The text before the change is found on the line the change names.
        assert change.before.strip("⍽ ")[:8] in lines[change.line - 1]


def test_unknown_language_is_refused() -> None:
    with pytest.raises(ValueError, match="no entry in tools/languages for language 'xx'"):
        typeset("text", "xx")
