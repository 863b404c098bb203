"""The site's page cache: each page's Markdown → HTML conversion (mkdocs' ``Page.render``) kept between builds.

mkdocs converts every page of every edition on every build; most of them did not change. :func:`install` wraps
``Page.render`` (there is no hook that can skip it) so that a page whose conversion inputs are as recorded gets the
recorded result instead of a new conversion: its HTML, table of contents, title from its first heading, anchor ids
and links to other pages' anchors (which mkdocs still checks after every build).

The key of a page (:func:`page_key`) is the sha256 of its Markdown as the conversion receives it (after every
``on_page_markdown``), its own source path and address, the Markdown settings (extensions, their settings,
``use_directory_urls``, ``validation``), and the code that converts (the toolkit's, :func:`code_hash`, and the
versions of mkdocs, Markdown, the i18n plugin and mkdocs-material). What a conversion reads of *other* pages is
each relative link's target (mkdocs rewrites ``other.md`` into that page's address, per edition through the i18n
plugin's own file lookup): every lookup is recorded with what it found, and a recorded conversion is used only
while every lookup still finds the same file at the same address (or still none). A conversion that logged anything
(a warning about a link, say) is never kept, so the next build logs it again. Each conversion is a file under
its key (:class:`tools.publish.cachefolder.CacheFolder`, :attr:`tools.layout.Layout.site_conversions`): a build
reads the ones it uses and writes the ones it makes, never the whole cache (90 MB of JSON at 1,000 articles, once
parsed and rewritten by every build and held in its memory). A missing or damaged file is a conversion to make.
The folders hold the pages of the last build only; ``site-pages.json`` says how many were reused and made.

The search index's entries of a page (mkdocs-material's ``SearchIndex.add_entry_from_context``, which parses the
page's HTML into sections) are kept the same way, keyed by what they are made of: the page's HTML, table of
contents, address, title and front matter, and the same code. The search plugin then removes its ``data-search-*``
attributes from every page's HTML with a regular expression that tries every space of the page; a page with none
(all of ours) is left as it is without it (:func:`quicken_search`).
"""

from __future__ import annotations

import functools
import importlib.metadata
import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson
from material.plugins.search import plugin as search_plugin
from material.plugins.search.plugin import SearchIndex
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc
from mkdocs.utils import meta

from tools.fsutil import data_sha, text_sha, write_atomic
from tools.layout import Layout
from tools.publish.cachefolder import CacheFolder
from tools.publish.store import code_hash

FORMAT = 3  # the record holds the counts (and how many pages were replayed); each cached value is a file
_LIBRARIES = ("mkdocs", "Markdown", "mkdocs-static-i18n", "mkdocs-material")


@dataclass
class _State:
    """The cache of this process: where the project keeps it, what this build used or made, and the counts."""

    record: Path | None = None
    pages: CacheFolder | None = None
    search: CacheFolder | None = None
    meta: CacheFolder | None = None  # each page's front matter, read (its source's sha256 → Markdown and data)
    used_meta: set[str] = field(default_factory=set)
    made: dict[str, dict] = field(default_factory=dict)  # this build's conversions, by key (a page seen twice)
    used: set[str] = field(default_factory=set)
    used_search: set[str] = field(default_factory=set)
    code: str = ""
    files: Any = None  # the build's files, and what a lookup in them found, by path (:func:`_lookup`)
    found: dict[str, Any] = field(default_factory=dict)
    hits: int = 0
    misses: int = 0
    last_meta: str | None = None  # the front matter's key of the page read last (None: not kept)


_state = _State()


