"""Find the glossary's terms in text, and the phrases that look like terms but are not in it.

A term is found in any of its forms, in any case (ß stays ß), never inside
another word, never inside what typography leaves alone (code, tags, URLs,
link targets: :func:`tools.typography.markup.protected_spans`), nor in a
link's text; where two forms overlap, the longer one (leftmost first) wins,
so "frozen Russian assets" is one occurrence, not a second one of "Russian
assets". A match says whether its form is a plural
of the term (shadow fleets). A kept name is found next to a hyphen too
(the Trump-Putin connection); a term is not (a pre-Alaska summit).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tools.glossary.termbase import Term, TermBase
from tools.typography.markup import protected_spans

NAME_ID = "="  # ids of kept names start with it; term ids cannot
_SPACES = "[\\s\u00a0\u202f]+"
_APOSTROPHES = "['’ʼ]"
_LINK_TEXT = re.compile(r"\[[^\[\]\n]*\](?=[(\[])")  # a link's or image's text, before its target or label
_QUOTED = re.compile(r"[«“„\"]([^«»“”„\"\n]{2,80})[»”“\"]")
_NAME = re.compile(r"\b[A-Z][a-z]+(?:[ \u00a0](?:of[ \u00a0](?:the[ \u00a0])?)?[A-Z][a-z]+)+\b")
_NAME_STOPWORDS = {
    "The",
    "A",
    "An",
    "And",
    "But",
    "As",
    "In",
    "If",
    "It",
    "At",
    "After",
    "Since",
    "Because",
    "Thus",
    "Only",
    "Therefore",
    "However",
}


@dataclass(frozen=True)
class Match:
    """A term found in a text: where, what was written, which term."""

    start: int
    end: int
    text: str
    term_id: str
    plural: bool = False  # the form found is the plural of a singular headword


@dataclass(frozen=True)
class Candidate:
    """A phrase that may deserve an entry: set in quotes, or a capitalised name."""

    phrase: str
    kind: str  # "quoted" or "name"
    count: int


def normal(text: str) -> str:
    """The form of a phrase used for comparison: one space, one apostrophe, case folded but ß kept (not ss)."""
    spaced = re.sub(_SPACES, " ", re.sub(_APOSTROPHES, "'", text)).replace("ẞ", "ß")
    return "ß".join(part.casefold() for part in spaced.split("ß")).strip()


class Detector:
    """Finds the terms of a term base in one language (and, ``with_names``, its kept names)."""

    def __init__(self, base: TermBase, lang: str, source_language: str = "en", with_names: bool = False) -> None:
        self.terms: dict[str, str] = {}
        singular: set[str] = set()
        plural: set[str] = set()
        for term in base.terms:
            if lang == source_language or lang in term.renderings:
                rendering = term.rendering(lang, source_language)
                for form in rendering.all_forms:
                    self.terms.setdefault(normal(form), term.id)
                plural |= {normal(form) for form in _plural_forms(term, lang, source_language)}
                singular |= {normal(form) for form in _singular_forms(term, lang, source_language)}
        self.plural = frozenset(plural - singular)
        names = {normal(name.name): NAME_ID + name.name for name in base.names} if with_names else {}
        for form, name_id in names.items():
            self.terms.setdefault(form, name_id)
        alternatives = sorted(self.terms, key=len, reverse=True)
        body = "|".join(_bounded(form, form in names and self.terms[form] == names[form]) for form in alternatives)
        self.pattern = re.compile(body or "(?!)", re.IGNORECASE)

    def find(self, text: str) -> list[Match]:
        """Every occurrence of every term in ``text``, left to right."""
        excluded = _excluded(text)
        found = []
        for m in self.pattern.finditer(text):
            form = normal(m.group())  # not a key when the regex's case rule differs from folding's (İ, i)
            if form in self.terms and not any(start < m.end() and m.start() < end for start, end in excluded):
                found.append(Match(m.start(), m.end(), m.group(), self.terms[form], form in self.plural))
        return found


def _excluded(text: str) -> list[tuple[int, int]]:
    """Where no term is looked for: what typography protects, and the text of each link or image."""
    spans = protected_spans(text)
    targets = {start for start, _ in spans}
    return spans + [m.span() for m in _LINK_TEXT.finditer(text) if m.end() in targets]


def _plural_forms(term: Term, lang: str, source_language: str) -> tuple[str, ...]:
    """The forms of ``term`` in ``lang`` that are plurals of a singular headword."""
    if lang == source_language:
        return term.plural
    rendering = term.renderings[lang]
    if rendering.number == "pl":
        return ()
    return (*((rendering.plural,) if rendering.plural else ()), *rendering.plural_cases.values())


def _singular_forms(term: Term, lang: str, source_language: str) -> tuple[str, ...]:
    """The forms of ``term`` in ``lang`` that are not plurals of it (a plural headword's are its own)."""
    if lang == source_language:
        return (term.term, *term.forms)
    rendering = term.renderings[lang]
    return (rendering.term, *rendering.forms, *rendering.cases.values())


def _bounded(form: str, name: bool) -> str:
    """The form's pattern, never inside a word; a term not next to a hyphen either, a name may be (Trump-Putin)."""
    before, after = (r"(?<!\w)", r"(?!\w)") if name else (r"(?<![\w\-])", r"(?![\w\-])")
    return f"{before}{_form_pattern(form)}{after}"


def candidates(texts: list[str], base: TermBase) -> list[Candidate]:
    """Quoted phrases and capitalised names in ``texts`` that are neither terms nor left out on purpose."""
    known = {normal(form) for term in base.terms for form in (term.term, *term.forms, *term.plural)}
    known |= {normal(item.phrase) for item in base.left_out} | {normal(name.name) for name in base.names}
    counts: dict[tuple[str, str], int] = {}
    for text in texts:
        for phrase in _QUOTED.findall(text):
            counts[(phrase.strip(), "quoted")] = counts.get((phrase.strip(), "quoted"), 0) + 1
        for name in _NAME.findall(text):
            words = name.split()
            while words and (words[0] in _NAME_STOPWORDS or words[0].islower()):
                words = words[1:]
            if len(words) > 1:
                key = (" ".join(words), "name")
                counts[key] = counts.get(key, 0) + 1
    return [
        Candidate(phrase, kind, count)
        for (phrase, kind), count in sorted(
            counts.items(), key=lambda item: (item[0][1] != "quoted", -item[1], item[0][0])
        )
        if normal(phrase) not in known
        and not any(normal(phrase) in k or k in normal(phrase) for k in known if kind == "name")
    ]


def _form_pattern(form: str) -> str:
    pieces = []
    for char in form:
        if char.isspace():
            pieces.append(_SPACES)
        elif char in "'’ʼ":
            pieces.append(_APOSTROPHES)
        elif char in "-\u2011":
            pieces.append("[-\u2011]")
        else:
            pieces.append(re.escape(char))
    return re.sub(f"(?:{re.escape(_SPACES)})+", lambda m: _SPACES, "".join(pieces))
