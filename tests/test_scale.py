"""Pages whose size does not grow with the corpus: front pages in pages of 20, archives by month, short feeds.

Small generated articles (a seed each, two days apart from 1 January 2026) are rendered by the real
page models and front-page writer; the site is built by mkdocs --strict with the content security
policy, as ``press site`` builds it.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest

from tools.benchcorpus import ROOT, write_pages
from tools.ingest import load_seeds, seed_text
from tools.layout import Layout
from tools.publish import site
from tools.publish.edition import render_article
from tools.publish.feed import FEED_ENTRIES, Feed, FeedEntry, atom_feed, entry_id
from tools.publish.model import ArticlePage
from tools.publish.site import PER_PAGE
from tools.sitebuild import build_site

FIRST_DAY = dt.date(2026, 1, 1)
ENTRY = re.compile(r"^## \[(.+?)\]\((.+?)\)", re.MULTILINE)


def small_project(root: Path, count: int) -> Path:
    """``count`` one-paragraph articles (titles of one length), two days apart, source edition only."""
    (root / "seeds").mkdir(parents=True)
    shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    (root / "editions.yml").write_text("source_language: en\nlanguages: []\n", encoding="utf-8")
    for i in range(count):
        day = (FIRST_DAY + dt.timedelta(days=2 * i)).isoformat()
        body = f"Report {i:03d} tells what the desk saw that day. It is short."
        (root / "seeds" / f"{i:03d}_report.txt").write_text(seed_text(f"Report {i:03d}", day, "Desk", body), "utf-8")
    return root


def models(root: Path) -> list[ArticlePage]:
    return [render_article(article, "en") for article in load_seeds(root / "seeds")]


def front_pages(tmp_path: Path, count: int) -> dict[str, str]:
    return {page.path: page.text for page in site.front_pages(models(small_project(tmp_path, count)), "en")}


def entries(text: str) -> list[str]:
    return [title for title, _ in ENTRY.findall(text)]


@pytest.mark.parametrize(
    "path, first, count, links",
    [
        ("en/index.md", "Report 044", PER_PAGE, ["page/2.md", "archive/index.md"]),
        ("en/page/2.md", "Report 024", PER_PAGE, ["../index.md", "3.md", "../archive/index.md"]),
        ("en/page/3.md", "Report 004", 5, ["2.md", "../archive/index.md"]),
    ],
)
def test_front_pages_hold_twenty_entries_and_link_newer_and_older(
    tmp_path: Path, path: str, first: str, count: int, links: list[str]
) -> None:
    pages = front_pages(tmp_path, 45)
    assert [p for p in pages if p.startswith("en/page/")] == ["en/page/2.md", "en/page/3.md"]
    listed = entries(pages[path])
    assert len(listed) == count and listed[0] == first
    pager = pages[path].rstrip().splitlines()[-2]
    assert re.findall(r"\]\(([^)]+)\)", pager) == links


@pytest.mark.parametrize(
    "month, first, last, count",
    [("2026-01", "Report 015", "Report 000", 16), ("2026-03", "Report 044", "Report 030", 15)],
)
def test_a_month_archive_lists_exactly_that_months_articles(
    tmp_path: Path, month: str, first: str, last: str, count: int
) -> None:
    pages = front_pages(tmp_path, 45)
    listed = entries(pages[f"en/archive/{month}.md"])
    assert (listed[0], listed[-1], len(listed)) == (first, last, count)
    in_month = [p.title for p in models(tmp_path) if p.date.strftime("%Y-%m") == month]
    assert sorted(listed) == sorted(in_month)
    archive = pages["en/archive/index.md"]
    assert re.findall(r"\[([^\]]+)\]\((\d{4}-\d\d)\.md\) \((\d+)\)", archive) == [
        ("March 2026", "2026-03", "15"),
        ("February 2026", "2026-02", "14"),
        ("January 2026", "2026-01", "16"),
    ]


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> dict[int, Path]:
    """The site of 25 and of 45 small articles, built as press site builds it (mkdocs --strict, the CSP)."""
    built = {}
    for count in (25, 45):
        root = small_project(tmp_path_factory.mktemp(f"site{count}"), count)
        write_pages(root)
        build_site(Layout(root))
        built[count] = root / "site"
    return built


@pytest.mark.slow
def test_the_paginated_site_builds_strict_with_every_page(sites: dict[int, Path]) -> None:
    site = sites[45]
    for page in ("page/2", "page/3", "archive", "archive/2026-01", "archive/2026-02", "archive/2026-03"):
        assert (site / page / "index.html").is_file(), page
    front = (site / "index.html").read_text(encoding="utf-8")
    assert 'href="page/2/"' in front and 'rel="next"' in front and 'href="archive/"' in front
    assert "Report 024" not in front, "the second page's entries are not on the first"
    for page in ("page/2", "archive/2026-01"):  # an entry's headline leads to its article, from any depth
        folder = site / page
        headlines = re.findall(r'<h2[^>]*><a href="([^"]+)"', (folder / "index.html").read_text(encoding="utf-8"))
        assert headlines and all((folder / href / "index.html").resolve().is_file() for href in headlines), page


def test_a_pages_size_does_not_depend_on_the_corpus(sites: dict[int, Path]) -> None:
    small, large = ((sites[n] / "index.html").stat().st_size for n in (25, 45))
    assert abs(large - small) / small < 0.01, (small, large)


def test_the_feed_holds_the_latest_entries_only() -> None:
    feed = Feed("Site", "en", "https://x.example/", "https://x.example/feed.xml", "Desk")
    for i in range(FEED_ENTRIES + 10):
        day = (FIRST_DAY + dt.timedelta(days=i)).isoformat()
        feed.entries[str(i)] = FeedEntry(entry_id(str(i), "en"), f"T{i}", f"https://x.example/{i}/", day, "s")
    links = re.findall(r'rel="alternate" type="text/html" href="https://x.example/(\d+)/"', atom_feed(feed))
    assert links == [str(i) for i in range(FEED_ENTRIES + 9, 9, -1)]
