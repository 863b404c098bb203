"""Translation engines behind one small interface.

An engine translates a batch of sentences from one language to another and
says what it is (name, model, version) for the provenance of every entry of
the translation memory. Adding an engine is one new module with a class like
:class:`ApertiumEngine` and one line in ``ENGINES``; an engine with settings
in editions.yml (LibreTranslate's servers) gets them from
:func:`configure_engines`, which loading the configuration calls. An engine
that can keep working while the memory is saved (Argos) also has
``stream(sentences, source, target)``, an iterator of the translations in
order; the translation stage then makes one call for all pending sentences
(:func:`tools.translate.engine_batches`).
"""

from __future__ import annotations

from typing import Protocol

from tools.engines.apertium import ApertiumEngine
from tools.engines.argos.engine import ArgosEngine
from tools.engines.base import EngineError, NoEngine, Unavailable, refusal
from tools.engines.libretranslate import LibreTranslateEngine, Settings


class Engine(Protocol):
    """What the translation stage needs of an engine."""

    name: str

    def unavailable(self, source: str, target: str) -> Unavailable | None:
        """Why this engine cannot translate source → target here (with the fix), or None."""

    def model(self, source: str, target: str) -> str:
        """The model and its version, for provenance: ``eng-spa 0.8.1``."""

    def translate(self, sentences: list[str], source: str, target: str) -> list[str]:
        """One translation per sentence, in order; raises EngineError rather than return a wrong one."""


ENGINES: dict[str, Engine] = {
    "argos": ArgosEngine(),
    "apertium": ApertiumEngine(),
    "libretranslate": LibreTranslateEngine(),
}


def configure_engines(libretranslate: Settings | None) -> None:
    """Give the engines their settings from editions.yml (None: that section is absent)."""
    ENGINES["libretranslate"].configure(libretranslate)


__all__ = ["ENGINES", "Engine", "EngineError", "NoEngine", "Unavailable", "configure_engines", "refusal"]
