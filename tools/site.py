"""The site around the editions: its configuration, its settings, the downloads page, feeds and 404s.

``mkdocs.yml`` is written by hand; ``press build`` writes ``mkdocs.site.yml``
beside it, which inherits it and adds what depends on the build: the editions
this build made (each with its name, site name and description, so the
language switcher offers no empty edition), the search index's word rules for
their languages, a short navigation (front page, glossary, downloads: the
articles are reached from the front page), the theme's templates
(``overrides/``, beside ``tools/``) and this module as mkdocs hooks.

The settings a reader sees come from ``mkdocs.yml`` (:func:`read_settings`):
``site_url`` (so the sitemap, canonical links, language alternates and feeds
are absolute), ``extra.publisher`` and ``extra.rights`` (the books' metadata and
the site's footer), and the same two lines in each edition's language under
``extra.editions.<lang>`` (an edition not listed there shows the lines above).

As mkdocs hooks (``on_*`` below), during ``mkdocs build``: every edition gets
an Atom feed of its latest articles (``feed.xml`` in its folder) and its own 404 page
(``404.html`` in its folder; the site's root keeps the source edition's); under
``mkdocs serve`` a change to the seeds, the term base, the memories, ``editions.yml`` or ``mkdocs.yml`` runs
``press build`` (holding the writer lock, :mod:`tools.lock`) before the site is rebuilt, once per change. The
downloads page lists each edition's EPUB and
PDF files, copied to ``docs/<lang>/downloads/`` so the site serves them.
"""

from __future__ import annotations

import dataclasses
import hashlib
import html as html_text
import logging
import os
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit
from xml.etree import ElementTree

import yaml
from mkdocs.plugins import event_priority

from tools.errors import PressError
from tools.languages import LANGUAGES
from tools.layout import GENERATOR, MKDOCS_CONFIG, Layout
from tools.lock import one_writer
from tools.publish import markdown
from tools.publish.model import GLOSSARY_PAGE
from tools.segment import split_sentences
from tools.ui import words

SITE_CONFIG = "mkdocs.site.yml"
DOWNLOADS = "downloads"
FEED = "feed.xml"
FEED_ENTRIES = 20  # a feed holds the latest articles only: its size does not grow with the corpus
NOT_FOUND = "404.html"
PERMALINK = "Permanent link"  # the title Python-Markdown's toc gives a heading's ¶ link
THEME = Path(__file__).resolve().parents[1] / "overrides"  # the theme's templates and stylesheet
# The search index's word rules (lunr languages), from the language registry: Ukrainian's are Russian's;
# Polish and Catalan have none, and fall back to English.
SEARCH_LANGUAGES = {code: entry.search for code, entry in LANGUAGES.items() if entry.search}
ATOM = "http://www.w3.org/2005/Atom"
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
log = logging.getLogger("mkdocs.plugins.press")


@dataclass(frozen=True)
class SiteSettings:
    """What ``mkdocs.yml`` says about the publication: its address, name, publisher and rights."""

    url: str = ""  # site_url, ending in '/', or '' when not set
    name: str = "Press editions"
    publisher: str = "Press editions"
    rights: str = ""
    editions: tuple[tuple[str, str, str], ...] = ()  # (lang, publisher, rights) in the edition's language

    def edition(self, lang: str) -> SiteSettings:
        """The settings as the edition in ``lang`` shows them: its own publisher and rights lines, when given."""
        own = next((entry for entry in self.editions if entry[0] == lang), None)
        if own is None:
            return self
        return dataclasses.replace(self, publisher=own[1] or self.publisher, rights=own[2] or self.rights)

    def article_url(self, lang: str, source_language: str, slug: str) -> str:
        """The article's absolute address in an edition ('' without a site_url)."""
        return urljoin(self.url, f"{_folder(lang, source_language)}{slug}/") if self.url else ""


