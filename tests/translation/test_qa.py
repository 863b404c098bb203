"""press check: the QA of a translated edition, read from its memory; findings go back into the entries."""

from __future__ import annotations

import dataclasses
import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

from tools import qa
from tools.cli import main
from tools.errors import PressError
from tools.glossary.detect import Detector
from tools.glossary.termbase import load_termbase
from tools.ingest import read_seed
from tools.qa import (
    DICTIONARIES,
    HUNSPELL,
    KINDS,
    PACKAGES,
    QA,
    check_edition,
    dictionary,
    entry_problems,
    read_words,
    split_glued,
)
from tools.translate import units_of

ROOT = Path(__file__).resolve().parents[2]
MEMORY = "000_665afb2dddca8924.po"  # memories are named by the article id (its seed file name)
BASE, _ = load_termbase(ROOT / "glossary" / "terms.yml")
ARTICLE = dataclasses.replace(
    read_seed(ROOT / "seeds" / "000_665afb2dddca8924.txt"), source=Path("seeds/000_665afb2dddca8924.txt")
)

# Sentences of the seed, translated as a person would: a memory of these has no finding.
CLEAN = {
    "In early 2026, American foreign policy found itself at a crossroads.": (
        "A principios de 2026, la política exterior estadounidense se encontraba en una encrucijada."
    ),
    "As of January 2026, the peace agreement on Ukraine was 90 percent ready.": (
        "En enero de 2026, el acuerdo de paz sobre Ucrania estaba listo en un 90 por ciento."
    ),
    "However, the Kremlin began to openly sabotage this process.": (
        "Sin embargo, el Kremlin empezó a sabotear abiertamente este proceso."
    ),
    "The second reason is Russia’s weakness.": "La segunda razón es la debilidad de Rusia.",
    "Oil and gas revenues have fallen by a quarter, and the IMF has lowered its growth forecast to 0.8 percent.": (
        "Los ingresos del petróleo y del gas han caído una cuarta parte, y el FMI ha rebajado su previsión "
        "de crecimiento al 0,8 por ciento."
    ),
}

# One planted fault per kind: (kind, source, translation, extracted comments, fuzzy).
FAULTS = [
    ("untranslated", "The third reason is trust.", "", "", True),
    ("untranslated", "The first reason is money.", "   ", "", True),
    ("unchanged", "The talks failed again.", "The talks failed again.", "", True),
    ("untranslated-word", "Uninsured tankers sail bluntly.", "Petroleros uninsured navegan bluntly.", "", True),
    ("untranslated-word", "An arsonist was seen.", "Un arsonist fue visto.", "unknown words: arsonist", True),
    ("glued", "High-profile initiatives failed.", "Las iniciativasdeperfil alto fracasaron.", "", True),
    ("double-space", "Trump’s personal diplomacy failed.", "Trump  diplomacia personal fracasó.", "", True),
    ("doubled-word", "The weakness of the West grows.", "La debilidad del del Oeste crece.", "", True),
    ("numbers", "The forecast is 0.8 percent.", "La previsión es del 8 por ciento.", "", True),
    ("term", "Tankers of the shadow fleet were blocked.", "Se bloquearon petroleros de la flota.", "", True),
    (
        "agreement",
        "The shadow fleet sails on.",
        "El flota fantasma sigue navegando.",
        "agreement: 'flota fantasma' is feminine after 'El'",
        True,
    ),
    ("placeholder", "Tankers of the shadow fleet sail.", "Petroleros de la ⟦T1⟧ navegan.", "", True),
    ("bidi", "The tanker left port.", "El petrolero \u202eotreup\u202c dejó el puerto.", "", False),
    ("bidi", "The ships waited.", "Los barcos \u2067esperaron\u2069.", "", False),
    ("bidi", "The crew was paid.", "La tripulación\u200f fue pagada.", "", False),
    ("quotes", "He called it «the main obstacle to peace».", "Lo llamó «el obstáculo principal a la paz.", "", True),
    ("quotes", "The United States’ allies worry.", "Los Estados Unidos' aliados se preocupan.", "", True),
    ("brackets", "The fleet (about 1,400 ships) sails.", "La flota (unos 1400 barcos navega.", "", True),
    ("punctuation", "It is a strategic gain.", "Es un beneficio estratégico .", "", True),
    ("punctuation", "Is peace possible?", "La paz es posible.", "", True),
    ("punctuation", "First, the sanctions bite.", "Primero,las sanciones muerden.", "", True),
    ("capitals", "There is also the possibility of peace.", "hay también la posibilidad de paz.", "", True),
    ("capitals", "The ships wait at the quay.", "Los Barcos esperan en el Muelle.", "", True),
    ("sentences", "Smith met the minister. He left on Monday.", "Smith se reunió con el ministro y se fue.", "", True),
    ("sentences", "Dr. Smith met the minister.", "El Dr. se reunió Smith con el ministro.", "", True),
    ("punctuation", "«Let us go», he said.", "« Vámonos», dijo.", "", True),
    ("whitespace", "The fleet sails.", "La flota navega. ", "", True),
    ("markup", "See https://example.org/report for details.", "Vea el informe para más detalles.", "", True),
    (
        "length",
        "The Russian economy is weakening quickly now.",
        (
            "La economía rusa se debilita rápidamente ahora, "
            "y cada mes que pasa el Kremlin pierde más ingresos del petróleo y del gas y más aliados."
        ),
        "",
        True,
    ),
]


