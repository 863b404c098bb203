"""The project's configuration, checked value by value: editions.yml (which languages to publish, by which
engines) and the publication's settings in mkdocs.yml (:func:`read_settings`).

The ``libretranslate:`` section names the servers of the LibreTranslate engine and how to talk to
them; loading the configuration hands it to that engine (``ENGINES["libretranslate"]``).

The settings a reader sees come from ``mkdocs.yml``: ``site_url`` (so the sitemap, canonical links,
language alternates and feeds are absolute), ``extra.publisher`` and ``extra.rights`` (the books' metadata
and the site's footer), and the same two lines in each edition's language under ``extra.editions.<lang>``
(an edition not listed there shows the lines above).
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import yaml

from tools.diagnostics import one_line, shown
from tools.engines import ENGINES, configure_engines
from tools.engines.argos.index import link_problem
from tools.engines.libretranslate import Settings as LibreTranslateSettings
from tools.errors import PressError
from tools.languages import CODES
from tools.layout import CONFIG_FILE, Layout
from tools.yamlsource import Node, list_of, mapping_of, read_yaml, text_of, wrong_type

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
        names = ", ".join(one_line(node.source) for node in unknown)
        raise PressError(path, unknown[0].line, f"unknown key(s): {names}", f"use {', '.join(KEYS)}")


def _language(node: Node, path: Path, what: str) -> str:
    if not isinstance(node.value, str):
        raise wrong_type(node, path, what, "a language code", _LANGUAGE_FIX)
    if node.value not in CODES:
        raise PressError(path, node.line, f"unknown language {shown(node.value)}", _LANGUAGE_FIX)
    return node.value


def _languages(node: Node, path: Path, source: str, key: str = "languages") -> tuple[str, ...]:
    """The list under ``key`` (languages, planned): known codes, none the source language, none twice."""
    fix = f"write a list: {key}: [{one_line(node.value)}]" if isinstance(node.value, str) else f"write {key}: [uk, de]"
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
        raise PressError(path, node.line, f"libretranslate.{key} is {one_line(node.source)}", f"write {wanted}")
    return value


# --- the site's settings: mkdocs.yml ------------------------------------------------------------


@dataclass(frozen=True)
class SiteSettings:
    """What ``mkdocs.yml`` says about the publication: its address, name, publisher and rights."""

    url: str = ""  # site_url, ending in '/', or '' when not set
    name: str = "Press editions"
    publisher: str = ""  # extra.publisher as written, or '' when not set (see edition())
    rights: str = ""
    editions: tuple[tuple[str, str, str], ...] = ()  # (lang, publisher, rights) in the edition's language

    def edition(self, lang: str, site_name: str = "") -> SiteSettings:
        """The settings as the edition in ``lang`` shows them: its own publisher and rights lines, when given. A
        publisher written nowhere is the edition's own ``site_name`` when given (the site's feeds, as its footer),
        else the site's name (the books)."""
        own = next((entry for entry in self.editions if entry[0] == lang), (lang, "", ""))
        publisher = own[1] or self.publisher or site_name or self.name
        return dataclasses.replace(self, publisher=publisher, rights=own[2] or self.rights)

    def article_url(self, lang: str, source_language: str, slug: str) -> str:
        """The article's absolute address in an edition ('' without a site_url)."""
        return urljoin(self.url, f"{edition_folder(lang, source_language)}{slug}/") if self.url else ""


def edition_folder(lang: str, source_language: str) -> str:
    """An edition's folder in the site: the source language's is the root."""
    return "" if lang == source_language else f"{lang}/"


