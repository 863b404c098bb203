"""DAISY Ace on the EPUBs: the accessibility checker reading systems and libraries measure books with.

Ace 1.4.6 (``@daisy/ace-cli`` from ``package-lock.json``, installed by
``make node-deps``) runs each book in Debian's Chromium and writes a JSON
report (EARL assertions per content document, and what the package's
accessibility metadata holds). :func:`findings` turns a report into the
project's diagnostics: each violation (any impact) and each piece of the
accessibility claim the books make that the report finds missing
(``dcterms:conformsTo``, ``a11y:certifiedBy``). :func:`check` runs Ace on
every book, one process per book, as many at once as there are cores.
``press ebooks --check`` and ``make check`` run it; nothing is downloaded.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from tools.diagnostics import ERROR, Diagnostic
from tools.errors import PressError

ACE = Path(__file__).resolve().parents[1] / "node_modules" / ".bin" / "ace-cli"  # the toolkit's, like .venv
INSTALL = "run make node-deps (npm ci from package-lock.json; Node and Chromium from Debian)"
CLAIM = ("dcterms:conformsTo", "a11y:certifiedBy")  # what every book claims (tools/ebook.py finish_epub)
TIMEOUT = 240  # seconds a book may take (Ace's own default per document)


def check(paths: list[Path], jobs: int | None = None) -> list[Diagnostic]:
    """Ace's findings for the EPUBs ([] when every book passes); PressError if Ace cannot run."""
    if not paths:
        return []
    command = _command()
    with ThreadPoolExecutor(max_workers=jobs or min(len(paths), os.cpu_count() or 1)) as pool:
        reports = list(pool.map(lambda path: _report(command, path), paths))
    return [finding for path, report in zip(paths, reports) for finding in findings(report, path)]


def findings(report: dict, epub: Path | str) -> list[Diagnostic]:
    """An Ace report (its ``report.json``) as diagnostics of ``epub``: one per violation, one per missing claim."""
    found = []
    for document in report.get("assertions") or []:
        where = str((document.get("earl:testSubject") or {}).get("url", "")).lstrip("/")
        for assertion in document.get("assertions") or []:
            if (assertion.get("earl:result") or {}).get("earl:outcome") == "fail":
                found.append(_violation(assertion, where, epub))
    missing = set((report.get("a11y-metadata") or {}).get("missing") or [])
    for name in CLAIM:
        if name in missing:
            message = f"the package's accessibility metadata lacks {name}"
            found.append(Diagnostic(epub, None, ERROR, "ace", message, "tools/ebook.py finish_epub writes it"))
    return found


def _violation(assertion: dict, where: str, epub: Path | str) -> Diagnostic:
    """One failed Ace assertion: the rule, its impact, what is wrong, where (file and CSS selector), the help."""
    test, result = assertion.get("earl:test") or {}, assertion.get("earl:result") or {}
    css = ", ".join((result.get("earl:pointer") or {}).get("css") or [])
    place = f"{where} {css}".strip()
    rule, impact = test.get("dct:title", "?"), test.get("earl:impact", "?")
    message = f"{rule} ({impact}) in {place}: {result.get('dct:description') or test.get('dct:description', '')}"
    help_url = (test.get("help") or {}).get("url", "")
    fix = f"see {help_url}" if help_url else str(test.get("dct:description", ""))
    return Diagnostic(epub, None, ERROR, "ace", " ".join(message.split()), fix)


def _command() -> list[str]:
    """Ace's command line, or PressError naming what to install."""
    if not ACE.is_file() or shutil.which("node") is None:
        raise PressError(ACE, None, "DAISY Ace is not installed", INSTALL)
    if _chromium() is None:
        raise PressError(None, None, "Ace needs Chromium, which is not installed", "sudo apt-get install chromium")
    return [str(ACE), "--silent", "--force", "--timeout", str(TIMEOUT * 1000)]


def _chromium() -> str | None:
    return os.environ.get("PUPPETEER_EXECUTABLE_PATH") or shutil.which("chromium")


def _report(command: list[str], epub: Path) -> dict:
    """Run Ace on one book and read its JSON report; PressError when Ace fails to make one."""
    # Ace gives Chromium 5 s to start (ACE_TIMEOUT_INITIAL): too little on a loaded machine
    env = {"ACE_TIMEOUT_INITIAL": "60000", **os.environ, "PUPPETEER_EXECUTABLE_PATH": _chromium() or ""}
    with tempfile.TemporaryDirectory(prefix="press-ace-") as work:
        out = Path(work) / "report"
        run = subprocess.run(
            [*command, "--outdir", str(out), "--tempdir", str(Path(work) / "tmp"), str(epub)],
            capture_output=True,
            text=True,
            env=env,
            timeout=TIMEOUT + 60,
            check=False,
        )
        try:
            return json.loads((out / "report.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            said = " ".join((run.stderr or run.stdout).split())[-300:] or f"exit status {run.returncode}"
            raise PressError(epub, None, f"Ace made no report: {said}", "run ace-cli on the file to see why") from None
