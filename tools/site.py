"""The site around the editions: the mkdocs configuration of the built languages, and downloads pages.

``mkdocs.yml`` is written by hand; ``press build`` writes ``mkdocs.site.yml``
beside it, which inherits it and lists only the editions this build made,
each with its name and site name, so the language switcher offers no empty
edition, and the search index with word rules for their languages. ``docs/<lang>/downloads.md`` lists the edition's EPUB and PDF files,
copied to ``docs/<lang>/downloads/`` so the site serves them.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from tools import markdown
from tools.ui import words

SITE_CONFIG = "mkdocs.site.yml"
DOWNLOADS = "downloads"
# The search index's word rules (lunr languages). Ukrainian has none: Russian's handles its
# Cyrillic words (no Ukrainian stemming); Polish and Catalan have none, and fall back to English.
SEARCH_LANGUAGES = {"en": "en", "uk": "ru", "ru": "ru", "de": "de", "fr": "fr", "es": "es"}


def site_config(languages: list[str], source: str) -> str:
    """``mkdocs.site.yml``: ``mkdocs.yml`` with the i18n languages of the built editions."""
    entries = [
        {
            "locale": lang,
            "name": words(lang).language,
            "default": lang == source,
            "build": True,
            "site_name": words(lang).site,
        }
        for lang in languages
    ]
    search = sorted({SEARCH_LANGUAGES[lang] for lang in languages if lang in SEARCH_LANGUAGES} | {"en"})
    config = {
        "INHERIT": "mkdocs.yml",
        "plugins": [{"search": {"lang": search}}, {"i18n": {"docs_structure": "folder", "languages": entries}}],
    }
    header = "# Written by press build from mkdocs.yml and the editions it built; do not edit.\n"
    return header + yaml.safe_dump(config, allow_unicode=True, sort_keys=False)


def downloads_page(lang: str, books: list[tuple[str, list[Path]]]) -> str:
    """The downloads page: each article's title (text, escaped) and its files with their sizes."""
    title = words(lang).downloads
    lines = [f"# {markdown.escape(title)}", ""]
    for article_title, files in books:
        links = " · ".join(f"[{path.suffix[1:].upper()}]({DOWNLOADS}/{path.name}) ({_size(path)})" for path in files)
        lines.append(f"- {markdown.escape(article_title)}: {links}")
    meta = {"title": title, "lang": lang, "generator": markdown.GENERATOR}
    return markdown.front_matter(meta) + "\n".join(lines) + "\n"


def _size(path: Path) -> str:
    size = path.stat().st_size
    return f"{size / 1024:.0f} KiB" if size < 1024 * 1024 else f"{size / 1024 / 1024:.1f} MiB"
