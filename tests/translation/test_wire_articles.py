"""Three wire stories the toolkit has never seen (tests/translation/wire/: money in three currencies with scale
words, dates in three English orders and one twice in a sentence, percentages, ordinals, number-with-unit
compounds, abbreviations, possessives, people's names after titles, a hostile title), built in Spanish and Catalan
by the real Apertium: every amount, date and percentage reaches the reader with its value, in the edition's
notation, no English possessive is left (the engine sees them in the "of" form, tools/ofform.py), every name
after a title is the person's (tools/names.py), and QA reports nothing about amounts, dates or possessives."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import built_at, project_with  # tests/ is on the path: helpers, not fixtures

ROOT = Path(__file__).resolve().parents[2]
WIRE = Path(__file__).parent / "wire"
EPOCH = 1767225600
# (language, what each edition must show: an amount and a date of each story as its press writes them)
SHOWN = {
    "es": ["3,4 mil millones de libras", "7,1 mil millones de dólares", "120 mil millones de euros",
           "36 millones de dólares", "1,5 millones de barriles", "el 3 de marzo de 2026", "El 14 de febrero",
           "en enero de 2023", "el 5 de abril de 2024", "2,5 mil millones de dólares", "210 mil millones de euros",
           "en febrero de 2022", "12\u00a0%", "los clientes de los bancos",
           "tubería de 1600 kilómetros", "siglo XXI", "límite de 12 millas", "válvula de 40 toneladas",
           "4,5\u00a0% en enero y 4,5\u00a0%", "el 5 de marzo de 2026 y otra vez el 5 de marzo de 2026",
           "los gobiernos de los aliados", "un fondo de 2 mil millones de dólares por año", "La tubería de Gazprom"],
    "ca": ["3,4 mil milions de lliures", "7,1 mil milions de dòlars", "120 mil milions d’euros",
           "36 milions de dòlars", "1,5 milions de barrils", "el 3 de març del 2026", "El 14 de febrer",
           "el gener del 2023", "el 5 d’abril del 2024", "2,5 mil milions de dòlars", "210 mil milions d’euros",
           "el febrer del 2022", "12\u00a0%", "els clients dels bancs",
           "canonada de 1.600 quilòmetres", "segle XXI", "límit de 12 milles", "vàlvula de 40 tones",
           "4,5\u00a0% en gener i 4,5\u00a0%", "el 5 de març del 2026 i de bell nou el 5 de març del 2026",
           "un fons de 2 mil milions de dòlars per any", "La canonada de Gazprom"],
}  # fmt: skip
# (language, the names as written (Prof. written out for Apertium), and what Apertium made of them unlocked: the trades)
NAMES = {
    "es": (["Profesor Baker", "Cook", "Smith"], ["Herrero", "Panadero", "Cocinero"]),
    "ca": (["Professor Baker", "Cook", "Smith"], ["Ferrer", "Forner", "Cuiner"]),
}
WRONG = ["billones", "bilions", "Marcha", "Desfila", "March", "Feb.", "Jan.", "April", "£", "$", "€", "bn", "percent",
         "por ciento", "per cent", "1,600", "-kil", "-quil", "-mil", "4.5", "21st", "XXIst"]  # fmt: skip


@pytest.fixture(scope="module")
def wire(tmp_path_factory: pytest.TempPathFactory) -> Path:
    seeds = {path.name: path.read_text(encoding="utf-8") for path in sorted(WIRE.glob("*.txt"))}
    root = project_with(tmp_path_factory.mktemp("wire"), seeds, "source_language: en\nlanguages: [es, ca]\n")
    return built_at(root, EPOCH)


def body(page: Path) -> str:
    """An article page's text without its front matter."""
    return page.read_text(encoding="utf-8").split("---\n", 2)[2]


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["es", "ca"])
def test_every_amount_and_date_reaches_the_reader(require, wire: Path, lang: str) -> None:
    require("apertium", "sudo apt-get install apertium apertium-eng-spa apertium-eng-cat")
    pages = [p for p in (wire / "docs" / lang).glob("*.md") if p.stem not in ("index", "glossary", "downloads")]
    assert len(pages) == len(list(WIRE.glob("*.txt")))
    text = "\n".join(body(page) for page in pages)
    for shown in SHOWN[lang]:
        assert shown in text, shown
    for wrong in WRONG:
        assert wrong not in re.sub(r"\(glossary\.md[^)]*\)", "", text), wrong
    names, trades = NAMES[lang]
    assert all(name in text for name in names), names
    assert not [trade for trade in trades if trade in text], "a person's name translated as a word"
    for page in pages:
        meta = yaml.safe_load(page.read_text(encoding="utf-8").split("---\n", 2)[1])
        assert meta["description"].endswith("."), "the standfirst is a whole sentence"
        assert "<b>" not in meta["title"], "the hostile title is text"


