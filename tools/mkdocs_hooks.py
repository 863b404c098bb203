"""The mkdocs hooks ``mkdocs.site.yml`` names (:data:`tools.publish.siteconfig.HOOKS`): feeds, 404 pages, press build under serve.

During ``mkdocs build``: every edition gets an Atom feed of its latest articles (``feed.xml`` in its folder,
:func:`tools.publish.feed.atom_feed`) and its own 404 page (``404.html`` in its folder; the site's root keeps the
source edition's); a heading's ¶ link is titled in the page's language; with the editions built apart (by press
site), each page gets its content security policy as it is rendered (:class:`tools.csp.PageSecurer`). Under
``mkdocs serve`` a change to the seeds, the term base, the memories, ``editions.yml`` or ``mkdocs.yml`` runs
``press build`` (holding the writer lock, :mod:`tools.lock`) before the site is rebuilt, once per change.
"""

from __future__ import annotations

import html as html_text
import logging
import os
import shutil
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files

from tools.csp import PageSecurer
from tools.errors import PressError
from tools.languages import LANGUAGES
from tools.layout import BOOK_SUFFIXES, DOWNLOADS, Layout
from tools.lock import one_writer
from tools.publish import i18nfiles, pagereplay, rendercache, sitecache
from tools.publish.feed import FEED, Feed, FeedEntry, atom_feed, entry_id
from tools.publish.sitejoin import EDITION
from tools.siteserver import NOT_FOUND
from tools.ui import words
from tools.workers import stop_full_collections

PERMALINK = "Permanent link"  # the title Python-Markdown's toc gives a heading's ¶ link
log = logging.getLogger("mkdocs.plugins.press")
_hook: dict[str, Any] = {
    "serving": False,
    "feeds": {},
    "folder": None,
    "not_found": None,
    "books": None,
    "edition": None,
}
_QUIET_LOGGERS = [f"mkdocs.plugins.mkdocs_static_i18n.{name}" for name in ("plugin", "reconfigure", "folder", "suffix")]


def on_config(config: Any) -> Any:
    """The i18n plugin's INFO lines (its ``extra`` dict, each edition's folder) are not shown: its warnings are.
    The pages' conversions go through the project's page cache (:mod:`tools.publish.sitecache`), their renders
    through the render cache (:mod:`tools.publish.rendercache`); the i18n plugin remakes each edition's files and
    looks up links, and mkdocs sets its files' paths, without pathlib (:mod:`tools.publish.i18nfiles`); the search
    plugin leaves alone a page it has nothing to remove from (:func:`tools.publish.sitecache.quicken_search`). An
    edition built alone replays the pages whose inputs are as recorded (:mod:`tools.publish.pagereplay`)."""
    for name in _QUIET_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, _OnlyWarnings) for f in logger.filters):
            logger.addFilter(_OnlyWarnings())
    _hook["edition"] = os.environ.get(EDITION) or None
    if _hook["edition"]:
        _one_edition(config, _hook["edition"])
        stop_full_collections()  # a process of its own, for one build
        _hook["securer"] = PageSecurer(Layout(Path(config.config_file_path).parent).csp_record, Path(config.site_dir))
    if not _nested(config):  # mkdocs runs on_config again for each edition the i18n plugin builds inside
        root, code = Path(config.config_file_path).parent, sitecache.code_digest()
        sitecache.install(root, code)
        rendercache.install(root, code)
        pagereplay.install(root if _hook["edition"] else None, code)
        pagereplay.on_replay(_add_feed_entry)
        i18nfiles.install()
        i18nfiles.install_paths()
    sitecache.quicken_search(config.plugins)
    return config


def _one_edition(config: Any, edition: str) -> None:
    """This build is of ``edition`` alone (``press site`` builds each edition in a process of its own, then joins
    them: :mod:`tools.sitebuild`): the i18n plugin, whose ``on_config`` runs after this one, builds that language
    as it would inside the default's build, and builds no other after it."""
    i18n = config.plugins.get("i18n")
    if i18n is None or edition not in i18n.all_languages:
        raise PressError(Path(config.config_file_path), None, f"no edition {edition!r} to build", "run press build")
    i18n.current_language = edition
    i18n.building = True  # what the plugin sets while it builds the other editions: it starts none


def on_env(env: Any, config: Any, files: Any) -> Any:
    """Each edition's pages render through the render cache (:mod:`tools.publish.rendercache`)."""
    return rendercache.on_env(env, config)


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
    return not _hook["edition"] and bool(getattr(config.plugins.get("i18n"), "building", False))


def serve_build(layout: Layout, server: Any, writes: list[Path]) -> None:
    """press build, for mkdocs serve, holding the writer lock, its written folders unwatched meanwhile; one line
    says what changed and what was built. A failure is that line: the site is built from the pages it had."""
    from tools.build import build  # here: half a second of imports every site build does not need
    from tools.buildmark import unchanged_build

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
    """Give the edition its books back (before its pages' links are checked and its files copied); remember
    this edition's folder in the site, and start its feed."""
    if _hook.get("books") is not None:
        for book in _edition_books(_hook["books"], config):
            files.append(book)
        _hook["books"] = None
    home = nav.homepage.file.abs_dest_path if nav.homepage else str(Path(config.site_dir) / "index.html")
    folder = Path(home).parent
    _hook["folder"] = folder
    press = config.extra.get("press", {})
    if config.site_url and press:
        base = urljoin(config.site_url, press["home"])
        author = press.get("publisher") or config.site_name  # a site config press build wrote before it said
        feed = Feed(config.site_name, press["lang"], base, urljoin(config.site_url, press["feed"]), author)
        _hook["feeds"][folder] = feed
    if _hook["edition"]:
        pagereplay.begin(config, files, nav)
    return nav