def install(root: Path, code: str) -> None:
    """Use the page cache of the project at ``root`` for the conversions of this process's next build (``code``:
    :func:`code_digest`, made once for every cache of the build)."""
    if not hasattr(Page, "_press_render"):
        Page._press_render = Page.render  # type: ignore[attr-defined]
        Page.render = _render  # type: ignore[method-assign]
    if not hasattr(SearchIndex, "_press_add"):
        SearchIndex._press_add = SearchIndex.add_entry_from_context  # type: ignore[attr-defined]
        SearchIndex.add_entry_from_context = _index  # type: ignore[method-assign]
    if not hasattr(meta, "_press_get_data"):
        meta._press_get_data = meta.get_data  # type: ignore[attr-defined]
        meta.get_data = _front_matter
    layout = Layout(root)
    folders = cache_folders(layout)
    _state.record, _state.code = layout.site_pages_record, code
    _state.meta, _state.pages, _state.search = folders["front-matter"], folders["conversions"], folders["search"]
    _state.made, _state.used, _state.used_search, _state.hits, _state.misses = {}, set(), set(), 0, 0
    _state.files, _state.found, _state.used_meta, _state.last_meta = None, {}, set(), None


# The site's cache folders by name: this module's, and the render cache's (:mod:`tools.publish.rendercache`); each
# its Layout property and its files' suffix.
CACHE_FOLDERS = {
    "conversions": ("site_conversions", ".json"),
    "front-matter": ("site_front_matter", ".json"),
    "search": ("site_search_entries", ".json"),
    "renders": ("site_renders", ".html"),
    "replays": ("site_replays", ".json"),
}


def cache_folders(layout: Layout) -> dict[str, CacheFolder]:
    """The site's cache folders by name (:data:`CACHE_FOLDERS`)."""
    return {name: CacheFolder(getattr(layout, place), suffix) for name, (place, suffix) in CACHE_FOLDERS.items()}


def save(renders: tuple[int, int] = (0, 0)) -> tuple[int, int]:
    """Keep what this build used and made (the last build's pages only), and write how many conversions it reused
    and made, and how many renders the render cache reused and made; returns (reused, made)."""
    if _state.record is not None and _state.pages is not None and _state.search is not None:
        _state.pages.keep_only(_state.used)
        if _state.meta is not None:
            _state.meta.keep_only(_state.used_meta)
        _state.search.keep_only(_state.used_search)
        counts = {"reused": _state.hits, "made": _state.misses, "renders": {"reused": renders[0], "made": renders[1]}}
        write_atomic(_state.record, json.dumps({"format": FORMAT, **counts}))
    return _state.hits, _state.misses


def save_part(edition: str, renders: tuple[set[str], int, int], replays: tuple[set[str], int]) -> None:
    """For a build of one ``edition`` among several at once: what it used and its counts (``replays``: the page
    records used, and how many pages were replayed), beside the record (``site-pages.<edition>.json``); nothing
    is removed while the others may use it (:func:`join_parts`)."""
    if _state.record is None or _state.pages is None or _state.search is None or _state.meta is None:
        return
    used = {"conversions": _state.used, "front-matter": _state.used_meta, "search": _state.used_search}
    used |= {"renders": renders[0], "replays": replays[0]}
    part = {
        "format": FORMAT,
        "used": {name: sorted(keys) for name, keys in used.items()},
        "reused": _state.hits,
        "made": _state.misses,
        "renders": {"reused": renders[1], "made": renders[2]},
        "replayed": replays[1],
    }
    write_atomic(part_path(_state.record, edition), json.dumps(part))


def part_path(record: Path, edition: str) -> Path:
    return record.with_name(f"{record.stem}.{edition}{record.suffix}")


def join_parts(root: Path, editions: list[str]) -> None:
    """After the editions' builds (:func:`save_part`): keep in each cache folder what any of them used, and write
    the record with their counts summed. A part missing or not of this shape removes nothing and leaves no counts
    (a cache too big is only space; a value removed that a page needs would be made again, never wrong)."""
    layout = Layout(root)
    parts = [_part(part_path(layout.site_pages_record, edition)) for edition in editions]
    layout.site_pages_record.unlink(missing_ok=True)
    if not all(parts):
        return
    for name, folder in cache_folders(layout).items():
        folder.keep_only({key for part in parts for key in part["used"][name]})
    counts = {kind: sum(part[kind] for part in parts) for kind in ("reused", "made", "replayed")}
    renders = {kind: sum(part["renders"][kind] for part in parts) for kind in ("reused", "made")}
    write_atomic(layout.site_pages_record, json.dumps({"format": FORMAT, **counts, "renders": renders}))


