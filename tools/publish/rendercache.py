"""The site's render cache: each page's HTML as the theme's template rendered it, kept between builds.

mkdocs renders the theme's template for every page of every edition on every build, and after a one-sentence
edit all but one of them render as before: at 1,000 articles that is most of an edit's site build. The
conversion of each page's Markdown is cached already (:mod:`tools.publish.sitecache`); this caches the next
step. The template renders the page's *context*, so the key of a render (:func:`render_key`) is a digest of the
whole context, taken after every ``on_page_context`` (the i18n plugin sets the page's language alternates
there): every value in it is reduced to plain data (:func:`plain`): the page (its HTML, table of contents,
title, front matter, addresses, neighbours and parents), the navigation, the edition's pages, the configuration
and every plugin's settings; a value of a kind it does not know makes the page uncacheable, so a new plugin or
theme feature costs speed, never a stale page. The theme's own templates (every ``.html`` and ``.xml`` of its
folders outside the installed libraries, whose versions are in the code's digest) and the code are in every
key. Left out are ``build_date_utc`` and the folders the build reads and writes (``mkdocs serve`` builds into a
temporary one): no template of the theme names them, which is checked (:func:`templates_digest`), and a
template that does makes every page uncacheable.

Each render is a file ``<key>.html`` under :attr:`tools.layout.Layout.site_renders`
(:class:`tools.publish.cachefolder.CacheFolder`: a torn, damaged or misplaced file is a miss, never a page); a
render that logged anything is not kept. The folder holds the last build's renders only.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import jinja2
import jinja2.bccache
import material
import mkdocs
from mkdocs.plugins import BasePlugin
from mkdocs.structure.nav import Link, Navigation, Section
from mkdocs.structure.pages import Page

from tools.fsutil import data_sha, text_sha
from tools.layout import Layout
from tools.publish.cachefolder import CacheFolder
from tools.publish.sitecache import cache_folders, counting_logs, toc_tokens

LIBRARY_TEMPLATES = tuple(Path(module.__file__).parent for module in (mkdocs, material))
_SKIPPED = frozenset({"build_date_utc"})  # read by no template of the theme (checked: templates_digest)
# Where this build reads and writes (``mkdocs serve`` builds into a temporary folder; a configuration is named by
# a relative or an absolute path): read by no template either (checked too), so a page renders the same wherever.
PLACES = frozenset({"site_dir", "docs_dir", "config_file_path"})
_UNREAD = _SKIPPED | PLACES
# Context values that are one object for the whole build and never change in it: the configuration (its ``extra``
# aside, where the i18n plugin writes each page's alternates: that part is read per page) and the i18n plugin's
# settings.
_BUILT = frozenset({"config", "i18n_config"})


class Uncacheable(Exception):
    """A context value the key cannot reduce to plain data."""


@dataclass
class _State:
    folder: CacheFolder | None = None
    compiled: CacheFolder | None = None  # the templates' compiled code (Jinja's bytecode cache)
    code: str = ""
    build: str = ""  # the digest of what is the same for every page of this edition's build
    pending: tuple[Any, str] | None = None  # the page whose render comes next, and its key
    used: set[str] = field(default_factory=set)
    hits: int = 0
    misses: int = 0
    memo: dict[int, tuple[Any, Any]] = field(default_factory=dict)  # id → (object, digest), for one build


_state = _State()


def install(root: Path, code: str) -> None:
    """Use the render cache of the project at ``root`` for this process's next build (``code``: the digest of
    the code and libraries that render)."""
    layout = Layout(root)
    _state.folder, _state.code = cache_folders(layout)["renders"], code
    _state.compiled = CacheFolder(layout.site_templates, ".code")
    _state.used, _state.hits, _state.misses, _state.pending = set(), 0, 0, None


def on_env(env: jinja2.Environment, config: Any) -> jinja2.Environment:
    """This edition's build: its templates render through the cache, its configuration is digested once, and the
    templates are compiled once, not at every build of every edition (Jinja's bytecode cache, which compiles a
    template again when its source changed; a damaged file is compiled again too)."""
    env.template_class = _CachedTemplate
    if _state.compiled is not None:
        env.bytecode_cache = _CompiledTemplates(_state.compiled)
    _state.memo = {}
    templates = templates_digest(tuple(config.theme.dirs))
    try:
        settings = {name: plain(value) for name, value in config.items() if name not in PLACES and name != "extra"}
    except Uncacheable:
        _state.build = ""
        return env
    _state.build = _digest({"code": _state.code, "templates": templates, "config": settings})
    return env


def page_context(context: Mapping[str, Any], page: Any) -> None:
    """Say which render comes next (the page's), under the key of its final context."""
    _state.pending = None
    if _state.folder is None or not _state.build or not isinstance(page, Page):
        return
    try:
        key = render_key(context)
    except Uncacheable:
        return
    _state.pending = (page, key)


def render_key(context: Mapping[str, Any]) -> str:
    """The sha256 of what a page's template reads: its context, the edition's settings, the templates, the code."""
    made_of = {name: plain(value) for name, value in context.items() if name not in _SKIPPED and name not in _BUILT}
    made_of["config"] = plain(context["config"]["extra"])  # the rest of the configuration is in the build digest
    if "i18n_config" in context:  # the same object for every page of the build
        settings = context["i18n_config"]
        made_of["i18n_config"] = _once(settings, lambda: plain(settings))
    return _digest({"build": _state.build, "context": made_of})


def plain(value: Any, in_nav: bool = False) -> Any:
    """``value`` as JSON-ready data; Uncacheable for a kind of object not known here. A page ``in_nav`` (reached
    through the navigation) is without its HTML: a template shows a navigation's pages by their titles and
    addresses, never their text (checked: :func:`templates_digest`); so the download page's sizes or the front
    page's list, which change with an edit, do not make every page of the edition render again."""
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, Page):
        return _page(value, with_html=not in_nav)
    if isinstance(value, Navigation):  # once a build
        return _once(value, lambda: [plain(item, in_nav=True) for item in value])
    if isinstance(value, (list, tuple)) and len(value) < 64:
        return [plain(item, in_nav) for item in value]
    if isinstance(value, (list, tuple)):  # the edition's pages: once a build
        return _once(value, lambda: [plain(item, in_nav) for item in value])
    if isinstance(value, Section):
        return {"section": value.title, "children": [plain(child, in_nav) for child in value.children]}
    if isinstance(value, Link):
        return {"link": value.title, "url": value.url}
    if type(value).__name__ == "Theme":
        return {"name": value.name, "dirs": list(value.dirs), "vars": {k: plain(v) for k, v in value.items()}}
    if isinstance(value, Mapping) or hasattr(value, "items") and callable(value.items):
        return {str(key): plain(item) for key, item in value.items()}
    if isinstance(value, BasePlugin):
        return {"plugin": type(value).__qualname__, "config": plain(value.config)}
    if isinstance(value, ModuleType):  # a hooks module: its code is in the code's digest
        return {"hooks": value.__name__}
    if type(value).__name__ == "File":
        return {"file": value.src_uri, "url": value.url}
    if type(value).__name__ in ("Locale", "_Locale"):
        return str(value)
    if isinstance(value, (set, frozenset)):
        return sorted(map(str, value))
    raise Uncacheable(type(value).__qualname__)


