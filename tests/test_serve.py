"""``make serve`` is calm: one seed edit, one rebuild, one reload, a line that says what changed; a seed error
is one line and the preview keeps its pages.

A real ``mkdocs serve`` (as ``make serve`` starts it, with the ``-w`` folders an older Makefile gave it) on a
free 127.0.0.1 port, over a tiny project with a Spanish edition by Apertium (its memories and the glossary's
are written by each build: their lock files used to start the next build, 53 times in two minutes). The
server is stopped by its PID.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import require_command  # tests/ is on the path: helpers, not fixtures

from tools.layout import Layout

ROOT = Path(__file__).resolve().parents[1]
SEED = " date 2026-02-09 Europe tightens the net around the shadow fleet\nby: Olena Marchenko\n\n{}\n"
FIRST = "Baltic states began inspecting tankers of the shadow fleet that carries Russian oil."
EDITED = "Baltic states began inspecting tankers of the shadow fleet that carries Russian crude."
SLUG = "europe-tightens-the-net-around-the-shadow-fleet"
LIMIT = 300  # seconds: a server that never settles fails the test instead of hanging it
QUIET = 5  # seconds without a new log line: ten of the watcher's polls


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Path, int, Path]]:
    """A built tiny project (en, and es by Apertium) under a running ``mkdocs serve``: root, port, log file."""
    require_command("apertium", "sudo apt-get install apertium apertium-eng-spa")
    root = tmp_path / "project"
    (root / "seeds").mkdir(parents=True)
    (root / "seeds" / "001_fleet.txt").write_text(SEED.format(FIRST), encoding="utf-8")
    (root / "editions.yml").write_text("source_language: en\nlanguages: [es]\nengines:\n  es: [apertium]\n")
    shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(ROOT / "glossary", root / "glossary")
    env = dict(os.environ, PYTHONPATH=str(ROOT), NO_MKDOCS_2_WARNING="1", SOURCE_DATE_EPOCH="1770000000")
    subprocess.run([sys.executable, "-m", "tools", "build", "-q", "--root", str(root)], check=True, env=env)
    port, log = free_port(), tmp_path / "serve.log"
    command = [sys.executable, "-m", "mkdocs", "serve", "-f", "mkdocs.site.yml", "-a", f"127.0.0.1:{port}"]
    with open(log, "w") as out:
        server = subprocess.Popen([*command, "-w", "seeds", "-w", "translations"], cwd=root, env=env, stdout=out,
                                  stderr=subprocess.STDOUT)  # fmt: skip
    try:
        settle(log, "Serving on")
        yield root, port, log
    finally:
        server.terminate()
        server.wait(timeout=60)


def settle(log: Path, needle: str, after: int = 0) -> list[str]:
    """The log's lines from line ``after`` on, once ``needle`` is among them and the log has been quiet."""
    deadline, last, quiet_since = time.monotonic() + LIMIT, None, time.monotonic()
    while time.monotonic() < deadline:
        lines = log.read_text().splitlines()[after:]
        if lines != last:
            last, quiet_since = lines, time.monotonic()
        elif any(needle in line for line in lines) and time.monotonic() - quiet_since >= QUIET:
            return lines
        time.sleep(0.5)
    raise AssertionError(f"mkdocs serve never settled after {needle!r}:\n" + log.read_text())


def count(lines: list[str], words: str) -> int:
    return sum(words in line for line in lines)


@pytest.mark.slow
def test_one_seed_edit_is_one_rebuild_and_a_seed_error_keeps_the_pages(served: tuple[Path, int, Path]) -> None:
    root, port, log = served
    seed = Layout(root).seeds / "001_fleet.txt"
    start = len(log.read_text().splitlines())
    seed.write_text(SEED.format(EDITED), encoding="utf-8")
    lines = settle(log, "Reloading browsers", start)
    assert count(lines, "Detected file changes") == 1, "\n".join(lines)
    assert count(lines, "Building documentation") == 1
    assert count(lines, "Reloading browsers") == 1
    said = [line for line in lines if "press build:" in line]
    assert len(said) == 1 and said[0].startswith("INFO    -  press build: seeds/001_fleet.txt changed: ")
    assert "mkdocs_static_i18n" not in "\n".join(lines) and '"nav"' not in "\n".join(lines)
    assert len(lines) <= 6  # detected, building, press build, built in, reloading (and a warning at most)
    page = f"http://127.0.0.1:{port}/{SLUG}/"
    assert "Russian crude" in urllib.request.urlopen(page, timeout=60).read().decode()

    start = len(log.read_text().splitlines())
    seed.write_text(SEED.format(FIRST).replace("2026-02-09", "2026-02-30"), encoding="utf-8")
    lines = settle(log, "Reloading browsers", start)
    errors = [line for line in lines if "ERROR" in line or "error" in line]
    error = (
        "ERROR   -  press build: error: seeds/001_fleet.txt:1: bad date '2026-02-30' in the header; fix: write a "
        "real date as YYYY-MM-DD, e.g. 2026-02-02 (the preview keeps the pages it had)"
    )
    assert errors == [error], "\n".join(lines)
    assert count(lines, "Building documentation") == 1
    assert "Russian crude" in urllib.request.urlopen(page, timeout=60).read().decode()  # the pages it had
