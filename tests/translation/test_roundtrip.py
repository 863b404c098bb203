"""The memory writes PO exactly as gettext's msgcat does: a save in Poedit or msgcat, then a build, changes no line.

Checked against the real msgcat (gettext is a test dependency, never a build one): the committed Spanish
memory, a table of hard cases (long sentences, Cyrillic, \\n, quotes, very long words, references past column
79, obsolete and previous entries) and random texts in the editions' scripts (Hypothesis). Also the header
(complete for every edition language, dates moved only by a change, a person's values kept), the template,
and the reviewer of each entry.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import polib
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tools.cli import main
from tools.errors import PressError
from tools.ingest import read_seed
from tools.memory.entries import Memory, Unit
from tools.memory.files import locked
from tools.memory.header import TOOLKIT, plural_forms
from tools.memory.template import write_template
from tools.memory.writer import format_po
from tools.translate import units_of

ROOT = Path(__file__).resolve().parents[2]
ARTICLE_ID = "000_665afb2dddca8924"
LANGUAGES = ("uk", "ru", "de", "fr", "es", "pl", "ca", "en")
GETTEXT = "sudo apt-get install gettext"

# Hard cases, (source, translation): each written by the memory and read back by msgcat unchanged.
CASES = [
    ("Short.", "Corta."),
    (
        (
            "After a series of high-profile initiatives, including the Alaska summit in August 2025 and the creation "
            "of the «Peace Council» in Davos, the administration was faced with a harsh reality."
        ),
        (
            "Після низки гучних ініціатив, зокрема саміту на Алясці в серпні 2025 року та створення «Ради миру» "
            "в Давосі, адміністрація зіткнулася із суворою реальністю."
        ),
    ),
    ("A line\nand a second line long enough to pass the seventy-nine columns gettext allows, so it wraps\n", "x\n"),
    ('He said "no", then \\ "yes" \u2014 «так», „ja“, ‘oui’, ‹x›.', 'Dijo "no", luego \\ "sí" —«sí».'),
    ("x" * 120, "y" * 200),
    ("https://example.org/" + "segment/" * 12 + " and then some words after the address", "ok"),
    ("Tabs\tand\ttabs\tand a line that goes on well past the column where gettext breaks it\tend", "t"),
    ("« Bonjour »\u202f! Il a dit\u00a0: 90\u00a0% — c’est 2025–2026, l’an\u00a0dernier, très bien\u202f? " * 2, "f"),
    ("e\u0301" * 90, "Ελληνικά κείμενα με τόνους και πολλές λέξεις για να φτάσουμε τις εβδομήντα εννέα στήλες."),
    ("The ⟦T1⟧ carries oil for ⟦T2⟧, while the ⟦T3⟧ and the ⟦T4⟧ and the ⟦T5⟧ talk about peace.", "⟦T1⟧ ⟦T2⟧"),
    ("Exactly seventy-seven columns of text fill the first line of a msgid here!!!", "n"),
    ("Exactly seventy-eight columns of text fill the first line of a msgid here!!!!", "n"),
    ("Words-with-hyphens-and-slashes/that/go/on/and/on/without/any/space/at/all/for/a/long/while", "h"),
]
# Random texts: the editions' scripts and typography (Latin with accents, Cyrillic, Greek, quotes, dashes, spaces).
ALPHABET = (
    "abcdefghijklmnopqrstuvwxyzABCXYZ0123456789      .,;:!?-()[]/%&*+=#@$'\"\\\n\t"
    "áéíóúñçàèüöäßłąęśżźćńœ«»„“”‘’‚‹›—–…·°§€\u00a0\u202f\u2009\u0301"
    "абвгдеєжзийіїклмнопрстуфхцчшщьюяґʼАБВГДЕЖЗИЙКЛМНОПРСТУФХЦЧШЩЬЮЯЁё⟦⟧αβγδεΑΒΓ"
)
TEXT = st.text(st.sampled_from(ALPHABET), max_size=260)


def msgcat(text: str) -> str:
    """What gettext's msgcat writes for ``text`` (a PO file)."""
    run = subprocess.run(["msgcat", "-"], input=text.encode(), capture_output=True, check=True)
    return run.stdout.decode()


def msgfmt_warnings(path: Path) -> str:
    """``msgfmt -c``'s complaints about the file ('' when it has none); an error fails the test."""
    run = subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(path)], capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr
    return run.stderr


