"""One site from its editions' builds: the search index and the sitemap that the i18n plugin's nested build writes.

``press site`` builds each edition in a mkdocs process of its own, side by side (:mod:`tools.sitebuild`). Each
edition's pages, feed and 404 page are its own; two files are the site's: the search index (the i18n plugin
stacks every edition's entries, the default's first, into the root's ``search/search_index.json``) and the
sitemap (the last edition's build writes the root's ``sitemap.xml``, every edition's pages in the order they were
built, and its gzip copy). These functions make those two from the editions' own, as the nested build would
have written them: byte for byte (``tests/test_site_cache.py`` compares the joined site with a nested build's).
"""

from __future__ import annotations

import gzip
import io
import json
import struct

EDITION = "PRESS_SITE_EDITION"  # the one edition a mkdocs build makes, set by press site (:mod:`tools.mkdocs_hooks`)
_URLSET_END = "\n</urlset>"


def join_search(indexes: list[str]) -> str:
    """The search index of every edition's entries, the first edition's first, as mkdocs-material writes it
    (``material.plugins.search.plugin.SearchIndex.generate_search_index``)."""
    config, _ = _search_parts(indexes[0])
    entries = [entries for entries in (_search_parts(index)[1] for index in indexes) if entries]
    return f'{{"config":{config},"docs":[{",".join(entries)}]}}'


def _search_parts(index: str) -> tuple[str, str]:
    """An index's ``config`` object and the entries of its ``docs`` list, as written: only the small ``config`` is
    parsed (each edition's entries are megabytes at 1,000 articles); ValueError if it is not laid out as
    mkdocs-material writes it."""
    head = '{"config":'
    if not index.startswith(head) or not index.endswith("]}"):
        raise ValueError("a search index not laid out as mkdocs-material writes it")
    _, end = json.JSONDecoder().raw_decode(index, len(head))
    if not index.startswith(',"docs":[', end):
        raise ValueError("a search index whose config is not followed by its docs")
    return index[len(head) : end], index[end + len(',"docs":[') : -2]


def join_sitemap(sitemaps: list[str]) -> str:
    """One ``<urlset>`` with every edition's ``<url>`` entries, the first edition's first (the i18n plugin's
    ``sitemap.xml`` template, run with every edition built)."""
    head, first = _parts(sitemaps[0])
    return head + first + "".join(_parts(sitemap)[1] for sitemap in sitemaps[1:]) + _URLSET_END


def _parts(sitemap: str) -> tuple[str, str]:
    """The sitemap's head (up to its ``<urlset>`` tag's end) and its entries; ValueError if it is not one."""
    start = sitemap.index("<urlset")
    opened = sitemap.index(">", start) + 1
    if not sitemap.endswith(_URLSET_END):
        raise ValueError("a sitemap that does not end with </urlset>")
    return sitemap[:opened], sitemap[opened : -len(_URLSET_END)]


def gzipped(text: str, name: str, like: bytes) -> bytes:
    """``text`` gzipped as mkdocs writes ``sitemap.xml.gz`` (``name`` in the header), with the time ``like``, a
    gzip file of the same build, carries (the newest page's date)."""
    (mtime,) = struct.unpack("<I", like[4:8])
    out = io.BytesIO()
    with gzip.GzipFile(fileobj=out, filename=name, mode="wb", mtime=mtime) as handle:
        handle.write(text.encode("utf-8"))
    return out.getvalue()
