"""Each edition's Atom feed: its latest articles, with ids that outlive a title or an address.

The mkdocs hooks (:mod:`tools.mkdocs_hooks`) write one per edition after the site is built; the site's
configuration (:mod:`tools.publish.siteconfig`) names where it is.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from xml.etree import ElementTree

from tools.fsutil import uuid_urn
from tools.publish import markdown

FEED = "feed.xml"
FEED_ENTRIES = 20  # a feed holds the latest articles only: its size does not grow with the corpus
ATOM = "http://www.w3.org/2005/Atom"
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@dataclass(frozen=True)
class FeedEntry:
    """One article in a feed: its stable id, headline, address, date, standfirst and author (plain text)."""

    id: str
    title: str
    url: str
    date: str  # YYYY-MM-DD
    summary: str
    author: str = ""


@dataclass
class Feed:
    """An edition's feed: its title, language, front page and own address, and its articles."""

    title: str
    lang: str
    home: str
    url: str
    author: str
    entries: dict[str, FeedEntry] = field(default_factory=dict)


def atom_feed(feed: Feed) -> str:
    """The feed as Atom 1.0: the latest ``FEED_ENTRIES`` articles, newest first; every string is text (control
    characters shown as U+FFFD)."""
    ElementTree.register_namespace("", ATOM)
    entries = sorted(feed.entries.values(), key=lambda e: (e.date, e.url), reverse=True)[:FEED_ENTRIES]
    root = ElementTree.Element(f"{{{ATOM}}}feed", {_XML_LANG: feed.lang})
    _add(root, "title", feed.title)
    _add(root, "id", feed.home)
    _add(root, "updated", _timestamp(entries[0].date if entries else "1970-01-01"))
    ElementTree.SubElement(root, f"{{{ATOM}}}link", rel="self", type="application/atom+xml", href=feed.url)
    ElementTree.SubElement(root, f"{{{ATOM}}}link", rel="alternate", type="text/html", href=feed.home)
    _add(ElementTree.SubElement(root, f"{{{ATOM}}}author"), "name", feed.author)
    for entry in entries:
        item = ElementTree.SubElement(root, f"{{{ATOM}}}entry")
        _add(item, "title", entry.title)
        _add(item, "id", entry.id)
        ElementTree.SubElement(item, f"{{{ATOM}}}link", rel="alternate", type="text/html", href=entry.url)
        _add(item, "published", _timestamp(entry.date))
        _add(item, "updated", _timestamp(entry.date))
        if entry.author:
            _add(ElementTree.SubElement(item, f"{{{ATOM}}}author"), "name", entry.author)
        _add(item, "summary", entry.summary)
    ElementTree.indent(root)
    return ElementTree.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


def _add(parent: ElementTree.Element, tag: str, text: str) -> None:
    ElementTree.SubElement(parent, f"{{{ATOM}}}{tag}").text = markdown.printable(text)


def _timestamp(date: str) -> str:
    return f"{date}T00:00:00Z"


def entry_id(article_id: str, lang: str) -> str:
    """A feed entry's id: the same for an article's edition whatever its title or address becomes."""
    return uuid_urn(f"press-article:{article_id}:{lang}")
