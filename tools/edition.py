"""Stage 3, editions: an Article becomes a typeset Markdown page for the site and e-books.

An edition page is ``docs/<lang>/<slug>.md``: YAML front matter (title, date,
language, the source seed and its checksum, the generator) and the article,
typeset for the language, with the seed's plain text escaped so that no
character of it is read as Markdown. Each paragraph carries an anchor
(``#p3``) for the glossary's back-links, and with a term linker the first
occurrence of each glossary term links to its entry. ``docs/<lang>/index.md``
lists the edition's articles. Pages are rendered here as strings;
:mod:`tools.build` writes them.

Titles and paragraphs come from seeds and memories, so they are text
everywhere: escaped Markdown in the body, and in the front matter a ``title``
HTML-escaped for the theme with the plain one beside it (see
:mod:`tools.markdown`).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from tools import markdown
from tools.glossary.pages import GLOSSARY_PAGE, Backlink, TermLinker
from tools.ingest import Article
from tools.segment import join_sentences, split_sentences
from tools.typography import TypographyWarning, explain, typeset
from tools.ui import format_date, provenance_note, words

if TYPE_CHECKING:
    from tools.translate import Translation

WORDS_PER_MINUTE = 220


@dataclass(frozen=True)
class Page:
    """A rendered page: where it goes (relative to docs/), its text, and warnings met."""

    path: str
    text: str
    warnings: tuple[str, ...] = ()
    title: str = ""


def render_article(
    article: Article, lang: str, linker: TermLinker | None = None, translation: Translation | None = None
) -> Page:
    """The article as a Markdown page in ``lang``, typeset; terms linked when a linker is given.

    Without a translation the page is the source edition; with one, each
    sentence is replaced by its translation (typography runs after, for ``lang``).
    """
    texts = translation.texts if translation else {}
    title = explain(texts.get(article.title, article.title), lang)
    paragraphs = [
        explain(join_sentences([texts.get(s, s) for s in split_sentences(p.text)]), lang) for p in article.paragraphs
    ]
    meta = {
        "title": title.text,
        "date": article.date.isoformat(),
        "lang": lang,
        "slug": article.slug,
        "source": article.source.as_posix(),
        "source_sha256": article.sha256,
        "words": word_count(article),
        "generator": markdown.GENERATOR,
    }
    if translation:
        meta["translation"] = translation.provenance
    linked: set[str] = set()
    body = [f"# {markdown.escape(title.text)}"]
    if translation:
        note = markdown.escape(typeset(provenance_note(translation.provenance, lang), lang))
        original = f"[{markdown.escape(words(lang).original)}](../../{article.slug}/)"
        body.append(f'!!! note ""\n    {note} {original}')
    for number, paragraph in enumerate(paragraphs, start=1):
        where = Backlink(article.slug, title.text, number)
        text = linker.link(paragraph.text, where, linked) if linker else markdown.escape(paragraph.text)
        body.append(f"{text}\n{{: #p{number} }}")
    warnings = _located(article, title.warnings, 1) + [
        w for p, r in zip(article.paragraphs, paragraphs) for w in _located(article, r.warnings, p.line)
    ]
    text = markdown.front_matter(meta) + "\n\n".join(body) + "\n"
    return Page(f"{lang}/{article.slug}.md", text, tuple(warnings), title.text)


def render_index(articles: list[Article], lang: str, titles: dict[str, str], glossary: bool = False) -> Page:
    """The edition's home page: every article (``titles`` by slug) with date and reading time, and the glossary."""
    ui = words(lang)
    lines = [f"# {markdown.escape(ui.articles)}", ""]
    for article in sorted(articles, key=lambda a: (a.date, a.slug), reverse=True):
        title = markdown.escape(titles[article.slug])
        minutes = markdown.escape(ui.minutes.format(n=max(1, math.ceil(word_count(article) / WORDS_PER_MINUTE))))
        lines.append(f"- [{title}]({article.slug}.md) · {format_date(article.date, lang)} · {minutes}")
    if glossary:
        lines += ["", f"[{markdown.escape(ui.glossary)}]({GLOSSARY_PAGE})"]
    meta = {"title": ui.articles, "lang": lang, "generator": markdown.GENERATOR}
    return Page(f"{lang}/index.md", markdown.front_matter(meta) + "\n".join(lines) + "\n")


def word_count(article: Article) -> int:
    """Words of the article's body."""
    return sum(len(re.findall(r"\w+(?:[’'ʼ-]\w+)*", p.text)) for p in article.paragraphs)


def _located(article: Article, warnings: tuple[TypographyWarning, ...], line: int) -> list[str]:
    return [f"{article.source}:{line + w.line - 1}: {w.message}" for w in warnings]
