"""Locked terms agree with their sentence (cases as data in agreement/<lang>.yml), and an es build shows it."""

from __future__ import annotations

import importlib
import os
import re
import subprocess
from pathlib import Path

import polib
import pytest
import yaml
from fakes import FakeEngine

from tools.engines import ENGINES
from tools.glossary.detect import Detector
from tools.glossary.termbase import load_termbase
from tools.ingest import parse_seed
from tools.languages import HUNSPELL, LANGUAGES
from tools.translate import (
    AGREEMENT,
    UNKNOWN_WORDS,
    Slot,
    glossary_units,
    restore_terms,
    translate_article,
    translate_units,
)

ROOT = Path(__file__).resolve().parents[2]
BASE, _ = load_termbase(ROOT / "glossary" / "terms.yml")
FILES = sorted((Path(__file__).parent / "agreement").glob("*.yml"))
SEEDS = [ROOT / "seeds" / "000_665afb2dddca8924.txt", Path(__file__).parent / "agreement" / "second-article.txt"]
SPANISH_ANALYSER = "/usr/share/apertium/apertium-eng-spa/spa-eng.automorf.bin"
SPANISH_DETERMINERS = {  # what may stand before a term of each gender and number (de la, a la: la)
    "m.sg": {"el", "del", "al", "un", "este", "ese", "aquel"},
    "f.sg": {"la", "una", "esta", "esa", "aquella"},
    "m.pl": {"los", "unos", "estos", "esos", "aquellos"},
    "f.pl": {"las", "unas", "estas", "esas", "aquellas"},
}


def require_file(path: Path, install: str) -> None:
    """Skip a test that needs an installed file on a laptop without it; under CI=true, fail instead."""
    if path.is_file():
        return
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(f"{path} is not installed (install: {install}); CI must have it")
    pytest.skip(f"{path} is not installed (install: {install})")


def load_cases() -> list[tuple[str, dict, dict]]:
    cases = []
    for path in FILES:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        cases += [(data["lang"], data.get("termbase"), case) for case in data["cases"]]
    return cases


CASES = load_cases()


def slot(spec: str | dict) -> Slot:
    return (
        Slot(spec)
        if isinstance(spec, str)
        else Slot(spec["id"], spec.get("plural", False), spec.get("possessive", False), spec.get("text", ""))
    )


@pytest.mark.parametrize("lang, termbase, case", CASES, ids=[f"{lang}-{case['why'][:45]}" for lang, _, case in CASES])
def test_restoring_a_term_agrees_or_says_why_not(
    lang: str, termbase: str | None, case: dict, tmp_path: Path, require
) -> None:
    package = case.get("requires")  # a verb is analysed and inflected by the language's dictionaries
    if package and package.startswith("hunspell-"):
        require_file(HUNSPELL / f"{LANGUAGES[lang].hunspell}.aff", f"sudo apt-get install {package}")
    elif package:
        require("lt-proc", f"sudo apt-get install apertium {package}")
    base = BASE
    if termbase:
        (tmp_path / "terms.yml").write_text(termbase, encoding="utf-8")
        base, problems = load_termbase(tmp_path / "terms.yml")
        assert [p for p in problems if p.severity == "error"] == []
    restored = restore_terms(case["output"], [slot(s) for s in case["slots"]], base, lang)
    assert restored is not None
    assert restored.text == case["text"]
    expected = case.get("findings", [])
    assert len(restored.findings) == len(expected), restored.findings
    for finding, words in zip(restored.findings, expected):
        assert words in finding and "\n" not in finding, finding


# --- the term base's case forms, checked against the languages' own morphological dictionaries


def needs_package(module: str):
    """A package only tests use: skipped on a laptop without it, required under CI=true."""
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        return importlib.import_module(module)
    return pytest.importorskip(module)


PYMORPHY_CASES = {"nom": "nomn", "gen": "gent", "dat": "datv", "acc": "accs", "ins": "ablt", "loc": "loct"}
MORFEUSZ_CASES = {"nom": "nom", "gen": "gen", "dat": "dat", "acc": "acc", "ins": "inst", "loc": "loc"}


def authored_forms(lang: str) -> list[tuple[str, str, str, bool, bool, bool]]:
    """(headword, case, form, plural headword, plural form, name) for every case form the term base gives."""
    rows = []
    for term in BASE.terms:
        rendering = term.renderings[lang]
        plural = rendering.number == "pl"
        rows += [(rendering.term, case, form, plural, plural, False) for case, form in rendering.cases.items()]
        if rendering.plural:
            forms = {"nom": rendering.plural} | rendering.plural_cases
            rows += [(rendering.term, case, form, False, True, False) for case, form in forms.items()]
    for name in BASE.names:
        rows += [
            (name.spelling(lang), case, form, False, False, True) for case, form in name.cases.get(lang, {}).items()
        ]
    return rows