def need_dictionary(lang: str) -> None:
    """Debian's hunspell dictionary of ``lang``: skip without it on a laptop, fail under CI (make installs it)."""
    if (HUNSPELL / f"{DICTIONARIES[lang]}.dic").is_file():
        return
    message = f"the {lang} hunspell dictionary is not installed (install: apt-get install {PACKAGES[lang]})"
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(autouse=True)
def spanish() -> None:
    need_dictionary("es")


def memory_of(path: Path, entries: list[tuple[str, str, str, bool]]) -> Path:
    """A memory with these (source, translation, comment, fuzzy) entries, written by polib."""
    po = polib.POFile(wrapwidth=0)
    po.metadata = {"Language": "es", "Content-Type": "text/plain; charset=UTF-8", "Content-Transfer-Encoding": "8bit"}
    for msgid, msgstr, comment, fuzzy in entries:
        po.append(polib.POEntry(msgid=msgid, msgstr=msgstr, comment=comment, flags=["fuzzy"] if fuzzy else []))
    po.save(str(path))
    return path


def kinds_by_line(path: Path, findings: list) -> dict[str, set[str]]:
    """The kinds found for each sentence, read back through the line each finding names."""
    lines = path.read_text(encoding="utf-8").split("\n")
    po = polib.pofile(str(path))
    at = {}
    for entry in po:
        for number in range(entry.linenum, len(lines) + 1):
            if lines[number - 1].startswith("msgstr"):
                at[number] = entry.msgid
                break
    found: dict[str, set[str]] = {}
    for finding in findings:
        found.setdefault(at[finding.line], set()).add(finding.kind)
    return found


def test_a_clean_memory_is_clean(tmp_path: Path) -> None:
    memory = memory_of(tmp_path / "es.po", [(s, t, "", True) for s, t in CLEAN.items()])
    units = [u for u in units_of(ARTICLE) if u.text in CLEAN]
    assert len(units) == len(CLEAN)
    assert check_edition(units, memory, "es", BASE) == []


@pytest.mark.parametrize(("kind", "source", "translation", "comment", "fuzzy"), FAULTS, ids=[f[0] for f in FAULTS])
def test_each_kind_of_problem_is_found(
    tmp_path: Path, kind: str, source: str, translation: str, comment: str, fuzzy: bool
) -> None:
    memory = memory_of(
        tmp_path / "es.po", [(source, translation, comment, fuzzy), *[(s, t, "", True) for s, t in CLEAN.items()]]
    )
    findings = check_edition(None, memory, "es", BASE)
    found = kinds_by_line(memory, findings)
    assert kind in found.get(source, set()), findings
    assert set(found) == {source}, "the clean sentences stay clean"


def test_every_kind_is_planted() -> None:
    assert sorted({f[0] for f in FAULTS}) == sorted(KINDS)


def test_agreement_waits_for_review_only_while_fuzzy(tmp_path: Path) -> None:
    source, translation = "The shadow fleet sails on.", "El flota fantasma sigue navegando."
    memory = memory_of(tmp_path / "es.po", [(source, translation, "agreement: 'flota fantasma' is feminine", False)])
    assert check_edition(None, memory, "es", BASE) == [], "a reviewer cleared fuzzy: the agreement was judged"


