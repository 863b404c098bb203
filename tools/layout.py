"""Where every file of a project lives: the one place that turns a name into a path.

A :class:`Layout` knows the project's inputs (seeds, term base, configuration,
the translation memories, the record of published URLs) and its generated
outputs (``docs/<lang>/`` pages, ``dist/`` e-books, ``mkdocs.site.yml``,
``site/``). :meth:`Layout.staged` is the same project whose outputs go to a
staging tree: the build writes there, and :func:`swap_in` moves what changed
into place only when every stage succeeded, so a failed or interrupted build
leaves the previous outputs as they were.
"""

from __future__ import annotations

import fnmatch
import os
import shutil
import stat as stat_module
import subprocess
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from tools import __version__
from tools.errors import PressError
from tools.fsutil import same_bytes

CONFIG_FILE = "editions.yml"  # the project's inputs, by name: only this module says where they live
TERMS_FILE = Path("glossary") / "terms.yml"
DEFINITIONS_DIR = Path("glossary") / "definitions"
MKDOCS_CONFIG = "mkdocs.yml"
STAGE = ".press/stage"  # the build's staging tree, under the project's root
SITE_STAGE = ".press/site"  # the site being built, before it replaces site/
LOCKS = ".press/locks"  # lock files: outside every folder mkdocs serve watches (taking a lock changes nothing there)
GLOSSARY_MEMORY = "glossary.po"  # the term base's definitions and annotations, translated
DOWNLOADS = "downloads"  # docs/<lang>/downloads/: the e-books the site serves
BOOK_SUFFIXES = (".epub", ".pdf")
BOOK_INPUTS = ".inputs.*.json"  # dist/: each edition's hashes of its books' inputs (tools.buildcache)
THEME = Path(__file__).resolve().parents[1] / "overrides"  # the theme's templates and stylesheet: the toolkit's
BUILT_MARK = ".built"  # site/.built: when the site was last built (tools.sitebuild)