def _page(page: Page, with_html: bool = True) -> dict:
    """What a template can read of a page (the rest is derived from these); its HTML ``with_html``. Not whether it
    is active: that is the page being built and its parents (the navigation's digest is made once a build,
    whichever page came first)."""
    return {
        "src": page.file.src_uri,
        "url": page.url,
        "canonical": page.canonical_url,
        "abs": page.abs_url,
        "edit": page.edit_url,
        "title": page.title,
        "content": None if page.content is None or not with_html else text_sha(page.content),
        "toc": toc_tokens(page.toc or []),
        "meta": plain(page.meta),
        "home": page.is_homepage,
        "previous": _neighbour(page.previous_page),
        "next": _neighbour(page.next_page),
        "parents": [parent.title for parent in page.ancestors],
    }


def _neighbour(page: Any) -> list | None:
    return None if page is None else [page.title, page.url]


def _once(value: Any, make: Any) -> Any:
    """The digest of ``make()``, made once per build for ``value`` (the edition's pages, its navigation and the
    i18n plugin's settings are the same objects for every page)."""
    held = _state.memo.get(id(value))
    if held is not None and held[0] is value:
        return held[1]
    result = {"digest": _digest(make())}
    _state.memo[id(value)] = (value, result)
    return result


def _digest(data: Any) -> str:
    return data_sha(data)


