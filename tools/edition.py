"""Stage 3, editions: an Article becomes a typeset Markdown page for the site and e-books.

An edition page is ``docs/<lang>/<slug>.md``: YAML front matter (title, date,
language, the source seed and its checksum, the generator) and the article,
typeset for the language, with the seed's plain text escaped so that no
character of it is read as Markdown. ``docs/<lang>/index.md`` lists the
edition's articles. Pages are rendered here as strings; :mod:`tools.build`
writes them.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import yaml

from tools import __version__
from tools.ingest import Article
from tools.typography import TypographyWarning, explain

GENERATOR = f"press {__version__}"
WORDS_PER_MINUTE = 220
_ESCAPED = re.compile(r"([\\`*_\[\]{}])")
_BLOCK_START = re.compile(r"^(#|>|[-+*](?=\s))")
_ORDERED_START = re.compile(r"^(\d+)([.)])(?=\s)")
_INDEX_TITLE = {"en": "Articles"}


@dataclass(frozen=True)
class Page:
    """A rendered page: where it goes (relative to docs/), its text, and warnings met."""

    path: str
    text: str
    warnings: tuple[str, ...] = ()


def render_article(article: Article, lang: str) -> Page:
    """The article as a Markdown page, typeset for ``lang``."""
    title = explain(article.title, lang)
    paragraphs = [explain(p.text, lang) for p in article.paragraphs]
    meta = {
        "title": title.text,
        "date": article.date.isoformat(),
        "lang": lang,
        "slug": article.slug,
        "source": article.source.as_posix(),
        "source_sha256": article.sha256,
        "words": word_count(article),
        "generator": GENERATOR,
    }
    body = [f"# {escape_markdown(title.text)}"] + [escape_markdown(p.text) for p in paragraphs]
    warnings = _located(article, title.warnings, 1) + [
        w for p, r in zip(article.paragraphs, paragraphs) for w in _located(article, r.warnings, p.line)
    ]
    return Page(f"{lang}/{article.slug}.md", front_matter(meta) + "\n\n".join(body) + "\n", tuple(warnings))


def render_index(articles: list[Article], lang: str) -> Page:
    """The edition's home page: every article with its date and reading time."""
    lines = [f"# {_INDEX_TITLE.get(lang, 'Articles')}", ""]
    for article in sorted(articles, key=lambda a: (a.date, a.slug), reverse=True):
        title = escape_markdown(explain(article.title, lang).text)
        minutes = max(1, math.ceil(word_count(article) / WORDS_PER_MINUTE))
        lines.append(f"- [{title}]({article.slug}.md) · {article.date.isoformat()} · {minutes} min read")
    meta = {"title": _INDEX_TITLE.get(lang, "Articles"), "lang": lang, "generator": GENERATOR}
    return Page(f"{lang}/index.md", front_matter(meta) + "\n".join(lines) + "\n")


def front_matter(meta: dict) -> str:
    """YAML front matter between --- lines, keys in the given order."""
    return "---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=10_000) + "---\n\n"


def escape_markdown(text: str) -> str:
    """Plain text → Markdown that renders as exactly that text."""
    text = _ESCAPED.sub(r"\\\1", text.replace("&", "&amp;").replace("<", "&lt;"))
    text = _ORDERED_START.sub(r"\1\\\2", text)
    return _BLOCK_START.sub(r"\\\1", text)


def word_count(article: Article) -> int:
    """Words of the article's body."""
    return sum(len(re.findall(r"\w+(?:[’'ʼ-]\w+)*", p.text)) for p in article.paragraphs)


def _located(article: Article, warnings: tuple[TypographyWarning, ...], line: int) -> list[str]:
    return [f"{article.source}:{line + w.line - 1}: {w.message}" for w in warnings]
