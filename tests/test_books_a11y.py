"""The books as reading systems and libraries check them: DAISY Ace (run for real, in Debian's Chromium, through
`press ebooks --check`) finds no violation in any EPUB, the seed's and an article written here, and reports a
broken book as diagnostics; the package says when the book was made (the build's SOURCE_DATE_EPOCH, else now), and finishing pandoc's EPUB
keeps it a valid, reproducible ZIP."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from conftest import ROOT, built_at, copy_project, require_command  # tests/ is on the path: helpers, not fixtures

from tools import ace
from tools.config import read_settings
from tools.diagnostics import ERROR
from tools.errors import PressError
from tools.fsutil import file_sha
from tools.layout import Layout
from tools.publish.book import Book, write_epub
from tools.publish.pandoc import CONFORMS_TO, finish_epub
from tools.publish.store import read_edition

EPOCH = 1_771_000_000  # 2026-02-13T16:26:40Z
SEED = """ date 2026-02-12 Ports weigh a "checks first" rule -- and its cost
by: Daniel Weiss

Ports in the Baltic weigh a rule that would check every tanker before it docks. The cost falls on shippers.

Officials say the rule could start in spring.
"""


def require_ace() -> None:
    """Skip (under CI=true, fail) unless Node, Chromium and the pinned Ace are installed."""
    require_command("node", "sudo apt-get install nodejs")
    require_command("chromium", "sudo apt-get install chromium")
    if not ace.ACE.is_file():
        message = f"DAISY Ace is not installed at {ace.ACE} ({ace.INSTALL})"
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed with its memories and an article written here, in English and Spanish (Apertium), at EPOCH."""
    require_command("apertium", "sudo apt-get install apertium apertium-eng-spa")
    root = copy_project(tmp_path_factory.mktemp("a11y"))
    shutil.copytree(ROOT / "translations", root / "translations")
    (root / "seeds" / "901_ports.txt").write_text(SEED, encoding="utf-8")
    (root / "editions.yml").write_text("source_language: en\nlanguages: [es]\n", encoding="utf-8")
    return built_at(root, EPOCH)


def epubs(root: Path) -> list[Path]:
    return sorted((root / "dist").glob("*.epub"))


def member(epub: Path | bytes, name: str) -> str:
    with zipfile.ZipFile(io.BytesIO(epub) if isinstance(epub, bytes) else epub) as archive:
        return archive.read(name).decode("utf-8")


def test_ace_reports_a_broken_book_as_diagnostics(built: Path, tmp_path: Path) -> None:
    """A book without the glossary's ARIA role and without the accessibility claim: Ace's own findings."""
    require_ace()
    good = built / "dist" / "all_articles-2026-02.es.epub"  # with the glossary of the seed's terms
    broken = tmp_path / "broken.epub"
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(broken, "w") as copy:
        for info in source.infolist():
            data = source.read(info)
            data = data.replace(b' role="doc-glossary"', b"").replace(CONFORMS_TO.encode(), b"")
            copy.writestr(info, data.replace(b'<meta property="dcterms:conformsTo"></meta>', b""))
    found = ace.check([broken])
    assert all(d.path == broken and d.severity == ERROR and d.kind == "ace" for d in found)
    role, claim = sorted(found, key=lambda d: d.message)
    assert role.message.startswith("epub-type-has-matching-role (moderate) in text/ch001.xhtml #book_glossary")
    assert "kb.daisy.org" in role.fix and "\n" not in str(role)
    assert claim.message == "the package's accessibility metadata lacks dcterms:conformsTo"


