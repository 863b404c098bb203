"""The glossary in an edition: term links in the articles, and the glossary page.

In an article the first occurrence of each term links to its entry, with
the definition as the link's title (the theme shows it as a tooltip); later
occurrences stay plain. The glossary page ``docs/<lang>/glossary.md`` has
one entry per term, sorted by the language's alphabet, each with an anchor,
its definition, annotation, cross-references and back-links to every
paragraph where the term occurs. The page is a model (:class:`GlossaryPage`):
the site's Markdown is one writer of it, the e-book's pandoc Markdown the
other, and the site page's front matter carries the model so that
``press ebooks`` reads it back exactly (:func:`read_glossary`).

A definition or annotation in a translated edition is the one written by hand
(``glossary/definitions/<lang>.yml``, see :mod:`tools.glossary.definitions`);
where a language has none, the machine translation from the glossary memory,
and the entry says so in a note of its own (the e-book, written from the same
model by :mod:`tools.publish.book`, shows it too); where the memory has none either, the English text, marked
``lang="en"``, under a note at the top of the page.

Every string of the term base (headwords, renderings, definitions,
annotations, sources) and of the glossary memory is text: escaped by
:mod:`tools.publish.markdown`, and a definition in a link's title is HTML-escaped
text, because the theme's tooltip reads the title as HTML.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field, replace

from tools.diagnostics import Diagnostic
from tools.glossary.collation import sort_key
from tools.glossary.definitions import FIELDS, Authored, authored_text
from tools.glossary.detect import Detector
from tools.glossary.termbase import Term, TermBase
from tools.layout import GENERATOR
from tools.publish import markdown
from tools.publish.markdown import Page
from tools.segment import join_sentences, split_sentences
from tools.typography import typeset
from tools.ui import words

GLOSSARY_PAGE = "glossary.md"
TERMS = "terms"  # docs/<lang>/terms/<id>/index.md, 2.md, …: every article a term is in, a page at a time
ENTRY_ARTICLES = 5  # an entry on the glossary page links back into its newest five articles, then to its term page
TERM_PAGE_ARTICLES = 50  # articles on one term page
MACHINE_NOTE = "machine-translation"  # the class of an entry's note that its texts are machine-translated


@dataclass(frozen=True)
class Backlink:
    """Where a term occurs: the article's page, its title, the paragraph's number."""

    slug: str
    title: str
    paragraph: int
    date: dt.date | None = None  # the article's: an entry lists its newest articles first


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

    def link(self, text: str, where: Backlink, linked: set[str]) -> str:
        """Markdown for typeset plain ``text``: escaped, each term's first occurrence linked.

        ``linked`` holds the ids already linked in this article; it is updated.
        """
        out, last = [], 0
        for match in self.detector.find(text):
            if not self.found[match.term_id] or self.found[match.term_id][-1] != where:
                self.found[match.term_id].append(where)
            if match.term_id in linked:
                continue
            linked.add(match.term_id)
            term = self.base.by_id(match.term_id)
            title = definition(term, self.lang, self.source_language, self.texts, self.authored)
            out += [
                markdown.escape(text[last : match.start]),
                markdown.link(match.text, f"{GLOSSARY_PAGE}#{match.term_id}", title),
            ]
            last = match.end
        return "".join(out) + markdown.escape(text[last:])


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


@dataclass(frozen=True)
class EntryText:
    """A definition or annotation as the entry shows it: typeset plain text, and the language it is in."""

    kind: str  # one of FIELDS
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

    @property
    def text(self) -> str:
        """The site's page (see :func:`glossary_markdown`)."""
        return glossary_markdown(self)

    def site_pages(self) -> list[Page]:
        """The site's glossary page, and the term pages of the entries in more articles than the page shows."""
        return [
            Page(self.path, self.text, self.warnings),
            *(page for entry in self.entries for page in term_pages(entry, self.lang)),
        ]

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


# --- the site writer, and the one reader -----------------------------------------------------------


def glossary_markdown(page: GlossaryPage) -> str:
    """The site's glossary page: Markdown with front matter that also holds the model (see :func:`read_glossary`)."""
    ui = words(page.lang)
    lines = [f"# {markdown.escape(ui.glossary)}", ""]
    if page.untranslated:
        lines += [f"*{markdown.escape(ui.untranslated)}*", "{: .glossary-note }", ""]
    for entry in page.entries:
        lines += _entry_lines(entry, page.lang)
    meta = {"title": ui.glossary, "lang": page.lang, "generator": GENERATOR, "entries": _entries_data(page)}
    return markdown.front_matter(meta) + "\n".join(lines).rstrip() + "\n"


