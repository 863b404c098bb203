"""Stage 5, translation: an article's sentences → a language, through the memory and an engine.

For each article and language: the sentences (and the title) are looked up
in the article's memory ``translations/<lang>/<article-id>.po``; a sentence it
lacks comes back from its own obsolete entry (an edit reverted), else from any
other memory of the language (reviewed entries first), and only what no memory
holds goes to the engine, in small batches; the memory is saved after each,
so Ctrl-C (or SIGTERM) keeps what was translated. Glossary terms are locked first: each occurrence
becomes a placeholder ⟦T1⟧ the engine passes through, and comes back as the
term's rendering in the language. A sentence whose placeholders do not all
come back exactly once is translated again without locking, and reported.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from tools.engines import ENGINES, Engine, EngineError, Unavailable
from tools.errors import PressError
from tools.glossary.detect import NAME_ID, Detector
from tools.glossary.termbase import TermBase
from tools.ingest import Article
from tools.memory import LanguageMemory, Memory, Unit, locked
from tools.segment import split_sentences

BATCH = 8  # sentences per engine call; the memory is saved after each, so an interrupted run keeps them
PLACEHOLDER = "⟦T{}⟧"
_PLACEHOLDER = re.compile(r"⟦T(\d+)⟧")


@dataclass
class Translation:
    """An article's translation into one language, and where it came from."""

    lang: str
    engine: str
    model: str
    texts: dict[str, str]
    machine: int = 0
    reviewed: int = 0
    engine_calls: int = 0
    revived: int = 0  # sentences whose obsolete entry came back (an edit reverted)
    reused: int = 0  # sentences found in another memory of the language
    warnings: list[str] = field(default_factory=list)

    @property
    def provenance(self) -> dict:
        """What the edition's front matter says about its translation."""
        total = self.machine + self.reviewed
        return {
            "engine": self.engine,
            "model": self.model,
            "machine": self.machine,
            "reviewed": self.reviewed,
            "reviewed_share": round(self.reviewed / total, 3) if total else 0.0,
        }


def choose_engine(
    source: str, target: str, names: tuple[str, ...]
) -> tuple[Engine | None, list[tuple[str, Unavailable]]]:
    """The first engine of ``names`` that can translate source → target here, and why each before it cannot."""
    tried = []
    for name in names:
        engine = ENGINES[name]
        reason = engine.unavailable(source, target)
        if reason is None:
            return engine, tried
        tried.append((name, reason))
    return None, tried


def units_of(article: Article) -> list[Unit]:
    """The title and every sentence of the article, with the seed line each comes from."""
    source = article.source.as_posix()
    units = [Unit(article.title, f"{source}:1")]
    for paragraph in article.paragraphs:
        units += [Unit(s, f"{source}:{paragraph.line}") for s in split_sentences(paragraph.text)]
    return units


def translate_article(
    article: Article,
    lang: str,
    engine: Engine,
    memory_path: Path,
    base: TermBase | None,
    source: str = "en",
    progress: Callable[[int, int], None] | None = None,
    language_memory: LanguageMemory | None = None,
) -> Translation:
    """Translate the article's sentences the memory lacks; return every sentence's translation."""
    return translate_units(
        units_of(article),
        lang,
        engine,
        memory_path,
        base,
        source,
        article.source.as_posix(),
        progress,
        language_memory,
    )


def glossary_units(base: TermBase) -> list[Unit]:
    """The sentences of every term's definition and annotation, with the term base line each comes from."""
    where = base.path.as_posix()
    return [
        Unit(sentence, f"{where}:{term.line}")
        for term in base.terms
        for text in (term.definition, term.annotation)
        for sentence in split_sentences(text)
    ]


