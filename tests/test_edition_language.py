"""Every edition speaks its language everywhere: the site's footer and feed (publisher and rights from
mkdocs.yml's extra.editions), the books' title pages, PDF running heads, EPUB landmarks, guide and contents;
and the original's title quoted in a translation's note keeps its own language's typography (“…”, not «…»)."""

from __future__ import annotations

import html
import re
import subprocess
import zipfile
from pathlib import Path

import pytest
import yaml
from conftest import copy_project, require_command  # tests/ is on the path: helpers, not fixtures

from tools import mkdocs_hooks
from tools.build import build
from tools.config import SiteSettings, read_settings
from tools.errors import PressError
from tools.layout import Layout
from tools.publish.siteconfig import site_config
from tools.publish.store import read_edition
from tools.sitebuild import build_site
from tools.typography import typeset

SLUG = "ports-weigh-a-checks-first-rule-and-its-cost"
TITLE = 'Ports weigh a "checks first" rule -- and its cost'
SEED = f""" date 2026-02-12 {TITLE}
by: Daniel Weiss

Ports in the Baltic weigh a rule that would check every tanker before it docks. The cost falls on shippers.
"""
# What each edition says: (publisher, rights, landmarks: title page, cover, contents) — mkdocs.yml's and ui.py's.
SAYS = {
    "en": ("Press editions", "All rights reserved by the newsroom that wrote the articles.",
           ("Title page", "Cover", "Contents")),
    "es": ("Ediciones Press", "Todos los derechos reservados por la redacción que escribió los artículos.",
           ("Portada", "Cubierta", "Índice")),
}  # fmt: skip
ENGLISH_CHROME = ["Press editions", "All rights reserved", "Title Page", "Table of Contents", ">Cover<", '"Cover"']


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project's seed and an article with quotes and a dash in its title, in English and Spanish, and the site."""
    require_command("apertium", "sudo apt-get install apertium apertium-eng-spa")
    root = copy_project(tmp_path_factory.mktemp("speaks"))
    (root / "seeds" / "902_ports.txt").write_text(SEED, encoding="utf-8")
    (root / "editions.yml").write_text("source_language: en\nlanguages: [es]\n", encoding="utf-8")
    build(root)
    build_site(Layout(root))
    return root


def footer(page: Path) -> str:
    found = re.search(r'<div class="md-copyright__highlight">(.*?)</div>', page.read_text("utf-8"), re.DOTALL)
    assert found, page
    return " ".join(html.unescape(found.group(1)).split())


def epub_files(epub: Path) -> dict[str, str]:
    with zipfile.ZipFile(epub) as archive:
        return {name: archive.read(name).decode("utf-8", "replace") for name in archive.namelist()}


@pytest.mark.parametrize("lang, folder", [("en", ""), ("es", "es/")])
def test_the_footer_and_the_feed_speak_the_editions_language(published: Path, lang: str, folder: str) -> None:
    publisher, rights, _ = SAYS[lang]
    site = published / "site"
    pages = [p for p in sorted((site / folder).rglob("index.html")) if lang != "en" or "/es/" not in str(p)]
    assert len(pages) >= 5
    assert {footer(page) for page in pages} == {f"{publisher} · {rights}"}
    assert f"<name>{publisher}</name>" in (site / folder / "feed.xml").read_text("utf-8")


def test_a_headings_permanent_link_is_titled_in_the_editions_language(published: Path) -> None:
    spanish = [p.read_text("utf-8") for p in (published / "site" / "es").rglob("index.html")]
    english = [p.read_text("utf-8") for p in (published / "site").rglob("index.html") if "/es/" not in str(p)]
    assert any('class="headerlink" href="#' in page for page in spanish), "the toc writes ¶ links"
    assert not any('title="Permanent link"' in page for page in spanish)
    assert any('title="Enlace permanente"' in page for page in spanish)
    assert any('title="Permanent link"' in page for page in english)


def test_every_spanish_book_speaks_spanish(published: Path) -> None:
    require_command("pdftotext", "sudo apt-get install poppler-utils")
    publisher, rights, (title_page, cover, contents) = SAYS["es"]
    books = sorted((published / "dist").glob("*.es.epub"))
    assert len(books) == 3
    for epub in books:
        files = epub_files(epub)
        nav, package = files["EPUB/nav.xhtml"], files["EPUB/content.opf"]
        assert re.findall(r'epub:type="(\w+)">([^<]+)</a>', nav) == [
            ("titlepage", title_page),
            ("cover", cover),
            ("toc", contents),
        ]
        assert f'<h1 id="toc-title">{contents}</h1>' in nav
        assert re.findall(r'<reference type="(\w+)" title="([^"]+)"', package) == [("toc", contents), ("cover", cover)]
        assert f"<dc:publisher>{publisher}</dc:publisher>" in package and f"<dc:rights>{rights}</dc:rights>" in package
        assert f'<p class="publisher">{publisher}</p>' in files["EPUB/text/title_page.xhtml"]
        english = [(name, word) for name, text in files.items() for word in ENGLISH_CHROME if word in text]
        assert english == [], epub.name
        pdf = epub.with_suffix(".pdf")
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        assert publisher in text and publisher.upper() in text and rights in text, "title page and running head"
        assert not [word for word in ENGLISH_CHROME if word in text], pdf.name


