"""Stage 5, translation: an article's sentences → a language, through the memory and an engine.

For each article and language: the sentences (and the title) are looked up
in the article's memory ``translations/<lang>/<article-id>.po``; a sentence it
lacks comes back from its own obsolete entry (an edit reverted), else from any
other memory of the language (reviewed entries first), and only what no memory
holds goes to the engine, in small batches (or one stream an engine keeps busy,
Argos's); the memory is saved after each batch, so Ctrl-C (or SIGTERM) keeps what was translated. Glossary terms are locked first: each occurrence
becomes a placeholder ⟦T1⟧ the engine passes through, and comes back as the
term's rendering in the language. What no engine may change (typography's
protected spans: code, tags, URLs, addresses, entities), and a person's name
after a title (Dr. Smith: Apertium wrote Dr. Herrero), is locked the same
way and comes back as written. A wire story's dateline (``LONDON, Dec. 4 (Reuters) - Exporters…``,
:func:`tools.segment.dateline`) goes to the engine apart from its story, and the two are joined by the
source's dash: together, Apertium glued the dash to the story, wrote its first word in lower case, or moved
the place into it (ca «Negociadors — de ROTTERDAM»). A sentence whose placeholders do not all
come back exactly once is translated again without locking, and reported.
An engine's reply is hostile input: one with a control character, a lock
placeholder that was not sent, or absurd length (:func:`tools.engines.refusal`)
is refused and never stored. A sentence the engine could not translate (it
failed, was not there, or its reply was refused) leaves the article incomplete:
what was translated is saved, and :class:`EngineFailed` says how many are missing
and why (the build then keeps the edition it published before).
Each machine translation records the terms it locked and their renderings
(``#. terms:``); when the term base changes them, the sentence is made again
(machine output only: a reviewed translation is a person's work).

A term comes back agreeing with its sentence (:mod:`tools.grammar`): in the
source's number (shadow fleets → flotas fantasma), with the determiner next
to it fixed (el → la flota fantasma; also a quantifier or adjective up to two
words before it, and a singular verb right after a plural term), in the case the preposition before it
governs (uk на → the term base's form), an English possessive as the
language's genitive (Trump's → Трампа). What cannot be decided stays as the
engine gave it. That, and the words the engine did not know, go into the
entry's extracted comments (one line each, for the reviewer and ``press
check``) and into :class:`Translation`:

    #. unknown words: uninsured, bluntly
    #. agreement: «на» before «саміт на Алясці»: acc/loc not decidable

In a glossary entry's own definition and annotation its own forms are not
locked: "usually called the Board of Peace" is the engine's to translate.
"""

from __future__ import annotations

import hashlib
import itertools
import os
import re
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from tools.dates import ISO_DATE
from tools.diagnostics import WARNING, Diagnostic
from tools.engines import ENGINES, Engine, EngineError, NoEngine, Unavailable, refusal
from tools.engines.apertium import Output
from tools.errors import PressError
from tools.glossary.detect import NAME_ID, Detector
from tools.glossary.termbase import Name, Rendering, TermBase
from tools.grammar import Word, agree, agree_verb
from tools.ingest import Article
from tools.languages import language
from tools.memory.entries import Memory, Unit
from tools.memory.files import locked
from tools.memory.language import LanguageMemory
from tools.memory.provenance import MACHINE
from tools.names import titled_names
from tools.ofform import of_form
from tools.quantities import quantities
from tools.quantities import write as write_quantity
from tools.segment import dateline, split_sentences
from tools.typography.markup import protected_spans

BATCH = 8  # sentences per engine call; the memory is saved after each, so an interrupted run keeps them
PLACEHOLDER = "⟦T{}⟧"
VERBATIM = "="  # the id of a locked span that comes back as it was: code, a tag, a URL, an address, an entity
QUANTITY = "#"  # the id of a locked amount or date, written back for the edition's locale (tools/quantities.py)
PERSON = "@"  # the id of a person's name after a title (tools/names.py): comes back as written, and is in the
# lock signature, so a machine translation made before it was locked (Dr. Herrero for Dr. Smith) is made again
UNKNOWN_WORDS = "unknown words: "  # a #. line of a PO entry: the words the engine did not know, in source order
AGREEMENT = "agreement: "  # a #. line: what restoring the terms could not decide, "; " between findings
ENGINE_ERRORS = "engine errors: "  # a #. line: the engine's own generation or transfer errors
LOCKED = "terms: "  # a #. line: what the sentence locked when translated: "<digest>: id = rendering; …"
_PLACEHOLDER = re.compile(r"⟦T(\d+)⟧")
_POSSESSIVE = re.compile(r"['’]s(?!\w)")
_POSSESSIVE_PLURAL = re.compile(r"['’](?!\w)")
_GERMAN_GENITIVE = re.compile(r"s(?!\w)")
_OPENING = '«“„"‘‹([ \u00a0'


