"""One error type for every bad input, printed as one line: where, what, fix."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass
class PressError(Exception):
    """A problem with the user's input that the user can fix.

    Printed as ``FILE:LINE: MESSAGE; fix: FIX`` so that editors and CI logs
    can jump to the place.
    """

    path: Path | str | None
    line: int | None
    message: str
    fix: str = ""

    def __str__(self) -> str:
        where = str(self.path) if self.path is not None else "press"
        if self.line is not None:
            where += f":{self.line}"
        text = f"{where}: {self.message}"
        return f"{text}; fix: {self.fix}" if self.fix else text
