"""The site stage's writer: mkdocs into a staging folder, redirects, the security policy, then one swap.

``press site`` (run by ``make``) builds ``mkdocs.site.yml`` with
``mkdocs build --strict`` into ``.press/site``: each edition in a mkdocs process
of its own, as many at once as there are cores, joined into the site one
mkdocs build makes (:mod:`tools.publish.sitejoin`); the books as hard links to
``dist/``'s, by the hooks: each book stored once. It writes a redirect page for
every old slug of every edition (:mod:`tools.redirects`), writes each page's
content security policy and ``_headers`` (:mod:`tools.csp`) and the nginx
snippet ``site.nginx.conf`` beside the site; only then does ``site/`` make
way for the new one. A failure at any step leaves the previous ``site/`` as
it was.

The staging folder is written without an fsync per file (:func:`write_staged`):
mkdocs writes it so too, it is rebuilt from scratch by every run, and the
rename that swaps it in is the step that makes the new site live. The CSP
pass parses only the pages mkdocs wrote differently from any page of an
earlier run (its record, ``.press/cache/csp.json``). ``site.nginx.conf``, a
live file, is written with :func:`tools.fsutil.write_atomic`, and only when
its bytes change.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from tools.csp import nginx_snippet, secure_site
from tools.diagnostics import one_line
from tools.errors import PressError
from tools.fsutil import file_system_now, mark_as_of, modified_since, raise_system_error, write_atomic
from tools.layout import BUILT_MARK, Layout, explicit_epoch
from tools.publish.sitejoin import EDITION, gzipped, join_search, join_sitemap
from tools.redirects import published_now, read_published, redirects, write_redirects
from tools.workers import cores


@dataclass(frozen=True)
class SiteResult:
    """What the site stage made."""

    pages: int
    redirects: list[Path]
    nginx: Path
    parsed: tuple[str, ...] = ()  # the pages the CSP pass parsed (no recorded scan of their bytes)


# The site stage's own code: a change of any of these makes the site stale (the pages' code is in their keys).
SITE_CODE = tuple(
    Path(__file__).parent / name
    for name in (
        "sitebuild.py",
        "mkdocs_hooks.py",
        "csp.py",
        "redirects.py",
        "publish/siteconfig.py",
        "publish/feed.py",
        "publish/sitecache.py",
        "publish/sitejoin.py",
    )
)


def site_is_current(layout: Layout) -> bool:
    """Whether ``site/`` was built after its every input last changed (a file or folder, so a removed file
    counts too), and after the site stage's own code."""
    mark = layout.site_mark
    if not mark.is_file():
        return False
    built = mark.stat().st_mtime_ns
    return not modified_since([*layout.site_inputs, *SITE_CODE], built)


def build_site(layout: Layout) -> SiteResult:
    """Build the whole site beside ``site/``, then put it in its place; PressError on any failure."""
    stage = layout.site_stage
    shutil.rmtree(stage, ignore_errors=True)
    start = file_system_now(layout.cache)  # the site mark's time: an input changed from now on is newer
    parts: list[Path] = []  # the scans the editions' builds used as they secured their pages
    try:
        folders = mkdocs_site(layout, stage)
        parts = [layout.csp_part(lang) for lang in folders] if len(folders) > 1 else []
        published = read_published(layout.published, layout.published_memo)
        moves = redirects(published, published_now(published, stage, folders.values()))
        written = write_redirects(stage, folders, moves)
        policy = secure_site(stage, layout.csp_record, write_staged, parts)
        write_atomic(layout.nginx, nginx_snippet(policy))
        (stage / BUILT_MARK).touch()
        mark_as_of(stage / BUILT_MARK, start)
        _swap(stage, layout.site)
    finally:
        shutil.rmtree(stage, ignore_errors=True)
        for part in parts:
            part.unlink(missing_ok=True)
    return SiteResult(
        len(policy.pages), [layout.site / p.relative_to(stage) for p in written], layout.nginx, policy.parsed
    )


