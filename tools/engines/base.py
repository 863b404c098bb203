"""What every engine shares: its error, and the reason it cannot run."""

from __future__ import annotations

from dataclasses import dataclass


class EngineError(Exception):
    """The engine failed or gave output that cannot be a translation (empty, wrong count)."""


@dataclass(frozen=True)
class Unavailable:
    """Why an engine cannot serve a language pair on this machine, and the command that fixes it."""

    reason: str
    fix: str
