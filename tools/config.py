"""The project's configuration: editions.yml (which languages to publish), checked value by value."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from tools.engines import ENGINES
from tools.errors import PressError
from tools.typography import LANGUAGES
from tools.yamlsource import Node, inline, list_of, mapping_of, read_yaml, shown, wrong_type

CONFIG_FILE = "editions.yml"
DEFAULT_ENGINES = ("argos", "apertium")  # Argos where a model is installed, else Apertium
KEYS = ("source_language", "languages", "engines")
_LANGUAGE_FIX = f"use one of {', '.join(LANGUAGES)}"


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
    """Read ``editions.yml`` under ``root``; a missing or empty file means an English-only project."""
    path = root / CONFIG_FILE
    if not path.is_file():
        return Config()
    document = read_yaml(path, f"make {CONFIG_FILE} a readable file")
    if document is None:
        return Config()
    fields = mapping_of(document, path, CONFIG_FILE, "write its keys: source_language, languages, engines")
    _check_keys(document, path)
    source = _language(fields["source_language"], path, "source_language") if "source_language" in fields else "en"
    languages = _languages(fields["languages"], path, source) if "languages" in fields else ()
    engines = _engines(fields["engines"], path) if "engines" in fields else {}
    return Config(source, languages, engines)


def key_line(path: Path, key: str) -> int | None:
    """The line of a top-level ``key`` in the configuration file ``path``; None if it is not there."""
    document = read_yaml(path, f"make {CONFIG_FILE} a readable file") if path.is_file() else None
    if document is None or not isinstance(document.value, dict) or key not in document.keys:
        return None
    return document.keys[key].line


def _check_keys(document: Node, path: Path) -> None:
    unknown = [node for key, node in document.keys.items() if key not in KEYS]
    if unknown:
        names = ", ".join(inline(node.source) for node in unknown)
        raise PressError(path, unknown[0].line, f"unknown key(s): {names}", f"use {', '.join(KEYS)}")


def _language(node: Node, path: Path, what: str) -> str:
    if not isinstance(node.value, str):
        raise wrong_type(node, path, what, "a language code", _LANGUAGE_FIX)
    if node.value not in LANGUAGES:
        raise PressError(path, node.line, f"unknown language {shown(node.value)}", _LANGUAGE_FIX)
    return node.value


def _languages(node: Node, path: Path, source: str) -> tuple[str, ...]:
    fix = (
        f"write a list: languages: [{inline(node.value)}]"
        if isinstance(node.value, str)
        else "write languages: [uk, de]"
    )
    items = list_of(node, path, "languages", fix + " (languages: [] for none)")
    languages: list[str] = []
    for item in items:
        lang = _language(item, path, "a language in languages")
        if lang == source:
            raise PressError(path, item.line, f"{lang} is the source language", f"remove {lang} from languages")
        if lang in languages:
            raise PressError(path, item.line, f"{lang} is listed twice in languages", "keep one")
        languages.append(lang)
    return tuple(languages)


def _engines(node: Node, path: Path) -> dict[str, tuple[str, ...]]:
    entries = mapping_of(node, path, "engines", f"write engines: {{es: [{', '.join(DEFAULT_ENGINES)}]}}")
    engines: dict[str, tuple[str, ...]] = {}
    for key, value in entries.items():
        lang = _language(node.keys[key], path, "a language in engines")
        engines[lang] = _engine_names(value, path, lang)
    return engines


def _engine_names(node: Node, path: Path, lang: str) -> tuple[str, ...]:
    known = ", ".join(sorted(ENGINES))
    fix = f"write {lang}: [{known}] or remove the entry"
    items = node.value if isinstance(node.value, list) else [node]
    if not items:
        raise PressError(path, node.line, f"no engines for {lang}", fix)
    for item in items:
        if not isinstance(item.value, str):
            raise wrong_type(item, path, f"an engine for {lang}", "an engine's name", fix)
        if item.value not in ENGINES:
            raise PressError(path, item.line, f"unknown engine {shown(item.value)} for {lang}", f"use one of {known}")
    return tuple(item.value for item in items)