def test_findings_are_written_into_the_entry_and_replaced_on_each_run(tmp_path: Path) -> None:
    source = "High-profile initiatives failed."
    memory = memory_of(
        tmp_path / "es.po", [(source, "Las iniciativasdeperfil  alto fracasaron.", "machine translation: x", True)]
    )
    check_edition(None, memory, "es", BASE)
    entry = polib.pofile(str(memory)).find(source)
    assert entry.comment.split("\n") == [
        "machine translation: x",
        f"{QA}glued: 'iniciativasdeperfil' reads as 'iniciativas de perfil'",
        f"{QA}double-space: 1 double space(s) (the source has 0): 'iniciativasdeperfil␣␣alto'",
    ]
    before = memory.stat().st_ino, memory.read_bytes()
    assert len(check_edition(None, memory, "es", BASE)) == 2
    assert (memory.stat().st_ino, memory.read_bytes()) == before, "nothing changed: the file is not rewritten"
    po = polib.pofile(str(memory), wrapwidth=0)
    po.find(source).msgstr = "Las iniciativas de alto perfil fracasaron."
    po.save()
    assert check_edition(None, memory, "es", BASE) == []
    assert polib.pofile(str(memory)).find(source).comment == "machine translation: x"
    check_edition(None, memory, "es", BASE, write=False)


def test_the_committed_spanish_memory_is_clean_because_its_faults_were_reviewed(tmp_path: Path) -> None:
    """Made with the fixed Apertium pipeline, then every entry QA flagged post-edited and reviewed: 0 findings.
    Put one entry's machine output back, and its unknown word is a finding again."""
    memory = ROOT / "translations" / "es" / MEMORY
    assert check_edition(units_of(ARTICLE), memory, "es", BASE, write=False) == []
    po = polib.pofile(str(memory))
    flagged = [e for e in po if any(c.startswith("unknown words:") for c in e.comment.splitlines())]
    assert flagged and all("fuzzy" not in e.flags for e in flagged), "every entry with unknown words was reviewed"
    crossroads = next(e for e in flagged if "crossroads" in e.comment)
    machine = next(c for c in crossroads.comment.splitlines() if c.startswith("machine output: "))
    crossroads.msgstr = machine.removeprefix("machine output: ")
    po.save(str(tmp_path / MEMORY))
    findings = check_edition(units_of(ARTICLE), tmp_path / MEMORY, "es", BASE, write=False)
    messages = " ".join(f.message for f in findings if f.kind == "untranslated-word")
    assert "the engine did not know: crossroads" in messages, "Apertium's unknown words are findings"


@pytest.mark.parametrize(
    ("token", "parts"),
    [
        ("iniciativasdeperfil", ("iniciativas", "de", "perfil")),
        ("lainvasiónde", ("la", "invasión", "de")),
        ("ultimátums", ()),
        ("Kremlin", ()),
    ],
)
def test_glued_words_split_into_words_the_dictionary_knows(token: str, parts: tuple[str, ...]) -> None:
    assert split_glued(token, "es") == parts


@pytest.mark.slow
@pytest.mark.parametrize(
    ("lang", "clean", "glued", "parts", "copied"),
    [
        ("de", "Die Öleinnahmen fielen 2026 auf 0,8 Prozent.", "Öleinnahmenfielen", "Öleinnahmen fielen", "revenues"),
        (
            "fr",
            "Les recettes pétrolières sont tombées à 0,8 pour cent en 2026.",
            "recettespétrolières",
            "recettes pétrolières",
            "fell",
        ),
        ("pl", "Dochody z ropy spadły w 2026 roku do 0,8 procent.", "Dochodyz", "Dochody z", "revenues"),
        ("uk", "Нафтові доходи у 2026 році впали до 0,8 відсотка.", "Нафтовідоходи", "Нафтові доходи", "revenues"),
        ("ru", "Нефтяные доходы в 2026 году упали до 0,8 процента.", "Нефтяныедоходы", "Нефтяные доходы", "revenues"),
        (
            "ca",
            "Els ingressos del petroli van caure al 0,8 per cent el 2026.",
            "ingressosdel",
            "ingressos del",
            "revenues",
        ),
    ],
)
def test_every_edition_language_has_its_dictionary(lang: str, clean: str, glued: str, parts: str, copied: str) -> None:
    need_dictionary(lang)
    source = "Oil revenues fell to 0.8 percent in 2026."
    assert list(entry_problems(polib.POEntry(msgid=source, msgstr=clean, flags=["fuzzy"]), lang)) == []
    faulty = clean.replace(parts, glued)
    assert faulty != clean
    assert ("glued", f"'{glued}' reads as '{parts}'") in entry_problems(
        polib.POEntry(msgid=source, msgstr=faulty), lang
    )
    english = clean.replace(clean.split()[1], copied, 1)
    problems = list(entry_problems(polib.POEntry(msgid=source, msgstr=english), lang))
    assert ("untranslated-word", f"left in the source language: {copied}") in problems


