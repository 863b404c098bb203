"""YAML written by hand (editions.yml, glossary/terms.yml), read as nodes that know their line.

:func:`read_yaml` composes a file into :class:`Node` objects, so a checker can name the line of a
wrong value; the ``*_of`` helpers check a node's type and raise a one-line
:class:`~tools.errors.PressError` at its line. What YAML would silently accept or a safe loader
cannot build is refused, with its line: duplicate keys, aliases, keys that are lists or mappings,
tags, values too deeply nested, invalid dates, bytes that are not UTF-8.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from tools.diagnostics import one_line, shown
from tools.errors import PressError

MAX_DEPTH = 64  # levels of nesting; hand-written files use four or five
_PLAIN_TAGS = {yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG}
# What a safe scalar constructor raises: !!int x is a ValueError, !!bool x a KeyError.
_CANNOT_BUILD = (yaml.YAMLError, ValueError, KeyError, TypeError, OverflowError)

Key = str | int | float | bool | None | datetime.date | bytes


@dataclass(frozen=True)
class Node:
    """A YAML value and the 1-based line where it starts.

    ``value`` is a scalar as YAML reads it (str, int, float, bool, None, date, datetime, bytes), a
    list of nodes, or a dict of nodes; ``source`` is a scalar's text as written; ``keys`` holds a
    mapping's key nodes, for their lines.
    """

    value: object
    line: int
    source: str = ""
    keys: dict[Key, Node] = field(default_factory=dict)


def read_yaml(path: Path, missing_fix: str) -> Node | None:
    """Parse the YAML file at ``path``; None for an empty document. Every failure is a PressError."""
    return parse_yaml(read_text(path, missing_fix), path)


def read_text(path: Path, missing_fix: str = "check that it exists and can be read") -> str:
    """The UTF-8 text of a hand-written file; a PressError when it cannot be read or is not UTF-8."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise PressError(path, None, f"cannot read: {exc.strerror}", missing_fix) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise PressError(path, line, "not UTF-8 text", "save the file as UTF-8") from None


def parse_yaml(text: str, path: Path | str | None) -> Node | None:
    """Parse ``text`` (the content of ``path``) into nodes; None for an empty document."""
    loader = None
    try:
        loader = _Composer(text)
        root = loader.get_single_node()
        return None if root is None else _node(loader, root)
    except PressError as exc:
        raise PressError(path, exc.line, exc.message, exc.fix) from None
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        raise PressError(
            path, line, f"the character U+{exc.character:04X} is not allowed in YAML", "remove it"
        ) from None
    except yaml.YAMLError as exc:
        raise PressError(path, _mark_line(exc), f"not valid YAML: {_yaml_problem(exc)}", "fix the syntax") from None
    finally:
        if loader is not None:
            loader.dispose()


def mapping_of(node: Node, path: Path, what: str, fix: str) -> dict[Key, Node]:
    """The entries of a mapping node; anything else is an error naming ``what``."""
    if not isinstance(node.value, dict):
        raise wrong_type(node, path, what, "a mapping (key: value)", fix)
    return node.value


def list_of(node: Node, path: Path, what: str, fix: str) -> list[Node]:
    """The items of a list node; anything else is an error naming ``what``."""
    if not isinstance(node.value, list):
        raise wrong_type(node, path, what, "a list", fix)
    return node.value


def text_of(node: Node, path: Path, what: str, fix: str) -> str:
    """The text of a node that must be text and not blank; a number or yes/no must be quoted."""
    if isinstance(node.value, str):
        if not node.value.strip():
            raise PressError(path, node.line, f"{what} is empty", fix)
        return node.value
    if isinstance(node.value, (list, dict)) or node.value is None:
        raise wrong_type(node, path, what, "text", fix)
    raise wrong_type(node, path, what, "text", f'put it in quotes: "{one_line(node.source)}"')


def texts_of(node: Node, path: Path, what: str, fix: str) -> tuple[str, ...]:
    """A text or a list of texts, as a tuple."""
    if isinstance(node.value, str):
        return (text_of(node, path, what, fix).strip(),)
    if not isinstance(node.value, list):
        raise wrong_type(node, path, what, "a list of texts", fix)
    return tuple(text_of(item, path, f"an item of {what}", fix).strip() for item in node.value)


