"""E-books as a reader and a validator see them, with three articles: a book per article and a collected
book per edition, epubcheck clean, titled by the articles, links that never leave the book, the metadata
a library reads, the provenance as a note, the same bytes twice."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
import shutil
import subprocess
import time
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest
from conftest import copy_project, require_command  # tests/ is on the path: helpers, not fixtures

from tools.build import build
from tools.config import read_settings
from tools.errors import PressError
from tools.layout import Layout
from tools.publish import book as writer
from tools.publish import pandoc
from tools.publish.book import COLLECTED, Book, build_epub, build_pdf, pandoc_book, write_epub
from tools.publish.bookjobs import rewrite_books
from tools.publish.model import ArticlePage, Paragraph, Text
from tools.publish.pandoc import epubcheck
from tools.publish.site import article_markdown
from tools.publish.store import read_edition
from tools.ui import format_date

pytestmark = pytest.mark.slow  # real pandoc, Typst and epubcheck on built books

SLUG = "policy-of-personal-diplomacy-that-donald-trump-has"
EPOCH = 1_770_000_000
VOLUME = f"{COLLECTED}-2026-02"  # the collected book of the edition comes in volumes by month
PUBLISHER, RIGHTS, SITE = "The Test Newsroom", "CC BY 4.0, the test newsroom", "https://news.example.net/"
# Two short articles beside the project's: each with a byline and one glossary term of its own.
SEEDS = {
    "001_shadow-fleet.txt": (
        " date 2026-02-09 Europe tightens the net around Russia's shadow fleet\nby: Olena Marchenko\n\n"
        "Baltic states began inspecting tankers that sail without clear insurance, a first step against the "
        "shadow fleet that carries Russian oil past the sanctions.\n\nThe inspections are slow, but they raise "
        "the cost of every voyage.\n"
    ),
    "002_arctic.txt": (
        " date 2026-02-05 Why the Northern Sea Route matters\nby: Daniel Weiss\n\n"
        "The Northern Sea Route is short only on the map. Ice, insurance and a lack of ports keep most ships "
        "away.\n\nMoscow still sells it as a prize.\n"
    ),
}
SLUGS = {
    "europe-tightens-the-net-around-russia-s-shadow": ("Olena Marchenko", {"shadow-fleet"}),
    "why-the-northern-sea-route-matters": ("Daniel Weiss", {"northern-sea-route"}),
}
NS = {"opf": "http://www.idpf.org/2007/opf", "dc": "http://purl.org/dc/elements/1.1/"}


def three_articles(root: Path) -> Path:
    """The project with two more short articles, and its publisher, rights and address set in mkdocs.yml."""
    copy_project(root)
    for name, text in SEEDS.items():
        (root / "seeds" / name).write_text(text, encoding="utf-8")
    config = (root / "mkdocs.yml").read_text(encoding="utf-8")
    config = re.sub(r"(?m)^  editions:\n(?:    .*\n)*", "", config)  # the test newsroom's lines in every edition
    config = re.sub(r"(?m)^  publisher: .*$", f"  publisher: {PUBLISHER}", config)
    config = re.sub(r"(?m)^  rights: .*$", f"  rights: {RIGHTS}", config)
    config = re.sub(r"(?m)^site_url: .*$", f"site_url: {SITE}", config)
    (root / "mkdocs.yml").write_text(config, encoding="utf-8")
    (root / "editions.yml").write_text("source_language: en\nlanguages: [es]\n", encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three articles in English and Spanish (Apertium), built once: pages, books, everything."""
    require_command("apertium", "sudo apt-get install apertium apertium-eng-spa")
    root = three_articles(tmp_path_factory.mktemp("three"))
    build(root)
    return root


def read(epub: Path) -> dict[str, str]:
    with zipfile.ZipFile(epub) as archive:
        return {name: archive.read(name).decode("utf-8", "replace") for name in archive.namelist()}


def opf(epub: Path) -> ElementTree.Element:
    return ElementTree.fromstring(read(epub)["EPUB/content.opf"])


def edition(root: Path, lang: str):
    """The edition's page models and glossary as the build saved them."""
    return read_edition(Layout(root).page_record(lang))


def books(root: Path, lang: str) -> dict[str, Path]:
    """The edition's EPUBs by name: each article's slug, and COLLECTED."""
    return {path.name.removesuffix(f".{lang}.epub"): path for path in sorted((root / "dist").glob(f"*.{lang}.epub"))}


