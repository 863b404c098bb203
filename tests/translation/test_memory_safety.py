"""Imports and damaged memories never erase reviewed work; bidi controls in a translation are findings.

The cases are data (tests/hostile/cases.yml, ``memory_faults``), each checked as a person meets it, through
``press``: an XLIFF import whose targets are empty, blank or huge leaves every memory byte for byte as it
was; one that replaces reviewed work leaves the memory as it was in ``FILE.po~`` and says so; a memory cut
short, emptied or deleted since the last build stops the next build with one line (``--accept-loss`` lets it
go on); an entry the build must not publish stops it with its fix; ``press check`` finds bidi controls.
The damaged memories are built for real (Spanish through Apertium).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import polib
import pytest
import yaml
from conftest import built_at, copy_of, project_with, require_command  # tests/ is on the path: helpers
from fakes import FakeEngine
from test_qa import need_dictionary

from tools.cli import main
from tools.errors import PressError
from tools.memory.entries import Memory, Unit
from tools.memory.files import backup_path
from tools.translate import translate_units
from tools.xliff import unit_id

ROOT = Path(__file__).resolve().parents[2]
CASES = yaml.safe_load((ROOT / "tests" / "hostile" / "cases.yml").read_text(encoding="utf-8"))["memory_faults"]
IMPORTS = [case for case in CASES if "import" in case]
DAMAGES = [case for case in CASES if "damage" in case]
BIDI = [case for case in CASES if "bidi" in case]
REVIEWER = "Ana <ana@example.org>"
UNITS = [
    Unit("Tankers carry oil.", "seeds/a.txt:3"),
    Unit("Ships wait in port.", "seeds/a.txt:3"),
    Unit("The talks stall.", "seeds/a.txt:5"),
]
MACHINE = ["Petroleros llevan aceite.", "Barcos esperan en puerto.", "Las charlas se paran."]
ENTRY = {"fuzzy": UNITS[0].text, "reviewed": UNITS[2].text}


# --- imports ------------------------------------------------------------------------------------


@pytest.fixture
def exchange(tmp_path: Path) -> Path:
    """A project with one Spanish memory of three machine translations, the third reviewed by a person."""
    shutil.copy(ROOT / "editions.yml", tmp_path / "editions.yml")
    memory = Memory.load(tmp_path / "translations" / "es" / "a.po", "es", "seeds/a.txt")
    for unit, text in zip(UNITS, MACHINE):
        memory.add(unit.text, text, "apertium eng-spa 0.8.1", UNITS)
    memory.retire(UNITS)
    memory.set_translation(UNITS[2].text, "Las conversaciones se paran.", reviewed=True, by=REVIEWER)
    memory.save()
    return tmp_path


def with_target(xliff: str, case: dict) -> str:
    """The export as a CAT tool leaves it: the case's target (and state) on its segment, or a padded file."""
    target = "x" * case["repeat"] if "repeat" in case else case["target"]
    if case.get("where") == "comment":
        return xliff.replace("?>\n", f"?>\n<!-- {target} -->\n", 1)
    unit = re.search(rf'<trans-unit id="{unit_id(ENTRY[case["entry"]])}"[^>]*>.*?</trans-unit>', xliff, re.DOTALL)
    assert unit
    edited = re.sub(r'<target xml:lang="es" state="[^"]*">[^<]*</target>', "", unit.group(), count=1)
    element = f'<target xml:lang="es" state="{case["state"]}">{target}</target>'
    edited = edited.replace("</source>", "</source>\n" + element, 1)
    if case.get("approved"):
        edited = edited.replace('approved="no"', 'approved="yes"')
    return xliff.replace(unit.group(), edited)


