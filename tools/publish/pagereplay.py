"""The site's page replay: a page whose every input is as recorded is neither read, converted nor rendered again;
what its last build did is done again from the caches.

An edition's mkdocs takes 2.4 ms a page with every cache warm at 1,000 articles (:mod:`tools.publish.sitecache`
spares the conversion, :mod:`tools.publish.rendercache` the render): each page is still read, its conversion's
record parsed and its links looked up, its context built and digested, its search entries parsed. But a page's
build is a function of its source, the edition's files (their addresses and alternates: every link's lookup, the
language switcher, the list of pages a template reads), its navigation (the structure, and the sources of its
pages, which give their titles), the settings (the configuration, every plugin's settings, the theme's templates)
and the code. The *replay key* of a page (:func:`_page_key`) is the sha256 of all of these, the edition's part
(:func:`_frame`) digested once a build. The record under it names what the page's build used (its conversion,
front matter, search entries and render, each kept in its own cache) and holds its front matter, its title and
the anchors it has and links to (mkdocs checks every page's links to anchors after the build).

A page with a record is replayed: when mkdocs reads it, its front matter, title and anchors are set from the
record; when mkdocs builds it, its feed entry is made (:func:`on_replay`, the hooks'), its search entries are
added, its render goes through the ``on_post_page`` events (the content security policy) and is written: what its
build did, in the same place, so the search index and the feed come out in the build's order.

Only an edition built alone (by press site) replays, and only while every plugin is one this knows (the search and
i18n plugins and the project's hooks): another plugin may keep state across pages that no record holds, so it costs
speed, never a stale page. A page of the navigation is built as before (its neighbours and parents are the
navigation's). A record missing or damaged is a page built as before; so is one whose render or search entries are
gone when mkdocs comes to build it (read then, converted then). A page whose build logged anything is not recorded:
the next build logs it again. The folder (:attr:`tools.layout.Layout.site_replays`) keeps the last build's records.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import orjson
from material.plugins.search.plugin import SearchPlugin
from mkdocs import utils
from mkdocs.commands import build as mkdocs_build
from mkdocs.exceptions import BuildError
from mkdocs.structure.pages import Page

from tools.fsutil import data_sha, file_sha, json_bytes
from tools.layout import Layout
from tools.publish import rendercache, sitecache
from tools.publish.cachefolder import CacheFolder

FORMAT = 1  # a record's fields (:func:`_well_formed`)
# The plugins whose page events are known to keep no state a record does not hold (module and class); and the hooks.
KNOWN_PLUGINS = frozenset({"material.plugins.search.plugin.SearchPlugin", "mkdocs_static_i18n.plugin.I18n"})
HOOKS = Path(__file__).parents[1] / "mkdocs_hooks.py"
log = logging.getLogger("mkdocs.commands.build")


@dataclass
class _State:
    folder: CacheFolder | None = None
    code: str = ""
    frame: str = ""  # the edition's part of every page's key; "" replays nothing in this build
    files: Any = None
    search: Any = None  # the search plugin's index, when it indexes
    in_nav: set[int] = field(default_factory=set)
    used: set[str] = field(default_factory=set)
    replayed: int = 0
    callbacks: list[Callable[[Any], None]] = field(default_factory=list)


_state = _State()


def install(root: Path | None, code: str = "") -> None:
    """Replay the pages of this process's next build from the records of the project at ``root`` (None: replay
    and record nothing); ``code``: the digest of the code and libraries that build a page."""
    if not hasattr(mkdocs_build, "_press_populate_page"):
        mkdocs_build._press_populate_page = mkdocs_build._populate_page  # type: ignore[attr-defined]
        mkdocs_build._press_build_page = mkdocs_build._build_page  # type: ignore[attr-defined]
        mkdocs_build._populate_page = _populate_page
        mkdocs_build._build_page = _build_page
    _state.folder = None if root is None else CacheFolder(Layout(root).site_replays, ".json")
    _state.code, _state.frame, _state.files, _state.search, _state.in_nav = code, "", None, None, set()
    _state.used, _state.replayed, _state.callbacks = set(), 0, []


def on_replay(callback: Callable[[Any], None]) -> None:
    """Call ``callback(page)`` for each page replayed, where its ``on_page_context`` events would have run."""
    _state.callbacks.append(callback)


def begin(config: Any, files: Any, nav: Any) -> None:
    """The edition's files and navigation are final (the last ``on_nav``): the navigation's pages are read now
    (their titles, tables of contents and front matter are every page's input), and what every page's key shares
    is digested."""
    _state.files, _state.in_nav, _state.frame = files, {id(page) for page in nav.pages}, ""
    plugins = [p for p in config.plugins.values() if isinstance(p, SearchPlugin) and p.config.enabled]
    _state.search = plugins[0].search_index if plugins else None
    if _state.folder is None or len(plugins) > 1 or not _plugins_known(config):
        return
    for page in nav.pages:
        page.press_replay, page.press_key, page.press_read = None, "", True
        _read(page, config, files, False)
    _state.frame = _frame(config, files, nav)


def outcome() -> tuple[set[str], int]:
    """The records this build used or made, and how many pages it replayed."""
    return set(_state.used), _state.replayed


def _frame(config: Any, files: Any, nav: Any) -> str:
    """The sha256 of a page's inputs but its own source: the settings, the templates, the code, the edition's files
    and its navigation as a template reads it (:func:`tools.publish.rendercache.plain`); "" when a value cannot be
    digested."""
    templates = rendercache.templates_digest(tuple(config.theme.dirs))
    if not templates:
        return ""
    try:
        settings = {name: rendercache.plain(value) for name, value in config.items() if name not in rendercache.PLACES}
        navigation = rendercache.plain(nav)
    except rendercache.Uncacheable:
        return ""
    listing = [_file(file) for file in files]
    made_of = {"format": FORMAT, "code": _state.code, "templates": templates, "settings": settings}
    return data_sha({**made_of, "navigation": navigation, "files": listing}, default=repr)


def _plugins_known(config: Any) -> bool:
    for plugin in config.plugins.values():
        if isinstance(plugin, ModuleType):
            if Path(plugin.__file__ or "").resolve() != HOOKS.resolve():
                return False
        elif f"{type(plugin).__module__}.{type(plugin).__qualname__}" not in KNOWN_PLUGINS:
            return False
    return True


def _file(file: Any) -> list:
    """A file of the edition as its pages can see it: its addresses, inclusion, and language alternates."""
    alternates = getattr(file, "alternates", None) or {}
    others = [[str(lang), alt.src_uri, alt.url] for lang, alt in sorted(alternates.items())]
    return [file.src_uri, file.dest_uri, file.url, str(file.inclusion), str(getattr(file, "locale", "")), others]


def _page_key(page: Any) -> str:
    """The replay key of ``page``: its source and addresses under the edition's frame; "" when it has none."""
    source = file_sha(Path(page.file.abs_src_path)) if page.file.abs_src_path else "-"
    if source == "-":
        return ""
    return data_sha([_state.frame, page.file.src_uri, page.file.dest_uri, page.file.url, source])


def _populate_page(page: Any, config: Any, files: Any, dirty: bool = False) -> None:
    """mkdocs' reading of a page: from its record when it has one, else as mkdocs reads it (and what it used noted);
    a page of the navigation was read before (:func:`begin`)."""
    if getattr(page, "press_read", False):
        return
    page.press_replay, page.press_key = None, ""
    if _state.frame and not dirty and id(page) not in _state.in_nav and isinstance(page, Page):
        page.press_key = _page_key(page)
        record = _record(page.press_key) if page.press_key else None
        if record is not None and _restore(page, record, files):
            page.press_replay = record
            return
    _read(page, config, files, dirty)


def _read(page: Any, config: Any, files: Any, dirty: bool) -> None:
    with sitecache.counting_logs() as logged:
        mkdocs_build._press_populate_page(page, config, files, dirty)  # type: ignore[attr-defined]
    page.press_front_matter, page.press_logged = sitecache.last_front_matter(), logged.count


def _build_page(
    page: Any, config: Any, doc_files: Any, nav: Any, env: Any, dirty: bool = False, excluded: bool = False
) -> None:
    """mkdocs' building of a page: replayed when it has a record (read as mkdocs reads it first, when its render or
    search entries are gone); recorded when it was built clean."""
    record = getattr(page, "press_replay", None)
    if record is not None:
        if _replay(page, config, record):
            return
        page.press_replay = None
        _read(page, config, _state.files, dirty)
    with sitecache.counting_logs() as logged:
        mkdocs_build._press_build_page(page, config, doc_files, nav, env, dirty, excluded)  # type: ignore[attr-defined]
    key = getattr(page, "press_key", "")
    if key and not excluded and not logged.count and getattr(page, "press_logged", 1) == 0:
        _keep(key, page)


def _replay(page: Any, config: Any, record: dict) -> bool:
    """Do what building ``page`` did, from its record; False (nothing done) when its render or search entries are
    gone."""
    output = rendercache.kept(record["render"])
    if output is None or _state.search is not None and not sitecache.replay_search(_state.search, record["search"]):
        return False
    config._current_page = page
    try:
        for callback in _state.callbacks:
            callback(page)
        output = config.plugins.on_post_page(output, page=page, config=config)
        if output.strip():
            utils.write_file(output.encode("utf-8", errors="xmlcharrefreplace"), page.file.abs_dest_path)
    except Exception as error:  # as mkdocs' own page build says it, then raises it
        log.error(
            f"Error building page '{page.file.src_uri}':" + ("" if isinstance(error, BuildError) else f" {error}")
        )
        raise
    finally:
        config._current_page = None
    rendercache.reuse(record["render"])
    sitecache.replayed(record["conversion"], record["front_matter"])
    _state.used.add(page.press_key)
    _state.replayed += 1
    return True


def _restore(page: Any, record: dict, files: Any) -> bool:
    """What reading ``page`` gives that the build reads later: its front matter, title and anchors."""
    links = None
    if record["links"] is not None:
        targets = {src: files.src_uris.get(src) for src in record["links"]}
        if not all(targets.values()):
            return False
        links = {targets[src]: dict(anchors) for src, anchors in record["links"].items()}
    page.meta = dict(record["meta"])
    page._title_from_render = record["title"]
    page.present_anchor_ids = None if record["anchors"] is None else set(record["anchors"])
    page.links_to_anchors = links
    return True


def _keep(key: str, page: Any) -> None:
    """Record the build of ``page`` under ``key``: what it used, when every part of it is kept."""
    conversion, render = getattr(page, "press_conversion", None), getattr(page, "press_render", None)
    searched = getattr(page, "press_search", None)
    if conversion is None or render is None or _state.search is not None and searched is None or _state.folder is None:
        return
    links = None
    if page.links_to_anchors is not None:
        links = {file.src_uri: dict(anchors) for file, anchors in page.links_to_anchors.items()}
        if any(_state.files.src_uris.get(src) is not file for src, file in zip(links, page.links_to_anchors)):
            return
    record = {
        "format": FORMAT,
        "conversion": conversion,
        "front_matter": getattr(page, "press_front_matter", None),
        "search": searched,
        "render": render,
        "meta": page.meta,
        "title": page._title_from_render,
        "anchors": None if page.present_anchor_ids is None else sorted(page.present_anchor_ids),
        "links": links,
    }
    try:
        data = json_bytes(record)
        if orjson.loads(data) != record:  # front matter JSON does not give back as it was: not recorded
            return
    except (TypeError, ValueError):
        return
    _state.folder.write(key, data)
    _state.used.add(key)


def _record(key: str) -> dict | None:
    """The record under ``key``; None when it is missing, damaged or not of this format."""
    assert _state.folder is not None
    data = _state.folder.read(key)
    try:
        record = None if data is None else orjson.loads(data)
    except ValueError:
        return None
    return record if _well_formed(record) else None


_FIELDS = {
    "format": int,
    "conversion": str,
    "front_matter": (str, type(None)),
    "search": (str, type(None)),
    "render": str,
    "meta": dict,
    "title": (str, type(None)),
    "anchors": (list, type(None)),
    "links": (dict, type(None)),
}


def _well_formed(record: Any) -> bool:
    """Whether a record has exactly the fields :func:`_keep` writes, of their types, in this format."""
    if not isinstance(record, dict) or record.keys() != _FIELDS.keys() or record["format"] != FORMAT:
        return False
    if not all(isinstance(record[name], kind) for name, kind in _FIELDS.items()):
        return False
    keys = [
        record["conversion"],
        record["render"],
        *(record[n] for n in ("front_matter", "search") if record[n] is not None),
    ]
    if not all(map(CacheFolder.is_key, keys)):  # a key another cache could not read
        return False
    anchors, links = record["anchors"] or [], record["links"] or {}
    return all(isinstance(a, str) for a in anchors) and all(
        isinstance(targets, dict) and all(isinstance(v, str) for v in targets.values()) for targets in links.values()
    )
