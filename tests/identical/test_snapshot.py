"""The byte-identity script (``snapshot.py``): its comparison, and that its build is reproducible, which is
what makes "identical before and after a change of the code" mean something."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import require_command

SCRIPT = Path(__file__).with_name("snapshot.py")


def manifest(path: Path, files: dict[str, str]) -> Path:
    path.write_text(json.dumps(files), encoding="utf-8")
    return path


def compare(before: Path, after: Path, *options: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, SCRIPT, "compare", *options, before, after]
    return subprocess.run(command, check=False, capture_output=True, text=True)


def test_compare_names_every_difference(tmp_path: Path) -> None:
    before = manifest(tmp_path / "a.json", {"docs/en/a.md": "1", "dist/b.epub": "2", "site/c.html": "3"})
    after = manifest(tmp_path / "b.json", {"docs/en/a.md": "1", "dist/b.epub": "X", "site/d.html": "4"})
    done = compare(before, after)
    assert done.returncode == 1
    assert done.stdout.split("\n")[:3] == ["differs: dist/b.epub", "missing: site/c.html", "new:     site/d.html"]
    assert compare(before, before).returncode == 0 and "identical: 3 files" in compare(before, before).stdout


def test_only_the_book_keys_may_differ_when_the_code_changed(tmp_path: Path) -> None:
    before = manifest(tmp_path / "a.json", {"dist/.inputs.en.json": "1", "dist/b.uk.epub": "2", "site/c.html": "3"})
    keys = manifest(tmp_path / "b.json", {"dist/.inputs.en.json": "X", "dist/b.uk.epub": "2", "site/c.html": "3"})
    book = manifest(tmp_path / "c.json", {"dist/.inputs.en.json": "X", "dist/b.uk.epub": "Y", "site/c.html": "3"})
    assert compare(before, keys).returncode == 1, "strict by default"
    tolerated = compare(before, keys, "--code-changed")
    assert tolerated.returncode == 0 and "1 differ, as they must" in tolerated.stdout
    assert "identical: 2 files" in tolerated.stdout
    assert compare(before, book, "--code-changed").stdout.endswith("differs: dist/b.uk.epub\n")


@pytest.mark.slow
def test_two_builds_of_one_tree_are_byte_identical(tmp_path: Path) -> None:
    """en, es (Apertium) and uk (a copying Argos model) with books and the site, built twice."""
    require_command("apertium", "sudo apt-get install apertium-eng-spa")
    for name in ("a", "b"):
        subprocess.run([sys.executable, SCRIPT, "build", tmp_path / f"{name}.json"], check=True, capture_output=True)
    files = json.loads((tmp_path / "a.json").read_text(encoding="utf-8"))
    assert {name.split("/")[0] for name in files} == {"docs", "dist", "site", "translations"}
    assert any(name.startswith("dist/") and name.endswith(".uk.pdf") for name in files)
    done = compare(tmp_path / "a.json", tmp_path / "b.json")
    assert done.returncode == 0, done.stdout