def resave(path: Path, units: list[Unit], lang: str = "es") -> bool:
    """What a build does to a memory with nothing to translate: load, retire with the same units, save."""
    with locked(path):
        memory = Memory.load(path, lang, "seeds/a.txt")
        memory.retire(units)
        return memory.save()


@pytest.fixture
def gettext(require) -> None:
    require("msgcat", GETTEXT)


@pytest.fixture
def epoch(monkeypatch: pytest.MonkeyPatch):
    """Set SOURCE_DATE_EPOCH: ``epoch(seconds)``."""
    return lambda seconds: monkeypatch.setenv("SOURCE_DATE_EPOCH", str(seconds))


def test_the_committed_memory_survives_msgcat_and_an_unwrapped_rewrite(tmp_path: Path, gettext) -> None:
    path = tmp_path / f"{ARTICLE_ID}.po"
    shutil.copy(ROOT / "translations" / "es" / path.name, path)
    units = units_of(read_seed(ROOT / "seeds" / f"{ARTICLE_ID}.txt"))
    resave(path, units)  # the one rewrite: gettext's wrapping, a complete header
    migrated = path.read_bytes()
    assert msgfmt_warnings(path) == "", "msgfmt -c has nothing to say about the header any more"
    subprocess.run(["msgcat", str(path), "-o", str(path)], check=True)
    assert path.read_bytes() == migrated, "msgcat changes nothing in what the memory writes"
    mtime = path.stat().st_mtime_ns
    assert not resave(path, units) and path.stat().st_mtime_ns == mtime, "after msgcat, a build rewrites nothing"
    polib.pofile(str(path), wrapwidth=0).save(str(path))  # another tool, unwrapped lines and its header order
    resave(path, units)
    assert path.read_bytes() == migrated, "back byte for byte, dates unchanged (no entry changed)"


@pytest.mark.parametrize("case", range(len(CASES)), ids=[c[0][:30] for c in CASES])
def test_hard_cases_are_written_as_msgcat_writes_them(case: int, tmp_path: Path, gettext) -> None:
    source, translation = CASES[case]
    path = tmp_path / "a.po"
    memory = Memory.load(path, "uk", "seeds/a.txt")
    old = Unit(source + " (old)", "seeds/a.txt:1")
    memory.add(old.text, translation, "fake 1", [old])
    memory.retire([old])
    units = [Unit(source, f"seeds/{'long-folder-name/' * (n % 3)}article-{n}.txt:{n}") for n in range(1, 9)]
    memory.add(source, translation, "fake 1", units)  # previous msgid: the old sentence, which goes obsolete
    memory.retire(units)
    memory.save()
    text = path.read_text(encoding="utf-8")
    assert "#~ msgid" in text and "#| msgid" in text
    assert msgcat(text) == text
    assert msgfmt_warnings(path) == ""
    assert all(len(line.encode()) <= 79 for line in text.splitlines() if line.startswith("#:"))
    again = Memory.load(path, "uk", "seeds/a.txt")
    assert again.get(source).msgstr == translation, "read back as written"
    assert not again.save(), "and saved again unchanged"


@pytest.mark.slow
@given(st.lists(st.tuples(TEXT.filter(bool), TEXT), min_size=1, max_size=6, unique_by=lambda pair: pair[0]))
def test_random_entries_are_written_as_msgcat_writes_them(pairs: list[tuple[str, str]]) -> None:
    if not shutil.which("msgcat"):
        pytest.skip("msgcat is not installed")
    po = polib.POFile()
    po.metadata = {"Language": "uk", "Content-Type": "text/plain; charset=UTF-8"}
    for number, (source, translation) in enumerate(pairs):
        entry = polib.POEntry(msgid=source, msgstr=translation, obsolete=number % 3 == 2)
        entry.flags = ["fuzzy"] if number % 2 else []
        entry.previous_msgid = source[::-1] if number % 4 == 1 else None
        entry.occurrences = [] if entry.obsolete else [(f"seeds/article-{n}.txt", str(n)) for n in range(number * 5)]
        po.append(entry)
    text = format_po(po)
    assert msgcat(text) == text
    read = {e.msgid: e.msgstr for e in polib.pofile(text)}
    assert all(read[s] == t for s, t in pairs if s in read), "the texts read back as they were"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_edition_language_gets_a_complete_header(lang: str, tmp_path: Path, require) -> None:
    require("msgfmt", GETTEXT)
    path = tmp_path / f"{lang}.po"
    memory = Memory.load(path, lang, "seeds/a.txt")
    memory.add("One ship.", "Translated.", "fake 1", [])
    memory.save()
    header = Memory.load(path, lang, "").po.metadata
    assert header["Plural-Forms"] == plural_forms(lang)
    assert header["Last-Translator"] == TOOLKIT and header["Language"] == lang
    assert header["Language-Team"] and header["PO-Revision-Date"] and header["POT-Creation-Date"]
    assert msgfmt_warnings(path) == ""


