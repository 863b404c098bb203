"""Hostile text is data everywhere it lands: site, EPUB, PDF (cases in tests/hostile/cases.yml).

Each case puts a payload where text enters the toolkit (a seed, the term base, a memory). The
unit tests check the escaping functions against the real readers (Python-Markdown as mkdocs
configures it, pandoc, Typst). The end-to-end tests build the editions, the books and the site
with every payload in place and check that the build either stops with one PressError line or
that the result is safe: no element, attribute or URL from the input in any page (parsed, not
grepped), nothing the theme's tooltips would read back as HTML, the payload shown as text where
it belongs, the EPUB made of the files a clean build makes, and not one request to the network.
"""

from __future__ import annotations

import functools
import http.server
import json
import re
import subprocess
import sys
import threading
import zipfile
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import ClassVar
from xml.etree import ElementTree

import markdown as python_markdown
import polib
import pytest
import yaml
from conftest import ROOT, copy_project, require_command  # tests/ is on the path: helpers, not fixtures

from tools.build import build
from tools.config import read_settings
from tools.errors import PressError
from tools.ingest import parse_seed, read_seed, slugify
from tools.publish import book, markdown, site
from tools.publish.book import Book, write_epub, write_pdf
from tools.publish.edition import render_article
from tools.publish.model import Paragraph, Span, TermRef, Text
from tools.publish.pandoc import typst_body
from tools.typography import typeset

HERE = Path(__file__).parent / "hostile"
CASES_DATA = yaml.safe_load((HERE / "cases.yml").read_text(encoding="utf-8"))["cases"]
NO_SERVER = "http://127.0.0.1:9"  # for the unit tests, which start no server
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "poster", "srcset", "xlink:href", "background"}
SPANISH = "source_language: en\nlanguages: [es]\nengines:\n  es: [apertium]\n"
WORDS = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliett", "kilo"]


@dataclass(frozen=True)
class Case:
    """One payload, where it goes, and why it is there."""

    where: str
    payload: str
    why: str
    fuzzy: str = ""
    alone: bool = False

    def text(self, server: str) -> str:
        return self.payload.replace("{server}", server)


CASES = [Case(**case) for case in CASES_DATA]
ENGLISH = ("title", "paragraph", "definition", "annotation", "term", "source")


def cases(*where: str, alone: bool = False) -> list[Case]:
    return [case for case in CASES if case.where in where and case.alone == alone]


# --- reading what was built ---------------------------------------------------------------------


@dataclass
class Node:
    """An element of a parsed HTML page: its tag, attributes and children (nodes and text)."""

    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list[Node | str] = field(default_factory=list)

    @property
    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    def text(self, skip: tuple[str, ...] = ("headerlink",)) -> str:
        """The text a reader sees, without the children whose class is in ``skip`` (the ¶ permalinks)."""
        return "".join(
            child if isinstance(child, str) else child.text(skip)
            for child in self.children
            if isinstance(child, str) or not child.classes & set(skip)
        )

    def walk(self):
        yield self
        for child in self.children:
            if isinstance(child, Node):
                yield from child.walk()


class _TreeBuilder(HTMLParser):
    VOID: ClassVar[set[str]] = {
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "source",
        "track",
        "wbr",
    }

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document")
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {name: value or "" for name, value in attrs})
        self.stack[-1].children.append(node)
        if tag not in self.VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack[-1].children.append(Node(tag, {name: value or "" for name, value in attrs}))

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse_html(text: str) -> Node:
    builder = _TreeBuilder()
    builder.feed(text)
    builder.close()
    return builder.root


def elements_in(text: str) -> list[str]:
    """The elements HTML makes of ``text`` when a script puts it into ``innerHTML`` (as the theme's tooltips do)."""
    return [node.tag for node in parse_html(text).walk() if node.tag != "#document"]


def norm(text: str) -> str:
    """Text as compared: word joiners gone, whitespace runs as one space."""
    return " ".join(text.replace(markdown.WORD_JOINER, "").split())


def compact(text: str) -> str:
    """Text as compared with a PDF's: no whitespace or hyphens (lines wrap and words hyphenate there)."""
    return re.sub(r"[\s\-\u00ad\u2060]", "", text)


def in_pdf(expected: str, pdf: str) -> bool:
    """Every word of ``expected`` is in the PDF's text (pdftotext may order a justified line's words differently)."""
    text = compact(pdf).casefold()
    return all(compact(word).casefold() in text for word in expected.split())


def shown(text: str, lang: str) -> str:
    """What a reader should see of a plain text in ``lang``: typeset, control characters made visible."""
    return norm(markdown.printable(typeset(text, lang)))


