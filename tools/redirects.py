"""Old URLs keep working: every slug an article has had, and a redirect page for each old one.

The slug comes from the title, so editing a title moves the article's page.
``published.yml`` (committed, written by ``press build``) records, per
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

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_HEADER = (
    "# Every site path (slug) each article has had, newest first, by article id. Written by press build;\n"
    "# commit it: the site redirects an article's old paths to its current one.\n"
)


def read_published(path: Path) -> dict[str, list[str]]:
    """``published.yml``: article id → its slugs, newest first (empty if there is none yet)."""
    if not path.is_file():
        return {}
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else None
        raise PressError(path, line, "not valid YAML", "fix that line, or restore the file from git") from None
    if not isinstance(data, dict):
        raise PressError(path, 1, "expected 'article-id: [slug, …]' entries", "restore the file from git")
    for key, slugs in data.items():
        if not isinstance(key, str) or not isinstance(slugs, list) or not all(_is_slug(s) for s in slugs):
            raise PressError(
                path,
                _line_of(path, str(key)),
                f"entry {str(key)[:40]!r} is not a list of slugs (a-z, 0-9 and -)",
                "restore the file from git",
            )
    return data


def record_slugs(path: Path, articles: list[Article]) -> bool:
    """Put each article's current slug first in its history; write the file if that changed it."""
    slugs = read_published(path)
    for article in articles:
        history = slugs.get(article.id, [])
        slugs[article.id] = [article.slug, *(s for s in history if s != article.slug)]
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


def redirect_page(target: str, lang: str, title: str) -> str:
    """A page that sends the reader from an old slug's folder to the article's current one."""
    href = f"../{target}/"
    name = html.escape(title)
    return (
        "<!doctype html>\n"
        f'<html lang="{html.escape(lang)}">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{name}</title>\n"
        f'<link rel="canonical" href="{href}">\n'
        f'<meta http-equiv="refresh" content="0; url={href}">\n'
        '<meta name="robots" content="noindex">\n</head>\n'
        f'<body>\n<p><a href="{href}">{name}</a></p>\n</body>\n</html>\n'
    )


def write_redirects(site: Path, folders: dict[str, str], moves: dict[str, str], titles: dict[str, str]) -> list[Path]:
    """Write a redirect page for each old slug in each edition's folder of ``site`` (``folders``: lang → folder)."""
    written = []
    for lang, folder in folders.items():
        base = site / folder if folder else site
        for old, new in moves.items():
            if (base / new / "index.html").is_file() and not (base / old).exists():
                page = base / old / "index.html"
                write_atomic(page, redirect_page(new, lang, titles.get(new, new)))
                written.append(page)
    return written


def _is_slug(value: object) -> bool:
    return isinstance(value, str) and bool(_SLUG.match(value))


def _line_of(path: Path, key: str) -> int | None:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.startswith(f"{key}:"):
            return number
    return None
