"""Every fault is one line, and nothing changes (issue 21): the fault cases of tests/hostile/cases.yml, each put into
a copy of a built project (English, and Spanish by Apertium) whose next build would change every output, must
stop `press build` with one line naming the file (and line) and the fix, no traceback, and leave the pages, books,
memories and published.yml byte for byte; a full disk and a read-only folder are made real with a mount."""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import socket
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, copy_project, require_command

from tools import fsutil
from tools.build import build
from tools.cli import main
from tools.config import read_settings
from tools.errors import PressError
from tools.fsutil import write_atomic
from tools.glossary.report import glossary_report
from tools.glossary.termbase import load_termbase
from tools.ingest import parse_seed

CASES = yaml.safe_load((ROOT / "tests" / "hostile" / "cases.yml").read_text(encoding="utf-8"))["cases"]
KINDS = ("termbase-entry", "seed-date", "seeds-entry", "mkdocs", "write-fault")
FAULTS = [case for case in CASES if case["where"] in KINDS]
SEED = "000_665afb2dddca8924.txt"
WATCHED = ("docs", "dist", "translations", "published.yml", "mkdocs.site.yml")  # outputs, memories, slugs


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project with its English and Spanish (Apertium) editions, built once for the module."""
    require_command("apertium", "sudo apt-get install apertium apertium-eng-spa")
    root = copy_project(tmp_path_factory.mktemp("built"))
    (root / "editions.yml").write_text("source_language: en\nlanguages: [es]\nengines:\n  es: [apertium]\n")
    build(root)
    return root


@pytest.fixture
def project(built: Path, tmp_path: Path) -> Path:
    """A copy of the built project whose seed's title is edited: a build that went through would change every
    output and published.yml."""
    root = Path(shutil.copytree(built, tmp_path / "project", symlinks=True))
    seed = root / "seeds" / SEED
    first, rest = seed.read_text(encoding="utf-8").split("\n", 1)
    seed.write_text(first.replace("strategic impasse", "strategic dead end") + "\n" + rest, encoding="utf-8")
    return root


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file of the outputs, the memories and published.yml, by path; not the filler that fills a disk, nor the
    templates (.pot), which follow the seeds as they are read, for translators' tools."""
    files = {}
    for name in WATCHED:
        top = root / name
        for path in [top] if top.is_file() else sorted(p for p in top.rglob("*") if p.is_file()):
            if path.name != "filler" and path.suffix != ".pot":
                files[str(path.relative_to(root))] = path.read_bytes()
    return files


