"""press check: the QA of a translated edition, read from its memory."""

from __future__ import annotations

import dataclasses
import shutil
import subprocess
import sys
from pathlib import Path

import polib

from tools.glossary.termbase import load_termbase
from tools.ingest import read_seed
from tools.qa import check_edition
from tools.translate import units_of

ROOT = Path(__file__).resolve().parents[2]
MEMORY = "000_665afb2dddca8924.po"  # memories are named by the article id (its seed file name)
BASE, _ = load_termbase(ROOT / "glossary" / "terms.yml")
ARTICLE = dataclasses.replace(
    read_seed(ROOT / "seeds" / "000_665afb2dddca8924.txt"), source=Path("seeds/000_665afb2dddca8924.txt")
)


def edit(path: Path, msgid: str, msgstr: str) -> None:
    memory = polib.pofile(str(path))
    memory.find(msgid).msgstr = msgstr
    memory.save()


def test_the_committed_spanish_memory_is_clean() -> None:
    memory = ROOT / "translations" / "es" / MEMORY
    assert check_edition(units_of(ARTICLE), memory, "es", BASE) == []


def test_each_kind_of_problem_is_found(tmp_path: Path) -> None:
    memory = tmp_path / "es.po"
    shutil.copy(ROOT / "translations" / "es" / MEMORY, memory)
    imf = "Oil and gas revenues have fallen by a quarter, and the IMF has lowered its growth forecast to 0.8 percent."
    edit(
        memory,
        imf,
        "Los ingresos del petróleo y del gas han caído un cuarto, y el FMI rebajó su previsión al 0,8 por ciento.",
    )
    assert check_edition(units_of(ARTICLE), memory, "es", BASE) == [], "0.8 and 0,8 are the same number"
    edit(memory, imf, "Los ingresos han caído, y el FMI rebajó su previsión al 8 por ciento.")
    edit(memory, "The second reason is Russia’s weakness.", "")
    fleet = next(u.text for u in units_of(ARTICLE) if "shadow fleet" in u.text)
    edit(memory, fleet, "La administración ha bloqueado petroleros de la flota ⟦T1⟧.")
    findings = check_edition(units_of(ARTICLE), memory, "es", BASE)
    kinds = sorted({f.kind for f in findings})
    assert kinds == ["length", "numbers", "placeholder", "term", "untranslated"]
    numbers = next(f for f in findings if f.kind == "numbers")
    assert numbers.reference == "seeds/000_665afb2dddca8924.txt:9" and "missing 0.8; extra 8" in numbers.message
    assert any(f.kind == "term" and "'shadow-fleet'" in f.message for f in findings)


def test_check_command_strict(tmp_path: Path) -> None:
    for folder in ("seeds", "glossary", "translations"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    shutil.copy(ROOT / "editions.yml", tmp_path / "editions.yml")

    def press(*args: str) -> subprocess.CompletedProcess:
        command = [sys.executable, "-m", "tools", "check", "--root", str(tmp_path), *args]
        return subprocess.run(command, capture_output=True, text=True, check=False, cwd=ROOT)

    assert press("--strict").returncode == 0
    edit(tmp_path / "translations" / "es" / MEMORY, "The second reason is Russia’s weakness.", "")
    run = press("--strict")
    assert run.returncode == 1 and "[es] untranslated" in run.stdout and "1 finding(s): 1 untranslated" in run.stdout