def _part(path: Path) -> dict:
    """An edition's part (:func:`save_part`), read and removed; {} when it is missing or not of that shape."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    finally:
        path.unlink(missing_ok=True)
    try:
        used = data["used"]
        shaped = data["format"] == FORMAT and all(isinstance(key, str) for n in CACHE_FOLDERS for key in used[n])
        counted = all(
            isinstance(n, int)
            for n in (
                data["reused"],
                data["made"],
                data["replayed"],
                data["renders"]["reused"],
                data["renders"]["made"],
            )
        )
    except (KeyError, TypeError, AttributeError):
        return {}
    return data if shaped and counted else {}


def _load(folder: CacheFolder | None, key: str) -> Any:
    """The JSON value kept under ``key``; None when there is none or it is damaged."""
    value = None if folder is None else folder.read(key)
    try:
        return None if value is None else orjson.loads(value)
    except ValueError:
        return None


def _keep(folder: CacheFolder | None, key: str, value: Any) -> None:
    if folder is not None:
        folder.write(key, json.dumps(value, ensure_ascii=False).encode("utf-8"))  # not orjson: see json_bytes


def code_digest() -> str:
    """The sha256 of the code that converts and renders: the toolkit's, and the versions of the site's libraries."""
    versions = [f"{name} {importlib.metadata.version(name)}" for name in _LIBRARIES]
    return text_sha("\0".join([code_hash(), *versions]))


def page_key(page: Any, config: Any) -> str:
    """The sha256 of what decides a page's conversion, except the files its links find (recorded apart)."""
    settings = {
        "markdown": text_sha(page.markdown),  # hashed apart: orjson would leave a UTF-8 copy in each page's text
        "src_uri": page.file.src_uri,
        "url": page.file.url,
        "extensions": [e if isinstance(e, str) else repr(e) for e in config["markdown_extensions"]],
        "mdx_configs": config["mdx_configs"] or {},
        "use_directory_urls": config["use_directory_urls"],
        "validation": repr(config["validation"]),
        "code": _state.code,
    }
    return data_sha(settings, default=repr)


def _found(file: Any) -> list | None:
    """What a link's lookup found, as recorded: the file's source path, address and whether it is excluded."""
    return None if file is None else [file.src_uri, file.url, file.inclusion.is_excluded()]


class _Lookups:
    """The build's files, recording every ``get_file_from_path`` a conversion makes (a link's target)."""

    def __init__(self, files: Any) -> None:
        self._files = files
        self.found: dict[str, Any] = {}

    def get_file_from_path(self, path: str) -> Any:
        file = self._files.get_file_from_path(path)
        self.found.setdefault(path, file)
        return file

    def __getattr__(self, name: str) -> Any:
        return getattr(self._files, name)


class LogCount(logging.Handler):
    """Counts the records logged meanwhile (:func:`counting_logs`)."""

    def __init__(self) -> None:
        super().__init__(logging.NOTSET)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


@contextmanager
def counting_logs() -> Iterator[LogCount]:
    """Count what is logged in the block, to mkdocs' logger (which does not propagate) or the root one: a
    conversion or a render that logged anything is not cached, so the next build logs it again."""
    count = LogCount()
    loggers = [logging.getLogger(), logging.getLogger("mkdocs")]
    for logger in loggers:
        logger.addHandler(count)
    try:
        yield count
    finally:
        for logger in loggers:
            logger.removeHandler(count)


