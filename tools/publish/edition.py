"""Stage 3, editions: an Article becomes the page model of one edition, which two writers render.

:class:`ArticlePage` is what a reader is shown of an article in one language:
the headline, the date, the byline, the standfirst (its first sentence), the
reading time, where a translation came from, and the paragraphs, typeset for
the language, each with its number for an anchor (``#p3``). With a term linker
the first occurrence of each glossary term in the article links to its entry.
A paragraph's text is one line of Markdown in the dialect both of its readers
share (:mod:`tools.publish.markdown`): the text of the seed and the memory escaped, and
term links to ``glossary.md#<id>`` with the definition as their title.

Two writers render the same model: :func:`site_markdown` here (the page
``docs/<lang>/<slug>.md`` for mkdocs: the headline and the paragraphs with
their anchors; the header's words, byline, date, reading time, provenance and
the other editions, as front matter the theme's template sets under the
headline) and :func:`tools.publish.book.pandoc_book` (pandoc's Markdown for the EPUB
and the PDF). :func:`read_article` reads a written page back into the model
(``press ebooks``): the one parser of a page. :func:`render_front_pages` writes
the edition's front pages from the models of its articles: 20 entries a page
(``index.md``, ``page/2.md``, …, linked newer and older) and an archive by
month (``archive/index.md``, ``archive/2026-02.md``), so no page lists every
article and a page's size does not grow with the corpus. (A glossary term's
articles are its entry's back-links on the glossary page: no archive per term.)

Everything from a seed or a memory is text: escaped Markdown in the body, and
in the front matter the fields the theme prints HTML-escaped, their plain
copies kept beside them (see :mod:`tools.publish.markdown`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from babel.dates import format_skeleton

from tools.diagnostics import WARNING, Diagnostic
from tools.ingest import Article
from tools.layout import GENERATOR
from tools.numbers import localize_numbers
from tools.publish import markdown
from tools.publish.glossary import Backlink, GlossaryPage, TermLinker
from tools.publish.markdown import Page
from tools.segment import join_sentences, split_sentences
from tools.typography import TypographyWarning, explain, typeset
from tools.ui import format_date, provenance_note, provenance_words, reading_minutes, words

if TYPE_CHECKING:
    from tools.translate import Translation

WORDS_PER_MINUTE = 220
HIDDEN = ["navigation", "toc"]  # the theme's sidebars: an article reads as one column
_ANCHORED = re.compile(r"\n\{: #p(\d+) \}$")
_LONG_HEADLINE, _VERY_LONG_HEADLINE = 70, 120  # characters: a headline this long is set smaller
_EMAIL = r"(?:mailto:)?[\w.+%-]+@[\w-]+(?:\.[\w-]+)+"
_ADDRESS = re.compile(rf"<\s*{_EMAIL}\s*>|\(\s*{_EMAIL}\s*\)|\[\s*{_EMAIL}\s*\]|{_EMAIL}", re.IGNORECASE)


@dataclass(frozen=True)
class Paragraph:
    """One paragraph of an edition: its number (its anchor is ``p<number>``) and its text as Markdown."""

    number: int
    markdown: str  # one line both readers read as the same text; term links to glossary.md#<id>


@dataclass(frozen=True)
class ArticlePage:
    """An article in one edition, as both writers render it; every string is plain text unless named Markdown."""

    lang: str
    source_language: str
    id: str
    slug: str
    title: str  # typeset for the edition
    original_title: str  # the title in the source language, typeset for it
    date: dt.date
    by: str
    standfirst: str  # the first sentence
    words: int  # of the original: the reading time
    paragraphs: tuple[Paragraph, ...]
    source: str  # the seed's path, for warnings and the books' identity; never shown to a reader
    sha256: str
    provenance: dict | None = None  # the translation's (engine, model, reviewed share), or None for the original
    terms: tuple[str, ...] | None = None  # the glossary terms it links, in order; None: not known (no linker)
    term_paragraphs: tuple[tuple[str, tuple[int, ...]], ...] = ()  # each term's paragraphs (the glossary's back-links)
    languages: tuple[str, ...] = ()  # every edition the article is in, the build knows which
    warnings: tuple[Diagnostic, ...] = ()

    def __post_init__(self) -> None:
        """A person is shown by name only: no e-mail address (a seed's ``by:``, a memory's reviewers) reaches
        a page, a book or a feed, whichever way the model was made (rendered, read back, from the record)."""
        object.__setattr__(self, "by", public_name(self.by))
        if self.provenance and self.provenance.get("reviewers"):
            names = [public_name(str(name)) for name in self.provenance["reviewers"]]
            reviewers = list(dict.fromkeys(name for name in names if name))
            object.__setattr__(self, "provenance", {**self.provenance, "reviewers": reviewers})

    @property
    def path(self) -> str:
        """Where the site's page goes, relative to docs/."""
        return f"{self.lang}/{self.slug}.md"

    @property
    def text(self) -> str:
        """The site's page: the model as Markdown with front matter."""
        return site_markdown(self)

    @property
    def minutes(self) -> int:
        return reading_minutes(self.words, WORDS_PER_MINUTE)