def _folder(lang: str, source_language: str) -> str:
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
        raise PressError(path, _line(top["site_url"]), f"site_url {url!r} is not an http(s) address", _URL_FIX)
    name = _text(path, top.get("site_name"), "site_name") or SiteSettings.name
    return SiteSettings(
        url=url.rstrip("/") + "/" if url else "",
        name=name,
        publisher=_text(path, extra.get("publisher"), "extra.publisher") or name,
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
        if lang not in LANGUAGES:
            known = ", ".join(sorted(LANGUAGES))
            raise PressError(path, _line(key), f"extra.editions: {lang!r} is no language", f"use one of: {known}")
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
                    f"{key} {str(where.value).strip()[:80]!r} is not a file of the site: the content security "
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


def site_config(languages: list[str], source: str, glossary: bool = True) -> str:
    """``mkdocs.site.yml``: ``mkdocs.yml`` with the built editions, search rules, navigation, theme and hooks."""
    entries = [
        {
            "locale": lang,
            "name": words(lang).language,
            "default": lang == source,
            "build": True,
            "site_name": words(lang).site,
            "site_description": _description(lang),
            "extra": {"press": _theme_words(lang, source)},
        }
        for lang in languages
    ]
    search = sorted({SEARCH_LANGUAGES[lang] for lang in languages if lang in SEARCH_LANGUAGES} | {"en"})
    config = {
        "INHERIT": MKDOCS_CONFIG,
        "theme": {"custom_dir": str(THEME)},
        "hooks": [str(Path(__file__).resolve())],
        "nav": ["index.md", *([GLOSSARY_PAGE] if glossary else []), "downloads.md"],
        # the articles are reached from the front page, not the nav; links mkdocs leaves alone are INFO: not shown
        "validation": {"omitted_files": "ignore", "unrecognized_links": "ignore"},
        "plugins": [{"search": {"lang": search}}, {"i18n": {"docs_structure": "folder", "languages": entries}}],
    }
    header = "# Written by press build from mkdocs.yml and the editions it built; do not edit.\n"
    return header + yaml.safe_dump(config, allow_unicode=True, sort_keys=False)


def _description(lang: str) -> str:
    """The edition's description: the first sentence of its about page."""
    ui = words(lang)
    return split_sentences(ui.about_text.format(site=ui.site), lang)[0]


def _theme_words(lang: str, source: str) -> dict[str, str]:
    """What the theme's templates (overrides/) say in this edition, and where its front page and feed are."""
    ui = words(lang)
    return {
        "lang": lang,
        "home": _folder(lang, source) or "./",
        "feed": f"{_folder(lang, source)}{FEED}",
        "feed_label": ui.feed,
        "front_page": ui.front_page,
        "not_found": ui.not_found,
        "not_found_text": ui.not_found_text,
    }


def downloads_page(lang: str, books: list[tuple[str, list[Path]]]) -> str:
    """The downloads page: each book's title (text, escaped) and its files with their sizes."""
    title = words(lang).downloads
    lines = [f"# {markdown.escape(title)}", ""]
    for book_title, files in books:
        links = " · ".join(f"[{path.suffix[1:].upper()}]({DOWNLOADS}/{path.name}) ({_size(path)})" for path in files)
        lines.append(f"- {markdown.escape(book_title)}: {links}")
    description = f"{words(lang).site}: {title} (EPUB, PDF)"
    meta = {"title": title, "description": description, "lang": lang, "hide": ["toc"], "generator": GENERATOR}
    return markdown.front_matter(meta) + "\n".join(lines) + "\n"


def _size(path: Path) -> str:
    size = path.stat().st_size
    return f"{size / 1024:.0f} KiB" if size < 1024 * 1024 else f"{size / 1024 / 1024:.1f} MiB"


# --- the feed ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FeedEntry:
    """One article in a feed: its stable id, headline, address, date, standfirst and author (plain text)."""

    id: str
    title: str
    url: str
    date: str  # YYYY-MM-DD
    summary: str
    author: str = ""


@dataclass
class Feed:
    """An edition's feed: its title, language, front page and own address, and its articles."""

    title: str
    lang: str
    home: str
    url: str
    author: str
    entries: dict[str, FeedEntry] = field(default_factory=dict)


def atom_feed(feed: Feed) -> str:
    """The feed as Atom 1.0: the latest ``FEED_ENTRIES`` articles, newest first; every string is text (control
    characters shown as U+FFFD)."""
    ElementTree.register_namespace("", ATOM)
    entries = sorted(feed.entries.values(), key=lambda e: (e.date, e.url), reverse=True)[:FEED_ENTRIES]
    root = ElementTree.Element(f"{{{ATOM}}}feed", {_XML_LANG: feed.lang})
    _add(root, "title", feed.title)
    _add(root, "id", feed.home)
    _add(root, "updated", _timestamp(entries[0].date if entries else "1970-01-01"))
    ElementTree.SubElement(root, f"{{{ATOM}}}link", rel="self", type="application/atom+xml", href=feed.url)
    ElementTree.SubElement(root, f"{{{ATOM}}}link", rel="alternate", type="text/html", href=feed.home)
    _add(ElementTree.SubElement(root, f"{{{ATOM}}}author"), "name", feed.author)
    for entry in entries:
        item = ElementTree.SubElement(root, f"{{{ATOM}}}entry")
        _add(item, "title", entry.title)
        _add(item, "id", entry.id)
        ElementTree.SubElement(item, f"{{{ATOM}}}link", rel="alternate", type="text/html", href=entry.url)
        _add(item, "published", _timestamp(entry.date))
        _add(item, "updated", _timestamp(entry.date))
        if entry.author:
            _add(ElementTree.SubElement(item, f"{{{ATOM}}}author"), "name", entry.author)
        _add(item, "summary", entry.summary)
    ElementTree.indent(root)
    return ElementTree.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


def _add(parent: ElementTree.Element, tag: str, text: str) -> None:
    ElementTree.SubElement(parent, f"{{{ATOM}}}{tag}").text = markdown.printable(text)


def _timestamp(date: str) -> str:
    return f"{date}T00:00:00Z"


def entry_id(article_id: str, lang: str) -> str:
    """A feed entry's id: the same for an article's edition whatever its title or address becomes."""
    digest = hashlib.sha256(f"press-article:{article_id}:{lang}".encode()).hexdigest()
    return f"urn:uuid:{uuid.UUID(digest[:32])}"


# --- mkdocs hooks (mkdocs.site.yml names this file under hooks:) ----------------------------------

_hook: dict[str, Any] = {"serving": False, "feeds": {}, "folder": None, "not_found": None}
_QUIET_LOGGERS = [f"mkdocs.plugins.mkdocs_static_i18n.{name}" for name in ("plugin", "reconfigure", "folder", "suffix")]


def on_config(config: Any) -> Any:
    """The i18n plugin's INFO lines (its ``extra`` dict, each edition's folder) are not shown: its warnings are."""
    for name in _QUIET_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, _OnlyWarnings) for f in logger.filters):
            logger.addFilter(_OnlyWarnings())
    return config


