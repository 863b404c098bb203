"""Quality checks of a translated edition, read from its translation memory (no engine runs).

For every sentence: untranslated or empty, numbers that differ from the
source (0.8 and 0,8 are the same number), glossary terms of the source
missing from the translation, placeholders left in it, and a length far from
the source's. ``press check`` prints the findings; ``--strict`` fails on any.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from tools.glossary.detect import Detector
from tools.glossary.termbase import TermBase
from tools.memory import Memory, Unit

_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
LENGTH_RANGE = (0.5, 2.2)
_MIN_LENGTH = 24


@dataclass(frozen=True)
class Finding:
    """One problem in one sentence of an edition."""

    lang: str
    reference: str
    kind: str
    message: str

    def __str__(self) -> str:
        return f"{self.reference}: [{self.lang}] {self.kind}: {self.message}"


def check_edition(
    units: list[Unit], memory_path: Path, lang: str, base: TermBase | None, source: str = "en"
) -> list[Finding]:
    """The findings for one article in one language."""
    memory = Memory.load(memory_path, lang, "")
    translations = memory.translations()
    source_terms = Detector(base, source, source) if base else None
    target_terms = Detector(base, lang, source) if base else None
    findings = []
    for unit in units:
        translated = translations.get(unit.text, "")
        for kind, message in _problems(unit.text, translated, source_terms, target_terms):
            findings.append(Finding(lang, unit.reference, kind, message))
    return findings


def _problems(source: str, translated: str, source_terms: Detector | None, target_terms: Detector | None):
    if not translated.strip():
        yield "untranslated", f"no translation for {source[:60]!r}"
        return
    if translated.strip() == source.strip() and re.search(r"[^\W\d]{3}", source):
        yield "untranslated", f"the translation is the source: {source[:60]!r}"
    if "⟦" in translated or "⟧" in translated:
        yield "placeholder", f"a term placeholder is left in {translated[:60]!r}"
    wanted, got = _numbers(source), _numbers(translated)
    if wanted != got:
        missing = ", ".join(sorted((wanted - got).elements())) or "none"
        extra = ", ".join(sorted((got - wanted).elements())) or "none"
        yield "numbers", f"missing {missing}; extra {extra}"
    if source_terms and target_terms:
        found = {m.term_id for m in target_terms.find(translated)}
        for term_id in sorted({m.term_id for m in source_terms.find(source)} - found):
            yield "term", f"'{term_id}' is not rendered in {translated[:60]!r}"
    if len(source) >= _MIN_LENGTH:
        ratio = len(translated) / len(source)
        if not LENGTH_RANGE[0] <= ratio <= LENGTH_RANGE[1]:
            yield "length", f"{ratio:.1f}× the source's length"


def _numbers(text: str) -> Counter[str]:
    return Counter(n.replace(",", ".") for n in _NUMBER.findall(text))