def translate_units(
    units: list[Unit],
    lang: str,
    engine: Engine,
    memory_path: Path,
    base: TermBase | None,
    source: str,
    project: str,
    progress: Callable[[int, int], None] | None = None,
    language_memory: LanguageMemory | None = None,
) -> Translation:
    """Look the units up in the memories, translate what none holds in batches (saving after each), retire the rest."""
    model = engine.model(source, lang)
    result = Translation(lang, engine.name, model, {})
    detector = Detector(base, source, source, with_names=True) if base else None
    with locked(memory_path):
        memory = Memory.load(memory_path, lang, project)
        result.warnings += [
            f"{memory_path}: {repair}; the original is kept as {memory_path.name}~" for repair in memory.repairs
        ]
        todo = _from_memories(memory, memory.missing(units), language_memory, result)
        for start in range(0, len(todo), BATCH):
            batch = todo[start : start + BATCH]
            for text, translation in zip(batch, _translate_batch(batch, engine, source, lang, detector, base, result)):
                memory.add(text, translation, f"{engine.name} {model}", units)
            memory.save()
            if progress:
                progress(min(start + BATCH, len(todo)), len(todo))
        memory.retire(units)
        memory.save()
    if language_memory is not None:
        language_memory.learn(memory)
    result.texts = memory.translations()
    result.machine, result.reviewed = memory.counts()
    return result


def _from_memories(
    memory: Memory, missing: list[str], language_memory: LanguageMemory | None, result: Translation
) -> list[str]:
    """Fill what the memory lacks from its obsolete entries, then from the language's other memories; the rest."""
    revived = set(memory.revive(missing))
    todo = []
    for text in missing:
        if text in revived:
            continue
        known = language_memory.lookup(text, memory.path) if language_memory else None
        if known is None:
            todo.append(text)
        else:
            memory.reuse(text, known)
            result.reused += 1
    result.revived = len(revived)
    return todo


def _translate_batch(
    batch: list[str],
    engine: Engine,
    source: str,
    lang: str,
    detector: Detector | None,
    base: TermBase | None,
    result: Translation,
) -> list[str]:
    locked_batch = [lock_terms(text, detector) for text in batch]
    try:
        raw = engine.translate([text for text, _ in locked_batch], source, lang)
        result.engine_calls += 1
    except EngineError as exc:
        raise PressError(
            None,
            None,
            f"{engine.name} failed translating to {lang}: {exc}",
            "see the engine's message; nothing half-done was saved",
        ) from None
    out = []
    for text, (_, terms), translated in zip(batch, locked_batch, raw):
        restored = unlock_terms(translated, terms, base, lang) if terms else translated
        if restored is None:
            result.warnings.append(
                f"{lang}: the engine mangled a term placeholder in {text[:60]!r}; translated it without locking"
            )
            restored = engine.translate([text], source, lang)[0]
            result.engine_calls += 1
        out.append(restored)
    return out


def lock_terms(sentence: str, detector: Detector | None) -> tuple[str, list[str]]:
    """The sentence with each glossary term and kept name replaced by ⟦T1⟧, ⟦T2⟧, …, and their ids in order."""
    if detector is None:
        return sentence, []
    out, last, ids = [], 0, []
    for match in detector.find(sentence):
        ids.append(match.term_id)
        out += [sentence[last : match.start], PLACEHOLDER.format(len(ids))]
        last = match.end
    return "".join(out) + sentence[last:], ids


def unlock_terms(text: str, ids: list[str], base: TermBase | None, lang: str) -> str | None:
    """Placeholders → the terms' renderings (names' spellings) in ``lang``; None unless each came back once."""
    found = [int(n) for n in _PLACEHOLDER.findall(text)]
    if sorted(found) != list(range(1, len(ids) + 1)) or base is None:
        return None
    names = {NAME_ID + n.name: n for n in base.names}

    def rendering(match: re.Match[str]) -> str:
        key = ids[int(match.group(1)) - 1]
        if key in names:
            return names[key].spelling(lang)
        term = base.by_id(key).renderings[lang].term
        at_start = not text[: match.start()].strip() or text[: match.start()].rstrip()[-1] in ".!?"
        return term[0].upper() + term[1:] if at_start else term

    return _PLACEHOLDER.sub(rendering, text)


def progress_printer(lang: str, slug: str) -> Callable[[int, int], None] | None:
    """A one-line progress bar on a terminal; nothing under CI or in a pipe."""
    if not sys.stderr.isatty() or _ci():
        return None

    def show(done: int, total: int) -> None:
        filled = int(30 * done / total) if total else 30
        end = "\n" if done >= total else ""
        print(
            f"\r{lang} {slug[:30]:<30} [{'#' * filled}{'.' * (30 - filled)}] {done}/{total}", end=end, file=sys.stderr
        )

    return show


def _ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")
