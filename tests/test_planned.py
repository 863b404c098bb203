"""Languages planned in editions.yml: off on purpose, so never translated nor built, said in one line of the
editions table; the term base still keeps them in mind (press glossary check), and a listed language no
engine here can serve stays as loud as before."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import copy_project  # tests/ is on the path: helpers, not fixtures

from tools.build import Edition, editions_table
from tools.engines import Unavailable

ROOT = Path(__file__).resolve().parents[1]
EVERY_EDITION_LANGUAGE = ("uk", "ru", "de", "fr", "es", "pl", "ca")  # the languages glossary/definitions/ carries


def press(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "tools", *args, "--root", str(root)],
        capture_output=True, text=True, check=False, cwd=ROOT,
    )  # fmt: skip


def unavailable(lang: str) -> Unavailable:
    return Unavailable(f"no Argos model for en→{lang} is installed", f"press models install translate-en_{lang}-1.0")


# (the languages planned, the line the table ends with)
TABLE = [
    ((), None),
    (("pl",), "pl   planned  not built: planned in editions.yml (move it into languages to build it)"),
    (
        ("uk", "ru", "de"),
        "uk, ru, de  planned  not built: planned in editions.yml (move one into languages to build it)",
    ),
]


@pytest.mark.parametrize("planned, line", TABLE)
def test_the_planned_languages_are_one_line_after_the_editions(planned: tuple[str, ...], line: str | None) -> None:
    editions = [
        Edition("en"),
        Edition("es", engine="apertium", model="eng-spa", machine=3),
        Edition("fr", tried=[("argos", unavailable("fr"))]),
    ]
    table = editions_table(editions, planned)
    assert table[:4] == [
        "en   built    source edition",
        "es   built    apertium eng-spa, 0% reviewed (3 machine, 0 reviewed)",
        "fr   skipped  no engine here can serve it",
        "       argos: no Argos model for en→fr is installed; fix: press models install translate-en_fr-1.0",
    ], "a listed language no engine serves stays loud"
    assert table[4:] == ([line] if line else [])


def test_a_build_with_every_language_planned_asks_no_engine_and_says_so_once(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    (project / "editions.yml").write_text(f"languages: []\nplanned: [{', '.join(EVERY_EDITION_LANGUAGE)}]\n")
    run = press(project, "build", "--strict")
    assert run.returncode == 0 and run.stderr == "", run.stderr  # no warning: the planned definitions are not stray
    editions = run.stdout.split("editions:\n", 1)[1].splitlines()
    assert editions == [
        "  en   built    source edition",
        "  uk, ru, de, fr, es, pl, ca  planned  not built: planned in editions.yml (move one into languages to build it)",
    ]
    assert sorted(p.name for p in (project / "docs").iterdir()) == ["en"]
    assert not (project / "translations").exists() or not any((project / "translations").glob("*/*.po"))
    again = press(project, "build")
    assert again.stdout.split("editions:\n", 1)[1].splitlines() == editions, "a no-op build says the same"


def test_a_planned_language_the_term_base_lacks_stops_no_build_and_is_a_warning_in_the_glossary_check(
    tmp_path: Path,
) -> None:
    project = copy_project(tmp_path)
    # ca as the term base had it before it was written: no rendering in Catalan, and no ca.yml
    terms = project / "glossary" / "terms.yml"
    text = re.sub(r"\n      ca:\n(?:        .*\n)+", "\n", terms.read_text(encoding="utf-8"))
    terms.write_text(re.sub(r"\n    ca: .*", "", text), encoding="utf-8")
    (project / "glossary" / "definitions" / "ca.yml").unlink()
    (project / "editions.yml").write_text(f"languages: []\nplanned: [{', '.join(EVERY_EDITION_LANGUAGE)}]\n")
    run = press(project, "build")
    assert run.returncode == 0, run.stderr
    assert "ca  planned  not built" in run.stdout and "'ca'" not in run.stderr
    check = press(project, "glossary", "check")
    assert check.returncode == 0, check.stderr
    assert "term 'anchorage-formula' has no rendering for 'ca'" in check.stderr
    assert "error" not in check.stderr and "ca.yml does not exist" in check.stderr
    assert press(project, "glossary", "check", "--strict").returncode == 1
    (project / "editions.yml").write_text("languages: [ca]\n")  # listed: the term base must serve it
    listed = press(project, "build")
    assert listed.returncode == 1 and "has no rendering for 'ca'" in listed.stderr


def test_the_projects_own_configuration_builds_spanish_and_plans_the_rest(project: Path, require) -> None:
    require("apertium", "sudo apt-get install apertium apertium-eng-spa")
    run = press(project, "build", "--strict")
    assert run.returncode == 0, run.stderr
    editions = run.stdout.split("editions:\n", 1)[1]
    assert "  es   built    apertium eng-spa" in editions
    assert "  uk, ru, de, fr, pl, ca  planned  not built: planned in editions.yml" in editions
    assert "skipped" not in editions and "<lang>" not in editions, "nothing is off by accident"
    assert sorted(p.name for p in (project / "docs").iterdir()) == ["en", "es"]
