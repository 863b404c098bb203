"""Writing Markdown: front matter, and plain text escaped so that it renders as itself.

Every string from a seed, the term base or a memory is data, and reaches the
site, the EPUB and the PDF as text. Two readers meet this Markdown: Python-Markdown
(mkdocs, with the extensions of ``mkdocs.yml``) and pandoc's ``markdown-smart``
(the e-books, after :func:`tools.publish.book.pandoc_markdown`). :func:`escape` writes
text that both read as exactly that text: the characters both read as markup get
a backslash (the escapes the two share: ``\\ ` * _ { } [ ] #`` anywhere,
``> + - ! (`` and a list marker's ``.``/``)`` at the start), the others a numeric
character reference (``& <`` and pandoc's ``$ @ ~ ^ |`` anywhere, ``: % =`` at
the start). Runs of ASCII whitespace (newlines too) become one space, so no text
can start a block of its own (a heading, an admonition, an attribute list).

The theme re-reads some text as HTML: it does not escape the front matter
``title`` (navigation, header, ``<title>``), and its tooltips put a link's
``title`` and the text of a truncated navigation or table-of-contents entry into
``innerHTML``. So on the site a ``<`` that could open a tag is followed by a word
joiner (U+2060, invisible): text copied back into HTML stays text. The front
matter ``title`` is HTML-escaped that way and the plain text is kept beside it as
``plain_title`` (:func:`read_front_matter` gives the plain one back as ``title``);
a link's ``title`` holds HTML-escaped text. :func:`book_markdown` undoes both
for pandoc, exactly.

Control characters (other than whitespace) are shown as U+FFFD: they are
invalid in the EPUB's XHTML, Python-Markdown uses U+0002/U+0003 as its own
placeholders, and the PDF's font has no glyph for their control pictures. (A
seed with one is refused by ingest; the term base and the memories let them
through.)
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

import yaml

from tools.diagnostics import Diagnostic

THEME_FIELDS = ("title", "description")  # front matter fields the theme writes into pages unescaped

_WHITESPACE = re.compile(r"[ \t\n\r\f\v]+")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
_ANYWHERE = {c: "\\" + c for c in "\\`*_{}[]#"} | {c: f"&#{ord(c)};" for c in "$@~^|"} | {"&": "&amp;", "<": "&lt;"}
_AT_START = {c: "\\" + c for c in ">+-!("} | {c: f"&#{ord(c)};" for c in ":%="}
_SPECIAL = re.compile("[" + re.escape("".join(_ANYWHERE)) + "]")
_LIST_MARKER = re.compile(r"^(\w+)([.)])(?=\s|$)")  # 1. 1) a) iv. in either dialect
_TAG_OPENER = re.compile(r"<(?=[A-Za-z/!?]|$)")  # where HTML's tokenizer starts a tag, a comment or a declaration
WORD_JOINER = "\u2060"
_SITE_JOINER = "&lt;&#8288;"  # what escape writes for such a '<': book_markdown takes the joiner out again
_TITLED_LINK = re.compile(r'\]\(([^()\s"]+) "([^"]*)"\)')
_TITLE_ENTITIES = re.compile(r"[&\"\\`()\[\]<>]")


# libyaml's safe dumper and loader when PyYAML has them (the same YAML, 5× faster on a thousand pages;
# characters outside the BMP are written as escapes, which every YAML reader reads back).
DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class Page:
    """A generated page: where it goes (relative to docs/), its Markdown with front matter, and warnings met."""

    path: str
    text: str
    warnings: tuple[Diagnostic, ...] = ()
    title: str = ""


def front_matter(meta: dict) -> str:
    """YAML front matter between --- lines, keys in the given order; theme fields escaped, plain copies kept."""
    data = {}
    for key, value in meta.items():
        if key in THEME_FIELDS:
            data[key] = html_text(str(value))
            data[f"plain_{key}"] = str(value)
        else:
            data[key] = value
    return "---\n" + yaml.dump(data, Dumper=DUMPER, allow_unicode=True, sort_keys=False, width=10_000) + "---\n\n"


def read_front_matter(text: str) -> tuple[dict, str]:
    """A generated page → (its front matter with plain theme fields, its Markdown body)."""
    if not text.startswith("---\n") or "\n---\n" not in text:
        return {}, text
    head, body = text[4:].split("\n---\n", 1)
    meta = yaml.load(head, Loader=LOADER) or {}
    for key in THEME_FIELDS:
        if f"plain_{key}" in meta:
            meta[key] = meta.pop(f"plain_{key}")
    return meta, body


def html_text(text: str) -> str:
    """Plain text → HTML text that shows it, and stays text when a script copies it into ``innerHTML``."""
    return html.escape(_TAG_OPENER.sub("<" + WORD_JOINER, printable(text)))


def printable(text: str) -> str:
    """Control characters (other than whitespace) as U+FFFD, which every output shows: site, EPUB and PDF."""
    return _CONTROL.sub("\ufffd", text)


def escape(text: str) -> str:
    """Plain text → one line of Markdown that renders as exactly that text (whitespace runs as one space).

    A piece of a line (text around a link) may start or end with its space; the
    rules for a line's start apply to the first character after it.
    """
    text = _WHITESPACE.sub(" ", printable(text))
    space, text = (" ", text[1:]) if text.startswith(" ") else ("", text)
    if marker := _LIST_MARKER.match(text):
        return space + _special(marker.group(1)) + "\\" + marker.group(2) + _special(text[marker.end() :])
    if text[:1] in _AT_START:
        return space + _AT_START[text[0]] + _special(text[1:])
    return space + _special(text)


def _special(text: str) -> str:
    """Escape what either dialect reads as markup anywhere in a line; a '<' that could open a tag gets a joiner."""

    def one(match: re.Match) -> str:
        opener = match.group() == "<" and _TAG_OPENER.match(text, match.start())
        return _SITE_JOINER if opener else _ANYWHERE[match.group()]

    return _SPECIAL.sub(one, text)


def link(text: str, target: str, title: str = "") -> str:
    """An inline link whose text is plain text; its ``title`` (a tooltip, which the theme reads as HTML) too."""
    if not title:
        return f"[{escape(text)}]({target})"
    return f'[{escape(text)}]({target} "{_title_markdown(html.escape(printable(title), quote=False))}")'


def _title_markdown(value: str) -> str:
    """A link title's attribute value as Markdown both dialects read back exactly (character references)."""
    return _TITLE_ENTITIES.sub(lambda m: f"&#{ord(m.group())};", _WHITESPACE.sub(" ", value).strip(" "))


def book_markdown(page: str) -> str:
    """The site's Markdown of a page as the books read it: no word joiners after '<', link titles plain text."""
    page = page.replace(_SITE_JOINER, "&lt;")
    return _TITLED_LINK.sub(lambda m: f']({m.group(1)} "{_title_markdown(_plain_title(m.group(2)))}")', page)


def _plain_title(markdown_title: str) -> str:
    """The plain text of a title :func:`link` wrote: its references decoded, then its HTML escaping undone."""
    return html.unescape(html.unescape(markdown_title))
