"""The site around the editions: its configuration and the downloads page (the feeds: :mod:`tools.publish.feed`).

``mkdocs.yml`` is written by hand; ``press build`` writes ``mkdocs.site.yml``
beside it, which inherits it and adds what depends on the build: the editions
this build made (each with its name, site name and description, so the
language switcher offers no empty edition, and its feed's author), the search
index's word rules for their languages, a short navigation (front page, glossary,
downloads: the articles are reached from the front page), the theme's templates
(``overrides/``, beside ``tools/``) and :mod:`tools.mkdocs_hooks` as mkdocs hooks
(each edition's feed, written with :func:`tools.publish.feed.atom_feed`, and 404 page; ``press build``
under ``mkdocs serve``). The publication's settings are read by
:func:`tools.config.read_settings`. The downloads page lists each edition's EPUB and
PDF files, copied to ``docs/<lang>/downloads/`` so the site serves them.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from tools.config import SiteSettings, edition_folder
from tools.languages import LANGUAGES
from tools.layout import DOWNLOADS, GENERATOR, MKDOCS_CONFIG, THEME
from tools.publish import markdown
from tools.publish.feed import FEED
from tools.publish.model import GLOSSARY_PAGE
from tools.segment import split_sentences
from tools.ui import words

HOOKS = Path(__file__).resolve().parents[1] / "mkdocs_hooks.py"  # tools.mkdocs_hooks, named by path in the config
# The search index's word rules (lunr languages), from the language registry: Ukrainian's are Russian's;
# Polish and Catalan have none, and fall back to English.
SEARCH_LANGUAGES = {code: entry.search for code, entry in LANGUAGES.items() if entry.search}


# The i18n plugin's settings. Its search pass removes an edition's entries equal to the default edition's, for
# sites that build the default language twice (at / and /en/); ours builds it once, so the pass only hid an
# edition's own page, and it compares every entry with every other: seconds of every build at 1,000 articles.
I18N = {"docs_structure": "folder", "reconfigure_search": False}


def site_config(languages: list[str], source: str, settings: SiteSettings, glossary: bool = True) -> str:
    """``mkdocs.site.yml``: ``mkdocs.yml`` with the built editions, search rules, navigation, theme and hooks."""
    entries = [
        {
            "locale": lang,
            "name": words(lang).language,
            "default": lang == source,
            "build": True,
            "site_name": words(lang).site,
            "site_description": _description(lang),
            "extra": {"press": _theme_words(lang, source, settings)},
        }
        for lang in languages
    ]
    search = sorted({SEARCH_LANGUAGES[lang] for lang in languages if lang in SEARCH_LANGUAGES} | {"en"})
    config = {
        "INHERIT": MKDOCS_CONFIG,
        "theme": {"custom_dir": str(THEME)},
        "hooks": [str(HOOKS)],
        "nav": ["index.md", *([GLOSSARY_PAGE] if glossary else []), "downloads.md"],
        # the articles are reached from the front page, not the nav; links mkdocs leaves alone are INFO: not shown
        "validation": {"omitted_files": "ignore", "unrecognized_links": "ignore"},
        "plugins": [{"search": {"lang": search}}, {"i18n": {**I18N, "languages": entries}}],
    }
    header = "# Written by press build from mkdocs.yml and the editions it built; do not edit.\n"
    return header + yaml.safe_dump(config, allow_unicode=True, sort_keys=False)


def _description(lang: str) -> str:
    """The edition's description: the first sentence of its about page."""
    ui = words(lang)
    return split_sentences(ui.about_text.format(site=ui.site), lang)[0]


def _theme_words(lang: str, source: str, settings: SiteSettings) -> dict[str, str]:
    """What the theme's templates (overrides/) and the hooks say in this edition: its words, where its front page
    and feed are, its publisher and rights (the footer's and the feed's: :meth:`SiteSettings.edition`)."""
    ui = words(lang)
    own = settings.edition(lang, ui.site)
    return {
        "lang": lang,
        "home": edition_folder(lang, source) or "./",
        "feed": f"{edition_folder(lang, source)}{FEED}",
        "publisher": own.publisher,
        "rights": own.rights,
        "feed_label": ui.feed,
        "front_page": ui.front_page,
        "not_found": ui.not_found,
        "not_found_text": ui.not_found_text,
    }


def downloads_page(lang: str, books: list[tuple[str, list[Path]]]) -> str:
    """The downloads page: each book's title (text, escaped) and its files with their sizes."""
    title = words(lang).downloads
    lines = [f"# {markdown.escape(title)}", ""]
    for book_title, files in books:
        links = " · ".join(f"[{path.suffix[1:].upper()}]({DOWNLOADS}/{path.name}) ({_size(path)})" for path in files)
        lines.append(f"- {markdown.escape(book_title)}: {links}")
    description = f"{words(lang).site}: {title} (EPUB, PDF)"
    meta = {"title": title, "description": description, "lang": lang, "hide": ["toc"], "generator": GENERATOR}
    return markdown.front_matter(meta) + "\n".join(lines) + "\n"


def _size(path: Path) -> str:
    size = path.stat().st_size
    return f"{size / 1024:.0f} KiB" if size < 1024 * 1024 else f"{size / 1024 / 1024:.1f} MiB"