@dataclass(frozen=True)
class Layout:
    """A project's files: inputs under ``root``, generated outputs under ``out`` (``root`` unless staged)."""

    root: Path
    out: Path | None = None

    @property
    def seeds(self) -> Path:
        return self.root / "seeds"

    @property
    def terms(self) -> Path:
        return self.root / TERMS_FILE

    @property
    def definitions(self) -> Path:
        """The term base's definitions and annotations as written per language (``glossary/definitions/<lang>.yml``)."""
        return self.root / DEFINITIONS_DIR

    @property
    def config(self) -> Path:
        return self.root / CONFIG_FILE

    @property
    def mkdocs(self) -> Path:
        """The site's hand-written configuration."""
        return self.root / MKDOCS_CONFIG

    @property
    def translations(self) -> Path:
        return self.root / "translations"

    @property
    def published(self) -> Path:
        """The site paths every article has had (``published.yml``, committed: old links keep working)."""
        return self.root / "published.yml"

    @property
    def outputs(self) -> Path:
        return self.out or self.root

    @property
    def docs(self) -> Path:
        return self.outputs / "docs"

    @property
    def dist(self) -> Path:
        return self.outputs / "dist"

    @property
    def site_config(self) -> Path:
        return self.outputs / "mkdocs.site.yml"

    @property
    def site(self) -> Path:
        return self.root / "site"

    @property
    def site_mark(self) -> Path:
        """When ``site/`` was last built: what :func:`tools.sitebuild.site_is_current` compares its inputs with."""
        return self.site / BUILT_MARK

    @property
    def nginx(self) -> Path:
        """The site's security headers as an nginx snippet, beside ``site/``."""
        return self.root / "site.nginx.conf"

    @property
    def build_mark(self) -> Path:
        """When the last build succeeded, and what it said: ``press build`` does nothing while no input is newer."""
        return self.root / ".press" / "built.json"

    @property
    def cache(self) -> Path:
        """The build's records of what it made (generated, never committed): :mod:`tools.publish.store`."""
        return self.root / ".press" / "cache"

    def page_record(self, lang: str) -> Path:
        """What the last build made of each article in ``lang`` (:mod:`tools.publish.store`)."""
        return self.cache / f"{lang}.json"

    def memory_index(self, lang: str) -> Path:
        """What each memory of ``lang`` holds, under its sha256: SQLite (:class:`tools.memory.language.LanguageMemory`)."""
        return self.cache / f"{lang}.memories.sqlite"

    @property
    def seed_record(self) -> Path:
        """The seeds whose language was checked and whose templates were written (:mod:`tools.publish.store`)."""
        return self.cache / "seeds.json"

    @property
    def language_model(self) -> Path:
        """py3langid's model for the toolkit's languages, read faster than the library's (:func:`tools.langid.load_identifier`)."""
        return self.cache / "langid-model.npz"

    @property
    def published_memo(self) -> Path:
        """What ``published.yml``'s bytes read as, by their sha256 (:func:`tools.redirects.read_published`)."""
        return self.cache / "published.json"

    @property
    def csp_record(self) -> Path:
        """Each built page's scan by the sha256 of the bytes mkdocs wrote (:mod:`tools.csp`): a page mkdocs wrote
        as before is not parsed again."""
        return self.cache / "csp.json"

    def csp_part(self, edition: str) -> Path:
        """The scans an edition's mkdocs process used as it secured its pages (:class:`tools.csp.PageSecurer`)."""
        return self.cache / f"csp.{edition}.json"

    @property
    def site_pages_record(self) -> Path:
        """How many conversions and renders the last site build reused and made (:mod:`tools.publish.sitecache`)."""
        return self.cache / "site-pages.json"

    @property
    def site_conversions(self) -> Path:
        """Each site page's Markdown conversion, a file each under the sha256 of its inputs
        (:mod:`tools.publish.sitecache`): a page whose inputs are as recorded is not converted again."""
        return self.cache / "site-conversions"

    @property
    def site_templates(self) -> Path:
        """The theme's templates as Jinja compiled them (its bytecode cache, checked against each template's source)."""
        return self.cache / "site-templates"

    @property
    def site_front_matter(self) -> Path:
        """Each site page's front matter as mkdocs reads it, a file each under the sha256 of the page's source."""
        return self.cache / "site-front-matter"

    @property
    def site_search_entries(self) -> Path:
        """Each site page's search entries, a file each under the sha256 of what they are made of."""
        return self.cache / "site-search"

    @property
    def site_renders(self) -> Path:
        """Each site page's HTML as the theme rendered it, a file each under the sha256 of its template's context
        (:mod:`tools.publish.rendercache`): a page whose context is as recorded is not rendered again."""
        return self.cache / "site-renders"

    @property
    def site_replays(self) -> Path:
        """Each site page's build as recorded, a file each under the sha256 of its source and its edition's files,
        navigation and settings (:mod:`tools.publish.pagereplay`): a page whose inputs are as recorded is replayed."""
        return self.cache / "site-replays"

    @property
    def ace_record(self) -> Path:
        """The books DAISY Ace found clean, by sha256 (:mod:`tools.ace`): a book checked clean is not checked again."""
        return self.cache / "ace.json"

    @property
    def locks(self) -> Path:
        """The project's lock files (:mod:`tools.lock`, the memories' locks): never in a watched folder."""
        return self.root / LOCKS

    @property
    def writer_lock(self) -> Path:
        """The one-writer lock every command that writes the project holds (:mod:`tools.lock`)."""
        return self.locks / "press.lock"

    @property
    def build_inputs(self) -> list[Path]:
        """What a build reads and writes in the project: a change to any (a removed output too) means building."""
        return [self.seeds, self.terms.parent, self.translations, self.config, self.mkdocs, self.published,
                self.docs, self.dist]  # fmt: skip

    @property
    def serve_inputs(self) -> list[Path]:
        """What ``mkdocs serve`` watches for press build besides ``docs/`` (:mod:`tools.mkdocs_hooks`): the seeds, the
        term base, the memories, the configuration and the site settings."""
        return [self.seeds, self.terms.parent, self.translations, self.config, self.mkdocs]

    @property
    def site_inputs(self) -> list[Path]:
        """What the built site is made from: its pages, its configuration, the theme's overrides (the toolkit's
        ``THEME``, which ``mkdocs.site.yml`` names) and the published slugs (redirects: the site reads no seed)."""
        return [self.docs, self.mkdocs, self.site_config, self.published, THEME]

    @property
    def site_stage(self) -> Path:
        return self.root / SITE_STAGE

    def memories(self, lang: str) -> Path:
        """The folder of a language's translation memories."""
        return self.translations / lang

    def memory(self, lang: str, article_id: str) -> Path:
        """An article's translation memory in a language."""
        return self.memories(lang) / f"{article_id}.po"

    def template(self, article_id: str) -> Path:
        """An article's PO template (its sentences, no translations) for translators' tools."""
        return self.translations / "templates" / f"{article_id}.pot"

    def words(self, lang: str) -> Path:
        """The words the project's reviewers accept in ``lang`` that its hunspell dictionary lacks (one a line)."""
        return self.memories(lang) / "words.txt"

    def glossary_memory(self, lang: str) -> Path:
        return self.memories(lang) / GLOSSARY_MEMORY

    def page(self, lang: str, slug: str) -> Path:
        return self.docs / lang / f"{slug}.md"

    def downloads_page(self, lang: str) -> Path:
        """The page that lists an edition's books (``docs/<lang>/downloads.md``)."""
        return self.docs / lang / f"{DOWNLOADS}.md"

    def downloads(self, lang: str) -> Path:
        """The folder of an edition's books in the site (``docs/<lang>/downloads/``)."""
        return self.docs / lang / DOWNLOADS

    def download(self, lang: str, name: str) -> Path:
        return self.downloads(lang) / name

    def staged(self) -> Layout:
        """The same project, its outputs written to the staging tree."""
        return Layout(self.root, self.root / STAGE)

    def generated(self, known: Collection[Path] = ()) -> list[Path]:
        """Every generated output present: pages (by their generator mark, unless ``known`` to be generated),
        downloads, e-books, the site config."""
        pages = [p for p in _files_below(self.docs, ".md") if p in known or is_generated(p)]  # archive/, page/ too
        downloads = _files_in(self.docs, DOWNLOADS)
        books = [p for p in _files_in(self.dist) if p.suffix in BOOK_SUFFIXES or _is_book_inputs(p.name)]
        config = [self.site_config] if self.site_config.is_file() else []
        return sorted(pages + downloads + books + config, key=lambda path: path.parts)

    def edition_outputs(self, lang: str) -> list[Path]:
        """The generated outputs of one edition present: its pages and downloads, its books and their record."""
        books = tuple(f".{lang}{suffix}" for suffix in BOOK_SUFFIXES)
        return [
            path
            for path in self.generated()
            if path.is_relative_to(self.docs / lang)
            or (path.parent == self.dist and (path.name.endswith(books) or path.name == f".inputs.{lang}.json"))
        ]