def wrong_type(node: Node, path: Path, what: str, expected: str, fix: str) -> PressError:
    """The error for a node of the wrong type, at its line."""
    return PressError(path, node.line, f"{what} must be {expected}, not {describe(node)}", fix)


def describe(node: Node) -> str:
    """A node's kind and value for a message, on one line: ``the number 5``, ``a list``."""
    value = node.value
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if value is None:
        return f"{shown(node.source)} (read as null)" if node.source else "an empty value"
    if isinstance(value, str):
        return f"the text {shown(value)}"
    if isinstance(value, bool):
        return f"{shown(node.source)} (read as {'true' if value else 'false'})"
    if isinstance(value, (int, float)):
        return f"the number {one_line(node.source)}"
    if isinstance(value, datetime.date):
        return f"the date {one_line(node.source)}"
    return f"{shown(node.source)} ({type(value).__name__})"


class _Composer(yaml.SafeLoader):
    """YAML's safe loader, composing nodes, refusing aliases and values nested too deep."""

    depth = 0

    def compose_node(self, parent: yaml.Node | None, index: object) -> yaml.Node:
        event = self.peek_event()
        line = event.start_mark.line + 1
        if isinstance(event, yaml.AliasEvent):
            raise PressError(None, line, f"an alias (*{event.anchor}) is not supported", "write the value out in full")
        if self.depth >= MAX_DEPTH:
            raise PressError(None, line, f"values nested more than {MAX_DEPTH} levels deep", "flatten the structure")
        self.depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


def _node(loader: _Composer, node: yaml.Node) -> Node:
    line = node.start_mark.line + 1
    if isinstance(node, yaml.ScalarNode):
        return Node(_scalar(loader, node), line, node.value)
    if node.tag not in _PLAIN_TAGS:
        raise PressError(None, line, f"the tag {shown(node.tag)} is not supported", "remove the tag")
    if isinstance(node, yaml.SequenceNode):
        return Node([_node(loader, item) for item in node.value], line)
    values: dict[Key, Node] = {}
    keys: dict[Key, Node] = {}
    for key_node, value_node in node.value:
        key = _key(loader, key_node)
        if key.value in keys:
            where = f"first on line {keys[key.value].line}"
            raise PressError(None, key.line, f"duplicate key {shown(key.source)} ({where})", "keep one of the two")
        keys[key.value] = key
        values[key.value] = _node(loader, value_node)
    return Node(values, line, keys=keys)


def _key(loader: _Composer, node: yaml.Node) -> Node:
    line = node.start_mark.line + 1
    if not isinstance(node, yaml.ScalarNode):
        raise PressError(None, line, "a key that is a list or a mapping", "use a plain word as the key")
    return Node(_scalar(loader, node), line, node.value)


def _scalar(loader: _Composer, node: yaml.ScalarNode) -> object:
    line = node.start_mark.line + 1
    if node.tag == "tag:yaml.org,2002:merge":
        raise PressError(None, line, "merge keys (<<) are not supported", "write the keys out in full")
    try:
        value = loader.construct_object(node)
    except _CANNOT_BUILD as exc:
        reason = _yaml_problem(exc) if isinstance(exc, yaml.YAMLError) else " ".join(str(exc).split())
        raise PressError(None, line, f"cannot read the value {shown(node.value)}: {reason}", "quote it") from None
    if not isinstance(value, Key):  # a collection tag on a scalar, such as !!set
        raise PressError(None, line, f"the tag {shown(node.tag)} is not supported here", "remove the tag")
    return value


def _mark_line(exc: yaml.YAMLError) -> int | None:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    return mark.line + 1 if mark else None


def _yaml_problem(exc: yaml.YAMLError) -> str:
    parts = [getattr(exc, "context", None), getattr(exc, "problem", None)]
    text = ", ".join(str(part) for part in parts if part) or str(exc)
    return " ".join(text.split())
