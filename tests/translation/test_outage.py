"""An edition outlives its engine, and an engine's reply is hostile input (issue 21).

The Spanish edition is made by the real Apertium first. The faults are real programs too: a script
earlier on PATH that fails as a broken install does (``apertium``, or a stage of its pipeline, exits 1
with a line on stderr), or a last stage that answers with a hostile reply. The cases are data, in
tests/hostile/cases.yml (``engine-failure``, ``engine-reply``). Whatever the fault, the memories and
the Spanish pages and books are compared byte for byte with what was published before.
"""

from __future__ import annotations

import os
import shlex
import shutil
from pathlib import Path

import polib
import pytest
import yaml
from conftest import built_at, copy_of, project_with  # tests/ is on the path: helpers, not fixtures
from fakes import FakeEngine

from tools.cli import main
from tools.engines import NoEngine
from tools.engines.apertium import ApertiumEngine
from tools.engines.base import GROWTH, SLACK, refusal
from tools.errors import PressError
from tools.ingest import parse_seed
from tools.layout import Layout
from tools.translate import EngineFailed, translate_article

ROOT = Path(__file__).resolve().parents[2]
CASES = yaml.safe_load((ROOT / "tests" / "hostile" / "cases.yml").read_text(encoding="utf-8"))["cases"]
FAILURES = [case["payload"] for case in CASES if case["where"] == "engine-failure"]
REPLIES = [case["payload"] for case in CASES if case["where"] == "engine-reply"]
EPOCH = 1770000000
SPANISH = "source_language: en\nlanguages: [es]\nengines:\n  es: [apertium]\n"
SEED = """ date 2026-02-03 Ministers meet in the rain

The minister spoke about the budget today. The opposition said the plan was weak.

The vote is next week.
"""
LATE = "A late paragraph arrives after the vote."
NEW_SEED = """ date 2026-02-04 A second story

Nobody expected the storm.
"""


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project with one article whose Spanish edition Apertium made: pages, books, memory."""
    from conftest import require_command

    require_command("apertium", "sudo apt-get install apertium apertium-eng-spa")
    root = project_with(tmp_path_factory.mktemp("published"), {"rain.txt": SEED}, SPANISH)
    return built_at(root, EPOCH)


@pytest.fixture
def project(published: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return copy_of(published, tmp_path / "project", monkeypatch, EPOCH)


def spanish(root: Path) -> dict[str, bytes]:
    """Every file of the Spanish edition (pages, downloads, books and their record) and its memories: bytes."""
    live = Layout(root)
    files = [*live.edition_outputs("es"), *sorted(live.memories("es").glob("*.po"))]
    return {path.relative_to(root).as_posix(): path.read_bytes() for path in files}


def fail_first_on_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, program: str, stderr: str) -> Path:
    """``program`` replaced, first on PATH, by a script that prints ``stderr`` and exits 1."""
    folder = tmp_path / "broken-bin"
    folder.mkdir(exist_ok=True)
    script = folder / program
    script.write_text(f"#!/bin/sh\nprintf '%s\\n' {shlex.quote(stderr)} >&2\nexit 1\n", encoding="utf-8")
    script.chmod(0o755)
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ['PATH']}")
    return script


def press_build(root: Path, capsys: pytest.CaptureFixture, *options: str) -> tuple[int, str, str]:
    status = main(["build", "--root", str(root), *options])
    out, err = capsys.readouterr()
    return status, out, err


def served(root: Path) -> dict[str, bytes]:
    """The Spanish article's page and the Spanish books as the site serves them."""
    files = [
        root / "site" / "es" / "ministers-meet-in-the-rain" / "index.html",
        *(root / "site" / "es").rglob("*.epub"),
    ]
    files += (root / "site" / "es").rglob("*.pdf")
    return {path.relative_to(root).as_posix(): path.read_bytes() for path in files}


def editions_of(root: Path, slug: str) -> list[str]:
    """The editions the English page of ``slug`` links to."""
    _, meta, _ = (root / "docs" / "en" / f"{slug}.md").read_text(encoding="utf-8").split("---\n", 2)
    return yaml.safe_load(meta)["languages"]


