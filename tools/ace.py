"""DAISY Ace on the EPUBs: the accessibility checker reading systems and libraries measure books with.

Ace 1.4.6 (``@daisy/ace-cli`` from ``package-lock.json``, installed by
``make node-deps``) runs each book in Debian's Chromium and writes a JSON
report (EARL assertions per content document, and what the package's
accessibility metadata holds). :func:`findings` turns a report into the
project's diagnostics: each violation (any impact) and each piece of the
accessibility claim the books make that the report finds missing
(``dcterms:conformsTo``, ``a11y:certifiedBy``). :func:`check` runs Ace on
every book, one process per book, as many at once as there are cores; given
a record (``.press/cache/ace.json``), a book whose bytes this Ace found clean
before is not checked again, so ``make check`` after one edit checks only the
books that changed. ``press ebooks --check`` and ``make check`` run it;
nothing is downloaded.
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
from tools.fsutil import file_sha, write_atomic

ACE = Path(__file__).resolve().parents[1] / "node_modules" / ".bin" / "ace-cli"  # the toolkit's, like .venv
INSTALL = "run make node-deps (npm ci from package-lock.json; Node and Chromium from Debian)"
CLAIM = ("dcterms:conformsTo", "a11y:certifiedBy")  # what every book claims (tools/publish/pandoc.py finish_epub)
TIMEOUT = 240  # seconds a book may take (Ace's own default per document)


def check(paths: list[Path], record: Path | None = None, jobs: int | None = None) -> list[Diagnostic]:
    """Ace's findings for the EPUBs ([] when every book passes); PressError if Ace cannot run. With a
    ``record``, the books it lists as clean (by sha256, for this Ace) are skipped, and it is rewritten to list
    the clean ones among ``paths``."""
    if not paths:
        return []
    command = _command()
    version = _version()
    hashes = {path: file_sha(path) for path in paths}
    known = _read_record(record, version)
    todo = [path for path in paths if hashes[path] not in known]
    found: list[Diagnostic] = []
    if todo:
        with ThreadPoolExecutor(max_workers=jobs or min(len(todo), os.cpu_count() or 1)) as pool:
            reports = list(pool.map(lambda path: _report(command, path), todo))
        found = [finding for path, report in zip(todo, reports) for finding in findings(report, path)]
    if record is not None:
        failed = {str(d.path) for d in found}
        clean = sorted({hashes[path] for path in paths if str(path) not in failed})
        write_atomic(record, json.dumps({"ace": version, "clean": clean}, indent=1) + "\n")
    return found


def _version() -> str:
    """The installed Ace's version (what a record of clean books holds for)."""
    package = ACE.resolve().parents[1] / "package.json"
    try:
        return str(json.loads(package.read_text(encoding="utf-8")).get("version", "?"))
    except (OSError, ValueError):
        return "?"


def _read_record(record: Path | None, version: str) -> set[str]:
    """The sha256 of the books the record lists as clean for this Ace (none when it is missing or damaged)."""
    try:
        data = json.loads(record.read_text(encoding="utf-8")) if record else {}
    except (OSError, ValueError):
        return set()
    clean = data.get("clean") if isinstance(data, dict) and data.get("ace") == version else None
    return {str(sha) for sha in clean} if isinstance(clean, list) else set()


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
            found.append(Diagnostic(epub, None, ERROR, "ace", message, "tools/publish/pandoc.py finish_epub writes it"))
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