def test_plural_forms_agree_with_msginit(tmp_path: Path, require) -> None:
    require("msginit", GETTEXT)
    pot = tmp_path / "t.pot"
    pot.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n', encoding="utf-8")
    checked = []
    for lang in LANGUAGES:
        out = tmp_path / f"{lang}.po"
        subprocess.run(
            ["msginit", "--no-translator", "-l", lang, "-i", pot, "-o", out], capture_output=True, check=True
        )
        forms = polib.pofile(str(out)).metadata.get("Plural-Forms")
        if forms:  # msginit's table has no Catalan; Babel's (CLDR) has
            assert forms == plural_forms(lang), lang
            checked.append(lang)
    assert len(checked) >= 7


def test_dates_move_only_when_an_entry_changes(tmp_path: Path, epoch) -> None:
    path = tmp_path / "a.po"
    units = [Unit("One.", "seeds/a.txt:1")]
    epoch(1_700_000_000)
    memory = Memory.load(path, "es", "seeds/a.txt")
    memory.add("One.", "Uno.", "fake 1", units)
    memory.retire(units)
    memory.save()
    first = path.read_bytes()
    epoch(1_800_000_000)
    assert not resave(path, units) and path.read_bytes() == first, "a no-op build changes nothing, dates included"
    memory = Memory.load(path, "es", "")
    memory.set_translation("One.", "Uno, revisado.", reviewed=False, by="")
    memory.save()
    header = Memory.load(path, "es", "").po.metadata
    assert header["PO-Revision-Date"] == "2027-01-15 08:00+0000", "a changed translation moves the revision date"
    assert header["POT-Creation-Date"] == "2023-11-14 22:13+0000", "the sentences did not change"
    epoch(1_900_000_000)
    resave(path, [])  # the sentence left the article
    header = Memory.load(path, "es", "").po.metadata
    assert header["POT-Creation-Date"] == header["PO-Revision-Date"] == "2030-03-17 17:46+0000"


def test_a_bad_source_date_epoch_is_one_line(tmp_path: Path, epoch) -> None:
    epoch("yesterday")
    memory = Memory.load(tmp_path / "a.po", "es", "")
    memory.add("One.", "Uno.", "fake 1", [])
    with pytest.raises(PressError, match="SOURCE_DATE_EPOCH"):
        memory.save()


def test_header_values_a_person_set_are_kept(tmp_path: Path) -> None:
    path = tmp_path / "a.po"
    path.write_text(
        '#\nmsgid ""\nmsgstr ""\n"Last-Translator: Olena <olena@example.org>\\n"\n'
        '"Language-Team: Ukrainian <uk@li.org>\\n"\n"X-Generator: Poedit 3.4\\n"\n',
        encoding="utf-8",
    )
    memory = Memory.load(path, "uk", "")
    memory.add("One.", "Один.", "fake 1", [])
    memory.save()
    header = Memory.load(path, "uk", "").po.metadata
    assert header["Last-Translator"] == "Olena <olena@example.org>"
    assert header["Language-Team"] == "Ukrainian <uk@li.org>" and header["X-Generator"] == "Poedit 3.4"
    assert list(header)[:3] == ["POT-Creation-Date", "PO-Revision-Date", "Last-Translator"], "gettext's order"


def test_a_sentence_twice_in_a_paragraph_is_referenced_once(tmp_path: Path) -> None:
    path = tmp_path / "a.po"
    units = [Unit("Yes.", "seeds/a.txt:3"), Unit("Yes.", "seeds/a.txt:3"), Unit("Yes.", "seeds/a.txt:5")]
    memory = Memory.load(path, "es", "")
    memory.add("Yes.", "Sí.", "fake 1", units)
    memory.retire(units)
    memory.save()
    assert "#: seeds/a.txt:3 seeds/a.txt:5\n" in path.read_text(encoding="utf-8")


