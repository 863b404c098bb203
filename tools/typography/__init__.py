"""Stage 2, typography: language-aware clean-up of prose in plain text or Markdown.

>>> typeset('He said "it\\'s 90 %" -- twice...', "en")
'He said “it’s 90%”—twice…'

:func:`typeset` returns the text; :func:`explain` also returns every change
(rule, line, before, after) and every warning (such as unbalanced quotes,
which are reported and left as written). Both are idempotent, change no
letter or digit, and leave Markdown syntax, URLs, code and HTML untouched.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from tools.languages import language
from tools.languages.styles import Style
from tools.typography.markup import Protector, TooManySpans, split_blocks
from tools.typography.rules import RULES, Change, Pass, TypographyWarning

__all__ = ["Change", "Report", "TypographyWarning", "explain", "typeset"]

MAX_ROUNDS = 4


@dataclass(frozen=True)
class Report:
    """The typeset text, what changed, and what was left for a person to decide."""

    text: str
    changes: tuple[Change, ...]
    warnings: tuple[TypographyWarning, ...]


SHORT = 256  # a text this long or shorter (a byline, a provenance phrase) is typeset once per process


def typeset(text: str, lang: str) -> str:
    """Clean the typography of ``text`` by the rules of ``lang`` (ISO 639-1, a code of the registry)."""
    return _typeset_short(text, lang) if len(text) <= SHORT else explain(text, lang).text


@lru_cache(maxsize=4096)
def _typeset_short(text: str, lang: str) -> str:
    """:func:`typeset` of a short text, remembered: every front-page and archive entry typesets its article's
    byline and provenance, the same few phrases thousands of times at 1,000 articles."""
    return explain(text, lang).text


def explain(text: str, lang: str) -> Report:
    """Like :func:`typeset`, and say which rule changed what on which line."""
    style = language(lang).style
    out: list[str] = []
    changes: list[Change] = []
    warnings: list[TypographyWarning] = []
    for block in split_blocks(text):
        if not block.prose:
            out.append(block.text if block.text.strip() else "\n" * block.text.count("\n"))
            continue
        text, block_changes, block_warnings = _typeset_paragraph(block.text, style, block.line)
        out.append(text)
        changes += block_changes
        warnings += block_warnings
    return Report("".join(out), tuple(changes), tuple(warnings))


def _typeset_paragraph(text: str, style: Style, line: int) -> tuple[str, list[Change], list[TypographyWarning]]:
    """Run the rules until the paragraph no longer changes.

    Real text settles in one round (the second finds nothing to do). Quote
    soup with no words between the marks can read differently once its
    marks are set; repeating until nothing changes makes the result a fixed
    point, so typesetting it again changes nothing.
    """
    changes: list[Change] = []
    for _ in range(MAX_ROUNDS):
        protector = Protector()
        try:
            paragraph = Pass(protector.protect(text), style, line, protector)
        except TooManySpans as error:
            return text, changes, [TypographyWarning(line, f"{error}: the paragraph is left as written")]
        for rule in RULES:
            rule(paragraph)
        changes += paragraph.changes
        if not paragraph.changes:
            break
        text = protector.restore(paragraph.text)
    return text, changes, paragraph.warnings
