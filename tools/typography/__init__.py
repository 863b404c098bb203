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

from tools.typography.markup import Protector, split_blocks
from tools.typography.rules import RULES, Change, Pass, Warning
from tools.typography.styles import STYLES, style_for

__all__ = ["LANGUAGES", "Change", "Report", "Warning", "explain", "typeset"]

LANGUAGES: tuple[str, ...] = tuple(sorted(STYLES))


@dataclass(frozen=True)
class Report:
    """The typeset text, what changed, and what was left for a person to decide."""

    text: str
    changes: tuple[Change, ...]
    warnings: tuple[Warning, ...]


def typeset(text: str, lang: str) -> str:
    """Clean the typography of ``text`` by the rules of ``lang`` (ISO 639-1)."""
    return explain(text, lang).text


def explain(text: str, lang: str) -> Report:
    """Like :func:`typeset`, and say which rule changed what on which line."""
    style = style_for(lang)
    out: list[str] = []
    changes: list[Change] = []
    warnings: list[Warning] = []
    for block in split_blocks(text):
        if not block.prose:
            out.append(block.text if block.text.strip() else "\n" * block.text.count("\n"))
            continue
        protector = Protector()
        paragraph = Pass(protector.protect(block.text), style, block.line, protector)
        for rule in RULES:
            rule(paragraph)
        out.append(protector.restore(paragraph.text))
        changes += paragraph.changes
        warnings += paragraph.warnings
    return Report("".join(out), tuple(changes), tuple(warnings))
