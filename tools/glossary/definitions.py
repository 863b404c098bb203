"""Authored glossary texts: every term's definition and annotation, written by hand in each edition language.

``glossary/definitions/<lang>.yml`` maps a term id of the term base to its ``definition`` (one
sentence) and ``annotation`` (two to five), as a terminologist wrote them in that language. The
glossary page and the term links' tooltips take these first; only a text missing here is
machine-translated from the English of ``glossary/terms.yml`` (and the page says so).

The files are read with line numbers, like the term base, and every problem is one
:class:`~tools.diagnostics.Diagnostic` (kind ``definitions``) with the file and the line. Errors (a file that is not
YAML, a duplicate key, a wrong type, an unknown term id or field) make the entry or the file
unusable; warnings (a language or a term without an authored text, a wrong number of sentences)
leave the machine translation in its place. Sentences are counted by :mod:`tools.segment`, the one
definition of a sentence the translation stage uses too.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from tools.diagnostics import ERROR, WARNING, Diagnostic, one_line, shown
from tools.errors import PressError
from tools.glossary.termbase import Term, TermBase, stop_on_errors
from tools.memory.entries import Unit
from tools.segment import split_sentences
from tools.yamlsource import Node, mapping_of, read_yaml, text_of, wrong_type

FIELDS = ("definition", "annotation")
_ENTRY_FIX = "write TERM-ID: {definition: …, annotation: …}"
_SENTENCES = {"definition": (1, 1), "annotation": (2, 5)}

KIND = "definitions"  # the kind of these files' diagnostics


@dataclass(frozen=True)
class Authored:
    """A term's texts as written in one language; a field left out is None (machine text fills it)."""

    term_id: str
    lang: str
    path: Path
    line: int
    definition: str | None = None
    annotation: str | None = None

    def text(self, field: str) -> str | None:
        """The authored ``definition`` or ``annotation``, or None."""
        return getattr(self, field)


def load_definitions(
    folder: Path, base: TermBase, languages: Iterable[str], planned: Iterable[str] = ()
) -> tuple[dict[str, dict[str, Authored]], list[Diagnostic]]:
    """The authored texts of every language in ``languages`` (by language, then term id), and every problem; the
    files of languages only ``planned`` are not read, and not stray."""
    languages = tuple(languages)
    authored: dict[str, dict[str, Authored]] = {}
    problems = _stray_files(folder, (*languages, *planned))
    for lang in languages:
        path = folder / f"{lang}.yml"
        if not path.is_file():
            problems.append(_missing_file(path, lang, base))
            continue
        authored[lang] = _load_language(path, lang, base, problems)
    return authored, problems


def load_authored(
    folder: Path, base: TermBase, languages: Iterable[str], warnings: list[Diagnostic], planned: Iterable[str] = ()
) -> dict[str, dict[str, Authored]]:
    """The authored texts for the build: the first error stops it (one line); warnings are added to ``warnings``."""
    authored, problems = load_definitions(folder, base, languages, planned)
    stop_on_errors(problems, warnings)
    return authored


def machine_units(units: list[Unit], base: TermBase, lang: str, authored: dict[str, Authored]) -> list[Unit]:
    """The glossary units (English sentences) that ``lang`` still needs from a machine: those of unauthored texts."""
    needed = {
        sentence
        for term in base.terms
        for field in FIELDS
        if authored_text(term, field, lang, authored) is None
        for sentence in split_sentences(getattr(term, field))
    }
    return [unit for unit in units if unit.text in needed]


def authored_text(term: Term, field: str, lang: str, authored: dict[str, Authored] | None) -> str | None:
    """The hand-written ``definition`` or ``annotation`` of ``term`` in ``lang``: this module's file, else the term base's."""
    entry = (authored or {}).get(term.id)
    if entry is not None and entry.text(field):
        return entry.text(field)
    rendering = term.renderings.get(lang)
    return getattr(rendering, field, None) or None


def _load_language(path: Path, lang: str, base: TermBase, problems: list[Diagnostic]) -> dict[str, Authored]:
    """One language's file: its valid entries; each problem (and each term it lacks) among ``problems``."""
    try:
        document = read_yaml(path, f"create {path.name}")
    except PressError as error:
        problems.append(_problem(ERROR, path, error.line, error.message, error.fix))
        return {}
    if document is None:
        problems.append(_missing_file(path, lang, base, "is empty"))
        return {}
    if not isinstance(document.value, dict):
        error = wrong_type(document, path, "the file", "a mapping of term ids", _ENTRY_FIX)
        problems.append(_problem(ERROR, path, error.line, error.message, error.fix))
        return {}
    entries: dict[str, Authored] = {}
    for key, node in document.value.items():
        entry = _entry(path, lang, document.keys[key], node, base, problems)
        if entry is not None:
            entries[entry.term_id] = entry
    problems += _missing_terms(path, lang, base, document)
    return entries


