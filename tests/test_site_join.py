"""The site joined from its editions' builds (:mod:`tools.publish.sitejoin`, :func:`tools.publish.sitecache.join_parts`).

The whole site, joined against the i18n plugin's nested build, is compared in ``tests/test_site_cache.py``; here
each piece against what the library it stands in for writes, and the caches' joining when a part is lost.
"""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

import pytest
from material.plugins.search.plugin import SearchIndex

from tools.layout import Layout
from tools.publish import sitecache
from tools.publish.cachefolder import CacheFolder
from tools.publish.sitejoin import gzipped, join_search, join_sitemap

CONFIG = {
    "lang": ["en", "es"],
    "separator": "[\\s\\-]+",
    "pipeline": ["stopWordFilter"],
    "fields": {"title": {"boost": 1000.0}},
}
ENTRIES = {
    "en": [{"location": "", "title": "Front page «quoted» & <b>", "text": "<p>Ünïcode — text</p>"}],
    "es": [
        {"location": "es/", "title": "Portada", "text": "<p>Año</p>", "tags": ["a"]},
        {"location": "es/a/#x", "title": "Sección", "text": ""},
    ],
}


def material_index(*editions: str) -> str:
    """The search index mkdocs-material writes for these editions' entries, in this order."""
    index = SearchIndex(**CONFIG)
    index.entries = [entry for edition in editions for entry in ENTRIES[edition]]
    return index.generate_search_index(None)


def test_the_joined_search_index_is_the_one_material_writes_for_every_edition() -> None:
    assert join_search([material_index("en"), material_index("es")]) == material_index("en", "es")
    assert join_search([material_index(), material_index("es")]) == material_index("es"), "an edition with none"


@pytest.mark.parametrize(
    "broken",
    ['{"docs":[],"config":{}}', '{"config":{"lang":["en"]},"docs":[]', '{"config":{"lang":["en"]}}', "[]"],
    ids=["docs first", "cut short", "no docs", "not an object"],
)
def test_a_search_index_not_laid_out_as_material_writes_it_does_not_join(broken: str) -> None:
    with pytest.raises(ValueError):
        join_search([material_index("en"), broken])


def sitemap(*locations: str) -> str:
    """A sitemap as the i18n plugin's template writes it (its whitespace)."""
    head = '<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
    entries = "".join(f"\n    <url>\n        <loc>{loc}</loc>\n    </url>" for loc in locations)
    return head + entries + "\n</urlset>"


@pytest.mark.parametrize(
    ("parts", "whole"),
    [
        ([("a/",), ("es/a/", "es/b/")], ("a/", "es/a/", "es/b/")),
        ([(), ("es/",)], ("es/",)),
        ([("a/",), (), ("fr/",)], ("a/", "fr/")),
    ],
)
def test_the_joined_sitemap_lists_every_edition_s_pages_in_order(parts: list, whole: tuple) -> None:
    assert join_sitemap([sitemap(*locations) for locations in parts]) == sitemap(*whole)


@pytest.mark.parametrize("broken", ["<urlset>", "no sitemap", sitemap("a/") + "\n"])
def test_a_sitemap_that_is_not_one_does_not_join(broken: str) -> None:
    with pytest.raises(ValueError):
        join_sitemap([sitemap("a/"), broken])


def test_the_gzip_copy_is_mkdocs_own_with_the_build_s_time(tmp_path: Path) -> None:
    text = sitemap("a/", "es/a/")
    like = io.BytesIO()
    with gzip.GzipFile(fileobj=like, filename=str(tmp_path / "sitemap.xml.gz"), mode="wb", mtime=1767225600) as out:
        out.write(sitemap("a/").encode())  # mkdocs' own (build.py), of the default edition alone
    expected = io.BytesIO()
    with gzip.GzipFile(fileobj=expected, filename=str(tmp_path / "sitemap.xml.gz"), mode="wb", mtime=1767225600) as out:
        out.write(text.encode())
    made = gzipped(text, str(tmp_path / "sitemap.xml.gz"), like.getvalue())
    assert made == expected.getvalue()
    assert gzip.decompress(made).decode() == text


def cached(layout: Layout) -> dict[str, set[str]]:
    folders = {
        "conversions": layout.site_conversions,
        "renders": layout.site_renders,
        "search": layout.site_search_entries,
        "replays": layout.site_replays,
    }
    return {name: {path.stem for path in folder.iterdir()} for name, folder in folders.items()}


def key(n: int) -> str:
    return f"{n:064x}"


