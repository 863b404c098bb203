"""The real editions.yml and glossary/terms.yml, mutated: loading either succeeds or names the mistake in one line.

Each example makes one mutation of one file, as an editor's slip would: a value replaced by a
wrong type or an odd scalar, a key deleted, duplicated or renamed. Loading must then succeed,
raise a PressError of one line with a line number, or return problems of one line with a line
number; any other exception fails the test.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from tools.build import load_glossary
from tools.config import CONFIG_FILE, load_config
from tools.errors import PressError
from tools.glossary.termbase import check_languages, load_termbase
from tools.layout import TERMS_FILE

pytestmark = pytest.mark.slow  # hundreds of Hypothesis mutations of the real configuration files

ROOT = Path(__file__).resolve().parents[1]
FILES = (Path(CONFIG_FILE), TERMS_FILE)
ODD_VALUES = (
    "yes", "no", "null", "~", "", "1e3", "1.5e+3", "0x10", "-7", ".inf", "2026-01-01", "2026-02-30",
    "2026-01-01 10:00:00", "[]", "{}", "[[1, [2, [3, []]]]]", "{a: [b, {c: d}]}", "word " * 200, '"a\\nb\\u2028c"',
    "''", "'yes'", "uk", "argos", "!!python/object:os.system x", "!!binary aGVsbG8=", "!!set {a}", "!!int x",
    "*nowhere", "&anchor 1", "|\n  a block\n", "<<",
)  # fmt: skip
KEY_NAMES = (
    "id", "term", "forms", "definition", "see_also", "renderings", "uk", "xx", "1", "yes", "null", "~",
    "2026-01-01", "languages", "engines", "source_language", "names", "terms", "<<", "'a b'", '"x\\ny"',
)  # fmt: skip


@dataclass(frozen=True)
class Span:
    """Where a YAML node stands in its file: [start, end) without trailing blanks, and its column."""

    start: int
    end: int
    column: int


@dataclass(frozen=True)
class Entry:
    """A key and its value in a mapping; ``flow`` when the mapping is written {…}."""

    key: Span
    value: Span
    flow: bool


def span(text: str, node: yaml.Node) -> Span:
    end = node.end_mark.index
    return Span(
        node.start_mark.index,
        node.start_mark.index + len(text[node.start_mark.index : end].rstrip()),
        node.start_mark.column,
    )


def walk(text: str, node: yaml.Node, values: list[Span], entries: list[Entry]) -> None:
    values.append(span(text, node))
    if isinstance(node, yaml.SequenceNode):
        for item in node.value:
            walk(text, item, values, entries)
    elif isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            entries.append(Entry(span(text, key), span(text, value), bool(node.flow_style)))
            walk(text, value, values, entries)


def nodes_of(text: str) -> tuple[list[Span], list[Entry]]:
    values: list[Span] = []
    entries: list[Entry] = []
    walk(text, yaml.compose(text), values, entries)
    return values[1:] + values[:1], entries  # the whole document last: Hypothesis favours the first items


TEXTS = {name: (ROOT / name).read_text(encoding="utf-8") for name in FILES}
NODES = {name: nodes_of(text) for name, text in TEXTS.items()}


def splice(text: str, start: int, end: int, new: str) -> str:
    return text[:start] + new + text[end:]


def delete(text: str, entry: Entry) -> str:
    end = entry.value.end
    if entry.flow:  # take the comma after it too (or before it, for the last entry)
        rest = text[end:].lstrip(" ")
        if rest.startswith(","):
            end = len(text) - len(rest) + 1
        else:
            before = text[: entry.key.start].rstrip()
            if before.endswith(","):
                return text[: len(before) - 1] + text[end:]
    return splice(text, entry.key.start, end, "")


def duplicate(text: str, entry: Entry) -> str:
    copy = text[entry.key.start : entry.value.end]
    separator = ", " if entry.flow else "\n" + " " * entry.key.column
    return splice(text, entry.value.end, entry.value.end, separator + copy)


@st.composite
def mutations(draw: st.DrawFn) -> tuple[Path, str]:
    """One file, and its text after one mutation."""
    name = draw(st.sampled_from(FILES))
    text = TEXTS[name]
    values, entries = NODES[name]
    kind = draw(st.sampled_from(("replace", "delete", "duplicate", "rename")))
    if kind == "replace":
        node = draw(st.sampled_from(values))
        return name, splice(text, node.start, node.end, draw(st.sampled_from(ODD_VALUES)))
    entry = draw(st.sampled_from(entries))
    if kind == "delete":
        return name, delete(text, entry)
    if kind == "duplicate":
        return name, duplicate(text, entry)
    return name, splice(text, entry.key.start, entry.key.end, draw(st.sampled_from(KEY_NAMES)))


def assert_one_line(message: str, line: int | None) -> None:
    assert "\n" not in message and "\r" not in message, message
    assert isinstance(line, int) and line >= 1, message


def load_everything(root: Path) -> None:
    """What the build and ``press glossary check`` read; problems are checked, PressError goes up."""
    config = load_config(root)
    base, problems = load_termbase(root / TERMS_FILE)
    for problem in problems + check_languages(base, config.languages):
        assert_one_line(str(problem), problem.line)
    load_glossary(root, config.languages, [])


@settings(max_examples=settings.default.max_examples // 3)  # each example reads the term base twice: ~50 ms
@given(mutations())
def test_a_mutated_file_loads_or_names_its_mistake(mutation: tuple[Path, str]) -> None:
    name, text = mutation
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        for original in FILES:
            (root / original).parent.mkdir(parents=True, exist_ok=True)
            (root / original).write_text(text if original == name else TEXTS[original], encoding="utf-8")
        try:
            load_everything(root)
        except PressError as error:
            assert_one_line(str(error), error.line)


def test_the_mutations_are_mostly_valid_yaml() -> None:
    """Deleting, duplicating and renaming keep the YAML readable, so the checks behind the parser are reached."""
    for name, text in TEXTS.items():
        values, entries = NODES[name]
        for entry in entries[:: max(1, len(entries) // 12)]:  # a dozen spread over the file: each parse takes time
            for mutated in (delete(text, entry), duplicate(text, entry)):
                yaml.compose(mutated)
        assert len(values) > len(entries) >= 4
