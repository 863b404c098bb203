"""uk and pl editions built by `press build` with copying Argos models: what a reader sees (issue 10).

A copying model gives back its input, so every sentence's translation must be its own source sentence
with each locked term and kept name in the term base's form the sentence asks for: the genitive for an
English possessive (Trump’s → Трампа), the plural for a plural source term (shadow fleets → тіньові
флоти), the headword otherwise (no English word governs a case). Anything else is a word taken from a
neighbour, a lost word or a wrong form. The pages show those sentences typeset, with numbers and money in
the edition's CLDR notation. Articles: the seed, the second article of the agreement tests (titles,
possessives, plurals) and copying/numbers-and-money.txt; spot checks in copying/expectations.yml.
"""

from __future__ import annotations

import re
import subprocess
import sys
from decimal import Decimal
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

import polib
import pytest
import yaml
from babel.numbers import get_currency_symbol, parse_decimal
from conftest import copy_project  # tests/ is on the path: helpers, not fixtures
from markdown import markdown as render_markdown

from tools.engines.argos.install import install
from tools.glossary.detect import NAME_ID, Detector, Match
from tools.glossary.termbase import load_termbase
from tools.ingest import Article, read_seed
from tools.layout import Layout
from tools.modelkit import build_argosmodel
from tools.numbers import localize_numbers
from tools.publish.model import ArticlePage
from tools.publish.site import inline
from tools.publish.store import read_edition
from tools.quantities import quantities
from tools.quantities import write as write_quantity
from tools.segment import split_sentences

pytestmark = pytest.mark.slow  # editions built through a copying Argos model

ROOT = Path(__file__).resolve().parents[2]
DATA = Path(__file__).parent / "copying"
ARTICLES = {  # the seed file name in the built project → where it comes from
    "000_665afb2dddca8924.txt": ROOT / "seeds" / "000_665afb2dddca8924.txt",
    "001_second-article.txt": Path(__file__).parent / "agreement" / "second-article.txt",
    "002_numbers-and-money.txt": DATA / "numbers-and-money.txt",
}
LANGUAGES = ("uk", "pl")
EXPECTED = yaml.safe_load((DATA / "expectations.yml").read_text(encoding="utf-8"))
BASE, _ = load_termbase(ROOT / "glossary" / "terms.yml")
NAMES = {NAME_ID + name.name: name for name in BASE.names}
DETECTOR = Detector(BASE, "en", "en", with_names=True)
POSSESSIVE = re.compile(r"['’]s(?!\w)")
PLURAL_POSSESSIVE = re.compile(r"['’](?!\w)")
OPENING = '«“„"‘‹( '
SPACES = " \u00a0\u202f"
PAIRS = [(lang, name) for lang in LANGUAGES for name in ARTICLES]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project with the three articles, built for uk and pl by `press build` with copying en→uk, en→pl models."""
    project = copy_project(tmp_path_factory.mktemp("project"))
    for name, seed in ARTICLES.items():
        (project / "seeds" / name).write_bytes(seed.read_bytes())
    (project / "editions.yml").write_text(f"source_language: en\nlanguages: [{', '.join(LANGUAGES)}]\n")
    text = "\n".join(line for article in articles(project) for line in (article.title, *paragraph_texts(article)))
    packages = tmp_path_factory.mktemp("argos-packages")
    models = tmp_path_factory.mktemp("models")
    for lang in LANGUAGES:
        model = build_argosmodel(models / f"translate-en_{lang}-1_0.argosmodel", text, "en", lang)
        with pytest.MonkeyPatch.context() as patch:
            patch.setenv("ARGOS_PACKAGES_DIR", str(packages))
            install(model)
    run = subprocess.run(
        [sys.executable, "-m", "tools", "build", "--root", str(project)],
        capture_output=True, text=True, check=False, cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "ARGOS_PACKAGES_DIR": str(packages), "CI": "true"},
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    for lang in LANGUAGES:
        assert re.search(rf"(?m)^ *{lang} +built +argos translate-en_{lang}-1_0", run.stdout), run.stdout
    return project


def articles(project: Path) -> list[Article]:
    return [read_seed(project / "seeds" / name) for name in ARTICLES]


def paragraph_texts(article: Article) -> list[str]:
    return [paragraph.text for paragraph in article.paragraphs]


# --- what the restored sentence must be: the term base's forms, chosen by the source's grammar


def expected_translation(source: str, lang: str) -> str:
    """What a copying model's translation of ``source`` must read: each term (and kept name) in its form, each
    amount and date as the language writes it (their forms are checked against expectations.yml below)."""
    spans = []
    for match in DETECTOR.find(source):
        possessive = possessive_after(source, match)
        at_start = not source[: match.start].strip(OPENING)
        end = possessive.end() if possessive else match.end
        spans.append((match.start, end, term_form(match, lang, possessive is not None, at_start)))
    taken = [(start, end) for start, end, _ in spans]
    spans += [(q.start, q.end, write_quantity(q.text, lang)) for q in quantities(source, lang, taken)]
    out, last = [], 0
    for start, end, text in sorted(spans):
        out += [source[last:start], text]
        last = end
    return "".join(out) + source[last:]


def possessive_after(source: str, match: Match) -> re.Match[str] | None:
    """An English possessive right after the term (’s, or ’ after a plural in s)."""
    plural = match.text.endswith("s") and PLURAL_POSSESSIVE.match(source, match.end)
    return POSSESSIVE.match(source, match.end) or plural or None


def term_form(match: Match, lang: str, possessive: bool, at_start: bool) -> str:
    """The term base's form: genitive after a possessive, else nominative; plural for a plural source term."""
    case = "gen" if possessive else "nom"
    if match.term_id in NAMES:
        name = NAMES[match.term_id]
        return name.cases[lang][case] if possessive else name.spelling(lang)
    rendering = BASE.by_id(match.term_id).renderings[lang]
    plural = match.plural and rendering.number == "sg"
    forms = {"nom": rendering.plural} | rendering.plural_cases if plural else {"nom": rendering.term} | rendering.cases
    form = forms[case]
    return form[0].upper() + form[1:] if at_start else form