@pytest.mark.parametrize("stderr", FAILURES)
def test_a_failing_engine_and_a_complete_memory_publish_the_edition_unchanged(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys, stderr: str
) -> None:
    before = spanish(project)
    script = fail_first_on_path(tmp_path, monkeypatch, "apertium", stderr)
    status, out, err = press_build(project, capsys, "--force")
    assert status == 0, err
    assert spanish(project) == before, "pages, books and memory byte for byte"
    assert "  es   built    from its memories alone, 0% reviewed (4 machine, 0 reviewed)\n" in out
    # an ESC as \x1b, as every message shows it (tools.diagnostics.one_line)
    shown = "".join(c if c.isprintable() else repr(c)[1:-1] for c in stderr)
    assert f"apertium: apertium is installed ({script}) but failing (exit status 1: {shown})" in out
    assert "is not installed" not in out and " engine: " not in err


def test_the_only_libretranslate_server_down_and_a_complete_memory_publish_the_edition_unchanged(
    project: Path, capsys
) -> None:
    before = spanish(project)
    editions = "engines:\n  es: [libretranslate]\nlibretranslate:\n  urls: [http://127.0.0.1:9/]\n  timeout: 5\n"
    (project / "editions.yml").write_text(SPANISH.split("engines:")[0] + editions, encoding="utf-8")
    status, out, err = press_build(project, capsys)
    assert status == 0, err
    assert spanish(project) == before, "the page still names the engine that made its memory"
    assert "  es   built    from its memories alone" in out and "libretranslate: " in out