def test_every_book_of_every_edition_is_valid(built: Path) -> None:
    require_command("java", "sudo apt-get install openjdk-17-jdk-headless")
    epubs = sorted((built / "dist").glob("*.epub"))
    names = {p.name for p in epubs}
    assert names == {f"{name}.{lang}.epub" for name in [SLUG, *SLUGS, VOLUME] for lang in ("en", "es")}
    assert epubcheck(epubs) == [], "0 errors and 0 warnings in every book"
    for lang in ("en", "es"):
        assert {p.name for p in (built / "docs" / lang / "downloads").iterdir()} >= {
            f"{VOLUME}.{lang}.epub",
            f"{VOLUME}.{lang}.pdf",
        }


@pytest.mark.parametrize("lang", ["en", "es"])
def test_links_never_leave_the_book_and_the_glossary_holds_its_own_terms(built: Path, lang: str) -> None:
    pages, _ = edition(built, lang)
    own = {page.slug: set(page.terms or ()) for page in pages}
    for name, epub in books(built, lang).items():
        files = read(epub)
        text = files["EPUB/text/ch001.xhtml"]
        ids = set(re.findall(r'\bid="([^"]+)"', text))
        hrefs = re.findall(r'<a [^>]*href="([^"]+)"', text)
        assert hrefs and all(re.fullmatch(r"(ch001\.xhtml)?#[^#]+", href) for href in hrefs), name
        assert {href.split("#")[1] for href in hrefs} <= ids, f"{name}: broken links"
        terms = set(re.findall(r'<section id="([a-z0-9-]+)" class="level3', text))
        if name == VOLUME:
            assert terms == set().union(*own.values()), "one glossary for all the articles"
        else:
            assert terms == own[name] == SLUGS.get(name, (None, own[name]))[1], "only the article's own terms"
    collected = read(books(built, lang)[VOLUME])["EPUB/text/ch001.xhtml"]
    fleet = collected.split('<section id="shadow-fleet"')[1].split("</section>")[0]
    assert "#p1_europe-tightens-the-net-around-russia-s-shadow" in fleet, "back-links by article"
    assert re.search(rf"#p\d+_{SLUG}\"", fleet), "and to the other article where the term occurs"


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_reading_system_names_the_articles(built: Path, lang: str) -> None:
    pages, _ = edition(built, lang)
    titles = {page.slug: page.title for page in pages}
    for name, epub in books(built, lang).items():
        files = read(epub)
        assert "ch001.xhtml</title>" not in "".join(files.values()), "no file name as a title"
        nav = re.findall(r"<a href=\"text/ch001\.xhtml#article_([^\"]+)\">([^<]+)</a>", files["EPUB/nav.xhtml"])
        expected = list(titles) if name == VOLUME else [name]
        assert sorted(slug for slug, _ in nav) == sorted(expected)
        assert all(titles[slug] == re.sub("&amp;", "&", shown) for slug, shown in nav)
    collected = read(books(built, lang)[VOLUME])["EPUB/nav.xhtml"]
    order = re.findall(r"#article_([^\"]+)\"", collected)
    assert order == ["europe-tightens-the-net-around-russia-s-shadow", "why-the-northern-sea-route-matters", SLUG]


@pytest.mark.parametrize("lang", ["en", "es"])
def test_metadata_says_who_wrote_translated_and_published_it(built: Path, lang: str) -> None:
    book = books(built, lang)["europe-tightens-the-net-around-russia-s-shadow"]
    package = opf(book)
    meta = package.find("opf:metadata", NS)
    assert meta is not None
    values = {child.tag.split("}")[1]: (child.text or "") for child in meta if child.tag.startswith("{" + NS["dc"])}
    assert values["creator"] == "Olena Marchenko" and values["publisher"] == PUBLISHER and values["rights"] == RIGHTS
    roles = {m.text for m in meta.findall("opf:meta[@property='role']", NS)}
    properties = {m.get("property"): m.text for m in meta.findall("opf:meta", NS)}
    assert len(properties["schema:accessibilitySummary"] or "") > 20, "the summary pandoc used to drop"
    features = [m.text for m in meta.findall("opf:meta[@property='schema:accessibilityFeature']", NS)]
    assert "alternativeText" in features
    cover = read(book)["EPUB/text/cover.xhtml"]
    alt = re.search(r'<svg [^>]*role="img" aria-labelledby="cover-alt">\s*<title id="cover-alt">([^<]+)</title>', cover)
    assert alt and "Europ" in alt.group(1), "the cover's text alternative is in the file"
    if lang == "es":
        assert roles == {"aut", "trl"} and values["contributor"].startswith("apertium (eng-spa")
        assert values["source"] == f"{SITE}europe-tightens-the-net-around-russia-s-shadow/", "the original"
    else:
        assert roles == {"aut"} and "contributor" not in values and "source" not in values


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_provenance_is_a_note_and_no_path_is_shown(built: Path, lang: str, tmp_path: Path) -> None:
    require_command("pdftotext", "sudo apt-get install poppler-utils")
    epub = read(books(built, lang)[SLUG])
    body = epub["EPUB/text/ch001.xhtml"]
    notes = re.findall(r'<div class="note">\s*<p>(.+?)</p>', body)
    pdf = built / "dist" / f"{SLUG}.{lang}.pdf"
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    shown = "".join(epub.values()) + text
    assert "seeds/" not in shown and ".txt" not in shown, "no file path is shown to a reader"
    if lang == "en":
        assert notes == []
        return
    assert len(notes) == 1 and notes[0].startswith(
        'Traducción automática, aún sin revisar. Original (inglés): <span lang="en"'
    )
    pages, _ = edition(built, lang)
    page = next(p for p in pages if p.slug == SLUG)
    source = pandoc_book(dataclasses.replace(_book(built, lang, SLUG), articles=(page,)))
    assert "```{=typst}\n#note[\n```" in source, "a styled block in the PDF, set by the template's note()"
    lines = [line.strip() for line in text.splitlines()]
    start = next(i for i, line in enumerate(lines) if line.startswith("Traducción automática"))
    first_words = " ".join(page.paragraphs[0].pieces[0].text.split()[:3])
    assert not any(first_words in line for line in lines[start : start + 2]), "the note is not run into ¶1"


