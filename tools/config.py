"""The project's configuration: editions.yml (which languages to publish, by which engines), checked value by value.

The ``libretranslate:`` section names the servers of the LibreTranslate engine and how to talk to
them; loading the configuration hands it to that engine (``ENGINES["libretranslate"]``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from tools.engines import ENGINES, configure_engines
from tools.engines.argos.index import link_problem
from tools.engines.libretranslate import Settings as LibreTranslateSettings
from tools.errors import PressError
from tools.languages import CODES
from tools.layout import CONFIG_FILE, Layout
from tools.yamlsource import Node, inline, list_of, mapping_of, read_yaml, shown, text_of, wrong_type

DEFAULT_ENGINES = ("argos", "apertium")  # Argos where a model is installed, else Apertium
KEYS = ("source_language", "languages", "engines", "libretranslate", "planned")
LIBRETRANSLATE_KEYS = ("urls", "api_key_env", "timeout", "retries", "backoff", "chunk", "in_flight")
# (key, lowest, highest, whole numbers only) of the libretranslate section's numbers
LIBRETRANSLATE_NUMBERS = (
    ("timeout", 1, 3600, False),
    ("retries", 0, 10, True),
    ("backoff", 0, 60, False),
    ("chunk", 1, 1000, True),
    ("in_flight", 1, 16, True),
)
ENVIRONMENT_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,63}")
_LIBRETRANSLATE_FIX = "write libretranslate: {urls: [http://127.0.0.1:5000]} (README: Scaling out)"
_LANGUAGE_FIX = f"use one of {', '.join(CODES)}"


@dataclass(frozen=True)
class Config:
    """What to publish: the source language and the translated editions' languages (and those only planned:
    listed so that the term base keeps them in mind, never translated nor built)."""

    source_language: str = "en"
    languages: tuple[str, ...] = ()
    engines: dict[str, tuple[str, ...]] = field(default_factory=dict)
    libretranslate: LibreTranslateSettings | None = None
    planned: tuple[str, ...] = ()

    def engines_for(self, lang: str) -> tuple[str, ...]:
        """The engines to try for ``lang``, in order."""
        return self.engines.get(lang, DEFAULT_ENGINES)

    @property
    def all_languages(self) -> tuple[str, ...]:
        """The source language first, then every translated edition's."""
        return (self.source_language, *self.languages)


def load_config(root: Path) -> Config:
    """Read ``editions.yml`` under ``root`` and configure the engines; no file or an empty one: English only."""
    config = _read_config(Layout(root).config)
    configure_engines(config.libretranslate)
    return config


def _read_config(path: Path) -> Config:
    if not path.is_file():
        return Config()
    document = read_yaml(path, f"make {CONFIG_FILE} a readable file")
    if document is None:
        return Config()
    fields = mapping_of(document, path, CONFIG_FILE, "write its keys: source_language, languages, engines")
    _check_keys(document, path)
    source = _language(fields["source_language"], path, "source_language") if "source_language" in fields else "en"
    languages = _languages(fields["languages"], path, source) if "languages" in fields else ()
    planned = _planned(fields["planned"], path, source, languages) if "planned" in fields else ()
    engines = _engines(fields["engines"], path) if "engines" in fields else {}
    servers = _libretranslate(fields["libretranslate"], path, document.keys) if "libretranslate" in fields else None
    if servers is None:
        _check_engine_settings(fields.get("engines"), path)
    return Config(source, languages, engines, servers, planned)


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
    if node.value not in CODES:
        raise PressError(path, node.line, f"unknown language {shown(node.value)}", _LANGUAGE_FIX)
    return node.value


def _languages(node: Node, path: Path, source: str, key: str = "languages") -> tuple[str, ...]:
    """The list under ``key`` (languages, planned): known codes, none the source language, none twice."""
    fix = f"write a list: {key}: [{inline(node.value)}]" if isinstance(node.value, str) else f"write {key}: [uk, de]"
    items = list_of(node, path, key, f"{fix} ({key}: [] for none)")
    languages: list[str] = []
    for item in items:
        lang = _language(item, path, f"a language in {key}")
        if lang == source:
            raise PressError(path, item.line, f"{lang} is the source language", f"remove {lang} from {key}")
        if lang in languages:
            raise PressError(path, item.line, f"{lang} is listed twice in {key}", "keep one")
        languages.append(lang)
    return tuple(languages)


