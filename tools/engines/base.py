"""What every engine shares: its error, the reason it cannot run, the stand-in where none can, and the check that
refuses a reply no translation can be."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from tools.diagnostics import with_fix

# A reply longer than this many times its sentence, plus SLACK characters, is not a translation of it.
GROWTH = 10
SLACK = 100
# C0 controls, DEL, C1 controls, and the bidi controls that reorder what a reader sees (Trojan Source).
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]")
_PLACEHOLDER = re.compile(r"⟦T\d+⟧")


class EngineError(Exception):
    """The engine failed or gave output that cannot be a translation (empty, wrong count)."""


@dataclass(frozen=True)
class Unavailable:
    """Why an engine cannot serve a language pair on this machine, and the command that fixes it."""

    reason: str
    fix: str

    def __str__(self) -> str:
        return with_fix(self.reason, self.fix)


@dataclass(frozen=True)
class NoEngine:
    """Stands where no engine here can serve a pair: the memories alone translate, and asking it for a sentence is
    an :class:`EngineError` that says why no engine could (``why``). Its name is the engines that were tried."""

    name: str
    why: str

    def unavailable(self, source: str, target: str) -> Unavailable | None:
        return Unavailable(self.why, "")

    def model(self, source: str, target: str) -> str:
        return ""

    def translate(self, sentences: list[str], source: str, target: str) -> list[str]:
        raise EngineError(f"no engine here can translate it: {self.why}")


def refusal(sent: str, reply: str) -> str | None:
    """Why ``reply`` cannot be the translation of ``sent`` (the text the engine got), or None.

    Refused: a control character (C0, DEL, C1, a bidi control, a line or paragraph separator) that ``sent``
    does not have itself; a lock placeholder (``⟦T99⟧``) that was not in ``sent``; more than
    GROWTH × ``len(sent)`` + SLACK characters.
    """
    controls = [c for c in dict.fromkeys(_CONTROL.findall(reply)) if c not in sent]
    if controls:
        return "it has " + ", ".join(_codepoint(c) for c in controls)
    stray = sorted(set(_PLACEHOLDER.findall(reply)) - set(_PLACEHOLDER.findall(sent)))
    if stray:
        return f"it has lock placeholder(s) that were not sent: {', '.join(stray)}"
    limit = GROWTH * len(sent) + SLACK
    if len(reply) > limit:
        return f"it is {len(reply)} characters long, over the limit of {limit} ({GROWTH}× the sentence + {SLACK})"
    return None


def _codepoint(char: str) -> str:
    """``U+0000 (NUL)``, ``U+202E (RIGHT-TO-LEFT OVERRIDE)``."""
    name = unicodedata.name(char, "") or {0: "NUL", 0x1B: "ESC", 0x7F: "DEL"}.get(ord(char), "control")
    return f"U+{ord(char):04X} ({name})"