def write_staged(path: Path, data: bytes) -> None:
    """A file of the staging tree, without an fsync: the tree is thrown away unless the swap puts it in place, and
    a crash before the swap leaves the previous ``site/``. The old file is unlinked first, so a hard link (a book
    shared with ``dist/``) is never written through."""
    try:
        path.unlink(missing_ok=True)
        path.write_bytes(data)
        os.chmod(path, 0o644)
    except OSError as exc:
        raise_system_error(exc, path)
        raise


def mkdocs_site(layout: Layout, stage: Path, apart: bool = True) -> dict[str, str]:
    """mkdocs into ``stage``: one process per edition, as many at once as there are cores, then joined
    (:func:`_join`); one edition, a site without editions, or ``apart=False``, in one process (where the i18n
    plugin builds the other editions inside the default's build, as under ``mkdocs serve``). Returns each
    edition's folder in the site (:func:`_edition_folders`)."""
    if not layout.site_config.is_file():
        raise PressError(layout.site_config, None, "no site configuration", "run press build first")
    folders = _edition_folders(layout)
    if len(folders) < 2 or not apart:
        _finish(layout, [_MkDocs.start(layout, stage, None)], until=0)
        return folders
    from tools.publish import sitecache  # mkdocs-material's search plugin: not imported by a site that is current

    sides = {lang: stage if not folder else stage.with_name(f"{stage.name}.{lang}") for lang, folder in folders.items()}
    for side in sides.values():
        shutil.rmtree(side, ignore_errors=True)
    try:
        waiting, running = list(sides.items()), []
        while waiting:
            running = _finish(layout, running, until=cores() - 1)
            lang, side = waiting.pop(0)
            running.append(_MkDocs.start(layout, side, lang))
        _finish(layout, running, until=0)
        _join(stage, {lang: (sides[lang], folder) for lang, folder in folders.items()})
        sitecache.join_parts(layout.root, list(folders))
    finally:
        for side in sides.values():
            if side != stage:
                shutil.rmtree(side, ignore_errors=True)
    return folders


