"""The term base, ``glossary/terms.yml``: load it with line numbers and validate it.

Validation collects every problem rather than stopping at the first, each
with the file, the line and the entry, so one run of ``press glossary check``
shows all there is to fix. Errors make the term base unusable; warnings are
things a careful editor fixes (``--strict`` makes them errors too).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from tools.errors import PressError

TERMS_FILE = Path("glossary") / "terms.yml"
_TERM_KEYS = {"id", "term", "forms", "definition", "annotation", "see", "sources", "renderings"}
_REQUIRED = ("id", "term", "definition", "annotation")
_RENDERING_KEYS = {"term", "forms", "definition", "annotation"}
_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_SENTENCE_END = re.compile(r"[.!?…](?=\s+[\"“„«(]?[A-ZА-ЯЁЄІЇҐ0-9]|\s*$)")


@dataclass(frozen=True)
class Rendering:
    """A term in one language: its headword, its inflected forms, and optionally its own texts."""

    lang: str
    term: str
    forms: tuple[str, ...] = ()
    definition: str | None = None
    annotation: str | None = None

    @property
    def all_forms(self) -> tuple[str, ...]:
        """The headword and every form, as the detector looks for them."""
        return (self.term, *self.forms)


@dataclass(frozen=True)
class Term:
    """One entry of the term base; ``line`` is where it starts in the file."""

    id: str
    term: str
    definition: str
    annotation: str
    line: int
    forms: tuple[str, ...] = ()
    see: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    renderings: dict[str, Rendering] = field(default_factory=dict)

    def rendering(self, lang: str, source_language: str = "en") -> Rendering:
        """The term in ``lang``; the source language's rendering is the entry itself."""
        if lang == source_language:
            return Rendering(lang, self.term, self.forms, self.definition, self.annotation)
        return self.renderings[lang]


@dataclass(frozen=True)
class LeftOut:
    """A phrase the seeds set in «» that is on purpose not a term."""

    phrase: str
    why: str


@dataclass(frozen=True)
class Name:
    """A proper name engines must not translate (Apertium turns Trump into Triunfo), and its spelling per language."""

    name: str
    spellings: dict[str, str] = field(default_factory=dict)

    def spelling(self, lang: str) -> str:
        """The name as written in ``lang``: its own spelling there, or as it is."""
        return self.spellings.get(lang, self.name)


@dataclass(frozen=True)
class Problem:
    """A validation finding: ``error`` or ``warning``, where, what and how to fix it."""

    severity: str
    path: Path
    line: int | None
    message: str
    fix: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else str(self.path)
        return f"{self.severity}: {where}: {self.message}; fix: {self.fix}"


@dataclass(frozen=True)
class TermBase:
    """The whole term base, as loaded."""

    path: Path
    terms: tuple[Term, ...]
    left_out: tuple[LeftOut, ...] = ()
    names: tuple[Name, ...] = ()

    def by_id(self, term_id: str) -> Term | None:
        """The term with this id, or None."""
        return next((t for t in self.terms if t.id == term_id), None)


class _LineLoader(yaml.SafeLoader):
    """A YAML loader that records the line of every mapping and refuses duplicate keys."""


def _mapping_with_lines(loader: _LineLoader, node: yaml.MappingNode) -> dict:
    seen: dict = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node)
        if key in seen:
            raise PressError(None, key_node.start_mark.line + 1, f"duplicate key '{key}'", "keep one of the two")
        seen[key] = key_node.start_mark.line + 1
    mapping = loader.construct_mapping(node, deep=True)
    mapping["__line__"] = node.start_mark.line + 1
    mapping["__lines__"] = seen
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping_with_lines)


def load_termbase(path: Path) -> tuple[TermBase, list[Problem]]:
    """Read and check the term base; raises PressError only when it cannot be read at all."""
    raw = _read_yaml(path)
    problems: list[Problem] = [
        Problem(
            "error",
            path,
            raw["__lines__"][key],
            f"unknown top-level key '{key}'",
            "use 'terms', 'names' and 'left_out'",
        )
        for key in sorted(set(raw["__lines__"]) - {"terms", "left_out", "names"})
    ]
    terms = []
    for entry in raw.get("terms") or []:
        term = _term(entry, path, problems)
        if term:
            terms.append(term)
    left_out = [LeftOut(str(e.get("phrase", "")), str(e.get("why", ""))) for e in raw.get("left_out") or []]
    names = [_name(entry, path, problems) for entry in raw.get("names") or []]
    base = TermBase(path, tuple(terms), tuple(left_out), tuple(n for n in names if n))
    problems += _check_references(base) + _check_duplicates(base)
    return base, problems


def check_languages(base: TermBase, languages: tuple[str, ...]) -> list[Problem]:
    """Every term needs a rendering in every configured language; texts of its own are optional."""
    problems = []
    for term in base.terms:
        for lang in languages:
            if lang not in term.renderings:
                problems.append(
                    Problem(
                        "error",
                        base.path,
                        term.line,
                        f"term '{term.id}' has no rendering for '{lang}'",
                        f"add renderings: {{{lang}: {{term: …}}}} (editions.yml lists {lang})",
                    )
                )
    return problems


def _read_yaml(path: Path) -> dict:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise PressError(
            path, None, f"cannot read the term base: {exc.strerror}", "create glossary/terms.yml"
        ) from None
    try:
        data = yaml.load(text, Loader=_LineLoader)  # a SafeLoader subclass: safe
    except PressError as exc:
        raise PressError(path, exc.line, exc.message, exc.fix) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else None
        raise PressError(path, line, f"not valid YAML: {getattr(exc, 'problem', exc)}", "fix the syntax") from None
    if not isinstance(data, dict) or not isinstance(data.get("terms"), list):
        raise PressError(path, 1, "no 'terms:' list", "write the terms as a list under 'terms:'")
    return data


