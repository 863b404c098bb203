"""The term base, ``glossary/terms.yml``: load it with line numbers and validate it.

Validation collects every problem rather than stopping at the first, each a
:class:`~tools.diagnostics.Diagnostic` (kind ``termbase``) with the file, the
line and the entry, so one run of ``press glossary check`` shows all there is
to fix. Errors make the term base unusable; warnings are
things a careful editor fixes (``--strict`` makes them errors too). A term or
form of one letter, or made only of its language's function words (``the``,
``of``, ``de la``: :func:`tools.languages.function_words`), is an error at its
line: the detector finds it in nearly every sentence, and every translation
would lock it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TypeVar

from tools.diagnostics import ERROR, WARNING, Diagnostic, one_line, shown
from tools.errors import PressError
from tools.languages import CODES, function_words, language
from tools.segment import split_sentences
from tools.yamlsource import Key, Node, list_of, mapping_of, read_yaml, text_of, texts_of, wrong_type

_TERM_KEYS = {"id", "term", "forms", "plural", "definition", "annotation", "see", "sources", "renderings"}
_REQUIRED = ("id", "term", "definition", "annotation")
_RENDERING_KEYS = ("term", "forms", "gender", "number", "plural", "cases", "definition", "annotation")
_NUMBERS = ("sg", "pl")
_TOP_KEYS = ("terms", "names", "left_out")
_TOP_FIX = "'terms', 'names' and 'left_out'"
_TERM_FIX = "write '- id: …' with term:, definition:, annotation: and renderings:"
_FIELDS_FIX = f"use only {', '.join(sorted(_TERM_KEYS))}"
_RENDERINGS_FIX = "write renderings: {uk: {term: …}}, one entry per language"
_NAME_FIX = "write '- Donald Trump' or '- {name: Donald Trump, uk: Дональд Трамп}'"
_NAME_LANGUAGE_FIX = "write uk: Трамп, or uk: {name: Трамп, cases: {gen: Трампа, …}}"
_LEFT_OUT_FIX = "write '- {phrase: …, why: …}'"
T = TypeVar("T")
_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass(frozen=True)
class Rendering:
    """A term in one language: its headword, its grammar, its inflected forms, and optionally its own texts.

    ``gender`` (m, f, n) and ``number`` (sg, pl: the headword's) let determiners agree with it;
    ``cases`` maps a case (gen, dat, acc, ins, loc; for de also nom) to the form in the headword's
    number, ``plural_cases`` the plural's (``plural`` is the plural's headword). German case forms
    are those after a definite article (der große Knüppel, des großen Knüppels).
    """

    lang: str
    term: str
    forms: tuple[str, ...] = ()
    definition: str | None = None
    annotation: str | None = None
    gender: str | None = None
    number: str = "sg"
    plural: str | None = None
    cases: dict[str, str] = field(default_factory=dict)
    plural_cases: dict[str, str] = field(default_factory=dict)
    line: int = field(default=0, compare=False)  # where it is written, for messages

    @property
    def all_forms(self) -> tuple[str, ...]:
        """The headword and every form, as the detector looks for them."""
        inflected = (*self.cases.values(), *((self.plural,) if self.plural else ()), *self.plural_cases.values())
        return tuple(dict.fromkeys((self.term, *self.forms, *inflected)))


@dataclass(frozen=True)
class Term:
    """One entry of the term base; ``line`` is where it starts in the file."""

    id: str
    term: str
    definition: str
    annotation: str
    line: int
    forms: tuple[str, ...] = ()
    plural: tuple[str, ...] = ()  # the forms that are the plural of a singular headword (shadow fleets)
    see: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    renderings: dict[str, Rendering] = field(default_factory=dict)

    def rendering(self, lang: str, source_language: str = "en") -> Rendering:
        """The term in ``lang``; the source language's rendering is the entry itself."""
        if lang == source_language:
            return Rendering(lang, self.term, (*self.forms, *self.plural), self.definition, self.annotation)
        return self.renderings[lang]


@dataclass(frozen=True)
class LeftOut:
    """A phrase the seeds set in «» that is on purpose not a term."""

    phrase: str
    why: str


@dataclass(frozen=True)
class Name:
    """A proper name engines must not translate (Apertium turns Trump into Triunfo): its spelling and cases per language."""

    name: str
    spellings: dict[str, str] = field(default_factory=dict)
    cases: dict[str, dict[str, str]] = field(default_factory=dict)  # lang → case → form (Трампа)

    def spelling(self, lang: str) -> str:
        """The name as written in ``lang``: its own spelling there, or as it is."""
        return self.spellings.get(lang, self.name)


