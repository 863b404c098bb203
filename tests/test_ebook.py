"""E-books as a reader and a validator see them: epubcheck clean, the right language, links both ways,
the same bytes twice."""

from __future__ import annotations

import re
import time
import zipfile
from pathlib import Path

import pytest

from tools.build import build
from tools.ebook import build_epub, epubcheck, pandoc_markdown
from tools.ui import format_date

SLUG = "policy-of-personal-diplomacy-that-donald-trump-has"
EPOCH = 1_770_000_000


@pytest.fixture
def built(project: Path, require) -> Path:
    require("apertium", "sudo apt-get install apertium apertium-eng-spa")
    build(project)
    return project


def read(epub: Path) -> dict[str, str]:
    with zipfile.ZipFile(epub) as archive:
        return {name: archive.read(name).decode("utf-8", "replace") for name in archive.namelist()}


@pytest.mark.parametrize("lang", ["en", "es"])
def test_epub_is_valid_and_linked_both_ways(built: Path, lang: str, require) -> None:
    require("java", "sudo apt-get install openjdk-17-jdk-headless")
    epub = build_epub(built / "docs", lang, SLUG, built / "dist" / f"{SLUG}.{lang}.epub", EPOCH)
    assert epubcheck([epub]) == []
    files = read(epub)
    opf = files["EPUB/content.opf"]
    assert f"<dc:language>{lang}</dc:language>" in opf
    assert "schema:accessMode" in opf and "<dc:publisher>Press editions</dc:publisher>" in opf
    if lang == "es":
        assert "Traducción automática de apertium" in opf
    text = "".join(v for k, v in files.items() if k.endswith(".xhtml"))
    ids = set(re.findall(r'\bid="([^"]+)"', text))
    targets = re.findall(r'href="(?:ch\d+\.xhtml)?#([^"]+)"', text)
    assert "shadow-fleet" in targets and "p14" in targets, "article → glossary and glossary → paragraph"
    assert set(targets) <= ids, f"broken links: {set(targets) - ids}"
    assert 'epub:type="glossary"' in text
    assert any(name.endswith(".png") for name in files), "a cover image"


def test_same_bytes_twice(built: Path, tmp_path: Path) -> None:
    first = build_epub(built / "docs", "en", SLUG, tmp_path / "a.epub", EPOCH)
    second = build_epub(built / "docs", "en", SLUG, tmp_path / "b.epub", EPOCH)
    assert first.read_bytes() == second.read_bytes()


def test_site_markdown_becomes_pandoc_markdown() -> None:
    page = (
        '# Title\n\nA [term](glossary.md#shadow-fleet "def").\n{: #p1 }\n\n'
        '## Term {#shadow-fleet}\n\nDefinition.\n{: .definition lang="en" }\n\n'
        "[¶1](slug.md#p1)"
    )
    assert pandoc_markdown(page, "slug") == (
        '# Title {#article}\n\n[]{#p1}A [term](#shadow-fleet "def").\n\n'
        "## Term {#shadow-fleet}\n\n::: {.definition lang=en}\nDefinition.\n:::\n\n[¶1](#p1)"
    )


@pytest.mark.parametrize(
    "lang, expected",
    [
        ("en", "2 February 2026"),
        ("uk", "2 лютого 2026 року"),
        ("de", "2. Februar 2026"),
        ("es", "2 de febrero de 2026"),
    ],
)
def test_dates_in_the_editions_language(lang: str, expected: str) -> None:
    import datetime as dt

    assert format_date(dt.date(2026, 2, 2), lang) == expected