def _term(entry: object, path: Path, problems: list[Problem]) -> Term | None:
    if not isinstance(entry, dict):
        problems.append(Problem("error", path, None, "a term that is not a mapping", "write 'id: …, term: …'"))
        return None
    line, lines = entry["__line__"], entry["__lines__"]
    name = entry.get("id") or entry.get("term") or "?"

    def report(severity: str, key: str | None, message: str, fix: str) -> None:
        problems.append(Problem(severity, path, lines.get(key, line), f"term '{name}': {message}", fix))

    for key in sorted(set(lines) - _TERM_KEYS):
        report("error", key, f"unknown field '{key}'", f"use only {', '.join(sorted(_TERM_KEYS))}")
    missing = [key for key in _REQUIRED if not str(entry.get(key) or "").strip()]
    for key in missing:
        report("error", None, f"missing field '{key}'", f"add '{key}: …' to the entry")
    if missing:
        return None
    if not _ID.match(str(entry["id"])):
        report("error", "id", f"bad id '{entry['id']}'", "use lower-case letters, digits and hyphens")
    _check_texts(entry, report)
    return Term(
        id=str(entry["id"]),
        term=str(entry["term"]).strip(),
        definition=" ".join(str(entry["definition"]).split()),
        annotation=" ".join(str(entry["annotation"]).split()),
        line=line,
        forms=_strings(entry.get("forms")),
        see=_strings(entry.get("see")),
        sources=_strings(entry.get("sources")),
        renderings=_renderings(entry.get("renderings") or {}, report),
    )


def _name(entry: object, path: Path, problems: list[Problem]) -> Name | None:
    if isinstance(entry, str):
        return Name(entry)
    if isinstance(entry, dict) and entry.get("name"):
        spellings = {k: str(v) for k, v in entry.items() if k not in ("name", "__line__", "__lines__")}
        return Name(str(entry["name"]), spellings)
    line = entry.get("__line__") if isinstance(entry, dict) else None
    problems.append(
        Problem(
            "error",
            path,
            line,
            "a name without 'name:'",
            "write '- Donald Trump' or '- {name: Donald Trump, uk: Дональд Трамп}'",
        )
    )
    return None


def _check_texts(entry: dict, report) -> None:
    if count_sentences(str(entry["definition"])) != 1:
        report(
            "warning",
            "definition",
            "the definition should be one sentence",
            "shorten it; the rest goes in the annotation",
        )
    sentences = count_sentences(str(entry["annotation"]))
    if not 2 <= sentences <= 5:
        report("warning", "annotation", f"the annotation has {sentences} sentence(s), not 2 to 5", "rewrite it")


def _renderings(raw: dict, report) -> dict[str, Rendering]:
    renderings = {}
    for lang, value in raw.items():
        if lang.startswith("__"):
            continue
        if not isinstance(value, dict) or not str(value.get("term") or "").strip():
            report("error", "renderings", f"the '{lang}' rendering has no term", f"write {lang}: {{term: …}}")
            continue
        for key in sorted(set(value) - _RENDERING_KEYS - {"__line__", "__lines__"}):
            report(
                "error",
                "renderings",
                f"unknown field '{key}' in the '{lang}' rendering",
                "use term, forms, definition, annotation",
            )
        renderings[lang] = Rendering(
            lang,
            str(value["term"]).strip(),
            _strings(value.get("forms")),
            _text(value.get("definition")),
            _text(value.get("annotation")),
        )
    return renderings


def _check_references(base: TermBase) -> list[Problem]:
    ids = {t.id for t in base.terms}
    return [
        Problem(
            "error",
            base.path,
            term.line,
            f"term '{term.id}' refers to unknown term '{ref}'",
            f"use one of the ids, or add '{ref}'",
        )
        for term in base.terms
        for ref in term.see
        if ref not in ids
    ]


def _check_duplicates(base: TermBase) -> list[Problem]:
    problems = []
    seen_ids: dict[str, Term] = {}
    seen_forms: dict[str, Term] = {}
    for term in base.terms:
        if term.id in seen_ids:
            problems.append(
                Problem(
                    "error",
                    base.path,
                    term.line,
                    f"duplicate term id '{term.id}' (first on line {seen_ids[term.id].line})",
                    "merge the two entries",
                )
            )
        seen_ids.setdefault(term.id, term)
        for form in (term.term, *term.forms):
            key = form.casefold()
            other = seen_forms.get(key)
            if other and other.id != term.id:
                problems.append(
                    Problem(
                        "error",
                        base.path,
                        term.line,
                        f"'{form}' is a form of both '{other.id}' and '{term.id}'",
                        "keep it in one entry",
                    )
                )
            seen_forms.setdefault(key, term)
    return problems


def count_sentences(text: str) -> int:
    """Sentences in a short text: ends of sentences followed by a capital or the end."""
    return len(_SENTENCE_END.findall(" ".join(text.split())))


def _strings(value: object) -> tuple[str, ...]:
    if value is None:
        return ()
    items = value if isinstance(value, list) else [value]
    return tuple(str(item).strip() for item in items if str(item).strip())


def _text(value: object) -> str | None:
    return " ".join(str(value).split()) if value else None
