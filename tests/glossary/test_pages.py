"""The glossary as a reader meets it: sorted by the language's alphabet, linked both ways."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from tools.build import build
from tools.edition import render_article
from tools.glossary.collation import sort_key
from tools.glossary.pages import TermLinker, render_glossary
from tools.glossary.termbase import load_termbase
from tools.ingest import read_seed

ROOT = Path(__file__).resolve().parents[2]
BASE, _ = load_termbase(ROOT / "glossary" / "terms.yml")
ARTICLE = read_seed(ROOT / "seeds" / "000_665afb2dddca8924.txt")


@pytest.mark.parametrize(
    "lang, ordered",
    [
        ("uk", ["Гора", "Ґанок", "Донбас", "Європа", "Імла", "інший", "Їжак", "Яма"]),
        ("ru", ["ёлка", "ель", "есть", "жук", "йод", "Яблоко"]),
        ("pl", ["cebula", "ćma", "lody", "łoś", "zebra", "źródło", "żaba"]),
        ("de", ["Affe", "Ärger", "Ofen", "Öl", "Ozean", "Straße", "Tal"]),
        ("fr", ["eau", "école", "étude", "zèbre"]),
        ("es", ["nube", "ñandú", "oso"]),
        ("en", ["Alaska summit", "appeasement", "big stick", "Board"]),
    ],
)
def test_sorting_follows_the_alphabet(lang: str, ordered: list[str]) -> None:
    shuffled = list(reversed(ordered))
    assert sorted(shuffled, key=lambda word: sort_key(word, lang)) == ordered


@pytest.mark.parametrize("lang", ["en", "uk", "ru", "de", "fr", "es", "pl"])
def test_glossary_page_is_sorted_and_anchored(lang: str) -> None:
    page = render_glossary(BASE, lang, {})
    headings = re.findall(r"^## (.+) \{#([a-z0-9-]+)\}$", page, re.MULTILINE)
    assert len(headings) == len(BASE.terms)
    assert {anchor for _, anchor in headings} == {t.id for t in BASE.terms}
    titles = [title for title, _ in headings]
    assert titles == sorted(titles, key=lambda t: sort_key(t, lang))


def test_first_occurrence_links_with_the_definition_and_later_ones_stay_plain() -> None:
    linker = TermLinker(BASE, "en")
    page = render_article(ARTICLE, "en", linker).text
    council = re.findall(r"Peace Council", page)
    links = re.findall(r'\[Peace Council\]\(glossary\.md#peace-council "([^"]+)"\)', page)
    assert len(council) == 4 and len(links) == 1
    assert links[0].startswith("The body Donald Trump launched in Davos")
    assert "{: #p1 }" in page and "{: #p20 }" in page
    glossary = render_glossary(BASE, "en", linker.found)
    entry = glossary.split("## Peace Council {#peace-council}")[1].split("\n## ")[0]
    assert "[¶1](policy-of-personal-diplomacy-that-donald-trump-has.md#p1)" in entry
    assert entry.count("#p5)") == 1, "two occurrences in one paragraph make one back-link"
    assert "[¶15](policy-of-personal-diplomacy-that-donald-trump-has.md#p15)" in entry
    assert "**See also:** [China trap](#china-trap) · [security vacuum](#security-vacuum)" in entry


def test_untranslated_definitions_say_they_are_english() -> None:
    page = render_glossary(BASE, "uk", {})
    assert "## тіньовий флот {#shadow-fleet}" in page
    assert '{: .definition lang="en" }' in page
    assert "Показано англійською" in page


def mkdocs(project: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(Path(sys.executable).with_name("mkdocs")), "build", "--strict", "-f", "mkdocs.site.yml"],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
        env={"PATH": "/usr/bin:/bin", "NO_MKDOCS_2_WARNING": "1"},
    )


def test_site_links_both_ways_and_a_broken_anchor_fails_the_build(project: Path) -> None:
    build(project)
    assert mkdocs(project).returncode == 0
    article = (project / "site" / "policy-of-personal-diplomacy-that-donald-trump-has" / "index.html").read_text()
    assert '<a href="../glossary/#shadow-fleet" title="Tankers with opaque ownership' in article
    assert '<p id="p14">' in article
    glossary = (project / "site" / "glossary" / "index.html").read_text()
    assert '<h2 id="shadow-fleet">' in glossary
    assert 'href="../policy-of-personal-diplomacy-that-donald-trump-has/#p14"' in glossary
    page = project / "docs" / "en" / "glossary.md"
    page.write_text(page.read_text().replace("#p14)", "#p99)"), encoding="utf-8")
    run = mkdocs(project)
    assert run.returncode != 0 and "#p99" in run.stderr


def test_glossary_errors_stop_the_build_with_one_line(project: Path) -> None:
    terms = project / "glossary" / "terms.yml"
    terms.write_text(terms.read_text().replace("see: [gingerbread]", "see: [gingerbred]"), encoding="utf-8")
    with pytest.raises(Exception, match="refers to unknown term 'gingerbred'"):
        build(project)


def test_glossary_check_command(project: Path) -> None:
    def press(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "tools", "glossary", *args, "--root", str(project)],
            capture_output=True,
            text=True,
            check=False,
            cwd=ROOT,
        )

    run = press("check", "--strict")
    assert run.returncode == 0, run.stderr
    assert "15 terms" in run.stdout and "0 error(s), 0 warning(s)" in run.stdout
    assert "тіньовий флот" in press("show", "тіньового флоту").stdout
    seed = project / "seeds" / "000_665afb2dddca8924.txt"
    seed.write_text(seed.read_text() + "\nThe «iron curtain» is back.\n", encoding="utf-8")
    run = press("check", "--strict")
    assert run.returncode == 1
    assert "«iron curtain» is set in quotes in the seeds (1×) but is not in the glossary" in run.stderr
    assert press("check").returncode == 0
