"""`make bench-corpus`: the cost of a build as the corpus grows, on generated corpora, and projects to profile.

For each N (``--sizes 10,100,1000``) a project gets N articles, copies of the seed with their own
titles (``press new``'s header) and a few words changed per paragraph, dated over several months,
with an es edition through Apertium. It times, as separate processes: the full build (``press
build`` and ``press site`` apart), a build that changes nothing (``press build``, ``press site`` and
``make`` each), one sentence edited in one seed (``press build`` and ``press site`` apart, and the
two together: the time from an edit to a live site), and one definition edited in
``glossary/definitions/es.yml`` (the two apart). Each time is wall time beside CPU time (the
processes it ran: ``getrusage`` of the children, before and after, which counts every descendant its
parent waited for); the load average is printed at the start and the end. It also prints the largest
resident set of any one process so far, the largest PSS of a command's process tree (``/proc/PID/smaps_rollup`` of the command and its
descendants, sampled every 0.2 s while it runs; none where ``/proc`` has no such file), the built
site's size and the full build's cost per article with its ratio to the first N.

``make`` is timed the way a newsroom runs it, in its checkout: the project gets links to the
toolkit's ``Makefile`` and ``.venv``, and ``make -o .venv/.installed`` runs in it (its default goal:
``press build`` then ``press site`` on that folder, after the Debian packages' check). ``-o``
takes the venv as installed, as a newsroom's is after its first ``make``: the bench never
reinstalls a venv (here a shared one whose stamp may be older than a fresh checkout's lock).

``--keep DIR`` builds the projects in DIR (``n10``, ``n100``, … with the two links; ``site10``, … for
``--site-only``) and keeps them to profile what was measured (``make`` in one, or ``python -m
cProfile -m tools build --root DIR/n100``). DIR must be new, empty or an earlier ``--keep``'s (its
``.bench-corpus`` file); the projects of the sizes asked for are replaced.

``--site-only`` measures the site alone (``press site`` = ``mkdocs build --strict``, redirects, the
CSP) on pages written straight from the page models (source edition only, no engine, no books).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import yaml

from tools.errors import PressError
from tools.fsutil import write_atomic
from tools.ingest import load_seeds, seed_text
from tools.layout import Layout

ROOT = Path(__file__).resolve().parents[1]
PRESS = Path(sys.executable).parent / "press"  # the console script make runs (not python -m tools)
VARIED = ["plainly", "again", "today", "still", "openly", "quietly", "now", "clearly", "indeed", "once more"]
FIRST_DAY = dt.date(2026, 1, 1)
EDITIONS = "source_language: en\nlanguages: [es]\nengines:\n  es: [apertium]\n"
SITE_ONLY = "source_language: en\nlanguages: []\n"
CHECKOUT = ("Makefile", ".venv")  # the toolkit's files a project links to, to be made as a checkout is
MAKE = ("make", "-o", ".venv/.installed")  # the venv taken as installed: the bench never reinstalls one
MARK = ".bench-corpus"  # names a --keep folder as a bench's: its projects may be replaced
SAMPLE = 0.2  # seconds between two samples of a process tree's PSS


@dataclass(frozen=True)
class Timed:
    """One command's wall and CPU seconds, and its process tree's largest PSS sampled (bytes; 0: none)."""

    wall: float
    cpu: float
    pss: int = 0

    def __add__(self, other: Timed) -> Timed:
        return Timed(self.wall + other.wall, self.cpu + other.cpu, max(self.pss, other.pss))


@dataclass(frozen=True)
class Figures:
    """One corpus size's measurements."""

    n: int
    full: tuple[Timed, Timed]  # press build, press site on a new project
    noop: tuple[Timed, Timed, Timed]  # press build, press site, make with nothing changed
    sentence: tuple[Timed, Timed]  # press build, press site after one sentence edited
    glossary: tuple[Timed, Timed]  # the same after one es definition edited
    peak: int  # bytes: the largest resident set of any one process run so far
    site: int  # bytes

    @property
    def pss(self) -> int:
        """The largest PSS of any command's process tree (bytes; 0: not measured)."""
        return max(t.pss for t in (*self.full, *self.noop, *self.sentence, *self.glossary))