def unreview(memory: Path, word: str) -> None:
    """Put back the machine output (and fuzzy) of the entry whose machine output had ``word`` unknown."""
    po = polib.pofile(str(memory), wrapwidth=100_000)
    entry = next(e for e in po if f"unknown words: {word}" in e.comment)
    machine = next(c for c in entry.comment.splitlines() if c.startswith("machine output: "))
    entry.msgstr = machine.removeprefix("machine output: ")
    entry.flags.append("fuzzy")
    po.save(str(memory))


@pytest.mark.slow
def test_check_command_strict(tmp_path: Path) -> None:
    for folder in ("seeds", "glossary"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    shutil.copy(ROOT / "editions.yml", tmp_path / "editions.yml")

    def press(*args: str) -> subprocess.CompletedProcess:
        command = [sys.executable, "-m", "tools", "check", "--root", str(tmp_path), *args]
        return subprocess.run(command, capture_output=True, text=True, check=False, cwd=ROOT)

    run = press("--strict")
    assert run.returncode == 0 and "0 finding(s)" in run.stdout, run.stdout + run.stderr  # no edition built yet
    shutil.copytree(ROOT / "translations", tmp_path / "translations")
    memory = tmp_path / "translations" / "es" / MEMORY
    unreview(memory, "crossroads")
    original = memory.read_bytes()
    run = press("--strict", "--no-write")
    assert run.returncode == 1 and memory.read_bytes() == original, run.stderr
    unknown = next(line for line in run.stdout.splitlines() if "did not know: crossroads" in line)
    where, _, rest = unknown.partition(": [es] ")
    path, line = where.rsplit(":", 1)
    assert Path(path) == memory and rest.startswith("untranslated-word: ")
    entry = memory.read_text(encoding="utf-8").split("\n")[int(line) - 1 :]
    assert entry[0].startswith("msgstr ") and "En temprano 2026" in "".join(entry[:3]), "the line of the msgstr"
    assert press().returncode == 0, "without --strict findings are listed, not fatal"
    assert f"#. {QA}untranslated-word: the engine did not know: crossroads" in memory.read_text(encoding="utf-8")


@pytest.mark.slow
def test_the_catalan_edition_as_reviewed_passes_strict_qa(tmp_path: Path) -> None:
    """Catalan moved from planned into languages, as editions.yml says to publish it: the committed memory,
    reviewed where QA flagged Apertium's output, has no finding (make check runs this)."""
    for folder in ("seeds", "glossary", "translations"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    editions = (ROOT / "editions.yml").read_text(encoding="utf-8")
    assert "languages: [es]\n" in editions and "pl, ca]\n" in editions, "editions.yml changed: update this test"
    published = editions.replace("pl, ca]\n", "pl]\n").replace("languages: [es]\n", "languages: [es, ca]\n")
    (tmp_path / "editions.yml").write_text(published, encoding="utf-8")
    memory = tmp_path / "translations" / "ca" / MEMORY
    assert "#. reviewed by " in memory.read_text(encoding="utf-8")
    command = [sys.executable, "-m", "tools", "check", "--strict", "--no-write", "--root", str(tmp_path)]
    run = subprocess.run(command, capture_output=True, text=True, check=False, cwd=ROOT)
    assert run.returncode == 0 and "0 finding(s)" in run.stdout, run.stdout + run.stderr
    unreview(memory, "crossroads")
    run = subprocess.run(command, capture_output=True, text=True, check=False, cwd=ROOT)
    assert run.returncode == 1 and "[ca] untranslated-word: the engine did not know: crossroads" in run.stdout


def test_a_language_without_a_dictionary_is_one_error() -> None:
    with pytest.raises(PressError, match="no hunspell dictionary is known for 'xx'"):
        dictionary("xx")


@pytest.fixture
def no_catalan_dictionary(monkeypatch: pytest.MonkeyPatch):
    """QA as on a machine without hunspell-ca: the dictionary's file is looked for in an empty folder."""
    caches = (qa.dictionary, qa.missing_dictionary, qa.knows)

    def clear() -> None:
        for cached in caches:
            cached.cache_clear()

    clear()
    monkeypatch.setitem(qa.DICTIONARIES, "ca", "ca_not_installed")
    yield
    clear()


def test_a_language_whose_dictionary_is_missing_is_said_once_and_qa_goes_on(
    tmp_path: Path, no_catalan_dictionary: None, capsys: pytest.CaptureFixture
) -> None:
    need_dictionary("es")
    for folder in ("seeds", "glossary"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    (tmp_path / "editions.yml").write_text("source_language: en\nlanguages: [es, ca]\n", encoding="utf-8")
    translations = tmp_path / "translations"
    shutil.copytree(ROOT / "translations" / "es", translations / "es")
    memory = translations / "es" / MEMORY
    unreview(memory, "crossroads")
    (translations / "ca").mkdir()
    shutil.copy(memory, translations / "ca" / MEMORY)

    status = main(["check", "--root", str(tmp_path), "--no-write"])
    out = capsys.readouterr().out.splitlines()
    said = [line for line in out if "dictionary:" in line]
    missing = qa.HUNSPELL / "ca_not_installed.dic"
    left_out = "the dictionary is not installed: the spelling checks of 'ca' are left out"
    assert said == [f"{missing}: [ca] dictionary: {left_out}; fix: apt-get install hunspell-ca"]
    assert any("[es] untranslated-word: the engine did not know: crossroads" in line for line in out), "es is checked"
    assert any("[ca] untranslated-word: the engine did not know: crossroads" in line for line in out), "so is ca"
    assert status == 0 and main(["check", "--root", str(tmp_path), "--no-write", "--strict"]) == 1


ACCEPTED = [  # compounds hunspell-es lacks: each reads as glued until the project's word list names it
    ("No es un descongelamiento total de los activos.", "descongelamiento"),
    ("Una retórica antioccidental domina.", "antioccidental"),
    ("Hay que desescalar el conflicto.", "desescalar"),
]


@pytest.mark.parametrize(("translation", "word"), ACCEPTED, ids=[w for _, w in ACCEPTED])
def test_the_projects_word_list_accepts_what_the_dictionary_lacks(tmp_path: Path, translation: str, word: str) -> None:
    memory = memory_of(tmp_path / "es.po", [("A sentence about it.", translation, "", True)])
    assert "glued" in {f.kind for f in check_edition(None, memory, "es", BASE, write=False)}, "hunspell lacks it"
    words = tmp_path / "words.txt"
    words.write_text(f"# accepted by the Spanish desk\n\n{word.capitalize()}  # any case\n", encoding="utf-8")
    accepted = read_words(words)
    assert accepted == {word}
    assert "glued" not in {f.kind for f in check_edition(None, memory, "es", BASE, write=False, accepted=accepted)}


@pytest.mark.parametrize("line", ["two words", "2026", "--"])
def test_a_word_list_line_that_is_not_one_word_is_one_error(tmp_path: Path, line: str) -> None:
    words = tmp_path / "words.txt"
    words.write_text(f"descongelamiento\n{line}\n", encoding="utf-8")
    with pytest.raises(PressError) as error:
        read_words(words)
    assert error.value.line == 2 and "one word a line" in str(error.value) and "\n" not in str(error.value)


@pytest.mark.slow
def test_check_reads_the_word_list_of_each_language(tmp_path: Path) -> None:
    for folder in ("seeds", "glossary", "translations"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    shutil.copy(ROOT / "editions.yml", tmp_path / "editions.yml")
    memory = tmp_path / "translations" / "es" / MEMORY
    po = polib.pofile(str(memory), wrapwidth=0)
    entry = next(e for e in po if e.msgstr)
    entry.msgstr = entry.msgstr.rstrip(".") + ", sin descongelamiento."
    po.save(str(memory))
    command = [sys.executable, "-m", "tools", "check", "--root", str(tmp_path), "--no-write"]
    run = subprocess.run(command, capture_output=True, text=True, check=False, cwd=ROOT)
    assert "'descongelamiento' reads as" in run.stdout, run.stdout
    (tmp_path / "translations" / "es" / "words.txt").write_text("descongelamiento\n", encoding="utf-8")
    run = subprocess.run(command, capture_output=True, text=True, check=False, cwd=ROOT)
    assert "descongelamiento" not in run.stdout, run.stdout


def test_words_inside_code_tags_and_addresses_are_not_untranslated(tmp_path: Path) -> None:
    """What the translation stage locks and restores as written is no word left in the source language."""
    source = "Read https://example.org/council and the note <script>alert(1)</script> today."
    translation = "Lea https://example.org/council y la nota <script>alerta(1)</script> hoy."
    memory = memory_of(tmp_path / "es.po", [(source, translation, "", True)])
    assert check_edition(None, memory, "es", BASE, write=False) == []
    copied = "Lea https://example.org/council y la nota <script>alerta(1)</script> today hoy."
    memory = memory_of(tmp_path / "es.po", [(source, copied, "", True)])
    assert [f.kind for f in check_edition(None, memory, "es", BASE, write=False)] == ["untranslated-word"]


OFF = "(off by a factor of 1,000: a scale word or a separator)"


def test_a_century_in_roman_numerals_is_no_odd_capital() -> None:
    need_dictionary("uk")
    problems = list(entry_problems(polib.POEntry(msgid="In the 21st century.", msgstr="У XXI столітті."), "uk"))
    assert [kind for kind, _ in problems if kind in ("capitals", "numbers")] == []


@pytest.mark.parametrize(
    ("source", "translation", "lang", "finding"),
    [
        (
            "The fund holds £3.4bn in aid.",
            "El fondo tiene 3,4 billones de libras en ayuda.",
            "es",
            f"missing 3400000000; extra 3400000000000 {OFF}",
        ),
        (
            "The port cost $7.1 billion.",
            "El port va costar 7,1 bilions de dòlars.",
            "ca",
            f"missing 7100000000; extra 7100000000000 {OFF}",
        ),
        ("It cost 1,400 dollars.", "Costó 1,4 dólares.", "es", f"missing 1400; extra 1.4 {OFF}"),
        ("The fund holds £3.4bn in aid.", "El fondo tiene 3,4 mil millones de libras en ayuda.", "es", None),
        ("Revenue fell 12%.", "Los ingresos cayeron un 21 %.", "es", "missing 12; extra 21"),
        ("Growth was 90 per cent.", "El creixement va ser del 9 %.", "ca", "missing 90; extra 9"),
        ("It was built in the 21st century.", "Se construyó en el siglo XXI.", "es", None),  # a century in Roman
        ("It was built in the 21st century.", "Se construyó en el siglo XX.", "es", "missing 21; extra none"),
        ("A 1,600-kilometre border.", "Una frontera de 1.600 quilòmetres.", "ca", None),
        ("A 1,600-kilometre border.", "Una frontera de 1,6 quilòmetres.", "ca", f"missing 1600; extra 1.6 {OFF}"),
        ("It cost $7.1 billion.", "Costó 7,1 mil millones de libras.", "es", "currency of an amount: missing USD; extra GBP"),
        ("It cost £3.4bn.", "Це коштувало 3,4 млрд доларів.", "uk", "currency of an amount: missing GBP; extra USD"),
        ("It cost €5m.", "Es kostete 5 Millionen US-Dollar.", "de", "currency of an amount: missing EUR; extra USD"),
        ("Norway added NOK 3 billion.", "Noruega va afegir 3 mil milions de corones noruegues.", "ca", None),
        ("Inflation in the euro area hit 3%.", "La inflación en la eurozona alcanzó el 3 %.", "es", None),  # no money
    ],
)  # fmt: skip
def test_an_amount_is_checked_by_value_with_its_scale(source: str, translation: str, lang: str, finding) -> None:
    found = [
        m for kind, m in entry_problems(polib.POEntry(msgid=source, msgstr=translation), lang) if kind == "numbers"
    ]
    assert found == ([finding] if finding else [])


@pytest.mark.parametrize(
    ("source", "translation", "lang", "finding"),
    [
        ("The banks' clients left.", "Los bancos’ clientes se fueron.", "es", "an English possessive is left: 'bancos’'"),
        ("Russia's shadow fleet.", "La Russia’s flota fantasma.", "ca", "an English possessive is left: 'Russia’s'"),
        ("The allies' governments.", "Die Verbündeten’ Regierungen.", "de", "an English possessive is left: 'Verbündeten’'"),
        ("He said 'banks' too.", "Dijo ‘bancos’ también.", "es", None),
        ("Is 'news' safe?", "¿Es 'noticioso' seguro?", "es", None),  # a quotation in straight marks
        ("Is 'news' safe?", "És 'notícia' segur?", "ca", None),
        ("The banks' clients, 'they' said.", "Los bancos' clientes, 'ellos' dijeron.", "es", "an English possessive is left: \"bancos'\""),
        ("Of the euros and the article.", "D’euros i l’article.", "ca", None),
        ("It is summer today.", "Aujourd’hui c’est l’été.", "fr", None),
        ("In the U.K., e.g. London.", "En el U.K., e.g. Londres.", "es", "an English abbreviation is left: 'U.K.', 'e.g.'"),
        ("In the U.K., e.g. London.", "En el Reino Unido, p. ej. Londres.", "es", None),
        ("The U.K.'s plan.", "El pla de l'U.k.", "ca", "an English abbreviation is left: 'U.k.'"),  # Apertium's
        ("The U.K.'s plan.", "El pla del Regne Unit.", "ca", None),  # the source's U.K.'s is no quotation mark
        ("Dr. Smith agreed.", "El Dr. Smith estuvo de acuerdo.", "es", None),
    ],
)  # fmt: skip
def test_english_structure_left_in_a_translation(source: str, translation: str, lang: str, finding) -> None:
    entry = polib.POEntry(msgid=source, msgstr=translation, flags=["fuzzy"])
    found = [message for kind, message in entry_problems(entry, lang) if kind == "english-structure"]
    assert found == ([finding] if finding else [])


@pytest.mark.parametrize(
    ("translation", "lang"),
    [("La continuació de l'estratègia d'«apaivagament» porta riscos.", "ca"), ("Le mot l’«apaisement» revient.", "fr")],
)
def test_an_elision_before_a_quotation_is_an_apostrophe(translation: str, lang: str) -> None:
    source = "The continuation of the strategy of «appeasement» carries risks."
    entry = polib.POEntry(msgid=source, msgstr=translation, flags=["fuzzy"])
    assert [m for kind, m in entry_problems(entry, lang) if kind == "quotes"] == []


@pytest.mark.parametrize(
    ("source", "translation", "lang", "finding"),
    [
        ("Smith met the minister. He left.", "Smith se reunió con el ministro y se fue.", "es", "1 sentence(s), the source has 2"),
        ("He said the ships wait.", "Dijo que los barcos esperan. Luego se fueron.", "es", "2 sentence(s), the source has 1"),
        ("The U.S. sanctions hit the fleet.", "Las sanciones de EE. UU. golpean la flota.", "es", None),
        ("The U.S. sanctions hit the fleet.", "Les sancions dels EE. UU. colpegen la flota.", "ca", None),
        ("Dr. Smith met the minister.", "El Dr. Smith se reunió con el ministro.", "es", None),
        ("Dr. Smith met the minister.", "El Dr. se reunió Smith con el ministro.", "es",
         "a title before no name: 'Dr. se' (a word moved across the abbreviation)"),
        ("Dr. Smith met the minister.", "El Dr. es va reunir Smith amb el ministre.", "ca",
         "a title before no name: 'Dr. es' (a word moved across the abbreviation)"),
        ("Dr. Smith met Dr. Jones.", "El Dr. se reunió con el Dr. " + "y el Dr. " * 6 + "Jones.", "es",
         ("a title before no name: 'Dr. se', 'Dr. y', 'Dr. y', 'Dr. y', 'Dr. y' and 2 more (a word moved across "
          "the abbreviation)")),
        ("Mr. Jones left. He was tired.", "El Sr. Jones se fue. Estaba cansado.", "es", None),
    ],
)  # fmt: skip
def test_sentences_are_counted_by_each_sides_language(source: str, translation: str, lang: str, finding) -> None:
    need_dictionary(lang)
    entry = polib.POEntry(msgid=source, msgstr=translation, flags=["fuzzy"])
    found = [message for kind, message in entry_problems(entry, lang) if kind == "sentences"]
    assert found == ([finding] if finding else [])


@pytest.mark.parametrize(
    ("source", "translation", "lang", "finding"),
    [
        ("The ships wait at the quay.", "Los Barcos esperan en el Muelle.", "es", "'Barcos'"),
        ("The ships wait in the port.", "LOS BARCOS esperan en el puerto.", "es", "'LOS', 'BARCOS'"),
        ("The ships wait in port.", "Els Vaixells esperen al port.", "ca", "'Vaixells'"),
        ("The G7 price cap holds, France said.", "El tope de precios del G7 se mantiene, dijo Francia.", "es", None),
        ("The United States and France agree.", "Les États-Unis et la France sont d’accord.", "fr", None),
        ("Russia sells oil to Ukraine's neighbours.", "Rusia vende petróleo a los vecinos de Ucrania.", "es", None),
        ("In March, the French president met British officials.",
         "En marzo, el presidente francés se reunió con funcionarios británicos.", "es", None),
        ("The United Nations met.", "La Organización de las Naciones Unidas se reunió.", "es", None),
        ("The United States imposed sanctions.", "Estados Unidos impuso sanciones.", "es", None),
        ("The weakness of the West grows.", "La debilidad de Occidente crece.", "es", None),
        ("The state cannot pay.", "El Estado no puede pagar.", "es", None),
        ("The state cannot pay.", "L’Estat no pot pagar.", "ca", None),
        ("The finance ministry said the treasury would pay.", "El Ministerio de Hacienda dijo que el Tesoro pagaría.", "es", None),
        ("The ships wait in port, the minister says.", "Los barcos esperan en el puerto, dice el Ministro.", "es", "'Ministro'"),
        ("Tankers sailed through the Baltic Sea, Reuters reported.", "Los petroleros navegaron por el mar Báltico, informó Reuters.", "es", None),
        ("The ships wait in port.", "Die Schiffe warten im Hafen, das Essen auch.", "de", None),
        ("The IMF cut its forecast, Smith said.", "El FMI rebajó su previsión, dijo Smith.", "es", None),
        ("He said: «Peace is near».", "Dijo: «La paz está cerca».", "es", None),
        ("Russia sells oil to India.", "Rússia ven petroli a l’Índia.", "ca", None),
    ],
)  # fmt: skip
def test_odd_capitals_are_found_and_spanish_and_catalan_usage_is_not(
    source: str, translation: str, lang: str, finding
) -> None:
    need_dictionary(lang)
    entry = polib.POEntry(msgid=source, msgstr=translation, flags=["fuzzy"])
    found = [message for kind, message in entry_problems(entry, lang, qa.Terms(*detectors(lang))) if kind == "capitals"]
    assert found == ([f"capitalised as the source is not: {finding}"] if finding else [])


@pytest.mark.parametrize(
    ("source", "translation", "lang", "finding"),
    [
        ("In March, the talks failed.", "En Marzo, las conversaciones fracasaron.", "es", "'Marzo'"),
        ("The talks failed on Monday.", "Las conversaciones fracasaron el Lunes.", "es", "'Lunes'"),
        ("The talks failed in March.", "Les converses van fracassar el Març.", "ca", "'Març'"),
        ("The talks failed in March.", "Las conversaciones fracasaron en marzo.", "es", None),
        ("Monday was calm.", "Lunes tranquilo.", "es", None),
        ("The talks failed in March.", "Die Gespräche scheiterten im März.", "de", None),
    ],
)  # fmt: skip
def test_a_month_or_day_capitalised_inside_a_sentence_is_found(source: str, translation: str, lang: str, finding):
    need_dictionary(lang)
    entry = polib.POEntry(msgid=source, msgstr=translation, flags=["fuzzy"])
    found = [message for kind, message in entry_problems(entry, lang) if kind == "capitals"]
    assert found == ([f"a month or day the language writes in lower case: {finding}"] if finding else [])


def detectors(lang: str) -> tuple[Detector, Detector]:
    """The glossary's term detectors of the source and of ``lang``."""
    return Detector(BASE, "en", "en"), Detector(BASE, lang, "en")


@pytest.mark.parametrize(
    ("source", "translation", "lang", "finding"),
    [
        ("«Let us go», he said.", "« Vámonos», dijo.", "es", "a space after the opening '«'"),
        ("«Let us go», he said.", "« Anem-hi», va dir.", "ca", "a space after the opening '«'"),
        ("«Let us go», he said.", "«Vámonos », dijo.", "es", "a space before the closing '»'"),
        ("Is it over?", "¿ Se acabó?", "es", "a space after the opening '¿'"),
        ("The fleet (about 1,400 ships) sails.", "La flota ( unos 1400 barcos) navega.", "ca", "a space after the opening '('"),
        ("«Let us go», he said.", "«Vámonos», dijo.", "es", None),
        ("The U.S. sanctions hit the fleet.", "Las sanciones de EE. UU. golpean la flota.", "es", None),
        ("In the U.K., e.g. London.", "Al Regne Unit, p. ex. Londres.", "ca", None),
        ("First, the sanctions bite.", "Primer,les sancions mosseguen.", "ca", "the space after ',' is not as in the source"),
        ("«Let us go», he said.", "«Anem-hi», va dir.", "ca", None),
        ("«Let us go», he said.", "« Allons-y », dit-il.", "fr", None),
    ],
)  # fmt: skip
def test_a_space_inside_quotes_or_brackets_is_punctuation(source: str, translation: str, lang: str, finding) -> None:
    entry = polib.POEntry(msgid=source, msgstr=translation, flags=["fuzzy"])
    found = [message for kind, message in entry_problems(entry, lang) if kind == "punctuation"]
    assert found == ([finding] if finding else [])