def _entry(path: Path, lang: str, key: Node, node: Node, base: TermBase, problems: list[Diagnostic]) -> Authored | None:
    """One ``term-id: {definition, annotation}`` entry, checked; None when it cannot be used."""
    if not isinstance(key.value, str) or base.by_id(key.value) is None:
        ids = ", ".join(t.id for t in base.terms)
        fix = f"use a term id of {base.path}: {one_line(ids)}"
        problems.append(_problem(ERROR, path, key.line, f"unknown term id {shown(key.source)}", fix))
        return None
    prefix = f"term {shown(key.value)}: "
    try:
        fields = mapping_of(node, path, f"{prefix}the entry", _ENTRY_FIX)
    except PressError as error:
        problems.append(_problem(ERROR, path, error.line, error.message, error.fix))
        return None
    texts: dict[str, str] = {}
    for name, value in fields.items():
        if name not in FIELDS:
            message = f"{prefix}unknown field {shown(node.keys[name].source)}"
            problems.append(_problem(ERROR, path, node.keys[name].line, message, "use definition and annotation"))
            continue
        text = _text(path, value, f"{prefix}the {name}", problems)
        if text is not None:
            texts[name] = text
            problems += _sentence_count(path, lang, value.line, prefix, name, text)
    for name in FIELDS:
        if name not in fields:
            message = f"{prefix}no {name} in {lang}; the machine translation is shown"
            problems.append(_problem(WARNING, path, key.line, message, f"add {name}: … to the entry"))
    return Authored(key.value, lang, path, key.line, texts.get("definition"), texts.get("annotation"))


def _text(path: Path, node: Node, what: str, problems: list[Diagnostic]) -> str | None:
    """A field's text on one line; a value that is no text, or blank, is an error."""
    try:
        return " ".join(text_of(node, path, what, "write the text after the colon").split())
    except PressError as error:
        problems.append(_problem(ERROR, path, error.line, error.message, error.fix))
        return None


def _sentence_count(path: Path, lang: str, line: int, prefix: str, field: str, text: str) -> list[Diagnostic]:
    low, high = _SENTENCES[field]
    count = len(split_sentences(text, lang))
    if low <= count <= high:
        return []
    wanted = "one sentence" if low == high else f"{low} to {high} sentences"
    fix = "shorten it; the rest goes in the annotation" if field == "definition" else "rewrite it"
    return [_problem(WARNING, path, line, f"{prefix}the {field} has {count} sentence(s), not {wanted}", fix)]


def _missing_terms(path: Path, lang: str, base: TermBase, document: Node) -> list[Diagnostic]:
    """A warning for each term of the base that the file does not hold (a broken entry is already an error)."""
    present = {key for key in document.value if isinstance(key, str)}
    return [
        _problem(
            WARNING,
            path,
            document.line,
            f"term {shown(term.id)} has no authored text in {lang}; the machine translation is shown",
            f"add {term.id}: {{definition: …, annotation: …}}",
        )
        for term in base.terms
        if term.id not in present
    ]


def _missing_file(path: Path, lang: str, base: TermBase, why: str = "does not exist") -> Diagnostic:
    return _problem(
        WARNING,
        path,
        None,
        f"{path.name} {why}: no term has an authored text in {lang}; the machine translation is shown",
        f"write {path} with TERM-ID: {{definition: …, annotation: …}} for the {len(base.terms)} terms",
    )


def _stray_files(folder: Path, languages: tuple[str, ...]) -> list[Diagnostic]:
    """A warning for each ``*.yml`` in the folder that is no edition language: nothing reads it."""
    if not folder.is_dir():
        return []
    return [
        _problem(
            WARNING,
            path,
            None,
            f"{shown(path.stem)} is not an edition language, so nothing reads {path.name}",
            f"name it after one of {', '.join(languages)}, or add the language to editions.yml",
        )
        for path in sorted(folder.glob("*.yml"))
        if path.stem not in languages
    ]


def _problem(severity: str, path: Path, line: int | None, message: str, fix: str) -> Diagnostic:
    """A diagnostic of an authored definitions file."""
    return Diagnostic(path, line, severity, KIND, message, fix)