@dataclass(frozen=True)
class EditionPages:
    """One edition's pages as the build made them: its articles' models and its glossary page."""

    lang: str
    articles: tuple[ArticlePage, ...]
    glossary: GlossaryPage | None = None  # None without a term base


def render_article(
    article: Article,
    lang: str,
    linker: TermLinker | None = None,
    translation: Translation | None = None,
    source_language: str = "en",
) -> ArticlePage:
    """The article's page model in ``lang``, typeset; terms linked when a linker is given.

    Without a translation the page is the source edition; with one, each
    sentence is replaced by its translation (typography runs after, for ``lang``).
    """
    texts = {s: localize_numbers(t, lang, s) for s, t in translation.texts.items()} if translation else {}
    source = source_language if translation else lang
    title = explain(texts.get(article.title, article.title), lang)
    paragraphs = [
        explain(join_sentences([texts.get(s, s) for s in split_sentences(p.text)]), lang) for p in article.paragraphs
    ]
    linked: set[str] = set()
    blocks = []
    for number, paragraph in enumerate(paragraphs, start=1):
        where = Backlink(article.slug, title.text, number, article.date)
        text = linker.link(paragraph.text, where, linked) if linker else markdown.escape(paragraph.text)
        blocks.append(Paragraph(number, text))
    warnings = _located(article, lang, title.warnings, 1) + [
        w for p, r in zip(article.paragraphs, paragraphs) for w in _located(article, lang, r.warnings, p.line)
    ]
    first = split_sentences(paragraphs[0].text, lang) if paragraphs else []
    terms = _in_order(linker, article.slug, linked) if linker else []
    return ArticlePage(
        lang=lang,
        source_language=source,
        id=article.id or article.slug,
        slug=article.slug,
        title=title.text,
        original_title=typeset(article.title, source),
        date=article.date,
        by=article.by,
        standfirst=first[0] if first else "",
        words=word_count(article),
        paragraphs=tuple(blocks),
        source=article.source.as_posix(),
        sha256=article.sha256,
        provenance=translation.provenance if translation else None,
        terms=tuple(terms) if linker else None,
        term_paragraphs=_paragraphs_of(linker, article.slug, terms) if linker else (),
        warnings=tuple(warnings),
    )


def public_name(person: str) -> str:
    """A person as readers see them: the name without any e-mail address (``Jane Doe <jd@example.org>`` →
    ``Jane Doe``; an address alone → ''). PO's ``Last-Translator`` and ``--by`` carry ``Name <address>``."""
    name = " ".join(_ADDRESS.sub(" ", person).split())
    return re.sub(r" (?=[,;:])", "", name).strip(" ,;:<>()[]")


def _in_order(linker: TermLinker, slug: str, linked: set[str]) -> list[str]:
    """The ids of the terms linked in one article, in the order of their first occurrence."""
    first = {t: min((b.paragraph for b in linker.found.get(t, ()) if b.slug == slug), default=0) for t in linked}
    return sorted(linked, key=lambda t: (first[t], t))


def _paragraphs_of(linker: TermLinker, slug: str, terms: list[str]) -> tuple[tuple[str, tuple[int, ...]], ...]:
    """Each term's paragraphs in one article, as the glossary's back-links have them."""
    return tuple((t, tuple(b.paragraph for b in linker.found[t] if b.slug == slug)) for t in terms)


def backlinks_of(pages: list[ArticlePage]) -> dict[str, list[Backlink]]:
    """The glossary's back-links, from the article pages (each page knows its terms' paragraphs)."""
    found: dict[str, list[Backlink]] = {}
    for page in pages:
        for term, paragraphs in page.term_paragraphs:
            found.setdefault(term, []).extend(Backlink(page.slug, page.title, n, page.date) for n in paragraphs)
    return found


