"""The memory reads every PO form gettext writes and refuses what gettext refuses, with the line (as data)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from tools.errors import PressError
from tools.memory.entries import Memory

CASES = yaml.safe_load((Path(__file__).with_name("po_cases.yml")).read_text(encoding="utf-8"))
HEADER = """\
msgid ""
msgstr ""
"Project-Id-Version: test\\n"
"PO-Revision-Date: 2026-11-27 00:00+0000\\n"
"Last-Translator: Test <test@example.org>\\n"
"Language-Team: Spanish\\n"
"Language: es\\n"
"MIME-Version: 1.0\\n"
"Content-Type: text/plain; charset=UTF-8\\n"
"Content-Transfer-Encoding: 8bit\\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\\n"
"""
HEADER_LINES = HEADER.count("\n")


def po_text(case: dict) -> str:
    text = case["text"].replace("HEADER\n", HEADER + "\n", 1)
    return re.sub(r"<U\+([0-9A-F]{4})>", lambda m: chr(int(m.group(1), 16)), text)


def msgfmt_accepts(path: Path) -> bool:
    run = subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(path)], capture_output=True, text=True, check=False)
    return run.returncode == 0


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_po_case(case: dict, tmp_path: Path, require) -> None:
    path = tmp_path / "a.po"
    path.write_text(po_text(case), encoding="utf-8")
    if case["accept"] is False:
        with pytest.raises(PressError) as error:
            Memory.load(path, "es", "en")
        assert error.value.line == case["line"] + HEADER_LINES, str(error.value)
        assert "\n" not in str(error.value) and "delete" not in error.value.fix
        return
    before = path.read_bytes()
    memory = Memory.load(path, "es", "en")
    assert bool(memory.repairs) == (case["accept"] == "repaired")
    memory.save()
    require("msgfmt", "sudo apt-get install gettext")
    assert msgfmt_accepts(path), "what the memory writes back, gettext reads"
    if case["accept"] == "repaired":
        assert path.with_name("a.po~").read_bytes() == before, "the file it could not fully read is kept"
    else:
        assert not path.with_name("a.po~").exists()
        assert Memory.load(path, "es", "en").po.__unicode__() == memory.po.__unicode__(), "written back as read"


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_gettext_agrees_with_the_table(case: dict, tmp_path: Path, require) -> None:
    require("msgfmt", "sudo apt-get install gettext")
    path = tmp_path / "a.po"
    path.write_text(po_text(case), encoding="utf-8")
    assert msgfmt_accepts(path) == case.get("gettext", case["accept"] is True)


def test_previous_msgid_of_an_obsolete_entry_survives_a_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "a.po"
    path.write_text(po_text(CASES[0]), encoding="utf-8")
    memory = Memory.load(path, "es", "en")
    memory.save()
    assert '#~| msgid "Older sentence."' in path.read_text(encoding="utf-8")


def test_a_file_name_with_spaces_is_one_reference(tmp_path: Path, require) -> None:
    from tools.memory.entries import Unit

    path = tmp_path / "a.po"
    memory = Memory.load(path, "es", "en")
    units = [Unit("Hello.", "seeds/my first article.txt:3")]
    memory.add("Hello.", "Hola.", "test 1", units)
    memory.retire(units)
    memory.save()
    assert "#: \u2068seeds/my first article.txt\u2069:3\n" in path.read_text(encoding="utf-8")
    if shutil.which("msgfmt"):
        assert msgfmt_accepts(path)
