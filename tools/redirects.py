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
import json
import re
from collections.abc import Iterable
from pathlib import Path

import yaml

from tools.errors import PressError
from tools.fsutil import text_sha, write_atomic
from tools.ingest import Article
from tools.yamlsource import list_of, mapping_of, parse_yaml, read_text, text_of

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_FIX = "restore the file from git (press build writes it)"
_HEADER = (
    "# Every site path (slug) each article has had, newest first, by article id. Written by press build;\n"
    "# commit it: the site redirects an article's old paths to its current one.\n"
)


def read_published(path: Path, memo: Path | None = None) -> dict[str, list[str]]:
    """``published.yml``: article id → its slugs, newest first (empty if there is none yet); errors at their line.

    With ``memo`` (a cache file), bytes read before are taken from what they were read as, not parsed again
    (0.2 s of YAML at 1,000 articles); a memo that is missing, damaged or of other bytes only means a parse.
    """
    if not path.is_file():
        return {}
    text = read_text(path, _FIX)
    sha = text_sha(text)
    known = _memo(memo, sha) if memo is not None else None
    if known is not None:
        return known
    document = parse_yaml(text, path)
    published = {}
    for key, node in (mapping_of(document, path, path.name, _FIX) if document is not None else {}).items():
        slugs = [(item, text_of(item, path, f"a slug of {key}", _FIX)) for item in list_of(node, path, str(key), _FIX)]
        for item, slug in slugs:
            if not _SLUG.match(slug):
                raise PressError(path, item.line, f"{slug[:40]!r} is not a slug (a-z, 0-9 and -)", _FIX)
        published[str(key)] = [slug for _, slug in slugs]
    if memo is not None:
        _remember(memo, sha, published)
    return published


def _memo(memo: Path, sha: str) -> dict[str, list[str]] | None:
    """What the memo says bytes of this sha256 read as; None unless it holds exactly that, well formed."""
    try:
        data = json.loads(memo.read_text(encoding="utf-8"))
        published = data["published"]
        well_formed = all(isinstance(s, str) and _SLUG.match(s) for slugs in published.values() for s in slugs)
        return published if data["sha"] == sha and well_formed else None
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def slug_history(published: dict[str, list[str]], articles: list[Article]) -> dict[str, list[str]]:
    """``published`` with each article's current slug first in its history."""
    slugs = {key: list(history) for key, history in published.items()}
    for article in articles:
        history = slugs.get(article.id, [])
        slugs[article.id] = [article.slug, *(s for s in history if s != article.slug)]
    return slugs


def write_published(
    path: Path, slugs: dict[str, list[str]], published: dict[str, list[str]] | None = None, memo: Path | None = None
) -> bool:
    """Write ``published.yml`` if ``slugs`` changed it (the build does, after its outputs are in place); not even
    formatted when they are what the file was read as (``published``). ``memo``: see :func:`read_published`."""
    if slugs == published and path.is_file():
        return False
    text = _HEADER + yaml.safe_dump(slugs, allow_unicode=True, sort_keys=True)
    written = write_atomic(path, text)
    if memo is not None:
        _remember(memo, text_sha(text), slugs)
    return written


def _remember(memo: Path, sha: str, published: dict[str, list[str]]) -> None:
    write_atomic(memo, json.dumps({"sha": sha, "published": published}, ensure_ascii=False) + "\n")


def redirects(published: dict[str, list[str]], current: dict[str, str]) -> dict[str, str]:
    """Old slug → current slug of the same article (``current``: id → slug); slugs in use are never redirected."""
    in_use = set(current.values())
    return {
        old: current[article_id]
        for article_id, slugs in sorted(published.items())
        if article_id in current
        for old in slugs
        if old not in in_use
    }


def published_now(published: dict[str, list[str]], site: Path, folders: Iterable[str]) -> dict[str, str]:
    """Each article of ``published`` that has a page in the site (in one of the editions' ``folders``): id → its
    slug. The build that wrote the site's pages wrote ``published.yml`` too, each article's current slug first."""
    bases = [site / folder if folder else site for folder in folders]
    return {
        key: slugs[0]
        for key, slugs in published.items()
        if slugs and any((base / slugs[0] / "index.html").is_file() for base in bases)
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
