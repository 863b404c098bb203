"""The site stage's writer: mkdocs into a staging folder, redirects, the security policy, then one swap.

``press site`` (run by ``make``) builds ``mkdocs.site.yml`` with
``mkdocs build --strict`` into ``.press/site`` (the books as hard links to
``dist/``'s, by the hooks: each book stored once), writes a redirect page for
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
from dataclasses import dataclass
from pathlib import Path

import yaml

from tools.csp import nginx_snippet, secure_site
from tools.diagnostics import one_line
from tools.errors import PressError
from tools.fsutil import modified_since, raise_system_error, write_atomic
from tools.ingest import load_seeds
from tools.layout import BUILT_MARK, Layout
from tools.redirects import read_published, redirects, write_redirects


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
    try:
        _mkdocs(layout, stage)
        articles = load_seeds(layout.seeds)
        moves = redirects(read_published(layout.published), articles)
        written = write_redirects(stage, _edition_folders(layout), moves)
        policy = secure_site(stage, layout.csp_record, write_staged)
        write_atomic(layout.nginx, nginx_snippet(policy))
        (stage / BUILT_MARK).touch()
        _swap(stage, layout.site)
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    pages = sum(1 for _ in layout.site.rglob("*.html"))
    return SiteResult(pages, [layout.site / p.relative_to(stage) for p in written], layout.nginx, policy.parsed)


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


def _mkdocs(layout: Layout, stage: Path) -> None:
    if not layout.site_config.is_file():
        raise PressError(layout.site_config, None, "no site configuration", "run press build first")
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(layout.site_config)]
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    run = subprocess.run([*command, "-d", str(stage)], capture_output=True, text=True, check=False, env=env)
    if run.returncode != 0:
        problems = [line for line in run.stderr.splitlines() if line.startswith(("ERROR", "WARNING"))]
        first = (problems or run.stderr.strip().splitlines() or ["failed"])[0]
        raise PressError(
            layout.site_config, None, f"mkdocs: {one_line(first.strip(), 300)}", "fix what it names, then make again"
        )


def _edition_folders(layout: Layout) -> dict[str, str]:
    """Each built edition's folder in the site: '' for the default language, else its code."""
    config = yaml.safe_load(layout.site_config.read_text(encoding="utf-8"))
    entries = next(p["i18n"]["languages"] for p in config["plugins"] if isinstance(p, dict) and "i18n" in p)
    return {e["locale"]: "" if e.get("default") else e["locale"] for e in entries}


def _swap(stage: Path, site: Path) -> None:
    """Put the staged site in place of ``site`` (two renames; the old one is removed after)."""
    old = stage.with_name(stage.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if site.exists():
        os.replace(site, old)
    os.replace(stage, site)
    shutil.rmtree(old, ignore_errors=True)