def _render(page: Any, config: Any, files: Any) -> None:
    """``Page.render`` through the cache: the recorded conversion when its key and lookups hold, else a new one."""
    if page.markdown is None or _state.pages is None:
        page._press_render(config, files)
        return
    key = page_key(page, config)
    page.press_conversion = None  # the key this page's conversion is kept under (a page replay keeps it)
    entry = _state.made.get(key) or _load(_state.pages, key)
    if entry is not None and _reuse(page, entry, files):
        _state.used.add(key)
        _state.hits += 1
        page.press_conversion = key
        return
    _state.misses += 1
    lookups = _Lookups(files)
    with counting_logs() as logged:
        page._press_render(config, lookups)
    entry = None if logged.count else _entry(page, lookups.found)
    if entry is not None:
        _state.made[key] = entry
        _state.used.add(key)
        _keep(_state.pages, key, entry)
        page.press_conversion = key


def _entry(page: Any, found: dict[str, Any]) -> dict | None:
    """The record of a page's conversion, its links' lookups and its links to anchors (by lookup path); None when
    a link to an anchor went to a file no recorded lookup found."""
    by_file = {id(file): path for path, file in found.items() if file is not None}
    anchors = None
    if page.links_to_anchors is not None:
        anchors = {}
        for file, links in page.links_to_anchors.items():
            if file is not page.file and id(file) not in by_file:
                return None
            anchors["" if file is page.file else by_file[id(file)]] = dict(links)
    return {
        "content": page.content,
        "toc": toc_tokens(page.toc),
        "title": page._title_from_render,
        "anchor_ids": sorted(page.present_anchor_ids or ()),
        "lookups": {path: _found(file) for path, file in found.items()},
        "links_to_anchors": anchors,
    }


def toc_tokens(toc: Any) -> list[dict]:
    """A table of contents as plain data, in the form ``get_toc`` reads back (also a render key's part)."""
    return [_token(item) for item in toc]


def _token(item: Any) -> dict:
    return {"level": item.level, "id": item.id, "name": item.title, "children": [_token(c) for c in item.children]}


def _front_matter(doc: str) -> tuple[str, dict[str, Any]]:
    """mkdocs' ``meta.get_data`` (a page's source → its Markdown and front matter) through the cache: YAML costs a
    millisecond a page (PyYAML builds its objects in Python, even with libyaml), JSON a tenth of it. Only a result
    that JSON gives back as it is (no dates, no other objects) is kept."""
    _state.last_meta = None
    if _state.meta is None:
        return meta._press_get_data(doc)  # type: ignore[attr-defined]
    key = text_sha(_state.code + "\0" + doc)
    kept = _load(_state.meta, key)
    if isinstance(kept, list) and len(kept) == 2 and isinstance(kept[0], str) and isinstance(kept[1], dict):
        _state.used_meta.add(key)
        _state.last_meta = key
        return kept[0], kept[1]
    markdown, data = meta._press_get_data(doc)  # type: ignore[attr-defined]
    try:
        same = json.loads(json.dumps([markdown, data])) == [markdown, data]
    except (TypeError, ValueError):
        same = False
    if same:
        _keep(_state.meta, key, [markdown, data])
        _state.used_meta.add(key)
        _state.last_meta = key
    return markdown, data


def _lookup(files: Any, path: str) -> Any:
    """``files.get_file_from_path(path)``, once per path in a build: the i18n plugin's lookup is slow (pathlib on
    every call), and the pages of an edition link the same few pages (the glossary, the front page) thousands of
    times. The build's files do not change once the pages are being built."""
    if _state.files is not files:
        _state.files, _state.found = files, {}
    if path not in _state.found:
        _state.found[path] = files.get_file_from_path(path)
    return _state.found[path]


def _reuse(page: Any, entry: dict, files: Any) -> bool:
    """Give ``page`` the recorded conversion if every recorded lookup finds what it found; else False (a damaged
    entry too)."""
    if not _well_formed(entry):
        return False
    try:
        targets = {path: _lookup(files, path) for path in entry["lookups"]}
        if any(_found(targets[path]) != recorded for path, recorded in entry["lookups"].items()):
            return False
        anchors = entry["links_to_anchors"]
        linked = None
        if anchors is not None:
            linked = {page.file if path == "" else targets[path]: dict(links) for path, links in anchors.items()}
        page.content = entry["content"]
        page.toc = get_toc(entry["toc"])
        page._title_from_render = entry["title"]
        page.present_anchor_ids = set(entry["anchor_ids"])
    except (KeyError, TypeError, ValueError, AttributeError):
        return False
    if linked is not None and logging.getLogger("mkdocs.structure.pages").getEffectiveLevel() > logging.DEBUG:
        page.links_to_anchors = linked
    return True


