"""The build's record of each article's page (``.press/cache/``): an unchanged article is neither translated
nor rendered again, while every input of its page still counts (its seed, its memory, the term base, the
code) and nothing the record says is trusted when the file it describes changed or the record is damaged.

A real build of three short articles, English and Spanish through Apertium."""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import json
import os
import re
import shutil
import sqlite3
from collections import Counter
from pathlib import Path

import polib
import pytest
from conftest import built_at, copy_of, project_with, require_command  # tests/ is on the path: helpers, not fixtures
from fakes import record_memory_loads

import tools.build
import tools.buildcache
import tools.dates
import tools.fsutil
import tools.ingest
import tools.langid
import tools.layout
import tools.publish.book
import tools.quantities
import tools.translate
from tools.build import build
from tools.buildcache import manifest_path, read_manifest
from tools.diagnostics import WARNING, Diagnostic
from tools.glossary.termbase import load_termbase
from tools.layout import Layout
from tools.publish.model import ArticlePage, GlossaryPage, Paragraph, Span, TermRef, Text
from tools.publish.store import glossary_from_record, glossary_record, page_from_record, page_record
from tools.qa import check_edition

pytestmark = pytest.mark.slow  # each test builds a project

EPOCH = 1_770_000_000
SEEDS = {
    "001_fleet.txt": " date 2026-02-09 Europe tightens the net\nby: Olena Marchenko\n\n"
    "Baltic states began inspecting tankers of the shadow fleet.\n\nThe ships carry Russian oil.\n",
    "002_route.txt": " date 2026-02-05 Why the sea route matters\nby: Daniel Weiss\n\n"
    "The Northern Sea Route is short only on the map.\n",
    "003_ice.txt": " date 2026-01-20 A quiet January\nby: Daniel Weiss\n\n"
    "Tankers waited in port for the ice to clear.\n",
}
SPANISH = "source_language: en\nlanguages: [es]\nengines:\n  es: [apertium]\n"
ALL = {(a, lang) for a in ("001_fleet", "002_route", "003_ice") for lang in ("en", "es")}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    require_command("apertium", "make deps (apt-get install apertium apertium-eng-spa)")
    return built_at(project_with(tmp_path_factory.mktemp("record"), SEEDS, SPANISH), EPOCH)


@pytest.fixture
def project(built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return copy_of(built, tmp_path / "project", monkeypatch, EPOCH)


@pytest.fixture
def work(monkeypatch: pytest.MonkeyPatch) -> dict[str, Counter]:
    """What the build does per article: translation lookups (by id), renderings (by id and language)."""
    done: dict[str, Counter] = {"translated": Counter(), "rendered": Counter(), "identified": Counter()}
    translate, render, identify = tools.build.translate_article, tools.build.render_article, tools.langid.identify

    def translating(article, *args, **kwargs):
        done["translated"][article.id] += 1
        return translate(article, *args, **kwargs)

    def rendering(article, lang, *args, **kwargs):
        done["rendered"][(article.id, lang)] += 1
        return render(article, lang, *args, **kwargs)

    def identifying(text):
        done["identified"][text[:20]] += 1
        return identify(text)

    monkeypatch.setattr(tools.build, "translate_article", translating)
    monkeypatch.setattr(tools.build, "render_article", rendering)
    monkeypatch.setattr(tools.langid, "identify", identifying)
    return done


def outputs(root: Path) -> dict[str, bytes]:
    """Every generated page and book, by path."""
    layout = Layout(root)
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in layout.generated()}


def edit(root: Path, seed: str, old: str, new: str) -> None:
    path = root / "seeds" / seed
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")


def page(root: Path, lang: str, slug: str) -> str:
    return (root / "docs" / lang / f"{slug}.md").read_text(encoding="utf-8")