def term_words(lang: str) -> set[str]:
    """Every word of every form the term base gives the language's terms and names."""
    forms = [form for term in BASE.terms for form in term.renderings[lang].all_forms]
    forms += [name.spelling(lang) for name in BASE.names]
    forms += [form for name in BASE.names for form in name.cases.get(lang, {}).values()]
    return {word.casefold() for form in forms for word in re.findall(r"\w+", form)}


# --- what the edition holds: its memories and, as a reader sees it, its pages


def memory(project: Path, lang: str, seed: str) -> dict[str, polib.POEntry]:
    po = polib.pofile(str(project / "translations" / lang / seed.replace(".txt", ".po")))
    return {entry.msgid: entry for entry in po if not entry.obsolete}


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def reader_text(markdown_text: str) -> str:
    """The text a reader sees of one paragraph of a page: Markdown rendered as the site does, tags dropped."""
    parser = _Text()
    parser.feed(render_markdown(markdown_text, extensions=["attr_list"]))
    return "".join(parser.parts).strip()


def page_of(project: Path, lang: str, seed: str) -> ArticlePage:
    [page] = [page for page in read_edition(Layout(project).page_record(lang))[0] if page.source == f"seeds/{seed}"]
    return page


@cache
def blocks(project: Path, lang: str, seed: str) -> list[tuple[list[str], str]]:
    """The title and every paragraph of the page: (its source sentences, the text a reader sees)."""
    article, page = read_seed(project / "seeds" / seed), page_of(project, lang, seed)
    shown = [page.title] + [reader_text(inline(paragraph.pieces)) for paragraph in page.paragraphs]
    sources = [[article.title]] + [split_sentences(text) for text in paragraph_texts(article)]
    assert len(shown) == len(sources), "every paragraph is on the page"
    return list(zip(sources, shown))


def words(text: str) -> list[str]:
    """The words of ``text``, a number as its digits (1,400, 1⍽400 and 1400 are one word)."""
    return re.findall(r"\w+", re.sub(rf"(?<=\d)[.,{SPACES}](?=\d)", "", text).casefold())


# --- the tests