@dataclass
class EngineFailed(PressError):
    """Sentences of a text that no engine translated (it failed, none was there, a reply was refused): ``missing``
    of them. What was translated before is saved in the memory."""

    missing: int = 0


@dataclass(frozen=True)
class Slot:
    """A locked occurrence: the term (or kept name) and how the source wrote it."""

    id: str  # a term's id, a kept name's, VERBATIM, QUANTITY or PERSON
    plural: bool = False  # the plural of a singular term (shadow fleets)
    possessive: bool = False  # followed by an English possessive (Trump's)
    text: str = ""  # what a VERBATIM, QUANTITY or PERSON slot stands for


@dataclass(frozen=True)
class Restored:
    """A translation with its terms back in place, and what agreement could not decide."""

    text: str
    findings: tuple[str, ...] = ()


@dataclass(frozen=True)
class Outcome:
    """One sentence's translation and what the reviewer should know about it."""

    text: str
    unknown: tuple[str, ...] = ()
    errors: tuple[str, ...] = ()
    findings: tuple[str, ...] = ()
    locked: str = ""  # lock_signature of the sentence ('' without a term base)

    def notes(self) -> str:
        """The extra lines of the entry's provenance comment (empty when there is nothing to say)."""
        lines = [
            f"{LOCKED}{_digest(self.locked)}: {self.locked}" if self.locked else "",
            UNKNOWN_WORDS + ", ".join(self.unknown) if self.unknown else "",
            AGREEMENT + "; ".join(self.findings) if self.findings else "",
            ENGINE_ERRORS + ", ".join(self.errors) if self.errors else "",
        ]
        return "".join(f"\n{line}" for line in lines if line)


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
    warnings: list[Diagnostic] = field(default_factory=list)
    unknown: dict[str, tuple[str, ...]] = field(default_factory=dict)  # sentence → words the engine did not know
    agreement: dict[str, tuple[str, ...]] = field(default_factory=dict)  # sentence → what agreement left undecided
    reviewers: list[str] = field(default_factory=list)  # who reviewed entries of this memory

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
            "reviewers": self.reviewers,
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
    """Look the units up in the memories, translate what none holds in batches (saving after each), retire the rest;
    EngineFailed (after saving) when a sentence is left untranslated: the engine failed or a reply was refused."""
    model = engine.model(source, lang)
    result = Translation(lang, engine.name, model, {})
    detector = Detector(base, source, source, with_names=True) if base else None
    own = _own_terms(units, base)
    with locked(memory_path):
        memory = Memory.load(memory_path, lang, project)
        kept = f"the original is kept as {memory_path.name}~"
        result.warnings += [
            Diagnostic(memory_path, None, WARNING, "repair", f"{repair}; {kept}", lang=lang)
            for repair in memory.repairs
        ]
        todo = _from_memories(memory, memory.missing(units), language_memory, result)
        quantities_for = lang if source == "en" else None  # amounts, dates and possessives are read in English
        stale = [t for t in _stale(memory, units, detector, base, lang, own, quantities_for) if t not in todo]
        if stale:
            message = (
                f"{len(stale)} machine translation(s) made again: what they lock changed since"
                " (a term's rendering in the term base, a person's name after a title, now kept as written,"
                " a dateline, now translated apart from its story, or an ISO date, now written out)"
            )
            result.warnings.append(Diagnostic(memory_path, None, WARNING, "term-base", message, lang=lang))
        todo += stale
        locked_todo = [lock_terms(text, detector, own.get(text, frozenset()), quantities_for) for text in todo]
        stored, reasons = 0, []
        try:
            translations = engine_batches(engine, [text for text, _ in locked_todo], source, lang, result)
            for start, raw in zip(range(0, len(todo), BATCH), translations):
                batch = todo[start : start + BATCH]
                outcomes = _outcomes(
                    batch, locked_todo[start : start + BATCH], raw, engine, source, lang, base, result, memory_path
                )
                for text, outcome in zip(batch, outcomes):
                    if isinstance(outcome, str):
                        reasons.append(outcome)
                        continue
                    memory.add(text, outcome.text, f"{engine.name} {model}{outcome.notes()}", units)
                    stored += 1
                _save(memory)
                if progress:
                    progress(min(start + BATCH, len(todo)), len(todo))
        except EngineFailed as failure:
            reasons.insert(0, failure.message)
        memory.retire(units)
        if not reasons or memory.path.is_file() or len(memory.po):
            memory.save()  # a new memory of a text no engine could start on is not written
    if language_memory is not None:
        language_memory.learn(memory)
    if reasons:
        raise _incomplete(memory_path, len(todo) - stored, reasons)
    if isinstance(engine, NoEngine):  # the memory alone: the edition says what made it
        result.engine, result.model = _made_by(memory, units) or (engine.name, "")
    result.texts = memory.translations()
    result.machine, result.reviewed = memory.counts()
    result.reviewers = memory.reviewers()
    _read_notes(memory, units, result)
    return result


