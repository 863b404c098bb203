"""The build as a whole is all or nothing, an article's identity survives its title, and old URLs keep working."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import polib
import pytest
from conftest import copy_project, require_command

from tools.build import build
from tools.errors import PressError
from tools.layout import Layout
from tools.memory.entries import Memory
from tools.memory.language import LanguageMemory
from tools.sitebuild import build_site

pytestmark = pytest.mark.slow  # builds interrupted and failed at every stage

ROOT = Path(__file__).resolve().parents[1]
SEED = "000_665afb2dddca8924.txt"
ARTICLE_ID = "000_665afb2dddca8924"
SLUG = "policy-of-personal-diplomacy-that-donald-trump-has"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project with its English and Spanish (Apertium) editions, built once for the module."""
    require_command("apertium", "sudo apt-get install apertium apertium-eng-spa")
    root = copy_project(tmp_path_factory.mktemp("built"))
    (root / "editions.yml").write_text("source_language: en\nlanguages: [es]\n", encoding="utf-8")
    build(root)
    return root


@pytest.fixture
def spanish(built: Path, tmp_path: Path) -> Path:
    """A copy of the built project (files, memories and mtimes) for one test."""
    return Path(shutil.copytree(built, tmp_path / "project"))


def outputs(root: Path) -> dict[str, tuple[bytes, int]]:
    """Every generated file with its bytes and mtime."""
    return {str(p.relative_to(root)): (p.read_bytes(), p.stat().st_mtime_ns) for p in Layout(root).generated()}


def edit_title(root: Path, old: str, new: str) -> None:
    seed = root / "seeds" / SEED
    text = seed.read_text(encoding="utf-8")
    first, rest = text.split("\n", 1)
    seed.write_text(first.replace(old, new, 1) + "\n" + rest, encoding="utf-8")


def review_everything(po_path: Path) -> int:
    """A translator post-edits and reviews every entry; returns how many."""
    po = polib.pofile(str(po_path), wrapwidth=0)
    live = [e for e in po if not e.obsolete]
    for entry in live:
        entry.msgstr = "[revisado] " + entry.msgstr
        entry.flags = [f for f in entry.flags if f != "fuzzy"]
    po.save(str(po_path))
    return len(live)


def fail(*args, **kwargs):
    raise PressError(None, None, "injected failure")


STAGES = [
    ("tools.build.load_config", "configuration"),
    ("tools.build.check_seed_language", "source language"),
    ("tools.build.translate_article", "translation"),
    ("tools.build.render_article", "pages"),
    ("tools.build.render_glossary", "glossary"),
    ("tools.build.plan_books", "e-books"),
    ("tools.build.compile_books", "e-book compilation"),
    ("tools.build.downloads_page", "downloads"),
    ("tools.build.site_config", "site configuration"),
]