_templates: dict[tuple[str, ...], str] = {}


def templates_digest(dirs: tuple[str, ...]) -> str:
    """The sha256 of the theme's own templates (every .html and .xml under its folders but those of the installed
    libraries, whose versions are in the code's digest), once a process; "" when one of them names a value the
    key leaves out (mkdocs-material's templates name none: tests/test_render_cache.py)."""
    if dirs not in _templates:
        _templates[dirs] = _digest_templates(dirs)
    return _templates[dirs]


def _digest_templates(dirs: tuple[str, ...]) -> str:
    digest = hashlib.sha256()
    for folder in dirs:
        if any(Path(folder).is_relative_to(library) for library in LIBRARY_TEMPLATES):
            continue
        for path in sorted(Path(folder).rglob("*")):
            if path.suffix in (".html", ".xml") and path.is_file():
                data = path.read_bytes()
                if any(name.encode() in data for name in _UNREAD) or _reads_other_html(data):
                    return ""
                digest.update(path.as_posix().encode() + b"\0" + data + b"\0")
    return digest.hexdigest()


def _reads_other_html(template: bytes) -> bool:
    """Whether a template reads the HTML (``.content``) of anything but the page being built: a navigation's page's
    is left out of the key (:func:`plain`)."""
    return any(match.group(1) != b"page" for match in _CONTENT.finditer(template))


_CONTENT = re.compile(rb"(\w+)\s*(?:\.\s*content\b|\[\s*['\"]content['\"]\s*\])")


class _CompiledTemplates(jinja2.BytecodeCache):
    """Jinja's bytecode cache in a :class:`CacheFolder` (Jinja checks each template's source; the folder, each
    file's bytes: Jinja's own file cache would stop the build on a damaged file)."""

    def __init__(self, folder: CacheFolder) -> None:
        self.folder = folder

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        data = self.folder.read(text_sha(bucket.key))
        if data is None:
            return
        try:
            bucket.bytecode_from_string(data)
        except Exception:  # noqa: BLE001 - whatever a damaged file raises, the template is compiled again
            bucket.reset()

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.folder.write(text_sha(bucket.key), bucket.bytecode_to_string())


class _CachedTemplate(jinja2.Template):
    """A template whose render for the pending page comes from the cache when its key was rendered before."""

    def render(self, *args: Any, **kwargs: Any) -> str:
        pending, _state.pending = _state.pending, None
        context = dict(*args, **kwargs)
        if pending is None or context.get("page") is not pending[0]:
            return super().render(context)
        page, key = pending
        cached = _read(key)
        _state.used.add(key)
        if cached is not None:
            _state.hits += 1
            page.press_render = key  # the key this page's render is kept under (a page replay reads it)
            return cached
        _state.misses += 1
        with counting_logs() as logged:
            output = super().render(context)
        if not logged.count:
            _write(key, output)
            page.press_render = key
        else:
            _state.used.discard(key)
        return output


def _read(key: str) -> str | None:
    """The render recorded under ``key``; None when missing or damaged."""
    assert _state.folder is not None
    value = _state.folder.read(key)
    try:
        return None if value is None else value.decode("utf-8")
    except UnicodeDecodeError:
        return None


def kept(key: str) -> str | None:
    """The render kept under ``key`` (for a page replayed: :mod:`tools.publish.pagereplay`); None when it is
    missing or damaged."""
    return _read(key) if _state.folder is not None else None


def reuse(key: str) -> None:
    """The render kept under ``key`` was used again (by a page replayed): kept for the next build, counted."""
    _state.used.add(key)
    _state.hits += 1


def _write(key: str, output: str) -> None:
    assert _state.folder is not None
    _state.folder.write(key, output.encode("utf-8"))


def save() -> tuple[int, int]:
    """Remove the renders this build did not use (the folder keeps the last build's); returns (reused, made)."""
    if _state.folder is not None:
        _state.folder.keep_only(_state.used)
    return _state.hits, _state.misses


def outcome() -> tuple[set[str], int, int]:
    """What this build used, reused and made, nothing removed: for a build of one edition among several, whose
    renders the others may use (:func:`tools.publish.sitecache.join_parts` removes the rest after them all)."""
    return set(_state.used), _state.hits, _state.misses