def _save(memory: Memory) -> None:
    """Save the memory, unless it is new and holds nothing (an article no engine could start on leaves no file)."""
    if memory.path.is_file() or len(memory.po):
        memory.save()


def _incomplete(memory_path: Path, missing: int, reasons: list[str]) -> EngineFailed:
    """The one error for a text left incomplete: how many sentences, the first reason (and how many more)."""
    more = f" (and {len(reasons) - 1} more)" if len(reasons) > 1 else ""
    return EngineFailed(
        memory_path,
        None,
        f"{missing} sentence(s) not translated: {reasons[0]}{more}",
        "see the engine's message; what was translated is saved, and the next press build asks for the rest",
        missing,
    )


def _made_by(memory: Memory, units: list[Unit]) -> tuple[str, str] | None:
    """The engine and model that made most of these sentences' entries, as the memory records them."""
    made: Counter[str] = Counter()
    for text in dict.fromkeys(unit.text for unit in units):
        entry = memory.get(text)
        line = next((x for x in entry.comment.split("\n") if x.startswith(MACHINE)), None) if entry else None
        if line:
            made[line.removeprefix(MACHINE)] += 1
    if not made:
        return None
    engine, _, model = made.most_common(1)[0][0].partition(" ")
    return engine, model


def lock_signature(slots: Sequence[Slot], base: TermBase, lang: str, apart: bool = False) -> str:
    """The terms and names a sentence locks, in order, with their renderings in ``lang``: what a machine
    translation of it was made with (``none`` when it locks none); ``apart``: its dateline went to the engine
    apart from its story, and each ISO date it locks (machine translations made before either are made again)."""
    parts = ["dateline apart"] if apart else []
    for slot in slots:
        if slot.id == QUANTITY and ISO_DATE.search(slot.text or ""):  # written out since: made again once
            parts.append(f"date {slot.text}")
            continue
        if slot.id in (VERBATIM, QUANTITY):
            continue
        if slot.id == PERSON:
            parts.append(f"{PERSON}{slot.text} = {slot.text}")
            continue
        name = next((n for n in base.names if NAME_ID + n.name == slot.id), None)
        rendering = base.by_id(slot.id).renderings.get(lang) if name is None else None
        shown = name.spelling(lang) if name else rendering.term if rendering else "?"
        parts.append(f"{slot.id.removeprefix(NAME_ID)} = {shown}")
    return "; ".join(parts) or "none"


def _stale(
    memory: Memory,
    units: list[Unit],
    detector: Detector | None,
    base: TermBase | None,
    lang: str,
    own: dict[str, frozenset[str]],
    english_for: str | None = None,
) -> list[str]:
    """The sentences whose machine translation (as the engine gave it: never one a person changed or reviewed) was
    made with other terms or renderings than the term base has now: a form added or taken out, a rendering
    changed. An entry that does not say is left. ``english_for``: as :func:`lock_terms`'s ``lang`` (the terms
    are read in the sentence the engine saw: the "of" form moves them)."""
    if detector is None or base is None:
        return []
    stale = []
    for text in dict.fromkeys(unit.text for unit in units):
        if not memory.untouched(text):
            continue
        comment = memory.get(text).comment
        made = next((line[len(LOCKED) :] for line in comment.split("\n") if line.startswith(LOCKED)), None)
        if made is None:
            continue
        sent, slots = lock_terms(text, detector, own.get(text, frozenset()), english_for)
        now = lock_signature(slots, base, lang, dateline(sent) is not None)
        if made.split(":", 1)[0] != _digest(now):  # the digest: a tool that wraps long comment lines cuts the rest
            stale.append(text)
    return stale