def test_a_partial_memory_keeps_the_edition_published_before_then_the_engine_completes_it(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    before = spanish(project)
    assert main(["site", "--root", str(project)]) == 0
    site_before = served(project)
    with (project / "seeds" / "rain.txt").open("a", encoding="utf-8") as seed:
        seed.write(f"\n{LATE}\n")
    (project / "seeds" / "storm.txt").write_text(NEW_SEED, encoding="utf-8")
    path = os.environ["PATH"]
    script = fail_first_on_path(tmp_path, monkeypatch, "apertium", FAILURES[0])
    status, out, err = press_build(project, capsys)
    assert status == 0, err
    assert spanish(project) == before, "the Spanish pages, books and memory as they were"
    why = f"apertium is installed ({script}) but failing (exit status 1: {FAILURES[0]})"
    warnings = [line for line in err.splitlines() if " engine: " in line]
    assert len(warnings) == 2 and all(why in line for line in warnings), err
    assert warnings[0].startswith("seeds/rain.txt: [es] engine: 1 sentence(s) not translated: ")
    assert warnings[1].startswith("seeds/storm.txt: [es] engine: 2 sentence(s) not translated: ")
    assert all(line.endswith("the next press build asks for the rest") for line in warnings)
    assert all("the es edition published before is kept as it was" in line for line in warnings)
    assert "  es   kept     as published before: 3 sentence(s) not translated (warnings)\n" in out
    assert editions_of(project, "ministers-meet-in-the-rain") == ["en", "es"], "its Spanish page is there"
    assert editions_of(project, "second-story") == ["en"], "no Spanish page to link to"
    assert LATE in (project / "docs" / "en" / "ministers-meet-in-the-rain.md").read_text(encoding="utf-8")
    assert press_build(project, capsys, "--strict")[0] == 1, "an edition kept is a warning: --strict fails"
    assert main(["site", "--root", str(project)]) == 0
    assert served(project) == site_before, "the site serves the Spanish pages and books it served"

    monkeypatch.setenv("PATH", path)  # Apertium is back: the next build asks for the rest
    status, out, err = press_build(project, capsys)
    assert status == 0 and " engine: " not in err, err
    assert "  es   built    apertium eng-spa" in out
    page = (project / "docs" / "es" / "ministers-meet-in-the-rain.md").read_text(encoding="utf-8")
    assert "Un párrafo tardío llega después del voto." in page
    assert editions_of(project, "second-story") == ["en", "es"]
    assert (project / "dist" / "second-story.es.epub").is_file()


def test_an_engine_that_fails_while_translating_keeps_the_edition(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    before = spanish(project)
    with (project / "seeds" / "rain.txt").open("a", encoding="utf-8") as seed:
        seed.write(f"\n{LATE}\n")
    fail_first_on_path(tmp_path, monkeypatch, "apertium-destxt", "apertium-destxt: cannot allocate memory")
    status, out, err = press_build(project, capsys)
    assert status == 0, err
    assert spanish(project) == before
    [warning] = [line for line in err.splitlines() if " engine: " in line]
    assert warning.startswith("seeds/rain.txt: [es] engine: 1 sentence(s) not translated: apertium failed ")
    assert "apertium eng-spa failed (status 1): apertium-destxt: cannot allocate memory" in warning
    assert "  es   kept     as published before: 1 sentence(s) not translated (warnings)\n" in out


def test_no_edition_published_before_and_a_partial_memory_publish_nothing(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    for path in Layout(project).edition_outputs("es"):
        path.unlink()
    shutil.rmtree(project / "docs" / "es")
    (project / "seeds" / "storm.txt").write_text(NEW_SEED, encoding="utf-8")
    fail_first_on_path(tmp_path, monkeypatch, "apertium", FAILURES[0])
    status, out, err = press_build(project, capsys)
    assert status == 0, err
    assert "the es edition is not published until every sentence is translated" in err
    assert "  es   skipped  2 sentence(s) not translated (warnings), none published before\n" in out
    assert Layout(project).edition_outputs("es") == [] and not (project / "docs" / "es").exists()
    assert editions_of(project, "second-story") == ["en"]
    site = yaml.safe_load((project / "mkdocs.site.yml").read_text(encoding="utf-8"))
    i18n = next(plugin["i18n"] for plugin in site["plugins"] if "i18n" in plugin)
    assert [language["locale"] for language in i18n["languages"]] == ["en"], "the switcher offers no empty edition"


def test_a_language_no_engine_serves_and_no_memory_holds_is_skipped_without_a_trace(tmp_path: Path, capsys) -> None:
    root = project_with(tmp_path / "p", {"rain.txt": SEED}, "source_language: en\nlanguages: [uk]\n")
    status, out, err = press_build(root, capsys)
    assert status == 0 and " engine: " not in err
    assert "  uk   skipped  no engine here can serve it\n" in out
    assert not (root / "translations" / "uk").exists(), "no memory and no lock file are made for it"


# --- replies -------------------------------------------------------------------------------------------------------


def _reply_with(folder: Path, reply: str) -> None:
    """Apertium's last stage (``apertium-retxt``) in ``folder``: a script that answers ``reply`` whatever it is given."""
    (folder / "reply.txt").write_text(reply + "\n", encoding="utf-8")
    script = folder / "apertium-retxt"
    script.write_text(f"#!/bin/sh\ncat >/dev/null\ncat {shlex.quote(str(folder / 'reply.txt'))}\n", encoding="utf-8")
    script.chmod(0o755)


def test_hostile_replies_from_apertium_are_refused_and_the_edition_kept(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    before = spanish(project)
    with (project / "seeds" / "rain.txt").open("a", encoding="utf-8") as seed:
        seed.write(f"\n{LATE}\n")
    folder = tmp_path / "hostile-bin"
    folder.mkdir()
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ['PATH']}")
    for reply in REPLIES:
        _reply_with(folder, reply)
        status, out, err = press_build(project, capsys)
        assert status == 0, err
        assert spanish(project) == before, f"{reply!r} is in no memory, page or book"
        [warning] = [line for line in err.splitlines() if " engine: " in line]
        assert f"1 sentence(s) not translated: apertium's reply for {LATE!r} is refused: it has " in warning, reply
        assert warning.isprintable(), "the warning names the characters, it does not print them"
        assert "  es   kept     as published before: 1 sentence(s) not translated (warnings)\n" in out


@pytest.mark.parametrize("reply", REPLIES)
def test_a_hostile_reply_is_never_stored(tmp_path: Path, reply: str) -> None:
    po, article = tmp_path / "es.po", parse_seed(SEED.encode(), Path("seeds/rain.txt"))
    translate_article(article, "es", FakeEngine(transform=lambda s: f"ES {s}"), po, None)
    stored = po.read_bytes()
    refused = FakeEngine(transform=lambda sentence: reply if "vote" in sentence else f"ES {sentence}")
    longer = parse_seed((SEED + f"\n{LATE}\n").encode(), Path("seeds/rain.txt"))
    with pytest.raises(EngineFailed) as raised:
        translate_article(longer, "es", refused, po, None)
    assert raised.value.missing == 1 and "1 sentence(s) not translated: fake's reply for" in str(raised.value)
    assert po.read_bytes() == stored, "the memory byte for byte"
    polib.pofile(str(po))  # and it still reads


REFUSALS = [
    # (sent, reply, refused because … or None)
    ("The vote.", "El voto.", None),
    ("Tab\there.", "Tab\taquí.", None),  # a control character the sentence has itself
    ("A ⟦T1⟧ here.", "Un ⟦T1⟧ aquí.", None),
    ("A ⟦T1⟧ here.", "Un ⟦T1⟧ ⟦T1⟧ aquí.", None),  # a duplicate: restoring the terms retries it unlocked
    ("Name \u200f mark.", "Nombre \u200f marca.", None),
    ("The vote.", "El\x00 voto.", "it has U+0000 (NUL)"),
    ("The vote.", "El\x1b[1m voto.", "it has U+001B (ESC)"),
    ("The vote.", "El\x7f voto.", "it has U+007F (DEL)"),
    ("The vote.", "El\x9b voto.", "it has U+009B (control)"),
    ("The vote.", "El voto\n.", "it has U+000A (control)"),
    ("The vote.", "El \u202evoto.", "it has U+202E (RIGHT-TO-LEFT OVERRIDE)"),
    ("The vote.", "El \u2067voto\u2069.", "it has U+2067 (RIGHT-TO-LEFT ISOLATE), U+2069 (POP DIRECTIONAL ISOLATE)"),
    ("The vote.", "El ⟦T1⟧ voto.", "it has lock placeholder(s) that were not sent: ⟦T1⟧"),
    ("A ⟦T1⟧ here.", "Un ⟦T1⟧ ⟦T99⟧ aquí.", "it has lock placeholder(s) that were not sent: ⟦T99⟧"),
    ("Vote.", "v" * (GROWTH * 5 + SLACK), None),
    ("Vote.", "v" * (GROWTH * 5 + SLACK + 1), f"it is {GROWTH * 5 + SLACK + 1} characters long, over the limit of 150"),
]


@pytest.mark.parametrize(("sent", "reply", "why"), REFUSALS)
def test_what_a_reply_is_refused_for(sent: str, reply: str, why: str | None) -> None:
    found = refusal(sent, reply)
    assert found == why if why is None else found.startswith(why), found


def test_without_an_engine_the_memory_alone_translates_and_names_what_made_it(tmp_path: Path) -> None:
    po, article = tmp_path / "es.po", parse_seed(SEED.encode(), Path("seeds/rain.txt"))
    translate_article(article, "es", FakeEngine("apertium", lambda s: f"ES {s}"), po, None)
    stored = po.read_bytes()
    found = translate_article(article, "es", NoEngine("apertium", "apertium: it is failing"), po, None)
    assert (found.engine, found.model, found.engine_calls) == ("apertium", "apertium 1", 0)
    assert po.read_bytes() == stored
    other = tmp_path / "none.po"
    with pytest.raises(PressError, match=r"4 sentence\(s\) not translated: .*no engine here .*: it is failing"):
        translate_article(article, "es", NoEngine("apertium", "apertium: it is failing"), other, None)
    assert not other.exists(), "an article no engine could start on leaves no memory file"


def test_apertium_repaired_while_press_runs_is_seen(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, require) -> None:
    require("apertium", "sudo apt-get install apertium apertium-eng-spa")
    real = shutil.which("apertium")
    script = fail_first_on_path(tmp_path, monkeypatch, "apertium", FAILURES[0])
    engine = ApertiumEngine()
    assert engine.unavailable("en", "es").reason.endswith(f"but failing (exit status 1: {FAILURES[0]})")
    script.write_text(f'#!/bin/sh\nexec {shlex.quote(str(real))} "$@"\n', encoding="utf-8")  # reinstalled
    assert engine.unavailable("en", "es") is None, "a failure is not remembered (make serve keeps running)"
