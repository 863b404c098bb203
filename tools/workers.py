"""Jobs in worker processes: one per core, each replaced after a few jobs, so memory stays flat.

:func:`run_jobs` runs a top-level function over picklable jobs in processes
started by ``spawn`` (never ``fork``: a forked child inherits the parent's
threads and locks, Typst's included), one job at a time per worker, through
a pipe per worker. A worker leaves after ``per_worker`` jobs and a fresh one
takes its place; what a job leaked goes with it (measured with 36 books:
a process compiling them all grew from 150 to 168 MiB; a worker replaced
after 4 peaked at 120 MiB). At 1,000 articles a worker grew to 204–216 MB
PSS by its fourth book: 16 books of a 1,000-article project in two workers
(the tree's PSS sampled every 0.1 s) peaked at 770 MB replaced after 4 books,
583 MB after 2 (3% slower) and 437 MB after 1 (7% slower), so the default is
2. Before its first worker starts, the parent hands the memory it freed back
to the system (:func:`give_back_memory`). The standard pools were measured on Python 3.11.7:
``ProcessPoolExecutor(max_tasks_per_child=...)`` hangs once the first worker
leaves (CPython gh-115634, with spawn too), and ``multiprocessing.Pool``
waits forever when a worker dies; here a worker's death is an error.
``pebble.ProcessPool(max_tasks=...)`` (5.2.3) kept the contract only with
this module's guard, exception wrapper and one-job-at-a-time dispatch
around it, and raised the first failure with a worker's pandoc still
running (ARCHITECTURE.md, "Why not pebble").

Errors: the first job to raise ends the run; its exception reaches the caller
with its type and message (the worker's traceback as its ``__cause__``).
Ctrl-C and SIGTERM belong to the parent (the CLI turns SIGTERM into
KeyboardInterrupt). Each worker leads a process group of its own, which its
pandoc inherits: on any exception the parent sends SIGTERM to every busy
worker's group at once (a worker takes it with the default action, so a job
in native code, a Typst compile or a loop that never returns to Python, ends
at once) and SIGKILL to a group still there after ``GRACE``. A worker dies
with its parent whatever the parent died of: the kernel sends it SIGKILL
(``PR_SET_PDEATHSIG``), and a guard it starts (a shell, in its group) sends
SIGKILL to the group within a second of the worker's end, so a pandoc it
started goes too.
"""

from __future__ import annotations

import ctypes
import dataclasses
import functools
import gc
import multiprocessing
import os
import pickle
import shutil
import signal
import subprocess
import sys
import time
import traceback
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from multiprocessing.reduction import ForkingPickler
from typing import Any, TypeVar

from tools.errors import PressError

Job = TypeVar("Job")
Result = TypeVar("Result")
GRACE = 10.0  # seconds a terminated worker's group has to end before it is killed
_PR_SET_PDEATHSIG = 1
# The guard: while its parent is the worker ($1), wait; then SIGKILL to its process group (the worker's, and what it
# started). The worker's end is read in /proc (a dead worker no one has reaped yet still answers kill -0).
_GUARD = 'while read -r _ _ _ up _ < /proc/$$/stat && [ "$up" = "$1" ]; do sleep 1; done; kill -KILL 0'


def run_jobs(
    function: Callable[[Job], Result],
    jobs: Iterable[Job],
    workers: int | None = None,
    per_worker: int = 2,
    meanwhile: Callable[[], object] | None = None,
    started: WorkerPool | None = None,
) -> list[Result]:
    """``function`` over ``jobs``, the results in the jobs' order.

    In ``workers`` processes (default: one per core; never more than jobs),
    each replaced after ``per_worker`` jobs; with one worker or one job, in
    this process. ``function`` must be a module's top-level function.
    ``meanwhile`` runs here once the workers have their first jobs (first, when
    there are no workers); an exception it raises ends the workers. Workers
    ``started`` ahead (:func:`workers_started`) take the jobs instead of new ones.
    """
    jobs = list(jobs)
    if started is not None and started.function is not function:
        raise ValueError(f"the workers started run {started.function.__name__}, not {function.__name__}")
    size = min(workers or cores(), len(jobs))
    if size <= 1 and not (started and jobs):
        if meanwhile is not None:
            meanwhile()
        return [function(job) for job in jobs]
    if per_worker < 1:
        raise ValueError(f"per_worker must be at least 1, not {per_worker}")
    give_back_memory()
    if started is not None:
        return started.run(jobs, meanwhile)  # the block that started them ends them
    pool = WorkerPool(function, size, per_worker)
    try:
        return pool.run(jobs, meanwhile)
    finally:
        pool.close()


@contextmanager
def workers_started(function: Callable[[Job], Result], per_worker: int = 2) -> Iterator[WorkerPool | None]:
    """Workers for ``function`` (one per core) started now, so that what starting them costs (a process and its
    imports: 0.3 s of CPU each) is spent while the caller, on one core, prepares their jobs; :func:`run_jobs`
    given them (``started=``) feeds them, however many jobs there are. None on one core. They end with the block."""
    if cores() <= 1:
        yield None
        return
    pool = WorkerPool(function, cores(), per_worker)
    try:
        pool.start()
        yield pool
    finally:
        pool.close()


