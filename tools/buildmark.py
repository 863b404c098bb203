"""Whether ``press build`` has anything to do: what the last build said in its mark, and whether anything it reads
or writes changed since.

Apart from :mod:`tools.build` so that a build with nothing to do imports only this: the build's own modules cost
half a second to import, which was most of a no-op ``make`` at 3,000 articles.
"""

from __future__ import annotations

import sys
from pathlib import Path

import orjson

from tools import __version__
from tools.engines import apertium
from tools.engines.argos.packages import packages_dir
from tools.fsutil import modified_since
from tools.layout import Layout
from tools.publish.store import outputs_as_recorded


def unchanged_build(live: Layout) -> dict | None:
    """What the last build said, if nothing it reads or writes changed since (its inputs, its outputs, each
    output as recorded, the toolkit's code, the installed Argos models and Apertium pairs); None when a build
    is needed."""
    said = last_said(live)
    try:
        since = live.build_mark.stat().st_mtime_ns
    except OSError:
        return None
    if said.get("fingerprint") != fingerprint() or said.get("retry"):
        return None
    code = [Path(__file__).parent, packages_dir(), apertium.data_dir()]  # a model or pair installed since
    if modified_since([*live.build_inputs, *code], since):  # first: after an edit, no output is looked at
        return None
    return said if outputs_as_recorded(live.root, said.get("outputs")) else None  # one removed or changed?


def last_said(live: Layout) -> dict:
    """What the last build recorded in its mark, or {} (none, or not readable: then nothing is taken from it)."""
    try:
        said = orjson.loads(live.build_mark.read_bytes())
    except (OSError, ValueError):
        return {}
    return said if isinstance(said, dict) else {}


def fingerprint() -> str:
    """What else a build depends on: the toolkit's version, its Python, where Argos models are."""
    return f"{__version__} {sys.executable} {packages_dir()}"