KIND = "termbase"  # the kind of the term base's diagnostics


def stop_on_errors(problems: list[Diagnostic], warnings: list[Diagnostic]) -> None:
    """For the build: the first error as one PressError line (naming how many more); warnings go to ``warnings``."""
    errors = [p for p in problems if p.severity == ERROR]
    if errors:
        more = f" (and {len(errors) - 1} more: run press glossary check)" if len(errors) > 1 else ""
        raise PressError.of(replace(errors[0], message=errors[0].message + more))
    warnings += problems


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


def load_termbase(path: Path, source_language: str = "en") -> tuple[TermBase, list[Diagnostic]]:
    """Read and check the term base (its headwords and forms are in ``source_language``); raises PressError only
    when it cannot be read at all."""
    document = _read_document(path)
    fields = document.value
    problems: list[Diagnostic] = [
        _problem(ERROR, path, node.line, f"unknown top-level key {shown(node.source)}", f"use {_TOP_FIX}")
        for key, node in document.keys.items()
        if key not in _TOP_KEYS
    ]
    terms = [_term(node, path, problems, source_language) for node in fields["terms"].value]
    left_out = _entries(fields.get("left_out"), path, problems, "left_out", _left_out)
    names = _entries(fields.get("names"), path, problems, "names", _name)
    base = TermBase(path, tuple(t for t in terms if t), left_out, names)
    problems += _check_references(base) + _check_duplicates(base)
    return base, problems


def check_languages(base: TermBase, languages: tuple[str, ...]) -> list[Diagnostic]:
    """Every term needs a rendering in every configured language, with its grammar; texts of its own are optional."""
    problems = []
    for term in base.terms:
        for lang in languages:
            if lang in term.renderings:
                problems += _grammar_gaps(base.path, term, term.renderings[lang])
                continue
            problems.append(
                _problem(
                    ERROR,
                    base.path,
                    term.line,
                    f"term {shown(term.id)} has no rendering for {shown(lang)}",
                    f"add renderings: {{{one_line(lang)}: {{term: …}}}} (editions.yml lists {one_line(lang)})",
                )
            )
    return problems


def _grammar_gaps(path: Path, term: Term, rendering: Rendering) -> list[Diagnostic]:
    """Warnings for what agreement will miss: a gender, case forms, the plural the English has."""
    lang, gaps = rendering.lang, []
    grammar = language(lang).grammar
    if grammar.genders and rendering.gender is None:
        gaps.append(("no gender", f"add gender: ({', '.join(grammar.genders)})"))
    needed = grammar.cases[1:]
    missing = [case for case in needed if case not in rendering.cases]
    if missing:
        gaps.append((f"no {', '.join(missing)} form", "add cases: {" + ", ".join(f"{c}: …" for c in missing) + "}"))
    if term.plural and rendering.number == "sg":
        missing = [case for case in needed if case not in rendering.plural_cases]
        if rendering.plural is None:
            gaps.append((f"no plural (the English has {shown(term.plural[0])})", "add plural: …"))
        elif missing:
            gaps.append((f"no plural {', '.join(missing)} form", "write plural: {nom: …, " + f"{missing[0]}: …}}"))
    where = f"term {shown(term.id)}: the {shown(lang)} rendering has "
    return [_problem(WARNING, path, rendering.line or term.line, where + gap, fix) for gap, fix in gaps]


def _problem(severity: str, path: Path, line: int | None, message: str, fix: str) -> Diagnostic:
    return Diagnostic(path, line, severity, KIND, message, fix)


def _read_document(path: Path) -> Node:
    """The file's top-level mapping, which must hold a ``terms:`` list."""
    document = read_yaml(path, "create glossary/terms.yml")
    fix = "write the terms as a list under 'terms:'"
    if document is None or not isinstance(document.value, dict) or "terms" not in document.value:
        raise PressError(path, document.line if document else 1, "no 'terms:' list", fix)
    list_of(document.value["terms"], path, "terms", fix)
    return document


def _checked(problems: list[Diagnostic], prefix: str, read: Callable[[], T]) -> T | None:
    """What ``read()`` returns; or None, and its PressError (after ``prefix``) among ``problems``."""
    try:
        return read()
    except PressError as error:
        problems.append(_problem(ERROR, Path(error.path or ""), error.line, prefix + error.message, error.fix))
        return None


