"""The project's configuration: editions.yml (which languages to publish)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from tools.engines import ENGINES
from tools.errors import PressError
from tools.typography import LANGUAGES

CONFIG_FILE = "editions.yml"
DEFAULT_ENGINES = ("argos", "apertium")  # Argos where a model is installed, else Apertium


@dataclass(frozen=True)
class Config:
    """What to publish: the source language and the translated editions' languages."""

    source_language: str = "en"
    languages: tuple[str, ...] = ()
    engines: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def engines_for(self, lang: str) -> tuple[str, ...]:
        """The engines to try for ``lang``, in order."""
        return self.engines.get(lang, DEFAULT_ENGINES)

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
    unknown = set(data) - {"source_language", "languages", "engines"}
    if unknown:
        raise PressError(
            path, None, f"unknown key(s): {', '.join(sorted(unknown))}", "use source_language, languages, engines"
        )
    engines = {
        lang: tuple(names if isinstance(names, list) else [names])
        for lang, names in (data.get("engines") or {}).items()
    }
    config = Config(data.get("source_language", "en"), tuple(data.get("languages") or ()), engines)
    known = set(ENGINES)
    for lang, names in engines.items():
        for name in names:
            if name not in known:
                raise PressError(
                    path,
                    _line_of(path, name),
                    f"unknown engine '{name}' for {lang}",
                    f"use one of {', '.join(sorted(known))}",
                )
    for lang in config.all_languages:
        if lang not in LANGUAGES:
            raise PressError(
                path, _line_of(path, lang), f"unknown language '{lang}'", f"use one of {', '.join(LANGUAGES)}"
            )
    return config


def _line_of(path: Path, word: str) -> int | None:
    """The first line, outside comments, where ``word`` stands as a YAML value."""
    pattern = re.compile(rf"(?<![\w-]){re.escape(word)}(?![\w-])")
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if pattern.search(line.split("#", 1)[0]):
            return number
    return None