def _book(root: Path, lang: str, slug: str):
    pages, glossary = edition(root, lang)
    return Book(lang, slug, tuple(p for p in pages if p.slug == slug), glossary, read_settings(root))


def test_the_saved_model_is_the_one_each_page_was_written_from(built: Path) -> None:
    for lang in ("en", "es"):
        pages, _ = edition(built, lang)
        assert {page.path for page in pages} == {
            f"{lang}/{path.name}"
            for path in (built / "docs" / lang).glob("*.md")
            if "source_sha256" in path.read_text()
        }
        for page in pages:
            assert article_markdown(page) == (built / "docs" / page.path).read_text(encoding="utf-8"), "nothing lost"


def test_press_ebooks_makes_the_same_books_from_the_saved_models(built: Path, tmp_path: Path) -> None:
    project = Path(shutil.copytree(built, tmp_path / "project", ignore=shutil.ignore_patterns("site")))
    shutil.rmtree(project / "dist")
    made = rewrite_books(project, EPOCH)
    assert {p.name for p in made} == {p.name for p in (built / "dist").iterdir() if not p.name.startswith(".")}
    # the build's books, and press ebooks's, from the same models: the same text (the EPUB's date is each run's)
    ours, builds = read(project / "dist" / f"{SLUG}.es.epub"), read(built / "dist" / f"{SLUG}.es.epub")
    assert ours.keys() == builds.keys() and all(ours[n] == builds[n] for n in ours if n != "EPUB/content.opf")
    assert (project / "dist" / f"{SLUG}.es.pdf").read_bytes() == (built / "dist" / f"{SLUG}.es.pdf").read_bytes()
    again = build_epub(project, "es", SLUG, tmp_path / "again.epub", EPOCH)
    assert again.read_bytes() == (project / "dist" / f"{SLUG}.es.epub").read_bytes(), "same bytes twice"


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
    assert format_date(dt.date(2026, 2, 2), lang) == expected


@pytest.mark.parametrize("lang", ["en", "es"])
def test_pdf_embeds_its_fonts_and_declares_its_language(built: Path, lang: str, tmp_path: Path) -> None:
    require_command("pdffonts", "sudo apt-get install poppler-utils")
    for pdf in (built / "dist" / f"{SLUG}.{lang}.pdf", built / "dist" / f"{VOLUME}.{lang}.pdf"):
        fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
        rows = fonts.splitlines()[2:]
        assert rows and all(" yes yes " in line and "Libertinus" in line for line in rows), "every font embedded"
        assert f"/Lang({lang})".encode() in pdf.read_bytes()
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
        assert "Title:" in info
    collected = built / "dist" / f"{VOLUME}.{lang}.pdf"
    text = subprocess.run(["pdftotext", str(collected), "-"], capture_output=True, text=True, check=True).stdout
    assert re.search(r"¶14 \((p\.|S\.) \d+\)", text), "back-links give page numbers"
    pdf = build_pdf(built, lang, SLUG, tmp_path / "a.pdf")
    time.sleep(1.1)  # a clock in the PDF would show now
    assert build_pdf(built, lang, SLUG, tmp_path / "b.pdf").read_bytes() == pdf.read_bytes()
    subprocess.run(
        ["pdftoppm", "-r", "40", "-png", "-f", "1", "-l", "2", str(collected), str(tmp_path / "page")], check=True
    )
    assert len(list(tmp_path.glob("page-*.png"))) == 2, "the first pages render (saved for a person to look at)"