@pytest.mark.parametrize("case", IMPORTS, ids=[case["import"] for case in IMPORTS])
def test_an_import_never_erases_reviewed_work(exchange: Path, case: dict, capsys) -> None:
    memory = exchange / "translations" / "es" / "a.po"
    before = memory.read_bytes()
    work = exchange / "es.xlf"
    assert main(["memory", "export", "es", "--xliff", str(work), "--root", str(exchange)]) == 0
    work.write_text(with_target(work.read_text(encoding="utf-8"), case), encoding="utf-8")
    capsys.readouterr()
    status = main(["memory", "import", str(work), "--by", "Bo <bo@example.org>", "--root", str(exchange)])
    out, err = capsys.readouterr()
    expect = case["expect"]
    if expect == "refused":
        assert status == 1 and case["says"] in err and err.count("\n") == 1, err
    else:
        assert status == 0 and case["says"] in out, out + err
    if expect in ("unchanged", "refused"):
        assert memory.read_bytes() == before, "every memory as it was, byte for byte"
    else:
        assert memory.read_bytes() != before
    if expect == "backup":
        assert backup_path(memory).read_bytes() == before, "the memory as it was is kept"
        assert str(backup_path(memory).relative_to(exchange)) in out.replace(str(exchange) + "/", "")
    else:
        assert not backup_path(memory).exists()
    if expect == "unchanged":  # the reviewed entry and its reviewer stay; the page would show them
        entry = Memory.load(memory, "es", "").entries()[2]
        assert (entry.translation, entry.reviewer, entry.fuzzy) == ("Las conversaciones se paran.", REVIEWER, False)


@pytest.mark.parametrize(
    ("reply", "said"),
    [("", "nothing was stored"), ("  ", "nothing was stored"), ("x" * 20_001, "is refused: it is 20001 characters")],
    ids=["empty", "blank", "over the limit"],
)
def test_an_engine_reply_the_memory_could_not_read_back_is_never_stored(exchange: Path, reply: str, said: str) -> None:
    """gettext drops ``fuzzy`` from an empty msgstr: stored, an empty reply would read back as reviewed; an
    absurdly long one the translation stage refuses first (``engines.refusal``)."""
    memory = exchange / "translations" / "es" / "a.po"
    before = memory.read_bytes()
    units = [*UNITS, Unit("A new sentence.", "seeds/a.txt:7")]
    with pytest.raises(PressError, match=said) as error:
        translate_units(units, "es", FakeEngine(transform=lambda s: reply), memory, None, "en", "seeds/a.txt")
    assert "\n" not in str(error.value) and memory.read_bytes() == before


# --- damaged memories: a real build, English and Spanish through Apertium -------------------------

SENTENCES = [
    "Baltic states began inspecting tankers.",
    "The ships carry Russian oil.",
    "Insurers want proof of cover.",
    "Some captains refuse to answer.",
    "The coast guard waits.",
    "Finland stopped a tanker in December.",
    "Its anchor had cut a cable.",
    "The crew was questioned for days.",
    "Estonia followed in the spring.",
    "A second cable was damaged.",
    "Prices rose for a week.",
    "Traders moved to other ports.",
    "Sweden sent two patrol boats.",
    "Denmark checks papers at the straits.",
    "Many tankers are old.",
    "Few of them have known owners.",
    "Lawyers argue about the rules.",
    "The sea is open to all ships.",
    "Still, the checks go on.",
    "Officials call them routine.",
]
SEED = " date 2026-02-09 Europe tightens the net\nby: Olena Marchenko\n\n" + "\n\n".join(
    " ".join(SENTENCES[i : i + 4]) for i in range(0, len(SENTENCES), 4)
)
SPANISH = "source_language: en\nlanguages: [es]\nengines:\n  es: [apertium]\n"
EPOCH = 1_770_000_000


