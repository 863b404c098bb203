"""XLIFF 1.2 for translators' CAT tools (OmegaT, memoQ, Trados, Poedit): export memories, import the work.

``press memory export`` writes a language's memories as one XLIFF file: each
memory is a ``<file original="translations/es/x.po">``, each live entry a
``<trans-unit>`` whose ``id`` and ``resname`` are a hash of its sentence. The
sentence is the ``<source>``, the translation the ``<target>``: state
``needs-review-translation`` while fuzzy, ``final`` (and ``approved="yes"``)
once a person reviewed it. Provenance goes into ``<note from="press">``, the
engine's output into ``<alt-trans>``, where the sentence occurs into a location
context group.

``press memory import`` finds each unit's entry by its ``id``. It refuses, in
one line and before writing anything, a file that is not well-formed XML or
declares a DTD or entities, a ``<file>`` that names no memory of its target
language, a unit whose entry is gone or whose source is no longer the memory's
sentence (the article changed since the export), and inline markup it would
lose, a file larger than ``MAX_XLIFF`` bytes (before parsing it) and a target
longer than a memory may hold (``MAX_TRANSLATION`` characters). A unit in a
reviewed state (``translated``, ``signed-off``, ``final``, or
``approved="yes"``) clears ``fuzzy`` and records the reviewer; a target edited
in another state is written and stays fuzzy. An empty or blank target changes
nothing (a CAT tool writes ``<target state="new"/>`` for a segment no one
touched): it is counted and reported. Before an import replaces or takes back
a reviewed translation, the memory as it was goes to ``FILE.po~``.
"""

from __future__ import annotations

import hashlib
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser

from tools import __version__
from tools.diagnostics import shown
from tools.errors import PressError
from tools.languages import CODES
from tools.memory.entries import Memory, Review
from tools.memory.files import locked
from tools.memory.provenance import MACHINE, OUTPUT
from tools.memory.syntax import MAX_TRANSLATION

XLIFF = "urn:oasis:names:tc:xliff:document:1.2"
_NAMESPACES = (XLIFF, "urn:oasis:names:tc:xliff:document:1.1")
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_REVIEWED_STATES = ("translated", "signed-off", "final")
_ORIGINAL = re.compile(r"translations/(?P<lang>[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]+)*)/(?P<name>[A-Za-z0-9][\w.-]*\.po)")
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0d\x0e-\x1f\ufffe\uffff]")  # XML 1.0 forbids them; it reads \r as \n
_AGAIN = "export again (press memory export) and redo the work on the new file"
MAX_XLIFF = 64 * 1024**2  # bytes: an export of some 50,000 segments; more is refused before parsing


@dataclass(frozen=True)
class Unit:
    """One ``<trans-unit>`` as read back: its entry's id, the texts, whether a person marked it reviewed."""

    id: str
    source: str
    target: str | None
    reviewed: bool
    line: int


@dataclass
class File:
    """One ``<file>``: the memory it names and its units."""

    original: str
    lang: str
    line: int
    units: list[Unit] = field(default_factory=list)


@dataclass
class Imported:
    """What an import did to one memory."""

    path: Path
    reviewed: int = 0
    edited: int = 0  # changed but still needing review
    unchanged: int = 0
    blank: int = 0  # empty or blank targets, left as the memory had them
    replaced: int = 0  # reviewed translations changed or taken back to review
    backup: Path | None = None  # where the memory as it was went, when ``replaced``


def unit_id(text: str) -> str:
    """The trans-unit id of a sentence: stable while the sentence is, and a valid XML name."""
    return "s" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


# --- export ---------------------------------------------------------------------------------