@dataclass
class Published:
    """What :func:`swap_in` did to the live outputs, and the sha256 of each live output it knows without reading."""

    written: list[Path]
    unchanged: list[Path]
    removed: list[Path]
    shas: dict[Path, str] = field(default_factory=dict)


Stamp = tuple[int, int, str]  # a live output as the last build left it: its size, its mtime (ns), its sha256
NOTHING: Mapping = MappingProxyType({})


def swap_in(
    stage: Layout,
    live: Layout,
    known: Mapping[Path, str] = NOTHING,
    recorded: Mapping[Path, Stamp] = NOTHING,
    kept: Mapping[Path, str | None] = NOTHING,
) -> Published:
    """Move every staged output that differs into place, remove live outputs neither staged nor ``kept``, drop the
    stage.

    Only renames and deletions happen here: everything that can fail for its
    content (translation, rendering, pandoc, Typst) has already succeeded. A
    hand-written page in the way of a generated one stops it before anything moves. An
    unchanged file is left alone, mtime and all, so ``make`` sees nothing new.

    A staged file is compared by the record, not read: when the build ``known`` its sha256 (it had the text) and
    the live file is as ``recorded`` (its size and mtime those the last build left, its sha256 the same), it is
    unchanged. A live file that is not provably as recorded (edited by hand, no record) is compared byte by byte.

    ``kept``: live outputs the build keeps as they are, each with its sha256 when the build knows it (a page the
    record proves unchanged, a book whose inputs are those it was made from): not staged, so neither linked into
    the stage nor compared here (at 3,000 articles, 30,000 files were linked, compared and unlinked). One that is
    gone meanwhile is not counted: the next build makes it again.
    """
    done = Published([], [], [])
    staged = stage.generated(set(_files_below(stage.docs, ".md")))  # the stage holds only what the build wrote
    prefix, base = len(str(stage.outputs)), str(live.outputs)
    pairs = [(path, Path(base + str(path)[prefix:])) for path in staged]
    stats = {target: _stat(target) for _, target in pairs}  # one stat of each live output
    linked = {target for path, target in pairs if _same_file(stats[target], _stat(path))}
    recorded_sha = {target: _recorded_sha(stats[target], recorded.get(target)) for _, target in pairs}
    for path, target in pairs:  # the sha256 of each live output as it will be, where it is known without reading
        sha = known.get(path) or (recorded_sha[target] if target in linked else None)
        if sha:
            done.shas[target] = sha
    proven = {t for p, t in pairs if t not in linked and p in known and recorded_sha[t] == known[p]}
    for _, target in pairs:
        ours = target in linked or target in proven or recorded_sha[target] is not None  # as the last build left it
        is_file = stats[target] is not None and stat_module.S_ISREG(stats[target].st_mode)
        if target.suffix == ".md" and not ours and is_file and not is_generated(target):
            raise PressError(
                target,
                None,
                "a hand-written page has the name of a page the build makes",
                f"rename {target.name} (the build writes its own {target.name} there)",
            )
    keep = {target for _, target in pairs}
    for target, sha in kept.items():
        stat = None if target in keep else _stat(target)
        if stat is not None and stat_module.S_ISREG(stat.st_mode):
            done.unchanged.append(target)
            sha = sha or _recorded_sha(stat, recorded.get(target))
            if sha:
                done.shas[target] = sha
    keep |= set(kept)
    for path, target in pairs:
        if target in linked or target in proven or (target.is_file() and same_bytes(path, target)):
            done.unchanged.append(target)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(path, target)
        done.written.append(target)
    for path in live.generated(keep):
        if path not in keep:
            path.unlink()
            done.removed.append(path)
    discard(stage)
    return done


