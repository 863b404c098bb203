"""Workers die with the build: a SIGTERM or Ctrl-C to a `press`-like parent, or its death by SIGKILL, ends every
worker and what it started, even a worker busy in native code that never returns to Python (issue 21)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from test_workers import ended, read_pids

HERE = Path(__file__).resolve().parent
# The parent as `press` is: SIGTERM raises KeyboardInterrupt (tools.cli's handler), which it reports and leaves.
PARENT = """
import signal, sys
from tools.cli import _interrupt
from tools.workers import run_jobs
from test_worker_signals import busy
if __name__ == "__main__":
    signal.signal(signal.SIGINT, signal.default_int_handler)  # Ctrl-C as from a terminal, even when this test
    signal.signal(signal.SIGTERM, _interrupt)                  # runs in the background, which ignores SIGINT
    try:
        run_jobs(busy, ["spin", "child"], 2)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        sys.exit(130)
"""


def busy(job: str) -> None:
    """Say the pids that must end (the worker's, and its child's), then never finish: ``spin`` in a C loop that
    holds the interpreter (as a long Typst compile does), ``child`` waiting for a program (as for pandoc)."""
    pids = [os.getpid()]
    if job == "child":
        pids.append(subprocess.Popen(["sleep", "600"]).pid)
    os.write(sys.stdout.fileno(), (" ".join(map(str, pids)) + "\n").encode())
    if job == "child":
        os.wait()
    sum(range(10**18))  # no Python handler runs until this returns


@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGINT, signal.SIGKILL], ids=lambda s: s.name)
def test_every_worker_and_its_child_end_with_the_parent(how: signal.Signals, require) -> None:
    require("sleep", "sudo apt-get install coreutils")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(HERE), str(HERE.parent)]))
    command = [sys.executable, "-c", PARENT]
    with subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, bufsize=0) as parent:
        try:
            pids = read_pids(parent.stdout.fileno(), 2)  # two workers and a child, on two lines
            parent.send_signal(how)
            _, errors = parent.communicate(timeout=120)
        finally:
            parent.kill()
    for pid in pids:
        assert ended(pid), f"process {pid} outlived the build's parent ({how.name})"
    if how != signal.SIGKILL:
        assert parent.returncode == 130 and errors.decode().strip() == "interrupted", errors.decode()
