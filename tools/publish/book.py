"""Stage 6, e-books: an edition's page models → EPUB 3 (pandoc) and PDF (pandoc → Typst), per article and collected.

Every edition gets a book per article (``dist/<slug>.<lang>.epub`` and
``.pdf``) and its articles collected in volumes, one per month, newest first
(``dist/all_articles-2026-02.<lang>.epub``: ``_`` is in no slug), so no book
grows with the corpus; each has the glossary entries of its own articles.
A book whose inputs are those of the book in place is not made again
(:mod:`tools.buildcache`); the others compile in a pool of worker
processes (:mod:`tools.publish.bookjobs`). A book is made from the page models
(:mod:`tools.publish.model`), never from the site's pages: the build's, or for
``press ebooks`` the same models as the build saved them (:mod:`tools.publish.store`,
:func:`tools.publish.bookjobs.rewrite_books`).

:func:`pandoc_book` is the model's second writer, beside the site's
(:mod:`tools.publish.site`): pandoc's Markdown of a book, each inline piece
escaped for pandoc (a term reference is a link to the book's glossary entry,
its definition the plain title).
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
(``mkdocs.yml``, :func:`tools.config.read_settings`), a cover (set by Typst, with
a text alternative), accessibility metadata with a summary, a stylesheet.
The PDF goes through pandoc's Typst writer with our template
(``tools/publish/ebook.typ``) and the PyPI ``typst`` compiler, whose Libertinus fonts
cover Latin and Cyrillic and are embedded. With ``SOURCE_DATE_EPOCH`` set, two
builds give the same bytes. The compilers and their templates are
:mod:`tools.publish.pandoc`'s.

Text is data here too. pandoc reads ``--metadata-file`` values as Markdown, so
each string is escaped as the pages' text is; the template's and the cover's
strings reach Typst as ``sys.inputs``.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import yaml

from tools import buildcache
from tools.config import SiteSettings, read_settings
from tools.errors import PressError
from tools.fsutil import uuid_urn, write_atomic
from tools.layout import Layout, explicit_epoch
from tools.publish import pandoc
from tools.publish.edition import header
from tools.publish.markdown import BOOK_OPENER, SITE_OPENER, escape, printable, title_markdown
from tools.publish.model import (
    MACHINE_NOTE,
    ArticlePage,
    GlossaryEntry,
    GlossaryPage,
    Inline,
    Paragraph,
    Span,
    TermRef,
    by_article,
)
from tools.publish.store import read_edition
from tools.ui import format_date, words

COLLECTED = "all_articles"  # the collected book's file stem
FORMATS = (".epub", ".pdf")


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
    months: dict[str, list[ArticlePage]] = {}
    for page in newest:
        months.setdefault(f"{page.date:%Y-%m}", []).append(page)
    volumes = [Book(lang, volume_name(month), tuple(pages), glossary, settings) for month, pages in months.items()]
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
    files = (*pandoc.TEMPLATES, Path(__file__), Path(pandoc.__file__))
    return buildcache.inputs_key(pandoc_book(book), book_metadata(book), files, explicit_epoch())


def _article_book(root: Path, lang: str, slug: str) -> Book:
    """One article's book from the models the last build saved."""
    layout = Layout(root)
    pages, glossary = read_edition(layout.page_record(lang))
    page = next((p for p in pages if p.slug == slug), None)
    if page is None:
        raise PressError(layout.page(lang, slug), None, "the edition page is missing", "run press build first")
    return Book(lang, slug, (page,), glossary, read_settings(root))


def build_epub(root: Path, lang: str, slug: str, target: Path, source_date_epoch: int | None = None) -> Path:
    """The EPUB of one article's edition, from the models the last build saved."""
    return write_epub(_article_book(root, lang, slug), target, source_date_epoch)


def build_pdf(root: Path, lang: str, slug: str, target: Path) -> Path:
    """The PDF of one article's edition, from the models the last build saved."""
    return write_pdf(_article_book(root, lang, slug), target)


# --- the pandoc writer ---------------------------------------------------------------------------


def pandoc_book(book: Book) -> str:
    """The book as pandoc's Markdown: contents (collected), articles, glossary; links only inside the book."""
    if book.collected:
        blocks = [f"# {joined(words(book.lang).articles)} {{#book_contents .unnumbered}}", _contents(book)]
        for page in book.articles:
            blocks += _article(page, level=2)
    else:
        blocks = _article(book.articles[0], level=1)
    glossary = book_glossary(book.glossary, book.terms, {p.slug for p in book.articles})
    return "\n\n".join([*blocks, glossary] if glossary else blocks) + "\n"


def _contents(book: Book) -> str:
    """The collected book's contents: each article's headline (a link to it), byline and date."""
    items = [f"- [{joined(p.title)}](#{_section(p.slug)}) — {joined(header(p).dateline)}" for p in book.articles]
    return "\n".join(items)


def _section(slug: str) -> str:
    return f"article_{slug}"


def paragraph_anchor(slug: str, number: int) -> str:
    """A paragraph's anchor in a book (unique in the collected book; '_' is in no term id)."""
    return f"p{number}_{slug}"


def _article(page: ArticlePage, level: int) -> list[str]:
    """An article's blocks: headline, dateline, the provenance note, paragraphs with their anchors."""
    shown = header(page)
    blocks = [f"{'#' * level} {joined(page.title)} {{#{_section(page.slug)}}}"]
    blocks.append(_styled("dateline", joined(shown.dateline)))
    if shown.note:
        blocks.append(_styled("note", inline(shown.note)))
    blocks += [_paragraph(page.slug, paragraph) for paragraph in page.paragraphs]
    return blocks


