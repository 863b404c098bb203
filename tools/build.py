"""The pipeline in order: seeds → articles → every edition's pages, glossary and e-books, staged then published.

Reads the seeds, ``editions.yml``, the term base and the translation
memories (through a :class:`~tools.layout.Layout`); writes the memories (new
machine translations, saved as they come, so nothing translated is lost)
and, once the outputs are in place, ``published.yml`` (every slug an article has had, for redirects). The
generated outputs — ``docs/<lang>/`` pages and downloads, ``dist/`` e-books,
``mkdocs.site.yml`` — are written to a staging tree and published into place
only when every stage succeeded: a failure anywhere leaves the previous
outputs byte for byte; an unchanged file keeps its mtime (``make`` stays
incremental); outputs of removed or renamed articles are removed.
Hand-written files in ``docs/`` are never touched: only a page whose front
matter names this generator counts as generated.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import sys
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from tools import __version__
from tools.buildcache import place, tool_versions
from tools.config import Config, load_config
from tools.diagnostics import WARNING, Diagnostic
from tools.ebook import Book, Job, book_key, compile_books, plan_books, source_date_epoch
from tools.edition import (
    ArticlePage,
    EditionPages,
    backlinks_of,
    page_from_record,
    page_record,
    render_article,
    render_front_pages,
    with_languages,
)
from tools.engines import Engine, Unavailable, apertium
from tools.engines.argos import packages_dir
from tools.fsutil import file_sha, modified_since, refuse_unwritable, write_atomic
from tools.glossary.definitions import load_authored, machine_units
from tools.glossary.pages import TermLinker, render_glossary
from tools.glossary.termbase import TermBase, check_languages, load_termbase, stop_on_errors
from tools.ingest import Article, load_seeds
from tools.langid import check_seed_language
from tools.layout import DOWNLOADS, Layout, discard, swap_in
from tools.memory import LanguageMemory, write_template
from tools.pagecache import Record, code_hash, input_key, sha256
from tools.redirects import read_published, slug_history, write_published
from tools.site import SiteSettings, downloads_page, read_settings, site_config
from tools.translate import (
    Translation,
    choose_engine,
    glossary_units,
    progress_printer,
    translate_article,
    translate_units,
    units_of,
)


@dataclass
class Edition:
    """One language's edition in this build: built (by what), or skipped (why, and the fix)."""

    lang: str
    engine: str = ""
    model: str = ""
    machine: int = 0
    reviewed: int = 0
    engine_calls: int = 0
    reused: int = 0
    tried: list[tuple[str, Unavailable]] = field(default_factory=list)  # engines before the one used, and why not

    @property
    def skipped(self) -> bool:
        return not self.engine and bool(self.tried)

    def describe(self) -> str:
        """One line of the editions table (and one more per engine that could not serve)."""
        if self.skipped:
            line = f"{self.lang:<4} skipped  no engine here can serve it"
        elif not self.engine:
            line = f"{self.lang:<4} built    source edition"
        else:
            total = self.machine + self.reviewed
            share = f"{100 * self.reviewed / total:.0f}% reviewed" if total else "empty"
            line = f"{self.lang:<4} built    {self.engine} {self.model}, {share} ({self.machine} machine, {self.reviewed} reviewed)"
        return "\n".join([line, *(f"       {name}: {why.reason}; fix: {why.fix}" for name, why in self.tried)])

    def reasons(self) -> tuple[tuple[str, str, str], ...]:
        """Why each engine could not serve, with the language's code as ``<lang>``: equal for editions that
        are skipped for one reason."""
        return tuple((name, _general(why.reason, self.lang), _general(why.fix, self.lang)) for name, why in self.tried)


def editions_table(editions: list[Edition]) -> list[str]:
    """The editions table: a line per built edition; skipped editions that share their reasons share lines."""
    lines, skipped = [], defaultdict(list)
    for edition in editions:
        if edition.skipped:
            skipped[edition.reasons()].append(edition)
        else:
            lines += edition.describe().split("\n")
    for reasons, group in skipped.items():
        if len(group) == 1:
            lines += group[0].describe().split("\n")
            continue
        langs = ", ".join(e.lang for e in group)
        lines.append(f"{langs}  skipped  no engine here can serve them")
        lines += [f"       {name}: {reason}; fix: {fix}" for name, reason, fix in reasons]
    return lines


