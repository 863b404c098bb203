"""Incremental e-books: a build remakes only the books whose inputs changed, in a pool of worker processes,
with the same bytes as a serial build; the collected book comes in volumes by month; the site stores each
book once (hard links to dist/)."""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import pytest
from conftest import built_at, copy_of, project_with, require_command  # tests/ is on the path: helpers, not fixtures

import tools.build
import tools.publish.bookjobs
import tools.publish.pandoc
from tools.build import build
from tools.buildcache import manifest_path, read_manifest
from tools.layout import Layout
from tools.publish.book import COLLECTED
from tools.publish.pandoc import epubcheck
from tools.publish.store import read_edition
from tools.sitebuild import build_site

pytestmark = pytest.mark.slow  # builds and rebuilds projects

EPOCH = 1_770_000_000
# Three short articles in two months; each names a glossary term of its own.
SEEDS = {
    "001_shadow-fleet.txt": (
        " date 2026-02-09 Europe tightens the net around Russia's shadow fleet\nby: Olena Marchenko\n\n"
        "Baltic states began inspecting tankers of the shadow fleet that carries Russian oil.\n"
    ),
    "002_arctic.txt": (
        " date 2026-02-05 Why the Northern Sea Route matters\nby: Daniel Weiss\n\n"
        "The Northern Sea Route is short only on the map.\n"
    ),
    "003_january.txt": (
        " date 2026-01-20 A quiet January on the Baltic\nby: Daniel Weiss\n\n"
        "Tankers of the shadow fleet waited in port for the ice to clear.\n"
    ),
}
FLEET, ARCTIC, JANUARY = (
    "europe-tightens-the-net-around-russia-s-shadow",
    "why-the-northern-sea-route-matters",
    "quiet-january-on-the-baltic",
)
VOLUMES = {f"{COLLECTED}-2026-02": {FLEET, ARCTIC}, f"{COLLECTED}-2026-01": {JANUARY}}


def three_articles(root: Path) -> Path:
    """The project's term base and settings with only the three short articles, English only."""
    return project_with(root, SEEDS, "source_language: en\nlanguages: []\n")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The three articles built once (books compiled in the pool)."""
    return built_at(three_articles(tmp_path_factory.mktemp("three")), EPOCH)


@pytest.fixture
def project(built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the built project (outputs and manifests too) for a test to change."""
    return copy_of(built, tmp_path / "project", monkeypatch, EPOCH)