@event_priority(100)  # before the i18n plugin's (-100), which remakes every file of docs/ for every edition
def on_files(files: Any, config: Any) -> Any:
    """The e-books leave the edition's files until :func:`on_nav` gives them back: the i18n plugin would remake
    each of them for every edition (8,800 of 13,000 files at 1,000 articles), and they are only linked to."""
    i18n = config.plugins.get("i18n")
    books = [file for file in files if not file.is_documentation_page() and _is_book(file.src_uri)]
    taken = [book for book in books if i18n and book.src_uri.split("/")[0] in i18n.all_languages]
    _hook["books"] = taken or None  # a book outside an edition's folder (put in docs/ by hand) stays the plugin's
    if not taken:  # no i18n plugin: mkdocs copies each book itself, as a link
        for book in books:
            book.copy_file = partial(_link_book, book)
        return files
    ids = {id(book) for book in taken}
    return Files([file for file in files if id(file) not in ids])


def _edition_books(books: list, config: Any) -> list:
    """The books of the edition being built, as the i18n plugin would give them (its own language's in its
    folder, and the default language's at the root when it falls back to it), each linked, not copied. An edition
    built apart (by press site) other than the default gets its own only: the default's would land at its build's
    root, which press site does not take (only the edition's folder, :func:`tools.sitebuild.mkdocs_site`)."""
    i18n = config.plugins["i18n"]
    current, default = i18n.current_language, i18n.default_language
    fallback = i18n.config.fallback_to_default is True
    given = []
    for book in books:
        language, _, rest = book.src_uri.partition("/")
        if language == current:
            dest = book.src_uri if current != default else rest
        elif language == default and fallback and not _hook["edition"]:
            dest = rest
        else:
            continue
        given.append(
            File(
                book.src_uri,
                config.docs_dir,
                config.site_dir,
                config.use_directory_urls,
                dest_uri=dest,
                inclusion=book.inclusion,
            )
        )
        given[-1].copy_file = partial(_link_book, given[-1])
    return given


def _is_book(src_uri: str) -> bool:
    parts = src_uri.split("/")
    return len(parts) >= 2 and parts[-2] == DOWNLOADS and Path(parts[-1]).suffix in BOOK_SUFFIXES


def _link_book(file: Any, dirty: bool = False) -> None:
    """``File.copy_file`` for a book: a hard link to its source (a copy across file systems)."""
    source, target = file.abs_src_path, file.abs_dest_path
    os.makedirs(os.path.dirname(target), exist_ok=True)
    if os.path.lexists(target):
        os.unlink(target)
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


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
    if folder == Path(config.site_dir) or (_hook["not_found"] is None and not _hook["edition"]):
        _hook["not_found"] = output
        return output
    folder.mkdir(parents=True, exist_ok=True)
    (folder / NOT_FOUND).write_text(output, encoding="utf-8")
    return _hook["not_found"] or output  # one edition alone: its root is not the site's (press joins the folders)


@event_priority(-300)  # the last: the render cache's key is the context every plugin has made
def on_page_context(context: dict, page: Any, config: Any, nav: Any) -> dict:
    """An article's entry in its edition's feed, and the render cache's key of the page. (A page's language
    alternates are in the sitemap, not its head: the theme fetches sitemap.xml beside each <link rel="alternate">;
    see overrides/main.html.)"""
    _add_feed_entry(page)
    rendercache.page_context(context, page)
    return context


def _add_feed_entry(page: Any) -> None:
    """An article's entry in its edition's feed (a page replayed gets it too: :mod:`tools.publish.pagereplay`)."""
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


@event_priority(-300)  # the last: the page as every plugin left it
def on_post_page(output: str, page: Any, config: Any) -> str:
    """With the editions built apart (by press site), each page gets its content security policy here, so the CSP
    pass after the build (:func:`tools.csp.secure_site`) writes no page a second time."""
    securer = _hook.get("securer") if _hook["edition"] else None
    return output if securer is None else securer.secure(output, Path(page.file.abs_dest_path))


@event_priority(-200)  # after the i18n plugin's, which builds the other editions
def on_post_build(config: Any) -> None:
    """Write every edition's feed (after the last edition, every feed is complete); after the last edition, save
    the page cache."""
    for folder, feed in _hook["feeds"].items():
        if feed.entries:
            Path(folder).mkdir(parents=True, exist_ok=True)
            (Path(folder) / FEED).write_text(atom_feed(feed), encoding="utf-8")
    if _hook["edition"]:  # the other editions' builds run beside this one: press joins what each used
        sitecache.save_part(_hook["edition"], rendercache.outcome(), pagereplay.outcome())
        _hook["securer"].save(Layout(Path(config.config_file_path).parent).csp_part(_hook["edition"]))
    elif not _nested(config):
        kept, rendered = rendercache.save()
        reused, converted = sitecache.save((kept, rendered))
        log.debug(f"pages: {reused} conversions reused, {converted} made; {kept} renders reused, {rendered} made")