def _general(text: str, lang: str) -> str:
    """``text`` with the language's code, where it names a pair (``en→uk``, ``translate-en_uk-``), as ``<lang>``."""
    return re.sub(rf"(?<=[→_]){re.escape(lang)}(?![\w])", "<lang>", text)


@dataclass
class BuildResult:
    """What a build did, for the summary the CLI prints."""

    articles: list[Article] = field(default_factory=list)
    editions: list[Edition] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    removed: list[Path] = field(default_factory=list)
    warnings: list[Diagnostic] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def build(root: Path, fresh: bool = False) -> BuildResult:
    """Ingest every seed under ``root``, write every edition an engine here can serve; all or nothing.

    ``fresh``: redo every article's translation lookup and page, as if no build had run before.
    """
    live = Layout(root)
    stage = live.staged()
    discard(stage)
    published = read_published(live.published)  # a damaged record stops the build before any work
    refuse_unwritable(_output_folders(live))  # and so does an output folder it cannot write in
    try:
        result, records = _build_into(live, stage, fresh)
        slugs = slug_history(published, result.articles)
        refuse_unwritable(_target_folders(stage, live))
        done = swap_in(stage, live)
    except BaseException:
        discard(stage)
        raise
    result.written, result.unchanged, result.removed = done.written, done.unchanged, done.removed
    write_published(live.published, slugs)  # only a build that succeeded records its slugs
    for record in records:
        record.save()
    record_build(live, result)
    return result


def _output_folders(live: Layout) -> set[Path]:
    """The folders the outputs go into (or the nearest above that exists): one it cannot write in stops it first."""
    return {live.docs, live.dist, live.outputs}


def _target_folders(stage: Layout, live: Layout) -> set[Path]:
    """The live folders the staged outputs move into: one that cannot be written stops it before anything moves."""
    staged = (path for path in stage.outputs.rglob("*") if path.is_file())
    return _output_folders(live) | {(live.outputs / p.relative_to(stage.outputs)).parent for p in staged}


def record_build(live: Layout, result: BuildResult) -> None:
    """After a build that succeeded: what it said, for :func:`unchanged_build` (the mark's time is the build's)."""
    retry = any(name == "libretranslate" for e in result.editions for name, _ in e.tried)  # a server may be back
    said = {"fingerprint": _fingerprint(), "retry": retry, **build_summary(result)}
    write_atomic(live.build_mark, json.dumps(said, ensure_ascii=False, indent=1) + "\n")
    os.utime(live.build_mark)


def build_summary(result: BuildResult) -> dict[str, list[str]]:
    """What ``press build`` prints of a build: its warnings, its articles, the editions table."""
    return {
        "warnings": [str(w) for w in result.warnings],
        "articles": [f"{a.id}  {a.date}  {len(a.paragraphs)} paragraphs  → {a.slug}" for a in result.articles],
        "editions": editions_table(result.editions),
    }


def unchanged_build(live: Layout) -> dict | None:
    """What the last build said, if nothing it reads or writes changed since (its inputs, its outputs, the
    toolkit's code, the installed Argos models and Apertium pairs); None when a build is needed."""
    try:
        said = json.loads(live.build_mark.read_text(encoding="utf-8"))
        since = live.build_mark.stat().st_mtime_ns
    except (OSError, ValueError):
        return None
    if not isinstance(said, dict) or said.get("fingerprint") != _fingerprint() or said.get("retry"):
        return None
    code = [Path(__file__).parent, packages_dir(), apertium.data_dir()]  # a model or pair installed since
    return None if modified_since([*live.build_inputs, *code], since) else said


def _fingerprint() -> str:
    """What else a build depends on: the toolkit's version, its Python, where Argos models are."""
    return f"{__version__} {sys.executable} {packages_dir()}"


@dataclass
class _Made:
    """An edition as this build made it: its pages, each article's input key, and the record to save."""

    pages: EditionPages
    keys: dict[str, str]  # article id → the key of its page's inputs
    record: Record


