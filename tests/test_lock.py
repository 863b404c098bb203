"""One writer at a time: the project's lock, as a second run, a dead run and two racing runs meet it.

Two ``press build`` at once used to delete each other's outputs and leave a record saying they were up to
date. Now every command that writes the project holds ``.press/locks/press.lock``: a second one waits, or
stops with one line naming the first by its pid; the outputs are always one build's, whole, and a build
says "nothing changed" only when that is true. ``PRESS_RACE_ROUNDS`` sets how many races each pair runs
(the issue asked for twenty: ``PRESS_RACE_ROUNDS=20``).
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from tools.build import build
from tools.errors import PressError
from tools.layout import Layout
from tools.lock import one_writer
from tools.memory.files import locked

ROOT = Path(__file__).resolve().parents[1]
EPOCH = "1770000000"
ROUNDS = int(os.environ.get("PRESS_RACE_ROUNDS", "3"))
SEED = " date 2026-02-09 Europe tightens the net around the shadow fleet\nby: Olena Marchenko\n\n{}\n"
TEXTS = [  # the seed's two states: each race builds the other one
    "Baltic states began inspecting tankers of the shadow fleet that carries Russian oil.",
    "Baltic states began inspecting tankers that carry Russian crude.\n\nThe inspections will go on all winter.",
]
HOLD = """
import sys
from pathlib import Path
from tools.layout import Layout
from tools.lock import one_writer
with one_writer(Layout(Path(sys.argv[1])), sys.argv[2]):
    print("held", flush=True)
    sys.stdin.readline()
"""


def env(wait: str) -> dict[str, str]:
    return dict(os.environ, PYTHONPATH=str(ROOT), SOURCE_DATE_EPOCH=EPOCH, PRESS_LOCK_WAIT=wait, LANG="C.UTF-8")


def press(root: Path, *args: str, wait: str = "0") -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "tools", *args, "--root", str(root)]
    return subprocess.run(command, capture_output=True, text=True, check=False, env=env(wait))


@contextlib.contextmanager
def holding(root: Path, command: str = "press build") -> Iterator[subprocess.Popen]:
    """Another process holding the project's writer lock (as ``command``) until the block ends."""
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(root), command], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
        env=env("0"),
    )  # fmt: skip
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "held\n"
        yield holder
    finally:
        if holder.stdin is not None:
            holder.stdin.close()
        holder.wait()


def busy_line(root: Path, command: str, pid: int) -> str:
    """What a writer that found the lock taken prints (its only line)."""
    lock = Layout(root).writer_lock
    return (
        f"error: {lock}: another {command} is running (pid {pid}); "
        f"fix: wait for it to finish (PRESS_LOCK_WAIT=SECONDS waits longer, now 0 s), or stop it: kill {pid}"
    )


WRITERS = {
    "build": ["build"],
    "site": ["site"],
    "ebooks": ["ebooks"],
    "check": ["check"],
    "memory import": ["memory", "import", "in.xlf"],
    "review --accept": ["review", "es", "an-article", "--accept", "1"],
}


@pytest.mark.parametrize("args", WRITERS.values(), ids=WRITERS.keys())
def test_a_second_writer_stops_with_one_line_naming_the_first(tmp_path: Path, args: list[str]) -> None:
    with holding(tmp_path, "press site") as holder:
        run = press(tmp_path, *args)
    assert run.returncode == 1
    assert run.stderr.splitlines() == [busy_line(tmp_path, "press site", holder.pid)]


def test_a_build_called_from_python_holds_the_lock_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PRESS_LOCK_WAIT", "0")
    with holding(tmp_path, "press site") as holder, pytest.raises(PressError) as stopped:
        build(tmp_path)
    assert str(stopped.value) == busy_line(tmp_path, "press site", holder.pid).removeprefix("error: ")


def test_a_reader_does_not_wait_for_the_writer(tmp_path: Path) -> None:
    with holding(tmp_path):
        run = press(tmp_path, "check", "--no-write")
    assert "another press" not in run.stderr


def test_a_waiting_writer_runs_when_the_first_ends(tmp_path: Path) -> None:
    layout, taken = Layout(tmp_path), threading.Event()

    def second() -> None:
        with one_writer(layout, "press site", wait=120):
            taken.set()

    with holding(tmp_path):
        waiting = threading.Thread(target=second)
        waiting.start()
        assert not taken.is_set()  # the holder has it: the second waits
    waiting.join()
    assert taken.is_set()


def test_a_lock_left_by_a_killed_run_is_taken_over(tmp_path: Path) -> None:
    lock = Layout(tmp_path).writer_lock
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(tmp_path), "press build"], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True, env=env("0"))  # fmt: skip
    assert holder.stdout is not None and holder.stdout.readline() == "held\n"
    holder.kill()
    holder.wait()
    assert lock.read_text() == f"{holder.pid} press build\n"  # its pid is left, its lock is not
    with one_writer(Layout(tmp_path), "press site", wait=0):
        assert lock.read_text() == f"{os.getpid()} press site\n"
        with one_writer(Layout(tmp_path), "press build", wait=0):  # re-entrant within a process
            pass
    assert lock.read_text() == ""