# --- the unit tests: each escape against the reader that reads it ----------------------------------

EXTRA = [
    "a  b\tc\nd\n\n!!! note",
    "trailing backslash \\",
    "x\n===",
    "    four spaces of code",
    "# hash at start and at end #",
    "<",
    "a <",
    "&",
    "&notin; &amp",
    "*[HTML]: Hyper",
    "[^1]: note",
    "iv. roman",
    "A. Capital list",
    "+ plus",
    "> quote",
    ": definition",
    "| line block",
    "= heading",
    "%title",
    "(@) example",
    "\x02wzxhzdk:0\x03",
    "control \x00 \x1b \x7f \x85",
]
PAYLOADS = [case.text(NO_SERVER) for case in CASES] + EXTRA


@functools.cache
def site_markdown() -> python_markdown.Markdown:
    """Python-Markdown with the extensions mkdocs uses for this site (its defaults, then mkdocs.yml's)."""
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    names, options = ["toc", "tables", "fenced_code"], {}
    for item in config["markdown_extensions"]:
        name = item if isinstance(item, str) else next(iter(item))
        names.append(name)
        if isinstance(item, dict):
            options[name] = item[name] or {}
    return python_markdown.Markdown(extensions=names, extension_configs=options)


def render_site(text: str) -> Node:
    md = site_markdown()
    md.reset()
    return parse_html(md.convert(text))


@pytest.mark.parametrize("text", PAYLOADS)
def test_escaped_text_renders_as_itself_on_the_site(text: str) -> None:
    expected = norm(markdown.printable(text))
    for source, tag, attrs in [
        (f"{markdown.escape(text)}\n{{: #p1 }}", "p", {"id": "p1"}),
        (f"# {markdown.escape(text)}", "h1", None),
        (f"## {markdown.escape(text)} {{#term}}", "h2", {"id": "term"}),
        (f"- {markdown.escape(text)}: after", "li", {}),
    ]:
        top = [n for n in render_site(source).children if isinstance(n, Node)]
        block = next(n for n in top[0].children if isinstance(n, Node)) if top[0].tag == "ul" else top[0]
        assert len(top) == 1 and block.tag == tag, f"{source!r} → {[n.tag for n in top[0].walk()]}"
        if attrs is not None:
            assert {k: v for k, v in block.attrs.items() if k in ("id", "class")} == attrs
        inner = [n.tag for n in block.walk() if n is not block and "headerlink" not in n.classes]
        assert inner == [], f"{source!r} made {inner}"
        assert norm(block.text()) == (f"{expected}: after" if tag == "li" else expected).strip()
        assert elements_in(block.text()) == [], "text that a script copies into innerHTML stays text"


def pandoc_json(source: str, *options: str) -> dict:
    import pypandoc

    command = [pypandoc.get_pandoc_path(), "--from=markdown-smart", "--to=json", "--sandbox", *options]
    run = subprocess.run(command, input=source, capture_output=True, text=True, check=True)
    assert run.stderr == ""
    return json.loads(run.stdout)


def inline_text(inlines: list[dict], kinds: set[str]) -> str:
    """The text of pandoc inlines; every node type met goes into ``kinds``."""
    out = []
    for node in inlines:
        kinds.add(node["t"])
        if node["t"] == "Str":
            out.append(node["c"])
        elif node["t"] in ("Space", "SoftBreak"):
            out.append(" ")
        elif node["t"] == "Span":
            out.append(inline_text(node["c"][1], kinds))
    return "".join(out)


def test_escaped_text_reads_as_itself_in_pandoc_body_and_metadata(tmp_path: Path) -> None:
    """The books' Markdown: paragraphs, headings, divs and metadata strings, in one pandoc run."""
    body = []
    for number, text in enumerate(PAYLOADS, start=1):
        escaped = book.text(text)
        body += [f"[]{{#p{number}}}{escaped}", f"# {escaped} {{#h{number}}}", f"::: {{.definition}}\n{escaped}\n:::"]
    meta = tmp_path / "meta.yaml"
    values = [book.text(text) for text in PAYLOADS]
    meta.write_text(yaml.safe_dump({"title": values[0], "cases": values}, allow_unicode=True), encoding="utf-8")
    document = pandoc_json("\n\n".join(body) + "\n", f"--metadata-file={meta}")
    kinds: set[str] = set()
    blocks = document["blocks"]
    assert len(blocks) == 3 * len(PAYLOADS), "every text stays one block"
    for number, text in enumerate(PAYLOADS):
        paragraph, heading, div = blocks[3 * number : 3 * number + 3]
        expected = norm(markdown.printable(text))
        assert (paragraph["t"], heading["t"], div["t"]) == ("Para", "Header", "Div")
        assert norm(inline_text(paragraph["c"], kinds)) == expected
        assert norm(inline_text(heading["c"][2], kinds)) == expected
        assert [b["t"] for b in div["c"][1]] == ["Para"] and norm(inline_text(div["c"][1][0]["c"], kinds)) == expected
        listed = document["meta"]["cases"]["c"][number]
        assert listed["t"] == "MetaInlines" and norm(inline_text(listed["c"], kinds)) == expected
    assert kinds <= {"Str", "Space", "SoftBreak", "Span"}, "no link, image, raw HTML, math, citation or note"


