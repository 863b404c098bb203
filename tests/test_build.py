"""The pipeline from seed to English edition to site, checked as a reader and a maintainer see it."""

from __future__ import annotations

import hashlib
import html
import re
import subprocess
import sys
from pathlib import Path

import markdown
import pytest
import yaml

from tools import fsutil
from tools.build import build

pytestmark = pytest.mark.slow  # press build and mkdocs on the project

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "000_665afb2dddca8924.txt"
SLUG = "policy-of-personal-diplomacy-that-donald-trump-has"


def split_page(path: Path) -> tuple[dict, str]:
    text = path.read_text(encoding="utf-8")
    _, meta, body = text.split("---\n", 2)
    return yaml.safe_load(meta), body


def words(text: str) -> list[str]:
    return re.findall(r"\w+", text)


def visible_text(markdown_text: str) -> str:
    """What a reader sees of a Markdown page: rendered, tags dropped, entities decoded."""
    rendered = markdown.markdown(markdown_text, extensions=["attr_list"])
    blocks = re.sub(r"</?(?:p|h\d|li|ul|ol|div|blockquote)\b[^>]*>", "\n", rendered)
    return html.unescape(re.sub(r"<[^>]+>", "", blocks))


def test_english_edition(project: Path) -> None:
    seed_bytes = SEED.read_bytes()
    build(project)
    meta, body = split_page(project / "docs" / "en" / f"{SLUG}.md")
    assert meta["lang"] == "en"
    assert meta["date"] == "2026-02-02"
    assert meta["source"] == "seeds/000_665afb2dddca8924.txt"
    assert meta["source_sha256"] == hashlib.sha256(seed_bytes).hexdigest()
    assert meta["title"].startswith("The policy of “personal diplomacy” that Donald Trump")
    seen = visible_text(body)
    for unwanted in ("«", "»", '"', "'", "  ", " – "):
        assert unwanted not in seen, unwanted
    assert "“Anchorage formula”" in seen and "Putin’s" in seen and "regions—from the Arctic" in seen
    seed_text = seed_bytes.decode("utf-8")
    assert words(seen) == words(seed_text.replace("date 2026-02-02", "", 1))
    assert (project / "seeds" / SEED.name).read_bytes() == seed_bytes, "the build never edits a seed"


def test_rebuild_with_nothing_changed_writes_nothing(project: Path) -> None:
    first = build(project)
    english = [p.name for p in first.written if p.parent.name == "en"]
    assert sorted(english) == ["downloads.md", "glossary.md", "index.md", f"{SLUG}.md"]
    page = project / "docs" / "en" / f"{SLUG}.md"
    stamp = page.stat().st_mtime_ns
    second = build(project)
    assert second.written == [] and len(second.unchanged) == len(first.written)
    assert all(edition.engine_calls == 0 for edition in second.editions), "nothing changed: no engine call"
    assert page.stat().st_mtime_ns == stamp


def test_stale_pages_go_and_hand_written_pages_stay(project: Path) -> None:
    extra = project / "seeds" / "001_extra.txt"
    extra.write_text(" date 2026-03-01 A second article\n\nIts only paragraph.\n", encoding="utf-8")
    build(project)
    hand_written = project / "docs" / "en" / "about.md"
    hand_written.write_text("# About\n\nWritten by hand.\n", encoding="utf-8")
    assert (project / "docs" / "en" / "second-article.md").is_file()
    extra.unlink()
    result = build(project)
    assert project / "docs" / "en" / "second-article.md" in result.removed
    its_own = ("second-article.", "all_articles-2026-03.", "2026-03.")  # its pages, books, month volume and archive
    assert all(path.name.startswith(its_own) for path in result.removed), [p.name for p in result.removed]
    assert hand_written.is_file()
    assert "second-article" not in (project / "docs" / "en" / "index.md").read_text(encoding="utf-8")


def test_unbalanced_quotes_are_reported_with_file_and_line(project: Path) -> None:
    (project / "seeds" / "002_bad.txt").write_text(
        ' date 2026-03-02 Quotes\n\nFine.\n\nHe said "yes and left.\n', encoding="utf-8"
    )
    result = build(project)
    assert any(str(w).startswith("seeds/002_bad.txt:5: [en] typography: unbalanced quotes") for w in result.warnings)


