"""The translation memory with a real engine (Apertium en→es): what survives, what is translated again."""

from __future__ import annotations

import concurrent.futures
import dataclasses
import shutil
from pathlib import Path

import polib
import pytest

from tools.engines import ENGINES
from tools.errors import PressError
from tools.glossary.termbase import load_termbase
from tools.ingest import parse_seed
from tools.memory.entries import Memory
from tools.translate import translate_article, unlock_terms

ROOT = Path(__file__).resolve().parents[2]
BASE, _ = load_termbase(ROOT / "glossary" / "terms.yml")
SEED = """ date 2026-02-02 A short article

The shadow fleet carries oil. Putin needs money.

The Peace Council met in Davos. Nobody expected much.
"""


@pytest.fixture(autouse=True)
def apertium(require) -> None:
    require("apertium", "sudo apt-get install apertium apertium-eng-spa")


def article(text: str = SEED):
    return dataclasses.replace(parse_seed(text.encode(), Path("seeds/short.txt")), source=Path("seeds/short.txt"))


def translate(path: Path, text: str = SEED):
    return translate_article(article(text), "es", ENGINES["apertium"], path, BASE)


def entries(path: Path) -> dict[str, polib.POEntry]:
    return {e.msgid: e for e in polib.pofile(str(path)) if not e.obsolete}


def test_first_translation_is_machine_output_with_provenance(tmp_path: Path) -> None:
    po = tmp_path / "es.po"
    result = translate(po)
    assert result.engine_calls == 1 and result.machine == 5 and result.reviewed == 0
    entry = entries(po)["The shadow fleet carries oil."]
    assert "fuzzy" in entry.flags
    assert entry.comment.startswith("machine translation: apertium eng-spa")
    assert entry.occurrences == [("seeds/short.txt", "3")]
    assert "flota fantasma" in entry.msgstr, "the glossary term is locked and rendered"
    assert "Putin" in entries(po)["Putin needs money."].msgstr, "a kept name is not translated"


def test_rebuild_with_nothing_changed_calls_no_engine(tmp_path: Path) -> None:
    po = tmp_path / "es.po"
    translate(po)
    before = po.read_bytes()
    assert translate(po).engine_calls == 0
    assert po.read_bytes() == before


def test_a_post_edit_survives_and_counts_as_reviewed(tmp_path: Path) -> None:
    po = tmp_path / "es.po"
    translate(po)
    memory = polib.pofile(str(po))
    entry = memory.find("Putin needs money.")
    entry.msgstr = "Putin necesita dinero."
    entry.flags.remove("fuzzy")
    memory.save()
    result = translate(po)
    assert result.engine_calls == 0 and result.reviewed == 1 and result.machine == 4
    assert result.texts["Putin needs money."] == "Putin necesita dinero."


def test_a_changed_sentence_alone_is_translated_again(tmp_path: Path) -> None:
    po = tmp_path / "es.po"
    translate(po)
    old = entries(po)["Nobody expected much."].msgstr
    result = translate(po, SEED.replace("Nobody expected much.", "Nobody expected anything."))
    assert result.engine_calls == 1
    new = entries(po)["Nobody expected anything."]
    assert "fuzzy" in new.flags
    assert new.previous_msgid == "Nobody expected much."
    assert new.tcomment == f"previous translation: {old}"
    obsolete = [e.msgid for e in polib.pofile(str(po)) if e.obsolete]
    assert obsolete == ["Nobody expected much."], "the old sentence is kept, obsolete"
    assert '#~ msgid "Nobody expected much."' in po.read_text()


def test_a_removed_sentence_becomes_obsolete(tmp_path: Path) -> None:
    po = tmp_path / "es.po"
    translate(po)
    translate(po, SEED.replace(" Putin needs money.", ""))
    assert "Putin needs money." not in entries(po)
    assert any(e.msgid == "Putin needs money." for e in polib.pofile(str(po)) if e.obsolete)


