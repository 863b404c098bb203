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


def compare(before: Path, after: Path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, SCRIPT, "compare", before, after]
    return subprocess.run(command, check=False, capture_output=True, text=True)


def test_compare_names_every_difference(tmp_path: Path) -> None:
    before = manifest(tmp_path / "a.json", {"docs/en/a.md": "1", "dist/b.epub": "2", "site/c.html": "3"})
    after = manifest(tmp_path / "b.json", {"docs/en/a.md": "1", "dist/b.epub": "X", "site/d.html": "4"})
    done = compare(before, after)
    assert done.returncode == 1
    assert done.stdout.split("\n")[:3] == ["differs: dist/b.epub", "missing: site/c.html", "new:     site/d.html"]
    assert compare(before, before).returncode == 0 and "identical: 3 files" in compare(before, before).stdout


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
