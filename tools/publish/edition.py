"""Stage 3, editions: an Article becomes the page model of one edition (:mod:`tools.publish.model`).

:func:`render_article` makes what a reader is shown of an article in one language: the headline, the
date, the byline, the standfirst (its first sentence), the reading time, where a translation came
from, and the paragraphs, typeset for the language, each with its number for an anchor (``#p3``).
With a :class:`TermLinker` the first occurrence of each glossary term in the article is a term
reference. :func:`header` typesets the article's header once for both writers. :func:`render_glossary`
makes an edition's glossary: per term the definition and annotation written by hand
(``glossary/definitions/<lang>.yml``, see :mod:`tools.glossary.definitions`); where a language has
none, the machine translation from the glossary memory, and the entry says so; where the memory has
none either, the source language's text, marked with its language.

The writers (:mod:`tools.publish.site`, :mod:`tools.publish.book`) render these models; nothing here
writes Markdown.
"""

from __future__ import annotations

import dataclasses
import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from tools.diagnostics import WARNING, Diagnostic
from tools.glossary.collation import sort_key
from tools.glossary.definitions import FIELDS, Authored, authored_text
from tools.glossary.detect import Detector
from tools.glossary.termbase import Term, TermBase
from tools.ingest import Article
from tools.numbers import localize_numbers
from tools.publish.model import (
    ArticlePage,
    Backlink,
    EntryText,
    GlossaryEntry,
    GlossaryPage,
    Header,
    Inline,
    Paragraph,
    Span,
    TermRef,
    Text,
)
from tools.segment import join_sentences, split_sentences
from tools.typography import TypographyWarning, explain, typeset
from tools.ui import format_date, language_name, provenance_note, provenance_words, reading_minutes, words

if TYPE_CHECKING:
    from tools.translate import Translation

WORDS_PER_MINUTE = 220
_TITLE_MARK = "\ue000"  # where the original's title goes in the typeset note (a private-use character)


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
        pieces = linker.link(paragraph.text, where, linked) if linker else (Text(paragraph.text),)
        blocks.append(Paragraph(number, tuple(p for p in pieces if p != Text(""))))
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


def header(page: ArticlePage) -> Header:
    """The article's header, typeset for its edition: byline, date, reading time, the other editions, and for a
    translation its provenance (a phrase, the details, and the books' note that ends with the original's title,
    typeset as the original has it and marked as its language)."""
    ui, lang = words(page.lang), page.lang
    shown = Header(
        byline=typeset(ui.byline.format(name=page.by), lang) if page.by else "",
        date=format_date(page.date, lang),
        minutes=ui.minutes.format(n=reading_minutes(page.words, WORDS_PER_MINUTE)),
        editions=tuple((other, words(other).language) for other in page.languages if other != lang),
    )
    if not page.provenance:
        return shown
    source = re.sub(r"[^A-Za-z0-9-]", "", page.source_language)
    original = ui.original_of.format(language=language_name(source, lang), title=_TITLE_MARK)
    before, _, after = typeset(f"{provenance_words(page.provenance, lang)}. {original}", lang).partition(_TITLE_MARK)
    return dataclasses.replace(
        shown,
        provenance=typeset(provenance_words(page.provenance, lang), lang),
        details=typeset(provenance_note(page.provenance, lang), lang),
        note=(Text(before), Span(page.original_title, source), Text(after)),
    )


def _in_order(linker: TermLinker, slug: str, linked: set[str]) -> list[str]:
    """The ids of the terms linked in one article, in the order of their first occurrence."""
    first = {t: min((b.paragraph for b in linker.found.get(t, ()) if b.slug == slug), default=0) for t in linked}
    return sorted(linked, key=lambda t: (first[t], t))


def _paragraphs_of(linker: TermLinker, slug: str, terms: list[str]) -> tuple[tuple[str, tuple[int, ...]], ...]:
    """Each term's paragraphs in one article, as the glossary's back-links have them."""
    return tuple((t, tuple(b.paragraph for b in linker.found[t] if b.slug == slug)) for t in terms)


def with_languages(pages: list[ArticlePage], languages: list[str]) -> list[ArticlePage]:
    """The pages, each knowing every edition it is in (known only when every edition is built)."""
    return [dataclasses.replace(page, languages=tuple(languages)) for page in pages]


def word_count(article: Article) -> int:
    """Words of the article's body."""
    return sum(len(re.findall(r"\w+(?:[’'ʼ-]\w+)*", p.text)) for p in article.paragraphs)