_SHAPE = {"content": str, "toc": list, "title": (str, type(None)), "anchor_ids": list, "lookups": dict}


def _well_formed(entry: Any) -> bool:
    """Whether a recorded entry has the fields a conversion gives, of their types."""
    if not isinstance(entry, dict) or not all(isinstance(entry.get(name), kind) for name, kind in _SHAPE.items()):
        return False
    anchors = entry.get("links_to_anchors")
    return (anchors is None or isinstance(anchors, dict)) and all(isinstance(i, str) for i in entry["anchor_ids"])


def _index(index: Any, page: Any) -> None:
    """``SearchIndex.add_entry_from_context`` through the cache: the page's recorded entries when their key holds."""
    if _state.search is None:
        index._press_add(page)
        return
    key = _search_key(page)
    page.press_search = key  # the key its entries are kept under (a page replay keeps it)
    if not replay_search(index, key):
        before = len(index.entries)
        index._press_add(page)
        _keep(_state.search, key, index.entries[before:])
        _state.used_search.add(key)


def replay_search(index: Any, key: str) -> bool:
    """Add the search entries kept under ``key`` to ``index``; False when there are none or they are damaged."""
    entries = _load(_state.search, key)
    if not isinstance(entries, list) or not all(map(_search_entry, entries)):
        return False
    index.entries.extend(entries)
    _state.used_search.add(key)
    return True


def replayed(conversion: str, front_matter: str | None) -> None:
    """A page replayed (:mod:`tools.publish.pagereplay`): its conversion and front matter are kept for the next
    build, and its conversion counts as reused."""
    _state.used.add(conversion)
    if front_matter is not None:
        _state.used_meta.add(front_matter)
    _state.hits += 1


def last_front_matter() -> str | None:
    """The key of the front matter read last (a page's, as mkdocs read its source); None when it is not kept."""
    return _state.last_meta


def quicken_search(plugins: Any) -> None:
    """The search plugin's ``on_page_context`` among the build's events (``plugins``) as :func:`_search_page`."""
    events = plugins.events["page_context"]
    for place, method in enumerate(events):
        plugin = getattr(method, "__self__", None)
        if (
            isinstance(plugin, search_plugin.SearchPlugin)
            and method.__func__ is search_plugin.SearchPlugin.on_page_context
        ):
            events[place] = functools.partial(_search_page, plugin)


def _search_page(plugin: Any, context: Any, *, page: Any, config: Any, nav: Any) -> None:
    """The plugin's ``on_page_context``: the page indexed, then its HTML without the plugin's ``data-search-*``
    attributes, which are removed only when there is one (the plugin's expression finds none elsewhere)."""
    if "data-search-" in (page.content or ""):
        search_plugin.SearchPlugin.on_page_context(plugin, context, page=page, config=config, nav=nav)
    elif plugin.config.enabled:
        plugin.search_index.add_entry_from_context(page)


def _search_key(page: Any) -> str:
    """The sha256 of what a page's search entries are made of."""
    made_of = {
        "content": text_sha(page.content or ""),  # hashed apart, as in page_key
        "toc": toc_tokens(page.toc),
        "url": page.url,
        "title": page.title,
        "meta": page.meta,
        "jieba": search_plugin.jieba is not None,
        "code": _state.code,
    }
    return data_sha(made_of, default=repr)


def _search_entry(entry: Any) -> bool:
    """Whether a recorded search entry has the fields material writes, of their types."""
    return isinstance(entry, dict) and all(isinstance(entry.get(name), str) for name in ("location", "title", "text"))
