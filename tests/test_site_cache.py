"""The site's page cache (:mod:`tools.publish.sitecache`): a site built with the conversions and search entries of
the last build is, byte for byte, the site built without them.

Thirty articles written here (English, and Spanish through Apertium: two editions, each built by a mkdocs of its
own and joined by press; the same site as the i18n plugin's nested build, where the second is built inside the
first, as under mkdocs serve), built and published; then an edit of one sentence, a new title for an article the front
pages, the archive and the term pages link to (a page written by hand linked its old address: mkdocs --strict
refuses the site, the published one stays, and the link is mended), and a new article; then the site built with
the caches (conversions, search entries, renders), then again without them (a full build), and from caches damaged
each way a file can be.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
from conftest import files_of, project_with, require_command

from tools.build import build
from tools.csp import OURS, secure_site
from tools.errors import PressError
from tools.ingest import seed_text
from tools.layout import Layout
from tools.publish.cachefolder import CacheFolder
from tools.sitebuild import build_site, mkdocs_site

pytestmark = pytest.mark.slow  # thirty articles in two editions, built and published four times

COUNT = 30
ABOUT = "en/about.md"  # a page written by hand in docs/ (press build keeps it): its link goes to article 7's page,
# which a new title moves: the site is refused until the link is mended
FIRST_DAY = dt.date(2026, 1, 5)
PLACES = ["Gdańsk", "Lviv", "Vilnius", "Tallinn", "Riga", "Odesa"]
BODY = (
    "The desk in {place} reported on the «Anchorage formula» and what it would mean for the region. "
    "Officials there said the talks would go on next week.\n\n"
    "Report {number} adds that the unfreezing of Russian assets was discussed at length, "
    "and that the «Peace Council» met again without a result."
)


OLD_SEVENTH = "harbour-report-7-from-lviv"


def article(number: int, headline: str | None = None, sentence: str = "") -> str:
    day = (FIRST_DAY + dt.timedelta(days=4 * number)).isoformat()  # about seven a month: archives by month
    body = BODY.format(place=PLACES[number % len(PLACES)], number=number) + sentence
    return seed_text(headline or f"Harbour report {number} from {PLACES[number % len(PLACES)]}", day, "Desk", body)


def seed_name(number: int) -> str:
    return f"{number:03d}_harbour.txt"


def site_of(layout: Layout) -> dict[str, bytes]:
    build_site(layout)
    return files_of(layout.site)


def counts(layout: Layout) -> tuple[int, int]:
    data = json.loads(layout.site_pages_record.read_text(encoding="utf-8"))
    return data["reused"], data["made"]


def replayed(layout: Layout) -> int:
    return json.loads(layout.site_pages_record.read_text(encoding="utf-8"))["replayed"]


def render_counts(layout: Layout) -> tuple[int, int]:
    data = json.loads(layout.site_pages_record.read_text(encoding="utf-8"))["renders"]
    return data["reused"], data["made"]


@pytest.fixture(scope="module")
def edited(tmp_path_factory: pytest.TempPathFactory) -> Layout:
    """The project after its first site (the cache written) and the edits, built again (pages only)."""
    require_command("apertium", "sudo apt-get install apertium-eng-spa")
    seeds = {seed_name(n): article(n) for n in range(COUNT)}
    root = project_with(tmp_path_factory.mktemp("cache"), seeds, "source_language: en\nlanguages: [es]\n")
    layout = Layout(root)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", "1767225600")
        build(root)
        (layout.docs / ABOUT).write_text(f"# About\n\nRead [the seventh report]({OLD_SEVENTH}.md).\n", "utf-8")
        build_site(layout)
        first = counts(layout)
        assert first[0] == 0 and first[1] > 2 * COUNT, "a first site converts every page of both editions"
        (layout.seeds / seed_name(3)).write_text(article(3, sentence=" One sentence was added."), encoding="utf-8")
        retitled = article(7, headline="Harbour report 7 is now about the ferry strike")
        (layout.seeds / seed_name(7)).write_text(retitled, encoding="utf-8")
        (layout.seeds / seed_name(COUNT)).write_text(article(COUNT), encoding="utf-8")
        build(root)
        published = files_of(layout.site)
        with pytest.raises(PressError) as refused:  # mkdocs --strict: the hand-written link lost its target
            build_site(layout)
        assert ABOUT in str(refused.value) and f"{OLD_SEVENTH}.md" in str(refused.value)
        assert files_of(layout.site) == published, "a refused site leaves the published one as it was"
        [retitled_page] = (layout.docs / "en").glob("*ferry-strike*.md")
        (layout.docs / ABOUT).write_text(f"# About\n\nRead [the seventh report]({retitled_page.name}).\n", "utf-8")
    return layout


def test_a_site_from_the_cache_is_the_full_site_after_an_edit_a_new_title_and_a_new_article(
    edited: Layout, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    cached = site_of(edited)
    reused, made = counts(edited)
    assert reused > 2 * COUNT and made > 0, "most conversions reused, the edited pages' made anew"
    kept, rendered = render_counts(edited)
    assert kept > 2 * COUNT and rendered > 0, "most renders reused, the changed pages' rendered anew"
    keys = sorted(path.name for path in edited.site_renders.iterdir())
    for folder in folders(edited):
        shutil.rmtree(folder)
    full = site_of(edited)
    assert counts(edited) == (0, reused + made), "without a cache every page is converted"
    assert render_counts(edited) == (0, kept + rendered), "and rendered"
    assert sorted(path.name for path in edited.site_renders.iterdir()) == keys, "under the keys it had"
    assert any("ferry-strike" in name for name in full), "the new title is published at its new address"
    assert f'href="../{OLD_SEVENTH}/"' not in cached["about/index.html"].decode(), "no link to a page that is gone"
    assert sorted(cached) == sorted(full)
    assert [name for name in full if cached[name] != full[name]] == []


def folders(layout: Layout) -> list[Path]:
    """The site's caches: conversions, search entries, renders, the pages' records (:mod:`tools.publish.pagereplay`)."""
    return [layout.site_conversions, layout.site_search_entries, layout.site_renders, layout.site_replays]


def damage_files(layout: Layout, how: str) -> None:
    """Every cached file damaged one way: cut short, a byte changed, emptied, another key's file, or a value of
    the wrong shape that passes its check (a number for a page's HTML, for its lookups, for a search entry)."""
    for folder in folders(layout):
        paths = sorted(folder.iterdir())
        for number, path in enumerate(paths):
            data = path.read_bytes()
            if how == "short":
                path.write_bytes(data[: len(data) // 2])
            elif how == "byte":
                path.write_bytes(data[:-10] + bytes([data[-10] ^ 1]) + data[-9:])
            elif how == "empty":
                path.write_bytes(b"")
            elif how == "swapped":
                path.write_bytes(paths[(number + 1) % len(paths)].read_bytes())
            elif folder != layout.site_renders:
                cache = CacheFolder(folder, path.suffix)
                value = json.loads(cache.read(path.stem) or b"null")
                if isinstance(value, dict):
                    value = {**value, "content": 5, "lookups": []}
                else:
                    value = [{**e, "text": 5} for e in value or []] or [5]
                cache.write(path.stem, json.dumps(value).encode())


@pytest.mark.parametrize("how", ["short", "byte", "empty", "swapped", "shape"])
def test_a_damaged_cache_is_a_full_conversion(edited: Layout, how: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    full = site_of(edited)
    damage_files(edited, how)
    assert site_of(edited) == full
    assert counts(edited)[0] == 0, "nothing was taken from the damaged cache"
    if how != "shape":
        assert render_counts(edited)[0] == 0, "no damaged render was used"


def test_editions_built_apart_are_the_site_the_nested_build_makes(edited: Layout, tmp_path: Path) -> None:
    """press site's editions, each in a mkdocs of its own, joined (search index, sitemap and its gzip copy, 404
    pages, feeds), are byte for byte the i18n plugin's nested build of both in one mkdocs; each page's security
    policy, written as the editions' builds render it, is the one the CSP pass writes into the nested build's."""
    apart, nested = tmp_path / "apart", tmp_path / "nested"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", "1767225600")
        mkdocs_site(edited, apart)
        mkdocs_site(edited, nested, apart=False)
    parts = [edited.csp_part(lang) for lang in ("en", "es")]
    assert all(part.is_file() for part in parts), "each edition's build secured its pages"
    assert OURS in (apart / "index.html").read_text(encoding="utf-8")
    secured = secure_site(apart, parts=parts)
    assert secured.rewritten == ("404.html", "es/404.html"), "only the pages no edition's build rendered"
    assert secured.parsed == secured.rewritten, "the pages secured in the builds are not parsed again"
    assert secure_site(nested).pages == secured.pages
    joined, whole = files_of(apart), files_of(nested)
    assert {"search/search_index.json", "sitemap.xml", "sitemap.xml.gz", "es/404.html", "es/feed.xml"} <= set(whole)
    assert sorted(joined) == sorted(whole)
    assert [name for name in whole if joined[name] != whole[name]] == []
    index = json.loads(joined["search/search_index.json"])
    assert {entry["location"].startswith("es/") for entry in index["docs"]} == {True, False}, "both editions"


def test_an_edition_whose_build_fails_stops_the_site_and_leaves_no_folder_behind(
    edited: Layout, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The Spanish edition's mkdocs refuses a broken link while the English one builds: press site is one error
    naming the page, the published site stays as it was, and neither the stage nor an edition's folder is left."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    published = site_of(edited)
    broken = edited.docs / "es" / "acerca.md"
    broken.write_text("# Acerca\n\nLea [el informe](no-existe.md).\n", encoding="utf-8")
    try:
        with pytest.raises(PressError) as refused:
            build_site(edited)
    finally:
        broken.unlink()
    assert "es/acerca.md" in str(refused.value) and "no-existe.md" in str(refused.value)
    assert files_of(edited.site) == published
    stage = edited.site_stage  # and its editions' folders beside it (the old site, removed apart, is not looked at)
    left = [p.name for p in stage.parent.iterdir() if p.name.startswith(stage.name) and ".old." not in p.name]
    assert left == []


@pytest.mark.parametrize(
    "html",
    [
        '<h1 id="a">A</h1>\n<p>Text with no attribute of the search plugin.</p>',
        '<h1 id="a" data-search-exclude="x">A</h1>\n<p data-search-boost="2">Boosted.</p>',
        "",
    ],
)
def test_the_search_plugin_indexes_and_strips_each_page_as_it_would_alone(html: str) -> None:
    """Its ``on_page_context`` as installed among a build's events (:func:`sitecache.quicken_search`) indexes the
    page and leaves its HTML as the plugin's own does, with or without a ``data-search-*`` attribute in it."""
    from types import SimpleNamespace

    from material.plugins.search.plugin import SearchPlugin
    from mkdocs.plugins import PluginCollection

    from tools.publish import sitecache

    def plugin_and_page() -> tuple[SearchPlugin, SimpleNamespace]:
        plugin = SearchPlugin()
        plugin.config = SimpleNamespace(enabled=True)
        plugin.search_index = SimpleNamespace(indexed=[])
        plugin.search_index.add_entry_from_context = lambda page: plugin.search_index.indexed.append(page.content)
        return plugin, SimpleNamespace(content=html)

    theirs, their_page = plugin_and_page()
    theirs.on_page_context({}, page=their_page, config=None, nav=None)
    ours, our_page = plugin_and_page()
    plugins = PluginCollection()
    plugins["material/search"] = ours
    sitecache.quicken_search(plugins)
    events = plugins.events["page_context"]
    assert [getattr(event, "__self__", None) for event in events] == [None], "the plugin's own method is replaced"
    assert [(event.func, event.args) for event in events] == [(sitecache._search_page, (ours,))]
    plugins.run_event("page_context", {}, page=our_page, config=None, nav=None)
    assert our_page.content == their_page.content
    assert ours.search_index.indexed == theirs.search_index.indexed == [html]
    assert ("data-search-" in html) == (our_page.content != html)


def test_a_sentence_edit_replays_every_page_it_did_not_change_and_the_site_is_the_full_site(
    edited: Layout, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After one sentence of one article is edited, every page whose inputs are as recorded is replayed (not read,
    converted or rendered: :mod:`tools.publish.pagereplay`), and the site is, byte for byte, the site built without
    any cache."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    site_of(edited)
    (edited.seeds / seed_name(5)).write_text(article(5, sentence=" A sentence was edited in."), encoding="utf-8")
    build(edited.root)
    replayed_site = site_of(edited)
    pages = len([name for name in replayed_site if name.endswith(".html")])
    assert replayed(edited) > pages // 2, "most pages replayed"
    assert counts(edited)[1] >= 2, "the edited article's page made again in each edition"
    assert "A sentence was edited in" in replayed_site["harbour-report-5-from-odesa/index.html"].decode()
    for folder in folders(edited):
        shutil.rmtree(folder)
    full = site_of(edited)
    assert replayed(edited) == 0
    assert sorted(replayed_site) == sorted(full)
    assert [name for name in full if replayed_site[name] != full[name]] == []


def test_a_replayed_page_s_links_to_anchors_are_still_checked(edited: Layout, monkeypatch: pytest.MonkeyPatch) -> None:
    """A page written by hand links to the second paragraph of an article; the article is cut to one paragraph. The
    linking page is replayed (its own inputs did not change), and mkdocs --strict still refuses the site, naming it."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    [third] = (edited.docs / "en").glob("harbour-report-3-*.md")
    about = edited.docs / ABOUT
    mended = about.read_text(encoding="utf-8")
    about.write_text(f"{mended}\nAnd [its second paragraph]({third.name}#p2).\n", encoding="utf-8")
    site_of(edited)
    day = (FIRST_DAY + dt.timedelta(days=4 * 3)).isoformat()
    one_paragraph = seed_text(f"Harbour report 3 from {PLACES[3]}", day, "Desk", "Only one paragraph is left.")
    (edited.seeds / seed_name(3)).write_text(one_paragraph, encoding="utf-8")
    build(edited.root)
    assert [path.name for path in (edited.docs / "en").glob("harbour-report-3-*.md")] == [third.name]
    try:
        with pytest.raises(PressError) as refused:
            build_site(edited)
        assert ABOUT in str(refused.value) and "#p2" in str(refused.value)
    finally:
        about.write_text(mended, encoding="utf-8")
