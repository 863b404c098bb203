"""Apertium's input and output (cases as data in engine_io.yml): nothing glued, nothing moved, nothing marked left."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
import yaml

from tools.engines.apertium import ApertiumEngine, Output
from tools.glossary.detect import Detector
from tools.glossary.termbase import load_termbase
from tools.translate import lock_terms, restore_terms

pytestmark = pytest.mark.slow  # the real Apertium engine

ROOT = Path(__file__).resolve().parents[2]
BASE, _ = load_termbase(ROOT / "glossary" / "terms.yml")
DETECTOR = Detector(BASE, "en", "en", with_names=True)
CASES = yaml.safe_load((Path(__file__).parent / "engine_io.yml").read_text(encoding="utf-8"))["cases"]
ANALYSERS = {  # Apertium's own analysers of the target languages (from the reverse pairs)
    "es": "/usr/share/apertium/apertium-eng-spa/spa-eng.automorf.bin",
    "ca": "/usr/share/apertium/apertium-eng-cat/cat-eng.automorf.bin",
}
ENGINE = ApertiumEngine()


@pytest.fixture(autouse=True)
def apertium(require) -> None:
    require("apertium", "sudo apt-get install apertium apertium-eng-spa apertium-eng-cat")


def translate(sentences: list[str], lang: str) -> list[tuple[str, tuple[str, ...]]]:
    """As a build translates: lock, one engine call, restore; each translation with its unknown words."""
    locked = [lock_terms(sentence, DETECTOR) for sentence in sentences]
    outputs = ENGINE.translate([text for text, _ in locked], "en", lang)
    restored = [restore_terms(out, slots, BASE, lang) for out, (_, slots) in zip(outputs, locked)]
    assert all(r is not None for r in restored), outputs
    return [(r.text, out.unknown) for r, out in zip(restored, outputs)]


def unknown_to_analyser(text: str, lang: str) -> set[str]:
    """The words of ``text`` Apertium's analyser of ``lang`` does not know."""
    formatted = subprocess.run(
        ["apertium-destxt"], input=text + "\n", capture_output=True, text=True, check=True
    ).stdout
    stream = subprocess.run(["lt-proc", ANALYSERS[lang]], input=formatted, capture_output=True, text=True, check=True)
    return set(re.findall(r"\^([^/$]+)/\*", stream.stdout))


def rendered_words(lang: str) -> set[str]:
    forms = [form for term in BASE.terms if lang in term.renderings for form in term.renderings[lang].all_forms]
    forms += [name.spelling(lang) for name in BASE.names]
    return {word.casefold() for form in forms for word in re.findall(r"\w+", form)}


@pytest.mark.parametrize("case", CASES, ids=[case["why"][:50] for case in CASES])
def test_engine_input_and_output(case: dict) -> None:
    lang, sentences = case.get("lang", "es"), case["sentences"]
    together = translate(sentences, lang)
    joined = " ".join(text for text, _ in together)
    for sentence, (text, unknown) in zip(sentences, together):
        assert translate([sentence], lang) == [(text, unknown)], "the same alone as with its neighbours"
        assert text == text.strip() and "  " not in text and "\t" not in text and "⟦" not in text, text
        assert not re.search(r"\s[.,;:!?»”)]", text), text
    known = {word.casefold() for word in re.findall(r"\w+", " ".join(sentences))} | rendered_words(lang)
    assert {word for word in unknown_to_analyser(joined, lang) if word.casefold() not in known} == set(), "glued"
    for expected in case.get("contains", []):
        assert expected in joined, joined
    for unexpected in case.get("lacks", []):
        assert unexpected not in joined, joined
    if "unknown" in case:
        assert [list(unknown) for _, unknown in together] == case["unknown"]


def test_glued_words_are_found_by_the_analyser() -> None:
    """The check above can fail: the old output of the seed's first paragraph has a word no dictionary knows."""
    assert unknown_to_analyser("una serie de iniciativasdeperfil alto", "es") == {"iniciativasdeperfil"}


def test_each_translation_is_text_that_carries_its_marks() -> None:
    [output] = ENGINE.translate(["The uninsured tankers sail."], "en", "es")
    assert isinstance(output, Output) and isinstance(output, str)
    assert output == "El uninsured tankers aspa." and output.unknown == ("uninsured", "tankers")
    assert ENGINE.translate(["", "  "], "en", "es") == ["", "  "], "blank sentences need no engine"
