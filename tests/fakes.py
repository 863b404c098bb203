"""A fake engine for the tests of the memory and the translation stage, which need no real one.

It is never the proof that an engine works: the engines' own tests run Apertium, Argos models built by
tools/modelkit.py, and a real LibreTranslate server.
"""

from __future__ import annotations

from collections.abc import Callable

from tools.engines.base import Unavailable


class FakeEngine:
    """Applies ``transform`` to each sentence (placeholders pass through) and remembers every sentence sent."""

    def __init__(self, name: str = "fake", transform: Callable[[str], str] = lambda sentence: sentence) -> None:
        self.name, self.transform = name, transform
        self.sent: list[str] = []

    def unavailable(self, source: str, target: str) -> Unavailable | None:
        return None

    def model(self, source: str, target: str) -> str:
        return f"{self.name} 1"

    def translate(self, sentences: list[str], source: str, target: str) -> list[str]:
        self.sent += sentences
        return [self.transform(sentence) for sentence in sentences]