def test_a_touched_seed_is_neither_translated_nor_rendered_again(project: Path, work: dict[str, Counter]) -> None:
    before = outputs(project)
    os.utime(project / "seeds" / "002_route.txt")  # newer, same bytes: the build runs, and finds nothing to do
    build(project)
    assert not work["translated"] and not work["rendered"] and not work["identified"]
    assert outputs(project) == before


def test_an_edited_sentence_is_translated_and_rendered_in_that_article_only(
    project: Path, work: dict[str, Counter]
) -> None:
    before = outputs(project)
    edit(project, "002_route.txt", "on the map", "on the old map")
    build(project)
    assert set(work["translated"]) == {"002_route"}
    assert set(work["rendered"]) == {("002_route", "en"), ("002_route", "es")}
    assert len(work["identified"]) == 1, "only the edited seed's language is checked again"
    assert "old map" in page(project, "en", "why-the-sea-route-matters")
    assert "viejo" in page(project, "es", "why-the-sea-route-matters"), "the new sentence, translated"
    after = outputs(project)
    changed = {name for name in after if after[name] != before.get(name)}
    assert not any(slug in name for name in changed for slug in ("europe-tightens", "quiet-january")), changed


def test_a_post_edit_in_the_memory_reaches_the_page(project: Path, work: dict[str, Counter]) -> None:
    """The memory's bytes are an input of the page: a translator's edit is published, not the recorded page."""
    path = project / "translations" / "es" / "003_ice.po"
    po = polib.pofile(str(path), wrapwidth=0)
    entry = next(e for e in po if e.msgid.startswith("Tankers waited"))
    entry.msgstr = "Los petroleros esperaron en el puerto a que el hielo se retirara."
    entry.flags = [f for f in entry.flags if f != "fuzzy"]
    po.save(str(path))
    build(project)
    assert "a que el hielo se retirara" in page(project, "es", "quiet-january")
    assert set(work["rendered"]) == {("003_ice", "es")}


def test_a_term_base_edit_renders_every_page_again(project: Path, work: dict[str, Counter]) -> None:
    terms = project / "glossary" / "terms.yml"
    text = terms.read_text(encoding="utf-8")
    terms.write_text(text.replace("definition: Tankers with", "definition: Plainly, tankers with", 1), encoding="utf-8")
    build(project)
    assert set(work["rendered"]) == ALL
    assert "Plainly" in page(project, "en", "europe-tightens-the-net"), "the new definition, in the term's link"


def test_a_hand_edited_page_is_written_again(project: Path, work: dict[str, Counter]) -> None:
    """The record links a live page only while its bytes are the ones it recorded."""
    path = project / "docs" / "es" / "quiet-january.md"
    written = path.read_text(encoding="utf-8")
    path.write_text(written.replace("petroleros", "PETROLEROS"), encoding="utf-8")
    build(project)
    assert path.read_text(encoding="utf-8") == written
    assert not work["rendered"], "the page model was still good: only its text was written again"