def _files_below(folder: Path, suffix: str) -> list[Path]:
    """The files ending in ``suffix`` in the folders of ``folder`` (not in it), at any depth; links not followed."""
    found = []
    for top, _, names in os.walk(folder):
        if top != str(folder):
            found += [Path(top, name) for name in names if name.endswith(suffix)]
    return found


def _files_in(folder: Path, below: str | None = None) -> list[Path]:
    """The files in ``folder`` (or, with ``below``, in each ``<folder>/<edition>/<below>``), not in subfolders."""
    folders = [folder] if below is None else [Path(e.path, below) for e in _entries(folder) if e.is_dir()]
    return [Path(entry.path) for each in folders for entry in _entries(each) if entry.is_file()]


def _entries(folder: Path) -> list[os.DirEntry]:
    try:
        with os.scandir(folder) as entries:
            return list(entries)
    except (FileNotFoundError, NotADirectoryError):
        return []


def _is_book_inputs(name: str) -> bool:
    """Whether a ``dist/`` file name is a book record (``BOOK_INPUTS``)."""
    return fnmatch.fnmatchcase(name, BOOK_INPUTS)


def _stat(path: Path) -> os.stat_result | None:
    try:
        return os.stat(path)
    except OSError:
        return None


def same_file(first: Path, second: Path) -> bool:
    """Whether two paths name one file (hard links of it); False when either is missing."""
    return _same_file(_stat(first), _stat(second))