@pytest.mark.parametrize("lang", ["en", "es"])
def test_pdf_embeds_its_fonts_and_declares_its_language(built: Path, lang: str, require, tmp_path: Path) -> None:
    import subprocess

    from tools.ebook import build_pdf

    require("pdffonts", "sudo apt-get install poppler-utils")
    pdf = build_pdf(built / "docs", lang, SLUG, tmp_path / f"{lang}.pdf")
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    assert fonts and all(" yes yes " in line for line in fonts), "every font embedded (and subset)"
    assert all("Libertinus" in line for line in fonts)
    assert f"/Lang({lang})".encode() in pdf.read_bytes()
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "Author:          Press editions" in info and "Title:" in info
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert re.search(r"¶14 \((p\.|S\.) \d+\)", text), "back-links give page numbers"
    time.sleep(1.1)  # a clock in the PDF would show now
    assert build_pdf(built / "docs", lang, SLUG, tmp_path / "again.pdf").read_bytes() == pdf.read_bytes()
    subprocess.run(["pdftoppm", "-r", "40", "-png", "-f", "1", "-l", "2", str(pdf), str(tmp_path / "page")], check=True)
    assert len(list(tmp_path.glob("page-*.png"))) == 2, "the first pages render (saved for a person to look at)"


def test_epubcheck_finds_what_is_wrong(built: Path, tmp_path: Path, require) -> None:
    require("java", "sudo apt-get install openjdk-17-jdk-headless")
    good = build_epub(built / "docs", "en", SLUG, tmp_path / "good.epub", EPOCH)
    broken = tmp_path / "broken.epub"
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(broken, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename.endswith("content.opf"):
                data = data.replace(b"<dc:language>en</dc:language>", b"")
            target.writestr(item, data)
    problems = epubcheck([good, broken])
    assert problems and all("broken.epub" in p for p in problems)
    assert any('missing required element "dc:language"' in p for p in problems)


def hand_written_page(docs: Path, body: str) -> str:
    """An edition page whose body is Markdown as given (not escaped by the toolkit): what pandoc must refuse."""
    from tools.markdown import front_matter

    meta = {"title": "Hand-written", "date": "2026-02-02", "source": "seeds/x.txt", "source_sha256": "0" * 64}
    (docs / "en").mkdir(parents=True, exist_ok=True)
    (docs / "en" / "hand-written.md").write_text(front_matter(meta) + body, encoding="utf-8")
    return "hand-written"


def test_pandoc_runs_sandboxed_and_a_warning_stops_the_book(tmp_path: Path) -> None:
    from tools.ebook import STYLESHEET, build_pdf
    from tools.errors import PressError

    docs = tmp_path / "docs"
    slug = hand_written_page(docs, "# Hand-written\n\nA clean page.\n")
    files = read(build_epub(docs, "en", slug, tmp_path / "clean.epub", EPOCH))
    assert files["EPUB/styles/stylesheet1.css"] == STYLESHEET.read_text(encoding="utf-8"), "our stylesheet"
    assert [name for name in files if name.startswith("EPUB/media/")] == ["EPUB/media/file0.png"], "the cover"
    assert not [name for name in files if name.startswith("EPUB/fonts/")], "the sandbox's copies are taken out"
    hand_written_page(docs, '# Hand-written\n\n![x](/etc/hostname) <img src="/etc/passwd">\n')
    for make in (
        lambda: build_epub(docs, "en", slug, tmp_path / "leak.epub", EPOCH),
        lambda: build_pdf(docs, "en", slug, tmp_path / "leak.pdf"),
    ):
        with pytest.raises(PressError) as error:
            make()
        assert "\n" not in str(error.value) and "/etc/" in str(error.value)
    assert not (tmp_path / "leak.epub").exists() and not (tmp_path / "leak.pdf").exists()


def test_a_typst_warning_stops_the_pdf(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tools import ebook
    from tools.errors import PressError

    template = tmp_path / "template.typ"
    template.write_text('#set text(font: "No Such Font")\n$body$\n', encoding="utf-8")
    monkeypatch.setattr(ebook, "PDF_TEMPLATE", template)
    slug = hand_written_page(tmp_path / "docs", "# Hand-written\n\nText.\n")
    with pytest.raises(PressError, match="typst warns: unknown font family: no such font"):
        ebook.build_pdf(tmp_path / "docs", "en", slug, tmp_path / "x.pdf")
