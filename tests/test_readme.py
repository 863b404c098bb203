"""The README as a newcomer reads it on a fresh clone: its install line is the Makefile's package list."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def debian_packages() -> list[str]:
    """DEBIAN_PACKAGES at the top of the Makefile (continued lines joined)."""
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8").replace("\\\n", " ")
    return re.search(r"^DEBIAN_PACKAGES\s*:=(.*)$", makefile, re.MULTILINE).group(1).split()


def test_the_readmes_apt_line_installs_what_make_needs() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8").replace("\\\n", " ")
    lines = re.findall(r"^sudo apt-get install (.*)$", readme, re.MULTILINE)
    assert len(lines) == 1, "one install line"
    assert lines[0].split() == debian_packages()
    assert {"hunspell-uk", "nodejs", "chromium"} <= set(debian_packages())