@pytest.mark.parametrize("lang, seed", PAIRS)
def test_each_sentence_is_its_own_source_with_the_term_bases_forms(built: Path, lang: str, seed: str) -> None:
    entries, article = memory(built, lang, seed), read_seed(built / "seeds" / seed)
    sources = [article.title] + [s for text in paragraph_texts(article) for s in split_sentences(text)]
    wrong = [(s, entries[s].msgstr, expected_translation(s, lang)) for s in sources]
    assert [(s, got, want) for s, got, want in wrong if got != want] == []
    notes = [line for s in sources for line in entries[s].comment.split("\n") if line.startswith("agreement: ")]
    assert notes == [], "a copying model leaves nothing for agreement to doubt"


@pytest.mark.parametrize("lang, seed", PAIRS)
def test_the_page_reads_without_glue_double_spaces_or_words_of_a_neighbour(built: Path, lang: str, seed: str) -> None:
    entries = memory(built, lang, seed)
    source = ARTICLES[seed].read_text(encoding="utf-8")
    currencies = {get_currency_symbol(code, locale=lang).casefold() for code in ("USD", "EUR")}
    written = " ".join(write_quantity(q.text, lang) for q in quantities(source, lang, []))  # amounts, dates
    known = term_words(lang) | currencies | {word.casefold() for word in re.findall(r"\w+", source + written)}
    for sources, shown in blocks(built, lang, seed):
        assert not re.search(f"[{SPACES}]{{2}}", shown) and "⟦" not in shown, shown
        assert not re.search(rf"[{SPACES}][.,;:!?»”)]", shown), shown
        glued = [word for word in re.findall(r"\w*[^\W\d]\w*", shown) if word.casefold() not in known]
        assert glued == [], f"words that are neither the source's nor a term's: {glued} in {shown!r}"
        translated = " ".join(localize_numbers(entries[s].msgstr, lang, s) for s in sources)  # its notation: below
        assert words(shown) == words(translated), shown


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("example", EXPECTED["sentences"], ids=[e["source"][:40] for e in EXPECTED["sentences"]])
def test_possessives_plurals_and_titles_read_as_expected(built: Path, lang: str, example: dict) -> None:
    [seed] = [seed for seed, path in ARTICLES.items() if example["source"] in path.read_text(encoding="utf-8")]
    assert memory(built, lang, seed)[example["source"]].msgstr == example[lang]
    assert expected_translation(example["source"], lang) == example[lang], "the oracle agrees with the examples"


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("number", EXPECTED["numbers"], ids=[n["source"] for n in EXPECTED["numbers"]])
def test_numbers_and_money_are_in_the_editions_notation(built: Path, lang: str, number: dict) -> None:
    wanted = number[lang].replace("⍽", "\u00a0")
    digits = re.search(r"\d(?:[\d,\u00a0]*\d)?", wanted).group()
    assert parse_decimal(digits, locale=lang, strict=True) == Decimal(str(number["value"])), "CLDR's own notation"
    if "currency" in number:
        assert get_currency_symbol(number["currency"], locale=lang) in wanted
    shown = "\n".join(text for seed in ARTICLES for _, text in blocks(built, lang, seed))
    assert wanted in shown
    assert number["source"] == number[lang] or number["source"] not in shown, "no number left in English notation"


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("ordinal", EXPECTED["ordinals"], ids=[o["source"] for o in EXPECTED["ordinals"]])
def test_ordinals_are_written_as_the_language_writes_them(built: Path, lang: str, ordinal: dict) -> None:
    shown = "\n".join(text for seed in ARTICLES for _, text in blocks(built, lang, seed))
    assert ordinal[lang] in shown


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("phrase", EXPECTED["meaning"], ids=[m["source"] for m in EXPECTED["meaning"]])
def test_a_restored_term_keeps_the_sources_meaning(built: Path, lang: str, phrase: dict) -> None:
    found = [
        entry.msgstr
        for seed in ARTICLES
        for sentence, entry in memory(built, lang, seed).items()
        if phrase["source"] in sentence
    ]
    assert found, "the phrase is in an article"
    assert [text for text in found if phrase["wrong"][lang] in text] == []
