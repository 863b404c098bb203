"""Worker processes: a pool gives what serial execution gives, replaces its workers after their quota, raises
a job's exception as it was raised, never hangs on a dead worker, leaves no process behind, and compiles
real e-books to the same bytes."""

from __future__ import annotations

import collections
import math
import multiprocessing
import os
import pickle
import select
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from tools.config import SiteSettings
from tools.errors import PressError
from tools.glossary.termbase import load_termbase
from tools.ingest import parse_seed
from tools.publish.book import Book, books_of
from tools.publish.bookjobs import compile_book
from tools.publish.edition import TermLinker, render_article, render_glossary
from tools.workers import cores, run_jobs, workers_started

pytestmark = pytest.mark.slow  # process pools, signals and real books

HERE = Path(__file__).resolve().parent
EPOCH = 1_770_000_000


# --- jobs: top-level functions, so a spawned worker can import them ---------------------------------


def square_and_write(job: tuple[Path, int]) -> int:
    folder, number = job
    (folder / f"{number}.txt").write_text(str(number * number), encoding="utf-8")
    return number * number


def whose(job: int) -> int:
    return os.getpid()


class Unpicklable(Exception):
    """An exception that cannot cross a pipe: it holds a lock."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.lock = threading.Lock()


FAILURES = {
    "press error": lambda: PressError(Path("seeds/a.txt"), 3, "not UTF-8", "run press repair"),
    "press error by keyword": lambda: PressError(path="seeds/b.txt", line=None, message="no text", fix="write some"),
    "value error": lambda: ValueError("a bad value"),
    "key error": lambda: KeyError("missing"),
    "os error": lambda: FileNotFoundError(2, "No such file or directory", "/nowhere"),
    "unpicklable": lambda: Unpicklable("holds a lock"),
}


def fail(job: tuple[str, Path, int]) -> None:
    """Leave a file, then raise the named failure."""
    kind, folder, number = job
    square_and_write((folder, number))
    raise FAILURES[kind]()


def meet(job: tuple[threading.Barrier, int]) -> int:
    """Wait for the other job at the barrier: both return only if they run at the same time."""
    barrier, number = job
    barrier.wait()
    return number


def lock(job: int) -> threading.Lock:
    return threading.Lock()


def die(job: int) -> int:
    os.kill(os.getpid(), signal.SIGKILL)
    return job


def block(job: int) -> None:
    """Say who runs it, then wait for a signal."""
    os.write(sys.stdout.fileno(), f"{os.getpid()}\n".encode())  # one write: lines of two workers never mix
    signal.pause()


# --- a pool gives what serial execution gives -------------------------------------------------------


@pytest.mark.parametrize(
    ("workers", "per_worker", "count"),
    [(2, 1, 5), (2, 2, 6), (2, 4, 3), (3, 2, 7), (2, 3, 1), (1, 4, 3), (None, 4, 4), (2, 4, 0)],
)
def test_results_and_files_are_those_of_serial_execution(
    tmp_path: Path, workers: int | None, per_worker: int, count: int
) -> None:
    serial, pooled = tmp_path / "serial", tmp_path / "pooled"
    serial.mkdir(), pooled.mkdir()
    expected = [square_and_write((serial, n)) for n in range(count)]
    assert run_jobs(square_and_write, [(pooled, n) for n in range(count)], workers, per_worker) == expected
    assert read_all(pooled) == read_all(serial)
    assert multiprocessing.active_children() == [], "no worker is left"


def read_all(folder: Path) -> dict[str, str]:
    return {path.name: path.read_text(encoding="utf-8") for path in folder.iterdir()}


@pytest.mark.parametrize(("workers", "per_worker", "count"), [(2, 2, 6), (2, 1, 4), (2, 4, 6), (2, 3, 9)])
def test_a_worker_is_replaced_after_its_quota(workers: int, per_worker: int, count: int) -> None:
    pids = run_jobs(whose, range(count), workers, per_worker)
    served = collections.Counter(pids)
    assert os.getpid() not in served, "the jobs ran in workers"
    assert len(served) >= math.ceil(count / per_worker)
    assert max(served.values()) <= per_worker


def test_two_workers_run_two_jobs_at_once() -> None:
    with multiprocessing.Manager() as manager:
        barrier = manager.Barrier(2, timeout=60)  # a bound against a hang, not a measurement
        assert run_jobs(meet, [(barrier, 0), (barrier, 1)], workers=2) == [0, 1]


def test_one_job_or_one_worker_runs_in_this_process() -> None:
    assert run_jobs(whose, [0]) == [os.getpid()]
    assert run_jobs(whose, range(3), workers=1) == [os.getpid()] * 3


def test_workers_started_ahead_take_the_jobs_given_later_and_end_with_their_block() -> None:
    """Started before their jobs are known (the build starts its book workers first): they are running before a
    job exists, take every job however few (one job too: the workers are there), and end with the block."""
    if cores() < 2:
        pytest.skip(f"{cores()} core: no workers are started ahead on one core")
    with workers_started(whose, per_worker=4) as pool:
        ahead = [worker.process.pid for worker in pool.workers]
        assert len(ahead) == cores() and all(worker.process.is_alive() for worker in pool.workers)
        one = run_jobs(whose, [0], started=pool)
        several = run_jobs(whose, range(3), started=pool)
        assert set(one) | set(several) <= set(ahead), "no worker was started for the jobs: those ahead took them"
        with pytest.raises(ValueError, match="run whose, not square_and_write"):
            run_jobs(square_and_write, [], started=pool)
    assert all(ended(pid) for pid in ahead)


# --- errors -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", FAILURES)
def test_a_failing_job_raises_its_exception_here(tmp_path: Path, kind: str) -> None:
    serial_run, pooled_run = tmp_path / "serial", tmp_path / "pooled"
    serial_run.mkdir(), pooled_run.mkdir()
    with pytest.raises(Exception) as serial:
        run_jobs(fail, [(kind, serial_run, n) for n in range(10)], workers=1)
    with pytest.raises(Exception) as pooled:
        run_jobs(fail, [(kind, pooled_run, n) for n in range(10)], workers=2)
    if kind == "unpicklable":  # its type cannot cross: its name and message do
        assert pooled.type is RuntimeError and str(pooled.value) == f"test_workers.Unpicklable: {serial.value}"
    else:
        assert (pooled.type, str(pooled.value)) == (serial.type, str(serial.value))
    assert "Traceback" in str(pooled.value.__cause__), "the worker's traceback is the cause"
    assert len(list(pooled_run.iterdir())) <= 2, "the first failure stops the run: no job after it starts"
    assert multiprocessing.active_children() == [], "no worker is left"


def wait_for(job: Path) -> str:
    """Wait (at most 60 s) for the file the parent's ``meanwhile`` writes: a job that ends only if it ran meanwhile."""
    for _ in range(600):
        if job.is_file():
            return job.read_text(encoding="utf-8")
        threading.Event().wait(0.1)
    raise TimeoutError(f"{job} never came")