def _digest(signature: str) -> str:
    return hashlib.sha256(signature.encode("utf-8")).hexdigest()[:12]


def _own_terms(units: list[Unit], base: TermBase | None) -> dict[str, frozenset[str]]:
    """For a sentence of a glossary entry's own texts, that term's id: it is not locked there."""
    if base is None:
        return {}
    owners = {f"{base.path.as_posix()}:{term.line}": term.id for term in base.terms}
    own: dict[str, frozenset[str]] = {}
    for unit in units:
        if unit.reference in owners:
            own[unit.text] = own.get(unit.text, frozenset()) | {owners[unit.reference]}
    return own


def _read_notes(memory: Memory, units: list[Unit], result: Translation) -> None:
    """The unknown words and agreement findings the memory's machine entries carry, per sentence."""
    for text in dict.fromkeys(unit.text for unit in units):
        entry = memory.get(text)
        if entry is None or "fuzzy" not in entry.flags:
            continue
        for line in entry.comment.split("\n"):
            if line.startswith(UNKNOWN_WORDS):
                result.unknown[text] = tuple(line.removeprefix(UNKNOWN_WORDS).split(", "))
            elif line.startswith(AGREEMENT):
                result.agreement[text] = tuple(line.removeprefix(AGREEMENT).split("; "))


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


def _outcomes(
    batch: list[str],
    locked_batch: list[tuple[str, list[Slot]]],
    raw: list[str],
    engine: Engine,
    source: str,
    lang: str,
    base: TermBase | None,
    result: Translation,
    memory_path: Path,
) -> list[Outcome | str]:
    """The engine's translations of a batch with their terms restored (a sentence whose placeholders came back
    mangled is translated again without locking), and what each records; for a reply refused, why (a str)."""
    out: list[Outcome | str] = []
    for text, (sent, slots), translated in zip(batch, locked_batch, raw):
        why = refusal(sent, str(translated))
        restored = None
        if why is None:
            restored = restore_terms(translated, slots, base, lang) if slots else Restored(str(translated))
        if why is None and restored is None:
            message = f"the engine mangled a term placeholder in {text[:60]!r}; translated it without locking"
            result.warnings.append(Diagnostic(memory_path, None, WARNING, "term-lock", message, lang=lang))
            translated = _engine(engine, [text], source, lang, result)[0]
            why, restored = refusal(text, str(translated)), Restored(str(translated))
        if why is not None or restored is None:
            out.append(f"{engine.name}'s reply for {text[:60]!r} is refused: {why}")
            continue
        unknown, errors = getattr(translated, "unknown", ()), getattr(translated, "errors", ())
        locked = lock_signature(slots, base, lang, dateline(sent) is not None) if base else ""
        out.append(Outcome(restored.text, tuple(unknown), tuple(errors), restored.findings, locked))
    return out


def engine_batches(
    engine: Engine, sentences: list[str], source: str, lang: str, result: Translation
) -> Iterator[list[str]]:
    """The translations of ``sentences`` in order, BATCH at a time: one call per batch, or, from an engine that
    streams (Argos), one call for all whose translations come as they are made, so the engine never idles
    while a batch is saved. A failure is a PressError (nothing half-done is saved)."""
    stream = getattr(engine, "stream", None)
    if stream is None:
        for start in range(0, len(sentences), BATCH):
            yield _engine(engine, sentences[start : start + BATCH], source, lang, result)
        return
    result.engine_calls += 1
    parts, separators = _apart(sentences)
    translations = _together(stream(parts, source, lang), separators)
    for start in range(0, len(sentences), BATCH):
        try:
            batch = list(itertools.islice(translations, BATCH))
        except EngineError as exc:
            raise _failed(engine, lang, exc) from None
        wanted = min(BATCH, len(sentences) - start)
        if len(batch) < wanted:
            raise _failed(engine, lang, EngineError(f"{len(batch)} translations for {wanted} sentences"))
        yield batch


