"""The page model: what a reader is shown of an edition, as data that no writer has rendered yet.

An article in one edition (:class:`ArticlePage`) is its headline, date, author, standfirst, the
provenance of its translation, and its paragraphs. A :class:`Paragraph` is its number (its anchor,
``p3``) and its inline pieces: plain :class:`Text`, a :class:`TermRef` (the first occurrence of a
glossary term, with the definition a reader may hover), a :class:`Span` of text in another language.
The :class:`Header` is the article's header as it is typeset once for its language (byline, date,
reading time, the provenance and its note, the other editions); both writers set it, each its own way.
An edition's glossary is a :class:`GlossaryPage` of :class:`GlossaryEntry` with their back-links.

Every string here is plain text, typeset for its language: the writers escape it for their dialect
(:mod:`tools.publish.site`, :mod:`tools.publish.book`), and :mod:`tools.publish.store` saves the model.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass, replace

from tools.diagnostics import Diagnostic

GLOSSARY_PAGE = "glossary.md"  # an edition's glossary page, beside its articles (docs/<lang>/glossary.md)
MACHINE_NOTE = "machine-translation"  # the class of an entry's note that its texts are machine-translated
_EMAIL = r"(?:mailto:)?[\w.+%-]+@[\w-]+(?:\.[\w-]+)+"
_ADDRESS = re.compile(rf"<\s*{_EMAIL}\s*>|\(\s*{_EMAIL}\s*\)|\[\s*{_EMAIL}\s*\]|{_EMAIL}", re.IGNORECASE)


# --- inline pieces -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Text:
    """Plain text. A piece's first character is escaped as a line's first is (the pieces of a paragraph are
    escaped one by one, so both writers agree on where a piece starts)."""

    text: str


@dataclass(frozen=True)
class TermRef:
    """A glossary term's first occurrence in an article: its text as written, the term's id, its definition."""

    text: str
    term: str
    definition: str


@dataclass(frozen=True)
class Span:
    """Text in another language than the page's (an original's title in a translation's note)."""

    text: str
    lang: str


Inline = Text | TermRef | Span


@dataclass(frozen=True)
class Paragraph:
    """One paragraph of an edition: its number (its anchor is ``p<number>``) and its inline pieces."""

    number: int
    pieces: tuple[Inline, ...]


# --- articles ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Header:
    """An article's header, typeset for its edition (:func:`tools.publish.edition.header`)."""

    byline: str  # '' when the article names no author
    date: str  # as the language writes it
    minutes: str  # the reading time
    editions: tuple[tuple[str, str], ...]  # the other editions: (language code, the language's name)
    provenance: str = ""  # how the translation was made, one phrase; '' for the original
    details: str = ""  # the engine, model and reviewed share, closing the article
    note: tuple[Inline, ...] = ()  # the books' note: the provenance, then the original's title in its language

    @property
    def dateline(self) -> str:
        """Byline and date, as both writers show them under a headline or in a list of articles."""
        return " · ".join([self.byline, self.date] if self.byline else [self.date])


@dataclass(frozen=True)
class ArticlePage:
    """An article in one edition, as both writers render it; every string is plain text."""

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
        a page, a book or a feed, whichever way the model was made (rendered, or from the store)."""
        object.__setattr__(self, "by", public_name(self.by))
        if self.provenance and self.provenance.get("reviewers"):
            names = [public_name(str(name)) for name in self.provenance["reviewers"]]
            reviewers = list(dict.fromkeys(name for name in names if name))
            object.__setattr__(self, "provenance", {**self.provenance, "reviewers": reviewers})

    @property
    def path(self) -> str:
        """Where the site's page goes, relative to docs/."""
        return f"{self.lang}/{self.slug}.md"


def public_name(person: str) -> str:
    """A person as readers see them: the name without any e-mail address (``Jane Doe <jd@example.org>`` →
    ``Jane Doe``; an address alone → ''). PO's ``Last-Translator`` and ``--by`` carry ``Name <address>``."""
    name = " ".join(_ADDRESS.sub(" ", person).split())
    return re.sub(r" (?=[,;:])", "", name).strip(" ,;:<>()[]")


# --- the glossary --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Backlink:
    """Where a term occurs: the article's page, its title, the paragraph's number."""

    slug: str
    title: str
    paragraph: int
    date: dt.date | None = None  # the article's: an entry lists its newest articles first


@dataclass(frozen=True)
class EntryText:
    """A definition or annotation as the entry shows it: typeset plain text, and the language it is in."""

    kind: str  # one of tools.glossary.definitions.FIELDS
    text: str
    lang: str


@dataclass(frozen=True)
class GlossaryEntry:
    """One term's entry: plain (typeset) text; the writers escape and link it."""

    id: str
    heading: str
    texts: tuple[EntryText, ...]
    machine: bool  # a machine translated one of its texts: the entry says so
    see: tuple[tuple[str, str], ...]  # (term id, its heading in this language)
    backlinks: tuple[Backlink, ...]
    sources: tuple[str, ...]


@dataclass(frozen=True)
class GlossaryPage:
    """An edition's glossary: its entries in the language's alphabetical order."""

    lang: str
    entries: tuple[GlossaryEntry, ...]
    warnings: tuple[Diagnostic, ...] = ()

    @property
    def path(self) -> str:
        return f"{self.lang}/{GLOSSARY_PAGE}"

    @property
    def untranslated(self) -> bool:
        """Whether some entry shows a text in the source language (the page says so at the top)."""
        return any(text.lang != self.lang for entry in self.entries for text in entry.texts)

    def with_backlinks(self, found: dict[str, list[Backlink]]) -> GlossaryPage:
        """The page with the back-links ``found`` (by term id), as the build made them."""
        entries = tuple(replace(e, backlinks=tuple(found.get(e.id, ()))) for e in self.entries)
        return GlossaryPage(self.lang, entries, self.warnings)

    def only(self, terms: set[str] | None, slugs: set[str]) -> GlossaryPage:
        """The entries of ``terms`` (None: all), with back-links only into the articles ``slugs``."""
        kept = [entry for entry in self.entries if terms is None or entry.id in terms]
        return GlossaryPage(
            self.lang,
            tuple(replace(e, backlinks=tuple(b for b in e.backlinks if b.slug in slugs)) for e in kept),
        )


def by_article(backlinks: tuple[Backlink, ...]) -> list[tuple[str, str, list[int]]]:
    """Back-links grouped by article, newest first: (slug, title, paragraph numbers)."""
    grouped: dict[str, list[Backlink]] = defaultdict(list)
    for backlink in backlinks:
        grouped[backlink.slug].append(backlink)
    newest = sorted(grouped.values(), key=lambda links: (links[0].date or dt.date.min, links[0].slug), reverse=True)
    return [(links[0].slug, links[0].title, [b.paragraph for b in links]) for links in newest]


def backlinks_of(pages: list[ArticlePage]) -> dict[str, list[Backlink]]:
    """The glossary's back-links, from the article pages (each page knows its terms' paragraphs)."""
    found: dict[str, list[Backlink]] = {}
    for page in pages:
        for term, paragraphs in page.term_paragraphs:
            found.setdefault(term, []).extend(Backlink(page.slug, page.title, n, page.date) for n in paragraphs)
    return found


# --- an edition ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class EditionPages:
    """One edition's pages as the build made them: its articles' models and its glossary page."""

    lang: str
    articles: tuple[ArticlePage, ...]
    glossary: GlossaryPage | None = None  # None without a term base