def _located(article: Article, lang: str, warnings: tuple[TypographyWarning, ...], line: int) -> list[Diagnostic]:
    """Typography's warnings for the edition in ``lang`` of a paragraph that starts on ``line`` of the seed."""
    return [
        Diagnostic(article.source, line + w.line - 1, WARNING, "typography", w.message, lang=lang) for w in warnings
    ]


# --- the glossary ---------------------------------------------------------------------------------


@dataclass
class TermLinker:
    """Links terms in an edition's articles and remembers where each occurs."""

    base: TermBase
    lang: str
    source_language: str = "en"
    texts: dict[str, str] = field(default_factory=dict)  # translated definition sentences
    authored: dict[str, Authored] = field(default_factory=dict)  # this language's hand-written texts, by term id
    found: dict[str, list[Backlink]] = field(default_factory=lambda: defaultdict(list))

    def __post_init__(self) -> None:
        self.detector = Detector(self.base, self.lang, self.source_language)

    def link(self, text: str, where: Backlink, linked: set[str]) -> tuple[Inline, ...]:
        """Typeset plain ``text`` as inline pieces: each term's first occurrence a reference to its entry.

        ``linked`` holds the ids already linked in this article; it is updated.
        """
        out: list[Inline] = []
        last = 0
        for match in self.detector.find(text):
            if not self.found[match.term_id] or self.found[match.term_id][-1] != where:
                self.found[match.term_id].append(where)
            if match.term_id in linked:
                continue
            linked.add(match.term_id)
            term = self.base.by_id(match.term_id)
            title = definition(term, self.lang, self.source_language, self.texts, self.authored)
            out += [Text(text[last : match.start]), TermRef(match.text, match.term_id, title)]
            last = match.end
        return (*out, Text(text[last:]))


def definition(
    term: Term,
    lang: str,
    source_language: str = "en",
    texts: dict[str, str] | None = None,
    authored: dict[str, Authored] | None = None,
) -> str:
    """The term's definition in ``lang``, typeset: written by hand, else machine-translated, else the source's."""
    shown = _text(term, "definition", lang, source_language, texts or {}, authored or {})
    return typeset(shown.text, shown.lang)


@dataclass(frozen=True)
class _Shown:
    """A definition or annotation as an edition shows it: the text, its language, and whether a machine wrote it."""

    text: str
    lang: str
    machine: bool = False


def _text(
    term: Term, field: str, lang: str, source: str, texts: dict[str, str], authored: dict[str, Authored]
) -> _Shown:
    """A term's definition or annotation in ``lang``: authored, else translated by the memory, else in English."""
    english = getattr(term, field)
    if lang == source:
        return _Shown(english, source)
    own = authored_text(term, field, lang, authored)
    if own:
        return _Shown(own, lang)
    sentences = split_sentences(english)
    if all(s in texts for s in sentences):
        return _Shown(join_sentences([texts[s] for s in sentences]), lang, machine=True)
    return _Shown(english, source)


def render_glossary(
    base: TermBase,
    lang: str,
    found: dict[str, list[Backlink]],
    source_language: str = "en",
    texts: dict[str, str] | None = None,
    authored: dict[str, Authored] | None = None,
) -> GlossaryPage:
    """The glossary page of one edition, as the page model both writers render.

    ``texts`` are machine-translated sentences (the glossary memory); ``authored`` are the
    language's hand-written texts by term id, which come first.
    """
    texts, authored = texts or {}, authored or {}
    terms = sorted(base.terms, key=lambda t: sort_key(t.rendering(lang, source_language).term, lang))
    return GlossaryPage(
        lang,
        tuple(_entry(base, term, lang, source_language, texts, authored, found.get(term.id, [])) for term in terms),
    )


def _entry(
    base: TermBase,
    term: Term,
    lang: str,
    source: str,
    texts: dict[str, str],
    authored: dict[str, Authored],
    backlinks: list[Backlink],
) -> GlossaryEntry:
    shown = [_text(term, kind, lang, source, texts, authored) for kind in FIELDS]
    return GlossaryEntry(
        id=term.id,
        heading=typeset(term.rendering(lang, source).term, lang),
        texts=tuple(EntryText(kind, typeset(s.text, s.lang), s.lang) for kind, s in zip(FIELDS, shown)),
        machine=any(s.machine for s in shown),
        see=tuple((ref, typeset(base.by_id(ref).rendering(lang, source).term, lang)) for ref in term.see),
        backlinks=tuple(backlinks),
        sources=tuple(term.sources),
    )