def _planned(node: Node, path: Path, source: str, languages: tuple[str, ...]) -> tuple[str, ...]:
    """The languages off on purpose: in no edition until moved into ``languages``."""
    planned = _languages(node, path, source, "planned")
    items = node.value if isinstance(node.value, list) else []
    for item, lang in zip(items, planned, strict=True):
        if lang in languages:
            fix = f"keep {lang} in one of the two: languages to build its edition, planned to leave it off"
            raise PressError(path, item.line, f"{lang} is both in languages and planned", fix)
    return planned


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


def _check_engine_settings(node: Node | None, path: Path) -> None:
    """An engine named in engines whose settings are missing: an error at the line that names it."""
    for value in node.value.values() if node is not None and isinstance(node.value, dict) else ():
        for item in value.value if isinstance(value.value, list) else [value]:
            if item.value == "libretranslate":
                raise PressError(path, item.line, "libretranslate needs its servers", _LIBRETRANSLATE_FIX)


def _libretranslate(node: Node, path: Path, keys: dict) -> LibreTranslateSettings:
    """The ``libretranslate:`` section: server URLs, the API key's variable, timeout, retries, chunk size."""
    fields = mapping_of(node, path, "libretranslate", _LIBRETRANSLATE_FIX)
    for key, key_node in node.keys.items():
        if key == "api_key":
            fix = "put the key in an environment variable and name it: api_key_env: LT_API_KEY"
            raise PressError(path, key_node.line, "an API key must not be written in editions.yml", fix)
        if key not in LIBRETRANSLATE_KEYS:
            message = f"unknown key {shown(key_node.source)} in libretranslate"
            raise PressError(path, key_node.line, message, f"use {', '.join(LIBRETRANSLATE_KEYS)}")
    if "urls" not in fields:
        raise PressError(path, keys["libretranslate"].line, "libretranslate has no urls", _LIBRETRANSLATE_FIX)
    settings = {key: _number(fields[key], path, key, low, high, whole) for key, low, high, whole in
                LIBRETRANSLATE_NUMBERS if key in fields}  # fmt: skip
    key_env = _environment_name(fields["api_key_env"], path) if "api_key_env" in fields else None
    return LibreTranslateSettings(_urls(fields["urls"], path), key_env, **settings)


def _urls(node: Node, path: Path) -> tuple[str, ...]:
    items = list_of(node, path, "libretranslate.urls", "write urls: [http://127.0.0.1:5000, http://127.0.0.1:5001]")
    if not items:
        raise PressError(path, node.line, "libretranslate.urls is empty", _LIBRETRANSLATE_FIX)
    urls: list[str] = []
    for item in items:
        url = text_of(item, path, "a URL in libretranslate.urls", "write a URL like http://127.0.0.1:5000").strip()
        if problem := link_problem(url):
            fix = "write the server's address, like http://127.0.0.1:5000; an API key goes in api_key_env"
            shown_url = "a URL" if "password" in problem else shown(url)  # never echo a credential
            raise PressError(path, item.line, f"{shown_url} in libretranslate.urls: {problem}", fix)
        if "?" in url or "#" in url:
            fix = "write only the server's address (and a path prefix, if it has one)"
            raise PressError(path, item.line, f"{shown(url)} in libretranslate.urls has a query or a fragment", fix)
        url = url.rstrip("/")
        if url in urls:
            raise PressError(path, item.line, f"{shown(url)} is listed twice in libretranslate.urls", "keep one")
        urls.append(url)
    return tuple(urls)


def _environment_name(node: Node, path: Path) -> str:
    fix = "name the variable that holds the key, like api_key_env: LT_API_KEY, and export LT_API_KEY=<key>"
    name = text_of(node, path, "libretranslate.api_key_env", fix).strip()
    if not ENVIRONMENT_NAME.fullmatch(name):
        message = "libretranslate.api_key_env must name an environment variable (letters, digits, _), not hold a key"
        raise PressError(path, node.line, message, fix)
    return name


def _number(node: Node, path: Path, key: str, low: float, high: float, whole: bool) -> float | int:
    kind = "a whole number" if whole else "a number"
    wanted = f"{kind} from {low} to {high}"
    value = node.value
    if isinstance(value, bool) or not isinstance(value, (int, float)) or (whole and not isinstance(value, int)):
        raise wrong_type(node, path, f"libretranslate.{key}", kind, f"write {key}: {wanted}")
    if not low <= value <= high:
        raise PressError(path, node.line, f"libretranslate.{key} is {inline(node.source)}", f"write {wanted}")
    return value
