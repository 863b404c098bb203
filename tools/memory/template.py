"""An article's template (``translations/templates/<id>.pot``): each sentence once with its references."""

from __future__ import annotations

import re
from pathlib import Path

import polib

from tools.fsutil import write_atomic
from tools.memory.entries import Unit
from tools.memory.header import new_template, timestamp
from tools.memory.writer import format_po, occurrence


def write_template(path: Path, units: list[Unit], project: str = "") -> bool:
    """Write the article's template (``.pot``): each sentence once with its references, no translation.

    Its ``POT-Creation-Date`` changes only when a sentence or a reference does;
    False (and the file untouched) when nothing did.
    """
    po = new_template(project or path.stem)
    where: dict[str, list[str]] = {}
    for unit in units:
        refs = where.setdefault(unit.text, [])
        if unit.reference not in refs:
            refs.append(unit.reference)
    for text, refs in where.items():
        po.append(polib.POEntry(msgid=text, msgstr="", occurrences=[occurrence(ref) for ref in refs]))
    body = format_po(po).split("\n\n", 1)[-1]
    old = path.read_text(encoding="utf-8") if path.is_file() else ""
    kept = re.search(r'^"POT-Creation-Date: ([^"\\]*)\\n"$', old, re.MULTILINE)
    same = kept is not None and old.split("\n\n", 1)[-1] == body
    po.metadata["POT-Creation-Date"] = kept.group(1) if kept and same else timestamp()
    return write_atomic(path, format_po(po))