def _paragraph(slug: str, paragraph: Paragraph) -> str:
    """A paragraph with its anchor."""
    return f"[]{{#{paragraph_anchor(slug, paragraph.number)}}}{inline(paragraph.pieces)}"


def inline(pieces: tuple[Inline, ...]) -> str:
    """Inline pieces as pandoc's Markdown, each escaped on its own: a term reference links to the book's entry
    (its definition the link's title, plain text); a span is marked with its language (a ``lang`` span in the
    EPUB, ``#text(lang: …)`` in the PDF)."""
    return "".join(_piece(piece) for piece in pieces)


def _piece(piece: Inline) -> str:
    if isinstance(piece, TermRef):
        return f'[{text(piece.text)}](#{piece.term} "{title_markdown(printable(piece.definition))}")'
    if isinstance(piece, Span):
        span = f"[{text(piece.text)}]{{lang={piece.lang}}}"
        return f'`#text(lang: "{piece.lang}")[`{{=typst}}{span}`]`{{=typst}}'
    return text(piece.text)


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
    blocks = [f"## {text(ui.glossary)} {{#book_glossary epub:type=glossary role=doc-glossary .unnumbered}}"]
    if page.untranslated:
        blocks.append(_div("glossary-note", f"*{text(ui.untranslated)}*"))
    present = {entry.id for entry in page.entries}
    for entry in page.entries:
        blocks += _book_entry(entry, page.lang, present)
    return "\n\n".join(blocks)


def _book_entry(entry: GlossaryEntry, lang: str, present: set[str]) -> list[str]:
    """One entry's blocks, as the site's entry shows them."""
    ui = words(lang)
    blocks = [f"### {text(entry.heading)} {{#{entry.id}}}"]
    blocks += [_div(t.kind, text(t.text), t.lang if t.lang != lang else "") for t in entry.texts]
    if entry.machine:
        blocks.append(_div(MACHINE_NOTE, f"*{text(ui.machine_translated)}*"))
    if entry.see:
        refs = [f"[{text(label)}](#{ref})" if ref in present else text(label) for ref, label in entry.see]
        blocks.append(f"**{text(ui.see_also)}:** " + " · ".join(refs))
    if entry.backlinks:
        articles = [
            f"*{text(title)}*: " + ", ".join(f"[¶{n}](#{paragraph_anchor(slug, n)})" for n in numbers)
            for slug, title, numbers in by_article(entry.backlinks)
        ]
        blocks.append(f"**{text(ui.in_articles)}:** " + "; ".join(articles))
    if entry.sources:
        blocks.append(f"**{text(ui.sources)}:** " + " · ".join(text(s) for s in entry.sources))
    return blocks


def text(plain: str) -> str:
    """Plain text as pandoc's Markdown: escaped as the site's text is, a '<' with no word joiner."""
    return escape(plain, BOOK_OPENER)


def joined(plain: str) -> str:
    """Plain text as pandoc's Markdown with a word joiner (U+2060, invisible) after a '<' that could open a tag,
    as the site writes it: what the books have always shown in headlines, datelines and the contents. Kept so
    that the books stay byte-identical; :func:`text` is what the rest of a book uses."""
    return escape(plain, SITE_OPENER)


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
    return uuid_urn(f"{kind}{sources}:{book.lang}")


def _pandoc_metadata(value: object) -> object:
    """Plain metadata → what pandoc's --metadata-file needs: every string is Markdown, so each is escaped."""
    if isinstance(value, dict):
        return {key: _pandoc_metadata(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_pandoc_metadata(item) for item in value]
    return text(value) if isinstance(value, str) else value


# --- EPUB and PDF --------------------------------------------------------------------------------


def write_epub(book: Book, target: Path, source_date_epoch: int | None = None) -> Path:
    """Write the book's EPUB; PressError if pandoc fails or warns. Its ``dcterms:modified`` is the build's date:
    ``source_date_epoch``, else now."""
    data = book_metadata(book)
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work)
        cover = pandoc.cover_png(
            book.title, book.subtitle, data["datetext"], book.lang, book.settings.publisher, target
        )
        (folder / "cover.png").write_bytes(cover)
        (folder / "meta.yaml").write_text(yaml.safe_dump(_pandoc_metadata(data), allow_unicode=True), encoding="utf-8")
        (folder / "book.md").write_text(pandoc_book(book), encoding="utf-8")
        epub = pandoc.pandoc_epub(folder, target, source_date_epoch)
    modified = source_date_epoch if source_date_epoch is not None else int(dt.datetime.now(dt.UTC).timestamp())
    write_atomic(target, pandoc.finish_epub(epub, book.name, book.lang, book.settings.publisher, modified))
    return target


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
        source = pandoc.run_pandoc(folder, ["--to=typst", f"--template={pandoc.PDF_TEMPLATE}"], target)
        source.write_text(pandoc.typst_body(source.read_text(encoding="utf-8")), encoding="utf-8")
        # the PDF's dates come from the document's date, set by the template: no clock is read
        write_atomic(target, pandoc.compile_typst(source, target, inputs, "pdf"))
    return target


def _short(title: str, limit: int = 60) -> str:
    """A running-header title: cut at a word, with an ellipsis."""
    return title if len(title) <= limit else title[:limit].rsplit(" ", 1)[0] + "…"