def make_project(target: Path, n: int, editions: str = EDITIONS) -> Path:
    """A project in ``target`` with ``n`` articles made from the seed, the term base and the site settings."""
    toolkit, layout = Layout(ROOT), Layout(target)
    shutil.copytree(toolkit.terms.parent, layout.terms.parent)
    languages = yaml.safe_load(editions).get("languages") or []
    for unread in (p for p in layout.definitions.glob("*.yml") if p.stem not in languages):
        unread.unlink()  # a newsroom keeps its editions' definitions only (the others are warned about)
    shutil.copy(toolkit.mkdocs, layout.mkdocs)
    layout.config.write_text(editions, encoding="utf-8")
    seeds = layout.seeds
    seeds.mkdir()
    seed = load_seeds(toolkit.seeds)[0]
    for i in range(n):
        headline = f"Dispatch {i + 1}: {seed.title}"
        body = "\n\n".join(_varied(p.text, i, k) for k, p in enumerate(seed.paragraphs))
        day = (FIRST_DAY + dt.timedelta(days=3 * i)).isoformat()  # ten articles a month
        (seeds / f"{i:04d}_dispatch.txt").write_text(seed_text(headline, day, seed.by, body), encoding="utf-8")
    return target


def link_checkout(project: Path) -> None:
    """Links to the toolkit's Makefile and venv, so that ``make`` in the project builds it as in a checkout."""
    for name in CHECKOUT:
        (project / name).symlink_to(ROOT / name)


def _varied(paragraph: str, article: int, number: int) -> str:
    """The paragraph with a few words of its own: a word after its first comma, and a closing sentence."""
    word = VARIED[(article + number) % len(VARIED)]
    head, comma, tail = paragraph.partition(", ")
    text = f"{head}, {word}{comma.strip(',')}{tail}" if comma else paragraph
    return f"{text} Dispatch {article + 1} says so {VARIED[(article * 7 + number) % len(VARIED)]}."


def edit_sentence(project: Path) -> None:
    """One sentence of the first seed changed (one word)."""
    path = min(Layout(project).seeds.glob("*.txt"))
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(" crossroads.", " crossroads again.", 1), encoding="utf-8")


def edit_definition(project: Path) -> None:
    """One definition of ``glossary/definitions/es.yml`` changed (one word)."""
    path = Layout(project).definitions / "es.yml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("acordadas.", "acordadas entre ellos.", 1), encoding="utf-8")


def press(project: Path, *command: str) -> Timed:
    """``press COMMAND`` on the project, timed. A failure is one PressError."""
    return run([str(PRESS), *command, "--root", str(project)], ROOT, project)


def make(project: Path) -> Timed:
    """``make`` in the project (linked as a checkout by :func:`link_checkout`), timed."""
    return run(list(MAKE), project, project)


def run(command: list[str], cwd: Path, project: Path) -> Timed:
    """The command's wall and CPU seconds and its tree's peak PSS; a failure is one PressError naming its last line."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    with tempfile.TemporaryFile() as log:
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT)
        with sampling(process.pid) as peak:
            code = process.wait()
        wall = time.perf_counter() - start
        log.seek(0)
        output = log.read().decode("utf-8", "replace")
    if code != 0:
        last = (output.strip().splitlines() or ["failed"])[-1]
        name = " ".join(Path(command[0]).name if i == 0 else part for i, part in enumerate(command))
        raise PressError(project, None, f"{name}: {last}", "run it by hand in that folder")
    return Timed(wall, cpu_seconds(before, resource.getrusage(resource.RUSAGE_CHILDREN)), peak[0])


def cpu_seconds(before: resource.struct_rusage, after: resource.struct_rusage) -> float:
    """User and system seconds the children reaped between two ``getrusage(RUSAGE_CHILDREN)`` calls spent."""
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


@contextmanager
def sampling(pid: int) -> Iterator[list[int]]:
    """While the block runs, the largest PSS of ``pid``'s process tree, sampled every SAMPLE s (a one-item list)."""
    peak, done = [0], threading.Event()

    def sample() -> None:
        while True:
            peak[0] = max(peak[0], tree_pss(pid))
            if done.wait(SAMPLE):
                return

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    try:
        yield peak
    finally:
        done.set()
        thread.join()


def tree_pss(pid: int) -> int:
    """The PSS of ``pid`` and its descendants now (bytes); 0 where /proc cannot tell."""
    return sum(_pss(p) for p in tree(pid))