def _entry_lines(entry: GlossaryEntry, lang: str) -> list[str]:
    ui = words(lang)
    lines = [f"## {markdown.escape(entry.heading)} {{#{entry.id}}}", ""]
    for text in entry.texts:
        marker = f' lang="{text.lang}"' if text.lang != lang else ""
        lines += [markdown.escape(text.text), f"{{: .{text.kind}{marker} }}", ""]
    if entry.machine:
        lines += [f"*{markdown.escape(ui.machine_translated)}*", f"{{: .{MACHINE_NOTE} }}", ""]
    if entry.see:
        refs = [markdown.link(label, f"#{ref}") for ref, label in entry.see]
        lines += [f"**{markdown.escape(ui.see_also)}:** " + " · ".join(refs), ""]
    if entry.backlinks:
        articles = by_article(entry.backlinks)
        shown = "; ".join(_backlinks(articles[:ENTRY_ARTICLES], ""))
        if len(articles) > ENTRY_ARTICLES:
            shown += " · " + markdown.link(ui.every_article.format(n=len(articles)), f"{TERMS}/{entry.id}/index.md")
        lines += [f"**{markdown.escape(ui.in_articles)}:** " + shown, ""]
    if entry.sources:
        lines += [f"**{markdown.escape(ui.sources)}:** " + " · ".join(markdown.escape(s) for s in entry.sources), ""]
    return lines


def _backlinks(articles: list[tuple[str, str, list[int]]], up: str) -> list[str]:
    """Each article with links to its paragraphs, for a page ``up`` (``../`` …) below the edition's folder."""
    return [
        f"*{markdown.escape(title)}*: " + ", ".join(f"[¶{n}]({up}{slug}.md#p{n})" for n in paragraphs)
        for slug, title, paragraphs in articles
    ]


def term_pages(entry: GlossaryEntry, lang: str) -> list[Page]:
    """The pages of every article ``entry``'s term is in, newest first (none when the glossary page shows them all)."""
    articles = by_article(entry.backlinks)
    if len(articles) <= ENTRY_ARTICLES:
        return []
    chunks = [articles[i : i + TERM_PAGE_ARTICLES] for i in range(0, len(articles), TERM_PAGE_ARTICLES)]
    return [_term_page(entry, lang, chunk, number, len(chunks)) for number, chunk in enumerate(chunks, 1)]


def _term_page(entry: GlossaryEntry, lang: str, chunk: list, number: int, count: int) -> Page:
    """Term page ``number`` of ``count``: the term, its definition, its articles; links to the other pages."""
    ui = words(lang)
    heading = entry.heading if number == 1 else f"{entry.heading}: {ui.page_number.format(n=number)}"
    definition = next((t for t in entry.texts if t.kind == "definition"), None)
    lines = [f"# {markdown.escape(heading)}", ""]
    if definition:
        marker = f' lang="{definition.lang}"' if definition.lang != lang else ""
        lines += [markdown.escape(definition.text), f"{{: .definition{marker} }}", ""]
    lines += [f"- {line}" for line in _backlinks(chunk, "../../")] + [""]
    links = [markdown.link(ui.glossary, f"../../{GLOSSARY_PAGE}#{entry.id}")]
    if number > 1:
        links.insert(0, markdown.link(f"← {ui.newer_articles}", "index.md" if number == 2 else f"{number - 1}.md"))
    if number < count:
        links.append(markdown.link(f"{ui.older_articles} →", f"{number + 1}.md"))
    lines += [" · ".join(links), "{: .press-pager }"]
    title = f"{ui.glossary}: {heading}"
    meta = {"title": title, "lang": lang, "generator": GENERATOR, "description": f"{title}. {ui.in_articles}."}
    path = f"{lang}/{TERMS}/{entry.id}/" + ("index.md" if number == 1 else f"{number}.md")
    return Page(path, markdown.front_matter(meta) + "\n".join(lines) + "\n")


def by_article(backlinks: tuple[Backlink, ...]) -> list[tuple[str, str, list[int]]]:
    """Back-links grouped by article, newest first: (slug, title, paragraph numbers)."""
    grouped: dict[str, list[Backlink]] = defaultdict(list)
    for backlink in backlinks:
        grouped[backlink.slug].append(backlink)
    newest = sorted(grouped.values(), key=lambda links: (links[0].date or dt.date.min, links[0].slug), reverse=True)
    return [(links[0].slug, links[0].title, [b.paragraph for b in links]) for links in newest]


def _entries_data(page: GlossaryPage) -> list[dict]:
    """The model as plain YAML data, for :func:`read_glossary`: without back-links, which grow with the corpus
    (each article page holds its own, ``term_paragraphs``)."""
    return [
        {
            "id": e.id,
            "heading": e.heading,
            "texts": [[t.kind, t.text, t.lang] for t in e.texts],
            "machine": e.machine,
            "see": [list(pair) for pair in e.see],
            "sources": list(e.sources),
        }
        for e in page.entries
    ]


def read_glossary(text: str) -> GlossaryPage | None:
    """A written glossary page → its model without back-links (None for any other page): what ``press ebooks``
    reads back; the back-links are the article pages' (:meth:`GlossaryPage.with_backlinks`)."""
    meta, _ = markdown.read_front_matter(text)
    if not isinstance(meta.get("entries"), list) or "lang" not in meta:
        return None
    entries = tuple(
        GlossaryEntry(
            id=str(e["id"]),
            heading=str(e["heading"]),
            texts=tuple(EntryText(str(k), str(t), str(lang)) for k, t, lang in e["texts"]),
            machine=bool(e["machine"]),
            see=tuple((str(ref), str(label)) for ref, label in e["see"]),
            backlinks=(),
            sources=tuple(str(s) for s in e["sources"]),
        )
        for e in meta["entries"]
    )
    return GlossaryPage(str(meta["lang"]), entries)