@pytest.fixture
def compared(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The live outputs the swap reads to compare with the staged ones (by name)."""
    names: list[str] = []
    real = tools.layout.same_bytes

    def comparing(staged: Path, live: Path) -> bool:
        names.append(live.name)
        return real(staged, live)

    monkeypatch.setattr(tools.layout, "same_bytes", comparing)
    return names


def test_the_swap_compares_by_the_record(project: Path, compared: list[str]) -> None:
    """A build that changes nothing reads no live page: each is as the last build recorded it (size, mtime,
    sha256 of the text it wrote), so the stage holds links to them and the swap moves nothing. (The books' files
    are hard links the test's copy of the project broke apart, and the books' manifest is written: those it reads.)"""
    before = outputs(project)
    stamps = {p: p.stat().st_mtime_ns for p in Layout(project).generated()}
    os.utime(project / "seeds" / "002_route.txt")
    build(project)
    assert [name for name in compared if name.endswith((".md", ".yml"))] == [], "no page, no site config is read"
    assert outputs(project) == before
    assert {p: p.stat().st_mtime_ns for p in Layout(project).generated()} == stamps, "nothing written again"


@pytest.mark.parametrize("name", ["index.md", "glossary.md", "quiet-january.md"])
def test_a_page_edited_by_hand_to_the_same_size_is_written_again(project: Path, compared: list[str], name: str) -> None:
    """The record is trusted only for a file as it recorded it: an edit of the same size, at another time, is
    read, found different and written again, however the record's sha256 reads."""
    path = project / "docs" / "es" / name
    written = path.read_text(encoding="utf-8")
    swapped = written.replace("a", "4", 1)
    assert swapped != written and len(swapped.encode()) == len(written.encode())
    mtime = path.stat().st_mtime_ns
    path.write_text(swapped, encoding="utf-8")
    os.utime(path, ns=(mtime + 1_000_000_000, mtime + 1_000_000_000))
    build(project)
    assert path.read_text(encoding="utf-8") == written
    assert name in compared or name == "quiet-january.md", "an article page is read by the record of its text"


@pytest.mark.parametrize("damage", ["not json", '{"version": 1, "entries": {"001_fleet": {"key": 3}}}', ""])
def test_a_damaged_record_is_not_trusted(project: Path, work: dict[str, Counter], damage: str) -> None:
    before = outputs(project)
    for record in Layout(project).cache.glob("*.json"):
        record.write_text(damage, encoding="utf-8")
    os.utime(project / "seeds" / "001_fleet.txt")
    build(project)
    assert set(work["rendered"]) == ALL and len(work["identified"]) == 3
    assert outputs(project) == before, "the same pages and books as with a good record"


def test_force_renders_everything(project: Path, work: dict[str, Counter]) -> None:
    build(project, fresh=True)
    assert set(work["rendered"]) == ALL


def test_book_keys_from_the_record_are_the_keys_of_the_books(project: Path, tmp_path: Path) -> None:
    """After an edit, the keys the build took from its record equal those a build without a record computes."""
    edit(project, "001_fleet.txt", "Russian oil", "Russian crude oil")
    build(project)
    fresh = Path(shutil.copytree(project, tmp_path / "fresh", symlinks=True))
    shutil.rmtree(Layout(fresh).cache)
    build(fresh, fresh=True)
    for lang in ("en", "es"):
        assert read_manifest(manifest_path(project / "dist", lang)) == read_manifest(
            manifest_path(fresh / "dist", lang)
        )


def test_a_new_article_takes_sentences_other_memories_hold(project: Path) -> None:
    """The language's memories are read only when a sentence is missing, and then they are."""
    (project / "seeds" / "004_again.txt").write_text(
        " date 2026-02-10 Tankers again\n\nTankers waited in port for the ice to clear.\n", encoding="utf-8"
    )
    result = build(project)
    spanish = next(e for e in result.editions if e.lang == "es")
    assert spanish.reused == 1 and spanish.engine_calls == 1, "the title is new; the sentence is not"


def test_a_page_record_reads_back_as_the_page() -> None:
    page = ArticlePage(
        lang="es",
        source_language="en",
        id="001_fleet",
        slug="fleet",
        title="Título «citado»",
        original_title="Title",
        date=dt.date(2026, 2, 9),
        by="",
        standfirst="Una frase.",
        words=12,
        paragraphs=(
            Paragraph(1, (Text("Una "), TermRef("flota", "shadow-fleet", 'def "<b>"'), Text("."))),
            Paragraph(2, (Text("Dos, "), Span("Title", "en"), Text("."))),
        ),
        source="seeds/001_fleet.txt",
        sha256="ab" * 32,
        provenance={"engine": "apertium", "model": "eng-spa", "machine": 3, "reviewed": 1, "reviewers": ["A"]},
        terms=("shadow-fleet",),
        term_paragraphs=(("shadow-fleet", (1, 2)),),
        languages=("en", "es"),
        warnings=(Diagnostic("seeds/001_fleet.txt", 4, WARNING, "typography", "unbalanced", lang="es"),),
    )
    assert page_from_record(page_record(page)) == page
    bare = dataclasses.replace(page, terms=None, term_paragraphs=(), provenance=None, warnings=())
    assert page_from_record(page_record(bare)) == bare
    older = page_record(page) | {"paragraphs": [{"number": 1, "markdown": "Una."}]}  # the shape before pieces
    with pytest.raises((KeyError, TypeError, ValueError)):
        page_from_record(older)


def test_a_glossary_record_reads_back_as_the_glossary_without_backlinks(project: Path) -> None:
    """The build keeps each edition's glossary in its record; press ebooks reads it back (back-links are the
    articles')."""
    build(project)
    record = json.loads((project / ".press" / "cache" / "es.json").read_text(encoding="utf-8"))["entries"]
    glossary = glossary_from_record(record["glossary:"])
    assert isinstance(glossary, GlossaryPage) and glossary.lang == "es" and glossary.entries
    assert all(entry.backlinks == () for entry in glossary.entries)
    assert glossary_record(glossary) == record["glossary:"]


def test_a_changed_rendering_makes_its_machine_translations_again(project: Path) -> None:
    """Terms are rendered the same way everywhere: machine output made with the old rendering is made again
    (the old text kept as its previous translation); the articles without the term are not translated."""
    terms = project / "glossary" / "terms.yml"
    text = terms.read_text(encoding="utf-8")
    spanish = "      es:\n        term: flota fantasma\n"  # Catalan writes flota fantasma too
    assert text.count(spanish) == 1
    terms.write_text(text.replace(spanish, "      es:\n        term: flota en la sombra\n"), encoding="utf-8")
    result = build(project)
    shown = page(project, "es", "europe-tightens-the-net")
    assert "[flota en la sombra](glossary.md#shadow-fleet" in shown and "[flota fantasma]" not in shown
    entry = next(e for e in polib.pofile(str(project / "translations" / "es" / "001_fleet.po")) if "shadow" in e.msgid)
    assert "flota en la sombra" in entry.msgstr and "fuzzy" in entry.flags
    assert "previous translation: " in entry.tcomment and "flota fantasma" in entry.tcomment
    assert re.search(r"terms: [0-9a-f]{12}: shadow-fleet = flota en la sombra", entry.comment), entry.comment
    warnings = [str(w) for w in result.warnings if w.kind == "term-base"]
    assert len(warnings) == 1 and "001_fleet.po" in warnings[0], warnings
    spanish = next(e for e in result.editions if e.lang == "es")
    assert spanish.engine_calls == 1, "one sentence made again; no other"


def test_a_reviewed_translation_keeps_its_words_when_a_rendering_changes(project: Path) -> None:
    path = project / "translations" / "es" / "001_fleet.po"
    po = polib.pofile(str(path), wrapwidth=0)
    entry = next(e for e in po if "shadow" in e.msgid)
    entry.msgstr = "Los países bálticos inspeccionan los petroleros de la flota fantasma."
    entry.flags = []
    po.save(str(path))
    terms = project / "glossary" / "terms.yml"
    text = terms.read_text(encoding="utf-8")
    terms.write_text(text.replace("term: flota fantasma\n", "term: flota en la sombra\n"), encoding="utf-8")
    build(project)
    assert "inspeccionan los petroleros de la flota fantasma." in page(project, "es", "europe-tightens-the-net")
    base, _ = load_termbase(terms)
    findings = check_edition(None, path, "es", base, write=False)
    assert [f.kind for f in findings if "shadow-fleet" in f.message] == ["term"], "QA says so: the reviewer decides"


def test_a_machine_translation_made_before_names_were_locked_is_made_again(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A person's name after a title is locked (tools/names.py). Machine output made before that (Apertium's
    "Señora Cocinero" for Mrs. Cook) is made again, as after a changed rendering; a reviewed one is a person's
    word."""
    seed = project / "seeds" / "003_ice.txt"
    added = {"cook": "Mrs. Cook agreed with him.", "baker": "Prof. Baker and the crews disagreed."}
    seed.write_text(seed.read_text(encoding="utf-8") + "".join(f"\n{s}\n" for s in added.values()), encoding="utf-8")
    with monkeypatch.context() as before:
        before.setattr(tools.translate, "titled_names", lambda sentence, taken=(): [])  # as the code was
        build(project)
    path = project / "translations" / "es" / "003_ice.po"
    old = {e.msgid: e.msgstr for e in polib.pofile(str(path)) if e.msgid in added.values()}
    assert "Cocinero" in old[added["cook"]] and "panadero" in old[added["baker"]].lower(), old
    po = polib.pofile(str(path), wrapwidth=0)
    next(e for e in po if e.msgid == added["baker"]).flags = []  # a reviewer took the engine's words as they were
    po.save(str(path))
    result = build(project)
    now = {e.msgid: e for e in polib.pofile(str(path)) if e.msgid in added.values()}
    remade = now[added["cook"]]
    assert "Cook" in remade.msgstr and "Cocinero" not in remade.msgstr, remade.msgstr
    assert "fuzzy" in remade.flags and "Cocinero" in remade.tcomment, "the old text kept as the previous translation"
    assert re.search(r"terms: [0-9a-f]{12}: @Cook = Cook", remade.comment), remade.comment
    assert now[added["baker"]].msgstr == old[added["baker"]], "a reviewed entry is kept"
    assert next(e for e in result.editions if e.lang == "es").engine_calls == 1, "one sentence made again"


def test_machine_translations_made_before_datelines_and_iso_dates_are_made_again(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A wire dateline now goes to the engine apart from its story, and an ISO date is written out: machine
    output made before either (the story's first word in lower case, the date as written) is made again; a
    reviewed one is a person's word."""
    seed = project / "seeds" / "003_ice.txt"
    added = {
        "wire": "BRUSSELS, March 4 (Reuters) - Port officials met again.",
        "iso": "The review ends on 2026-09-30.",
        "reviewed": "The audit ends on 2026-10-15.",
    }
    seed.write_text(seed.read_text(encoding="utf-8") + "".join(f"\n{s}\n" for s in added.values()), encoding="utf-8")
    never = re.compile(r"(?!)")
    with monkeypatch.context() as before:  # as the code was
        before.setattr(tools.translate, "dateline", lambda text: None)
        for module in (tools.dates, tools.quantities, tools.translate):
            before.setattr(module, "ISO_DATE", never)
        build(project)
    path = project / "translations" / "es" / "003_ice.po"
    old = {e.msgid: e.msgstr for e in polib.pofile(str(path)) if e.msgid in added.values()}
    assert "2026-09-30" in old[added["iso"]] and "2026-10-15" in old[added["reviewed"]], old
    po = polib.pofile(str(path), wrapwidth=0)
    next(e for e in po if e.msgid == added["reviewed"]).flags = []  # a reviewer took the engine's words
    po.save(str(path))
    result = build(project)
    now = {e.msgid: e.msgstr for e in polib.pofile(str(path)) if e.msgid in added.values()}
    assert re.match(r"BRUSELAS, 4 de marzo \(Reuters\) - [A-Z]", now[added["wire"]]), now[added["wire"]]
    assert "30 de septiembre de 2026" in now[added["iso"]], now[added["iso"]]
    assert now[added["reviewed"]] == old[added["reviewed"]], "a reviewed entry is kept"
    assert next(e for e in result.editions if e.lang == "es").engine_calls == 1, "two sentences made again"


class _Stop(Exception):
    pass


def test_another_pandoc_or_typst_rekeys_every_book(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The tools' versions are inputs of a book: the record's book keys do not outlive them."""
    newer = (("pandoc", "/usr/bin/pandoc 9.9"), ("typst", "9.9"), ("press", "9.9"))
    monkeypatch.setattr(tools.build, "tool_versions", lambda: newer)
    monkeypatch.setattr(tools.buildcache, "tool_versions", lambda: newer)
    compiled: list[str] = []

    def collect(jobs, meanwhile=None, started=None):
        compiled.extend(job[0].name for job in jobs)
        raise _Stop  # which books would be compiled is the point, not compiling them

    monkeypatch.setattr(tools.build, "compile_books", collect)
    os.utime(project / "seeds" / "001_fleet.txt")
    with pytest.raises(_Stop):
        build(project)
    assert len(compiled) == 10, compiled  # both editions' three articles' books and two volumes: every one


def test_a_memory_saved_by_another_tool_is_not_translated_again(project: Path) -> None:
    """polib wraps comment lines at 78 columns (so may a translator's tool): what a machine translation
    recorded of its terms still reads, and nothing is made again."""
    (project / "seeds" / "004_many.txt").write_text(
        " date 2026-02-11 Many terms\n\nDonald Trump and Vladimir Putin discussed the shadow fleet, the Peace "
        "Council and the Anchorage formula at the Alaska summit.\n",
        encoding="utf-8",
    )
    build(project)
    path = project / "translations" / "es" / "004_many.po"
    po = polib.pofile(str(path))
    assert any(len(line) > 78 for e in po for line in e.comment.split("\n") if line.startswith("terms: "))
    po.save(str(path))  # wrapped at 78
    assert max(len(line) for line in path.read_text(encoding="utf-8").splitlines() if line.startswith("#.")) <= 80
    result = build(project)
    assert [e.engine_calls for e in result.editions if e.lang == "es"] == [0]


def test_a_post_edit_still_fuzzy_keeps_its_words_when_a_rendering_changes(project: Path) -> None:
    """A person changed the machine output but left it fuzzy (awaiting review): their words are not replaced."""
    path = project / "translations" / "es" / "001_fleet.po"
    po = polib.pofile(str(path), wrapwidth=0)
    entry = next(e for e in po if "shadow" in e.msgid)
    entry.msgstr = "Los bálticos inspeccionan los petroleros de la flota fantasma."
    po.save(str(path))
    terms = project / "glossary" / "terms.yml"
    text = terms.read_text(encoding="utf-8")
    terms.write_text(text.replace("term: flota fantasma\n", "term: flota en la sombra\n"), encoding="utf-8")
    result = build(project)
    assert "Los bálticos inspeccionan los petroleros de la flota fantasma." in page(
        project, "es", "europe-tightens-the-net"
    )
    assert [e.engine_calls for e in result.editions if e.lang == "es"] == [0]


@pytest.mark.parametrize("damage", [None, "not a database", "stale rows"])
def test_an_edit_parses_only_the_memories_that_changed(
    project: Path, monkeypatch: pytest.MonkeyPatch, damage: str | None
) -> None:
    """A new sentence is looked up in every memory of the language, through the index of what each holds
    (the build that wrote the memories indexed them): only a file whose bytes changed is parsed (all of them
    when the index is damaged), and the lookup finds the same translations either way."""
    index = Layout(project).memory_index("es")  # the first build indexed every memory it wrote
    with contextlib.closing(sqlite3.connect(index)) as db:
        assert {name for (name,) in db.execute("SELECT name FROM files")} == {
            p.name for p in (project / "translations" / "es").glob("*.po")
        }
        if damage == "stale rows":  # neither the size and time nor the sha256 of any file
            with db:
                db.execute("UPDATE files SET sha = 'x', mtime_ns = 0")
    if damage == "not a database":
        index.write_bytes(b"not a database" * 100)
    parsed = record_memory_loads(monkeypatch)
    edit(project, "002_route.txt", "short only", "short, tankers waited in port for the ice to clear, only")
    result = build(project)
    others = {"001_fleet.po", "003_ice.po"}  # (the glossary memory is read by its own translation)
    if damage is None:
        assert not others & set(parsed), parsed
    else:
        assert others <= set(parsed), parsed
    assert [e.engine_calls for e in result.editions if e.lang == "es"] == [1]


# --- the seeds: one as the record stamped it is not read again ------------------------------------------


@pytest.fixture
def settled(monkeypatch: pytest.MonkeyPatch) -> None:
    """The clock a minute on: every seed written so far has settled (its stamp can be kept)."""
    now = tools.fsutil.time.time_ns() + 60 * 10**9
    monkeypatch.setattr(tools.fsutil.time, "time_ns", lambda: now)


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> Counter:
    """The seeds the build reads and parses, by file name."""
    count: Counter = Counter()
    real = tools.ingest.read_seed

    def reading(path: Path):
        count[path.name] += 1
        return real(path)

    monkeypatch.setattr(tools.ingest, "read_seed", reading)
    return count


def stamped(project: Path, reads: Counter) -> None:
    """A build that stamps every seed of the copy (its files are new: each is read once), then no read counted."""
    os.utime(project / "seeds" / "002_route.txt")
    build(project)
    assert set(reads) == set(SEEDS)
    reads.clear()


def test_a_seed_as_stamped_is_taken_from_the_record_and_an_edited_one_is_read(
    project: Path, settled: None, reads: Counter
) -> None:
    stamped(project, reads)
    edit(project, "001_fleet.txt", "Russian oil", "Russian crude oil")
    result = build(project)
    assert set(reads) == {"001_fleet.txt"}, "only the edited seed is read"
    assert "crude oil" in page(project, "en", "europe-tightens-the-net")
    fresh = {a.id: a for a in tools.build.load_articles(Layout(project))}
    assert {a.id: a for a in result.articles} == fresh, "the articles taken from the record are the seeds' own"


def test_a_seed_rewritten_with_its_size_and_mtime_is_read_again(project: Path, settled: None, reads: Counter) -> None:
    """Its ctime moved (no write can keep it): the stamp does not hold."""
    stamped(project, reads)
    path = project / "seeds" / "003_ice.txt"
    before, text = path.stat(), path.read_text(encoding="utf-8")
    path.write_text(text.replace("the ice", "the sea"), encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_size == before.st_size and path.stat().st_mtime_ns == before.st_mtime_ns
    os.utime(project / "seeds" / "002_route.txt")  # a newer seed makes the build run
    build(project)
    assert "003_ice.txt" in reads and "the sea to clear" in page(project, "en", "quiet-january")


def test_a_seed_changed_in_the_last_seconds_is_not_stamped(project: Path, reads: Counter) -> None:
    """Two writes of one size within the file system's clock tick can carry one stamp: a seed that has not
    settled is read by every build until it has."""
    os.utime(project / "seeds" / "002_route.txt")
    build(project)
    reads.clear()
    os.utime(project / "seeds" / "002_route.txt")
    build(project)
    assert set(reads) == set(SEEDS), "the copied seeds are seconds old: none was stamped"


@pytest.mark.parametrize("damage", ["article", "stamp", "code"])
def test_a_damaged_or_foreign_parsed_seed_is_read_again(
    project: Path, settled: None, reads: Counter, damage: str
) -> None:
    stamped(project, reads)
    before = outputs(project)
    record = Layout(project).seed_record
    data = json.loads(record.read_text(encoding="utf-8"))
    for entry in data["entries"].values():
        entry["parsed"][damage] = {"article": {"slug": 3}, "stamp": [1, 2], "code": "another"}[damage]
    record.write_text(json.dumps(data), encoding="utf-8")
    os.utime(project / "seeds" / "002_route.txt")
    build(project)
    assert set(reads) == set(SEEDS)
    assert outputs(project) == before