@pytest.mark.parametrize("title", PAYLOADS)
def test_link_titles_are_text_in_tooltips_and_books(title: str) -> None:
    term = (TermRef("a term", "term", title),)  # a term's first occurrence, its definition the link's title
    links = [n for n in render_site(site.inline(term)).walk() if n.tag == "a"]
    assert len(links) == 1 and links[0].attrs["href"] == "glossary.md#term" and links[0].text() == "a term"
    tooltip = links[0].attrs["title"]  # the theme shows it through innerHTML
    assert elements_in(tooltip) == [] and norm(parse_html(tooltip).text()) == norm(markdown.printable(title))
    document = pandoc_json(book.inline(term) + "\n")
    link = document["blocks"][0]["c"][0]
    assert link["t"] == "Link" and link["c"][2] == ["#term", norm(markdown.printable(title))]


@pytest.mark.parametrize("text", PAYLOADS)
def test_every_inline_piece_reads_as_its_text_in_both_writers(text: str) -> None:
    """A paragraph's pieces (text, a term reference, a span in another language), each writer rendering them its
    own way: on the site and in the book the paragraph reads as the three texts, and the only elements are the
    term's link and the span."""
    pieces = (Text(text), TermRef(text, "term", "a definition"), Span(text, "fr"))
    expected = norm(markdown.printable(text)) * 3
    [block] = [n for n in render_site(site.paragraph(Paragraph(1, pieces))).children if isinstance(n, Node)]
    assert block.tag == "p" and block.attrs.get("id") == "p1"
    assert [n.tag for n in block.walk() if n is not block] == ["a", "span"]
    assert norm(block.text()).replace(" ", "") == expected.replace(" ", "")
    kinds: set[str] = set()
    document = pandoc_json(book.inline(pieces) + "\n")
    [paragraph] = document["blocks"]
    shown = inline_text(paragraph["c"], kinds) + "".join(
        inline_text(node["c"][1], kinds) for node in paragraph["c"] if node["t"] == "Link"
    )
    assert norm(shown).replace(" ", "") == expected.replace(" ", "")
    assert [node["t"] for node in paragraph["c"] if node["t"] in ("Link", "Span")] == ["Link", "Span"]


@pytest.mark.parametrize("title", PAYLOADS)
def test_front_matter_title_is_text_for_the_theme(title: str) -> None:
    page = markdown.front_matter({"title": title, "lang": "en"}) + "# x\n"
    raw = yaml.safe_load(page.split("---\n")[1])
    rendered = parse_html(f"<title>{raw['title']}</title><span class='md-ellipsis'>{raw['title']}</span>")
    shown_text = [norm(n.text()) for n in rendered.walk() if n.tag in ("title", "span")]
    assert shown_text == [norm(markdown.printable(title))] * 2, "the theme writes it unescaped"
    assert elements_in(rendered.children[1].text()) == [], "a truncated title's tooltip reads its text as HTML"
    meta, body = markdown.read_front_matter(page)
    assert meta["title"] == title and body.strip() == "# x"


