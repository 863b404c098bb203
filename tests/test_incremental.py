"""Incremental e-books: a build remakes only the books whose inputs changed, in a pool of worker processes,
with the same bytes as a serial build; the collected book comes in volumes by month; the site stores each
book once (hard links to dist/)."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from conftest import built_at, copy_of, project_with, require_command  # tests/ is on the path: helpers, not fixtures

import tools.build
import tools.publish.book
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
    real = tools.publish.book.compile_books

    def counting(jobs):
        names.extend(job[0].name for job in jobs)
        return real(jobs)

    monkeypatch.setattr(tools.publish.book, "compile_books", counting)  # press ebooks
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
