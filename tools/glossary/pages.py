"""The glossary in an edition: term links in the articles, and the glossary page.

In an article the first occurrence of each term links to its entry, with
the definition as the link's title (the theme shows it as a tooltip); later
occurrences stay plain. The glossary page ``docs/<lang>/glossary.md`` has
one entry per term, sorted by the language's alphabet, each with an anchor,
its definition, annotation, cross-references and back-links to every
paragraph where the term occurs.

A definition or annotation in a translated edition is the one written by hand
(``glossary/definitions/<lang>.yml``, see :mod:`tools.glossary.definitions`);
where a language has none, the machine translation from the glossary memory,
and the entry says so in a note of its own (the e-book, made from this page,
shows it too); where the memory has none either, the English text, marked
``lang="en"``, under a note at the top of the page.

Every string of the term base (headwords, renderings, definitions,
annotations, sources) and of the glossary memory is text: escaped by
:mod:`tools.markdown`, and a definition in a link's title is HTML-escaped
text, because the theme's tooltip reads the title as HTML.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from tools import markdown
from tools.glossary.collation import sort_key
from tools.glossary.definitions import FIELDS, Authored, authored_text
from tools.glossary.detect import Detector
from tools.glossary.termbase import Term, TermBase
from tools.segment import join_sentences, split_sentences
from tools.typography import typeset
from tools.ui import words

GLOSSARY_PAGE = "glossary.md"
MACHINE_NOTE = "machine-translation"  # the class of an entry's note that its texts are machine-translated


@dataclass(frozen=True)
class Backlink:
    """Where a term occurs: the article's page, its title, the paragraph's number."""

    slug: str
    title: str
    paragraph: int


@dataclass
class TermLinker:
    """Links terms in an edition's articles and remembers where each occurs."""

    base: TermBase
    lang: str
    source_language: str = "en"
    texts: dict[str, str] = field(default_factory=dict)  # translated definition sentences
    authored: dict[str, Authored] = field(default_factory=dict)  # this language's hand-written texts, by term id
    found: dict[str, list[Backlink]] = field(default_factory=lambda: defaultdict(list))

    def __post_init__(self) -> None:
        self.detector = Detector(self.base, self.lang, self.source_language)

    def link(self, text: str, where: Backlink, linked: set[str]) -> str:
        """Markdown for typeset plain ``text``: escaped, each term's first occurrence linked.

        ``linked`` holds the ids already linked in this article; it is updated.
        """
        out, last = [], 0
        for match in self.detector.find(text):
            if not self.found[match.term_id] or self.found[match.term_id][-1] != where:
                self.found[match.term_id].append(where)
            if match.term_id in linked:
                continue
            linked.add(match.term_id)
            term = self.base.by_id(match.term_id)
            title = definition(term, self.lang, self.source_language, self.texts, self.authored)
            out += [
                markdown.escape(text[last : match.start]),
                markdown.link(match.text, f"{GLOSSARY_PAGE}#{match.term_id}", title),
            ]
            last = match.end
        return "".join(out) + markdown.escape(text[last:])


def definition(
    term: Term,
    lang: str,
    source_language: str = "en",
    texts: dict[str, str] | None = None,
    authored: dict[str, Authored] | None = None,
) -> str:
    """The term's definition in ``lang``, typeset: written by hand, else machine-translated, else the source's."""
    shown = _text(term, "definition", lang, source_language, texts or {}, authored or {})
    return typeset(shown.text, shown.lang)


@dataclass(frozen=True)
class _Shown:
    """A definition or annotation as an edition shows it: the text, its language, and whether a machine wrote it."""

    text: str
    lang: str
    machine: bool = False


def _text(
    term: Term, field: str, lang: str, source: str, texts: dict[str, str], authored: dict[str, Authored]
) -> _Shown:
    """A term's definition or annotation in ``lang``: authored, else translated by the memory, else in English."""
    english = getattr(term, field)
    if lang == source:
        return _Shown(english, source)
    own = authored_text(term, field, lang, authored)
    if own:
        return _Shown(own, lang)
    sentences = split_sentences(english)
    if all(s in texts for s in sentences):
        return _Shown(join_sentences([texts[s] for s in sentences]), lang, machine=True)
    return _Shown(english, source)


def render_glossary(
    base: TermBase,
    lang: str,
    found: dict[str, list[Backlink]],
    source_language: str = "en",
    texts: dict[str, str] | None = None,
    authored: dict[str, Authored] | None = None,
) -> str:
    """The glossary page of one edition, as Markdown with front matter.

    ``texts`` are machine-translated sentences (the glossary memory); ``authored`` are the
    language's hand-written texts by term id, which come first.
    """
    ui = words(lang)
    texts, authored = texts or {}, authored or {}
    terms = sorted(base.terms, key=lambda t: sort_key(t.rendering(lang, source_language).term, lang))
    lines = [f"# {markdown.escape(ui.glossary)}", ""]
    if any(_text(t, f, lang, source_language, texts, authored).lang != lang for t in terms for f in FIELDS):
        lines += [f"*{markdown.escape(ui.untranslated)}*", "{: .glossary-note }", ""]
    for term in terms:
        entry = _Entry(base, term, lang, source_language, texts, authored)
        lines += entry.lines(found.get(term.id, []))
    meta = {"title": ui.glossary, "lang": lang, "generator": markdown.GENERATOR}
    return markdown.front_matter(meta) + "\n".join(lines).rstrip() + "\n"


@dataclass(frozen=True)
class _Entry:
    """One term's entry on a glossary page."""

    base: TermBase
    term: Term
    lang: str
    source: str
    texts: dict[str, str]
    authored: dict[str, Authored]

    def lines(self, backlinks: list[Backlink]) -> list[str]:
        ui = words(self.lang)
        heading = typeset(self.term.rendering(self.lang, self.source).term, self.lang)
        lines = [f"## {markdown.escape(heading)} {{#{self.term.id}}}", ""]
        shown = [_text(self.term, kind, self.lang, self.source, self.texts, self.authored) for kind in FIELDS]
        for kind, text in zip(FIELDS, shown):
            marker = f' lang="{text.lang}"' if text.lang != self.lang else ""
            lines += [markdown.escape(typeset(text.text, text.lang)), f"{{: .{kind}{marker} }}", ""]
        if any(text.machine for text in shown):
            lines += [f"*{markdown.escape(ui.machine_translated)}*", f"{{: .{MACHINE_NOTE} }}", ""]
        if self.term.see:
            refs = [self._reference(ref) for ref in self.term.see]
            lines += [f"**{markdown.escape(ui.see_also)}:** " + " · ".join(refs), ""]
        if backlinks:
            lines += [f"**{markdown.escape(ui.in_articles)}:** " + _backlinks(backlinks), ""]
        if self.term.sources:
            lines += [
                f"**{markdown.escape(ui.sources)}:** " + " · ".join(markdown.escape(s) for s in self.term.sources),
                "",
            ]
        return lines

    def _reference(self, ref: str) -> str:
        other = self.base.by_id(ref).rendering(self.lang, self.source).term
        return markdown.link(typeset(other, self.lang), f"#{ref}")


def _backlinks(backlinks: list[Backlink]) -> str:
    by_article: dict[str, list[Backlink]] = defaultdict(list)
    for backlink in backlinks:
        by_article[backlink.slug].append(backlink)
    parts = []
    for slug, links in by_article.items():
        paragraphs = ", ".join(f"[¶{b.paragraph}]({slug}.md#p{b.paragraph})" for b in links)
        parts.append(f"*{markdown.escape(links[0].title)}*: {paragraphs}")
    return "; ".join(parts)
