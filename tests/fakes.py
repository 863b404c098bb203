"""A fake engine for the tests of the memory and the translation stage, which need no real one, and a spy on
which memory files are parsed.

It is never the proof that an engine works: the engines' own tests run Apertium, Argos models built by
tools/modelkit.py, and a real LibreTranslate server.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

import tools.memory.entries
from tools.engines.base import EngineError, Unavailable


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


class StreamingFakeEngine(FakeEngine):
    """A fake engine that streams, as Argos does: one call for all sentences, translations yielded one by one.

    ``fail_after`` (a count) ends the stream with an EngineError there; ``short`` ends it silently.
    """

    def __init__(self, fail_after: int | None = None, short: bool = False) -> None:
        super().__init__("streaming", lambda sentence: f"ES {sentence}")
        self.calls, self.yielded, self.fail_after, self.short = 0, 0, fail_after, short

    def stream(self, sentences: list[str], source: str, target: str) -> Iterator[str]:
        self.calls += 1
        self.sent += sentences
        for sentence in sentences:
            if self.fail_after is not None and self.yielded == self.fail_after:
                if self.short:
                    return
                raise EngineError("the workers stopped")
            self.yielded += 1
            yield self.transform(sentence)


def record_memory_loads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the memory files parsed from now on (``Memory.load``), in order: a lookup the index answers
    parses none."""
    names: list[str] = []
    load = tools.memory.entries.Memory.load.__func__

    def loading(cls, path, *args, **kwargs):
        names.append(Path(path).name)
        return load(cls, path, *args, **kwargs)

    monkeypatch.setattr(tools.memory.entries.Memory, "load", classmethod(loading))
    return names
