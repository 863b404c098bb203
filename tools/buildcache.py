"""What a generated book was made from: a hash of its inputs, kept beside the books, to reuse what matches.

A book's key is the SHA-256 of everything that decides its bytes: the text
pandoc reads (articles and glossary entries, as pandoc's Markdown), the
metadata (title, authors, cover text...), the templates and stylesheet, the
writer's own code, the tool versions (pandoc, the typst package, this
toolkit) and ``SOURCE_DATE_EPOCH``. Each edition's keys are a manifest in
``dist/`` (``.inputs.<lang>.json``), generated, staged and swapped in with
the books: a fresh clone has none and builds everything; a failed build
leaves the previous manifest beside the previous books. A book whose key
matches is kept where it is, in the live ``dist/`` (:func:`keeping`; else
hard-linked, or copied, from there into the stage), and neither pandoc nor
Typst runs.
"""

from __future__ import annotations

import functools
import importlib.metadata
import json
import os
import shutil
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

from tools.fsutil import file_sha, input_key, write_atomic

_VERSION = 1


def manifest_path(dist: Path, lang: str) -> Path:
    """An edition's manifest of book keys in ``dist``."""
    return dist / f".inputs.{lang}.json"


@functools.cache
def tool_versions() -> tuple[tuple[str, str], ...]:
    """pandoc's, the typst package's and this toolkit's versions (asked once per process)."""
    import pypandoc

    return (
        ("pandoc", f"{pypandoc.get_pandoc_path()} {pypandoc.get_pandoc_version()}"),
        ("typst", _package_version("typst")),
        ("press", _package_version("press")),
    )


def _package_version(name: str) -> str:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def inputs_key(content: str, metadata: dict, files: Iterable[Path], epoch: int | None) -> str:
    """The hash of a book's inputs: its text, metadata, the template files' bytes, tool versions, the epoch."""
    head = {"v": _VERSION, "metadata": metadata, "tools": tool_versions(), "epoch": epoch}
    templates = (f"{path.name}\0{_file_hash(path)}" for path in files)
    return input_key(json.dumps(head, sort_keys=True, ensure_ascii=False, default=str), *templates, content)


@functools.cache
def _file_hash(path: Path) -> str:
    return file_sha(path)


def read_manifest(path: Path) -> dict[str, str]:
    """File name → key; {} when there is none or it is not ours (everything is then rebuilt, nothing guessed)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    books = data.get("books") if isinstance(data, dict) and data.get("version") == _VERSION else None
    if not isinstance(books, dict):
        return {}
    return {name: key for name, key in books.items() if isinstance(name, str) and isinstance(key, str)}


def write_manifest(path: Path, keys: dict[str, str]) -> None:
    """The manifest of the books just staged (sorted: the same bytes for the same books)."""
    write_atomic(path, json.dumps({"version": _VERSION, "books": dict(sorted(keys.items()))}, indent=1) + "\n")


def reuse(files: list[Path], key: str, manifest: dict[str, str], live: Path | None) -> bool:
    """Keep the live copies of ``files`` (stage paths) when each was made from ``key``; False if any was not."""
    if live is None or not all(manifest.get(f.name) == key and (live / f.name).is_file() for f in files):
        return False
    keep = _keep.get(None)
    for file in files:
        if keep is None:
            place(live / file.name, file)
        else:
            keep(live / file.name)
    return True


_keep: ContextVar[Callable[[Path], object] | None] = ContextVar("keep")  # the live file kept: see keeping()


@contextmanager
def keeping(keep: Callable[[Path], object]) -> Iterator[None]:
    """In the block, a book :func:`reuse` takes from the live ``dist/`` is given to ``keep`` (the live file) rather
    than linked into the stage: the build's stage keeps it in place (:mod:`tools.build`). Outside one, it is
    linked (:func:`place`)."""
    token = _keep.set(keep)
    try:
        yield
    finally:
        _keep.reset(token)


def place(source: Path, target: Path) -> None:
    """``target`` as a hard link to ``source`` (a copy across file systems), replacing what was there."""
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)  # the usual case: a new place in the stage
        return
    except OSError:
        pass  # there is a file there, or another file system: through a temporary file
    temporary = target.with_name(f".{target.name}.link")
    temporary.unlink(missing_ok=True)
    try:
        os.link(source, temporary)
    except OSError:
        shutil.copyfile(source, temporary)
    os.replace(temporary, target)