def _build_into(live: Layout, stage: Layout, fresh: bool) -> tuple[BuildResult, list[Record]]:
    config = load_config(live.root)
    result = BuildResult(articles=load_articles(live))
    seeds = Record(live.seed_record) if fresh else Record.read(live.seed_record)
    _check_seeds(live, config, result.articles, seeds)
    base = load_glossary(live.root, config.languages, result.warnings, config.source_language)
    authored = load_authored(live.definitions, base, config.languages, result.warnings) if base else {}
    for article in result.articles:
        result.warnings += [Diagnostic(article.source, None, WARNING, "repair", repair) for repair in article.repairs]
    epoch = source_date_epoch(live.root)
    settings = read_settings(live.root)
    made: list[_Made] = []
    for lang in config.all_languages:
        record = Record(live.page_record(lang)) if fresh else Record.read(live.page_record(lang))
        edition, pages = _edition(live, config, lang, result, base, authored.get(lang, {}), settings, record)
        result.editions.append(edition)
        if pages is not None:
            made.append(pages)
    built = [e.lang for e in result.editions if not e.skipped]
    books, jobs = [], []
    for edition in made:
        result.warnings += _site_pages(live, stage, edition, built)
        planned, todo = _ebooks(stage, edition, settings, epoch, built)
        books.append((edition.pages.lang, planned))
        jobs += todo
    compile_books(jobs)  # every edition's in one pool: its workers start once
    for lang, planned in books:
        _downloads(stage, lang, planned)
    write_atomic(stage.site_config, site_config(built, config.source_language, glossary=base is not None))
    return result, [seeds, *(edition.record for edition in made)]


def _check_seeds(live: Layout, config: Config, articles: list[Article], seeds: Record) -> None:
    """The seeds read as the source language, and each has its template (``.pot``); a seed checked and
    templated by an earlier build with the same code, unchanged, and its template as written, is skipped."""
    keys = {a.id: input_key(code_hash(), config.source_language, a.source.as_posix(), a.sha256) for a in articles}
    known = {a.id for a in articles if seeds.get(a.id, keys[a.id])}
    check_seed_language(
        config.source_language,
        _seed_texts(articles),
        live.config,
        skip={str(a.source) for a in articles if a.id in known},
    )
    for article in articles:
        template = live.template(article.id)
        entry = seeds.get(article.id, keys[article.id])
        if entry is None or entry.get("template") != file_sha(template):
            write_template(template, units_of(article), article.source.as_posix())
        seeds.keep(article.id, {"key": keys[article.id], "template": file_sha(template)})


def _site_pages(live: Layout, stage: Layout, made: _Made, languages: list[str]) -> list[Diagnostic]:
    """The site's pages of an edition: its articles (each knowing its other editions), front page, glossary.
    An article's page that the record says is unchanged is linked from the live docs/ (not rendered again)."""
    edition = made.pages
    articles = with_languages(list(edition.articles), languages)
    for page in articles:
        entry = made.record.kept[page.id]
        written = live.docs / page.path
        if entry.get("text") and entry.get("languages") == languages and file_sha(written) == entry["text"]:
            place(written, stage.docs / page.path)
            continue
        text = page.text
        write_atomic(stage.docs / page.path, text)
        entry.update(text=sha256(text), languages=languages)
    pages = render_front_pages(articles, edition.lang)
    if edition.glossary is not None:
        pages += edition.glossary.site_pages()
    for page in pages:
        write_atomic(stage.docs / page.path, page.text)
    return [warning for page in [*articles, *pages] for warning in page.warnings]


def _ebooks(
    stage: Layout, made: _Made, settings: SiteSettings, epoch: int, languages: list[str]
) -> tuple[list[tuple[Book, list[Path]]], list[Job]]:
    """Every book of an edition (each article's, and the collected volumes) in dist/, and the jobs that compile
    those whose inputs changed; a book whose inputs did not change is taken from the live dist/ (no pandoc, no
    Typst); its key comes from its articles' input keys when the record has it (no rendering to hash it)."""
    edition = made.pages
    tools = json.dumps(tool_versions())  # pandoc's and Typst's versions: not in the pages' keys
    given_epoch = os.environ.get("SOURCE_DATE_EPOCH", "")  # the derived epoch is not in a book's key

    def key_of(book: Book) -> str:
        inputs = input_key(book.name, given_epoch, tools, *languages, *(made.keys[p.id] for p in book.articles))
        entry = made.record.get(f"book:{book.name}", inputs)
        key = entry["book"] if entry and isinstance(entry.get("book"), str) else book_key(book)
        made.record.keep(f"book:{book.name}", {"key": inputs, "book": key})
        return key

    live = Layout(stage.root).dist
    return plan_books(edition.articles, edition.glossary, settings, stage.dist, epoch, live, key_of)


