"""pdfinfo's "Suspects object is wrong type" on every Typst PDF: poppler 22 misreads a valid /Suspects false.

The README says the line is harmless; this holds it to that: the books' catalog says exactly
``/MarkInfo<</Marked true/Suspects false>>`` (valid PDF: Suspects is an optional boolean), and pdfinfo
reports nothing else about them.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from conftest import copy_project  # tests/ is on the path: helpers, not fixtures

from tools.build import build

KNOWN = "Syntax Error: Suspects object is wrong type (boolean)"  # poppler 22.12 on a Suspects that is not true


def test_pdfinfo_says_nothing_about_the_books_but_the_known_suspects_line(tmp_path: Path, require) -> None:
    require("pdfinfo", "sudo apt-get install poppler-utils")
    project = copy_project(tmp_path)
    (project / "editions.yml").write_text("languages: []\n", encoding="utf-8")  # the English books: no engine
    build(project)
    books = sorted((project / "dist").glob("*.pdf"))
    assert len(books) == 2, books
    for pdf in books:
        marks = re.findall(rb"/MarkInfo\s*<<(.*?)>>", pdf.read_bytes())
        assert [re.sub(rb"\s+", b" ", m).strip() for m in marks] == [b"/Marked true/Suspects false"], pdf
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
        assert set(info.stderr.splitlines()) <= {KNOWN}, info.stderr
        assert "Tagged:          yes" in info.stdout and "Suspects:        no" in info.stdout