@pytest.fixture
def two_parts(tmp_path: Path) -> Layout:
    """A project whose caches hold keys 1-4 in each folder; en used 1, es used 2 and made 3 (4: nobody's)."""
    layout = Layout(tmp_path)
    for folder, suffix in [
        (layout.site_conversions, ".json"),
        (layout.site_search_entries, ".json"),
        (layout.site_replays, ".json"),
    ]:
        for n in range(1, 5):
            CacheFolder(folder, suffix).write(key(n), b"[]")
    for n in range(1, 5):
        CacheFolder(layout.site_renders, ".html").write(key(n), b"<p>")
    used = {"en": [key(1)], "es": [key(2), key(3)]}
    for edition, keys in used.items():
        part = {
            "format": sitecache.FORMAT,
            "used": {name: keys for name in ("conversions", "front-matter", "search", "renders", "replays")},
            "reused": len(keys) - (edition == "es"),
            "made": int(edition == "es"),
            "renders": {"reused": 1, "made": 0},
            "replayed": int(edition == "en"),
        }
        sitecache.part_path(layout.site_pages_record, edition).write_text(json.dumps(part), encoding="utf-8")
    return layout


def test_the_caches_keep_what_any_edition_used_and_the_counts_are_summed(two_parts: Layout) -> None:
    sitecache.join_parts(two_parts.root, ["en", "es"])
    kinds = ("conversions", "renders", "search", "replays")
    assert cached(two_parts) == {name: {key(1), key(2), key(3)} for name in kinds}
    record = json.loads(two_parts.site_pages_record.read_text(encoding="utf-8"))
    counts = {"reused": 2, "made": 1, "replayed": 1, "renders": {"reused": 2, "made": 0}}
    assert record == {"format": sitecache.FORMAT, **counts}
    assert not list(two_parts.cache.glob("site-pages.*.json")), "the parts are gone"


@pytest.mark.parametrize("damage", ["missing", "not json", "a key not a string", "no counts"])
def test_a_lost_part_removes_nothing_and_leaves_no_counts(two_parts: Layout, damage: str) -> None:
    part = sitecache.part_path(two_parts.site_pages_record, "es")
    data = json.loads(part.read_text(encoding="utf-8"))
    if damage == "missing":
        part.unlink()
    elif damage == "not json":
        part.write_text("{", encoding="utf-8")
    elif damage == "a key not a string":
        data["used"]["search"] = [5]
        part.write_text(json.dumps(data), encoding="utf-8")
    else:
        del data["renders"]
        part.write_text(json.dumps(data), encoding="utf-8")
    before = cached(two_parts)
    sitecache.join_parts(two_parts.root, ["en", "es"])
    assert cached(two_parts) == before
    assert not two_parts.site_pages_record.exists(), "no counts rather than half of them"


@pytest.mark.parametrize(
    ("building", "apart", "given"),
    [
        ("en", True, ["en/downloads/a.en.epub"]),
        ("es", True, ["es/downloads/a.es.epub"]),  # en's would land at the side build's root, which is not taken
        ("en", False, ["en/downloads/a.en.epub"]),
        ("es", False, ["en/downloads/a.en.epub", "es/downloads/a.es.epub"]),  # the nested build: the plugin's way
    ],
)
def test_each_edition_s_build_links_the_books_it_publishes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, building: str, apart: bool, given: list[str]
) -> None:
    """Which books an edition's mkdocs links (:func:`tools.mkdocs_hooks._edition_books`): its own in its folder,
    the default's at its root when the i18n plugin falls back to it, except in an edition built apart by press
    site, where that root is thrown away (2,000 links and File objects in an edition's build at 1,000 articles)."""
    from types import SimpleNamespace

    from mkdocs.structure.files import File

    from tools import mkdocs_hooks

    docs = tmp_path / "docs"
    books = [File(f"{lang}/downloads/a.{lang}.epub", str(docs), str(tmp_path / "site"), True) for lang in ("en", "es")]
    i18n = SimpleNamespace(
        current_language=building, default_language="en", config=SimpleNamespace(fallback_to_default=True)
    )
    config = SimpleNamespace(
        plugins={"i18n": i18n}, docs_dir=str(docs), site_dir=str(tmp_path / "site"), use_directory_urls=True
    )
    monkeypatch.setitem(mkdocs_hooks._hook, "edition", building if apart else None)
    assert sorted(book.src_uri for book in mkdocs_hooks._edition_books(books, config)) == given


def test_a_build_that_ends_in_a_traceback_is_refused_with_its_exception(tmp_path: Path) -> None:
    """mkdocs ended by an exception prints no ERROR line: the refusal names the exception (the traceback's last
    line), not mkdocs' first INFO line."""
    from tools.sitebuild import _mkdocs_error

    stderr = "INFO    -  Cleaning site directory\nTraceback (most recent call last):\n  File x\nTypeError: no replays\n"
    assert "TypeError: no replays" in str(_mkdocs_error(Layout(tmp_path), stderr))
    warned = "INFO    -  Building\nWARNING -  Doc file 'a.md' contains a link\nERROR   -  later\n"
    assert "Doc file 'a.md'" in str(_mkdocs_error(Layout(tmp_path), warned)), "the first error or warning, as before"
