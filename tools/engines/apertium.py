"""Apertium: a rule-based offline engine (Debian packages apertium, apertium-eng-spa, apertium-eng-cat).

Sentences go to ``apertium -u MODE`` one per line (``-u`` keeps unknown words
and the ⟦T1⟧ placeholders as they are, without a ``*``); lines come back in
order. Empty output, a different number of lines or a failure is an
:class:`EngineError`, never a translation: some Apertium pairs crash and
print nothing with exit status 0.
"""

from __future__ import annotations

import functools
import shutil
import subprocess

from tools.engines.base import EngineError, Unavailable

MODES = {("en", "es"): ("eng-spa", "apertium-eng-spa"), ("en", "ca"): ("eng-cat", "apertium-eng-cat")}
TIMEOUT_S = 300


class ApertiumEngine:
    """Translate through the ``apertium`` command."""

    name = "apertium"

    def unavailable(self, source: str, target: str) -> Unavailable | None:
        """None when apertium and the pair's mode are installed."""
        if (source, target) not in MODES:
            pairs = ", ".join(f"{s}→{t}" for s, t in MODES)
            return Unavailable(
                f"Apertium has no {source}→{target} pair here", f"use another engine (Apertium serves {pairs})"
            )
        mode, package = MODES[(source, target)]
        if not shutil.which("apertium") or mode not in _installed_modes():
            return Unavailable(f"Apertium's {mode} mode is not installed", f"sudo apt-get install apertium {package}")
        return None

    def model(self, source: str, target: str) -> str:
        """The mode and the Debian package's version."""
        mode, package = MODES[(source, target)]
        return f"{mode} {_package_version(package)}"

    def translate(self, sentences: list[str], source: str, target: str) -> list[str]:
        """Translate the sentences in one call."""
        if not sentences:
            return []
        mode, _ = MODES[(source, target)]
        text = "\n".join(s.replace("\n", " ") for s in sentences) + "\n"
        try:
            run = subprocess.run(
                ["apertium", "-u", mode], input=text, capture_output=True, text=True, timeout=TIMEOUT_S, check=False
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise EngineError(f"apertium {mode} did not run: {exc}") from None
        lines = run.stdout.rstrip("\n").split("\n")
        if run.returncode != 0 or not run.stdout.strip():
            raise EngineError(
                f"apertium {mode} failed (status {run.returncode}): {run.stderr.strip()[:200] or 'no output'}"
            )
        if len(lines) != len(sentences) or any(s.strip() and not t.strip() for s, t in zip(sentences, lines)):
            raise EngineError(f"apertium {mode} returned {len(lines)} lines for {len(sentences)} sentences")
        return [line.strip() for line in lines]


@functools.cache
def _installed_modes() -> frozenset[str]:
    run = subprocess.run(["apertium", "-l"], capture_output=True, text=True, check=False)
    return frozenset(run.stdout.split())


@functools.cache
def _package_version(package: str) -> str:
    run = subprocess.run(["dpkg-query", "-W", "-f=${Version}", package], capture_output=True, text=True, check=False)
    return run.stdout.strip() or "unknown"