def press_build(root: Path) -> subprocess.CompletedProcess:
    """`press build` as a user runs it (a hang is a failure after a generous bound)."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    command = [sys.executable, "-m", "tools", "build", "--root", str(root)]
    return subprocess.run(command, capture_output=True, text=True, timeout=300, env=env, check=False)


@pytest.mark.parametrize("case", FAULTS, ids=lambda c: f"{c['where']}: {c['payload']}"[:60])
def test_a_fault_is_one_line_and_changes_nothing(case: dict, project: Path) -> None:
    before = snapshot(project)
    with fault(project, case["where"], case["payload"]) as (path, line):
        run = press_build(project)
        after = snapshot(project)
    where = f"error: {path}:{line}: " if line else f"error: {path}"
    assert run.returncode == 1, run.stderr
    assert "Traceback" not in run.stderr, run.stderr
    errors = [text for text in run.stderr.splitlines() if text.startswith("error: ")]
    assert len(errors) == 1 and errors[0].startswith(where) and "; fix: " in errors[0], run.stderr
    assert after == before, f"{case['why']}: the outputs, memories or published.yml changed"


@contextlib.contextmanager
def fault(root: Path, kind: str, payload: str) -> Iterator[tuple[Path, int | None]]:
    """Put the fault in place; yield the file (or folder) the error must name, and its line (None: no line)."""
    if kind == "termbase-entry":
        yield _append(root / "glossary" / "terms.yml", "  - " + payload)
    elif kind == "mkdocs":
        yield _append(root / "mkdocs.yml", payload)
    elif kind == "seed-date":
        seed = root / "seeds" / SEED
        first, rest = seed.read_text(encoding="utf-8").split("\n", 1)
        seed.write_text(first.replace(" date 2026-02-02 ", f" date {payload} ", 1) + "\n" + rest, encoding="utf-8")
        yield seed, 1
    elif kind == "seeds-entry":
        with _not_a_seed(root / "seeds" / "zz.txt", payload) as path:
            yield path, None
    else:
        how, folder = payload.split()
        target = root if folder == "project" else root / folder
        with _full(target) if how == "ENOSPC" else _read_only(target):
            yield target, None


def _append(path: Path, line: str) -> tuple[Path, int]:
    text = path.read_text(encoding="utf-8")
    text = text if text.endswith("\n") else text + "\n"
    path.write_text(text + line + "\n", encoding="utf-8")
    return path, text.count("\n") + 1


@contextlib.contextmanager
def _not_a_seed(path: Path, what: str) -> Iterator[Path]:
    if what == "fifo":
        os.mkfifo(path)
    elif what == "folder":
        path.mkdir()
    elif what == "link-out":
        outside = path.parents[2] / "secret.txt"
        outside.write_text(" date 2026-02-02 Not for publication\n\nA secret.\n", encoding="utf-8")
        path.symlink_to(outside)
    elif what == "device":
        try:
            os.mknod(path, stat.S_IFCHR | 0o600, os.makedev(1, 5))  # /dev/zero's numbers
        except PermissionError:
            pytest.skip("making a device node needs CAP_MKNOD")
    if what != "socket":
        yield path
        return
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(path))
        yield path


def _mount(*args: str) -> None:
    run = subprocess.run(["mount", *args], capture_output=True, text=True, check=False)
    if run.returncode != 0:
        pytest.skip(f"cannot mount here (root with CAP_SYS_ADMIN is needed): {run.stderr.strip()}")


@contextlib.contextmanager
def _full(folder: Path) -> Iterator[None]:
    """``folder`` on a tmpfs with its files and not a byte free."""
    require_command("mount", "sudo apt-get install mount")
    keep = folder.with_name(folder.name + ".kept")
    shutil.copytree(folder, keep, symlinks=True)
    _mount("-t", "tmpfs", "-o", f"size={_size(keep) + (1 << 20)}", "tmpfs", str(folder))
    try:
        shutil.copytree(keep, folder, symlinks=True, dirs_exist_ok=True)
        with (folder / "filler").open("wb") as filler, contextlib.suppress(OSError):
            while True:
                filler.write(b"\0" * 65536)
                filler.flush()
        yield
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)
        shutil.rmtree(keep)


def _size(folder: Path) -> int:
    return sum(p.stat().st_size + 4096 for p in folder.rglob("*") if p.is_file())


@contextlib.contextmanager
def _read_only(folder: Path) -> Iterator[None]:
    """``folder`` through a read-only bind mount of itself (chmod does not stop root)."""
    require_command("mount", "sudo apt-get install mount")
    _mount("--bind", str(folder), str(folder))
    try:
        _mount("-o", "remount,bind,ro", str(folder))
        yield
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


# --- the boundary, by injection: write_atomic and the CLI ------------------------------------------------------


def test_a_full_disk_at_write_atomic_is_one_line_and_the_file_stays(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "memory.po"
    path.write_bytes(b"reviewed work")

    def no_space(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(fsutil.os, "fsync", no_space)
    with pytest.raises(PressError) as caught:
        write_atomic(path, b"new work")
    assert str(caught.value) == (
        f"{path}: cannot write: No space left on device; fix: free space on the disk that holds it (df -h), "
        "then run the command again"
    )
    assert path.read_bytes() == b"reviewed work" and [p.name for p in tmp_path.iterdir()] == ["memory.po"]


def test_an_os_error_that_is_a_bug_stays_a_traceback(tmp_path: Path, monkeypatch) -> None:
    def bad_descriptor(fd: int) -> None:
        raise OSError(errno.EBADF, os.strerror(errno.EBADF))

    monkeypatch.setattr(fsutil.os, "fsync", bad_descriptor)
    with pytest.raises(OSError, match="Bad file descriptor"):
        write_atomic(tmp_path / "a.txt", "text")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("number", "fix"),
    [(errno.ENOSPC, "free space on the disk"), (errno.EROFS, "mount it read-write"), (errno.EACCES, "access to it")],
)
def test_the_cli_turns_a_refused_write_into_one_line(number: int, fix: str, monkeypatch, capsys) -> None:
    def refused(*args, **kwargs):
        raise OSError(number, os.strerror(number), "docs/en/index.md")

    monkeypatch.setattr("tools.build.build", refused)
    monkeypatch.setattr("tools.buildmark.unchanged_build", lambda layout: None)
    assert main(["build", "--root", "."]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"error: docs/en/index.md: {os.strerror(number)}; fix: ") and fix in err
    assert err.count("\n") == 1


def test_the_cli_lets_another_os_error_through(monkeypatch) -> None:
    def bug(*args, **kwargs):
        raise FileNotFoundError(errno.ENOENT, "No such file or directory", "nowhere")

    monkeypatch.setattr("tools.build.build", bug)
    monkeypatch.setattr("tools.buildmark.unchanged_build", lambda layout: None)
    with pytest.raises(FileNotFoundError):
        main(["build", "--root", "."])


# --- published.yml: written by a build that succeeded, and only by one ---------------------------------------


def test_published_slugs_are_recorded_only_when_the_build_succeeds(project: Path, monkeypatch) -> None:
    before = (project / "published.yml").read_bytes()
    seed = project / "seeds" / SEED
    seed.write_text(seed.read_text(encoding="utf-8").replace("The policy of", "A new slug: the policy of", 1))

    def fail(*args, **kwargs):
        raise PressError(None, None, "injected failure")

    with monkeypatch.context() as patch:
        patch.setattr("tools.build.compile_books", fail)
        with pytest.raises(PressError, match="injected failure"):
            build(project)
    assert (project / "published.yml").read_bytes() == before, "a failed build recorded its slugs"
    result = build(project)
    published = yaml.safe_load((project / "published.yml").read_text(encoding="utf-8"))
    assert published == {SEED.removesuffix(".txt"): [result.articles[0].slug, yaml.safe_load(before)[SEED[:-4]][0]]}


# --- a term that matches everywhere, and remote assets: the checks on their own ----------------------------------

TERM = "  - {{id: {id}, term: {term}, definition: One sentence., annotation: One. Two.{more}}}\n"


def test_a_term_of_one_letter_or_function_words_is_an_error_at_its_line(tmp_path: Path) -> None:
    path = tmp_path / "terms.yml"
    entries = [
        TERM.format(id="fine", term="shadow fleet", more=", forms: [shadow fleets]"),
        TERM.format(id="letter", term="x.", more=""),
        TERM.format(id="garble", term="grain deal", more=", forms:\n      [the, of the, of the grain]"),
        TERM.format(id="uk", term="price cap", more=", renderings: {uk: {term: стеля, cases: {gen: на}}}"),
    ]
    path.write_text("terms:\n" + "".join(entries), encoding="utf-8")
    _, problems = load_termbase(path)
    assert [(p.line, p.message.split(":")[1].strip()) for p in problems if p.severity == "error"] == [
        (3, "'x.' is a single letter"),
        (5, "'the' is a function word of 'en' (articles, prepositions, conjunctions, pronouns)"),
        (5, "'of the' is function words only of 'en' (articles, prepositions, conjunctions, pronouns)"),
        (6, "the 'uk' rendering"),
    ]
    assert "'на' is a function word of 'uk'" in str(problems[-1])


def test_a_form_as_common_as_a_function_word_is_a_warning_with_its_count(tmp_path: Path) -> None:
    path = tmp_path / "terms.yml"
    path.write_text("terms:\n" + TERM.format(id="common", term="will", more=", forms: [grain deal]"), encoding="utf-8")
    base, _ = load_termbase(path)
    text = "The grain deal. " + "It will hold. " * 20 + "Other words fill the page. " * 200
    article = parse_seed(f" date 2026-02-02 Grain\n\n{text}\n".encode(), Path("seeds/a.txt"))
    report = glossary_report(base, [article])
    assert [str(p) for p in report.problems if p.kind == "common-form"] == [
        f"{path}:2: common-form: term 'common': 'will' occurs 20 times in 1064 words of the seeds (18.8 per 1,000, "
        + "more than 5): a word that common is not a term, and every translation would lock it; fix: remove the form"
    ], "the grain deal, once, is not"


@pytest.mark.parametrize(
    ("lines", "line"),
    [
        ("extra_javascript: [https://cdn.example.com/x.js]", 2),
        ("extra_javascript:\n  - js/a.js\n  - path: //cdn.example.com/x.js\n    type: module", 4),
        ("extra_css: ['data:text/css,body{}']", 2),
    ],
)
def test_a_remote_script_or_stylesheet_is_refused_at_its_line(tmp_path: Path, lines: str, line: int) -> None:
    (tmp_path / "mkdocs.yml").write_text(f"site_name: N\n{lines}\n", encoding="utf-8")
    with pytest.raises(PressError, match="is not a file of the site") as caught:
        read_settings(tmp_path)
    assert caught.value.line == line


def test_local_scripts_and_stylesheets_are_the_site_s_own(tmp_path: Path) -> None:
    config = "site_name: N\nextra_javascript: [js/a.js, {path: js/b.mjs, type: module}]\nextra_css: [css/x.css]\n"
    (tmp_path / "mkdocs.yml").write_text(config, encoding="utf-8")
    assert read_settings(tmp_path).name == "N"


def test_a_read_only_edition_folder_stops_the_build_before_anything_moves(project: Path) -> None:
    """docs/es read-only: found when the staged pages would move in; the translations made are kept (memories)."""
    outputs = {name: files for name, files in snapshot(project).items() if not name.startswith("translations")}
    with _read_only(project / "docs" / "es"):
        run = press_build(project)
        after = {name: files for name, files in snapshot(project).items() if not name.startswith("translations")}
    assert run.returncode == 1 and "Traceback" not in run.stderr, run.stderr
    assert run.stderr.splitlines()[-1].startswith(f"error: {project / 'docs' / 'es'}: cannot write: Read-only")
    assert after == outputs
    assert not (project / ".press" / "stage").exists()