def test_books_show_typst_and_markdown_specials_as_text(tmp_path: Path, require) -> None:
    """One page whose title and paragraphs are all the payloads: the PDF's text is theirs, the EPUB's too."""
    require("pdftotext", "sudo apt-get install poppler-utils")
    texts = [text for text in PAYLOADS if text.isprintable() or "\n" in text or "\t" in text]
    title = " ".join(t for t in texts if len(t) < 70)[:200]
    seed = f" date 2026-02-02 {title}\n\n" + "\n\n".join(" ".join(t.split()) for t in texts) + "\n"
    article = parse_seed(seed.encode("utf-8"), tmp_path / "seed.txt")
    page = render_article(article, "en")
    made = Book("en", page.slug, (page,), None, read_settings(tmp_path))
    pdf = write_pdf(made, tmp_path / "book.pdf")
    text = compact(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout)
    for expected in [article.title] + [p.text for p in article.paragraphs]:
        assert compact(shown(expected, "en")) in text, expected
    epub = write_epub(made, tmp_path / "book.epub", 1_770_000_000)
    with zipfile.ZipFile(epub) as archive:
        names = set(archive.namelist())
        opf = ElementTree.fromstring(archive.read("EPUB/content.opf"))
    title_element = opf.find(".//{http://purl.org/dc/elements/1.1/}title")
    assert title_element is not None and norm(title_element.text or "") == shown(article.title, "en")
    assert not {name for name in names if name.startswith("EPUB/media/")} - {"EPUB/media/file0.png"}, "the cover only"
    assert not any(name.startswith("EPUB/fonts/") for name in names)


@pytest.mark.parametrize(
    "source, expected",
    [
        ("a -5 b", "a \\-5 b"),
        ("x -? y", "x \\-? y"),
        ("wait...", "wait\\..."),
        ("four....", "four\\.\\..."),
        ("a \\-5 b", "a \\-5 b"),
        ("a \\\\-5", "a \\\\\\-5"),
        ('#set text(lang: "x-1")', '#set text(lang: "x-1")'),
        ("#link(<cold-war-2>)[¶2]", "#link(<cold-war-2>)[¶2]"),
        ("<p3>\nText", "#box[]<p3>\nText"),
    ],
)
def test_typst_body_escapes_the_shorthands_pandoc_leaves(source: str, expected: str) -> None:
    assert typst_body(source) == expected


# --- end to end ----------------------------------------------------------------------------------


class Recorder(http.server.BaseHTTPRequestHandler):
    """Answers 404 to everything, and remembers it was asked."""

    hits: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        self.hits.append(self.path)
        self.send_error(404)

    do_HEAD = do_POST = do_GET

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def server():
    """A local HTTP server on a free port; its URL is in the payloads, and nothing may reach it."""
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def mkdocs(root: Path) -> None:
    command = [str(Path(sys.executable).with_name("mkdocs")), "build", "--strict", "-q", "-f", "mkdocs.site.yml"]
    env = {"PATH": "/usr/bin:/bin", "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": str(ROOT), "LANG": "C.UTF-8"}
    run = subprocess.run(command, cwd=root, capture_output=True, text=True, check=False, env=env)
    assert run.returncode == 0, run.stderr


@dataclass
class Profile:
    """What a clean build's site and books are made of: anything else in a hostile build came from its input."""

    tags: set[str] = field(default_factory=set)
    classes: set[str] = field(default_factory=set)
    attributes: set[str] = field(default_factory=set)
    absolute_urls: set[str] = field(default_factory=set)
    search_tags: set[str] = field(default_factory=set)
    epub_names: set[str] = field(default_factory=set)
    epub_tags: set[str] = field(default_factory=set)


SITE_URL = read_settings(ROOT).url
# classes the build writes that the clean project (every language's glossary written by hand) does not show
BUILD_CLASSES = {"machine-translation"}


def absolute(url: str) -> bool:
    """An absolute URL, except the site's own address (canonical, hreflang, feed): a slug path under it is ours."""
    if re.fullmatch(re.escape(SITE_URL) + r"[a-z0-9/._-]*", url.strip()):
        return False
    return bool(re.match(r"^\s*[a-zA-Z][a-zA-Z0-9+.-]*:", url)) or url.strip().startswith("//")


def profile(root: Path) -> Profile:
    seen = Profile()
    for page in (root / "site").rglob("*.html"):
        for node in parse_html(page.read_text(encoding="utf-8")).walk():
            seen.tags.add(node.tag)
            seen.classes |= node.classes
            seen.attributes |= set(node.attrs)
            seen.absolute_urls |= {v for k, v in node.attrs.items() if k in URL_ATTRIBUTES and absolute(v)}
    for doc in search_docs(root):
        seen.search_tags |= set(elements_in(doc.get("title", "")) + elements_in(doc.get("text", "")))
    for epub in (root / "dist").glob("*.epub"):
        names, tags = epub_parts(epub)
        seen.epub_names |= names
        seen.epub_tags |= tags
    return seen


def search_docs(root: Path) -> list[dict]:
    index = root / "site" / "search" / "search_index.json"
    return json.loads(index.read_text(encoding="utf-8"))["docs"] if index.is_file() else []