def _same_file(first: os.stat_result | None, second: os.stat_result | None) -> bool:
    """Whether two stats are of one file (a hard link of it), as :func:`os.path.samefile` says."""
    return first is not None and second is not None and os.path.samestat(first, second)


def _recorded_sha(stat: os.stat_result | None, stamp: Stamp | None) -> str | None:
    """:func:`as_recorded` from a stat already made."""
    if stamp is None or stat is None:
        return None
    return stamp[2] if (stat.st_size, stat.st_mtime_ns) == stamp[:2] else None


def as_recorded(path: Path, recorded: Mapping[Path, Stamp]) -> str | None:
    """The recorded sha256 of a live output whose size and mtime are still the recorded ones (no file is read);
    None when there is no record of it, or it is not there, or it changed since (by hand: then it is read)."""
    stamp = recorded.get(path)
    return None if stamp is None else _recorded_sha(_stat(path), stamp)


def memory_lock(memory: Path) -> Path:
    """The lock file of a translation memory: under its project's ``.press/locks/`` when it is a project's
    (``translations/<lang>/NAME.po``), so locking it writes nothing into ``translations/``; else beside it."""
    path = memory.resolve()  # one lock file whatever path names the memory
    project = Layout(path.parents[2]) if len(path.parents) > 2 else None
    if project is not None and path.parent == project.memories(path.parent.name):
        return project.locks / "memories" / path.parent.name / f"{path.name}.lock"
    return path.with_name(f".{path.name}.lock")


def discard(stage: Layout) -> None:
    """Remove a staging tree (after publishing it, or after a failed build)."""
    if stage.out is not None:
        shutil.rmtree(stage.out, ignore_errors=True)


# --- what the toolkit generated, and when -------------------------------------------------------

GENERATOR = f"press {__version__}"  # the front matter of every generated page, and each memory's header, name it
BOOK_SOURCES = ("seeds", "glossary", "translations", "editions.yml")  # what a book's date follows


def is_generated(path: Path) -> bool:
    """True for a page this toolkit wrote (its front matter names the generator)."""
    return "\ngenerator: press " in front_matter_text(path)


def front_matter_text(path: Path) -> str:
    """The front matter block of a Markdown file, as text ('' if it has none), however long (an article's
    description is its first paragraph)."""
    with path.open(encoding="utf-8", errors="replace") as file:
        if file.readline() != "---\n":
            return ""
        lines = ["---\n"]
        for line in file:
            if line == "---\n":
                break
            lines.append(line)
    return "".join(lines).rstrip("\n")


def explicit_epoch() -> int | None:
    """SOURCE_DATE_EPOCH as the user set it (seconds since 1970), or None when it is unset or empty. Any other
    value is a PressError: a malformed epoch stops the build (reproducible-builds.org), never a silent guess."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not value:
        return None
    if not (value.isascii() and value.isdigit()):
        fix = "set it to a whole number of seconds since 1970 (git log -1 --format=%ct), or unset it"
        raise PressError(None, None, f"SOURCE_DATE_EPOCH={value!r} is not a number of seconds", fix)
    return int(value)


def source_date_epoch(root: Path) -> int:
    """The books' date: SOURCE_DATE_EPOCH if set, else the last commit touching the sources, else the newest file
    among seeds, glossary and editions.yml (not the memories: the build writes them, so the epoch, a book input,
    would move from one build to the next); so too where git is not installed."""
    if (explicit := explicit_epoch()) is not None:
        return explicit
    try:
        command = ["git", "log", "-1", "--format=%ct", "--", *BOOK_SOURCES]
        run = subprocess.run(command, cwd=root, capture_output=True, text=True, check=False)
    except OSError:  # no git on this machine: the files say
        run = None
    if run is not None and run.returncode == 0 and run.stdout.strip().isdigit():
        return int(run.stdout.strip())
    written = [name for name in BOOK_SOURCES if name != "translations"]
    files = [p for name in written for p in ([root / name] if (root / name).is_file() else (root / name).rglob("*"))]
    return int(max((p.stat().st_mtime for p in files if p.is_file()), default=0))
