"""What ``press glossary check`` and ``press glossary show`` print.

A form found more than :data:`PER_THOUSAND` times per 1,000 words of the
seeds is a warning with its count: a word that common is not a term, and every
translation would lock it. Why 5: the seed's most frequent term ("Peace
Council") comes 3.1 times per 1,000 words, the common verbs no list of
function words holds come more than 5 times (has 8.5, will 7.7, be 7.7), and
function words far more (the 83, of 39, a 30). Fewer than 1,000 words count as
1,000, so a short seed does not make its terms common.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from tools.diagnostics import WARNING, Diagnostic
from tools.glossary.detect import Detector, candidates, normal
from tools.glossary.termbase import Term, TermBase
from tools.ingest import Article

PER_THOUSAND = 5  # occurrences of one form per 1,000 words of the seeds above which it is a warning
_WORD = re.compile(r"\w+")


@dataclass
class Report:
    """Lines to print, and the problems found while detecting."""

    lines: list[str] = field(default_factory=list)
    problems: list[Diagnostic] = field(default_factory=list)


def glossary_report(base: TermBase, articles: list[Article], source_language: str = "en") -> Report:
    """Where each term occurs in the seeds; unused terms and uncovered «» phrases are warnings."""
    report = Report()
    detector = Detector(base, source_language, source_language)
    counts: Counter[str] = Counter()
    for article in articles:
        for paragraph in article.paragraphs:
            counts.update(match.term_id for match in detector.find(paragraph.text))
    report.lines.append(f"occurrences in {len(articles)} article(s):")
    for term in base.terms:
        report.lines.append(f"  {term.id:<28} {counts[term.id]:>3}")
        if not counts[term.id]:
            report.problems.append(
                Diagnostic(
                    base.path,
                    term.line,
                    WARNING,
                    "unused-term",
                    f"term '{term.id}' occurs in no article",
                    "check its forms, or remove it",
                )
            )
    texts = [text for a in articles for text in (a.title, *(p.text for p in a.paragraphs))]
    report.problems += common_forms(base, detector, texts)
    found = candidates(texts, base)
    for candidate in (c for c in found if c.kind == "quoted"):
        report.problems.append(
            Diagnostic(
                base.path,
                None,
                WARNING,
                "missing-term",
                f"«{candidate.phrase}» is set in quotes in the seeds ({candidate.count}×) but is not in the glossary",
                "add it as a term, or under left_out with the reason",
            )
        )
    names = [f"{c.phrase} ×{c.count}" for c in found if c.kind == "name"]
    report.lines.append("names not in the glossary: " + (", ".join(names) if names else "none"))
    return report


def common_forms(base: TermBase, detector: Detector, texts: list[str]) -> list[Diagnostic]:
    """A warning, with its count, for each form found more than :data:`PER_THOUSAND` times per 1,000 words."""
    words = sum(len(_WORD.findall(text)) for text in texts)
    forms = Counter((match.term_id, normal(match.text)) for text in texts for match in detector.find(text))
    limit = PER_THOUSAND * max(words, 1000) / 1000
    problems = []
    for (term_id, form), count in sorted(forms.items()):
        term = base.by_id(term_id)
        if term is None or count <= limit:
            continue
        rate = 1000 * count / max(words, 1)
        message = (
            f"term '{term_id}': '{form}' occurs {count} times in {words} words of the seeds ({rate:.1f} per 1,000, "
            f"more than {PER_THOUSAND}): a word that common is not a term, and every translation would lock it"
        )
        problems.append(Diagnostic(base.path, term.line, WARNING, "common-form", message, "remove the form"))
    return problems


def find_term(base: TermBase, query: str) -> Term | None:
    """A term by id, or by any form in any language, ignoring case."""
    wanted = normal(query)
    for term in base.terms:
        forms = [term.id, term.term, *term.forms] + [f for r in term.renderings.values() for f in r.all_forms]
        if wanted in {normal(form) for form in forms}:
            return term
    return None


def describe_term(term: Term, source_language: str = "en") -> str:
    """A term's entry, as plain text."""
    lines = [
        f"{term.term}  [{term.id}]",
        f"  forms:      {', '.join((term.term, *term.forms))}",
        f"  definition: {term.definition}",
        f"  annotation: {term.annotation}",
    ]
    if term.see:
        lines.append(f"  see also:   {', '.join(term.see)}")
    for source in term.sources:
        lines.append(f"  source:     {source}")
    for lang, rendering in sorted(term.renderings.items()):
        lines.append(f"  {lang}: {', '.join(rendering.all_forms)}")
        for label, text in (("definition", rendering.definition), ("annotation", rendering.annotation)):
            if text:
                lines.append(f"      {label}: {text}")
    return "\n".join(lines)