def epub_parts(epub: Path) -> tuple[set[str], set[str]]:
    with zipfile.ZipFile(epub) as archive:
        names = set(archive.namelist())
        tags = {
            node.tag
            for name in names
            if name.endswith(".xhtml")
            for node in parse_html(archive.read(name).decode("utf-8")).walk()
        }
    return names, tags


@pytest.fixture(scope="module")
def clean(tmp_path_factory: pytest.TempPathFactory) -> Profile:
    """The project as it is (English and Spanish editions), built with its site."""
    require_command("apertium", "sudo apt-get install apertium apertium-eng-spa")
    root = copy_project(tmp_path_factory.mktemp("clean"))
    build(root)
    mkdocs(root)
    return profile(root)


def unsafe(root: Path, clean: Profile, server: str) -> list[str]:
    """Everything in the built site and books that came from the input as markup, or would read as markup."""
    problems = []
    for page in sorted((root / "site").rglob("*.html")):
        where = page.relative_to(root / "site")
        for node in parse_html(page.read_text(encoding="utf-8")).walk():
            problems += [f"{where}: <{node.tag}>" for _ in [0] if node.tag not in clean.tags]
            problems += [f"{where}: class {c}" for c in node.classes - clean.classes - BUILD_CLASSES]
            problems += [f"{where}: <{node.tag} {a}=…>" for a in set(node.attrs) - clean.attributes]
            for name, value in node.attrs.items():
                bad_url = value.strip().lower().startswith("javascript:") or server in value or "/etc/" in value
                if name in URL_ATTRIBUTES and (bad_url or absolute(value) and value not in clean.absolute_urls):
                    problems.append(f"{where}: <{node.tag} {name}={value!r}>")
            if node.tag == "script" and "alert(" in node.text():
                problems.append(f"{where}: a script says alert(")
            if "title" in node.attrs and elements_in(node.attrs["title"]):
                problems.append(f"{where}: a tooltip would make {elements_in(node.attrs['title'])}")
            if "md-ellipsis" in node.classes and elements_in(node.text()):
                problems.append(f"{where}: a truncated title's tooltip would make {elements_in(node.text())}")
    for doc in search_docs(root):
        for key in ("title", "text"):
            extra = set(elements_in(doc.get(key, ""))) - clean.search_tags
            problems += [f"search index {doc['location']} {key}: <{tag}>" for tag in extra]
    for epub in sorted((root / "dist").glob("*.epub")):
        names, tags = epub_parts(epub)
        problems += [f"{epub.name}: {name} (not in a clean build)" for name in names ^ clean.epub_names]
        problems += [f"{epub.name}: <{tag}>" for tag in tags - clean.epub_tags]
    return problems


@dataclass
class Built:
    """A built project, read: its pages by seed file and language."""

    root: Path

    def page(self, seed: str, lang: str) -> Path:
        """The site page of the article from ``seeds/<seed>`` in ``lang`` (found by its front matter)."""
        for doc in (self.root / "docs" / lang).glob("*.md"):
            meta, _ = markdown.read_front_matter(doc.read_text(encoding="utf-8"))
            if meta.get("source") == f"seeds/{seed}":
                return self.root / "site" / ("" if lang == "en" else lang) / doc.stem / "index.html"
        raise AssertionError(f"no {lang} page of {seed}")

    def tree(self, seed: str, lang: str) -> Node:
        return parse_html(self.page(seed, lang).read_text(encoding="utf-8"))

    def glossary(self, lang: str) -> Node:
        path = self.root / "site" / ("" if lang == "en" else lang) / "glossary" / "index.html"
        return parse_html(path.read_text(encoding="utf-8"))

    def pdf_text(self, seed: str, lang: str) -> str:
        stem = self.page(seed, lang).parent.name
        pdf = self.root / "dist" / f"{stem}.{lang}.pdf"
        run = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True)
        return compact(run.stdout)

    def epub_title(self, seed: str, lang: str) -> str:
        stem = self.page(seed, lang).parent.name
        with zipfile.ZipFile(self.root / "dist" / f"{stem}.{lang}.epub") as archive:
            opf = ElementTree.fromstring(archive.read("EPUB/content.opf"))
        title = opf.find(".//{http://purl.org/dc/elements/1.1/}title")
        return norm(title.text or "") if title is not None else ""