@pytest.fixture(scope="module")
def reviewed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project built twice: every one of its 21 Spanish entries reviewed by a person in between."""
    require_command("apertium", "make deps (apt-get install apertium apertium-eng-spa)")
    root = built_at(project_with(tmp_path_factory.mktemp("reviewed"), {"001_net.txt": SEED}, SPANISH), EPOCH)
    path = root / "translations" / "es" / "001_net.po"
    memory = Memory.load(path, "es", "")
    for row in memory.entries():
        memory.set_translation(row.source, row.translation, reviewed=True, by=REVIEWER)
    memory.save()
    assert memory.counts() == (0, 21)
    return built_at(root, EPOCH)


@pytest.fixture
def project(reviewed: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return copy_of(reviewed, tmp_path / "project", monkeypatch, EPOCH)


def damage(path: Path, case: dict) -> None:
    """Do to the memory what the case says happened to it."""
    text = path.read_text(encoding="utf-8")
    blocks = text.split("\n\n")  # the header, then one entry a block
    name = case["damage"]
    if name.startswith("truncated"):
        path.write_text("\n\n".join(blocks[: 1 + case["keep"]]) + "\n", encoding="utf-8")
    elif name.startswith("cut inside"):
        cut = blocks[1 + case["keep"]].split("\nmsgstr")[0]
        path.write_text("\n\n".join([*blocks[: 1 + case["keep"]], cut]) + "\n", encoding="utf-8")
    elif name.startswith("emptied"):
        path.write_bytes(b"")
    elif name == "deleted":
        path.unlink()
    elif name.startswith("renamed"):
        path.rename(path.with_name("europe-tightens-the-net.po"))
    elif name == "taken back to review":  # in Poedit: "needs work" on an entry, its text kept
        memory = Memory.load(path, "es", "")
        memory.set_translation(SENTENCES[1], memory.get(SENTENCES[1]).msgstr, reviewed=False, by="")
        memory.save()
    else:
        po = polib.pofile(text, wrapwidth=0)
        entry = po[3]
        if "msgctxt" in name:
            entry.msgctxt = "hand"
        else:
            entry.msgstr = "x" * case["repeat"] if "repeat" in case else ""
        path.write_text(str(po), encoding="utf-8")


@pytest.mark.parametrize("case", DAMAGES, ids=[case["damage"] for case in DAMAGES])
def test_a_damaged_memory_stops_the_build_with_one_line(project: Path, case: dict, capsys) -> None:
    memory, glossary = (project / "translations" / "es" / name for name in ("001_net.po", "glossary.po"))
    page = project / "docs" / "es" / "europe-tightens-the-net.md"
    kept = {path: path.read_bytes() for path in (glossary, page)}
    damage(memory, case)
    damaged = memory.read_bytes() if memory.exists() else None
    if case["damage"].startswith("renamed"):  # the build moves it back: as it was, byte for byte
        damaged = memory.with_name("europe-tightens-the-net.po").read_bytes()
    capsys.readouterr()
    if case.get("stops") is False:
        assert main(["build", "--root", str(project)]) == 0
        assert case["says"] in "".join(capsys.readouterr())
        assert memory.read_bytes() == damaged, "the memory as the person left it, byte for byte"
        return
    assert main(["build", "--root", str(project)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: ") and err.count("\n") == 1 and case["says"] in err, err
    assert "001_net.po" in err
    if case["accept"]:
        assert "git checkout -- " in err and "--accept-loss" in err
    assert (memory.read_bytes() if memory.exists() else None) == damaged, "the memory as it was, byte for byte"
    assert {path: path.read_bytes() for path in kept} == kept, "nothing else written"
    status = main(["build", "--root", str(project), "--accept-loss"])
    err = capsys.readouterr().err
    if not case["accept"]:  # an entry to repair, not a loss to accept
        assert status == 1 and case["says"] in err
        return
    assert status == 0 and "accepted (--accept-loss)" in err, err
    remaining = {e.msgid for e in polib.pofile(damaged.decode()) if not e.fuzzy and e.msgstr} if damaged else set()
    after = polib.pofile(memory.read_text(encoding="utf-8"))
    assert {e.msgid for e in after if not e.fuzzy and e.msgstr} == remaining, "the reviewed entries left stay"
    assert len([e for e in after if not e.obsolete]) == 21, "the rest translated again, as machine output"
    assert main(["build", "--root", str(project), "--force"]) == 0, "the record now holds what was accepted"


def test_a_backup_is_named_in_the_fix(project: Path, capsys) -> None:
    memory = project / "translations" / "es" / "001_net.po"
    backup_path(memory).write_bytes(memory.read_bytes())
    memory.write_bytes(b"")
    assert main(["build", "--root", str(project)]) == 1
    assert f"cp {backup_path(memory)} {memory}" in capsys.readouterr().err


# --- bidi controls ----------------------------------------------------------------------------------


@pytest.mark.parametrize("case", BIDI, ids=[case["says"] for case in BIDI])
def test_press_check_finds_bidi_controls(project: Path, case: dict, capsys) -> None:
    need_dictionary("es")
    path = project / "translations" / "es" / "001_net.po"
    memory = Memory.load(path, "es", "")
    memory.set_translation(SENTENCES[1], case["bidi"], reviewed=True, by=REVIEWER)
    memory.save()
    before = path.read_bytes()
    capsys.readouterr()
    assert main(["check", "--root", str(project), "--no-write"]) == 0
    findings = [line for line in capsys.readouterr().out.splitlines() if "bidi:" in line]
    assert len(findings) == 1 and case["says"] in findings[0], findings
    assert path.read_bytes() == before