def _plain(word: str) -> str:
    return word.casefold().replace("ё", "е")


def _number(tag) -> str:
    """A pymorphy tag's number (Ukrainian adjectives leave the singular unsaid: it is their gender)."""
    return tag.number or ("sing" if tag.gender else "plur")


def pymorphy_forms(analyzer, word: str, case: str, plural_headword: bool, plural: bool) -> set[str] | None:
    """The forms the dictionary has of ``word`` in ``case``; None unless ``word`` is a nominative that declines."""
    forms, nominative = set(), False
    for parse in analyzer.parse(word):
        number = "plur" if plural_headword else "sing"
        if parse.tag.case != "nomn" or parse.tag.POS not in ("NOUN", "ADJF", "PRTF") or _number(parse.tag) != number:
            continue
        nominative = True
        wanted = "plur" if plural else "sing"
        for form in parse.lexeme:
            tag = form.tag
            if tag.case != PYMORPHY_CASES[case] or _number(tag) != wanted:
                continue
            if wanted == "sing" and parse.tag.gender and tag.gender not in (parse.tag.gender, None):
                continue
            forms.add(_plain(form.word))
    return forms if nominative else None


@pytest.mark.parametrize("lang", ["uk", "ru"])
def test_ukrainian_and_russian_case_forms_are_in_the_dictionary(lang: str) -> None:
    pymorphy3 = needs_package("pymorphy3")  # with pymorphy3-dicts-uk and pymorphy3-dicts-ru
    analyzer = pymorphy3.MorphAnalyzer(lang=lang)
    wrong = []
    for headword, case, form, plural_headword, plural, name in authored_forms(lang):
        for word, written in zip(headword.split(), form.split(), strict=True):
            forms = pymorphy_forms(analyzer, word, case, plural_headword, plural)
            if name and case == "acc":  # a person is animate: the accusative is the genitive
                forms = (forms or set()) | (pymorphy_forms(analyzer, word, "gen", False, False) or set())
            if forms is None and written != word:
                wrong.append(f"{headword} {case}: {written} should stay {word} (it does not decline here)")
            elif forms is not None and _plain(written) not in forms and not (name and written == word):
                wrong.append(f"{headword} {case}: {written} (the dictionary has {sorted(forms)})")
    assert wrong == []


def morfeusz_forms(morfeusz, word: str, case: str, plural_headword: bool, plural: bool) -> set[str] | None:
    """The forms Morfeusz generates of ``word`` in ``case``; None unless ``word`` is a nominative that declines."""
    forms, nominative = set(), False
    for _, _, (_, lemma, tag, *_) in morfeusz.analyse(word):
        parts = tag.split(":")
        number = "pl" if plural_headword else "sg"
        if len(parts) < 4 or parts[0] not in ("subst", "adj", "ppas") or parts[1] != number:
            continue
        if "nom" not in parts[2].split("."):
            continue
        nominative = True
        for orth, _, generated, *_ in morfeusz.generate(lemma.split(":")[0]):
            g = generated.split(":")
            if len(g) < 4 or g[0] != parts[0] or g[1] != ("pl" if plural else "sg"):
                continue
            if MORFEUSZ_CASES[case] not in g[2].split("."):
                continue
            if parts[0] != "subst" and not set(g[3].split(".")) & set(parts[3].split(".")):
                continue
            forms.add(orth.casefold())
    return forms if nominative else None


def test_polish_case_forms_are_in_the_dictionary() -> None:
    morfeusz2 = needs_package("morfeusz2")
    morfeusz = morfeusz2.Morfeusz()
    wrong = []
    for headword, case, form, plural_headword, plural, name in authored_forms("pl"):
        if name:
            continue  # foreign names are not in Morfeusz's dictionary
        for word, written in zip(headword.split(), form.split(), strict=True):
            forms = morfeusz_forms(morfeusz, word, case, plural_headword, plural)
            if forms is None and written != word:
                wrong.append(f"{headword} {case}: {written} should stay {word} (it does not decline here)")
            elif forms is not None and written.casefold() not in forms:
                wrong.append(f"{headword} {case}: {written} (the dictionary has {sorted(forms)})")
    assert wrong == []


