"""The one type for what a check finds: where (file and line), how bad, what kind, what, and how to fix it.

QA findings of the editions, term-base and authored-definition problems, and
build warnings (seed repairs, typography, memory repairs, term locking) are
all diagnostics: every command prints each with ``str()``, counts them with
:func:`summary` or :func:`tally`, and exits with :func:`exit_status`. An
error reads as the CLI prints a :class:`~tools.errors.PressError`
(``error: FILE:LINE: …``); a warning, the ordinary finding, has no prefix::

    translations/es/x.po:12: [es] untranslated-word: the engine did not know: crossroads
    error: glossary/terms.yml:7: termbase: term 'x': unknown field 'fro'; fix: use only …

A :class:`~tools.errors.PressError` is a diagnostic without a kind (its :attr:`~tools.errors.PressError.diagnostic`),
printed by the same :meth:`Diagnostic.located`; a reason that has a fix (an engine that cannot serve, a broken
model package, a skipped edition) reads as its tail does, :func:`with_fix`. Whatever a file, a server or another
program says is shown with :func:`one_line`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

ERROR = "error"  # always fails the command
WARNING = "warning"  # fails it under --strict


SHOWN_LENGTH = 60  # how much of a hostile text a message shows


def one_line(text: object, limit: int = SHOWN_LENGTH) -> str:
    """Hostile text (a value from a file, a server's or a program's words, an exception) as one printable line:
    each character that does not print (a line end, a tab, an escape) written as Python writes it (``\\n``,
    ``\\x1b``), at most ``limit`` characters, the last one ``…`` when cut."""
    text = "".join(c if c.isprintable() else repr(c)[1:-1] for c in str(text))
    return text if len(text) <= limit else text[: limit - 1] + "…"


def shown(value: object) -> str:
    """``value`` quoted for a one-line message (:func:`one_line`)."""
    return f"'{one_line(value)}'"


def with_fix(message: str, fix: str) -> str:
    """``MESSAGE; fix: FIX``, or the message alone when there is no fix: how every reason and its fix read."""
    return f"{message}; fix: {fix}" if fix else message


@dataclass(frozen=True)
class Diagnostic:
    """One finding: ``[error: ]FILE:LINE: [lang] kind: message; fix: …`` (no ``[lang]`` when it concerns no one,
    no ``kind:`` for a :class:`~tools.errors.PressError`)."""

    path: Path | str
    line: int | None
    severity: str
    kind: str
    message: str
    fix: str = ""
    lang: str = ""

    def __str__(self) -> str:
        return f"{ERROR}: {self.located()}" if self.severity == ERROR else self.located()

    def located(self) -> str:
        """``FILE:LINE: [lang] kind: message; fix: …``, without the severity: the one format of every finding."""
        where = f"{self.path}:{self.line}" if self.line else str(self.path)
        scope = f"[{self.lang}] " if self.lang else ""
        kind = f"{self.kind}: " if self.kind else ""
        return f"{where}: {scope}{kind}{with_fix(self.message, self.fix)}"


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
