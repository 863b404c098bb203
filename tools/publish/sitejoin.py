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
    data = [json.loads(index) for index in indexes]
    docs = [entry for index in data for entry in index["docs"]]
    return json.dumps({"config": data[0]["config"], "docs": docs}, separators=(",", ":"), default=str)


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