def with_languages(pages: list[ArticlePage], languages: list[str]) -> list[ArticlePage]:
    """The pages, each knowing every edition it is in (known only when every edition is built)."""
    return [dataclasses.replace(page, languages=tuple(languages)) for page in pages]


# --- the site's writer ---------------------------------------------------------------------------


def site_markdown(page: ArticlePage) -> str:
    """The article's page for mkdocs: front matter (with its header's words), then headline and paragraphs.

    The header under the headline (byline, date, reading time, the provenance in plain words, the other
    languages) is data in the front matter, plain text the theme's template escapes and sets
    (``overrides/partials/press-header.html``): the page's body is the article's text and nothing else.
    """
    body = [f'# {markdown.escape(page.title)} {{: .press-headline data-length="{headline_length(page.title)}" }}']
    body += [f"{p.markdown}\n{{: #p{p.number} }}" for p in page.paragraphs]
    return markdown.front_matter(_front_matter(page)) + "\n\n".join(body) + "\n"


def _front_matter(page: ArticlePage) -> dict:
    meta = {
        "title": page.title,
        "description": page.standfirst or page.title,
        "date": page.date.isoformat(),
        "lang": page.lang,
        "source_language": page.source_language,
        "id": page.id,
        "slug": page.slug,
        "by": page.by,
        "original_title": page.original_title,
        "source": page.source,
        "source_sha256": page.sha256,
        "words": page.words,
        "languages": list(page.languages),
        "hide": HIDDEN,
        "header": _header(page),
        "generator": GENERATOR,
    }
    if page.terms is not None:
        meta["terms"] = list(page.terms)
        meta["term_paragraphs"] = {term: list(paragraphs) for term, paragraphs in page.term_paragraphs}
    if page.provenance:
        meta["translation"] = page.provenance
    return meta


def headline_length(title: str) -> str:
    """How long a headline is (the stylesheet sets a long one smaller, so it never fills a phone's screen)."""
    if len(title) > _VERY_LONG_HEADLINE:
        return "longer"
    return "long" if len(title) > _LONG_HEADLINE else "short"


def _header(page: ArticlePage) -> dict:
    """The words of the article's header, plain text: byline, date, reading time, provenance, other editions.

    The provenance's details (engine, model, how much a person reviewed) close the article. Addresses
    are relative to the article's page: the original, and the article in each other edition.
    """
    ui = words(page.lang)
    others = [lang for lang in page.languages if lang != page.lang]
    header = {
        "byline": typeset(ui.byline.format(name=page.by), page.lang) if page.by else "",
        "date": format_date(page.date, page.lang),
        "minutes": ui.minutes.format(n=page.minutes),
        "also_in": ui.also_in,
        "editions": [
            {
                "lang": lang,
                "name": words(lang).language,
                "url": edition_url(page.lang, lang, page.source_language, page.slug),
            }
            for lang in others
        ],
    }
    if page.provenance:
        header["provenance"] = typeset(provenance_words(page.provenance, page.lang), page.lang)
        header["about"] = ui.about
        header["details"] = typeset(provenance_note(page.provenance, page.lang), page.lang)
        header["original"] = edition_url(page.lang, page.source_language, page.source_language, page.slug)
        header["original_lang"] = page.source_language
        header["read_original"] = ui.read_original
    return header


def _time(date: dt.date, lang: str) -> str:
    """The date as the language writes it, machine-readable too."""
    return f'<time datetime="{date.isoformat()}">{markdown.escape(format_date(date, lang))}</time>'


def edition_url(here: str, there: str, source_language: str, slug: str, from_front_page: bool = False) -> str:
    """The relative URL from an article (or the front page) of the ``here`` edition to the article ``slug`` of
    the ``there`` edition. The source language's edition is the site's root, the others are folders in it."""
    depth = (0 if here == source_language else 1) + (0 if from_front_page else 1)
    folder = "" if there == source_language else f"{there}/"
    return "../" * depth + f"{folder}{slug}/"


PER_PAGE = 20  # entries on a front page: every page of the site has a size that does not grow with the corpus
PAGES, ARCHIVE = "page", "archive"  # folders of an edition: page/2.md, …; archive/index.md, archive/2026-02.md