# --- an es edition through the real Apertium: the seed and a second article (titles, possessives, plurals)


def disagreeing_determiners(text: str) -> list[str]:
    """Each locked term in Spanish ``text`` whose determiner is of another gender or number."""
    wrong = []
    every = set().union(*SPANISH_DETERMINERS.values())
    for match in Detector(BASE, "es").find(text):
        rendering = BASE.by_id(match.term_id).renderings["es"]
        number = "pl" if rendering.number == "pl" or match.plural else "sg"
        before = re.findall(r"\w+", text[: match.start])
        expected = SPANISH_DETERMINERS[f"{rendering.gender}.{number}"]
        if before and before[-1].casefold() in every and before[-1].casefold() not in expected:
            wrong.append(f"{before[-1]} {match.text}")
    return wrong


def glued_words(texts: list[str], sources: list[str]) -> set[str]:
    """Words of the translation Apertium's Spanish analyser does not know and the source does not have."""
    formatted = subprocess.run(
        ["apertium-destxt"], input="\n".join(texts) + "\n", capture_output=True, text=True, check=True
    )
    analysis = subprocess.run(
        ["lt-proc", SPANISH_ANALYSER], input=formatted.stdout, capture_output=True, text=True, check=True
    )
    unknown = set(re.findall(r"\^([^/$]+)/\*", analysis.stdout))
    known = {word.casefold() for word in re.findall(r"\w+", " ".join(sources))}
    known |= {w.casefold() for t in BASE.terms for f in t.renderings["es"].all_forms for w in re.findall(r"\w+", f)}
    known |= {w.casefold() for n in BASE.names for w in re.findall(r"\w+", n.spelling("es"))}
    return {word for word in unknown if word.casefold() not in known}


@pytest.mark.slow
@pytest.mark.parametrize("seed", SEEDS, ids=[seed.stem for seed in SEEDS])
def test_a_spanish_edition_reads_without_glue_double_spaces_or_disagreement(
    seed: Path, tmp_path: Path, require
) -> None:
    require("apertium", "sudo apt-get install apertium apertium-eng-spa")
    article = parse_seed(seed.read_bytes(), Path("seeds") / seed.name)
    result = translate_article(article, "es", ENGINES["apertium"], tmp_path / "es.po", BASE)
    texts = list(result.texts.values())
    assert len(texts) == len(set(result.texts)) and all(texts)
    for text in texts:
        assert "  " not in text and "⟦" not in text and text == text.strip(), text
        assert not re.search(r"\s[.,;:!?»”)]", text), text
    assert glued_words(texts, list(result.texts)) == set()
    assert [wrong for text in texts for wrong in disagreeing_determiners(text)] == []
    entries = {entry.msgid: entry for entry in polib.pofile(str(tmp_path / "es.po"))}
    for sentence, words in result.unknown.items():
        assert f"{UNKNOWN_WORDS}{', '.join(words)}" in entries[sentence].comment.split("\n")
    for sentence, findings in result.agreement.items():
        assert f"{AGREEMENT}{'; '.join(findings)}" in entries[sentence].comment.split("\n")
    assert result.unknown, "Apertium does not know every word of an article: they are data"


def test_the_second_article_keeps_plurals_possessives_and_titles(tmp_path: Path, require) -> None:
    require("apertium", "sudo apt-get install apertium apertium-eng-spa")
    article = parse_seed(SEEDS[1].read_bytes(), Path("seeds/second.txt"))
    texts = translate_article(article, "es", ENGINES["apertium"], tmp_path / "es.po", BASE).texts
    assert texts["Shadow fleets and the Alaska summits"].startswith("Flotas fantasma")
    assert texts["The shadow fleets of Russia grew after the Alaska summits."].startswith(
        "Las flotas fantasma de Rusia"
    )
    assert texts["Trump’s personal diplomacy did not stop the shadow fleet."].startswith(
        "La diplomacia personal de Trump"
    )
    assert "los activos rusos congelados" in " ".join(texts.values())


def test_a_terms_own_entry_does_not_lock_its_own_names(tmp_path: Path) -> None:
    engine = FakeEngine("recording")
    result = translate_units(glossary_units(BASE), "es", engine, tmp_path / "glossary.po", BASE, "en", "terms")
    [called] = [s for s in engine.sent if "usually called the" in s]
    assert "usually called the Board of Peace" in called, "the term's own other name is the engine's to translate"
    assert "⟦T1⟧ launched in Davos" not in called and "⟦T1⟧" in called, "other names are still locked"
    [other] = [s for s in engine.sent if s.startswith("The article warns that bringing Russia")]
    assert "Peace Council" not in other, "in another term's entry the term is locked"
    assert any("Consejo de Paz" in text for text in result.texts.values())


