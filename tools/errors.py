"""One error type for every bad input, printed as one line: where, what, fix."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from tools.diagnostics import ERROR, Diagnostic


@dataclass
class PressError(Exception):
    """A problem with the user's input that the user can fix: an error :class:`~tools.diagnostics.Diagnostic`
    that ends the command.

    Printed as ``FILE:LINE: MESSAGE; fix: FIX`` (the CLI puts ``error:`` first, as a diagnostic's
    severity) so that editors and CI logs can jump to the place.
    """

    path: Path | str | None
    line: int | None
    message: str
    fix: str = ""

    @classmethod
    def of(cls, diagnostic: Diagnostic) -> PressError:
        """The diagnostic raised: its place, message and fix."""
        return cls(diagnostic.path, diagnostic.line, diagnostic.message, diagnostic.fix)

    @property
    def diagnostic(self) -> Diagnostic:
        """The error as a diagnostic of no kind (``press`` stands for its file when it concerns none)."""
        return Diagnostic(self.path if self.path is not None else "press", self.line, ERROR, "", self.message, self.fix)

    def __str__(self) -> str:
        return self.diagnostic.located()