def _downloads(stage: Layout, lang: str, books: list[tuple[Book, list[Path]]]) -> None:
    """The edition's books linked into its downloads, and its downloads page (volumes first)."""
    for _, files in books:
        for file in files:
            place(file, stage.download(lang, file.name))
    titles = [(book.subtitle if book.collected else book.title, files) for book, files in books]
    write_atomic(stage.docs / lang / f"{DOWNLOADS}.md", downloads_page(lang, titles))


def _edition(
    live: Layout,
    config: Config,
    lang: str,
    result: BuildResult,
    base: TermBase | None,
    own: dict,
    settings: SiteSettings,
    record: Record,
) -> tuple[Edition, _Made | None]:
    """One edition's translations and pages (None when no engine here can serve it)."""
    source = config.source_language
    edition = Edition(lang)
    glossary_texts: dict[str, str] = {}
    terms = file_sha(live.terms)  # a machine translation is made again when its terms changed
    work = None
    if lang != source:
        engine, edition.tried = choose_engine(source, lang, config.engines_for(lang))
        if engine is None:
            return edition, None
        edition.engine, edition.model = engine.name, engine.model(source, lang)
        memory = LanguageMemory(live.memories(lang), lang, source, live.memory_index(lang))
        work = _Translating(live, lang, source, engine, base, memory, edition, result)
        work.changed(record, terms)
        if base:
            glossary_texts = work.glossary(own)
    engine = f"{edition.engine} {edition.model}" if work else ""
    context = _context(live, lang, source, engine, terms, glossary_texts, settings)
    linker = TermLinker(base, lang, source, glossary_texts, own) if base else None
    pages, keys = [], {}
    for article in result.articles:
        memory_sha = file_sha(work.memories[article.id]) if work else ""
        keys[article.id] = key = input_key(context, article.id, article.source.as_posix(), article.sha256, memory_sha)
        held = record.get(article.id, key) or {}
        page = _recorded_page(held)
        if page is None:  # a translation its memory holds whole when its seed and memory are as recorded
            translation = work.translation(article) if work else None
            page, held = render_article(article, lang, linker, translation, source), {}
        if work is None or article.id not in work.translations:
            edition.machine += (page.provenance or {}).get("machine", 0)
            edition.reviewed += (page.provenance or {}).get("reviewed", 0)
        kept = {k: held[k] for k in ("page", "text", "languages") if k in held}  # a recorded page as it was
        entry = {"key": key, "seed": article.sha256, "memory": memory_sha, "terms": terms}
        record.keep(article.id, kept | entry | {"page": kept.get("page") or page_record(page)})
        pages.append(page)
    glossary = render_glossary(base, lang, backlinks_of(pages), source, glossary_texts, own) if base else None
    return edition, _Made(EditionPages(lang, tuple(pages), glossary), keys, record)


