"""Writing Markdown: front matter, and plain text escaped so that it renders as itself."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from tools import __version__

GENERATOR = f"press {__version__}"  # front matter of every generated page names it

_ESCAPED = re.compile(r"([\\`*_\[\]{}])")
_BLOCK_START = re.compile(r"^(#|>|[-+*](?=\s))")
_ORDERED_START = re.compile(r"^(\d+)([.)])(?=\s)")


def front_matter(meta: dict) -> str:
    """YAML front matter between --- lines, keys in the given order."""
    return "---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=10_000) + "---\n\n"


def escape(text: str) -> str:
    """Plain text → Markdown that renders as exactly that text."""
    text = _ESCAPED.sub(r"\\\1", text.replace("&", "&amp;").replace("<", "&lt;"))
    text = _ORDERED_START.sub(r"\1\\\2", text)
    return _BLOCK_START.sub(r"\\\1", text)


def link(text: str, target: str, title: str = "") -> str:
    """An inline link whose text and title are plain text."""
    quoted = title.replace("\\", "\\\\").replace('"', '\\"')
    return f'[{escape(text)}]({target} "{quoted}")' if title else f"[{escape(text)}]({target})"


def is_generated(path: Path) -> bool:
    """True for a page this toolkit wrote (its front matter names the generator)."""
    return "\ngenerator: press " in front_matter_text(path)


def front_matter_text(path: Path) -> str:
    """The front matter block of a Markdown file, as text ('' if it has none)."""
    head = path.read_text(encoding="utf-8", errors="replace")[:3000]
    return head.split("\n---\n", 1)[0] if head.startswith("---\n") else ""
