"""`make bench-corpus`: the cost of a build as the corpus grows, on generated corpora.

For each N (``--sizes 10,100,1000``) a temporary project gets N articles, copies of the seed with
their own titles (``press new``'s header) and a few words changed per paragraph, dated over several
months, with an es edition through Apertium. It times, as separate processes: the full build
(``press build`` then ``press site``), a build that changes nothing, one sentence edited in one
seed, one definition edited in ``glossary/definitions/es.yml`` (``press build`` and ``press site`` each
timed on its own for the two edits: the target is the build's; the site's is reported beside it); and prints the peak memory of any
of those processes (``getrusage`` of the children), the built site's size, and the full build's
cost per article with its ratio to the first N.

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
import time
from dataclasses import dataclass
from pathlib import Path

from tools.errors import PressError
from tools.ingest import load_seeds, seed_text
from tools.layout import Layout

ROOT = Path(__file__).resolve().parents[1]
PRESS = Path(sys.executable).parent / "press"  # the console script make runs (not python -m tools)
VARIED = ["plainly", "again", "today", "still", "openly", "quietly", "now", "clearly", "indeed", "once more"]
FIRST_DAY = dt.date(2026, 1, 1)
EDITIONS = "source_language: en\nlanguages: [es]\nengines:\n  es: [apertium]\n"
SITE_ONLY = "source_language: en\nlanguages: []\n"


@dataclass(frozen=True)
class Figures:
    """One corpus size's measurements (seconds, bytes)."""

    n: int
    full: float
    noop: float
    sentence: tuple[float, float]  # press build, press site
    glossary: tuple[float, float]
    peak: int  # bytes: the largest resident set of any process run so far
    site: int


def make_project(target: Path, n: int, editions: str = EDITIONS) -> Path:
    """A project in ``target`` with ``n`` articles made from the seed, the term base and the site settings."""
    toolkit, layout = Layout(ROOT), Layout(target)
    shutil.copytree(toolkit.terms.parent, layout.terms.parent)
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


def press(project: Path, *command: str) -> float:
    """Run ``press COMMAND`` in the project; its wall time in seconds. A failure is one PressError."""
    start = time.perf_counter()
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    run = subprocess.run(
        [str(PRESS), *command, "--root", str(project)],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
        env=env,
    )
    if run.returncode != 0:
        last = (run.stderr.strip().splitlines() or ["failed"])[-1]
        raise PressError(project, None, f"press {' '.join(command)}: {last}", "run it by hand in that folder")
    return time.perf_counter() - start


def build_and_site(project: Path) -> float:
    return sum(build_then_site(project))


def build_then_site(project: Path) -> tuple[float, float]:
    """``press build``'s seconds, then ``press site``'s."""
    return press(project, "build", "--quiet"), press(project, "site")


def measure(n: int, workdir: Path) -> Figures:
    """Every figure for a corpus of ``n`` articles."""
    project = make_project(workdir / f"n{n}", n)
    full = build_and_site(project)
    noop = build_and_site(project)
    edit_sentence(project)
    sentence = build_then_site(project)
    edit_definition(project)
    glossary = build_then_site(project)
    return Figures(n, full, noop, sentence, glossary, _peak(), _size(Layout(project).site))


def measure_site(n: int, workdir: Path) -> tuple[float, int, int]:
    """``press site`` alone on ``n`` source-edition articles: its seconds, the site's bytes and the front page's."""
    project = make_project(workdir / f"site{n}", n, SITE_ONLY)
    write_pages(project)
    seconds = press(project, "site")
    site = Layout(project).site
    return seconds, _size(site), (site / "index.html").stat().st_size


def write_pages(project: Path) -> None:
    """The source edition's pages, front pages, glossary and site configuration, as the build writes them."""
    from tools.build import load_glossary
    from tools.config import read_settings
    from tools.publish.edition import TermLinker, render_article, render_glossary
    from tools.publish.model import GLOSSARY_PAGE
    from tools.publish.site import article_page, front_pages, glossary_markdown
    from tools.site import downloads_page, site_config

    layout = Layout(project)
    docs = layout.docs / "en"
    articles = load_seeds(layout.seeds)
    base = load_glossary(project, [], [])
    linker = TermLinker(base, "en", "en", {}, {}) if base else None
    pages = [render_article(a, "en", linker) for a in articles]
    for page in [*map(article_page, pages), *front_pages(pages, "en")]:
        _write(layout.docs / page.path, page.text)
    if base and linker:
        _write(docs / GLOSSARY_PAGE, glossary_markdown(render_glossary(base, "en", linker.found, "en", {}, {})))
    _write(layout.downloads_page("en"), downloads_page("en", []))
    _write(layout.site_config, site_config(["en"], "en", read_settings(project), glossary=base is not None))


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _peak() -> int:
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024


def _size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def report(rows: list[Figures]) -> str:
    """The table: one line per N, the cost per article and its ratio to the first N."""
    head = f"{'N':>5} {'full s':>8} {'no-op s':>8} {'sentence s (+site)':>18} {'glossary s (+site)':>18} "
    lines = [head + f"{'peak MB':>8} {'site MB':>8} {'s/article':>9} {'ratio':>6}"]
    base = rows[0].full / rows[0].n if rows else 1.0
    for r in rows:
        per = r.full / r.n
        lines.append(
            f"{r.n:>5} {r.full:>8.1f} {r.noop:>8.1f} {_pair(r.sentence):>18} {_pair(r.glossary):>18} "
            f"{r.peak / 1e6:>8.0f} {r.site / 1e6:>8.1f} {per:>9.2f} {per / base:>6.2f}"
        )
    return "\n".join(lines)


def _pair(seconds: tuple[float, float]) -> str:
    """A build's and its site's seconds: ``4.2 (+13.0)``."""
    return f"{seconds[0]:.1f} (+{seconds[1]:.1f})"


def _sizes(text: str) -> list[int]:
    try:
        sizes = [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        sizes = []
    if not sizes or min(sizes) < 1:
        raise argparse.ArgumentTypeError(f"{text!r}: give article counts, e.g. 10,100,1000")
    return sizes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench-corpus", description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=_sizes, default=[10, 100, 1000], help="article counts (default 10,100,1000)")
    parser.add_argument("--site-only", action="store_true", help="time press site alone on the source edition")
    args = parser.parse_args(argv)
    try:
        with tempfile.TemporaryDirectory(prefix="press-bench-corpus-") as workdir:
            if args.site_only:
                print(f"{'N':>5} {'site s':>8} {'s/article':>9} {'site MB':>8} {'front page KB':>13}")
                for n in args.sizes:
                    seconds, size, front = measure_site(n, Path(workdir))
                    print(f"{n:>5} {seconds:>8.1f} {seconds / n:>9.3f} {size / 1e6:>8.1f} {front / 1e3:>13.1f}")
                return 0
            rows: list[Figures] = []
            for n in args.sizes:
                rows.append(measure(n, Path(workdir)))
                print(report(rows).splitlines()[-1] if len(rows) > 1 else report(rows), flush=True)
    except PressError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
