"""The press command as a person uses it: help, typeset, build, ingest, repair, and its errors."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # press as a user runs it, a process per command

ROOT = Path(__file__).resolve().parents[1]


def press(*args: str, stdin: str | None = None, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "tools", *args],
        input=stdin,
        capture_output=True,
        text=True,
        check=False,
        cwd=cwd,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), "LANG": "C.UTF-8"},
    )


def test_help_reads_well() -> None:
    run = press("--help")
    assert run.returncode == 0
    for command in ("build", "typeset", "ingest", "repair"):
        assert command in run.stdout
    assert "examples:" in run.stdout
    assert "--lang {ca,de,en,es,fr,pl,ru,uk}" in press("typeset", "--help").stdout


def test_typeset_stdin_with_explanation() -> None:
    run = press("typeset", "-", "--lang", "uk", "--explain", stdin='Він сказав "так" - і пішов...\n')
    assert run.returncode == 0
    assert run.stdout == "Він сказав «так»\u00a0— і\u00a0пішов…\n"
    for rule in ("quotes", "dashes", "ellipsis", "short-words"):
        assert f"  {rule} " in run.stderr
    assert "⍽" in run.stderr, "no-break spaces are shown visibly"


def test_typeset_check_and_output(tmp_path: Path) -> None:
    source = tmp_path / "a.md"
    source.write_text('# A "title"\n', encoding="utf-8")
    assert press("typeset", str(source), "--lang", "en", "--check").returncode == 1
    out = tmp_path / "b.md"
    assert press("typeset", str(source), "--lang", "en", "-o", str(out)).returncode == 0
    assert out.read_text(encoding="utf-8") == "# A “title”\n"
    assert press("typeset", str(out), "--lang", "en", "--check").returncode == 0


def test_typeset_warns_on_unbalanced_quotes(tmp_path: Path) -> None:
    source = tmp_path / "u.md"
    source.write_text('Fine.\n\nHe said "yes and left.\n', encoding="utf-8")
    run = press("typeset", str(source), "--lang", "en")
    assert run.returncode == 0
    assert run.stdout == 'Fine.\n\nHe said "yes and left.\n'
    assert f"{source}:3: [en] typography: unbalanced quotes" in run.stderr  # as press build shows it


@pytest.mark.parametrize(
    "args, status, message",
    [
        (["typeset", "missing.md", "--lang", "en"], 1, "error: missing.md: cannot read"),
        (["typeset", "-", "--lang", "xx"], 2, "invalid choice: 'xx'"),
        (["ingest", "nowhere.txt"], 1, "error: nowhere.txt: cannot read the seed"),
    ],
)
def test_errors_are_one_line(args: list[str], status: int, message: str) -> None:
    run = press(*args, stdin="")
    assert run.returncode == status
    assert message in run.stderr
    assert "Traceback" not in run.stderr


def test_build_error_keeps_the_last_good_edition(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    assert press("build", "--root", str(tmp_path)).returncode == 0
    page = next((tmp_path / "docs" / "en").glob("policy-*.md"))
    good = page.read_bytes()
    (tmp_path / "seeds" / "001_broken.txt").write_bytes("Текст без заголовка".encode("cp1251"))
    run = press("build", "--root", str(tmp_path))
    assert run.returncode == 1
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"error: {tmp_path}/seeds/001_broken.txt:1: not UTF-8")
    assert "iconv -f cp1251" in lines[0]
    assert page.read_bytes() == good


def test_build_strict_fails_on_warnings(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    assert press("build", "--root", str(tmp_path), "--strict").returncode == 0
    (tmp_path / "seeds" / "002.txt").write_bytes(b"\xef\xbb\xbf date 2026-03-01 BOM\r\n\r\nText.\r\n")
    run = press("build", "--root", str(tmp_path), "--strict")
    assert run.returncode == 1
    assert "seeds/002.txt: repair: dropped the UTF-8 byte order mark\n" in run.stderr and "--strict" in run.stderr


def test_ingest_and_repair(tmp_path: Path) -> None:
    run = press("ingest")
    assert run.returncode == 0
    assert "slug:       policy-of-personal-diplomacy-that-donald-trump-has" in run.stdout
    legacy = tmp_path / "old.txt"
    legacy.write_bytes(" date 2026-02-02 Стара «стаття»\n\nТекст.\n".encode("cp1251"))
    fixed = tmp_path / "new.txt"
    run = press("repair", str(legacy), str(fixed))
    assert run.returncode == 0, run.stderr
    assert fixed.read_text(encoding="utf-8").startswith(" date 2026-02-02 Стара «стаття»")
    assert press("repair", str(fixed), str(fixed)).returncode == 1


def test_new_writes_a_seed_the_build_reads(tmp_path: Path, capsys) -> None:
    from tools.cli import main
    from tools.ingest import read_seed

    (tmp_path / "seeds").mkdir()
    text = tmp_path / "draft.txt"
    text.write_text("First paragraph,\nhard-wrapped.\n\n\nSecond paragraph.\n", encoding="utf-8")
    args = ["new", "Sanctions  <bite> hard", "--by", "Jane Doe", "--date", "2026-11-27", "--text", str(text)]
    assert main([*args, "--root", str(tmp_path)]) == 0
    article = read_seed(tmp_path / "seeds" / "000_sanctions-bite-hard.txt")
    assert (article.title, article.by, article.id) == ("Sanctions <bite> hard", "Jane Doe", "000_sanctions-bite-hard")
    assert [p.text for p in article.paragraphs] == ["First paragraph, hard-wrapped.", "Second paragraph."]
    assert main(["new", "Another", "--root", str(tmp_path)]) == 0, "header only: the author adds the text"
    assert (tmp_path / "seeds" / "001_another.txt").read_text(encoding="utf-8").startswith(" date 20")
    assert main(["new", "Bad date", "--date", "2026-02-30", "--root", str(tmp_path)]) == 1
    assert "bad date '2026-02-30'" in capsys.readouterr().err
    assert not (tmp_path / "seeds" / "002_bad-date.txt").exists()


# (headline, the file press new names): the slug is cut at a word, never inside one
NEW_SEED_NAMES = [
    ("Sanctions bite hard, officials say -- with caveats", "000_sanctions-bite-hard-officials-say-with.txt"),
    ("The shadow fleet sails on -- with caveats", "000_shadow-fleet-sails-on-with-caveats.txt"),
    ("Sanctions bite", "000_sanctions-bite.txt"),
    ("Europe tightens the net around Russia's shadow fleet", "000_europe-tightens-the-net-around-russia-s.txt"),
    ("Тіньовий флот Росії обходить санкції — з застереженнями", "000_tinovyy-flot-rosiyi-obkhodyt-sanktsiyi-z.txt"),
    # a first word longer than the limit: cut, as there is no word boundary to cut at
    ("Antidisestablishmentarianismsupercalifragilistic rises", "000_antidisestablishmentarianismsupercalifra.txt"),
    ("!!!", "000_article.txt"),
]


@pytest.mark.parametrize("headline, name", NEW_SEED_NAMES)
def test_new_names_the_seed_by_whole_words(headline: str, name: str, tmp_path: Path) -> None:
    from tools.cli import main

    (tmp_path / "seeds").mkdir()
    assert main(["new", headline, "--date", "2026-11-27", "--root", str(tmp_path)]) == 0
    assert [p.name for p in (tmp_path / "seeds").iterdir()] == [name]
    assert len(name) <= len("000_.txt") + 40


# Commands whose reader may stop early (| head): each ends quietly with 141, as a command killed by SIGPIPE
CLOSED_PIPE_COMMANDS = [
    ["glossary", "show", "shadow fleet"],
    ["--help"],
    ["ingest", "seeds/000_665afb2dddca8924.txt"],
    ["typeset", "seeds/000_665afb2dddca8924.txt", "--lang", "en"],
    ["glossary", "check"],
]


@pytest.mark.parametrize("args", CLOSED_PIPE_COMMANDS, ids=" ".join)
def test_a_reader_that_stops_reading_gets_no_traceback(args: list[str]) -> None:
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before the first line is written: every write meets a closed pipe
    try:
        run = subprocess.run(
            [sys.executable, "-m", "tools", *args],
            stdout=write_end, stderr=subprocess.PIPE, text=True, check=False, cwd=ROOT,
            env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), "LANG": "C.UTF-8"},
        )  # fmt: skip
    finally:
        os.close(write_end)
    assert (run.returncode, run.stderr) == (141, "")
