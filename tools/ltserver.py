"""Run the unmodified LibreTranslate server locally, for the tests and ``make bench``.

LibreTranslate 1.9.6 pins ``numpy<2``, so it lives in its own virtual environment,
``.venv-libretranslate``, made from ``tools/libretranslate.lock`` (``make libretranslate-deps`` does
the same). :func:`prepare_home` gives a server its own home: Argos packages installed by our safe
install, and the "never split" MiniSBD models that let it translate offline (it would download a
sentence splitter on the first request). :class:`LibreTranslate` starts one on a free 127.0.0.1
port with ``ARGOS_INTRA_THREADS=1`` (the default, 0, was 25–30 times slower on 2 cores), waits for
``/languages`` and stops it by its PID.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Self

from tools.engines.argos.install import install
from tools.modelkit import build_never_split_minisbd

ROOT = Path(__file__).resolve().parents[1]
VENV = ROOT / ".venv-libretranslate"
LOCK = ROOT / "tools" / "libretranslate.lock"
STAMP_NAME = ".installed"  # as in the Makefile: newer than the lock when the venv is complete
READY_TIMEOUT_S = 90.0
STOP_TIMEOUT_S = 10.0
PIP = ("-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-deps")


def ensure_venv(venv: Path = VENV, lock: Path = LOCK) -> Path:
    """LibreTranslate's ``libretranslate`` command, its venv made from ``lock`` first if missing or older."""
    stamp = venv / STAMP_NAME
    if not (stamp.is_file() and stamp.stat().st_mtime >= lock.stat().st_mtime):
        shutil.rmtree(venv, ignore_errors=True)
        _run([sys.executable, "-m", "venv", str(venv)])
        _run([str(venv / "bin" / "python"), *PIP, "-r", str(lock)])
        stamp.touch()
    return venv / "bin" / "libretranslate"


def _run(command: list[str]) -> None:
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed ({done.returncode}): {done.stderr.strip()[-2000:]}")


def data_dir(home: Path) -> Path:
    """Where a server with this home reads Argos packages (``packages/``) and MiniSBD models (``minisbd/``)."""
    return home / "data" / "argos-translate"


def prepare_home(home: Path, archives: list[Path], languages: tuple[str, ...]) -> Path:
    """A server's home: the packages installed, a never-split MiniSBD model per source language; the home."""
    for archive in archives:
        install(archive, data_dir(home) / "packages")
    for lang in languages:
        build_never_split_minisbd(data_dir(home) / "minisbd" / f"{lang}.onnx", lang)
    return home


def free_port() -> int:
    """A TCP port nothing listens on at 127.0.0.1 now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class LibreTranslate:
    """One LibreTranslate server on 127.0.0.1 with its own home, started and stopped by PID."""

    def __init__(self, command: Path, home: Path, languages: tuple[str, ...], *options: str, threads: int = 1) -> None:
        self.command, self.home, self.languages, self.options = command, home, languages, options
        self.threads = threads
        self.port = 0
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def log(self) -> Path:
        return self.home / "server.log"

    def start(self) -> Self:
        """Start the server and wait until ``/languages`` answers; RuntimeError (with its log) if it does not."""
        self.port = free_port()
        home = str(self.home)
        environment = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": home,
            "XDG_DATA_HOME": f"{home}/data",
            "XDG_CONFIG_HOME": f"{home}/config",
            "XDG_CACHE_HOME": f"{home}/cache",
            "ARGOS_INTRA_THREADS": "1",
            "ARGOS_INTER_THREADS": str(self.threads),
            "LANG": "C.UTF-8",
        }
        command = [str(self.command), "--host", "127.0.0.1", "--port", str(self.port), "--disable-web-ui",
                   "--disable-files-translation", "--load-only", ",".join(self.languages), *self.options]  # fmt: skip
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(
                command, env=environment, cwd=home, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT
            )
        self._wait_ready()
        return self

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + READY_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"libretranslate exited with {self.process.returncode}: {self._log_tail()}")
            try:
                with urllib.request.urlopen(f"{self.url}/languages", timeout=2):
                    return
            except (urllib.error.URLError, OSError):
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"libretranslate did not answer in {READY_TIMEOUT_S:.0f} s: {self._log_tail()}")

    def _log_tail(self) -> str:
        return self.log.read_text(errors="replace")[-2000:] if self.log.exists() else "(no log)"

    def stop(self) -> None:
        """Stop the server by its PID (SIGTERM, then SIGKILL)."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def kill(self) -> None:
        """End the server at once, as a crash would (SIGKILL by its PID)."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