def test_a_book_checked_clean_is_not_checked_again(
    built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The record (``.press/cache/ace.json`` for press ebooks --check) lists clean books by their bytes."""
    require_ace()
    record = tmp_path / "ace.json"
    good = built / "dist" / "ports-weigh-a-checks-first-rule-and-its-cost.es.epub"
    assert ace.check([good], record) == []
    assert json.loads(record.read_text("utf-8")) == {"ace": "1.4.6", "clean": [file_sha(good)]}

    def ran(command: list[str], epub: Path) -> dict:
        raise AssertionError(f"Ace ran on {epub.name}")

    monkeypatch.setattr(ace, "_report", ran)
    assert ace.check([good], record) == [], "the same bytes: not checked again"
    changed = tmp_path / good.name
    changed.write_bytes(good.read_bytes() + b"\0")  # other bytes
    with pytest.raises(AssertionError, match=f"Ace ran on {changed.name}"):
        ace.check([changed], record)
    record.write_text(json.dumps({"ace": "1.0.0", "clean": [file_sha(good)]}), encoding="utf-8")
    with pytest.raises(AssertionError, match="Ace ran"):
        ace.check([good], record)  # another Ace: checked again


def test_ace_that_cannot_run_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ace, "ACE", tmp_path / "node_modules" / ".bin" / "ace-cli")
    with pytest.raises(PressError, match="DAISY Ace is not installed; fix: run make node-deps") as error:
        ace.check([tmp_path / "x.epub"])
    assert "\n" not in str(error.value)


@pytest.mark.parametrize(
    "report, expected",
    [
        ({"assertions": [{"earl:testSubject": {"url": "/EPUB/nav.xhtml"}, "assertions": []}]}, []),
        ({"a11y-metadata": {"missing": ["a11y:certifierReport"]}}, []),
        ({"a11y-metadata": {"missing": ["a11y:certifiedBy"]}}, ["the package's accessibility metadata lacks a11y:certifiedBy"]),
        ({"assertions": [{"earl:testSubject": {"url": "text/ch001.xhtml"}, "assertions": [
            {"earl:result": {"earl:outcome": "fail", "dct:description": "Images must have alternate text",
                             "earl:pointer": {"css": ["img"]}},
             "earl:test": {"dct:title": "image-alt", "earl:impact": "critical"}}]}]},
         ["image-alt (critical) in text/ch001.xhtml img: Images must have alternate text"]),
    ],
)  # fmt: skip
def test_an_ace_report_reads_as_diagnostics(report: dict, expected: list[str]) -> None:
    assert [d.message for d in ace.findings(report, "b.epub")] == expected


def test_every_book_says_it_was_made_at_the_builds_date(built: Path, tmp_path: Path) -> None:
    stamp = dt.datetime.fromtimestamp(EPOCH, dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    for epub in epubs(built):
        package = member(epub, "EPUB/content.opf")
        assert re.findall(r'<meta property="dcterms:modified">([^<]+)</meta>', package) == [stamp], epub.name
        assert f'<meta property="dcterms:conformsTo">{CONFORMS_TO}</meta>' in package
        assert '<meta property="a11y:certifiedBy">Ediciones Press</meta>' in package or ".en." in epub.name
    pages, glossary = read_edition(Layout(built).page_record("es"))
    book = Book("es", pages[0].slug, (pages[0],), glossary, read_settings(built))
    before = dt.datetime.now(dt.UTC).replace(microsecond=0)
    made = write_epub(book, tmp_path / "now.epub", None)  # no SOURCE_DATE_EPOCH: now
    after = dt.datetime.now(dt.UTC)
    (modified,) = re.findall(r'"dcterms:modified">([^<]+)<', member(made, "EPUB/content.opf"))
    assert before <= dt.datetime.strptime(modified, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.UTC) <= after
    again = write_epub(book, tmp_path / "a.epub", EPOCH).read_bytes()
    assert write_epub(book, tmp_path / "b.epub", EPOCH).read_bytes() == again, "the same bytes at one epoch"


def test_a_finished_book_is_still_an_epub_zip(built: Path) -> None:
    for epub in epubs(built):
        with zipfile.ZipFile(epub) as archive:
            first = archive.infolist()[0]
            assert (first.filename, first.compress_type, archive.read(first)) == (
                "mimetype",
                zipfile.ZIP_STORED,
                b"application/epub+zip",
            )
            assert not [name for name in archive.namelist() if name.startswith("EPUB/fonts/")]


def test_a_pandoc_epub_without_what_is_finished_stops_the_book(
    built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A pandoc that writes no cover landmark (or names it otherwise) is refused, not published half-finished."""
    from tools.publish import pandoc

    pages, glossary = read_edition(Layout(built).page_record("es"))
    book = Book("es", pages[0].slug, (pages[0],), glossary, read_settings(built))
    made: list[bytes] = []
    monkeypatch.setattr(pandoc, "finish_epub", lambda epub, *_: made.append(epub) or epub)
    write_epub(book, tmp_path / "raw.epub", EPOCH)  # pandoc's EPUB as it writes it
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(made[0])) as source, zipfile.ZipFile(out, "w") as copy:
        for info in source.infolist():
            data = source.read(info)
            copy.writestr(info, re.sub(rb'epub:type="cover">', b">", data) if "nav" in info.filename else data)
    with pytest.raises(PressError, match="pandoc's EPUB has no .*cover.* to finish") as error:
        finish_epub(out.getvalue(), book.name, book.lang, book.settings.publisher, EPOCH)
    assert "\n" not in str(error.value) and "EPUB/nav.xhtml" in str(error.value)
    assert (
        finish_epub(made[0], book.name, book.lang, book.settings.publisher, EPOCH)
        == (built / "dist" / f"{pages[0].slug}.es.epub").read_bytes()
    )


def test_press_ebooks_check_finds_no_violation_in_any_book(
    built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """What `make ebooks` and `make check` run: every book made again (the same bytes at one epoch), then
    epubcheck and DAISY Ace on each: the seed's books, the new article's and the volume, in en and es."""
    require_ace()
    require_command("java", "sudo apt-get install openjdk-17-jdk-headless")
    from tools.cli import main

    root = Path(shutil.copytree(built, tmp_path / "project", symlinks=True))
    books = epubs(root)
    assert {"ports-weigh-a-checks-first-rule-and-its-cost.es.epub", "all_articles-2026-02.es.epub"} <= {
        p.name for p in books
    }
    assert len(books) == 6
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(EPOCH))
    assert main(["ebooks", "--check", "--root", str(root)]) == 0
    out = capsys.readouterr().out
    assert "epubcheck: 6 file(s), 0 error(s) and warning(s)" in out and "DAISY Ace: 6 file(s), 0 violation(s)" in out
    assert [p.read_bytes() for p in epubs(root)] == [p.read_bytes() for p in epubs(built)], "the same bytes"