# --- es and ca through the real Apertium: around each term, no disagreement the memory does not report

WIRE = Path(__file__).parent / "agreement" / "wire-article.txt"
ANALYSERS = {"es": "apertium-eng-spa/spa-eng.automorf.bin", "ca": "apertium-eng-cat/cat-eng.automorf.bin"}
MODIFIERS = ("det", "adj", "predet")  # what agrees before a noun (and a participle: <vblex><pp>)
LOOKED_THROUGH = MODIFIERS + ("preadv",)


def readings(lang: str, word: str) -> list[list[str]]:
    """The tags of each reading Apertium's dictionary of ``lang`` gives ``word`` (none when it does not know it)."""
    from tools.engines.apertium import data_dir

    run = subprocess.run(
        ["lt-proc", str(data_dir() / ANALYSERS[lang])],
        input=word.casefold() + "\n",
        capture_output=True,
        text=True,
        check=False,
    )
    found = re.findall(r"\^[^$]*\$", run.stdout)
    if len(found) != 1:
        return []
    return [re.findall(r"<([^>]+)>", r) for r in found[0].strip("^$").split("/")[1:] if "<" in r]


def silent_disagreements(lang: str, text: str, findings: tuple[str, ...]) -> list[str]:
    """Words around a locked term whose every reading disagrees with it, that no finding names."""
    wrong = []
    for match in Detector(BASE, lang).find(text):
        rendering = BASE.by_id(match.term_id).renderings[lang]
        gender, number = rendering.gender, "pl" if rendering.number == "pl" or match.plural else "sg"
        subject = True
        for word in reversed(re.findall(r"[^\W\d_]+", text[: match.start])[-3:]):
            tags = [t for t in readings(lang, word) if t[0] in LOOKED_THROUGH or t[:2] == ["vblex", "pp"]]
            if not tags:  # not a word that agrees before a noun (muchos is also a pronoun, ruso a noun: kept)
                subject = not any(t[0] == "pr" for t in readings(lang, word))  # de las …: the verb is another's
                break
            agreeing = [t for t in tags if {gender, "mf"} & set(t) and {number, "sp"} & set(t) or t[0] == "preadv"]
            if not agreeing:
                wrong.append((word, f"{word} … {match.text}"))
        after = re.match(r"[\s»”<>/\w]*?\s([^\W\d_]+)", text[match.end :])
        if number == "pl" and subject and after:
            tags = [t for t in readings(lang, after.group(1)) if "imp" not in t]  # crece: also an imperative
            if tags and all("p3" in t and "sg" in t and t[0].startswith("vb") for t in tags):
                wrong.append((after.group(1), f"{match.text} {after.group(1)}"))
    return [shown for word, shown in wrong if f"«{word}»" not in " ".join(findings)]


@pytest.mark.parametrize("lang, package", [("es", "apertium-eng-spa"), ("ca", "apertium-eng-cat")])
def test_apertium_leaves_no_silent_disagreement_around_a_term(lang: str, package: str, tmp_path: Path, require) -> None:
    require("apertium", f"sudo apt-get install apertium {package}")
    article = parse_seed(WIRE.read_bytes(), Path("seeds/wire.txt"))
    result = translate_article(article, lang, ENGINES["apertium"], tmp_path / f"{lang}.po", BASE)
    entries = {entry.msgid: entry for entry in polib.pofile(str(tmp_path / f"{lang}.po"))}
    for sentence, text in result.texts.items():
        findings = result.agreement.get(sentence, ())
        assert silent_disagreements(lang, text, findings) == [], (sentence, text)
        if findings:
            assert f"{AGREEMENT}{'; '.join(findings)}" in entries[sentence].comment.split("\n")
    many, grow = result.texts["Many shadow fleets sail."], result.texts["The shadow fleets grow every year."]
    assert many.startswith({"es": "Muchas flotas fantasma", "ca": "Moltes flotes fantasma"}[lang]), many
    assert {"es": "flotas fantasma crecen", "ca": "flotes fantasma creixen"}[lang] in grow, grow
    large = result.texts["The shadow fleets are large."]
    assert {"es": "flotas fantasma son grandes", "ca": "flotes fantasma són grans"}[lang] in large, large