def _failed(engine: Engine, lang: str, exc: EngineError) -> EngineFailed:
    """The engine's failure as the one error the build reports."""
    return EngineFailed(
        None,
        None,
        f"{engine.name} failed translating to {lang}: {exc}",
        "see the engine's message; nothing half-done was saved",
    )


def _engine(engine: Engine, sentences: list[str], source: str, lang: str, result: Translation) -> list[str]:
    """One engine call; its failure is a PressError (nothing half-done is saved)."""
    parts, separators = _apart(sentences)
    try:
        translated = engine.translate(parts, source, lang)
        if len(translated) != len(parts):
            raise EngineError(f"{len(translated)} translations for {len(parts)} sentences")
    except EngineError as exc:
        raise _failed(engine, lang, exc) from None
    result.engine_calls += 1
    return list(_together(translated, separators))


def _apart(sentences: list[str]) -> tuple[list[str], list[str | None]]:
    """What the engine gets for ``sentences``: a dateline and its story as two texts; and each sentence's
    dateline separator (None: no dateline), to join their translations by (:func:`_together`)."""
    parts: list[str] = []
    separators: list[str | None] = []
    for sentence in sentences:
        head = dateline(sentence)
        parts += [sentence] if head is None else [sentence[: head.start("dash")], sentence[head.end() :]]
        separators.append(None if head is None else head.group("dash"))
    return parts, separators


def _together(translations: Iterable[str], separators: list[str | None]) -> Iterator[str]:
    """The translations of the sentences :func:`_apart` took apart: a dateline's and its story's joined by the
    source's separator, with what the engine marked in either (its unknown words, its errors)."""
    given = iter(translations)
    for separator in separators:
        first = next(given, None)
        if first is None:
            return  # the engine gave fewer: the caller counts them
        if separator is None:
            yield first
            continue
        story = next(given, None)
        if story is None:
            return
        marks = {key: (*getattr(first, key, ()), *getattr(story, key, ())) for key in ("unknown", "errors")}
        yield Output(f"{first.rstrip()}{separator}{story.lstrip()}", marks["unknown"], marks["errors"])


def lock_terms(
    sentence: str, detector: Detector | None, keep: frozenset[str] = frozenset(), lang: str | None = None
) -> tuple[str, list[Slot]]:
    """The sentence with each glossary term and kept name (not in ``keep``), each span no engine may change
    (typography's protected spans: code, tags, URLs, addresses, entities) and, for a translation of English into
    ``lang``, each person's name after a title (:mod:`tools.names`: Dr. Smith) and each amount, date, percentage,
    ordinal and measure :mod:`tools.quantities` writes for it, replaced by ⟦T1⟧, ⟦T2⟧, …; its slots. For such a
    translation the sentence is first put in the "of" form ``lang`` wants (:mod:`tools.ofform`: "Russia's fleet"
    → "the fleet of Russia"): what the engine sees, never the memory's msgid (the caller keeps the source
    sentence as the key)."""
    if lang is not None:
        owners = [(match.start, match.end) for match in detector.find(sentence)] if detector else []
        sentence = of_form(sentence, lang, owners, protected_spans(sentence))
    spans = [(start, end, Slot(VERBATIM, text=sentence[start:end])) for start, end in protected_spans(sentence)]
    for match in detector.find(sentence) if detector else ():  # detection skips the protected spans
        if match.term_id in keep:
            continue
        after = sentence[match.end :]
        possessive = bool(_POSSESSIVE.match(after) or (match.text.endswith("s") and _POSSESSIVE_PLURAL.match(after)))
        spans.append((match.start, match.end, Slot(match.term_id, match.plural, possessive)))
    if lang is not None:  # a person's name after a title comes back as written (tools/names.py)
        taken = [(start, end) for start, end, _ in spans]
        spans += [(a, b, Slot(PERSON, text=sentence[a:b])) for a, b in titled_names(sentence, taken)]
        taken = [(start, end) for start, end, _ in spans]
        spans += [(q.start, q.end, Slot(QUANTITY, text=q.text)) for q in quantities(sentence, lang, taken)]
    out, last, slots = [], 0, []
    for start, end, slot in sorted(spans, key=lambda span: span[0]):
        slots.append(slot)
        out += [sentence[last:start], PLACEHOLDER.format(len(slots))]
        last = end
    return "".join(out) + sentence[last:], slots