def test_interrupted_write_keeps_the_previous_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "page.md"
    target.write_text("previous good state", encoding="utf-8")

    def fail(*args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(fsutil.os, "replace", fail)
    with pytest.raises(KeyboardInterrupt):
        fsutil.write_atomic(target, "half")
    assert target.read_text(encoding="utf-8") == "previous good state"
    assert [p.name for p in tmp_path.iterdir()] == ["page.md"], "no temporary file left behind"


def test_mkdocs_builds_an_offline_site(project: Path) -> None:
    build(project)
    mkdocs = Path(sys.executable).with_name("mkdocs")
    run = subprocess.run(
        [str(mkdocs), "build", "--strict", "--quiet", "-f", "mkdocs.site.yml"],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
        env={"PATH": "/usr/bin:/bin", "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": str(ROOT)},
    )
    assert run.returncode == 0, run.stderr
    article = (project / "site" / SLUG / "index.html").read_text(encoding="utf-8")
    assert "The policy of “personal diplomacy”" in article
    assert 'lang="en"' in article
    home = (project / "site" / "index.html").read_text(encoding="utf-8")
    assert f'href="{SLUG}/"' in home
    for page in (project / "site").rglob("*"):
        if page.suffix in (".html", ".css"):
            external = external_resources(page.read_text(encoding="utf-8"))
            assert external == [], f"{page.name} loads {external}"


def external_resources(markup: str) -> list[str]:
    """URLs a browser would fetch from another origin: scripts, styles, images, fonts, CSS imports."""
    patterns = [
        r"<(?:script|img|iframe|source|audio|video)\b[^>]*\bsrc=[\"']?((?:https?:)?//[^\"' >]+)",
        # a canonical link names the site's own address: nothing is fetched from it (an alternate is: the theme
        # fetches sitemap.xml beside each <link rel="alternate">)
        r"<link\b(?![^>]*\brel=[\"']?canonical\b)[^>]*\bhref=[\"']?((?:https?:)?//[^\"' >]+)",
        r"url\(\s*[\"']?((?:https?:)?//[^\"')]+)",
        r"@import\s+[\"']((?:https?:)?//[^\"']+)",
    ]
    return [url for pattern in patterns for url in re.findall(pattern, markup)]


def test_press_build_does_nothing_while_nothing_changed(project: Path) -> None:
    def press(*args: str) -> str:
        command = [sys.executable, "-m", "tools", "build", "--root", str(project), *args]
        run = subprocess.run(command, capture_output=True, text=True, check=False, cwd=ROOT)
        assert run.returncode == 0, run.stderr
        return run.stdout

    first = press()
    assert " written, " in first
    again = press()
    assert "nothing changed since the last build" in again and " written, " not in again
    table = first.split("editions:\n")[1]
    assert again.split("editions:\n")[1] == table, "the editions table of the build that made what is there"
    front = project / "docs" / "en" / "index.md"
    front.unlink()
    assert " written, " in press() and front.is_file(), "a removed output is made again"
    (project / "glossary" / "terms.yml").touch()
    assert " written, " in press(), "an edited input"
    assert " written, " in press("--force")


def test_an_article_with_a_long_first_sentence_is_edited_like_any_other(tmp_path: Path) -> None:
    """A page's description is its article's first sentence, in its front matter before the generator's mark: a
    first sentence of 6,000 characters still marks the page as the build's (it was taken for a hand-written page
    once the description passed 3,000 characters, and the build stopped), with the record and without it."""
    from conftest import project_with

    from tools.ingest import seed_text
    from tools.layout import Layout, is_generated

    rounds = ", ".join(f"in round {n} at the harbour office" for n in range(200))
    seed = tmp_path / "project" / "seeds" / "001_long.txt"

    def body(ending: str) -> str:
        return f"The talks went on {rounds}{ending}, without a result.\n\nA second paragraph."

    root = project_with(
        tmp_path / "project",
        {seed.name: seed_text("A long report", "2026-02-01", "Desk", body(""))},
        "source_language: en\nlanguages: []\n",
    )
    build(root)
    [page] = (root / "docs" / "en").glob("*long-report*.md")
    assert len(page.read_text(encoding="utf-8").split("\n---\n", 1)[0]) > 6000 and is_generated(page)
    for ending in (" and once more", " and then again"):
        seed.write_text(seed_text("A long report", "2026-02-01", "Desk", body(ending)), encoding="utf-8")
        build(root)
        assert f"office{ending}, without" in page.read_text(encoding="utf-8")
        Layout(root).build_mark.unlink()  # the next build has no record of its outputs: the front matter says


def test_books_are_dated_by_the_newest_source_where_git_is_not_installed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A project on a machine without git: the books' date is its newest seed, term base or editions.yml, as in a
    folder git does not track, not a traceback."""
    import os

    from tools.layout import source_date_epoch

    (tmp_path / "seeds").mkdir()
    seed = tmp_path / "seeds" / "001_a.txt"
    seed.write_text("x", encoding="utf-8")
    os.utime(seed, (1_700_000_000, 1_700_000_000))
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path / "no-git-here"))
    assert source_date_epoch(tmp_path) == 1_700_000_000
