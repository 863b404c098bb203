"""The project's configuration: editions.yml (which languages to publish)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from tools.errors import PressError
from tools.typography import LANGUAGES

CONFIG_FILE = "editions.yml"


@dataclass(frozen=True)
class Config:
    """What to publish: the source language and the translated editions' languages."""

    source_language: str = "en"
    languages: tuple[str, ...] = ()

    @property
    def all_languages(self) -> tuple[str, ...]:
        """The source language first, then every translated edition's."""
        return (self.source_language, *self.languages)


def load_config(root: Path) -> Config:
    """Read ``editions.yml`` under ``root``; a missing file means an English-only project."""
    path = root / CONFIG_FILE
    if not path.is_file():
        return Config()
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        line = exc.problem_mark.line + 1 if getattr(exc, "problem_mark", None) else None
        raise PressError(path, line, f"not valid YAML: {getattr(exc, 'problem', exc)}", "fix the syntax") from None
    unknown = set(data) - {"source_language", "languages"}
    if unknown:
        raise PressError(path, None, f"unknown key(s): {', '.join(sorted(unknown))}", "use source_language, languages")
    config = Config(data.get("source_language", "en"), tuple(data.get("languages") or ()))
    for lang in config.all_languages:
        if lang not in LANGUAGES:
            raise PressError(
                path, _line_of(path, lang), f"unknown language '{lang}'", f"use one of {', '.join(LANGUAGES)}"
            )
    return config


def _line_of(path: Path, word: str) -> int | None:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if word in line:
            return number
    return None