@pytest.fixture
def compiled(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the books handed to pandoc and Typst (recorded where they are compiled)."""
    names: list[str] = []
    real = tools.publish.bookjobs.compile_books

    def counting(jobs, meanwhile=None, started=None):
        names.extend(job[0].name for job in jobs)
        return real(jobs, meanwhile, started)

    monkeypatch.setattr(tools.publish.bookjobs, "compile_books", counting)  # press ebooks
    monkeypatch.setattr(tools.build, "compile_books", counting)  # press build: every edition's at once
    return names


def books(root: Path) -> dict[str, tuple[int, int, bytes]]:
    """Every file of dist/: (inode, mtime, bytes)."""
    return {p.name: (p.stat().st_ino, p.stat().st_mtime_ns, p.read_bytes()) for p in (root / "dist").iterdir()}


def edit(root: Path, seed: str, old: str, new: str) -> None:
    path = root / "seeds" / seed
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")


def test_a_no_op_build_starts_neither_pandoc_nor_typst(
    project: Path, compiled: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    before = books(project)

    def refuse(*args, **kwargs):
        raise AssertionError("pandoc or Typst ran in a build that changes nothing")

    monkeypatch.setattr(tools.publish.pandoc, "run_pandoc", refuse)
    monkeypatch.setattr(tools.publish.pandoc, "compile_typst", refuse)
    result = build(project)
    assert compiled == [], "no book was compiled"
    assert books(project) == before, "every book and manifest in place, inode, mtime and bytes"
    assert not [p for p in result.written if p.parent.name in ("dist", "downloads")]


def test_an_edit_rebuilds_that_article_and_its_volume_only(project: Path, compiled: list[str]) -> None:
    before = books(project)
    edit(project, "002_arctic.txt", "on the map", "on a map")
    build(project)
    assert sorted(compiled) == sorted([f"{COLLECTED}-2026-02", ARCTIC])
    after = books(project)
    changed = {name for name in after if after[name] != before.get(name)}
    assert changed == {f"{ARCTIC}.en.epub", f"{ARCTIC}.en.pdf", f"{COLLECTED}-2026-02.en.epub"} | {
        f"{COLLECTED}-2026-02.en.pdf",
        manifest_path(project / "dist", "en").name,
    }
    again = books(project)
    build(project)
    assert books(project) == again and len(compiled) == 2, "and the build after it is a no-op again"


def test_a_book_kept_in_place_keeps_its_download_and_a_replaced_download_is_linked_again(
    project: Path, compiled: list[str]
) -> None:
    """A book the build keeps in the live dist/ (its inputs unchanged) is not staged: its download in docs/ stays as
    it is (here a copy: the project was copied); a download someone replaced with other bytes is the book again,
    and one removed comes back; the downloads page lists every book."""
    downloads = project / "docs" / "en" / "downloads"
    january = f"{JANUARY}.en.pdf"
    (downloads / january).unlink()
    (downloads / january).write_bytes(b"not the book")  # another file in its place
    (downloads / f"{JANUARY}.en.epub").unlink()
    edit(project, "002_arctic.txt", "on the map", "on a map")
    result = build(project)
    assert sorted(compiled) == sorted([f"{COLLECTED}-2026-02", ARCTIC])
    dist = project / "dist"
    for name in (f"{FLEET}.en.pdf", f"{ARCTIC}.en.pdf", january, f"{JANUARY}.en.epub"):
        assert (downloads / name).read_bytes() == (dist / name).read_bytes(), name
    for name in (f"{ARCTIC}.en.pdf", january, f"{JANUARY}.en.epub"):  # made again, or put back
        assert (downloads / name).samefile(dist / name), name
    assert dist / f"{FLEET}.en.pdf" in result.unchanged and downloads / january in result.written
    page = (project / "docs" / "en" / "downloads.md").read_text(encoding="utf-8")
    assert all(f"(downloads/{name})" in page for name in (january, f"{FLEET}.en.epub", f"{ARCTIC}.en.pdf"))
    again = books(project)
    build(project)
    assert books(project) == again and len(compiled) == 2, "and the build after it is a no-op again"


def test_the_derived_epoch_moving_with_an_edit_remakes_no_other_book(
    project: Path, compiled: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without SOURCE_DATE_EPOCH the books carry the newest source's time, which every edit moves: it is
    no input of the books' keys, or an edit of one article would remake every book."""
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    build(project)
    compiled.clear()
    edit(project, "002_arctic.txt", "on the map", "on a map")
    build(project)
    assert sorted(compiled) == sorted([f"{COLLECTED}-2026-02", ARCTIC])


def test_the_collected_book_comes_in_volumes_by_month(built: Path) -> None:
    require_command("java", "sudo apt-get install openjdk-17-jdk-headless")
    dist = built / "dist"
    volumes = sorted(dist.glob(f"{COLLECTED}*.epub"))
    assert [p.name for p in volumes] == [f"{name}.en.epub" for name in sorted(VOLUMES)]
    pages = {page.slug: page for page in read_edition(Layout(built).page_record("en"))[0]}
    for epub in volumes:
        with zipfile.ZipFile(epub) as archive:
            nav = archive.read("EPUB/nav.xhtml").decode("utf-8")
            text = archive.read("EPUB/text/ch001.xhtml").decode("utf-8")
        own = VOLUMES[epub.name.removesuffix(".en.epub")]
        assert set(re.findall(r"#article_([a-z0-9-]+)\"", nav)) == own, "a volume holds its month's articles"
        terms = set(re.findall(r'<section id="([a-z0-9-]+)" class="level3', text))
        assert terms == {term for slug in own for term in pages[slug].terms or ()}, "and their glossary entries"
    assert epubcheck(sorted(dist.glob("*.epub"))) == [], "every book and volume epubcheck-clean"
    assert set(read_manifest(manifest_path(dist, "en"))) == {p.name for p in dist.glob("*.*") if p.suffix != ".json"}
    downloads = (built / "docs" / "en" / "downloads.md").read_text(encoding="utf-8")
    assert downloads.index(f"{COLLECTED}-2026-02.en.epub") < downloads.index(f"{COLLECTED}-2026-01.en.epub")


def test_the_site_stores_each_book_once(built: Path) -> None:
    build_site(Layout(built))
    dist = built / "dist"
    served = [p for p in sorted((built / "site").glob("**/downloads/*")) if p.suffix in (".epub", ".pdf")]
    assert {p.name for p in served} == {p.name for p in dist.iterdir() if p.suffix in (".epub", ".pdf")}
    for copy in served:
        assert copy.stat().st_ino == (dist / copy.name).stat().st_ino, f"{copy} is a hard link to dist/"
    for download in (built / "docs" / "en" / "downloads").iterdir():
        assert download.stat().st_ino == (dist / download.name).stat().st_ino, "and so are the docs' downloads"


# --- listing pages: rendered only when what they list changed ------------------------------------------------

PLACES = ("Riga", "Tallinn", "Gdansk", "Kiel", "Helsinki", "Turku", "Klaipeda", "Rostock", "Malmo", "Oslo")


def thirty_articles() -> dict[str, str]:
    """Thirty short articles over three months; every one names the shadow fleet (its term page lists them all),
    every third the Anchorage formula."""
    seeds = {}
    for n in range(1, 31):
        place, month, day = PLACES[n % len(PLACES)], 1 + n % 3, 1 + n % 27
        extra = " The talks returned to the Anchorage formula." if n % 3 == 0 else ""
        seeds[f"{n:03d}_report.txt"] = (
            f" date 2026-0{month}-{day:02d} Report {n} from the port of {place}\nby: Daniel Weiss\n\n"
            f"Tankers of the shadow fleet waited near {place} for a week.{extra}\n\n"
            f"The inspectors in {place} counted {n + 3} ships in the harbour.\n"
        )
    return seeds


def docs_and_dist(root: Path) -> dict[str, bytes]:
    """Every file under docs/ and dist/, by path."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for d in ("docs", "dist")
        for p in (root / d).rglob("*")
        if p.is_file()
    }


def full_build_of(root: Path, target: Path) -> Path:
    """The same tree (seeds, term base, settings, memories) built from nothing: no outputs, no records."""
    shutil.copytree(root, target, symlinks=True)
    for generated in ("docs", "dist", ".press", "mkdocs.site.yml"):
        path = target / generated
        shutil.rmtree(path) if path.is_dir() else path.unlink(missing_ok=True)
    build(target)
    return target


@pytest.fixture(scope="module")
def thirty(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Thirty articles built in English and Spanish (Apertium): two front pages, three months, term pages."""
    require_command("apertium", "make deps (apt-get install apertium apertium-eng-spa)")
    root = project_with(tmp_path_factory.mktemp("thirty"), thirty_articles(), SPANISH)
    return built_at(root, EPOCH)


@pytest.fixture
def listed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The listings the build renders: 'front' (front pages and archive), 'glossary', 'terms' (a term's pages)."""
    names: list[str] = []
    for name, function in (("front", "front_pages"), ("glossary", "glossary_markdown"), ("terms", "term_pages")):
        real = getattr(tools.build, function)

        def rendering(*args, name=name, real=real):
            names.append(name)
            return real(*args)

        monkeypatch.setattr(tools.build, function, rendering)
    return names


SPANISH = "source_language: en\nlanguages: [es]\nengines:\n  es: [apertium]\n"
EDITS = {  # seed, old text, new text: what a newsroom changes, and what each changes in the listings
    "a sentence": ("007_report.txt", "ships in the harbour", "ships in the old harbour"),
    "the standfirst": ("008_report.txt", "for a week.", "for a whole week."),
    "a title": ("011_report.txt", "Report 11 from the port", "Report 11 from the old port"),
    "a date, to another month": ("012_report.txt", "2026-01-13", "2026-02-13"),
    "a term, dropped": ("014_report.txt", "Tankers of the shadow fleet", "Tankers"),
    "a term, added": ("016_report.txt", "counted 19 ships", "counted 19 ships under the Anchorage formula"),
    "an article, removed": ("019_report.txt", "", None),
}


@pytest.mark.parametrize("change", list(EDITS))
def test_an_edit_builds_what_a_full_build_does(
    thirty: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, change: str
) -> None:
    """After any edit the incremental build's docs/ and dist/ are byte for byte a full build's of the same tree."""
    project = copy_of(thirty, tmp_path / "project", monkeypatch, EPOCH)
    seed, old, new = EDITS[change]
    assert old in (project / "seeds" / seed).read_text(encoding="utf-8")
    if new is None:
        (project / "seeds" / seed).unlink()
    else:
        edit(project, seed, old, new)
    build(project)
    assert docs_and_dist(project) == docs_and_dist(full_build_of(project, tmp_path / "full"))


def test_a_sentence_edit_renders_no_listing(
    thirty: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, listed: list[str]
) -> None:
    """What the front pages, the archive, the glossary and the term pages list did not change: none is rendered,
    the live pages stay (mtime too); a title edited renders the front pages and the term pages that list it."""
    project = copy_of(thirty, tmp_path / "project", monkeypatch, EPOCH)
    layout = Layout(project)
    lists = [
        p
        for p in layout.docs.rglob("*.md")
        if p.parent.name in ("page", "archive", "shadow-fleet") or p.name in ("index.md", "glossary.md")
    ]
    assert any("terms" in p.parts for p in lists) and any("page" in p.parts for p in lists)
    stamps = {p: p.stat().st_mtime_ns for p in lists}
    edit(project, *EDITS["a sentence"])
    build(project)
    assert listed == []
    assert {p: p.stat().st_mtime_ns for p in lists} == stamps
    edit(project, *EDITS["a title"])
    build(project)
    assert sorted(set(listed)) == ["front", "glossary", "terms"]
    assert "Report 11 from the old port" in (layout.docs / "en" / "terms" / "shadow-fleet" / "index.md").read_text(
        encoding="utf-8"
    )