@dataclass
class _Translating:
    """An edition's translation in this build: each article's memory, and the translations looked up."""

    live: Layout
    lang: str
    source: str
    engine: Engine
    base: TermBase | None
    memory: LanguageMemory
    edition: Edition
    result: BuildResult
    memories: dict[str, Path] = field(default_factory=dict)  # article id → its memory
    translations: dict[str, Translation] = field(default_factory=dict)

    def changed(self, record: Record, terms: str) -> None:
        """Look up (and translate what no memory holds) every article whose seed, memory or term base (``terms``,
        its sha256) is not as the record has them; the others' memories hold every sentence, made with these terms."""
        for article in self.result.articles:
            self.memories[article.id] = _memory_of(self.live, self.lang, article, self.result)
            held = record.held.get(article.id)
            recorded = isinstance(held, dict) and (held.get("seed"), held.get("memory"), held.get("terms"))
            if recorded != (article.sha256, file_sha(self.memories[article.id]), terms):
                self.translation(article, progress_printer(self.lang, article.id))

    def translation(self, article: Article, progress: Callable[[int, int], None] | None = None) -> Translation:
        """The article's translation (looked up once), counted into the edition."""
        if article.id not in self.translations:
            path, base = self.memories[article.id], self.base
            found = translate_article(article, self.lang, self.engine, path, base, self.source, progress, self.memory)
            self.translations[article.id] = found
            self.result.warnings += found.warnings
            _count(self.edition, found)
        return self.translations[article.id]

    def glossary(self, own: dict) -> dict[str, str]:
        """The machine translations of the definitions no one has written in the language."""
        base, live = self.base, self.live
        assert base is not None
        units = machine_units(glossary_units(base), base, self.lang, own)
        where = base.path.relative_to(live.root).as_posix() if base.path.is_relative_to(live.root) else "terms"
        memory = live.glossary_memory(self.lang)
        found = translate_units(units, self.lang, self.engine, memory, base, self.source, where, None, self.memory)
        self.edition.engine_calls += found.engine_calls
        self.result.warnings += found.warnings
        return found.texts


def _context(
    live: Layout,
    lang: str,
    source: str,
    engine: str,
    terms: str,
    glossary_texts: dict[str, str],
    settings: SiteSettings,
) -> str:
    """What every page of an edition depends on besides its article and memory: the code, the engine and model
    (``engine``), the term base (``terms``, its sha256), the definitions, the glossary's texts, the settings."""
    definitions = sorted(live.definitions.glob("*.yml")) if live.definitions.is_dir() else []
    return input_key(
        code_hash(),
        lang,
        source,
        engine,
        terms,
        *(f"{p.name} {file_sha(p)}" for p in definitions),
        json.dumps(glossary_texts, sort_keys=True, ensure_ascii=False),
        json.dumps(dataclasses.asdict(settings), sort_keys=True),
    )


def _recorded_page(held: dict) -> ArticlePage | None:
    """The page model a record entry holds; None when there is none or it does not read back."""
    try:
        return page_from_record(held["page"])
    except (KeyError, TypeError, ValueError, AttributeError):
        return None


def _count(edition: Edition, translation: Translation) -> None:
    edition.engine, edition.model = translation.engine, translation.model
    edition.machine += translation.machine
    edition.reviewed += translation.reviewed
    edition.engine_calls += translation.engine_calls
    edition.reused += translation.reused + translation.revived


def _memory_of(live: Layout, lang: str, article: Article, result: BuildResult) -> Path:
    """The article's memory, keyed by its id; a memory of an older version (named by the slug) moves there."""
    memory = live.memory(lang, article.id)
    legacy = live.memory(lang, article.slug)
    taken = {a.id for a in result.articles}
    if not memory.exists() and legacy.is_file() and article.slug not in taken:
        os.replace(legacy, memory)
        result.notes.append(f"moved {legacy} to {memory} (memories are named by the article's id now)")
    return memory


def load_glossary(
    root: Path, languages: tuple[str, ...], warnings: list[Diagnostic], source_language: str = "en"
) -> TermBase | None:
    """The project's term base, or None if it has none; its first error stops the build."""
    path = Layout(root).terms
    if not path.is_file():
        return None
    base, problems = load_termbase(path, source_language)
    stop_on_errors(problems + check_languages(base, languages), warnings)
    return base


def load_articles(layout: Layout) -> list[Article]:
    """Every seed of the project, its source path relative to the root (as pages and memories name it)."""
    return [_relative(a, layout.root) for a in load_seeds(layout.seeds)]


def _relative(article: Article, root: Path) -> Article:
    try:
        return dataclasses.replace(article, source=article.source.relative_to(root))
    except ValueError:
        return article


def _seed_texts(articles: list[Article]) -> list[tuple[Path, str]]:
    """Each seed's text, paragraphs apart (the language check reads them one by one)."""
    return [(a.source, "\n\n".join([a.title, *(p.text for p in a.paragraphs)])) for a in articles]