class _OnlyWarnings(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno >= logging.WARNING


def on_serve(server: Any, config: Any, builder: Any) -> Any:
    """From now on (the first build is done) a change to press's inputs runs press build first (:func:`serve_build`).

    The server watches press's inputs (:attr:`Layout.serve_inputs`), each once whatever ``-w`` says; the folders
    press build writes (``docs/``, ``translations/``) are not watched while it runs, so what it writes starts no
    second rebuild: one change, one rebuild, one reload. (A new site configuration, when the editions changed,
    does start the next: mkdocs read the old one before this hook ran.)"""
    layout = Layout(Path(config.config_file_path).parent)
    inputs = [path for path in layout.serve_inputs if path.exists()]
    writes = [Path(config.docs_dir)]  # mkdocs serve watches it already (and the site configuration, which is
    writes += [layout.translations] if layout.translations in inputs else []  # read before the hooks: a new one
    # from press build, a new edition, needs the next rebuild)
    ours = {os.path.abspath(path) for path in [*inputs, *writes]}
    config.watch[:] = [path for path in config.watch if os.path.abspath(path) not in ours]  # -w seeds: once
    for path in inputs:
        server.watch(str(path))
    _hook.update(serving=True, server=server, layout=layout, writes=writes, seen=_stamps(layout))
    return server


def on_pre_build(config: Any) -> None:
    if _nested(config):
        return
    _hook["feeds"], _hook["not_found"] = {}, None
    if _hook["serving"]:
        serve_build(_hook["layout"], _hook["server"], _hook["writes"])


def _nested(config: Any) -> bool:
    """True while the i18n plugin builds an edition other than the default one (inside the default's build)."""
    return bool(getattr(config.plugins.get("i18n"), "building", False))


def serve_build(layout: Layout, server: Any, writes: list[Path]) -> None:
    """press build, for mkdocs serve, holding the writer lock, its written folders unwatched meanwhile; one line
    says what changed and what was built. A failure is that line: the site is built from the pages it had."""
    from tools.build import build, unchanged_build

    changed = _changed(_hook["seen"], _stamps(layout))
    try:
        with one_writer(layout, "press build (mkdocs serve)"):  # another writer's changes are seen meanwhile
            for path in writes:
                server.unwatch(str(path))
            try:
                result = None if unchanged_build(layout) else build(layout.root)
            finally:
                for path in writes:
                    server.watch(str(path))
                _hook["seen"] = _stamps(layout)
    except PressError as error:
        _shown(logging.ERROR, f"press build: error: {error} (the preview keeps the pages it had)")
        return
    if result is None:
        done = "nothing to build"
    else:
        done = f"{len(result.written)} written, {len(result.removed)} removed"
        done += f", {len(result.warnings)} warning(s) (press build lists them)" if result.warnings else ""
    log.info(f"press build: {changed}: {done}")


def _stamps(layout: Layout) -> dict[Path, tuple[int, int]]:
    """Each file under press's inputs and ``docs/``: its size and mtime (ns), to say what changed."""
    stamps = {}
    for top in [*layout.serve_inputs, layout.docs]:
        for path in [top, *top.rglob("*")] if top.is_dir() else [top]:
            try:
                stat = path.stat()
            except OSError:
                continue
            if not path.is_dir():
                stamps[path] = (stat.st_size, stat.st_mtime_ns)
    return stamps


def _changed(before: dict[Path, tuple[int, int]], now: dict[Path, tuple[int, int]]) -> str:
    """The files that changed, appeared or went since ``before``, in a few words."""
    names = sorted(path for path in before.keys() | now.keys() if before.get(path) != now.get(path))
    if not names:
        return "no file changed"
    root = _hook["layout"].root
    first = names[0].relative_to(root).as_posix() if names[0].is_relative_to(root) else str(names[0])
    return f"{first} changed" + (f" (and {len(names) - 1} more)" if len(names) > 1 else "")


def _shown(level: int, message: str) -> None:
    """Print ``message`` as mkdocs prints its log, without counting it as a warning of strict mode (which would
    end the preview's build): mkdocs' own handlers, except its counter."""
    from mkdocs.utils import CountHandler

    record = log.makeRecord(log.name, level, __file__, 0, message, None, None)
    for handler in logging.getLogger("mkdocs").handlers:
        if not isinstance(handler, CountHandler):
            handler.handle(record)


@event_priority(-200)  # after the i18n plugin's, which finds the edition's front page
def on_nav(nav: Any, config: Any, files: Any) -> Any:
    """Remember this edition's folder in the site, and start its feed."""
    home = nav.homepage.file.abs_dest_path if nav.homepage else str(Path(config.site_dir) / "index.html")
    folder = Path(home).parent
    _hook["folder"] = folder
    press = config.extra.get("press", {})
    if config.site_url and press:
        base = urljoin(config.site_url, press["home"])
        feed = Feed(config.site_name, press["lang"], base, urljoin(config.site_url, press["feed"]), _author(config))
        _hook["feeds"][folder] = feed
    return nav


def _author(config: Any) -> str:
    """The feed's author: the edition's publisher (``extra.editions.<lang>``), else ``extra.publisher``, else the
    edition's site name."""
    own = (config.extra.get("editions") or {}).get(config.extra.get("press", {}).get("lang")) or {}
    return str(own.get("publisher") or config.extra.get("publisher") or config.site_name)


def on_page_content(html: str, page: Any, config: Any, files: Any) -> str:
    """A heading's ¶ link titled in the page's language (the toc extension writes "Permanent link" on every one)."""
    lang = str((page.meta or {}).get("lang") or config.extra.get("press", {}).get("lang") or "")
    if lang not in LANGUAGES or lang == "en":
        return html
    return html.replace(f'title="{PERMALINK}"', f'title="{html_text.escape(words(lang).permalink)}"')


def on_post_template(output: str, template_name: str, config: Any) -> str:
    """Each edition's 404 page in its own folder; the site's root keeps the default edition's."""
    if template_name != NOT_FOUND or _hook["folder"] is None:
        return output
    folder = Path(_hook["folder"])
    if folder == Path(config.site_dir) or _hook["not_found"] is None:
        _hook["not_found"] = output
        return output
    folder.mkdir(parents=True, exist_ok=True)
    (folder / NOT_FOUND).write_text(output, encoding="utf-8")
    return _hook["not_found"]


def on_page_context(context: dict, page: Any, config: Any, nav: Any) -> dict:
    """An article's entry in its edition's feed. (A page's language alternates are in the sitemap, not its head:
    the theme fetches sitemap.xml beside each <link rel="alternate">; see overrides/main.html.)"""
    meta = page.meta or {}
    feed = _hook["feeds"].get(_hook["folder"])
    if feed is not None and meta.get("source_sha256") and page.canonical_url:
        feed.entries[page.file.src_uri] = FeedEntry(
            id=entry_id(str(meta.get("id") or meta.get("slug")), str(meta.get("lang"))),
            title=str(meta.get("plain_title", "")),  # the plain copies: title and description are HTML-escaped
            url=page.canonical_url,
            date=str(meta.get("date")),
            summary=str(meta.get("plain_description", "")),
            author=str(meta.get("by") or ""),
        )
    return context


def on_post_build(config: Any) -> None:
    """Write every edition's feed (after the last edition, every feed is complete)."""
    for folder, feed in _hook["feeds"].items():
        if feed.entries:
            Path(folder).mkdir(parents=True, exist_ok=True)
            (Path(folder) / FEED).write_text(atom_feed(feed), encoding="utf-8")