@dataclass
class _MkDocs:
    """A ``mkdocs build`` running, its messages in a temporary file (a pipe left unread while another edition's
    build is waited for could fill and stop it)."""

    process: subprocess.Popen
    messages: Any

    @classmethod
    def start(cls, layout: Layout, target: Path, edition: str | None) -> _MkDocs:
        """``mkdocs build --strict`` of the site (of ``edition`` alone, when given) into ``target``.

        Python's ``-P``: the current folder is not on the module path, so a project's own ``tools/`` (or a
        ``markdown.py``) is never imported in place of the toolkit's or a library's. SOURCE_DATE_EPOCH reaches
        mkdocs checked (:func:`tools.layout.explicit_epoch`); set but empty, it is left out (mkdocs would crash
        on it)."""
        config = str(layout.site_config)
        command = [sys.executable, "-P", "-m", "mkdocs", "build", "--strict", "-f", config, "-d", str(target)]
        epoch = explicit_epoch()
        env = {key: value for key, value in os.environ.items() if key not in (EDITION, "SOURCE_DATE_EPOCH")}
        env.update({"NO_MKDOCS_2_WARNING": "1", **({EDITION: edition} if edition else {})})
        env.update({} if epoch is None else {"SOURCE_DATE_EPOCH": str(epoch)})
        messages = tempfile.TemporaryFile()  # noqa: SIM115 - it lives as long as the build, closed by end()
        try:
            return cls(subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=messages, env=env), messages)
        except BaseException:
            messages.close()
            raise

    def stderr(self) -> str:
        self.messages.seek(0)
        return self.messages.read().decode("utf-8", errors="replace")

    def end(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self.messages.close()


def _finish(layout: Layout, running: list[_MkDocs], until: int) -> list[_MkDocs]:
    """Wait until at most ``until`` of the builds run; those still running are returned. A failed build is one
    PressError with mkdocs' first error or warning, raised once the others running have finished: what they made
    stays in the page caches, whichever ended first (as in the nested build, which builds every edition before
    mkdocs --strict refuses it). An interrupt ends them all at once."""
    failure = None
    try:
        while len(running) > (max(until, 0) if failure is None else 0):
            ended = [build for build in running if build.process.poll() is not None]
            if not ended:
                time.sleep(0.02)
            for build in ended:
                running.remove(build)
                failed = build.process.returncode != 0
                stderr = build.stderr() if failed else ""
                build.end()
                if failed and failure is None:
                    failure = _mkdocs_error(layout, stderr)
    except BaseException:
        for build in running:
            build.end()
        raise
    if failure is not None:
        raise failure
    return running


def _mkdocs_error(layout: Layout, stderr: str) -> PressError:
    """mkdocs' first error or warning; without one (a traceback), its last line, which names the exception."""
    problems = [line for line in stderr.splitlines() if line.startswith(("ERROR", "WARNING"))]
    first = problems[0] if problems else (stderr.strip().splitlines() or ["failed"])[-1]
    return PressError(
        layout.site_config, None, f"mkdocs: {one_line(first.strip(), 300)}", "fix what it names, then make again"
    )


def _join(stage: Path, editions: dict[str, tuple[Path, str]]) -> None:
    """The editions built apart made one site in ``stage`` (the default edition's build): each other edition's
    folder moved in, and the site's search index and sitemap made of every edition's (:mod:`tools.publish.sitejoin`)."""
    built = [side for side, _ in editions.values()]
    for side, folder in editions.values():
        if folder:
            os.replace(side / folder, stage / folder)
    index, sitemap, gz = Path("search/search_index.json"), Path("sitemap.xml"), Path("sitemap.xml.gz")
    try:
        if _in_all(built, index):
            write_staged(stage / index, join_search([_text(side / index) for side in built]).encode("utf-8"))
        if _in_all(built, sitemap):
            text = join_sitemap([_text(side / sitemap) for side in built])
            write_staged(stage / sitemap, text.encode("utf-8"))
            if _in_all(built, gz):
                write_staged(stage / gz, gzipped(text, str(stage / gz), (stage / gz).read_bytes()))
    except (ValueError, KeyError, TypeError) as error:
        why = f"the editions' {index} or {sitemap} do not join ({type(error).__name__}: {error})"
        raise PressError(stage, None, why, "report it: mkdocs wrote what press does not know") from None


def _in_all(sides: list[Path], name: Path) -> bool:
    """Whether every edition's build wrote ``name`` (none: False); one without it, when others have it, is an error."""
    present = [(side / name).is_file() for side in sides]
    if any(present) and not all(present):
        raise ValueError(f"{name} is missing from {sides[present.index(False)]}")
    return all(present)


def _text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def _edition_folders(layout: Layout) -> dict[str, str]:
    """Each built edition's folder in the site: '' for the default language, else its code; the default first,
    then the others in the order the i18n plugin builds them."""
    config = yaml.safe_load(layout.site_config.read_text(encoding="utf-8"))
    plugins = [p["i18n"] for p in config.get("plugins", []) if isinstance(p, dict) and "i18n" in p]
    entries = [e for e in (plugins[0]["languages"] if plugins else []) if e.get("build", True)]
    entries.sort(key=lambda e: not e.get("default"))
    return {e["locale"]: "" if e.get("default") else e["locale"] for e in entries}


def _swap(stage: Path, site: Path) -> None:
    """Put the staged site in place of ``site`` (two renames). The old site, renamed aside, is removed by a
    process of its own that outlives this one: the new site is live once the renames are done, and the
    removal (0.4 s for 3,000 pages) is nobody's wait. What an interrupted removal leaves, the next one removes."""
    for leftover in stage.parent.glob(f"{stage.name}.old*"):
        shutil.rmtree(leftover, ignore_errors=True)
    old = stage.with_name(f"{stage.name}.old.{os.getpid()}")
    if site.exists():
        os.replace(site, old)
    os.replace(stage, site)
    if old.exists():
        _remove_apart(old)


def _remove_apart(folder: Path) -> None:
    """``folder`` removed by an ``rm -rf`` that a shell starts in the background and leaves (so it outlives this
    process, and no child is left to reap); by this process when the shell cannot run."""
    try:
        subprocess.run(
            ["sh", "-c", 'rm -rf -- "$1" &', "sh", str(folder)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
            check=True,
        )
    except (OSError, subprocess.CalledProcessError):
        shutil.rmtree(folder, ignore_errors=True)
