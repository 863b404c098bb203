"""What an entry's ``#.`` lines record: the engine and its output, the translation it replaced, where a reused
translation came from, who reviewed it."""

from __future__ import annotations

import re

MACHINE = "machine translation: "
OUTPUT = "machine output: "
PREVIOUS = "previous translation: "
REUSED = "reused from "
REVIEWED = "reviewed by "
UNKNOWN = "unknown"  # a review made outside press, with no person in the header's Last-Translator


def provenance_of(comment: str, prefix: str) -> str | None:
    """The value of the provenance line that starts with ``prefix`` (the last one), if any."""
    values = [line[len(prefix) :] for line in comment.split("\n") if line.startswith(prefix)]
    return values[-1].strip() if values else None


def with_provenance(comment: str, prefix: str, value: str | None) -> str:
    """The comment with its ``prefix`` line replaced by ``prefix + value`` (dropped when ``value`` is None)."""
    lines = [line for line in comment.split("\n") if line and not line.startswith(prefix)]
    return "\n".join(lines + ([prefix + value] if value is not None else []))


def escaped(text: str) -> str:
    """A text for one ``#.`` line: backslashes and line ends escaped as PO strings escape them."""
    return text.replace("\\", "\\\\").replace("\n", "\\n")


def unescaped(text: str) -> str:
    return re.sub(r"\\(.)", lambda m: "\n" if m.group(1) == "n" else m.group(1), text)
