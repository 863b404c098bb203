"""The site as a newsroom's, built from three articles in English and Spanish: front pages of entries, article
headers, absolute addresses from mkdocs.yml, a feed per edition (read by feedparser), a description and an
Open Graph title per page, a 404 page per edition; and the settings and the feed writer on their own."""

from __future__ import annotations

import html
import os
import re
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree

import feedparser
import pytest
import yaml
from conftest import files_of, project_with, require_command  # tests/ is on the path: helpers, not fixtures
from test_ebook import SITE, SLUG, SLUGS, three_articles

from tools.build import build
from tools.config import read_settings
from tools.errors import PressError
from tools.ingest import seed_text
from tools.layout import Layout
from tools.publish.feed import Feed, FeedEntry, atom_feed, entry_id
from tools.publish.site import headline_length
from tools.publish.siteconfig import site_config
from tools.sitebuild import SITE_CODE, build_site, site_is_current

pytestmark = pytest.mark.slow  # press site and mkdocs on built projects

ROOT = Path(__file__).resolve().parents[1]
NEWEST_FIRST = ["europe-tightens-the-net-around-russia-s-shadow", "why-the-northern-sea-route-matters", SLUG]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The three articles' project, built and published as `make` does (mkdocs, redirects, the CSP)."""
    require_command("apertium", "sudo apt-get install apertium apertium-eng-spa")
    root = three_articles(tmp_path_factory.mktemp("site"))
    build(root)
    build_site(Layout(root))  # refuses any inline style or handler our templates might write
    return root / "site"


def page(site: Path, path: str) -> str:
    return (
        (site / path / "index.html").read_text(encoding="utf-8")
        if not path.endswith(".html")
        else (site / path).read_text(encoding="utf-8")
    )


def texts(markup: str, css_class: str) -> list[str]:
    """The text of every element with ``css_class`` (tags dropped, entities decoded, spaces collapsed)."""
    found = re.findall(rf'<(\w+)\b[^>]*\bclass="[^"]*\b{css_class}\b[^"]*"[^>]*>(.*?)</\1>', markup, re.DOTALL)
    return [" ".join(html.unescape(re.sub(r"<[^>]+>", "", inner)).split()) for _, inner in found]


def head(markup: str, pattern: str) -> list[str]:
    return [html.unescape(value) for value in re.findall(pattern, markup.split("</head>")[0])]


@pytest.mark.parametrize(
    "lang, folder, date, minutes, byline",
    [("en", "", "9 February 2026", "1 min read", "By Olena Marchenko"),
     ("es", "es/", "9 de febrero de 2026", "1 min de lectura", "Por Olena Marchenko")],
)  # fmt: skip
def test_the_front_page_lists_the_articles_as_entries(
    site: Path, lang: str, folder: str, date: str, minutes: str, byline: str
) -> None:
    front = page(site, folder or ".")
    entries = re.findall(r'<h2 class="press-entry"[^>]*><a href="([^"]+)/">', front)
    assert entries == NEWEST_FIRST, "headlines, newest first, linking to the articles"
    assert len(texts(front, "press-standfirst")) == 3, "each with its standfirst"
    first = texts(front, "press-entry-meta")[0]
    assert first.startswith(f"{date} · {byline} · {minutes}"), first
    other = "Español" if lang == "en" else "English"
    assert first.endswith(other), "and the other languages it is in"


def test_an_article_has_a_newsroom_header(site: Path) -> None:
    article = page(site, "es/europe-tightens-the-net-around-russia-s-shadow")
    assert texts(article, "press-dateline") == ["Por Olena Marchenko · 9 de febrero de 2026 · 1 min de lectura"]
    (provenance,) = texts(article, "press-provenance")
    assert provenance == "Traducción automática, aún sin revisar — lea el original"
    original = re.search(r'<p class="press-provenance">.*?<a href="([^"]+)" hreflang="en">', article, re.DOTALL)
    target = (site / "es" / "europe-tightens-the-net-around-russia-s-shadow" / original.group(1)).resolve()
    assert target == (site / "europe-tightens-the-net-around-russia-s-shadow").resolve() and target.is_dir()
    assert texts(article, "press-languages") == ["También en: English"]
    (details,) = texts(article, "press-translation")
    assert "apertium (eng-spa" in details and "0 %" in details, "the details close the article"
    assert 'href="#press-translation"' in article
    english = page(site, "europe-tightens-the-net-around-russia-s-shadow")
    assert texts(english, "press-provenance") == [], "the original says nothing of a translation"