def test_epubcheck_finds_what_is_wrong(built: Path, tmp_path: Path) -> None:
    require_command("java", "sudo apt-get install openjdk-17-jdk-headless")
    good = books(built, "en")[VOLUME]
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


def hand_written(root: Path, monkeypatch: pytest.MonkeyPatch, body: str) -> Book:
    """A book whose pandoc Markdown is as given (not written by the toolkit's writer): what pandoc must refuse."""
    monkeypatch.setattr(writer, "pandoc_book", lambda book: body)
    page = ArticlePage(
        lang="en",
        source_language="en",
        id="hand-written",
        slug="hand-written",
        title="Hand-written",
        original_title="Hand-written",
        date=dt.date(2026, 2, 2),
        by="",
        standfirst="",
        words=2,
        paragraphs=(Paragraph(1, (Text("Text."),)),),
        source="seeds/hand-written.txt",
        sha256="0" * 64,
    )
    return Book("en", page.slug, (page,), None, read_settings(root))


def test_pandoc_runs_sandboxed_and_a_warning_stops_the_book(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    book = hand_written(tmp_path, monkeypatch, "# Hand-written\n\nA clean page.\n")
    files = read(write_epub(book, tmp_path / "clean.epub", EPOCH))
    assert files["EPUB/styles/stylesheet1.css"] == pandoc.STYLESHEET.read_text(encoding="utf-8"), "our stylesheet"
    assert [name for name in files if name.startswith("EPUB/media/")] == ["EPUB/media/file0.png"], "the cover"
    assert not [name for name in files if name.startswith("EPUB/fonts/")], "the sandbox's copies are taken out"
    book = hand_written(tmp_path, monkeypatch, '# Hand-written\n\n![x](/etc/hostname) <img src="/etc/passwd">\n')
    for make in (
        lambda: write_epub(book, tmp_path / "leak.epub", EPOCH),
        lambda: writer.write_pdf(book, tmp_path / "leak.pdf"),
    ):
        with pytest.raises(PressError) as error:
            make()
        assert "\n" not in str(error.value) and "/etc/" in str(error.value)
    assert not (tmp_path / "leak.epub").exists() and not (tmp_path / "leak.pdf").exists()


def test_a_typst_warning_stops_the_pdf(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    template = tmp_path / "template.typ"
    blocks = "#let dateline(body) = body\n#let note(body) = body\n"  # the template's functions the body calls
    template.write_text(blocks + '#set text(font: "No Such Font")\n$body$\n', encoding="utf-8")
    monkeypatch.setattr(pandoc, "PDF_TEMPLATE", template)
    book = hand_written(tmp_path, monkeypatch, "# Hand-written\n\nText.\n")
    with pytest.raises(PressError, match="typst warns: unknown font family: no such font"):
        writer.write_pdf(book, tmp_path / "x.pdf")


def test_an_epub_is_written_from_the_model_not_from_disk(built: Path, tmp_path: Path) -> None:
    """The build's books and a book written from the models read back are one: the writer takes models."""
    book = _book(built, "es", SLUG)
    target = write_epub(book, tmp_path / "model.epub", EPOCH)
    assert read(target)["EPUB/text/ch001.xhtml"] == read(books(built, "es")[SLUG])["EPUB/text/ch001.xhtml"]


@pytest.mark.parametrize(
    "change",
    [
        lambda entries: entries["glossary:"]["entries"][0].pop("heading"),
        lambda entries: entries["glossary:"]["entries"].append(3),
        lambda entries: next(e for e in entries.values() if "page" in e)["page"].update(date="x2026"),
        lambda entries: next(e for e in entries.values() if "page" in e)["page"]["paragraphs"][0][1].append(["b", 1]),
    ],
)
def test_a_record_out_of_shape_is_one_line_for_press_ebooks(built: Path, tmp_path: Path, change) -> None:
    project = Path(shutil.copytree(built, tmp_path / "project", ignore=shutil.ignore_patterns("site", "dist")))
    path = Layout(project).page_record("en")
    record = json.loads(path.read_text(encoding="utf-8"))
    change(record["entries"])
    path.write_text(json.dumps(record), encoding="utf-8")
    with pytest.raises(PressError, match="the record of the pages does not read back") as error:
        rewrite_books(project, EPOCH)
    assert str(path) in str(error.value) and "\n" not in str(error.value)


def test_pages_without_their_record_are_one_line_for_press_ebooks(built: Path, tmp_path: Path) -> None:
    project = Path(shutil.copytree(built, tmp_path / "project", ignore=shutil.ignore_patterns("site", "dist")))
    Layout(project).page_record("es").unlink()
    with pytest.raises(PressError, match="the record of the pages is missing.*run press build") as error:
        rewrite_books(project, EPOCH)
    assert "\n" not in str(error.value)