def _entries(
    node: Node | None, path: Path, problems: list[Diagnostic], key: str, read: Callable[[Node, Path], T]
) -> tuple[T, ...]:
    """The entries of an optional top-level list, each read by ``read``; a bad one is a problem."""
    if node is None:
        return ()
    items = _checked(problems, "", lambda: list_of(node, path, key, f"write a list under '{key}:', or remove the key"))
    entries = (_checked(problems, "", lambda item=item: read(item, path)) for item in items or [])
    return tuple(entry for entry in entries if entry is not None)


def _term(node: Node, path: Path, problems: list[Diagnostic], lang: str) -> Term | None:
    fields = _checked(problems, "", lambda: mapping_of(node, path, "a term", _TERM_FIX))
    if fields is None:
        return None
    prefix = f"term {shown(_label(fields))}: "
    for key in ("term", "forms", "plural"):
        problems += _matching_everywhere(fields.get(key), lang, path, prefix)
    for key, key_node in node.keys.items():
        if key not in _TERM_KEYS:
            problems.append(
                _problem(ERROR, path, key_node.line, f"{prefix}unknown field {shown(key_node.source)}", _FIELDS_FIX)
            )
    texts = {key: _required_text(node, key, path, problems, prefix) for key in _REQUIRED}
    if None in texts.values():
        return None
    if not _ID.match(texts["id"]):
        problems.append(
            _problem(
                ERROR,
                path,
                fields["id"].line,
                f"{prefix}bad id {shown(texts['id'])}",
                "use lower-case letters, digits and hyphens",
            )
        )
    _check_texts(fields, prefix, path, problems)
    return Term(
        id=texts["id"],
        term=texts["term"].strip(),
        definition=" ".join(texts["definition"].split()),
        annotation=" ".join(texts["annotation"].split()),
        line=node.line,
        forms=_optional_texts(fields, "forms", path, problems, prefix),
        plural=_optional_texts(fields, "plural", path, problems, prefix),
        see=_optional_texts(fields, "see", path, problems, prefix),
        sources=_optional_texts(fields, "sources", path, problems, prefix),
        renderings=_renderings(fields.get("renderings"), path, problems, prefix),
    )


def _label(fields: dict[Key, Node]) -> str:
    """How a message names a term: its id, else its headword."""
    for key in ("id", "term"):
        if key in fields and isinstance(fields[key].value, str) and fields[key].value.strip():
            return fields[key].value.strip()
    return "?"


def _required_text(node: Node, key: str, path: Path, problems: list[Diagnostic], prefix: str) -> str | None:
    if key not in node.value:
        problems.append(
            _problem(ERROR, path, node.line, f"{prefix}missing field '{key}'", f"add '{key}: …' to the entry")
        )
        return None
    return _checked(problems, prefix, lambda: text_of(node.value[key], path, key, f"write {key}: …"))


def _optional_texts(
    fields: dict[Key, Node], key: str, path: Path, problems: list[Diagnostic], prefix: str
) -> tuple[str, ...]:
    if key not in fields:
        return ()
    fix = f"write {key}: [a, b], or remove the key"
    return _checked(problems, prefix, lambda: texts_of(fields[key], path, key, fix)) or ()


def _check_texts(fields: dict[Key, Node], prefix: str, path: Path, problems: list[Diagnostic]) -> None:
    definition, annotation = fields["definition"], fields["annotation"]
    if count_sentences(definition.value) != 1:
        problems.append(
            _problem(
                WARNING,
                path,
                definition.line,
                f"{prefix}the definition should be one sentence",
                "shorten it; the rest goes in the annotation",
            )
        )
    sentences = count_sentences(annotation.value)
    if not 2 <= sentences <= 5:
        problems.append(
            _problem(
                WARNING,
                path,
                annotation.line,
                f"{prefix}the annotation has {sentences} sentence(s), not 2 to 5",
                "rewrite it",
            )
        )


def _renderings(node: Node | None, path: Path, problems: list[Diagnostic], prefix: str) -> dict[str, Rendering]:
    if node is None:
        return {}
    entries = _checked(problems, prefix, lambda: mapping_of(node, path, "renderings", _RENDERINGS_FIX))
    renderings = {}
    for key, value in (entries or {}).items():
        lang = _checked(problems, prefix, lambda key=key: _language(node.keys[key], path, "a language in renderings"))
        rendering = _rendering(lang, value, path, problems, prefix) if lang else None
        if rendering:
            renderings[lang] = rendering
    return renderings


