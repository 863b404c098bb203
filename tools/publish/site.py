"""The site's writer: the page model as Python-Markdown for mkdocs, with the theme's attributes.

An article's page ``docs/<lang>/<slug>.md`` is its headline and its paragraphs with their anchors
(``{: #p3 }``); the header's words (byline, date, reading time, provenance, the other editions, from
:func:`tools.publish.edition.header`) are front matter the theme's template sets under the headline
(``overrides/partials/press-header.html``). A term reference is a link to ``glossary.md#<id>`` whose
title is the definition (the theme shows it as a tooltip, reading it as HTML: so it is HTML-escaped).
:func:`front_pages` writes the edition's front pages from the models of its articles: 20 entries a
page (``index.md``, ``page/2.md``, …, linked newer and older) and an archive by month
(``archive/index.md``, ``archive/2026-02.md``), so no page lists every article and a page's size does
not grow with the corpus. :func:`glossary_pages` writes the glossary page, one entry per term with its
anchor, texts, cross-references and back-links (its newest five articles; a term in more has pages of
its own, ``terms/<id>/``).

Everything from a seed or a memory is text: escaped Markdown in the body, and in the front matter the
fields the theme prints HTML-escaped, their plain copies kept beside them (see
:mod:`tools.publish.markdown`). The front matter also keeps what the pages were made from (the
article's identity and terms, the glossary's entries): nothing reads it back (the model is saved by
:mod:`tools.publish.store`), but the pages' bytes stay as they were.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from babel.dates import format_skeleton

from tools.diagnostics import Diagnostic
from tools.layout import GENERATOR
from tools.publish import markdown
from tools.publish.edition import header
from tools.publish.model import (
    GLOSSARY_PAGE,
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
from tools.publish.store import entries_data
from tools.segment import split_sentences
from tools.ui import words

HIDDEN = ["navigation", "toc"]  # the theme's sidebars: an article reads as one column
_LONG_HEADLINE, _VERY_LONG_HEADLINE = 70, 120  # characters: a headline this long is set smaller
TERMS = "terms"  # docs/<lang>/terms/<id>/index.md, 2.md, …: every article a term is in, a page at a time
ENTRY_ARTICLES = 5  # an entry on the glossary page links back into its newest five articles, then to its term page
TERM_PAGE_ARTICLES = 50  # articles on one term page


@dataclass(frozen=True)
class Page:
    """A generated page: where it goes (relative to docs/), its Markdown with front matter, and warnings met."""

    path: str
    text: str
    warnings: tuple[Diagnostic, ...] = ()


def inline(pieces: tuple[Inline, ...]) -> str:
    """Inline pieces as one line of the site's Markdown, each piece escaped on its own."""
    return "".join(_piece(piece) for piece in pieces)


def _piece(piece: Inline) -> str:
    """A term reference links to its entry with the definition as its title; a span is marked with its language."""
    if isinstance(piece, TermRef):
        return markdown.link(piece.text, f"{GLOSSARY_PAGE}#{piece.term}", piece.definition)
    if isinstance(piece, Span):
        return f'<span lang="{piece.lang}">{markdown.escape(piece.text)}</span>'
    return markdown.escape(piece.text)


def paragraph(paragraph: Paragraph) -> str:
    """A paragraph with its anchor."""
    return f"{inline(paragraph.pieces)}\n{{: #p{paragraph.number} }}"


def article_page(page: ArticlePage) -> Page:
    """The article's page for mkdocs (see :func:`article_markdown`)."""
    return Page(page.path, article_markdown(page), page.warnings)


def article_markdown(page: ArticlePage) -> str:
    """The article's page for mkdocs: front matter (with its header's words), then headline and paragraphs.

    The header under the headline (byline, date, reading time, the provenance in plain words, the other
    languages) is data in the front matter, plain text the theme's template escapes and sets
    (``overrides/partials/press-header.html``): the page's body is the article's text and nothing else.
    """
    body = [f'# {markdown.escape(page.title)} {{: .press-headline data-length="{headline_length(page.title)}" }}']
    body += [paragraph(p) for p in page.paragraphs]
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
    ui, shown = words(page.lang), header(page)
    words_of = {
        "byline": shown.byline,
        "date": shown.date,
        "minutes": shown.minutes,
        "also_in": ui.also_in,
        "editions": [
            {"lang": lang, "name": name, "url": edition_url(page.lang, lang, page.source_language, page.slug)}
            for lang, name in shown.editions
        ],
    }
    if page.provenance:
        words_of["provenance"] = shown.provenance
        words_of["about"] = ui.about
        words_of["details"] = shown.details
        words_of["original"] = edition_url(page.lang, page.source_language, page.source_language, page.slug)
        words_of["original_lang"] = page.source_language
        words_of["read_original"] = ui.read_original
    return words_of


def _time(date: dt.date, shown: str) -> str:
    """The date as the language writes it (``shown``), machine-readable too."""
    return f'<time datetime="{date.isoformat()}">{markdown.escape(shown)}</time>'


def edition_url(here: str, there: str, source_language: str, slug: str, from_front_page: bool = False) -> str:
    """The relative URL from an article (or the front page) of the ``here`` edition to the article ``slug`` of
    the ``there`` edition. The source language's edition is the site's root, the others are folders in it."""
    depth = (0 if here == source_language else 1) + (0 if from_front_page else 1)
    folder = "" if there == source_language else f"{there}/"
    return "../" * depth + f"{folder}{slug}/"


PER_PAGE = 20  # entries on a front page: every page of the site has a size that does not grow with the corpus
PAGES, ARCHIVE = "page", "archive"  # folders of an edition: page/2.md, …; archive/index.md, archive/2026-02.md


def front_pages(pages: list[ArticlePage], lang: str, per_page: int = PER_PAGE) -> list[Page]:
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
    lines = [
        f"# {markdown.escape(heading)} {{: .press-section }}",
        "",
        *_entries(chunk, 0 if first else 2, 0 if first else 1),
    ]
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
    ui, shown = words(page.lang), header(page)
    parts = [_time(page.date, shown.date)]
    if shown.byline:
        parts.append(markdown.escape(shown.byline))
    parts.append(markdown.escape(shown.minutes))
    others = [
        markdown.link(name, "../" * url_depth + edition_url(page.lang, lang, page.source_language, page.slug, True))
        + f'{{: hreflang="{lang}" lang="{lang}" }}'
        for lang, name in shown.editions
    ]
    if others:
        parts.append(f"{markdown.escape(ui.also_in)}: " + ", ".join(others))
    return " · ".join(parts) + "\n{: .press-entry-meta }"


# --- the glossary --------------------------------------------------------------------------------


def glossary_pages(page: GlossaryPage) -> list[Page]:
    """The site's glossary page, and the term pages of the entries in more articles than the page shows."""
    return [
        Page(page.path, glossary_markdown(page), page.warnings),
        *(term for entry in page.entries for term in term_pages(entry, page.lang)),
    ]


def glossary_markdown(page: GlossaryPage) -> str:
    """The site's glossary page: Markdown with front matter that also lists the entries (see the module)."""
    ui = words(page.lang)
    lines = [f"# {markdown.escape(ui.glossary)}", ""]
    if page.untranslated:
        lines += [f"*{markdown.escape(ui.untranslated)}*", "{: .glossary-note }", ""]
    for entry in page.entries:
        lines += _entry_lines(entry, page.lang)
    meta = {"title": ui.glossary, "lang": page.lang, "generator": GENERATOR, "entries": entries_data(page)}
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