def tree(pid: int) -> list[int]:
    """``pid`` and its descendants now, from ``/proc/PID/task/TID/children`` (those that exit meanwhile drop out)."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        try:
            tasks = list(Path(f"/proc/{current}/task").iterdir())
        except OSError:
            continue
        for task in tasks:
            try:
                todo.extend(int(child) for child in (task / "children").read_text().split())
            except (OSError, ValueError):
                continue
    return found


def _pss(pid: int) -> int:
    try:
        text = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return 0
    return next((int(line.split()[1]) * 1024 for line in text.splitlines() if line.startswith("Pss:")), 0)


def measure(n: int, workdir: Path) -> Figures:
    """Every figure for a corpus of ``n`` articles, its project built in ``workdir/nN``."""
    project = make_project(fresh(workdir / f"n{n}"), n)
    link_checkout(project)
    full = build_then_site(project)
    noop = (*build_then_site(project), make(project))
    edit_sentence(project)
    sentence = build_then_site(project)
    edit_definition(project)
    glossary = build_then_site(project)
    return Figures(n, full, noop, sentence, glossary, _peak(), _size(Layout(project).site))


def build_then_site(project: Path) -> tuple[Timed, Timed]:
    """``press build``'s times, then ``press site``'s."""
    return press(project, "build", "--quiet"), press(project, "site")


def measure_site(n: int, workdir: Path) -> tuple[Timed, int, int]:
    """``press site`` alone on ``n`` source-edition articles: its times, the site's bytes and the front page's."""
    project = make_project(fresh(workdir / f"site{n}"), n, SITE_ONLY)
    write_pages(project)
    timed = press(project, "site")
    site = Layout(project).site
    return timed, _size(site), (site / "index.html").stat().st_size


def write_pages(project: Path) -> None:
    """The source edition's pages, front pages, glossary and site configuration, as the build writes them."""
    from tools.build import load_glossary
    from tools.config import read_settings
    from tools.publish.edition import TermLinker, render_article, render_glossary
    from tools.publish.site import article_page, front_pages, glossary_pages
    from tools.publish.siteconfig import downloads_page, site_config

    layout = Layout(project)
    articles = load_seeds(layout.seeds)
    base = load_glossary(project, [], [])
    linker = TermLinker(base, "en", "en", {}, {}) if base else None
    pages = [render_article(a, "en", linker) for a in articles]
    glossary = glossary_pages(render_glossary(base, "en", linker.found, "en", {}, {})) if base and linker else []
    for page in [*map(article_page, pages), *front_pages(pages, "en"), *glossary]:
        _write(layout.docs / page.path, page.text)
    _write(layout.downloads_page("en"), downloads_page("en", []))
    _write(layout.site_config, site_config(["en"], "en", read_settings(project), glossary=base is not None))


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _peak() -> int:
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024


def _size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def keep_folder(folder: Path) -> Path:
    """``--keep``'s folder, made and marked as a bench's; a file, or a folder with other things in it, refused."""
    if folder.exists() and not folder.is_dir():
        raise PressError(folder, None, "--keep: is a file, not a folder", "give a new or empty folder")
    if folder.is_dir() and any(folder.iterdir()) and not (folder / MARK).is_file():
        raise PressError(
            folder,
            None,
            f"--keep: not empty and not a bench's folder (no {MARK} in it)",
            "give a new or empty folder, or one an earlier --keep made",
        )
    folder.mkdir(parents=True, exist_ok=True)
    write_atomic(folder / MARK, "made by python -m tools.benchcorpus --keep: its nN and siteN projects are replaced\n")
    return folder


def fresh(project: Path) -> Path:
    """The path of a project to make, an earlier run's project there removed (only in the bench's own folder)."""
    if (project.parent / MARK).is_file() and project.exists():
        shutil.rmtree(project)
    return project


def report(rows: list[Figures]) -> str:
    """A Markdown table, one column per N: each time as wall seconds (CPU seconds), memory and sizes in MB."""
    lines = [
        ("full: press build", [_t(r.full[0]) for r in rows]),
        ("full: press site", [_t(r.full[1]) for r in rows]),
        ("no-op: press build", [_t(r.noop[0]) for r in rows]),
        ("no-op: press site", [_t(r.noop[1]) for r in rows]),
        ("no-op: make", [_t(r.noop[2]) for r in rows]),
        ("one sentence: press build", [_t(r.sentence[0]) for r in rows]),
        ("one sentence: press site", [_t(r.sentence[1]) for r in rows]),
        ("one sentence: edit to live site", [_t(r.sentence[0] + r.sentence[1]) for r in rows]),
        ("one es definition: press build", [_t(r.glossary[0]) for r in rows]),
        ("one es definition: press site", [_t(r.glossary[1]) for r in rows]),
        ("peak RSS, one process, MB", [f"{r.peak / 1e6:.0f}" for r in rows]),
        ("peak PSS, process tree, MB", [f"{r.pss / 1e6:.0f}" if r.pss else "–" for r in rows]),
        ("site MB", [f"{r.site / 1e6:.1f}" for r in rows]),
        ("full s/article (wall)", [f"{_per(r):.2f}" for r in rows]),
        (f"ratio to N = {rows[0].n}" if rows else "ratio", [f"{_per(r) / _per(rows[0]):.2f}" for r in rows]),
    ]
    head = ("seconds: wall (CPU)", [f"N = {r.n}" for r in rows])
    return _markdown([head, *lines])