def render_front_pages(pages: list[ArticlePage], lang: str, per_page: int = PER_PAGE) -> list[Page]:
    """The edition's front pages, ``per_page`` entries each, newest first (``index.md``, ``page/2.md``, …,
    linked newer/older), the archive (``archive/index.md``: the months) and one page per month
    (``archive/2026-02.md``: that month's articles): no page lists every article."""
    ordered = _newest_first(pages)
    chunks = [ordered[i : i + per_page] for i in range(0, len(ordered), per_page)] or [[]]
    fronts = [_front_page(chunk, lang, number, len(chunks)) for number, chunk in enumerate(chunks, start=1)]
    months: dict[str, list[ArticlePage]] = {}
    for page in ordered:
        months.setdefault(page.date.strftime("%Y-%m"), []).append(page)
    archive = [_month_page(month, entries, lang) for month, entries in months.items()]
    return [*fronts, _archive_page(months, lang), *archive]


def _newest_first(pages: list[ArticlePage]) -> list[ArticlePage]:
    return sorted(pages, key=lambda p: (p.date, p.slug), reverse=True)


def _pager(lang: str) -> tuple[str, str, str, str]:
    ui = words(lang)
    return ui.newer_articles, ui.older_articles, ui.archive, ui.page_number


def _front_page(chunk: list[ArticlePage], lang: str, number: int, count: int) -> Page:
    """Front page ``number`` of ``count``: its entries, then links to the newer and older pages and the archive."""
    ui, (newer, older, archive, page_n) = words(lang), _pager(lang)
    first = number == 1
    up = "" if first else "../"
    heading = ui.articles if first else f"{ui.articles}: {page_n.format(n=number)}"
    links = []
    if number > 1:
        target = f"{up}index.md" if number == 2 else f"{number - 1}.md"
        links.append(markdown.link(f"← {newer}", target) + '{: rel="prev" }')
    if number < count:
        links.append(markdown.link(f"{older} →", f"{PAGES}/{number + 1}.md" if first else f"{number + 1}.md"))
        links[-1] += '{: rel="next" }'
    links.append(markdown.link(archive, f"{up}{ARCHIVE}/index.md"))
    lines = [f"# {markdown.escape(heading)} {{: .press-section }}", "", *_entries(chunk, 0 if first else 2, len(up))]
    lines += [" · ".join(links), "{: .press-pager }"]
    path = f"{lang}/index.md" if first else f"{lang}/{PAGES}/{number}.md"
    title = ui.front_page if first else f"{ui.front_page}: {page_n.format(n=number)}"
    return Page(path, _front_matter_of(lang, title) + "\n".join(lines).rstrip() + "\n")


def _archive_page(months: dict[str, list[ArticlePage]], lang: str) -> Page:
    """The archive: each month (newest first) with its number of articles; a line a month, not an article."""
    ui, archive = words(lang), _pager(lang)[2]
    lines = [f"# {markdown.escape(archive)} {{: .press-section }}", ""]
    lines += [f"- {markdown.link(_month_name(m, lang), f'{m}.md')} ({len(e)})" for m, e in months.items()]
    lines += ["", markdown.link(ui.front_page, "../index.md"), "{: .press-pager }"]
    title = f"{ui.front_page}: {archive}"
    return Page(f"{lang}/{ARCHIVE}/index.md", _front_matter_of(lang, title) + "\n".join(lines) + "\n")


def _month_page(month: str, entries: list[ArticlePage], lang: str) -> Page:
    """A month of the archive: its articles as entries, newest first."""
    name, archive = _month_name(month, lang), _pager(lang)[2]
    lines = [f"# {markdown.escape(name)} {{: .press-section }}", "", *_entries(entries, 2, 1)]
    lines += [markdown.link(archive, "index.md"), "{: .press-pager }"]
    title = f"{archive}: {name}"
    return Page(f"{lang}/{ARCHIVE}/{month}.md", _front_matter_of(lang, title) + "\n".join(lines).rstrip() + "\n")


def _month_name(month: str, lang: str) -> str:
    """'2026-02' as the language names a month of a year ('February 2026', 'febrero de 2026')."""
    return format_skeleton("yMMMM", dt.date.fromisoformat(f"{month}-01"), locale=lang)


def _front_matter_of(lang: str, title: str) -> str:
    ui = words(lang)
    meta = {"title": title, "lang": lang, "hide": HIDDEN, "generator": GENERATOR}
    about = split_sentences(ui.about_text.format(site=ui.site), lang)[0]
    meta["description"] = about if title == ui.front_page else f"{title}. {about}"  # each page its own
    return markdown.front_matter(meta)


