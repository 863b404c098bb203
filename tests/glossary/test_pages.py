"""The glossary as a reader meets it: sorted by the language's alphabet, linked both ways."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tools.build import build
from tools.config import read_settings
from tools.glossary.collation import sort_key
from tools.glossary.definitions import load_definitions
from tools.glossary.termbase import load_termbase
from tools.ingest import read_seed
from tools.layout import GENERATOR
from tools.publish import markdown
from tools.publish.book import Book, book_glossary, write_epub
from tools.publish.edition import TermLinker, render_article, render_glossary
from tools.publish.model import GLOSSARY_PAGE, Backlink, GlossaryPage
from tools.publish.site import article_markdown, glossary_markdown, glossary_pages, inline
from tools.publish.store import glossary_from_record, glossary_record
from tools.translate import glossary_units
from tools.typography import typeset

ROOT = Path(__file__).resolve().parents[2]
BASE, _ = load_termbase(ROOT / "glossary" / "terms.yml")
ARTICLE = read_seed(ROOT / "seeds" / "000_665afb2dddca8924.txt")
AUTHORED_ES = load_definitions(ROOT / "glossary" / "definitions", BASE, ["es"])[0]["es"]
WITHOUT_FLEET = {term_id: entry for term_id, entry in AUTHORED_ES.items() if term_id != "shadow-fleet"}
MACHINE_ES = {unit.text: f"Frase de máquina {n}." for n, unit in enumerate(glossary_units(BASE))}  # a memory's texts
MARKER = "*Traducción automática del inglés.*\n{: .machine-translation }"
ENGLISH_NOTE = "*En inglés hasta que se traduzca.*"


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
    page = body(render_glossary(BASE, lang, {}))
    headings = re.findall(r"^## (.+) \{#([a-z0-9-]+)\}$", page, re.MULTILINE)
    assert len(headings) == len(BASE.terms)
    assert {anchor for _, anchor in headings} == {t.id for t in BASE.terms}
    titles = [title for title, _ in headings]
    assert titles == sorted(titles, key=lambda t: sort_key(t, lang))


def test_first_occurrence_links_with_the_definition_and_later_ones_stay_plain() -> None:
    linker = TermLinker(BASE, "en")
    page = article_markdown(render_article(ARTICLE, "en", linker))
    council = re.findall(r"Peace Council", page)
    links = re.findall(r'\[Peace Council\]\(glossary\.md#peace-council "([^"]+)"\)', page)
    assert len(council) == 4 and len(links) == 1
    assert links[0].startswith("The body Donald Trump launched in Davos")
    assert "{: #p1 }" in page and "{: #p20 }" in page
    glossary = body(render_glossary(BASE, "en", linker.found))
    entry = glossary.split("## Peace Council {#peace-council}")[1].split("\n## ")[0]
    assert "[¶1](policy-of-personal-diplomacy-that-donald-trump-has.md#p1)" in entry
    assert entry.count("#p5)") == 1, "two occurrences in one paragraph make one back-link"
    assert "[¶15](policy-of-personal-diplomacy-that-donald-trump-has.md#p15)" in entry
    assert "**See also:** [China trap](#china-trap) · [security vacuum](#security-vacuum)" in entry


def test_untranslated_definitions_say_they_are_english() -> None:
    page = body(render_glossary(BASE, "uk", {}))
    assert "## тіньовий флот {#shadow-fleet}" in page
    assert '{: .definition lang="en" }' in page
    assert "Показано англійською" in page


def body(page: GlossaryPage) -> str:
    """The site's glossary page as a reader's Markdown (without the front matter that holds the model)."""
    return markdown.read_front_matter(glossary_markdown(page))[1]


def entry_of(page: str, term_id: str) -> str:
    """One term's entry of a glossary page, from its heading to the next."""
    return page.split(f"{{#{term_id}}}\n")[1].split("\n## ")[0]


def shown(text: str) -> str:
    return markdown.escape(typeset(text, "es"))


def test_an_authored_glossary_shows_the_authored_texts_and_no_machine_marker() -> None:
    page = body(render_glossary(BASE, "es", {}, "en", MACHINE_ES, AUTHORED_ES))
    fleet = entry_of(page, "shadow-fleet")
    assert shown(AUTHORED_ES["shadow-fleet"].definition) + "\n{: .definition }" in fleet
    assert shown(AUTHORED_ES["shadow-fleet"].annotation) + "\n{: .annotation }" in fleet
    for absent in ("Frase de máquina", "machine-translation", "Traducción automática", 'lang="en"', ENGLISH_NOTE):
        assert absent not in page
    council = entry_of(page, "peace-council")
    assert "la prensa en inglés suele llamarlo Board of Peace" in council, "its other name is not replaced"


def test_a_term_without_an_authored_text_shows_the_machine_text_marked_as_such() -> None:
    page = body(render_glossary(BASE, "es", {}, "en", MACHINE_ES, WITHOUT_FLEET))
    fleet = entry_of(page, "shadow-fleet")
    assert "Frase de máquina" in fleet and MARKER in fleet
    assert page.count(MARKER) == 1, "only the entry a machine wrote is marked"
    assert "Frase de máquina" not in page.replace(fleet, "")
    assert ENGLISH_NOTE not in page, "machine text is in the edition's language"