def export_xliff(memories: list[Memory], root: Path, source_lang: str) -> str:
    """The memories as one XLIFF 1.2 document."""
    ET.register_namespace("", XLIFF)
    document = ET.Element(_q("xliff"), {"version": "1.2"})
    for memory in memories:
        original = memory.path.resolve().relative_to(root.resolve()).as_posix()
        attributes = {
            "original": original,
            "datatype": "po",
            "source-language": source_lang,
            "target-language": memory.lang,
        }
        file = ET.SubElement(document, _q("file"), attributes)
        header = ET.SubElement(file, _q("header"))
        ET.SubElement(header, _q("tool"), {"tool-id": "press", "tool-name": "press", "tool-version": __version__})
        body = ET.SubElement(file, _q("body"))
        for row in memory.entries():
            entry = memory.get(row.source)
            if _NOT_XML.search(row.source + row.translation):
                message = f"entry {row.number} holds a control character XLIFF cannot carry"
                raise PressError(memory.path, entry.linenum or None, message, "remove it in Poedit or a text editor")
            _trans_unit(body, row, entry.comment, entry.occurrences, source_lang, memory.lang)
    ET.indent(document, "  ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(document, encoding="unicode") + "\n"


def _trans_unit(body: ET.Element, row: Review, comment: str, occurrences: list, source: str, target: str) -> None:
    ident = unit_id(row.source)
    attributes = {"id": ident, "resname": ident, _XML_SPACE: "preserve", "approved": "no" if row.fuzzy else "yes"}
    unit = ET.SubElement(body, _q("trans-unit"), attributes)
    ET.SubElement(unit, _q("source"), {"xml:lang": source}).text = row.source
    if row.translation:
        state = "needs-review-translation" if row.fuzzy else "final"
        ET.SubElement(unit, _q("target"), {"xml:lang": target, "state": state}).text = row.translation
    if row.machine is not None:
        engine = next((line[len(MACHINE) :] for line in comment.split("\n") if line.startswith(MACHINE)), "")
        alternative = ET.SubElement(unit, _q("alt-trans"), {"origin": engine or "machine translation"})
        ET.SubElement(alternative, _q("target"), {"xml:lang": target}).text = row.machine
    for line in comment.split("\n"):
        if line and not line.startswith(OUTPUT):
            ET.SubElement(unit, _q("note"), {"from": "press"}).text = line
    for name, number in occurrences:
        group = ET.SubElement(unit, _q("context-group"), {"name": f"{name}:{number}", "purpose": "location"})
        ET.SubElement(group, _q("context"), {"context-type": "sourcefile"}).text = name
        if number:
            ET.SubElement(group, _q("context"), {"context-type": "linenumber"}).text = number


def _q(tag: str) -> str:
    return f"{{{XLIFF}}}{tag}"


# --- reading --------------------------------------------------------------------------------


class _Builder(ET.TreeBuilder):
    """A tree builder that remembers the line each element starts on."""

    def __init__(self) -> None:
        super().__init__()
        self.parser: DefusedXMLParser | None = None
        self.lines: dict[int, int] = {}

    def start(self, tag: str, attrs: dict[str, str]) -> ET.Element:
        element = super().start(tag, attrs)
        self.lines[id(element)] = self.parser.parser.CurrentLineNumber if self.parser else 0
        return element


def read_xliff(data: bytes, path: Path) -> list[File]:
    """The files and units of an XLIFF 1.2 (or 1.1) document; anything else is a one-line error."""
    builder = _Builder()
    parser = DefusedXMLParser(target=builder, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    builder.parser = parser
    try:
        parser.feed(data)
        root = parser.close()
    except ET.ParseError as exc:
        line = exc.position[0] if exc.position else None
        raise PressError(path, line, f"not well-formed XML: {str(exc).split(':')[0]}", _AGAIN) from None
    except DefusedXmlException as exc:
        raise PressError(path, None, f"refused: {type(exc).__name__} (an XLIFF file needs no DTD)", _AGAIN) from None
    namespace = root.tag[1:].split("}")[0] if root.tag.startswith("{") else ""
    if namespace not in _NAMESPACES or root.tag != f"{{{namespace}}}xliff":
        raise PressError(path, 1, f"not XLIFF 1.2: the root element is {root.tag!r}", _AGAIN)
    return [_read_file(element, namespace, builder.lines, path) for element in root.iter(f"{{{namespace}}}file")]


def _read_file(element: ET.Element, ns: str, lines: dict[int, int], path: Path) -> File:
    line = lines.get(id(element), 0)
    original, lang = element.get("original", ""), element.get("target-language", "")
    file = File(original, lang, line)
    for unit in element.iter(f"{{{ns}}}trans-unit"):
        file.units.append(_read_unit(unit, ns, lines.get(id(unit), line), path))
    return file


def _read_unit(unit: ET.Element, ns: str, line: int, path: Path) -> Unit:
    ident = unit.get("id", "")
    source, target = unit.find(f"{{{ns}}}source"), unit.find(f"{{{ns}}}target")
    if source is None:
        raise PressError(path, line, f"trans-unit {ident!r} has no <source>", _AGAIN)
    state = target.get("state", "") if target is not None else ""
    reviewed = unit.get("approved") == "yes" or state in _REVIEWED_STATES
    text = None if target is None else _text(target, ns, line, path)
    if text is not None and len(text) > MAX_TRANSLATION:
        message = f"trans-unit {ident!r}: a target of {len(text):,} characters, more than a translation may have"
        raise PressError(
            path, line, f"{message} ({MAX_TRANSLATION:,})", "shorten it in the CAT tool, then export again"
        )
    return Unit(ident, _text(source, ns, line, path), text, reviewed and bool(text), line)


def _text(element: ET.Element, ns: str, line: int, path: Path) -> str:
    """The element's text; ``<mrk>`` (segment marks) flattened, any other inline markup refused."""
    for child in element.iter():
        if child is not element and child.tag != f"{{{ns}}}mrk":
            tag = child.tag.split("}")[-1]
            raise PressError(
                path, line, f"inline markup <{tag}> in a segment would be lost", "remove it in the CAT tool"
            )
    return "".join(element.itertext())


# --- import ---------------------------------------------------------------------------------


def import_xliff(path: Path, root: Path, by: str | None) -> list[Imported]:
    """Write a CAT tool's work back into the memories it came from; nothing is written if any unit is refused."""
    data = _read_limited(path)
    files = read_xliff(data, path)
    if not files:
        raise PressError(path, None, "no <file> in it", _AGAIN)
    targets = [(file, _memory_path(file, root, path)) for file in files]
    for file, memory_path in targets:
        _apply(file, Memory.load(memory_path, file.lang, ""), by, path)  # a dry run: refuse before writing
    done = []
    for file, memory_path in targets:
        with locked(memory_path):
            memory = Memory.load(memory_path, file.lang, "")
            imported = _apply(file, memory, by, path)
            if imported.replaced:
                imported.backup = memory.back_up()
            memory.save()
            done.append(imported)
    return done


def _read_limited(path: Path) -> bytes:
    """The file's bytes, or one line when it is larger than ``MAX_XLIFF`` (checked before reading it)."""
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_XLIFF + 1)
    except OSError as exc:
        raise PressError(path, None, f"cannot read: {exc.strerror}", "check the path") from None
    if len(data) > MAX_XLIFF:
        message = f"larger than {MAX_XLIFF // 1024**2} MiB, more than an import takes"
        raise PressError(
            path, None, message, "export and import fewer memories at a time (press memory export LANG ARTICLE)"
        )
    return data


def _memory_path(file: File, root: Path, path: Path) -> Path:
    """The memory a ``<file>`` names: ``translations/<lang>/<name>.po`` of its target language, existing."""
    match = _ORIGINAL.fullmatch(file.original)
    if file.lang not in CODES:
        message = f"<file original={shown(file.original)}> is in target-language {shown(file.lang)}, which has no entry"
        raise PressError(path, file.line, f"{message} in tools/languages", f"use one of {', '.join(CODES)}")
    if match is None or match["lang"] != file.lang:
        message = f"<file original={file.original!r}> names no memory of target-language {file.lang!r}"
        raise PressError(path, file.line, message, _AGAIN)
    memory = root / file.original
    if not memory.is_file():
        raise PressError(path, file.line, f"{file.original} does not exist (here: {root})", "run it in the project")
    return memory


def _apply(file: File, memory: Memory, by: str | None, path: Path) -> Imported:
    result = Imported(memory.path)
    rows = {unit_id(row.source): row for row in memory.entries()}
    for unit in file.units:
        row = rows.get(unit.id)
        if row is None or row.source != unit.source:
            message = f"trans-unit {unit.id!r}: its source is no longer a sentence of {file.original}"
            raise PressError(path, unit.line, message + " (the article changed since the export)", _AGAIN)
        if unit.target is not None and not unit.target.strip():
            result.blank += 1  # an empty segment is no translation: never one that erases the memory's
            continue
        target = row.translation if unit.target is None else unit.target
        if target == row.translation and not (unit.reviewed and row.fuzzy):
            result.unchanged += 1  # as exported (an import never takes a review back)
            continue
        reviewer = (by or memory.last_translator()) if unit.reviewed else ""
        if unit.reviewed and not reviewer:
            fix = "pass --by 'Name <email>' (or set Last-Translator in the memory's header)"
            raise PressError(path, unit.line, f"trans-unit {unit.id!r} is reviewed, but by whom?", fix)
        if memory.set_translation(row.source, target, unit.reviewed, reviewer):
            result.reviewed += unit.reviewed
            result.edited += not unit.reviewed
            result.replaced += not row.fuzzy and bool(row.translation.strip())
        else:
            result.unchanged += 1
    return result