@pytest.mark.parametrize("wait", ["soon", "-1", "inf", "nan"])
def test_a_bad_wait_is_one_line(tmp_path: Path, wait: str) -> None:
    run = subprocess.run([sys.executable, "-m", "tools", "build", "--root", str(tmp_path)], capture_output=True,
                         text=True, check=False, env=env(wait))  # fmt: skip
    assert run.returncode == 1
    assert run.stderr.splitlines() == [
        f"error: press: PRESS_LOCK_WAIT={wait!r} is not a number of seconds; fix: set PRESS_LOCK_WAIT=30, or unset it"
    ]


def test_memory_locks_write_nothing_into_translations(tmp_path: Path) -> None:
    layout = Layout(tmp_path)
    memory = layout.memory("es", "an-article")
    memory.parent.mkdir(parents=True)
    with locked(memory), locked(layout.glossary_memory("es")):
        pass
    assert list(layout.translations.rglob("*")) == [memory.parent]  # mkdocs serve watches translations/
    assert sorted(p.name for p in layout.locks.rglob("*.lock")) == ["an-article.po.lock", "glossary.po.lock"]
    loose = tmp_path / "elsewhere.po"  # a memory outside a project keeps its lock beside it
    with locked(loose):
        pass
    assert (tmp_path / ".elsewhere.po.lock").is_file()


def tiny(root: Path, text: str = TEXTS[0]) -> Path:
    """A project of one short English article: no glossary, no other edition."""
    (root / "seeds").mkdir(parents=True, exist_ok=True)
    (root / "seeds" / "001_fleet.txt").write_text(SEED.format(text), encoding="utf-8")
    (root / "editions.yml").write_text("source_language: en\nlanguages: []\n", encoding="utf-8")
    (root / "mkdocs.yml").write_bytes((ROOT / "mkdocs.yml").read_bytes())
    return root


def test_a_build_whose_outputs_differ_from_its_record_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    root = tiny(tmp_path)
    build(root)
    layout = Layout(root)
    front = layout.docs / "en" / "index.md"
    whole = front.read_bytes()
    front.unlink()  # as a racing build did, before the other one wrote its mark
    os.utime(layout.build_mark)
    run = press(root, "build")
    assert run.returncode == 0, run.stderr
    assert "nothing changed" not in run.stdout
    assert front.read_bytes() == whole
    assert "nothing changed since the last build" in press(root, "build").stdout


# --- races: real processes, a tiny project, each round's outputs against clean builds of the same seed ---


def outputs(root: Path, site: bool) -> dict[str, bytes]:
    """Every generated file a reader gets (pages, books, the site configuration; the site), by path."""
    layout = Layout(root)
    tops = [layout.docs, layout.dist, layout.site_config, *([layout.site] if site else [])]
    files = [p for top in tops for p in ([top] if top.is_file() else top.rglob("*")) if p.is_file()]
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in files}


@pytest.fixture(scope="module")
def race_project(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[dict[str, bytes]]]:
    """The tiny project built (and its site) from each state of its seed, one after the other: the outputs of
    each, as a clean run makes them."""
    root = tiny(tmp_path_factory.mktemp("race"))
    references = []
    for text in TEXTS:
        (root / "seeds" / "001_fleet.txt").write_text(SEED.format(text), encoding="utf-8")
        for command in ("build", "site"):
            run = press(root, command)
            assert run.returncode == 0, run.stderr
        references.append(outputs(root, site=True))
    return root, references


def race(root: Path, commands: tuple[str, str], wait: str) -> list[tuple[int, int, str]]:
    """Both commands started at once: each one's pid, exit status and standard error."""
    pipes = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE, "text": True, "env": env(wait)}
    runs = [
        subprocess.Popen([sys.executable, "-m", "tools", command, "--root", str(root)], **pipes) for command in commands
    ]
    errors = [run.communicate()[1] for run in runs]
    return [(run.pid, run.returncode, stderr) for run, stderr in zip(runs, errors)]


def split(files: dict[str, bytes]) -> tuple[dict[str, bytes], dict[str, bytes]]:
    """The outputs press build makes, and the site press site makes."""
    site = {k: v for k, v in files.items() if k.startswith("site/")}
    return {k: v for k, v in files.items() if k not in site}, site


@pytest.mark.slow
@pytest.mark.parametrize("commands", [("build", "build"), ("build", "site")], ids=["build-build", "build-site"])
def test_racing_writers_leave_whole_outputs_and_a_true_record(
    race_project: tuple[Path, list[dict[str, bytes]]], commands: tuple[str, str]
) -> None:
    root, references = race_project
    built, sites = zip(*(split(reference) for reference in references))
    for round_ in range(ROUNDS):
        state = (round_ + 1) % len(TEXTS)
        (root / "seeds" / "001_fleet.txt").write_text(SEED.format(TEXTS[state]), encoding="utf-8")
        wait = "0" if round_ % 2 else "120"  # the second stops at once, or waits for the first
        runs = race(root, commands, wait)
        for (pid, status, stderr), command, (other, _, _) in zip(runs, reversed(commands), reversed(runs)):
            assert "Traceback" not in stderr
            if status:  # only the lock stops a run, only when it may not wait, and in one line
                assert wait == "0"
                assert stderr.splitlines() == [busy_line(root, f"press {command}", other)]
        now, site = split(outputs(root, site=True))
        assert now in built  # one build's outputs, whole: never a mix, never a page short
        assert site in sites
        said = press(root, "build")  # the record is true: "nothing changed" only when the outputs are this seed's
        assert said.returncode == 0, said.stderr
        if "nothing changed" in said.stdout:
            assert now == built[state]
        assert outputs(root, site=False) == built[state]