def title_problems(built: Built, seed: str, lang: str, expected: str) -> list[str]:
    """The title is shown as text in the heading, the window title, the header and the books."""
    tree = built.tree(seed, lang)
    problems = []
    headings = [norm(n.text()) for n in tree.walk() if n.tag == "h1" and "md-content" not in n.classes]
    if expected not in headings:
        problems.append(f"{seed} ({lang}): heading {headings} is not {expected!r}")
    window = next(norm(n.text()) for n in tree.walk() if n.tag == "title")
    if not window.startswith(expected + " - "):
        problems.append(f"{seed} ({lang}): <title> {window!r}")
    if expected not in [norm(n.text()) for n in tree.walk() if "md-ellipsis" in n.classes]:
        problems.append(f"{seed} ({lang}): not in the header or the navigation: {expected!r}")
    if built.epub_title(seed, lang) != expected:
        problems.append(f"{seed} ({lang}): EPUB title {built.epub_title(seed, lang)!r}")
    if not in_pdf(expected, built.pdf_text(seed, lang)):
        problems.append(f"{seed} ({lang}): not in the PDF: {expected!r}")
    return problems


def write_seed(root: Path, name: str, title: str, paragraphs: list[str]) -> str:
    body = "\n\n".join(" ".join(p.split()) for p in paragraphs)
    (root / "seeds" / name).write_text(f" date 2026-02-02 {title}\n\n{body}\n", encoding="utf-8")
    return name


def add_terms(root: Path, terms: list[dict]) -> None:
    """Append terms to the project's term base (its last key is ``terms:``)."""
    if not terms:
        return
    path = root / "glossary" / "terms.yml"
    entries = yaml.safe_dump(terms, allow_unicode=True, sort_keys=False, width=10_000)
    path.write_text(
        path.read_text(encoding="utf-8") + "\n" + re.sub(r"^", "  ", entries, flags=re.MULTILINE), encoding="utf-8"
    )


def hostile_term(number: int, **fields: object) -> dict:
    return {
        "id": f"hostile-{number}",
        "term": f"hterm{number}",
        "definition": f"Hostile term number {number}.",
        "annotation": "It is here for a test. It carries a payload.",
        **fields,
    }


def english_project(root: Path, server: str, title_cases: list[Case]) -> tuple[dict[str, Case], list[Case]]:
    """Seeds and terms holding the English cases: one seed per title, one for the paragraphs, one for the terms."""
    copy_project(root)
    (root / "editions.yml").unlink()  # the English edition only
    for seed in (root / "seeds").glob("*.txt"):
        seed.unlink()
    titles = {
        write_seed(root, f"{i:03}-title.txt", case.text(server), ["The Alaska summit ended in a failure."]): case
        for i, case in enumerate(title_cases)
    }
    paragraphs = cases("paragraph")
    write_seed(root, "100-paragraphs.txt", "Paragraphs that look like markup", [c.text(server) for c in paragraphs])
    terms = cases("definition", "annotation", "term", "source")
    add_terms(root, [_term_of(n, case, server) for n, case in enumerate(terms, start=1)])
    mentions = " ".join(f"hterm{n} is here." for n in range(1, len(terms) + 1))
    write_seed(root, "101-terms.txt", "Terms from the term base", [mentions])
    return titles, terms


def _term_of(number: int, case: Case, server: str) -> dict:
    field_name = {"source": "sources"}.get(case.where, case.where)
    value = [case.text(server)] if case.where == "source" else case.text(server)
    return hostile_term(number, **{field_name: value})


def batches_by_slug(titles: list[Case], server: str) -> list[list[Case]]:
    """Title cases in groups whose titles give different slugs (two seeds with one slug are an error)."""
    groups: list[list[Case]] = []
    for case in titles:
        slug = slugify(case.text(server))
        group = next((g for g in groups if slug not in {slugify(c.text(server)) for c in g}), None)
        group.append(case) if group is not None else groups.append([case])
    return groups


@pytest.mark.slow
def test_english_edition_shows_hostile_text_as_text(tmp_path: Path, server: str, clean: Profile, require) -> None:
    require("pdftotext", "sudo apt-get install poppler-utils")
    for number, title_cases in enumerate(batches_by_slug(cases("title"), server)):
        root = tmp_path / f"english{number}"
        titles, terms = english_project(root, server, title_cases)
        build(root)
        mkdocs(root)
        built = Built(root)
        problems = unsafe(root, clean, server)
        for seed in titles:
            problems += title_problems(built, seed, "en", shown(read_seed(root / "seeds" / seed).title, "en"))
        problems += paragraph_problems(built, "100-paragraphs.txt")
        problems += term_problems(built, terms, server)
        assert problems == [], "\n".join(problems)
    assert Recorder.hits == [], f"the build or the site asked the network for {Recorder.hits}"