def _rendering(lang: str, node: Node, path: Path, problems: list[Diagnostic], prefix: str) -> Rendering | None:
    fix = f"write {lang}: {{term: …}}"
    fields = _checked(problems, prefix, lambda: mapping_of(node, path, f"the '{lang}' rendering", fix))
    if fields is None:
        return None
    for key, key_node in node.keys.items():
        if key not in _RENDERING_KEYS:
            message = f"{prefix}unknown field {shown(key_node.source)} in the '{lang}' rendering"
            problems.append(_problem(ERROR, path, key_node.line, message, f"use {', '.join(_RENDERING_KEYS)}"))
    if "term" not in fields:
        problems.append(_problem(ERROR, path, node.line, f"{prefix}the '{lang}' rendering has no term", fix))
        return None
    for key in ("term", "forms", "plural", "cases"):
        problems += _matching_everywhere(fields.get(key), lang, path, f"{prefix}the '{lang}' rendering: ")
    what = f"the '{lang}' rendering's"
    term = _checked(problems, prefix, lambda: text_of(fields["term"], path, f"{what} term", fix))
    texts = {
        key: _checked(problems, prefix, lambda key=key: text_of(fields[key], path, f"{what} {key}", f"write {key}: …"))
        for key in ("definition", "annotation")
        if key in fields
    }
    forms = _optional_texts(fields, "forms", path, problems, f"{prefix}the '{lang}' rendering: ")
    grammar = _checked(problems, prefix, lambda: _grammar(lang, fields, path))
    if term is None:
        return None
    definition, annotation = (_one_line(texts.get(key)) for key in ("definition", "annotation"))
    return Rendering(lang, term.strip(), forms, definition, annotation, **(grammar or {}), line=node.line)


def _grammar(lang: str, fields: dict[Key, Node], path: Path) -> dict:
    """The rendering's gender, number, plural and case forms, checked against the language's grammar."""
    what = f"the '{lang}' rendering's"
    grammar: dict = {}
    for key, allowed in (("gender", language(lang).grammar.genders), ("number", _NUMBERS)):
        if key in fields:
            grammar[key] = _choice(fields[key], path, f"{what} {key}", allowed, f"{lang} has no {key}")
    if "cases" in fields:
        grammar["cases"] = _cases(fields["cases"], lang, path, f"{what} cases")
    if "plural" in fields:
        if grammar.get("number") == "pl":
            raise PressError(
                path, fields["plural"].line, f"{what} headword is plural: it has no plural", "remove plural:"
            )
        plural = fields["plural"]
        if isinstance(plural.value, dict):
            grammar["plural_cases"] = _cases(plural, lang, path, f"{what} plural", need_nom=True)
            grammar["plural"] = grammar["plural_cases"].pop("nom")
        else:
            grammar["plural"] = text_of(
                plural, path, f"{what} plural", "write plural: … (the plural's headword)"
            ).strip()
    return grammar


def _choice(node: Node, path: Path, what: str, allowed: tuple[str, ...], none: str) -> str:
    """A value that must be one of ``allowed``."""
    if not allowed:
        raise PressError(path, node.line, f"{what}: {none}", "remove the key")
    if not isinstance(node.value, str) or node.value not in allowed:
        raise wrong_type(node, path, what, f"one of {', '.join(allowed)}", f"write one of {', '.join(allowed)}")
    return node.value


def _cases(node: Node, lang: str, path: Path, what: str, need_nom: bool = False) -> dict[str, str]:
    """A mapping of case → form; the cases must be the language's."""
    cases = language(lang).grammar.cases
    if not cases:
        raise PressError(path, node.line, f"{what}: {lang} has no case forms", "remove the case forms")
    fix = f"write {{{', '.join(f'{c}: …' for c in cases[1:3])}}} with the cases {', '.join(cases)}"
    entries = mapping_of(node, path, what, fix)
    forms = {}
    for key, value in entries.items():
        if key not in cases:
            raise PressError(path, node.keys[key].line, f"{what}: unknown case {shown(node.keys[key].source)}", fix)
        forms[key] = text_of(value, path, f"{what} {key}", fix).strip()
    if need_nom and "nom" not in forms:
        raise PressError(path, node.line, f"{what} has no nom form", "add nom: … (the plural's headword)")
    return forms


def _language(node: Node, path: Path, what: str) -> str:
    if not isinstance(node.value, str) or node.value not in CODES:
        raise wrong_type(node, path, what, "a language code", f"use one of {', '.join(CODES)}")
    return node.value


