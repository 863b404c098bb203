"""The one type for what a check finds: where (file and line), how bad, what kind, what, and how to fix it.

QA findings of the editions, term-base and authored-definition problems, and
build warnings (seed repairs, typography, memory repairs, term locking) are
all diagnostics: every command prints each with ``str()``, counts them with
:func:`summary` or :func:`tally`, and exits with :func:`exit_status`. An
error reads as the CLI prints a :class:`~tools.errors.PressError`
(``error: FILE:LINE: …``); a warning, the ordinary finding, has no prefix::

    translations/es/x.po:12: [es] untranslated-word: the engine did not know: crossroads
    error: glossary/terms.yml:7: termbase: term 'x': unknown field 'fro'; fix: use only …
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

ERROR = "error"  # always fails the command
WARNING = "warning"  # fails it under --strict


@dataclass(frozen=True)
class Diagnostic:
    """One finding: ``[error: ]FILE:LINE: [lang] kind: message; fix: …`` (no ``[lang]`` when it concerns no one)."""

    path: Path | str
    line: int | None
    severity: str
    kind: str
    message: str
    fix: str = ""
    lang: str = ""

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else str(self.path)
        severity = f"{ERROR}: " if self.severity == ERROR else ""
        scope = f"[{self.lang}] " if self.lang else ""
        text = f"{severity}{where}: {scope}{self.kind}: {self.message}"
        return f"{text}; fix: {self.fix}" if self.fix else text


def summary(diagnostics: Iterable[Diagnostic], noun: str = "finding") -> str:
    """``3 finding(s): 2 double-space, 1 numbers`` (kinds by name), or ``0 finding(s)``."""
    kinds = Counter(d.kind for d in diagnostics)
    total = sum(kinds.values())
    return f"{total} {noun}(s)" + (": " + ", ".join(f"{n} {k}" for k, n in sorted(kinds.items())) if kinds else "")


def tally(diagnostics: Iterable[Diagnostic]) -> str:
    """``2 error(s), 1 warning(s)``."""
    found = list(diagnostics)
    errors = sum(d.severity == ERROR for d in found)
    return f"{errors} error(s), {len(found) - errors} warning(s)"


def exit_status(diagnostics: Iterable[Diagnostic], strict: bool) -> int:
    """1 when an error was found, or under ``strict`` any diagnostic at all; else 0."""
    found = list(diagnostics)
    return 1 if any(d.severity == ERROR for d in found) or (strict and found) else 0