def test_the_template_lists_each_sentence_once_and_keeps_its_date(tmp_path: Path, epoch, require) -> None:
    pot = tmp_path / "templates" / f"{ARTICLE_ID}.pot"
    units = units_of(read_seed(ROOT / "seeds" / f"{ARTICLE_ID}.txt"))
    epoch(1_700_000_000)
    assert write_template(pot, units, f"seeds/{ARTICLE_ID}.txt")
    text = pot.read_text(encoding="utf-8")
    assert text.count("\nmsgid ") == len({u.text for u in units}) + 1 and '"POT-Creation-Date: 2023-11-14' in text
    epoch(1_800_000_000)
    assert not write_template(pot, units, f"seeds/{ARTICLE_ID}.txt"), "unchanged sentences: the file is not touched"
    assert write_template(pot, units[:-1], f"seeds/{ARTICLE_ID}.txt")
    assert '"POT-Creation-Date: 2027-01-15' in pot.read_text(encoding="utf-8")
    require("msginit", GETTEXT)
    assert msgcat(pot.read_text(encoding="utf-8")) == pot.read_text(encoding="utf-8")
    out = tmp_path / "es.po"
    subprocess.run(["msginit", "--no-translator", "-l", "es", "-i", pot, "-o", out], capture_output=True, check=True)
    assert msgfmt_warnings(out) is not None, "a translator starts a language from it"


def machine_memory(path: Path) -> list[Unit]:
    units = [Unit("Tankers carry oil.", "seeds/a.txt:3"), Unit("Putin needs money.", "seeds/a.txt:3")]
    memory = Memory.load(path, "es", "seeds/a.txt")
    memory.add(units[0].text, "Petroleros llevan aceite.", "apertium eng-spa 0.8.1", units)
    memory.add(units[1].text, "Putin necesita dinero.", "apertium eng-spa 0.8.1", units)
    memory.retire(units)
    memory.save()
    return units


def test_a_review_in_poedit_is_recorded_with_its_last_translator(tmp_path: Path) -> None:
    path = tmp_path / "a.po"
    units = machine_memory(path)
    po = polib.pofile(str(path))  # Poedit: edit, clear fuzzy, name the translator
    po[0].msgstr, po[0].flags = "Los petroleros transportan petróleo.", []
    po.metadata["Last-Translator"] = "Olena Petrenko <olena@example.org>"
    po.save(str(path))
    resave(path, units)
    memory = Memory.load(path, "es", "")
    assert memory.reviewers() == ["Olena Petrenko <olena@example.org>"]
    assert "#. reviewed by Olena Petrenko <olena@example.org>\n" in path.read_text(encoding="utf-8")
    first = memory.entries()[0]
    assert first.edited and first.machine == "Petroleros llevan aceite." and not first.fuzzy


def test_a_review_with_no_person_named_is_unknown(tmp_path: Path) -> None:
    path = tmp_path / "a.po"
    units = machine_memory(path)
    po = polib.pofile(str(path))
    po[1].flags = []
    po.save(str(path))
    resave(path, units)
    memory = Memory.load(path, "es", "")
    assert memory.reviewers() == [] and memory.entries()[1].reviewer == "unknown"


def test_press_review_shows_the_post_edit_and_accepts_an_entry(tmp_path: Path, capsys) -> None:
    path = tmp_path / "translations" / "es" / "a.po"
    machine_memory(path)
    memory = Memory.load(path, "es", "")
    memory.set_translation("Tankers carry oil.", "Los petroleros transportan petróleo.", reviewed=False, by="")
    memory.save()
    assert main(["review", "es", "--root", str(tmp_path)]) == 0
    shown = capsys.readouterr().out
    assert "machine:   Petroleros llevan aceite." in shown and "post-edit: Los petroleros transportan" in shown
    assert "Putin" not in shown, "only what a person changed"
    assert (
        main(["review", "es", "a", "--accept", "1", "2", "--by", "Ana <ana@example.org>", "--root", str(tmp_path)]) == 0
    )
    memory = Memory.load(path, "es", "")
    assert memory.counts() == (0, 2) and memory.reviewers() == ["Ana <ana@example.org>"]
    assert memory.po.metadata["Last-Translator"] == "Ana <ana@example.org>", "the toolkit's name gives way"
    assert main(["review", "es", "a", "--accept", "9", "--by", "Ana", "--root", str(tmp_path)]) == 1
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and "no entry 9" in error


def test_no_op_build_of_a_reviewed_memory_rewrites_nothing(tmp_path: Path) -> None:
    path = tmp_path / "a.po"
    units = machine_memory(path)
    memory = Memory.load(path, "es", "")
    memory.accept(2, "Ana <ana@example.org>")
    memory.save()
    data, mtime = path.read_bytes(), path.stat().st_mtime_ns
    assert not resave(path, units)
    assert path.read_bytes() == data and path.stat().st_mtime_ns == mtime
