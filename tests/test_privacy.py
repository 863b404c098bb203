"""A person is shown by name only: an e-mail address in a memory's Last-Translator (a review made in Poedit),
in ``press review --by`` or in a seed's byline reaches no page, no book (text or metadata) and no feed. Every
file the build and the site stage write is read as a reader's software would (EPUBs unzipped, PDFs through
pdftotext and pdfinfo) and searched for the addresses; the names are there."""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from conftest import ROOT, copy_project, require_command  # tests/ is on the path: helpers, not fixtures

from tools.build import build
from tools.cli import main
from tools.layout import Layout
from tools.memory.entries import Memory
from tools.publish.model import public_name
from tools.sitebuild import build_site

# What a person typed where a name is asked for → what readers are shown.
NAMES = [
    ("Press maintainers <maintainers@press.example.org>", "Press maintainers"),
    ("ana@desk.example", ""),
    ("Jane Doe (jane.doe@news.example.co.uk)", "Jane Doe"),
    ("Ana Ruiz <mailto:ana@desk.example>,", "Ana Ruiz"),
    ("O'Brien, Jo [jo@desk.example.ie]", "O'Brien, Jo"),
    ("Олена Марченко <olena@редакція.example>", "Олена Марченко"),
    ("Jane Doe", "Jane Doe"),
    ("Desk <desk+reviews@desk.example>; Ana", "Desk; Ana"),
]

ARTICLE = "900_port-checks"
REVIEWER_PO = "Ana Revisora <ana.revisora@desk.example>"  # Last-Translator, as Poedit writes it
REVIEWER_BY = "Beto Ruiz <beto@desk.example>"  # press review --by
AUTHOR = "Carla Gómez <carla@newsroom.example>"  # a seed's byline
SEED = f""" date 2026-02-11 Harbour officials check tankers again
by: {AUTHOR}

Harbour officials checked three tankers on Monday. They found no insurance papers on two of them.

The checks will continue next week.
"""
ADDRESSES = ["maintainers@press.example.org", "ana.revisora@desk.example", "beto@desk.example", "carla@newsroom"]


@pytest.mark.parametrize("typed, shown", NAMES)
def test_a_person_is_named_without_an_address(typed: str, shown: str) -> None:
    assert public_name(typed) == shown


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project (with its memories, whose reviewer has an address) and an article whose byline has one,
    reviewed in Poedit by a Last-Translator with an address and with ``press review --by`` with another; built
    in English and Spanish (Apertium), and its site."""
    require_command("apertium", "sudo apt-get install apertium apertium-eng-spa")
    root = copy_project(tmp_path_factory.mktemp("privacy"))
    shutil.copytree(ROOT / "translations", root / "translations")
    (root / "seeds" / f"{ARTICLE}.txt").write_text(SEED, encoding="utf-8")
    (root / "editions.yml").write_text("source_language: en\nlanguages: [es]\n", encoding="utf-8")
    build(root)
    layout = Layout(root)
    memory = Memory.load(layout.memory("es", ARTICLE), "es", "")
    memory.po.metadata["Last-Translator"] = REVIEWER_PO
    first = next(entry for entry in memory.po if entry.msgstr and "fuzzy" in entry.flags)
    first.flags.remove("fuzzy")  # reviewed outside press: the header names who
    memory.save()
    command = ["review", "es", ARTICLE, "--accept", "3", "--by", REVIEWER_BY, "--root", str(root)]
    assert main(command) == 0
    build(root)
    build_site(layout)
    return root


def readable(path: Path) -> str:
    """A file as a reader's software reads it: an EPUB's (or any ZIP's) members, a PDF's text and its metadata."""
    data = path.read_bytes()
    if data[:4] == b"PK\x03\x04":
        with zipfile.ZipFile(path) as archive:
            return "\n".join(archive.read(name).decode("utf-8", "replace") for name in archive.namelist())
    if data[:5] == b"%PDF-":
        run = [subprocess.run([tool, str(path), *extra], capture_output=True, text=True, check=True).stdout
               for tool, extra in (("pdftotext", ["-"]), ("pdfinfo", []))]  # fmt: skip
        return "\n".join(run) + data.decode("latin-1")
    return data.decode("utf-8", "replace")


def test_no_address_reaches_a_page_a_book_or_a_feed(published: Path) -> None:
    require_command("pdftotext", "sudo apt-get install poppler-utils")
    files = [p for folder in ("docs", "dist", "site") for p in sorted((published / folder).rglob("*")) if p.is_file()]
    kinds = {p.suffix for p in files}
    assert {".md", ".epub", ".pdf", ".html", ".xml", ".json"} <= kinds, "pages, books, feeds and the search index"
    assert any(p.name == "feed.xml" for p in files) and any("downloads" in p.parts for p in files)
    leaks = [(str(p.relative_to(published)), a) for p in files for a in ADDRESSES if a in readable(p)]
    assert leaks == []


def test_the_names_are_shown(published: Path) -> None:
    page = (published / "site" / "es" / "harbour-officials-check-tankers-again" / "index.html").read_text("utf-8")
    assert "Ana Revisora, Beto Ruiz" in page and "Por Carla Gómez" in page, "reviewers and author by name"
    book = readable(published / "dist" / "all_articles-2026-02.es.epub")  # both articles: the seed's and this
    for name in ("Ana Revisora", "Beto Ruiz", "Carla Gómez", "Press maintainers"):
        assert f">{name}</dc:" in book, f"{name} in the book's metadata"
    feed = (published / "site" / "es" / "feed.xml").read_text("utf-8")
    assert "<name>Carla Gómez</name>" in feed
    memory = (published / "translations" / "es" / f"{ARTICLE}.po").read_text("utf-8")
    assert REVIEWER_BY in memory, "the memory keeps who reviewed, as typed: only readers see the name alone"