def give_back_memory() -> None:
    """Hand the C heap's free pages back to the system (glibc's ``malloc_trim``; nothing elsewhere): what the
    caller freed stops counting against the process tree while its workers run (50 MB of a 311 MB build at 1,000
    articles; a garbage collection first freed nothing more and cost 0.3 s)."""
    try:
        ctypes.CDLL(None).malloc_trim(0)
    except (OSError, AttributeError):  # not glibc
        pass


@contextmanager
def young_collections_only() -> Iterator[None]:
    """No full (oldest-generation) garbage collection in the block; the young ones go on. A build holds millions
    of long-lived objects (the page records, the page models) and creates few reference cycles: CPython's full
    collections walked them all a dozen times and found nothing (5.2 s of a 19 s edit at 3,000 articles, each
    collecting 0 to 10 objects); an edition's mkdocs spends 1.2 s of 15 s so."""
    thresholds = stop_full_collections()
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)


def stop_full_collections() -> tuple[int, int, int]:
    """No more full garbage collection in this process (:func:`young_collections_only`); the thresholds before."""
    thresholds = gc.get_threshold()
    gc.set_threshold(thresholds[0], thresholds[1], _NO_FULL_COLLECTION)
    return thresholds


_NO_FULL_COLLECTION = 1 << 30  # young collections before a full one: never, in one process's life


def cores() -> int:
    """The cores this process may run on (its CPU affinity where the system tells, as in a container)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0)) or 1
    return os.cpu_count() or 1


# --- the parent's side -----------------------------------------------------------------------------


@dataclasses.dataclass
class _Worker:
    process: BaseProcess
    conn: Connection  # the parent's end of the worker's pipe
    left: int  # jobs it may still be given
    job: int | None = None  # the index of the job it runs


class WorkerPool:
    """Workers started by spawn, fed one job at a time, each replaced after its quota of jobs."""

    def __init__(self, function: Callable, size: int, per_worker: int) -> None:
        self.context = multiprocessing.get_context("spawn")
        self.function, self.size, self.per_worker = function, size, per_worker
        self.workers: list[_Worker] = []

    def start(self) -> None:
        """Start every worker now, before there is a job for it."""
        while len(self.workers) < self.size:
            self.workers.append(self._start())

    def run(self, jobs: list, meanwhile: Callable[[], object] | None = None) -> list:
        waiting = deque(enumerate(jobs))
        results: dict[int, Any] = {}
        if meanwhile is not None:
            self._dispatch(waiting)
            meanwhile()
        while len(results) < len(jobs):
            self._dispatch(waiting)
            for worker in self._finished():
                index = worker.job
                results[index] = self._result(worker, len(jobs))
                worker.job = None
        return [results[index] for index in range(len(jobs))]

    def _dispatch(self, waiting: deque) -> None:
        """Retire the workers that used their quota, start new ones while jobs wait, give each idle one a job."""
        for worker in [w for w in self.workers if w.job is None and w.left == 0]:
            self.workers.remove(worker)
            _end([worker])
        while len(self.workers) < min(self.size, len(waiting) + self._busy()):
            self.workers.append(self._start())
        for worker in self.workers:
            if worker.job is None and waiting:
                worker.job, job = waiting.popleft()
                worker.left -= 1
                _send(worker, job)

    def _busy(self) -> int:
        return sum(worker.job is not None for worker in self.workers)

    def _start(self) -> _Worker:
        ours, theirs = self.context.Pipe()
        args = (theirs, self.function, self.per_worker, os.getpid())
        process = self.context.Process(target=_serve, args=args, name="press-worker", daemon=True)
        process.start()
        theirs.close()
        return _Worker(process, ours, self.per_worker)

    def _finished(self) -> list[_Worker]:
        """The busy workers with an answer, or dead: blocks until there is one."""
        busy = [worker for worker in self.workers if worker.job is not None]
        ready = set(wait([w.conn for w in busy] + [w.process.sentinel for w in busy]))
        return [w for w in busy if w.conn in ready or w.process.sentinel in ready]

    def _result(self, worker: _Worker, count: int) -> Any:
        """The worker's answer for its job: the result, or the job's exception raised here."""
        try:
            answer = worker.conn.recv() if worker.conn.poll() else None
        except (EOFError, OSError):
            answer = None
        if answer is None:
            raise _died(worker, count)
        ok, value, remote = answer
        if ok:
            return value
        error = value() if isinstance(value, functools.partial) else value
        raise error from _RemoteTraceback(remote)

    def close(self) -> None:
        """End every worker: an idle one leaves when its pipe closes, a busy one is terminated."""
        _end(self.workers)
        self.workers = []


def _send(worker: _Worker, message: Any) -> None:
    try:
        worker.conn.send(message)
    except (BrokenPipeError, ConnectionResetError):
        raise _died(worker, None) from None


def _end(workers: list[_Worker]) -> None:
    """Close the workers' pipes (an idle one leaves), SIGTERM the busy ones' groups, wait for all at once (at most
    ``GRACE``), then SIGKILL to what is left of those groups."""
    busy = [_group(w.process) for w in workers if w.job is not None]
    for worker in workers:
        worker.conn.close()
    for group in busy:
        _kill(group, signal.SIGTERM)
    deadline = time.monotonic() + GRACE
    waiting = [w.process for w in workers]
    while waiting and time.monotonic() < deadline:
        wait([p.sentinel for p in waiting], deadline - time.monotonic())
        waiting = [p for p in waiting if p.exitcode is None]
    for process in waiting:
        _kill(_group(process), signal.SIGKILL)
    for group in busy:
        _kill(group, signal.SIGKILL)  # what a worker started, had it gone alone
    for worker in workers:
        worker.process.join()
        worker.process.close()


def _group(process: BaseProcess) -> int:
    """The worker's process group (``-pid``: itself, its guard, its pandoc), or its pid before it leads one."""
    try:
        return -process.pid if process.pid and os.getpgid(process.pid) == process.pid else process.pid or 0
    except ProcessLookupError:
        return 0


