"""The one type for what a check finds: where (file and line), how bad, what kind, what, and how to fix it.

QA findings of the translated editions are diagnostics now; term-base
problems and build warnings are meant to become diagnostics too, so that every
command prints, counts and fails on them the same way. The term base's
``Problem(severity, path, line, message, fix)`` maps one to one::

    Diagnostic(problem.path, problem.line, problem.severity, "termbase", problem.message, problem.fix)

and a build warning about a seed (``seeds/x.txt: BOM removed``) is
``Diagnostic(path, None, WARNING, "repair", "BOM removed")``. A command prints
each with ``str()``, then :func:`summary`, and exits with :func:`exit_status`.
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
    """One finding: ``FILE:LINE: [lang] kind: message; fix: …`` (no ``[lang]`` when it concerns no one language)."""

    path: Path | str
    line: int | None
    severity: str
    kind: str
    message: str
    fix: str = ""
    lang: str = ""

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else str(self.path)
        scope = f"[{self.lang}] " if self.lang else ""
        text = f"{where}: {scope}{self.kind}: {self.message}"
        return f"{text}; fix: {self.fix}" if self.fix else text


def summary(diagnostics: Iterable[Diagnostic], noun: str = "finding") -> str:
    """``3 finding(s): 2 double-space, 1 numbers`` (kinds by name), or ``0 finding(s)``."""
    kinds = Counter(d.kind for d in diagnostics)
    total = sum(kinds.values())
    return f"{total} {noun}(s)" + (": " + ", ".join(f"{n} {k}" for k, n in sorted(kinds.items())) if kinds else "")


def exit_status(diagnostics: Iterable[Diagnostic], strict: bool) -> int:
    """1 when an error was found, or under ``strict`` any diagnostic at all; else 0."""
    found = list(diagnostics)
    return 1 if any(d.severity == ERROR for d in found) or (strict and found) else 0