def site_report(rows: list[tuple[int, Timed, int, int]]) -> str:
    """``--site-only``'s table: one row per N (its press site's times, per article, the site's and front page's size)."""
    head = ("N", ["press site s (CPU)", "s/article", "PSS MB", "site MB", "front page KB"])
    lines = [
        (
            str(n),
            [_t(t), f"{t.wall / n:.3f}", f"{t.pss / 1e6:.0f}" if t.pss else "–", f"{s / 1e6:.1f}", f"{f / 1e3:.1f}"],
        )
        for n, t, s, f in rows
    ]
    return _markdown([head, *lines])


def _t(timed: Timed) -> str:
    return f"{timed.wall:.1f} ({timed.cpu:.1f})"


def _per(row: Figures) -> float:
    return (row.full[0].wall + row.full[1].wall) / row.n


def _markdown(rows: list[tuple[str, list[str]]]) -> str:
    """Rows of a label and cells, as a Markdown table padded to read in a terminal."""
    cells = [[label, *values] for label, values in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(cells[0]))]
    text = [
        "| " + " | ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths))) + " |"
        for row in cells
    ]
    rule = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    return "\n".join([text[0], rule, *text[1:]])


def _sizes(text: str) -> list[int]:
    try:
        sizes = [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        sizes = []
    if not sizes or min(sizes) < 1:
        raise argparse.ArgumentTypeError(f"{text!r}: give article counts, e.g. 10,100,1000")
    return sizes


def conditions(when: str) -> str:
    """The load average (1, 5 and 15 minutes) and the cores, e.g. to print at the start and the end."""
    one, five, fifteen = os.getloadavg()
    return f"load average at {when}: {one:.2f} {five:.2f} {fifteen:.2f} ({os.cpu_count()} cores)"


def commit() -> str:
    """The toolkit's commit (short), ``+ changes`` when its tracked files differ from it; ``unknown`` outside git."""
    head = _git("rev-parse", "--short", "HEAD") or "unknown"
    return head + (" + changes" if _git("status", "--porcelain", "--untracked-files=no") else "")


def press_code() -> tuple[str, str]:
    """The toolkit the ``press`` command runs (its ``tools`` folder: a venv's editable install may point at another
    checkout than this one) and the sha256 of its code (:func:`tools.publish.store.code_hash`). A change of that
    code between two builds makes every page again: an edit to the checkout during a run is measured as a code
    change, not as the edit (a one-sentence build at 1,000 articles took 75 s once so)."""
    script = "import tools, tools.publish.store as store; print(tools.__path__[0]); print(store.code_hash())"
    try:
        done = subprocess.run([sys.executable, "-c", script], cwd="/", capture_output=True, text=True, check=False)
    except OSError:
        return "unknown", ""
    lines = done.stdout.split()
    return (lines[0], lines[1]) if done.returncode == 0 and len(lines) == 2 else ("unknown", "")


def _git(*command: str) -> str:
    try:
        done = subprocess.run(["git", "-C", str(ROOT), *command], capture_output=True, text=True, check=False)
    except OSError:
        return ""
    return done.stdout.strip() if done.returncode == 0 else ""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench-corpus", description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=_sizes, default=[10, 100, 1000], help="article counts (default 10,100,1000)")
    parser.add_argument("--site-only", action="store_true", help="time press site alone on the source edition")
    parser.add_argument("--keep", type=Path, metavar="DIR", help="build the projects in DIR and keep them to profile")
    args = parser.parse_args(argv)
    print(f"commit {commit()}; python -m tools.benchcorpus {' '.join(argv if argv is not None else sys.argv[1:])}")
    where, code = press_code()
    print(f"press runs the toolkit in {where} (code {code[:12]})")
    print(conditions("the start"), flush=True)
    try:
        with _workdir(args.keep) as workdir:
            if args.site_only:
                sites = []
                for n in args.sizes:
                    sites.append((n, *measure_site(n, workdir)))
                    print(site_report(sites).splitlines()[-1] if len(sites) > 1 else site_report(sites), flush=True)
            else:
                rows: list[Figures] = []
                for n in args.sizes:
                    rows.append(measure(n, workdir))
                    print(f"\nN = {n} measured; {conditions('this point')}\n{report(rows)}", flush=True)
                    if press_code()[1] != code:
                        print(
                            f"warning: the code in {where} changed during the run: builds after the change made every page again"
                        )
                        return 1
    except PressError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(conditions("the end"))
    if args.keep:
        print(f"kept in {args.keep}: make, press --root or a profiler runs in each project there")
    return 0


@contextmanager
def _workdir(keep: Path | None) -> Iterator[Path]:
    """``--keep``'s folder, or a temporary one removed at the end."""
    if keep is not None:
        yield keep_folder(keep)
        return
    with tempfile.TemporaryDirectory(prefix="press-bench-corpus-") as workdir:
        yield Path(workdir)


if __name__ == "__main__":
    raise SystemExit(main())