def paragraph_problems(built: Built, seed: str) -> list[str]:
    """Every paragraph of the seed is its own paragraph of the page, as text; and in the PDF."""
    article = read_seed(built.root / "seeds" / seed)
    tree = built.tree(seed, "en")
    shown_paragraphs = {n.attrs["id"]: norm(n.text()) for n in tree.walk() if n.tag == "p" and "id" in n.attrs}
    pdf = built.pdf_text(seed, "en")
    problems = []
    for number, paragraph in enumerate(article.paragraphs, start=1):
        expected = shown(paragraph.text, "en")
        if shown_paragraphs.get(f"p{number}") != expected:
            problems.append(f"{seed} ¶{number}: {shown_paragraphs.get(f'p{number}')!r} is not {expected!r}")
        if not in_pdf(expected, pdf):
            problems.append(f"{seed} ¶{number}: not in the PDF: {expected!r}")
    return problems


def term_problems(built: Built, terms: list[Case], server: str) -> list[str]:
    """Definitions, annotations, headwords and sources are text on the glossary page and in tooltips."""
    glossary = built.glossary("en")
    article = built.tree("101-terms.txt", "en")
    texts = {
        kind: [norm(n.text()) for n in glossary.walk() if kind in n.classes] for kind in ("definition", "annotation")
    }
    headings = [norm(n.text()) for n in glossary.walk() if n.tag == "h2"]
    everything = norm(glossary.text())
    tooltips = {
        n.attrs["href"].split("#")[1]: n.attrs.get("title", "")
        for n in article.walk()
        if n.tag == "a" and "#hostile-" in n.attrs.get("href", "")
    }
    problems = []
    for number, case in enumerate(terms, start=1):
        expected = shown(case.text(server), "en")
        if case.where in texts and expected not in texts[case.where]:
            problems.append(f"{case.where} not shown as text: {expected!r}")
        if case.where == "definition" and norm(parse_html(tooltips.get(f"hostile-{number}", "")).text()) != expected:
            problems.append(f"tooltip of hostile-{number}: {tooltips.get(f'hostile-{number}')!r}")
        if case.where == "term" and expected not in headings:
            problems.append(f"headword not a heading as text: {expected!r} not in {headings}")
        if case.where == "source" and expected not in everything:
            problems.append(f"source not shown as text: {expected!r}")
    return problems


def spanish_project(root: Path, server: str, chosen: list[Case]) -> dict[str, tuple[str, str]]:
    """Seeds for the memory cases (the Spanish edition by Apertium): each case's seed and the msgid it replaces."""
    copy_project(root)
    (root / "editions.yml").write_text(SPANISH, encoding="utf-8")
    for seed in (root / "seeds").glob("*.txt"):
        seed.unlink()
    # without the written Spanish definitions the glossary's text comes from the memory, where the payload goes
    (root / "glossary" / "definitions" / "es.yml").unlink()
    where: dict[str, tuple[str, str]] = {}
    renderings = [c for c in chosen if c.where == "rendering"]
    add_terms(root, [hostile_term(n, renderings={"es": {"term": c.text(server)}}) for n, c in enumerate(renderings, 1)])
    mentions = [f"The hterm{n} was seen here." for n in range(1, len(renderings) + 1)]
    sentences = []
    for number, case in enumerate(chosen):
        if case.where == "msgstr-title":
            title = f"Plain headline number {WORDS[number]}"
            where[case.payload] = (
                write_seed(root, f"{number:03}-title.txt", title, ["The Alaska summit was short."]),
                title,
            )
        elif case.where == "msgstr-sentence":
            sentences.append(f"The sentence {WORDS[number]} is plain.")
            where[case.payload] = ("100-sentences.txt", sentences[-1])
        elif case.where == "msgstr-glossary":
            where[case.payload] = ("101-mentions.txt", GLOSSARY_MSGID)
        else:
            where[case.payload] = ("101-mentions.txt", "")
    write_seed(root, "100-sentences.txt", "Sentences for the memory", sentences or ["Nothing here."])
    write_seed(root, "101-mentions.txt", "Terms and tooltips", mentions + ["The Alaska summit ended."])
    return where


GLOSSARY_MSGID = "The meeting of Donald Trump and Vladimir Putin in Anchorage, Alaska, on 15 August 2025."


def edit_memory(root: Path, msgid: str, msgstr: str, reviewed: bool) -> None:
    """Put ``msgstr`` on the entry for ``msgid`` in whichever Spanish memory holds it (as a translator would)."""
    for path in sorted((root / "translations" / "es").rglob("*.po")):
        po = polib.pofile(str(path))
        entry = po.find(msgid)
        if entry is not None:
            entry.msgstr = msgstr
            if reviewed and "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
            po.save()
            return
    raise AssertionError(f"no Spanish memory holds {msgid!r}")