def _entries(pages: list[ArticlePage], url_depth: int, md_depth: int) -> list[str]:
    """Each article as an entry (headline, standfirst, date, byline, time, other editions), for a page
    ``md_depth`` folders below its edition's (``url_depth`` below it in the built site's addresses)."""
    lines: list[str] = []
    for page in pages:  # the stylesheet sets the first, the newest, as the lead
        headline = markdown.link(page.title, f"{'../' * md_depth}{page.slug}.md")
        lines += [f'## {headline} {{: .press-entry data-length="{headline_length(page.title)}" }}', ""]
        if page.standfirst:
            lines += [markdown.escape(page.standfirst), "{: .press-standfirst }", ""]
        lines += [_entry_meta(page, url_depth), ""]
    return lines


def _entry_meta(page: ArticlePage, url_depth: int = 0) -> str:
    """An entry's date, byline, reading time and the other languages it is in."""
    ui = words(page.lang)
    parts = [_time(page.date, page.lang)]
    if page.by:
        parts.append(markdown.escape(typeset(ui.byline.format(name=page.by), page.lang)))
    parts.append(markdown.escape(ui.minutes.format(n=page.minutes)))
    others = [
        markdown.link(
            words(lang).language,
            "../" * url_depth + edition_url(page.lang, lang, page.source_language, page.slug, True),
        )
        + f'{{: hreflang="{lang}" lang="{lang}" }}'
        for lang in page.languages
        if lang != page.lang
    ]
    if others:
        parts.append(f"{markdown.escape(ui.also_in)}: " + ", ".join(others))
    return " · ".join(parts) + "\n{: .press-entry-meta }"


# --- reading a page back -------------------------------------------------------------------------


def read_article(text: str) -> ArticlePage | None:
    """A written article page → its model (None for any other page): the one place a page is read back."""
    meta, body = markdown.read_front_matter(text)
    if "source_sha256" not in meta:
        return None
    paragraphs = []
    for block in body.strip().split("\n\n"):
        if anchor := _ANCHORED.search(block):
            paragraphs.append(Paragraph(int(anchor.group(1)), block[: anchor.start()]))
    return ArticlePage(
        lang=meta["lang"],
        source_language=meta.get("source_language", meta["lang"]),
        id=str(meta.get("id") or meta["slug"]),
        slug=meta["slug"],
        title=meta["title"],
        original_title=meta.get("original_title", meta["title"]),
        date=dt.date.fromisoformat(str(meta["date"])),
        by=meta.get("by") or "",
        standfirst=meta.get("description", ""),
        words=int(meta.get("words", 0)),
        paragraphs=tuple(paragraphs),
        source=str(meta.get("source", "")),
        sha256=meta["source_sha256"],
        provenance=meta.get("translation"),
        terms=tuple(meta["terms"]) if isinstance(meta.get("terms"), list) else None,
        term_paragraphs=tuple((str(t), tuple(map(int, ns))) for t, ns in (meta.get("term_paragraphs") or {}).items()),
        languages=tuple(meta.get("languages") or ()),
    )


def page_record(page: ArticlePage) -> dict:
    """The page model as JSON data (the build's record of it, :mod:`tools.publish.store`)."""
    data = dataclasses.asdict(page)
    data["date"] = page.date.isoformat()
    data["warnings"] = [dataclasses.asdict(w) | {"path": str(w.path)} for w in page.warnings]
    return data


def page_from_record(data: dict) -> ArticlePage:
    """The page model back from :func:`page_record`'s data (KeyError, TypeError or ValueError if it is not that)."""
    fields = dict(data)
    fields["date"] = dt.date.fromisoformat(data["date"])
    fields["paragraphs"] = tuple(Paragraph(int(p["number"]), str(p["markdown"])) for p in data["paragraphs"])
    fields["terms"] = None if data["terms"] is None else tuple(data["terms"])
    fields["term_paragraphs"] = tuple((str(t), tuple(map(int, ns))) for t, ns in data["term_paragraphs"])
    fields["languages"] = tuple(data["languages"])
    fields["warnings"] = tuple(Diagnostic(**w) for w in data["warnings"])
    return ArticlePage(**fields)


def word_count(article: Article) -> int:
    """Words of the article's body."""
    return sum(len(re.findall(r"\w+(?:[’'ʼ-]\w+)*", p.text)) for p in article.paragraphs)


def _located(article: Article, lang: str, warnings: tuple[TypographyWarning, ...], line: int) -> list[Diagnostic]:
    """Typography's warnings for the edition in ``lang`` of a paragraph that starts on ``line`` of the seed."""
    return [
        Diagnostic(article.source, line + w.line - 1, WARNING, "typography", w.message, lang=lang) for w in warnings
    ]