@pytest.mark.parametrize(
    "title, size",
    [("Short", "short"), ("x" * 70, "short"), ("x" * 71, "long"), ("x" * 120, "long"), ("x" * 121, "longer")],
)
def test_headlines_are_sized_for_their_length(title: str, size: str) -> None:
    assert headline_length(title) == size


def test_addresses_are_absolute_and_true(site: Path) -> None:
    """Canonical links in the pages; each page's language alternates in the sitemap, and none in a page's head
    (the theme would fetch a sitemap.xml beside each, from site_url)."""
    sitemap = ElementTree.parse(site / "sitemap.xml").getroot()
    locations = [e.text or "" for e in sitemap.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert locations and all(loc.startswith(SITE) for loc in locations)
    entries = {
        url.findtext("{http://www.sitemaps.org/schemas/sitemap/0.9}loc"): {
            link.get("hreflang"): link.get("href") for link in url.iter("{http://www.w3.org/1999/xhtml}link")
        }
        for url in sitemap
    }
    for slug in NEWEST_FIRST:
        for folder, other in (("", "es/"), ("es/", "")):
            markup = page(site, f"{folder}{slug}")
            assert head(markup, r'<link rel="canonical" href="([^"]+)"') == [f"{SITE}{folder}{slug}/"]
            assert head(markup, r'<link rel="alternate"') == []
            alternates = entries[f"{SITE}{folder}{slug}/"]
            assert alternates == {"en": f"{SITE}{slug}/", "es": f"{SITE}es/{slug}/"}, "the same article"
            assert (site / other / slug / "index.html").is_file()


def test_every_page_has_its_own_description_and_open_graph_title(site: Path) -> None:
    pages = [p for p in site.rglob("index.html") if 'http-equiv="refresh"' not in p.read_text(encoding="utf-8")]
    seen = {}
    for path in pages:
        markup = path.read_text(encoding="utf-8")
        (description,) = head(markup, r'<meta name="description" content="([^"]*)"')
        (title,) = head(markup, r'<meta property="og:title" content="([^"]*)"')
        assert head(markup, r'<meta property="og:url" content="([^"]+)"')[0].startswith(SITE)
        seen[path.relative_to(site).as_posix()] = (description, title)
    assert len({d for d, _ in seen.values()}) == len(seen), "no two pages share a description"
    assert seen[f"es/{SLUG}/index.html"][1].startswith("La póliza de «diplomacia personal»")
    assert seen[f"{SLUG}/index.html"][0].startswith("In early 2026, American foreign policy"), "the standfirst"


@pytest.mark.parametrize("folder, lang, title", [("", "en", "Press editions"), ("es/", "es", "Ediciones Press")])
def test_each_edition_has_a_feed(site: Path, folder: str, lang: str, title: str) -> None:
    markup = page(site, folder or ".")
    (rel,) = head(markup, r'<link rel="([^"]+)" type="application/atom\+xml" title="[^"]*" href="[^"]+"')
    assert "alternate" in rel.split(), "a feed reader finds it (rel is a list of words)"
    feed = feedparser.parse((site / folder / "feed.xml").read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.feed.title == title and feed.feed.language == lang
    assert [e.link for e in feed.entries] == [f"{SITE}{folder}{slug}/" for slug in NEWEST_FIRST]
    assert feed.entries[0].author == SLUGS[NEWEST_FIRST[0]][0]
    assert all(e.summary and e.published.startswith("2026-02") for e in feed.entries)
    assert len({e.id for e in feed.entries}) == 3


@pytest.mark.parametrize("folder, lang, words", [("", "en", "Page not found"), ("es/", "es", "Página no encontrada")])
def test_each_edition_has_a_404_page(site: Path, folder: str, lang: str, words: str) -> None:
    markup = (site / folder / "404.html").read_text(encoding="utf-8")
    assert f'<html lang="{lang}"' in markup and "<h1 " in markup and words in markup
    assert '<meta name="robots" content="noindex">' in markup


def test_the_navigation_is_short(site: Path) -> None:
    tabs = texts(page(site, "es"), "md-tabs__link")
    assert tabs == ["Portada", "Glosario", "Descargas"], "no headline in the navigation"


def test_the_books_are_on_the_downloads_page(site: Path) -> None:
    downloads = page(site, "es/downloads")
    assert re.search(r"Todos los artículos, 2026-02: <a href=\"all_articles-2026-02\.es\.epub\">EPUB</a>", downloads)
    assert (site / "es" / "downloads" / "all_articles-2026-02.es.epub").is_file()


# --- settings and the feed writer, on their own -------------------------------------------------

SETTINGS_ERRORS = [
    ("site_url: ftp://example.org/\n", 1, "is not an http(s) address"),
    ("site_name: x\nsite_url: example.org\n", 2, "is not an http(s) address"),
    ("site_name: x\nextra:\n  rights: [a, b]\n", 3, "extra.rights must be text"),
    ("site_name: x\nextra:\n  publisher: {a: b}\n", 3, "extra.publisher must be text"),
    ("site_name: x\nsite_url: [x\n", 3, "not valid YAML"),
]


@pytest.mark.parametrize("config, line, message", SETTINGS_ERRORS)
def test_a_bad_setting_is_one_line_at_its_line(tmp_path: Path, config: str, line: int, message: str) -> None:
    (tmp_path / "mkdocs.yml").write_text(config, encoding="utf-8")
    with pytest.raises(PressError) as error:
        read_settings(tmp_path)
    assert error.value.line == line and message in str(error.value) and "\n" not in str(error.value)


def test_settings_read_mkdocs_yml_as_mkdocs_does(tmp_path: Path) -> None:
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: N\nsite_url: https://x.example/news\nmarkdown_extensions:\n"
        "  - pymdownx.emoji:\n      emoji_index: !!python/name:material.extensions.emoji.twemoji\n"
        "extra:\n  rights: CC BY\n",
        encoding="utf-8",
    )
    settings = read_settings(tmp_path)
    assert (settings.url, settings.name, settings.publisher, settings.rights) == (
        "https://x.example/news/",
        "N",
        "",
        "CC BY",
    )
    # no publisher written: the books name the site, the site's footer and feeds the edition's own site name
    assert (settings.edition("es").publisher, settings.edition("es", "Ediciones N").publisher) == ("N", "Ediciones N")
    assert settings.article_url("es", "en", "a") == "https://x.example/news/es/a/"


def test_the_feed_is_text_whatever_the_titles_hold() -> None:
    title = 'A <b>bold</b> & "quoted" headline \x07 with a bell'
    feed = Feed("Site & co", "en", "https://x.example/", "https://x.example/feed.xml", "Desk")
    feed.entries["a"] = FeedEntry(entry_id("a", "en"), title, "https://x.example/a/", "2026-02-02", "<i>x</i>")
    parsed = feedparser.parse(atom_feed(feed).encode("utf-8"))
    assert not parsed.bozo
    assert parsed.entries[0].title == title.replace("\x07", "\ufffd") and parsed.entries[0].summary == "<i>x</i>"
    assert entry_id("a", "en") == entry_id("a", "en") != entry_id("a", "es"), "stable, one per edition"


def test_press_site_rebuilds_only_when_an_input_changed(site: Path) -> None:
    layout = Layout(site.parent)
    assert site_is_current(layout)
    press = [sys.executable, "-m", "tools", "site", "--root", str(site.parent)]
    before = (site / "index.html").stat().st_ino
    run = subprocess.run(press, capture_output=True, text=True, check=True, cwd=ROOT)
    assert run.stdout.strip() == "site/ is up to date" and (site / "index.html").stat().st_ino == before
    page = layout.docs / "en" / "glossary.md"
    later = layout.site_mark.stat().st_mtime + 0.001  # after the last build, before now
    os.utime(page, (later, later))
    assert not site_is_current(layout), "an edited page"
    build_site(layout)
    assert site_is_current(layout)
    stray = layout.docs / "en" / "stray.txt"
    stray.write_text("x", encoding="utf-8")
    build_site(layout)
    stray.unlink()
    assert not site_is_current(layout), "a removed file (its folder changed)"
    run = subprocess.run([*press, "--force"], capture_output=True, text=True, check=True, cwd=ROOT)
    assert run.stdout.startswith("site/: ") and site_is_current(layout)


def test_a_page_changed_while_the_site_builds_leaves_the_site_stale(site: Path, monkeypatch) -> None:
    """The site's mark carries the time its build started reading, not the time it ended: a page edited while
    mkdocs ran (after it read it) makes the next press site build again."""
    import tools.sitebuild

    layout = Layout(site.parent)
    page = layout.docs / "en" / "glossary.md"
    real = tools.sitebuild.mkdocs_site

    def edited_meanwhile(*args, **kwargs):
        folders = real(*args, **kwargs)
        os.utime(page)  # the editor saves it now
        return folders

    monkeypatch.setattr(tools.sitebuild, "mkdocs_site", edited_meanwhile)
    build_site(layout)
    assert not site_is_current(layout), "the edit made while the site was built"
    monkeypatch.setattr(tools.sitebuild, "mkdocs_site", real)
    build_site(layout)
    assert site_is_current(layout)


def test_the_theme_mkdocs_uses_is_among_the_site_s_inputs(tmp_path: Path) -> None:
    """press site rebuilds when the overrides mkdocs renders with change, wherever the project lives (they are the
    toolkit's, beside tools/, not the project's: a project elsewhere has none of its own)."""
    config = yaml.safe_load(site_config(["en"], "en", read_settings(tmp_path)))
    theme = Path(config["theme"]["custom_dir"])
    assert theme.is_dir() and theme in Layout(tmp_path).site_inputs


PORTS = ["Gdańsk", "Rotterdam", "Valencia", "Odesa", "Tromsø", "Genoa"]
LINES = [
    "The harbour of {port} reopened on {day} after {weeks} weeks of repairs to its northern quay.",
    "Pilots said {ships} ships waited at anchor, most of them carrying grain and timber.",
    "The port authority put the cost at {cost} million euros, a third more than planned.",
    "Dock workers in {port} voted to return to full shifts from the first of next month.",
]


def harbour_project(root: Path, count: int) -> Path:
    """``count`` short articles written here, one edition (the site stage is what is tested, not an engine)."""
    seeds = {}
    for number in range(count):
        port, day = PORTS[number % len(PORTS)], f"2026-{1 + number // 10:02d}-{1 + number % 10 * 2:02d}"
        words = {"port": port, "day": day, "weeks": 2 + number, "ships": 11 * number + 3, "cost": 4 + number % 7}
        body = "\n\n".join(line.format(**words) for line in LINES[number % 2 :])
        seeds[f"{number:03d}_harbour.txt"] = seed_text(f"{port} harbour report {number + 1}", day, "Desk", body)
    return project_with(root, seeds, "source_language: en\nlanguages: []\n")


def test_after_an_edit_the_site_built_with_the_csp_record_is_the_one_built_without(tmp_path: Path) -> None:
    """30 articles; one sentence edited: the CSP pass parses only the pages mkdocs wrote differently, and the site
    (every byte of every file) and the nginx snippet are those of a build with no record."""
    root = harbour_project(tmp_path, 30)
    layout = Layout(root)
    build(root)
    first = build_site(layout)
    assert sorted(first.parsed) == sorted(p.relative_to(layout.site).as_posix() for p in layout.site.rglob("*.html"))
    nginx = layout.nginx.stat().st_mtime_ns
    seed = layout.seeds / "007_harbour.txt"
    seed.write_text(seed.read_text(encoding="utf-8").replace("most of them", "nearly all of them"), encoding="utf-8")
    build(root)
    cached = build_site(layout)
    assert cached.parsed and len(cached.parsed) < first.pages / 2, cached.parsed
    assert any("nearly all of them" in (layout.site / page).read_text(encoding="utf-8") for page in cached.parsed)
    assert layout.nginx.stat().st_mtime_ns == nginx, "the same headers: the snippet is not rewritten"
    with_record, snippet = files_of(layout.site), layout.nginx.read_bytes()
    layout.csp_record.unlink()
    full = build_site(layout)
    assert len(full.parsed) == full.pages, "no record: every page parsed"
    assert files_of(layout.site) == with_record and layout.nginx.read_bytes() == snippet


def test_the_site_stage_s_code_files_exist() -> None:
    """A code file that moved would silently stop making the site stale: every name must be a file."""
    assert SITE_CODE and [path for path in SITE_CODE if not path.is_file()] == []


def test_the_project_s_own_python_files_and_an_empty_epoch_do_not_reach_mkdocs(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """mkdocs runs in the folder press site is run from. A newsroom's project may hold its own ``tools/`` package
    or a ``markdown.py``: neither is imported in place of the toolkit's hooks or a library (Python's ``-P``). And
    ``SOURCE_DATE_EPOCH=`` (set, empty: unset for press) is not handed to mkdocs, which crashed on it."""
    import shutil

    root = Path(shutil.copytree(site.parent, tmp_path / "project", symlinks=True))
    trap = "raise SystemExit('the project\\'s own {} was imported')\n"
    (root / "tools").mkdir()
    (root / "tools" / "__init__.py").write_text(trap.format("tools"), encoding="utf-8")
    for module in ("markdown", "yaml", "mkdocs"):
        (root / f"{module}.py").write_text(trap.format(module), encoding="utf-8")
    monkeypatch.chdir(root)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "")
    build_site(Layout(root))
    page = (root / "site" / SLUG / "index.html").read_text(encoding="utf-8")
    assert "<article" in page and "was imported" not in page