def build_spanish(root: Path, server: str, chosen: list[Case]) -> dict[str, tuple[str, str]]:
    """Build once (Apertium fills the memories), put each payload into its msgstr, build again."""
    where = spanish_project(root, server, chosen)
    build(root)
    for case in chosen:
        if case.where.startswith("msgstr-"):
            edit_memory(root, where[case.payload][1], case.text(server), case.fuzzy == "clear")
    build(root)
    mkdocs(root)
    return where


@pytest.mark.slow
def test_spanish_edition_shows_hostile_memories_and_renderings_as_text(
    tmp_path: Path, server: str, clean: Profile, require
) -> None:
    require("pdftotext", "sudo apt-get install poppler-utils")
    chosen = cases("rendering", "msgstr-title", "msgstr-sentence", "msgstr-glossary")
    root = tmp_path / "spanish"
    where = build_spanish(root, server, chosen)
    built = Built(root)
    problems = unsafe(root, clean, server)
    for case in chosen:
        seed, _ = where[case.payload]
        expected = shown(case.text(server), "es")
        if case.where == "msgstr-title":
            problems += title_problems(built, seed, "es", expected)
        elif case.where == "msgstr-sentence":
            problems += text_problems(built, seed, expected)
        elif case.where == "msgstr-glossary":
            problems += tooltip_problems(built, seed, "alaska-summit", expected)
            definitions = [norm(n.text()) for n in built.glossary("es").walk() if "definition" in n.classes]
            problems += [] if expected in definitions else [f"glossary definition is not {expected!r}"]
        else:
            headings = [norm(n.text()) for n in built.glossary("es").walk() if n.tag == "h2"]
            problems += [] if expected in headings else [f"rendering {expected!r} not in {headings}"]
            problems += text_problems(built, seed, norm(case.text(server)))
    assert problems == [], "\n".join(problems)
    assert Recorder.hits == [], f"the build or the site asked the network for {Recorder.hits}"


def text_problems(built: Built, seed: str, expected: str) -> list[str]:
    """``expected`` is in the text of the Spanish page's paragraphs (as text), and of its PDF."""
    tree = built.tree(seed, "es")
    text = norm(
        " ".join(n.text() for n in tree.walk() if n.tag == "p" and re.fullmatch(r"p\d+", n.attrs.get("id", "")))
    )
    problems = [] if expected.casefold() in text.casefold() else [f"{seed} (es): {expected!r} not in {text!r}"]
    if not in_pdf(expected, built.pdf_text(seed, "es")):
        problems.append(f"{seed} (es): not in the PDF: {expected!r}")
    return problems


def tooltip_problems(built: Built, seed: str, term_id: str, expected: str) -> list[str]:
    """The article's link to the term has ``expected`` as its tooltip, shown as text by the theme."""
    links = [
        n for n in built.tree(seed, "es").walk() if n.tag == "a" and n.attrs.get("href", "").endswith(f"#{term_id}")
    ]
    titles = [norm(parse_html(n.attrs.get("title", "")).text()) for n in links]
    return [] if expected in titles else [f"{seed} (es): tooltip {titles} is not {expected!r}"]


@pytest.mark.slow
@pytest.mark.parametrize(
    "case", cases(*ENGLISH, alone=True) + cases("msgstr-sentence", alone=True), ids=lambda c: c.where
)
def test_a_build_with_control_characters_stops_with_one_line_or_shows_them(
    case: Case, tmp_path: Path, server: str, clean: Profile, require
) -> None:
    """A payload that may stop the build: then with one PressError line; if not, the result is safe."""
    require("pdftotext", "sudo apt-get install poppler-utils")
    root = tmp_path / "alone"
    try:
        if case.where == "title":
            titles, _ = english_project(root, server, [case])
            build(root)
            mkdocs(root)
            problems = [
                p for seed in titles for p in title_problems(Built(root), seed, "en", shown(case.text(server), "en"))
            ]
        else:
            build_spanish(root, server, [case])
            problems = text_problems(Built(root), "100-sentences.txt", shown(case.text(server), "es"))
    except PressError as error:
        assert "\n" not in str(error) and str(error).strip(), repr(str(error))
        assert Path(str(error.path)).parent.name in ("seeds", "es"), f"the file with the payload: {error}"
        return
    problems += unsafe(root, clean, server)
    assert problems == [], "\n".join(problems)
    assert Recorder.hits == []