def test_interrupted_run_keeps_what_was_translated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("tools.translate.BATCH", 2)
    po = tmp_path / "es.po"

    def interrupt_after_first_batch(done: int, total: int) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        translate_article(article(), "es", ENGINES["apertium"], po, BASE, progress=interrupt_after_first_batch)
    assert len(entries(po)) == 2, "the first batch was saved"
    assert translate(po).engine_calls == 2, "the rest is translated next time, in two batches"


def _translate_in_process(path: str) -> int:
    return translate(Path(path)).engine_calls


def test_two_builds_at_once_leave_one_valid_memory(tmp_path: Path) -> None:
    po = tmp_path / "es.po"
    with concurrent.futures.ProcessPoolExecutor(max_workers=2) as pool:
        calls = list(pool.map(_translate_in_process, [str(po), str(po)]))
    assert sorted(calls) == [0, 1], "one translated, the other waited and found everything"
    assert len(entries(po)) == 5
    assert not list(tmp_path.glob("*.tmp"))


def test_a_broken_memory_is_named_with_its_line(tmp_path: Path) -> None:
    po = tmp_path / "es.po"
    translate(po)
    text = po.read_text().replace('msgid "Putin needs money."', "msgid Putin needs money.")
    line = text.split("\n").index("msgid Putin needs money.") + 1
    po.write_text(text)
    with pytest.raises(PressError) as caught:
        translate(po)
    message = str(caught.value)
    assert message.startswith(f"{po}:{line}: not a valid PO file") and "; fix: " in message
    assert po.read_text() == text, "nothing is overwritten"


def test_mangled_placeholders_are_refused() -> None:
    assert unlock_terms("La ⟦T1⟧ navega.", ["shadow-fleet"], BASE, "es") == "La flota fantasma navega."
    assert unlock_terms("⟦T1⟧ navega.", ["shadow-fleet"], BASE, "es") == "Flota fantasma navega."
    assert unlock_terms("La T1 navega.", ["shadow-fleet"], BASE, "es") is None
    assert unlock_terms("⟦T1⟧ y ⟦T1⟧.", ["shadow-fleet"], BASE, "es") is None


class DroppingPlaceholders:
    """The real Apertium engine, whose output for locked sentences loses the placeholders."""

    name = "apertium"

    def __getattr__(self, attribute: str):
        return getattr(ENGINES["apertium"], attribute)

    def translate(self, sentences: list[str], source: str, target: str) -> list[str]:
        return [s.replace("⟦", "[").replace("⟧", "]") for s in ENGINES["apertium"].translate(sentences, source, target)]


def test_a_sentence_whose_placeholder_is_lost_is_translated_without_locking(tmp_path: Path) -> None:
    result = translate_article(article(), "es", DroppingPlaceholders(), tmp_path / "es.po", BASE)
    assert any("mangled a term placeholder" in w.message for w in result.warnings)
    assert "⟦" not in "".join(result.texts.values()) and "[T1]" not in "".join(result.texts.values())


def test_memory_needs_no_engine_to_load(tmp_path: Path) -> None:
    po = tmp_path / "es.po"
    translate(po)
    shutil.copy(po, tmp_path / "copy.po")
    memory = Memory.load(tmp_path / "copy.po", "es", "seeds/short.txt")
    assert memory.counts() == (5, 0)


def test_progress_is_quiet_under_ci_and_in_pipes(monkeypatch: pytest.MonkeyPatch) -> None:
    from tools.translate import progress_printer

    monkeypatch.setenv("CI", "true")
    assert progress_printer("es", "slug") is None
    monkeypatch.delenv("CI")
    assert progress_printer("es", "slug") is None, "standard error is not a terminal under pytest"


def test_an_engine_failure_is_an_error_never_a_translation(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tools.engines import apertium

    monkeypatch.setitem(apertium.MODES, ("en", "es"), ("eng-nowhere", "apertium-eng-nowhere"))
    with pytest.raises(PressError, match="apertium failed translating to es: apertium eng-nowhere failed"):
        translate_article(article(), "es", ENGINES["apertium"], tmp_path / "es.po", BASE)
    assert not (tmp_path / "es.po").exists(), "nothing half-done is saved"