def read_settings(root: Path) -> SiteSettings:
    """The publication's settings from ``root/mkdocs.yml``; a value of the wrong kind is one PressError line."""
    path = Layout(root).mkdocs
    if not path.is_file():
        return SiteSettings()
    try:
        document = yaml.compose(path.read_text(encoding="utf-8"), Loader=_AnyTags)
    except yaml.YAMLError as error:
        line = error.problem_mark.line + 1 if getattr(error, "problem_mark", None) else None
        problem = getattr(error, "problem", None) or "unreadable"
        raise PressError(path, line, f"not valid YAML: {problem}", "fix the YAML at that line") from None
    top = _mapping(document)
    extra = _mapping(top.get("extra"))
    _refuse_remote_assets(path, top)
    url = _text(path, top.get("site_url"), "site_url")
    if url and (urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).netloc):
        raise PressError(path, _line(top["site_url"]), f"site_url {shown(url)} is not an http(s) address", _URL_FIX)
    name = _text(path, top.get("site_name"), "site_name") or SiteSettings.name
    return SiteSettings(
        url=url.rstrip("/") + "/" if url else "",
        name=name,
        publisher=_text(path, extra.get("publisher"), "extra.publisher"),
        rights=_text(path, extra.get("rights"), "extra.rights"),
        editions=_editions(path, extra.get("editions")),
    )


_EDITION_KEYS = ("publisher", "rights")
_EDITIONS_FIX = "write extra.editions as a mapping: es: {publisher: …, rights: …}, a language code each"


def _editions(path: Path, node: yaml.Node | None) -> tuple[tuple[str, str, str], ...]:
    """``extra.editions``: each edition's publisher and rights in its language; a bad entry is one PressError."""
    if node is None or (isinstance(node, yaml.ScalarNode) and node.tag.endswith(":null")):
        return ()
    if not isinstance(node, yaml.MappingNode):
        raise PressError(path, _line(node), "extra.editions must be a mapping of languages", _EDITIONS_FIX)
    found = []
    for key, value in node.value:
        lang = str(key.value) if isinstance(key, yaml.ScalarNode) else ""
        if lang not in CODES:
            known = ", ".join(CODES)
            raise PressError(path, _line(key), f"extra.editions: {shown(lang)} is no language", f"use one of: {known}")
        fields = _mapping(value)
        if not isinstance(value, yaml.MappingNode) or set(fields) - set(_EDITION_KEYS):
            pairs = value.value if isinstance(value, yaml.MappingNode) else []
            where = next((k for k, _ in pairs if k.value not in _EDITION_KEYS), value)
            raise PressError(path, _line(where), f"extra.editions.{lang}: only publisher and rights", _EDITIONS_FIX)
        found.append((lang, *(_text(path, fields.get(k), f"extra.editions.{lang}.{k}") for k in _EDITION_KEYS)))
    return tuple(found)


_URL_FIX = "write the site's public address, e.g. site_url: https://news.example.org/"
_ASSETS = ("extra_javascript", "extra_css")


def _refuse_remote_assets(path: Path, top: dict[str, yaml.Node]) -> None:
    """A script or stylesheet of ``extra_javascript`` or ``extra_css`` must be a file of the site: the content
    security policy allows only 'self' (a remote one is blocked in every browser, or would be trusted code)."""
    for key in _ASSETS:
        node = top.get(key)
        items = node.value if isinstance(node, yaml.SequenceNode) else []
        for item in items:
            where = _mapping(item).get("path", item)  # a script may be {path: …, type: module}
            if not isinstance(where, yaml.ScalarNode):
                continue
            address = urlsplit(str(where.value).strip())
            if address.scheme or address.netloc:
                raise PressError(
                    path,
                    _line(where),
                    f"{key} {shown(str(where.value).strip())} is not a file of the site: the content security "
                    "policy allows only the site's own scripts and stylesheets",
                    f"copy it into docs/ and name that path (e.g. {key}: [{'js/x.js' if key == _ASSETS[0] else 'css/x.css'}])",
                )


class _AnyTags(yaml.SafeLoader):
    """YAML as mkdocs reads it: tags such as !!python/name or !ENV are kept as nodes, never constructed."""


def _mapping(node: yaml.Node | None) -> dict[str, yaml.Node]:
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {key.value: value for key, value in node.value if isinstance(key, yaml.ScalarNode)}


def _text(path: Path, node: yaml.Node | None, name: str) -> str:
    """A setting's text ('' when absent or null); a list or a mapping is an error at its line."""
    if node is None or (isinstance(node, yaml.ScalarNode) and node.tag.endswith(":null")):
        return ""
    if not isinstance(node, yaml.ScalarNode):
        raise PressError(path, _line(node), f"{name} must be text", f"write {name}: followed by one line of text")
    return str(node.value).strip()


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1
