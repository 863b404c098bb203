"""Translated editions end to end: the Spanish edition by Apertium, the editions table, bad configuration."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tools.build import Edition, build, editions_table
from tools.config import load_config
from tools.engines import Unavailable
from tools.errors import PressError
from tools.glossary.termbase import load_termbase

pytestmark = pytest.mark.slow  # editions built through real engines

ROOT = Path(__file__).resolve().parents[2]
SLUG = "policy-of-personal-diplomacy-that-donald-trump-has"


def test_spanish_edition_by_apertium(project: Path, require) -> None:
    require("apertium", "sudo apt-get install apertium apertium-eng-spa")
    result = build(project)
    spanish = next(e for e in result.editions if e.lang == "es")
    assert spanish.engine == "apertium" and not spanish.skipped
    page = (project / "docs" / "es" / f"{SLUG}.md").read_text(encoding="utf-8")
    _, meta, body = page.split("---\n", 2)
    meta = yaml.safe_load(meta)
    assert meta["lang"] == "es"
    assert meta["translation"]["engine"] == "apertium" and meta["translation"]["reviewed_share"] == 0.0
    words = re.findall(r"\w+", body.lower())
    assert sum(words.count(w) for w in ("de", "la", "el", "que", "y", "en")) > 0.15 * len(words), "it reads as Spanish"
    assert " the " not in body and "Triunfo" not in body.replace("Triunfo-Putin", "")
    base, _ = load_termbase(project / "glossary" / "terms.yml")
    for term in base.terms:
        assert term.renderings["es"].term.lower() in body.lower(), f"{term.id}: {term.renderings['es'].term}"
    assert body.count("{: #p") == 20, "the same paragraphs as the source"
    assert "«[flota fantasma](glossary.md#shadow-fleet" in body, "comillas angulares, the term linked"
    glossary = (project / "docs" / "es" / "glossary.md").read_text(encoding="utf-8")
    assert "# Glosario" in glossary and "{#shadow-fleet}" in glossary
    assert (project / "translations" / "es" / "glossary.po").is_file()
    second = build(project)
    assert all(e.engine_calls == 0 for e in second.editions) and second.written == []


def test_editions_table_and_strict(project: Path) -> None:
    """Every language listed, none planned: those no engine here serves are skipped, loudly, in one group."""
    (project / "editions.yml").write_text("languages: [uk, ru, de, fr, es, pl]\n", encoding="utf-8")

    def press(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "tools", "build", "--root", str(project), *args],
            capture_output=True, text=True, check=False, cwd=ROOT,
        )  # fmt: skip

    run = press()
    assert run.returncode == 0, run.stderr
    assert re.search(r"  en   built    source edition", run.stdout)
    assert "  uk, ru, de, fr, pl  skipped  no engine here can serve them\n" in run.stdout, "one reason, one line"
    assert "argos: no Argos model for en→<lang> is installed" in run.stdout, "every engine tried is named"
    assert "apertium: Apertium has no en→<lang> pair here" in run.stdout
    assert "fix: press models install translate-en_<lang>-<version>.argosmodel" in run.stdout
    assert run.stdout.count("skipped") == 1
    strict = press("--strict")
    assert strict.returncode == 1 and "edition(s) skipped" in strict.stderr


def test_an_edition_skipped_for_a_reason_of_its_own_has_its_own_line() -> None:
    def unavailable(lang: str) -> Unavailable:
        return Unavailable(
            f"no Argos model for en→{lang} is installed", f"press models install translate-en_{lang}-1.0"
        )

    editions = [
        Edition("uk", tried=[("argos", unavailable("uk"))]),
        Edition("pl", tried=[("argos", unavailable("pl"))]),
        Edition("de", tried=[("argos", Unavailable("the model for en→de is damaged", "reinstall it"))]),
        Edition("es", engine="apertium", model="eng-spa", machine=3),
    ]
    table = editions_table(editions)
    assert table[0].startswith("es   built    apertium eng-spa")
    assert table[1:] == [
        "uk, pl  skipped  no engine here can serve them",
        "       argos: no Argos model for en→<lang> is installed; fix: press models install translate-en_<lang>-1.0",
        "de   skipped  no engine here can serve it",
        "       argos: the model for en→de is damaged; fix: reinstall it",
    ]


@pytest.mark.parametrize(
    "config, message",
    [
        ("languages: [uk, xx]\n", "unknown language 'xx'"),
        ("languages: [es]\nengines: {es: [deepl]}\n", "unknown engine 'deepl' for es"),
        ("languages: [es]\ncolour: red\n", "unknown key(s): colour"),
        ("languages: [es\n", "not valid YAML"),
    ],
)
def test_bad_configuration_is_one_line(config: str, message: str, tmp_path: Path) -> None:
    (tmp_path / "editions.yml").write_text(config, encoding="utf-8")
    with pytest.raises(PressError) as caught:
        load_config(tmp_path)
    assert message in str(caught.value) and "; fix: " in str(caught.value)
    assert str(caught.value).startswith(str(tmp_path / "editions.yml"))


def test_the_error_names_the_line_of_the_bad_value(tmp_path: Path) -> None:
    (tmp_path / "editions.yml").write_text("# languages es and xx\nsource_language: en\nlanguages: [es, xx]\n")
    with pytest.raises(PressError) as caught:
        load_config(tmp_path)
    assert caught.value.line == 3
