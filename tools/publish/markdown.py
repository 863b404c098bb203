"""The Markdown both writers share: plain text escaped so that it renders as itself, and front matter.

Every string from a seed, the term base or a memory is data, and reaches the
site, the EPUB and the PDF as text. Two readers meet this Markdown: Python-Markdown
(mkdocs, with the extensions of ``mkdocs.yml``: :mod:`tools.publish.site` writes it) and pandoc's
``markdown-smart`` (the e-books: :mod:`tools.publish.book` writes it). :func:`escape` writes
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
a link's ``title`` holds HTML-escaped text. The books are not re-read as HTML:
their writer escapes the same text without the joiner, and its titles plain.

Control characters (other than whitespace) are shown as U+FFFD: they are
invalid in the EPUB's XHTML, Python-Markdown uses U+0002/U+0003 as its own
placeholders, and the PDF's font has no glyph for their control pictures. (A
seed with one is refused by ingest; the term base and the memories let them
through.)
"""

from __future__ import annotations

import html
import re

import yaml

THEME_FIELDS = ("title", "description")  # front matter fields the theme writes into pages unescaped

_WHITESPACE = re.compile(r"[ \t\n\r\f\v]+")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
_ANYWHERE = {c: "\\" + c for c in "\\`*_{}[]#"} | {c: f"&#{ord(c)};" for c in "$@~^|"} | {"&": "&amp;", "<": "&lt;"}
_AT_START = {c: "\\" + c for c in ">+-!("} | {c: f"&#{ord(c)};" for c in ":%="}
_SPECIAL = re.compile("[" + re.escape("".join(_ANYWHERE)) + "]")
_LIST_MARKER = re.compile(r"^(\w+)([.)])(?=\s|$)")  # 1. 1) a) iv. in either dialect
_TAG_OPENER = re.compile(r"<(?=[A-Za-z/!?]|$)")  # where HTML's tokenizer starts a tag, a comment or a declaration
WORD_JOINER = "\u2060"
SITE_OPENER = "&lt;&#8288;"  # such a '<' on the site: the theme may copy text into innerHTML
BOOK_OPENER = "&lt;"  # and in a book, which nothing re-reads as HTML
_TITLE_ENTITIES = re.compile(r"[&\"\\`()\[\]<>]")


# libyaml's safe dumper and loader when PyYAML has them (the same YAML, 5× faster on a thousand pages;
# characters outside the BMP are written as escapes, which every YAML reader reads back).
DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


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


def escape(text: str, opener: str = SITE_OPENER) -> str:
    """Plain text → one line of Markdown that renders as exactly that text (whitespace runs as one space); a '<'
    that could open a tag is written ``opener`` (the site's, with a word joiner, unless a book's is asked for).

    A piece of a line (text around a link) may start or end with its space; the
    rules for a line's start apply to the first character after it.
    """
    text = _WHITESPACE.sub(" ", printable(text))
    space, text = (" ", text[1:]) if text.startswith(" ") else ("", text)
    if marker := _LIST_MARKER.match(text):
        rest = _special(text[marker.end() :], opener)
        return space + _special(marker.group(1), opener) + "\\" + marker.group(2) + rest
    if text[:1] in _AT_START:
        return space + _AT_START[text[0]] + _special(text[1:], opener)
    return space + _special(text, opener)


def _special(text: str, opener: str) -> str:
    """Escape what either dialect reads as markup anywhere in a line; a '<' that could open a tag as ``opener``."""

    def one(match: re.Match) -> str:
        tag = match.group() == "<" and _TAG_OPENER.match(text, match.start())
        return opener if tag else _ANYWHERE[match.group()]

    return _SPECIAL.sub(one, text)


def link(text: str, target: str, title: str = "") -> str:
    """An inline link whose text is plain text; its ``title`` (a tooltip, which the theme reads as HTML) too."""
    if not title:
        return f"[{escape(text)}]({target})"
    return f'[{escape(text)}]({target} "{title_markdown(html.escape(printable(title), quote=False))}")'


def title_markdown(value: str) -> str:
    """A link title's attribute value as Markdown both dialects read back exactly (character references)."""
    return _TITLE_ENTITIES.sub(lambda m: f"&#{ord(m.group())};", _WHITESPACE.sub(" ", value).strip(" "))