def test_the_english_books_say_it_in_english(published: Path) -> None:
    _, _, (title_page, cover, contents) = SAYS["en"]
    nav = epub_files(published / "dist" / f"{SLUG}.en.epub")["EPUB/nav.xhtml"]
    assert re.findall(r'epub:type="\w+">([^<]+)</a>', nav) == [title_page, cover, contents]


def test_the_originals_title_keeps_its_own_typography(published: Path) -> None:
    require_command("pdftotext", "sudo apt-get install poppler-utils")
    pages, _ = read_edition(Layout(published).page_record("es"))
    page = next(p for p in pages if p.slug == SLUG)
    assert page.original_title == typeset(TITLE, "en") and "“checks first”" in page.original_title
    body = epub_files(published / "dist" / f"{SLUG}.es.epub")["EPUB/text/ch001.xhtml"]
    (note,) = re.findall(r'<div class="note">\s*<p>(.+?)</p>', body, re.DOTALL)
    assert note.endswith(f'Original (inglés): <span lang="en">{html.escape(page.original_title, quote=False)}</span>')
    assert "«" not in note.split("<span")[1] and "«" in page.title, "Spanish quotes for the Spanish headline only"
    pdf = published / "dist" / f"{SLUG}.es.pdf"
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "Original (inglés): Ports weigh a “checks first” rule" in " ".join(text.split())


SETTINGS_ERRORS = [
    ("extra:\n  editions: [es]\n", 2, "extra.editions must be a mapping of languages"),
    ("extra:\n  editions:\n    xx:\n      rights: r\n", 3, "extra.editions: 'xx' is no language"),
    ("extra:\n  editions:\n    es:\n      rights: r\n      owner: o\n", 5, "extra.editions.es: only publisher and rights"),
    ("extra:\n  editions:\n    es: Ediciones\n", 3, "extra.editions.es: only publisher and rights"),
    ("extra:\n  editions:\n    es:\n      rights: [a, b]\n", 4, "extra.editions.es.rights must be text"),
]  # fmt: skip


@pytest.mark.parametrize("config, line, message", SETTINGS_ERRORS)
def test_a_bad_edition_setting_is_one_line_at_its_line(tmp_path: Path, config: str, line: int, message: str) -> None:
    (tmp_path / "mkdocs.yml").write_text("site_name: N\n" + config, encoding="utf-8")
    with pytest.raises(PressError) as error:
        read_settings(tmp_path)
    assert (error.value.line, message in str(error.value), "\n" in str(error.value)) == (line + 1, True, False)


def test_an_edition_without_its_own_lines_shows_the_general_ones(tmp_path: Path) -> None:
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: N\nextra:\n  publisher: P\n  rights: R\n  editions:\n    es:\n      rights: D\n", encoding="utf-8"
    )
    settings = read_settings(tmp_path)
    assert (settings.edition("es").publisher, settings.edition("es").rights) == ("P", "D")
    assert settings.edition("de") == settings
    assert SiteSettings().edition("es") == SiteSettings(publisher=SiteSettings.name)  # no publisher: the site's name


@pytest.mark.parametrize(
    "settings, says",
    [
        (  # no publisher written: each edition's site name, as its footer and feed always said
            SiteSettings(name="N", rights="R"),
            {"en": ("Press editions", "R"), "es": ("Ediciones Press", "R"), "uk": ("Видання Press", "R")},
        ),
        (  # written: the edition's own line, else the general one
            SiteSettings(name="N", publisher="P", rights="R", editions=(("uk", "Видавець", "Права"),)),
            {"en": ("P", "R"), "es": ("P", "R"), "uk": ("Видавець", "Права")},
        ),
    ],
)
def test_the_site_config_gives_each_edition_its_publisher_and_names_the_hooks(
    settings: SiteSettings, says: dict[str, tuple[str, str]]
) -> None:
    """What the footer and the feed show comes from SiteSettings.edition, through mkdocs.site.yml; the hooks
    it names are tools.mkdocs_hooks."""
    config = yaml.safe_load(site_config(["en", "es", "uk"], "en", settings))
    editions = next(p["i18n"]["languages"] for p in config["plugins"] if "i18n" in p)
    assert {e["locale"]: (e["extra"]["press"]["publisher"], e["extra"]["press"]["rights"]) for e in editions} == says
    assert [Path(path) for path in config["hooks"]] == [Path(mkdocs_hooks.__file__).resolve()]