def test_a_term_neither_authored_nor_translated_stays_english_under_the_pages_note() -> None:
    page = body(render_glossary(BASE, "es", {}, "en", {}, WITHOUT_FLEET))
    fleet = entry_of(page, "shadow-fleet")
    assert '{: .definition lang="en" }' in fleet and "Tankers with opaque ownership" in fleet
    assert ENGLISH_NOTE in page and "machine-translation" not in page


def test_the_tooltip_is_the_authored_definition() -> None:
    where = Backlink("slug", "Title", 1)
    for authored, expected in (
        (AUTHORED_ES, "La flota fantasma está formada por petroleros"),
        ({}, "Frase de máquina"),
    ):
        linker = TermLinker(BASE, "es", "en", MACHINE_ES, authored)
        text = inline(linker.link("Creció la flota fantasma.", where, set()))
        assert f'[flota fantasma]({GLOSSARY_PAGE}#shadow-fleet "{expected}' in text


def test_the_ebook_carries_the_marker_from_the_same_page(tmp_path: Path) -> None:
    model = render_glossary(BASE, "es", {}, "en", MACHINE_ES, WITHOUT_FLEET)
    saved = glossary_from_record(glossary_record(model))
    assert saved == model, "the saved glossary reads back as the model (its back-links are the articles')"
    book = book_glossary(saved, None, {"slug"})
    assert book.count("::: {.machine-translation}\n*Traducción automática del inglés.*\n:::") == 1
    article = render_article(ARTICLE, "es")
    epub = write_epub(
        Book("es", ARTICLE.slug, (article,), saved, read_settings(tmp_path)), tmp_path / "book.epub", 1_770_000_000
    )
    with zipfile.ZipFile(epub) as archive:
        xhtml = "".join(archive.read(n).decode() for n in archive.namelist() if n.endswith(".xhtml"))
    notes = re.findall(r'<div class="machine-translation">\s*<p><em>([^<]+)</em></p>', xhtml)
    assert notes == ["Traducción automática del inglés."]
    assert "La mayor parte de los activos rusos congelados" in xhtml


def mkdocs(project: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(Path(sys.executable).with_name("mkdocs")), "build", "--strict", "-f", "mkdocs.site.yml"],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
        env={"PATH": "/usr/bin:/bin", "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": str(ROOT)},
    )


@pytest.mark.slow
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


@pytest.mark.slow
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


def corpus(articles: int) -> dict[str, list[Backlink]]:
    """Back-links of a corpus: ``articles`` articles, one a day, each with the shadow fleet in ¶2 and ¶7."""
    start = dt.date(2026, 1, 1)
    return {
        "shadow-fleet": [
            Backlink(f"article-{i:04d}", f"Article {i}; a title", n, start + dt.timedelta(days=i))
            for i in range(articles)
            for n in (2, 7)
        ]
    }


def listed(page: str) -> list[int]:
    return [int(n) for n in re.findall(r"\*Article (\d+); a title\*", markdown.read_front_matter(page)[1])]


def test_an_entry_shows_its_newest_articles_and_its_term_pages_list_every_one() -> None:
    model = render_glossary(BASE, "en", corpus(120))
    entry = entry_of(body(model), "shadow-fleet")
    assert listed(entry) == [119, 118, 117, 116, 115], "the newest five, newest first"
    assert "[All 120 articles](terms/shadow-fleet/index.md)" in entry
    pages = {page.path: page.text for page in glossary_pages(model)}
    folder = "en/terms/shadow-fleet/"
    assert sorted(p for p in pages if "/terms/" in p) == [f"{folder}2.md", f"{folder}3.md", f"{folder}index.md"]
    assert [n for name in ("index.md", "2.md", "3.md") for n in listed(pages[folder + name])] == list(
        range(119, -1, -1)
    )
    first, last = pages[folder + "index.md"], pages[folder + "3.md"]
    assert first.count("\n- *Article ") == 50, "one list item per article, whatever its title holds"
    assert "[¶2](../../article-0119.md#p2), [¶7](../../article-0119.md#p7)" in first
    assert "[Older articles →](2.md)" in first and "](../../glossary.md#shadow-fleet)" in first
    assert "[← Newer articles](2.md)" in last and "Older articles" not in last
    assert all(markdown.read_front_matter(page)[0]["generator"] == GENERATOR for page in pages.values())
    few = render_glossary(BASE, "en", corpus(5))
    assert [page.path for page in glossary_pages(few)] == ["en/glossary.md"], "no term page while the entry shows all"


def test_the_glossary_page_does_not_grow_with_the_corpus() -> None:
    sizes = {
        n: len(re.sub(r"\d", "", glossary_markdown(render_glossary(BASE, "en", corpus(n))))) for n in (20, 200, 2000)
    }
    assert len(set(sizes.values())) == 1, f"only numbers differ: {sizes}"