@pytest.mark.slow
@pytest.mark.parametrize(
    ("lang", "head"),
    [
        ("es", "ROTTERDAM, 4 de marzo (Reuters) — Los operadores portuarios"),
        ("ca", "ROTTERDAM, 4 de març (Reuters) — Els operadors portuaris"),
    ],
)
def test_a_dateline_heads_its_story_as_the_press_writes_it(require, wire: Path, lang: str, head: str) -> None:
    """A dateline goes to the engine apart from its story: together, Apertium wrote "(Reuters) - los operadores
    Portuarios" (the story's capital moved to its second word) and Catalan moved the place into the story; and
    the raya after it is spaced, as a separator, not attached as an aside's ("(Reuters) —los")."""
    require("apertium", "sudo apt-get install apertium apertium-eng-spa apertium-eng-cat")
    page = next(p for p in (wire / "docs" / lang).glob("ports-*.md"))
    assert f"\n{head} " in body(page)


@pytest.mark.slow
def test_qa_finds_nothing_about_amounts_dates_or_possessives(require, wire: Path) -> None:
    require("apertium", "sudo apt-get install apertium apertium-eng-spa apertium-eng-cat")
    command = [sys.executable, "-m", "tools", "check", "--root", str(wire), "--no-write"]
    run = subprocess.run(command, capture_output=True, text=True, check=False, cwd=ROOT)
    findings = run.stdout.splitlines()
    assert not [f for f in findings if "] numbers:" in f or "] date:" in f], run.stdout
    assert not [f for f in findings if "an English possessive is left" in f], run.stdout


@pytest.mark.slow
def test_planted_errors_are_found(require, wire: Path, tmp_path: Path) -> None:
    """A billón for a billion, a wrong month, an English month name, a wrong percentage: each is a finding of
    press check --strict."""
    require("apertium", "sudo apt-get install apertium apertium-eng-spa apertium-eng-cat")
    memory = wire / "translations" / "ca" / "001_wire_budget.po"
    original = memory.read_text(encoding="utf-8")
    planted = (
        original.replace("3,4 mil milions de lliures", "3,4 bilions de lliures")
        .replace("el 5 d’abril del 2024", "el 5 de maig del 2024")
        .replace("el gener del 2023", "el January 2023")
    )
    assert "bilions" in planted and "maig" in planted and "January" in planted
    ports = wire / "translations" / "ca" / "002_wire_ports.po"
    original_ports = ports.read_text(encoding="utf-8")
    assert "12\u00a0%" in original_ports
    memory.write_text(planted, encoding="utf-8")
    ports.write_text(original_ports.replace("12\u00a0%", "21\u00a0%"), encoding="utf-8")
    try:
        command = [sys.executable, "-m", "tools", "check", "--root", str(wire), "--no-write", "--strict"]
        run = subprocess.run(command, capture_output=True, text=True, check=False, cwd=ROOT)
    finally:
        memory.write_text(original, encoding="utf-8")
        ports.write_text(original_ports, encoding="utf-8")
    ca = [line for line in run.stdout.splitlines() if "[ca]" in line and ("numbers" in line or "date" in line)]
    assert run.returncode == 1
    assert any("missing 3400000000; extra 3400000000000 (off by a factor of 1,000" in line for line in ca), ca
    assert any("the month is not named as the language names it: '5 April 2024'" in line for line in ca), ca
    assert any("an English month name is left: 'January 2023'" in line for line in ca), ca
    assert any("002_wire_ports.po" in line and "missing 12; extra 21" in line for line in ca), ca