def _kill(target: int, how: signal.Signals) -> None:
    """Send ``how`` to a process group (``target`` < 0) or a process; nothing when it is gone."""
    try:
        if target < 0:
            os.killpg(-target, how)
        elif target > 0:
            os.kill(target, how)
    except ProcessLookupError:
        pass


def _died(worker: _Worker, count: int | None) -> PressError:
    """A worker that left without an answer (killed: out of memory?) as one line."""
    worker.process.join(GRACE)
    how = _how_it_ended(worker.process.exitcode)
    job = f"during job {worker.job + 1} of {count}" if worker.job is not None and count else "between jobs"
    return PressError(
        None, None, f"a worker process died ({how}) {job}", "see the messages above (out of memory?) and run it again"
    )


def _how_it_ended(code: int | None) -> str:
    if code is None or code >= 0:
        return f"exit status {code}"
    try:
        return f"killed by {signal.Signals(-code).name}"
    except ValueError:
        return f"killed by signal {-code}"


class _RemoteTraceback(Exception):
    """The worker's traceback, shown as the cause of the exception raised in the parent."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text

    def __str__(self) -> str:
        return f'\n"""\n{self.text}"""'


# --- the worker's side -----------------------------------------------------------------------------


def _serve(conn: Connection, function: Callable, jobs: int, parent: int) -> None:
    """A worker: at most ``jobs`` jobs from the pipe, each answered (ok, result or exception, traceback)."""
    guard = _die_with(parent)
    try:
        for _ in range(jobs):
            try:
                conn.send_bytes(_answer(function, conn.recv()))
            except (EOFError, OSError):  # the parent closed the pipe, or is gone
                return
    finally:
        if guard is not None:
            guard.kill()
            guard.wait()


def _answer(function: Callable, job: Any) -> bytes:
    try:
        return bytes(ForkingPickler.dumps((True, function(job), "")))
    except Exception as error:  # noqa: BLE001 - any job's exception goes back to the parent, raised there
        remote = "".join(traceback.format_exception(error))
        return bytes(ForkingPickler.dumps((False, _portable(error), remote)))


def _portable(error: Exception) -> Exception | functools.partial:
    """The exception in a form the parent unpickles as the same type and message.

    A dataclass exception (PressError) is rebuilt from its fields: pickle would
    call it with the positional arguments it was given, and keywords are lost.
    Failing both, a RuntimeError with its type's name and message.
    """
    candidates: list[Any] = []
    if dataclasses.is_dataclass(error):
        fields = {f.name: getattr(error, f.name) for f in dataclasses.fields(error) if f.init}
        candidates.append(functools.partial(type(error), **fields))
    candidates.append(error)
    for candidate in candidates:
        if _round_trips(candidate):
            return candidate
    return RuntimeError(f"{type(error).__module__}.{type(error).__qualname__}: {error}")


def _round_trips(value: object) -> bool:
    try:
        pickle.loads(pickle.dumps(value))
    except Exception:  # noqa: BLE001 - pickle raises many kinds (TypeError, AttributeError, PicklingError...)
        return False
    return True


def _die_with(parent: int) -> subprocess.Popen | None:
    """Lead a process group; Ctrl-C is the parent's to handle, SIGTERM ends the worker at once (its default
    action, even in native code); the parent's death kills it (the kernel's SIGKILL), and the guard (returned;
    None without a shell and /proc) kills its group when it is gone."""
    os.setpgid(0, 0)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    shell = shutil.which("sh")
    command = [shell, "-c", _GUARD, "sh", str(os.getpid())]
    guard = subprocess.Popen(command, stdin=subprocess.DEVNULL) if shell and os.path.isdir("/proc") else None
    if os.getppid() != parent:  # it died before the lines above
        os.killpg(0, signal.SIGKILL)
    return guard
