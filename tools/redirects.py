"""Old URLs keep working: every slug an article has had, and a redirect page for each old one.

The slug comes from the title, so editing a title moves the article's page.
``published.yml`` (committed, written by a ``press build`` that succeeded) records, per
article id, every slug it has had, newest first; after the site is built,
each old slug of each edition gets a small HTML page that sends the reader to
the current one (a meta refresh and a link: no script, so the content
security policy has nothing to allow). A slug now used by another article is
that article's page, never a redirect.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import yaml

from tools.errors import PressError
from tools.fsutil import write_atomic
from tools.ingest import Article
from tools.yamlsource import list_of, mapping_of, read_yaml, text_of

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_FIX = "restore the file from git (press build writes it)"
_HEADER = (
    "# Every site path (slug) each article has had, newest first, by article id. Written by press build;\n"
    "# commit it: the site redirects an article's old paths to its current one.\n"
)


def read_published(path: Path) -> dict[str, list[str]]:
    """``published.yml``: article id → its slugs, newest first (empty if there is none yet); errors at their line."""
    document = read_yaml(path, _FIX) if path.is_file() else None
    if document is None:
        return {}
    published = {}
    for key, node in mapping_of(document, path, path.name, _FIX).items():
        slugs = [(item, text_of(item, path, f"a slug of {key}", _FIX)) for item in list_of(node, path, str(key), _FIX)]
        for item, slug in slugs:
            if not _SLUG.match(slug):
                raise PressError(path, item.line, f"{slug[:40]!r} is not a slug (a-z, 0-9 and -)", _FIX)
        published[str(key)] = [slug for _, slug in slugs]
    return published


def slug_history(published: dict[str, list[str]], articles: list[Article]) -> dict[str, list[str]]:
    """``published`` with each article's current slug first in its history."""
    slugs = {key: list(history) for key, history in published.items()}
    for article in articles:
        history = slugs.get(article.id, [])
        slugs[article.id] = [article.slug, *(s for s in history if s != article.slug)]
    return slugs


def write_published(path: Path, slugs: dict[str, list[str]]) -> bool:
    """Write ``published.yml`` if ``slugs`` changed it (the build does, after its outputs are in place)."""
    return write_atomic(path, _HEADER + yaml.safe_dump(slugs, allow_unicode=True, sort_keys=True))


def redirects(published: dict[str, list[str]], articles: list[Article]) -> dict[str, str]:
    """Old slug → current slug of the same article; slugs in use by an article are never redirected."""
    current = {a.id: a.slug for a in articles}
    in_use = set(current.values())
    return {
        old: current[article_id]
        for article_id, slugs in sorted(published.items())
        if article_id in current
        for old in slugs
        if old not in in_use
    }


def redirect_page(target: str, lang: str) -> str:
    """A page that sends the reader from an old slug's folder to the article's current one (``target``, its
    slug, which also names the page and its link)."""
    href = f"../{target}/"
    name = html.escape(target)
    return (
        "<!doctype html>\n"
        f'<html lang="{html.escape(lang)}">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{name}</title>\n"
        f'<link rel="canonical" href="{href}">\n'
        f'<meta http-equiv="refresh" content="0; url={href}">\n'
        '<meta name="robots" content="noindex">\n'
        '<link rel="icon" href="data:,">\n</head>\n'  # no icon: else the browser asks for /favicon.ico, a 404
        f'<body>\n<main><h1><a href="{href}">{name}</a></h1></main>\n</body>\n</html>\n'
    )


def write_redirects(site: Path, folders: dict[str, str], moves: dict[str, str]) -> list[Path]:
    """Write a redirect page for each old slug in each edition's folder of ``site`` (``folders``: lang → folder)."""
    written = []
    for lang, folder in folders.items():
        base = site / folder if folder else site
        for old, new in moves.items():
            if (base / new / "index.html").is_file() and not (base / old).exists():
                page = base / old / "index.html"
                write_atomic(page, redirect_page(new, lang))
                written.append(page)
    return written