def unlock_terms(text: str, ids: Sequence[str | Slot], base: TermBase | None, lang: str) -> str | None:
    """Placeholders → the terms' renderings (names' spellings) in ``lang``; None unless each came back once."""
    restored = restore_terms(text, ids, base, lang)
    return restored.text if restored else None


def restore_terms(text: str, slots: Sequence[str | Slot], base: TermBase | None, lang: str) -> Restored | None:
    """Each placeholder → its term in the form the sentence asks for; None unless each came back exactly once."""
    found = [int(n) for n in _PLACEHOLDER.findall(text)]
    if sorted(found) != list(range(1, len(slots) + 1)):
        return None
    out, last, findings, terms = "", 0, [], []
    for match in _PLACEHOLDER.finditer(text):
        slot = _slot(slots[int(match.group(1)) - 1])
        if slot.id in (VERBATIM, QUANTITY, PERSON):
            written = (write_quantity(slot.text, lang) or slot.text) if slot.id == QUANTITY else slot.text
            out, last = out + text[last : match.start()] + written, match.end()
            continue
        if base is None:
            return None
        out, last, notes, word = _restore(text, out + text[last : match.start()], match.end(), slot, base, lang)
        findings += notes
        terms.append((len(out) - len(word.headword), len(out), word))
    out, verbs = out + text[last:], []
    for start, end, word in reversed(terms):  # a verb after a plural term: the text after it is complete now
        following = agree_verb(lang, out[:start], out[end:], word)
        out = out[:end] + following.after
        verbs = ([following.finding] if following.finding else []) + verbs
    return Restored(out, tuple(findings + verbs))


def _slot(slot: str | Slot) -> Slot:
    return slot if isinstance(slot, Slot) else Slot(slot)


def _restore(
    text: str, before: str, end: int, slot: Slot, base: TermBase, lang: str
) -> tuple[str, int, list[str], Word]:
    """The text up to and with the term of the placeholder ending at ``end``, where the rest resumes, the findings,
    and the term as restored (its headword: the form written)."""
    name = next((n for n in base.names if NAME_ID + n.name == slot.id), None)
    word, note = _word(slot, name, base, lang)
    findings = [note] if note else []
    suffix = _possessive_after(text, end, lang) if slot.possessive else None
    if suffix and language(lang).grammar.cases and "gen" in word.cases:
        end, form = suffix.end(), word.cases["gen"]  # the English possessive is the genitive
    elif suffix:
        form = word.headword
        findings.append(f"the English possessive of «{form}» is left as the engine gave it")
    else:
        possessive = "gen" if slot.possessive and language(lang).grammar.prepositions and lang != "de" else None
        agreement = agree(lang, before, word, possessive)
        before, form = agreement.before, agreement.form
        findings += [agreement.finding] if agreement.finding else []
    if name is None and _at_sentence_start(before):
        form = form[0].upper() + form[1:]
    return before + form, end, findings, replace(word, headword=form)


def _possessive_after(text: str, end: int, lang: str) -> re.Match[str] | None:
    """An English possessive the engine left after a placeholder (’s, or ’ after a plural; de: an attached s)."""
    return (
        _POSSESSIVE.match(text, end)
        or _POSSESSIVE_PLURAL.match(text, end)
        or (_GERMAN_GENITIVE.match(text, end) if lang == "de" else None)
    )


def _word(slot: Slot, name: Name | None, base: TermBase, lang: str) -> tuple[Word, str | None]:
    """The term or name as agreement needs it, and a finding when the term base lacks its plural."""
    if name is not None:
        return Word(name.spelling(lang), cases=name.cases.get(lang, {}), name=True), None
    rendering: Rendering = base.by_id(slot.id).renderings[lang]
    plural = slot.plural and rendering.number == "sg"
    if plural and rendering.plural:
        return Word(rendering.plural, rendering.gender, True, {"nom": rendering.plural} | rendering.plural_cases), None
    cases = {"nom": rendering.term} | rendering.cases
    word = Word(rendering.term, rendering.gender, rendering.number == "pl", cases)
    return word, (f"no plural of «{rendering.term}» in the term base: left the singular" if plural else None)


def _at_sentence_start(before: str) -> bool:
    """Nothing but opening quotes or brackets before, or the end of a sentence."""
    text = before.rstrip(_OPENING)
    return not text or text[-1] in ".!?…"


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