def test_meanwhile_runs_here_while_the_workers_work(tmp_path: Path) -> None:
    signals = [tmp_path / "first", tmp_path / "second"]
    seen: list[int] = []

    def meanwhile() -> None:
        seen.append(len(multiprocessing.active_children()))  # both workers started, each with its job
        for path in signals:
            path.write_text(path.name, encoding="utf-8")

    assert run_jobs(wait_for, signals, 2, meanwhile=meanwhile) == ["first", "second"]
    assert seen == [2] and multiprocessing.active_children() == []


def test_meanwhile_failing_ends_the_busy_workers(tmp_path: Path) -> None:
    def meanwhile() -> None:
        raise PressError(None, None, "the pages failed")

    with pytest.raises(PressError, match="the pages failed"):
        run_jobs(block, [1, 2], 2, meanwhile=meanwhile)
    assert multiprocessing.active_children() == [], "no worker is left"


def test_meanwhile_runs_first_when_there_are_no_workers(tmp_path: Path) -> None:
    order: list[str] = []
    assert run_jobs(str, [1], meanwhile=lambda: order.append("meanwhile")) == ["1"]
    assert order == ["meanwhile"]


def test_a_worker_that_dies_is_one_error_not_a_hang() -> None:
    with pytest.raises(PressError, match=r"a worker process died \(killed by SIGKILL\) during job [12] of 3"):
        run_jobs(die, range(3), workers=2)
    assert multiprocessing.active_children() == []


def test_what_cannot_cross_a_pipe_is_an_error_not_a_hang() -> None:
    with pytest.raises(TypeError, match="cannot pickle '_thread.lock' object"):
        run_jobs(whose, [threading.Lock(), 1], workers=2)  # a job
    with pytest.raises(TypeError, match="cannot pickle '_thread.lock' object"):
        run_jobs(lock, range(2), workers=2)  # a result
    assert multiprocessing.active_children() == []


# Ctrl-C's handler set as a terminal's shell leaves it: a shell's background job (`make test &`, nohup, some CI
# runners) starts with SIGINT ignored, Python then installs no KeyboardInterrupt, and the parent would hang.
RUN_BLOCKED = (
    "import signal; signal.signal(signal.SIGINT, signal.default_int_handler); "
    "from tools.workers import cores, run_jobs, workers_started; from test_workers import block; run_jobs(block, range(2), 2)"
)


