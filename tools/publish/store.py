"""The one saved form of the page model: what the last build made of each article and of the glossary.

``press ebooks`` makes the books from it (:func:`read_edition`), as the build did from the same models;
and the build keeps it so that it redoes only the work whose inputs changed.

An article's page in one edition is a function of its seed, its memory in that language and the
edition's context: the toolkit's code, the language, the engine and model, the term base and the
definitions, the glossary's machine texts, the site settings. :func:`input_key` hashes them (the seed
by its sha256, the memory by its bytes); when the key is the one recorded, the build takes the
recorded page model instead of translating and rendering the article again, links the live site page
(while its bytes are the ones recorded) instead of writing it, and takes each book's key from the keys
of its articles instead of rendering the book for pandoc to hash it. An article whose seed and memory
are as recorded is not looked up in the memories either: its memory holds every sentence.

The records are JSON under ``.press/cache/`` (generated, never committed): ``<lang>.json`` per edition
and ``seeds.json`` (the seeds whose language was checked and whose template was written, each as parsed with
its file's stamp: :func:`tools.build._load_articles`). They are saved after a build succeeded and hold only
what that build had; a missing, unreadable or foreign record, or an entry under another key, means "not
known" and the work is done again: a record never makes a build guess.

An edition's record also keeps its memories as the build left them (``memories:``: per file its
sha256 and the short hashes of its reviewed sentences), so the next build can tell a memory that
lost reviewed work (cut short, emptied, deleted) and stop (:func:`tools.memory.survey.losses`). Its glossary
(``glossary:``) is the edition's glossary model without back-links, which are its articles'.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import hashlib
import importlib.metadata
import os
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import orjson

from tools.diagnostics import Diagnostic
from tools.errors import PressError
from tools.fsutil import json_bytes, relative_name, write_atomic
from tools.layout import Stamp
from tools.publish.model import (
    ArticlePage,
    EntryText,
    GlossaryEntry,
    GlossaryPage,
    Inline,
    Paragraph,
    Span,
    TermRef,
    Text,
    backlinks_of,
)

VERSION = 1  # a record of an older shape still reads: its pages do not, and are made again
MEMORIES = "memories:"  # the entry of an edition's memories (no article id has a colon)
GLOSSARY = "glossary:"  # the entry of an edition's glossary
BOOK = "book:"  # the entries of its books' keys: book:<name>
_CODE_SUFFIXES = {".py", ".css", ".typ", ".html", ".java", ".lock"}  # the code, its templates, its pins


@functools.cache
def code_hash() -> str:
    """The toolkit's own files (code, templates, stylesheet) and the libraries whose data shape a page."""
    tools = Path(__file__).parents[1]
    digest = hashlib.sha256(sys.version.encode())
    for name in ("babel", "PyYAML", "Markdown"):
        digest.update(f"\0{name} {_version(name)}".encode())
    for path in sorted(p for p in tools.rglob("*") if p.suffix in _CODE_SUFFIXES and "__pycache__" not in p.parts):
        digest.update(b"\0" + path.relative_to(tools).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def _version(name: str) -> str:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return "-"


@dataclass
class Record:
    """One record file: what it held when read, and what this build keeps (only that is saved)."""

    path: Path
    held: dict = field(default_factory=dict)
    kept: dict = field(default_factory=dict)

    @classmethod
    def read(cls, path: Path) -> Record:
        """The record at ``path``; empty when there is none or it is not one of this version."""
        try:
            data = orjson.loads(path.read_bytes())
        except (OSError, ValueError):  # orjson.JSONDecodeError is a ValueError
            data = None
        held = data.get("entries") if isinstance(data, dict) and data.get("version") == VERSION else None
        return cls(path, held if isinstance(held, dict) else {})

    def get(self, name: str, key: str) -> dict | None:
        """What was recorded under ``name`` for inputs ``key``, or None."""
        entry = self.held.get(name)
        return entry if isinstance(entry, dict) and entry.get("key") == key else None

    def keep(self, name: str, entry: dict) -> None:
        self.kept[name] = entry

    def release(self) -> None:
        """Forget what was read, once the build took what it needs from it: what it keeps stays (at 1,000
        articles an edition whose pages were all made again held 78 MB of entries no longer used)."""
        self.held = {}

    def memories(self) -> dict:
        """The edition's memories as the last build left them (file name → ``{"sha", "reviewed"}``), or {}."""
        entry = self.held.get(MEMORIES)
        files = entry.get("files") if isinstance(entry, dict) else None
        return files if isinstance(files, dict) else {}

    def keep_memories(self, files: dict) -> None:
        """Keep each memory's sha256 and reviewed sentences (what the next build checks), nothing else."""
        kept = {name: {k: v for k, v in held.items() if k in ("sha", "reviewed")} for name, held in files.items()}
        self.kept[MEMORIES] = {"key": "", "files": kept}

    def save(self) -> None:
        data = {"version": VERSION, "entries": self.kept}
        write_atomic(self.path, json_bytes(data) + b"\n")


def output_stamps(root: Path, paths: Iterable[Path], shas: Mapping[Path, str] | None = None) -> dict[str, list]:
    """Each output a build left, by its path under ``root``: its size and mtime (ns), for :func:`outputs_as_recorded`,
    and its sha256 where ``shas`` has it (the build wrote the text: :func:`recorded_outputs`)."""
    stamps: dict[str, list] = {}
    shas = shas or {}
    for path in paths:  # a build of 3,000 articles leaves 35,000 outputs
        stat = os.stat(path)
        sha = shas.get(path)
        stamps[relative_name(path, root)] = [stat.st_size, stat.st_mtime_ns, *([sha] if sha else [])]
    return stamps


def outputs_as_recorded(root: Path, stamps: object) -> bool:
    """Whether every output recorded by :func:`output_stamps` is still there, its size and mtime as recorded
    (cheap: no file is read). No record, or a foreign one, is False: the build runs rather than guesses."""
    if not isinstance(stamps, dict) or not stamps:
        return False
    for name, stamp in stamps.items():
        try:
            stat = os.stat(f"{root}/{name}")  # a string, not pathlib: the no-op build stats every output
        except (OSError, ValueError, TypeError):
            return False
        if not isinstance(stamp, list) or stamp[:2] != [stat.st_size, stat.st_mtime_ns]:
            return False
    return True


def recorded_outputs(root: Path, stamps: object) -> dict[Path, Stamp]:
    """The outputs :func:`output_stamps` recorded with their sha256: path → (size, mtime, sha256). Whether a file
    is still so is for its reader to check (:func:`tools.layout.as_recorded`); a foreign record is none."""
    if not isinstance(stamps, dict):
        return {}
    recorded = {}
    for name, stamp in stamps.items():
        whole = isinstance(stamp, list) and len(stamp) == 3 and all(isinstance(n, int) for n in stamp[:2])
        if whole and isinstance(name, str) and isinstance(stamp[2], str):
            recorded[root / name] = (stamp[0], stamp[1], stamp[2])
    return recorded


# --- the page model as JSON data -----------------------------------------------------------------


def page_record(page: ArticlePage) -> dict:
    """The page model as JSON data: what the record keeps of an article."""
    data = dataclasses.asdict(page)
    data["date"] = page.date.isoformat()
    data["paragraphs"] = [[p.number, [_piece_record(piece) for piece in p.pieces]] for p in page.paragraphs]
    data["warnings"] = [dataclasses.asdict(w) | {"path": str(w.path)} for w in page.warnings]
    return data


def page_from_record(data: dict) -> ArticlePage:
    """The page model back from :func:`page_record`'s data (KeyError, TypeError or ValueError if it is not that)."""
    fields = dict(data)
    fields["date"] = dt.date.fromisoformat(data["date"])
    fields["paragraphs"] = tuple(
        Paragraph(int(number), tuple(_piece_from_record(piece) for piece in pieces))
        for number, pieces in data["paragraphs"]
    )
    fields["terms"] = None if data["terms"] is None else tuple(data["terms"])
    fields["term_paragraphs"] = tuple((str(t), tuple(map(int, ns))) for t, ns in data["term_paragraphs"])
    fields["languages"] = tuple(data["languages"])
    fields["warnings"] = tuple(Diagnostic(**w) for w in data["warnings"])
    return ArticlePage(**fields)


def _piece_record(piece: Inline) -> list[str]:
    if isinstance(piece, TermRef):
        return ["term", piece.text, piece.term, piece.definition]
    if isinstance(piece, Span):
        return ["span", piece.text, piece.lang]
    return ["text", piece.text]


def _piece_from_record(data: list) -> Inline:
    kind, *values = data
    pieces = {"text": Text, "term": TermRef, "span": Span}
    if kind not in pieces or not all(isinstance(value, str) for value in values):
        raise ValueError(f"not an inline piece: {data!r}")
    return pieces[kind](*values)


def entry_data(entry: GlossaryEntry) -> dict:
    """A glossary entry as plain data, without its back-links (which grow with the corpus)."""
    return {
        "id": entry.id,
        "heading": entry.heading,
        "texts": [[t.kind, t.text, t.lang] for t in entry.texts],
        "machine": entry.machine,
        "see": [list(pair) for pair in entry.see],
        "sources": list(entry.sources),
    }


def entries_data(page: GlossaryPage) -> list[dict]:
    """The glossary's entries as plain data, without back-links (each article's record holds its own); the
    record's form, and the glossary page's front matter."""
    return [entry_data(entry) for entry in page.entries]


def glossary_record(page: GlossaryPage) -> dict:
    """The glossary model as JSON data, without back-links (each article's record holds its own)."""
    return {"key": "", "lang": page.lang, "entries": entries_data(page)}


def glossary_from_record(data: dict) -> GlossaryPage:
    """The glossary model back from :func:`glossary_record`'s data, without back-links."""
    entries = tuple(
        GlossaryEntry(
            id=str(e["id"]),
            heading=str(e["heading"]),
            texts=tuple(EntryText(str(k), str(t), str(lang)) for k, t, lang in e["texts"]),
            machine=bool(e["machine"]),
            see=tuple((str(ref), str(label)) for ref, label in e["see"]),
            backlinks=(),
            sources=tuple(str(s) for s in e["sources"]),
        )
        for e in data["entries"]
    )
    return GlossaryPage(str(data["lang"]), entries)


def read_edition(path: Path) -> tuple[list[ArticlePage], GlossaryPage | None]:
    """An edition's article models (by slug, each as its site page was written) and its glossary with their
    back-links, from its record at ``path``; a record that does not read back is one line naming it."""
    record = Record.read(path)
    try:
        entries = [entry for entry in record.held.values() if isinstance(entry, dict) and "page" in entry]
        pages = [_as_written(page_from_record(entry["page"]), entry) for entry in entries]
        glossary = glossary_from_record(record.held[GLOSSARY]) if GLOSSARY in record.held else None
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        why = f"the record of the pages does not read back ({type(error).__name__}: {error})"
        raise PressError(path, None, why, "run press build") from None
    pages.sort(key=lambda page: page.slug)
    return pages, glossary.with_backlinks(backlinks_of(pages)) if glossary else None


def _as_written(page: ArticlePage, entry: dict) -> ArticlePage:
    """The page model as its site page was written: knowing the editions it is in (kept beside the model)."""
    return dataclasses.replace(page, languages=tuple(str(lang) for lang in entry.get("languages") or ()))