@pytest.mark.parametrize(("target", "stage"), STAGES, ids=[s for _, s in STAGES])
def test_a_failure_at_any_stage_leaves_the_previous_outputs(
    spanish: Path, target: str, stage: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = outputs(spanish)
    edit_title(spanish, "strategic impasse", "strategic dead end")  # the next build would change everything
    monkeypatch.setattr(target, fail)
    with pytest.raises(PressError, match="injected failure"):
        build(spanish)
    assert outputs(spanish) == before, f"a failure in the {stage} stage changed the outputs"
    assert not (spanish / ".press" / "stage").exists()


def test_a_title_edit_keeps_reviewed_work(spanish: Path) -> None:
    memory = spanish / "translations" / "es" / f"{ARTICLE_ID}.po"
    reviewed = review_everything(memory)
    before = {e.msgid: e.msgstr for e in polib.pofile(str(memory)) if not e.obsolete}
    edit_title(spanish, "strategic impasse", "strategic dead end")
    result = build(spanish)
    spanish_edition = next(e for e in result.editions if e.lang == "es")
    assert spanish_edition.reviewed == reviewed - 1, "only the edited title needs review again"
    after = {e.msgid: e.msgstr for e in polib.pofile(str(memory)) if not e.obsolete}
    kept = before.keys() & after.keys()
    assert len(kept) == reviewed - 1 and all(before[k] == after[k] for k in kept), "every post-edit is there"
    page = (spanish / "docs" / "es" / f"{SLUG}.md").read_text(encoding="utf-8")
    assert "revisado\\]" in page and "reviewed: 57" in page, "the edition shows the post-edits"


def test_a_renamed_article_redirects_and_loses_its_old_books(spanish: Path) -> None:
    old_books = sorted(p.name for p in (spanish / "dist").iterdir())
    assert f"{SLUG}.es.epub" in old_books
    edit_title(spanish, "The policy of «personal diplomacy»", "Personal diplomacy")
    result = build(spanish)
    new_slug = result.articles[0].slug
    assert new_slug != SLUG
    assert sorted(p.name for p in (spanish / "dist").iterdir()) == [n.replace(SLUG, new_slug) for n in old_books]
    assert not (spanish / "docs" / "es" / f"{SLUG}.md").exists()
    assert (spanish / "translations" / "es" / f"{ARTICLE_ID}.po").is_file(), "the memory is keyed by the id"
    site = build_site(Layout(spanish))
    pages = {p.relative_to(spanish / "site").as_posix() for p in site.redirects}
    assert pages == {f"{SLUG}/index.html", f"es/{SLUG}/index.html"}
    page = (spanish / "site" / "es" / SLUG / "index.html").read_text(encoding="utf-8")
    assert f'url=../{new_slug}/"' in page and (spanish / "site" / "es" / new_slug / "index.html").is_file()
    assert "published.yml" in {p.name for p in spanish.iterdir()}
    assert "<script" not in page


def test_a_memory_named_by_the_slug_moves_to_the_id(spanish: Path) -> None:
    memory = spanish / "translations" / "es" / f"{ARTICLE_ID}.po"
    legacy = memory.with_name(f"{SLUG}.po")
    memory.rename(legacy)
    result = build(spanish)
    assert memory.is_file() and not legacy.exists()
    assert next(e for e in result.editions if e.lang == "es").engine_calls == 0
    assert any("moved" in note for note in result.notes)


def test_a_second_article_quoting_the_first_costs_no_engine_call(spanish: Path) -> None:
    memory = spanish / "translations" / "es" / f"{ARTICLE_ID}.po"
    review_everything(memory)
    first = Memory.load(memory, "es", "en")
    quoted = next(text for text in first.translations() if text.startswith("In early 2026"))
    (spanish / "seeds" / "001_quote.txt").write_text(
        f" date 2026-03-01 A follow-up\n\n{quoted} Nothing changed since.\n", encoding="utf-8"
    )
    build(spanish)
    second = Memory.load(spanish / "translations" / "es" / "001_quote.po", "es", "en")
    entry = second.get(quoted)
    assert entry is not None and entry.msgstr == first.get(quoted).msgstr, "the reviewer's wording"
    assert "fuzzy" not in entry.flags and f"reused from translations/es/{ARTICLE_ID}.po" in entry.comment
    assert LanguageMemory(spanish / "translations" / "es", "es", "en").lookup(quoted, Path("x")) is not None


def test_sigterm_keeps_what_was_translated(project: Path, tmp_path: Path, require) -> None:
    """A real build, its engine slowed down, terminated after its first batch: the batch is kept, outputs are not."""
    require("apertium", "sudo apt-get install apertium apertium-eng-spa")
    spanish = project
    (spanish / "editions.yml").write_text("source_language: en\nlanguages: [es]\n", encoding="utf-8")
    slow = tmp_path / "bin"
    slow.mkdir()
    find = subprocess.run(["sh", "-c", "command -v apertium-pretransfer"], capture_output=True, text=True, check=True)
    real = find.stdout.strip()  # a step of Apertium's pipeline, slowed down: the build is still real
    (slow / "apertium-pretransfer").write_text(f'#!/bin/sh\nsleep 1\nexec {real} "$@"\n', encoding="utf-8")
    (slow / "apertium-pretransfer").chmod(0o755)
    env = dict(os.environ, PATH=f"{slow}:{os.environ['PATH']}", CI="true")
    command = [sys.executable, "-m", "tools", "build", "--root", str(spanish)]
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    memory = spanish / "translations" / "es" / f"{ARTICLE_ID}.po"
    deadline = time.monotonic() + 120
    while not memory.is_file() and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.05)
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stderr
    assert "Traceback" not in stderr
    kept = [e for e in polib.pofile(str(memory)) if not e.obsolete and e.msgid]
    assert 8 <= len(kept) < 58, "whole batches are kept"
    assert not (spanish / "docs").exists() and not (spanish / ".press" / "stage").exists()
    result = build(spanish)
    spanish_edition = next(e for e in result.editions if e.lang == "es")
    assert spanish_edition.machine == 58, "the next run resumes"


def test_the_build_writes_nothing_outside_its_layout(built: Path) -> None:
    made = {p.relative_to(built).parts[0] for p in built.rglob("*") if p.is_file()}
    inputs = {"seeds", "glossary", "editions.yml", "mkdocs.yml", "translations", "published.yml"}
    assert made <= inputs | {"docs", "dist", "mkdocs.site.yml", ".press"}
    layout = Layout(built)
    records = {layout.build_mark, layout.seed_record, layout.page_record("en"), layout.page_record("es")}
    records.add(layout.published_memo)
    files = {p for p in (built / ".press").rglob("*") if p.is_file()}
    index = {p for p in files if p.name.startswith(layout.memory_index("es").name)}  # with a journal, if cut short
    locks = {p for p in files if p.is_relative_to(layout.locks)}  # the memories' lock files: not in translations/
    assert records <= files == records | index | locks, "the stage is gone; the records, the index, the locks are there"


def test_the_reviewer_is_credited_in_the_edition(spanish: Path) -> None:
    from tools.cli import main

    assert main(["review", "es", ARTICLE_ID, "--accept", "1", "2", "--by", "Ana García", "--root", str(spanish)]) == 0
    build(spanish)
    page = (spanish / "docs" / "es" / f"{SLUG}.md").read_text(encoding="utf-8")
    assert "Ana García" in page, "the reviewer is in the edition's provenance"