@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_to_the_parent_ends_its_workers(how: signal.Signals) -> None:
    """SIGTERM kills a parent without a handler (the kernel then signals the workers); SIGINT raises
    KeyboardInterrupt in it (the pool terminates them on the way out)."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(HERE), str(HERE.parent)]))
    command = [sys.executable, "-c", RUN_BLOCKED]
    with subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, bufsize=0) as parent:
        try:
            pids = read_pids(parent.stdout.fileno(), 2)
            parent.send_signal(how)
            _, errors = parent.communicate(timeout=60)
        finally:
            parent.kill()
    for pid in pids:
        assert ended(pid), f"worker {pid} outlived its parent"
    assert b"press-worker" not in errors, "a worker prints no traceback"


def read_pids(fd: int, count: int, seconds: float = 60) -> list[int]:
    """``count`` lines of a pipe as numbers; a failure after ``seconds`` of silence (a bound against a hang)."""
    text = b""
    while text.count(b"\n") < count:
        assert select.select([fd], [], [], seconds)[0], f"no line from the workers: {text!r}"
        chunk = os.read(fd, 4096)
        assert chunk, f"the parent ended: {text!r}"
        text += chunk
    return [int(line) for line in text.split()]


def ended(pid: int, seconds: float = 60) -> bool:
    """Wait for a process that is not our child to end (a bound against a hang, not a measurement)."""
    try:
        handle = os.pidfd_open(pid)
    except ProcessLookupError:
        return True
    try:
        return bool(select.select([handle], [], [], seconds)[0])
    finally:
        os.close(handle)


# --- real books -------------------------------------------------------------------------------------

SEEDS = [
    (
        " date 2026-02-09 Europe tightens the net around the shadow fleet\nby: Olena Marchenko\n\n"
        "Baltic states began inspecting the tankers of the shadow fleet.\n\nThe inspections are slow.\n"
    ),
    (
        " date 2026-02-05 Why the Northern Sea Route matters\nby: Daniel Weiss\n\n"
        "The Northern Sea Route is short only on the map.\n\nMoscow still sells it as a prize.\n"
    ),
    " date 2026-02-02 Grain, ports and insurance\n\nShips wait for cover, and prices climb — 12% in a week.\n",
]


def real_books() -> list[Book]:
    """Three small English articles with the project's glossary: their month's volume and a book each (four)."""
    base, _ = load_termbase(HERE.parent / "glossary" / "terms.yml")
    linker = TermLinker(base, "en")
    seeds = [parse_seed(text.encode(), Path(f"seeds/00{n}.txt")) for n, text in enumerate(SEEDS)]
    pages = [render_article(seed, "en", linker) for seed in seeds]
    settings = SiteSettings(publisher="The Test Newsroom", rights="CC BY 4.0")
    return books_of(pages, render_glossary(base, "en", linker.found), settings)


def test_a_book_pickles() -> None:
    books = real_books()
    assert books[0].glossary and any(book.terms for book in books), "with glossary entries"
    for book in books:
        assert pickle.loads(pickle.dumps(book)) == book


def test_real_books_compile_in_workers_to_the_bytes_made_here(tmp_path: Path) -> None:
    books = real_books()
    assert len(books) == 4
    jobs = {place: [(book, *book.files(tmp_path / place), EPOCH) for book in books] for place in ("serial", "pooled")}
    for job in jobs["serial"]:
        compile_book(job)
    run_jobs(compile_book, jobs["pooled"], workers=2, per_worker=1)
    for (_, epub, pdf, _), (_, pooled_epub, pooled_pdf, _) in zip(jobs["serial"], jobs["pooled"], strict=True):
        assert pooled_pdf.stat().st_size > 0
        assert pooled_epub.read_bytes() == epub.read_bytes(), epub.name
        assert pooled_pdf.read_bytes() == pdf.read_bytes(), pdf.name
    assert multiprocessing.active_children() == []


def test_a_build_runs_without_full_garbage_collections_and_gives_them_back() -> None:
    """In the block no full collection runs (a build's long-lived records are not walked again and again); young
    ones still free cycles; after it, even after an error, the thresholds are as they were."""
    import gc

    from tools.workers import young_collections_only

    before = gc.get_threshold()
    full, young = [], []

    def count(phase: str, info: dict) -> None:
        if phase == "stop":
            (full if info["generation"] == 2 else young).append(info["collected"])

    gc.callbacks.append(count)
    try:
        with pytest.raises(KeyError), young_collections_only():
            kept = []  # long-lived objects, as a build's records: five full collections without the block
            for number in range(200_000):  # and cycles among them, garbage at once
                cycle: list = []
                cycle.append(cycle)
                kept.append([number])
            raise KeyError("an error inside")
    finally:
        gc.callbacks.remove(count)
    assert full == [] and sum(young) > 0, "cycles freed by young collections only"
    assert gc.get_threshold() == before