def _name(node: Node, path: Path) -> Name:
    if isinstance(node.value, str):
        return Name(text_of(node, path, "a name", _NAME_FIX).strip())
    fields = mapping_of(node, path, "a name", _NAME_FIX)
    if "name" not in fields:
        raise PressError(path, node.line, "a name without 'name:'", _NAME_FIX)
    name = text_of(fields["name"], path, "a name", _NAME_FIX).strip()
    spellings, cases = {}, {}
    for key, value in fields.items():
        if key == "name":
            continue
        lang = _language(node.keys[key], path, f"a language of the name {shown(name)}")
        what = f"the {lang} spelling of {shown(name)}"
        if isinstance(value.value, dict):
            entry = mapping_of(value, path, what, _NAME_LANGUAGE_FIX)
            for extra, key_node in value.keys.items():
                if extra not in ("name", "cases"):
                    raise PressError(
                        path, key_node.line, f"{what}: unknown field {shown(key_node.source)}", _NAME_LANGUAGE_FIX
                    )
            if "name" in entry:
                spellings[lang] = text_of(entry["name"], path, what, _NAME_LANGUAGE_FIX).strip()
            if "cases" in entry:
                cases[lang] = _cases(entry["cases"], lang, path, f"the {lang} cases of {shown(name)}")
        else:
            spellings[lang] = text_of(value, path, what, _NAME_LANGUAGE_FIX).strip()
    return Name(name, spellings, cases)


def _left_out(node: Node, path: Path) -> LeftOut:
    fields = mapping_of(node, path, "a left_out entry", _LEFT_OUT_FIX)
    for key, key_node in node.keys.items():
        if key not in ("phrase", "why"):
            raise PressError(path, key_node.line, f"unknown field {shown(key_node.source)} in left_out", _LEFT_OUT_FIX)
    for key in ("phrase", "why"):
        if key not in fields:
            raise PressError(path, node.line, f"a left_out entry without '{key}:'", _LEFT_OUT_FIX)
    phrase, why = (text_of(fields[key], path, key, _LEFT_OUT_FIX) for key in ("phrase", "why"))
    return LeftOut(phrase.strip(), " ".join(why.split()))


_PUNCTUATION = '.,;:!?"«»“”„()[]'


def _matching_everywhere(node: Node | None, lang: str, path: Path, prefix: str) -> list[Diagnostic]:
    """Errors for each text of ``node`` (a text, or a list or mapping of texts) that nearly every sentence holds:
    one letter, or only the language's function words."""
    if node is None:
        return []
    if isinstance(node.value, list | dict):
        items = node.value if isinstance(node.value, list) else list(node.value.values())
        return [problem for item in items for problem in _matching_everywhere(item, lang, path, prefix)]
    if not isinstance(node.value, str):
        return []
    text = node.value.strip()
    words = [word.strip(_PUNCTUATION) for word in text.casefold().split()]
    if sum(ch.isalnum() for ch in text) == 1:
        why = "is a single letter"
    elif words and all(word in function_words(lang) for word in words):
        kind = "a function word" if len(words) == 1 else "function words only"
        why = f"is {kind} of {shown(lang)} (articles, prepositions, conjunctions, pronouns)"
    else:
        return []
    message = f"{prefix}{shown(text)} {why}: it would match nearly every sentence and lock it in every translation"
    return [_problem(ERROR, path, node.line, message, "remove it, or write the whole phrase the term is")]


def _check_references(base: TermBase) -> list[Diagnostic]:
    ids = {t.id for t in base.terms}
    return [
        _problem(
            ERROR,
            base.path,
            term.line,
            f"term {shown(term.id)} refers to unknown term {shown(ref)}",
            f"use one of the ids, or add {shown(ref)}",
        )
        for term in base.terms
        for ref in term.see
        if ref not in ids
    ]


def _check_duplicates(base: TermBase) -> list[Diagnostic]:
    problems = []
    seen_ids: dict[str, Term] = {}
    seen_forms: dict[str, Term] = {}
    for term in base.terms:
        if term.id in seen_ids:
            problems.append(
                _problem(
                    ERROR,
                    base.path,
                    term.line,
                    f"duplicate term id {shown(term.id)} (first on line {seen_ids[term.id].line})",
                    "merge the two entries",
                )
            )
        seen_ids.setdefault(term.id, term)
        for form in (term.term, *term.forms, *term.plural):
            key = form.casefold()
            other = seen_forms.get(key)
            if other and other.id != term.id:
                problems.append(
                    _problem(
                        ERROR,
                        base.path,
                        term.line,
                        f"{shown(form)} is a form of both {shown(other.id)} and {shown(term.id)}",
                        "keep it in one entry",
                    )
                )
            seen_forms.setdefault(key, term)
    return problems


def count_sentences(text: str) -> int:
    """Sentences in a short text, as the translation stage splits them (:func:`tools.segment.split_sentences`)."""
    return len(split_sentences(" ".join(text.split())))


def _one_line(text: str | None) -> str | None:
    return " ".join(text.split()) if text else None
