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
An edition outlives its engine: where no engine here can serve a language,
its articles are built from the memories when these hold every sentence; an
edition with a sentence no engine translated (none was there, it failed, its
reply was refused) keeps the pages and books it had, with a warning per
article naming what is missing and why. Only ``editions.yml`` removes one.
Hand-written files in ``docs/`` are never touched: only a page whose front
matter names this generator counts as generated.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
from collections import defaultdict
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from tools.buildcache import keeping, place, tool_versions
from tools.buildmark import fingerprint, last_said
from tools.config import Config, SiteSettings, load_config, read_settings
from tools.diagnostics import WARNING, Diagnostic
from tools.engines import Engine, NoEngine, Unavailable
from tools.fsutil import (
    file_sha,
    input_key,
    json_bytes,
    modified_since,
    refuse_unwritable,
    settled_stamp,
    text_sha,
    write_atomic,
)
from tools.glossary.definitions import load_authored, machine_units
from tools.glossary.termbase import TermBase, check_languages, load_termbase, stop_on_errors
from tools.ingest import Article, article_data, article_from_data, load_seeds, load_seeds_stamped
from tools.langid import check_seed_language, load_identifier
from tools.layout import (
    NOTHING,
    Layout,
    Stamp,
    as_recorded,
    discard,
    explicit_epoch,
    same_file,
    source_date_epoch,
    swap_in,
)
from tools.lock import writes_project
from tools.memory.language import LanguageMemory
from tools.memory.survey import loss_error, losses, survey
from tools.memory.template import write_template
from tools.publish.book import Book, Job, book_key, plan_books
from tools.publish.bookjobs import book_workers, compile_books
from tools.publish.edition import WORDS_PER_MINUTE, TermLinker, render_article, render_glossary, with_languages
from tools.publish.model import ArticlePage, EditionPages, GlossaryEntry, backlinks_of
from tools.publish.site import Page, article_markdown, front_pages, glossary_markdown, term_pages
from tools.publish.siteconfig import downloads_page, site_config
from tools.publish.store import (
    GLOSSARY,
    Record,
    code_hash,
    entry_data,
    glossary_record,
    output_stamps,
    page_from_record,
    page_record,
    recorded_outputs,
)
from tools.redirects import read_published, slug_history, write_published
from tools.translate import (
    EngineFailed,
    Translation,
    choose_engine,
    glossary_units,
    progress_printer,
    translate_article,
    translate_units,
    units_of,
)
from tools.ui import reading_minutes
from tools.workers import WorkerPool, give_back_memory, young_collections_only


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
    from_memory: bool = False  # no engine here could serve it: built from its memories alone
    missing: int = 0  # sentences no engine translated in this build (the warnings say which and why)
    kept: bool = False  # the edition published before stays as it was (it had missing sentences)

    @property
    def skipped(self) -> bool:
        """Not published: no engine and no memory could serve it, or a sentence is missing and none was before."""
        if self.kept or self.missing:
            return not self.kept
        return not self.engine and bool(self.tried) and not self.from_memory

    def describe(self) -> str:
        """One line of the editions table (and one more per engine that could not serve)."""
        if self.kept:
            line = f"{self.lang:<4} kept     as published before: {self.missing} sentence(s) not translated (warnings)"
        elif self.skipped and self.missing:
            line = (
                f"{self.lang:<4} skipped  {self.missing} sentence(s) not translated (warnings), none published before"
            )
        elif self.skipped:
            line = f"{self.lang:<4} skipped  no engine here can serve it"
        elif self.from_memory:
            total = self.machine + self.reviewed
            share = f"{100 * self.reviewed / total:.0f}% reviewed" if total else "empty"
            line = f"{self.lang:<4} built    from its memories alone, {share} ({self.machine} machine, {self.reviewed} reviewed)"
        elif not self.engine:
            line = f"{self.lang:<4} built    source edition"
        else:
            total = self.machine + self.reviewed
            share = f"{100 * self.reviewed / total:.0f}% reviewed" if total else "empty"
            line = f"{self.lang:<4} built    {self.engine} {self.model}, {share} ({self.machine} machine, {self.reviewed} reviewed)"
        return "\n".join([line, *(f"       {name}: {why}" for name, why in self.tried)])

    def reasons(self) -> tuple[tuple[str, str, str], ...]:
        """Why each engine could not serve, with the language's code as ``<lang>``: equal for editions that
        are skipped for one reason."""
        return tuple((name, _general(why.reason, self.lang), _general(why.fix, self.lang)) for name, why in self.tried)


def editions_table(editions: list[Edition], planned: tuple[str, ...] = ()) -> list[str]:
    """The editions table: a line per built edition; skipped editions that share their reasons share lines; one
    line for the languages ``planned`` (off on purpose, so no engine was asked)."""
    lines, skipped = [], defaultdict(list)
    for edition in editions:
        if edition.skipped and not edition.missing:
            skipped[edition.reasons()].append(edition)
        else:
            lines += edition.describe().split("\n")
    for reasons, group in skipped.items():
        if len(group) == 1:
            lines += group[0].describe().split("\n")
            continue
        langs = ", ".join(e.lang for e in group)
        lines.append(f"{langs}  skipped  no engine here can serve them")
        lines += [f"       {name}: {Unavailable(reason, fix)}" for name, reason, fix in reasons]
    if planned:
        langs, which = (f"{planned[0]:<4}", "it") if len(planned) == 1 else (", ".join(planned) + " ", "one")
        lines.append(f"{langs} planned  not built: planned in editions.yml (move {which} into languages to build it)")
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
    planned: tuple[str, ...] = ()  # the languages editions.yml plans: not built, on purpose


@writes_project("press build")  # the outputs and the record below are written by the run that holds the lock
def build(root: Path, fresh: bool = False, accept_loss: bool = False) -> BuildResult:
    """Ingest every seed under ``root``, write every edition an engine here can serve; all or nothing.

    ``fresh``: redo every article's translation lookup and page, as if no build had run before.
    ``accept_loss``: go on when a memory holds fewer reviewed translations than the last build recorded.
    """
    with young_collections_only():  # millions of long-lived objects, few cycles
        return _build(Layout(root), fresh, accept_loss)


def _build(live: Layout, fresh: bool, accept_loss: bool) -> BuildResult:
    stage = live.staged()
    discard(stage)
    # a damaged record of the published slugs stops the build before any work
    published = read_published(live.published, live.published_memo)
    refuse_unwritable(_output_folders(live))  # and so does an output folder it cannot write in
    try:
        staging = _Staging(stage, live, {} if fresh else recorded_outputs(live.root, last_said(live).get("outputs")))
        with book_workers() as workers:  # started now: their imports overlap the build's work on one core
            result, records = _build_into(live, staging, fresh, accept_loss, workers)
        slugs = slug_history(published, result.articles)
        refuse_unwritable(_target_folders(stage, live))
        done = swap_in(stage, live, staging.known, staging.recorded, staging.kept)
    except BaseException:
        discard(stage)
        raise
    result.written, result.unchanged, result.removed = done.written, done.unchanged, done.removed
    # only a build that succeeded records its slugs
    write_published(live.published, slugs, published, live.published_memo)
    for record in records:
        record.save()
    record_build(live, result, done.shas)
    return result


def _output_folders(live: Layout) -> set[Path]:
    """The folders the outputs go into (or the nearest above that exists): one it cannot write in stops it first."""
    return {live.docs, live.dist, live.outputs}


def _target_folders(stage: Layout, live: Layout) -> set[Path]:
    """The live folders the staged outputs move into: one that cannot be written stops it before anything moves.
    (A walk of the folders, not a stat of each of the 15,000 files a build of 1,000 articles stages.)"""
    folders = {Path(top) for top, _, files in os.walk(stage.outputs) if files}
    return _output_folders(live) | {live.outputs / folder.relative_to(stage.outputs) for folder in folders}


def record_build(live: Layout, result: BuildResult, shas: Mapping[Path, str] = NOTHING) -> None:
    """After a build that succeeded: what it said, for :func:`tools.buildmark.unchanged_build` (the mark's time is
    the build's), and each output's size and mtime, with its sha256 where the build knew it (the next swap compares
    by them)."""
    retry = any(name == "libretranslate" for e in result.editions for name, _ in e.tried)  # a server may be back
    retry |= any(e.missing for e in result.editions)  # an engine may be back: its sentences are asked again
    said = {"fingerprint": fingerprint(), "retry": retry, **build_summary(result)}
    said["outputs"] = output_stamps(live.root, [*result.written, *result.unchanged], shas)  # checked by unchanged_build
    write_atomic(live.build_mark, json_bytes(said) + b"\n")
    os.utime(live.build_mark)


def build_summary(result: BuildResult) -> dict[str, list[str]]:
    """What ``press build`` prints of a build: its warnings, its articles, the editions table."""
    return {
        "warnings": [str(w) for w in result.warnings],
        "articles": [f"{a.id}  {a.date}  {len(a.paragraphs)} paragraphs  → {a.slug}" for a in result.articles],
        "editions": editions_table(result.editions, result.planned),
    }


@dataclass
class _Staging:
    """The stage as the build writes it: the sha256 of each file it wrote (it had the text), and the live outputs
    as the last build recorded them (size, mtime, sha256), to compare by them rather than by reading."""

    stage: Layout
    live: Layout
    recorded: dict[Path, Stamp]
    known: dict[Path, str] = field(default_factory=dict)  # a staged file → its sha256
    kept: dict[Path, str | None] = field(default_factory=dict)  # a live output kept in place → its sha256, if known

    def write(self, path: Path, text: str) -> None:
        """``text`` at ``path`` in the stage; the live file kept in place instead when it provably holds that
        text."""
        sha = text_sha(text)
        target = self.live.outputs / path.relative_to(self.stage.outputs)
        if as_recorded(target, self.recorded) == sha:
            if self.known.pop(path, None) is not None:  # written before in this build: this text is the last
                path.unlink()
            self.keep(target, sha)
        else:
            write_atomic(path, text)
            self.known[path] = sha
            self.kept.pop(target, None)

    def keep(self, target: Path, sha: str | None = None) -> None:
        """The live output ``target`` stays as it is (:func:`tools.layout.swap_in`'s ``kept``)."""
        self.kept[target] = sha


@dataclass
class _Made:
    """An edition as this build made it: its pages, each article's input key, and the record to save."""

    pages: EditionPages
    keys: dict[str, str]  # article id → the key of its page's inputs
    record: Record
    context: str = ""  # what every page of the edition depends on besides its articles (:func:`_context`)


def _build_into(
    live: Layout, staging: _Staging, fresh: bool, accept_loss: bool, workers: WorkerPool | None = None
) -> tuple[BuildResult, list[Record]]:
    stage = staging.stage
    if fresh or _seeds_edited(live):
        load_identifier(live.language_model)  # a seed to check, surely: the model loads while the build reads
    config = load_config(live.root)
    seeds = Record(live.seed_record) if fresh else Record.read(live.seed_record)
    articles, parsed = _load_articles(live, seeds)
    result = BuildResult(articles=articles, planned=config.planned)
    keys = _seed_keys(config, result.articles)
    held = {lang: Record.read(live.page_record(lang)) for lang in config.all_languages}
    memories = _check_memories(live, config, held, accept_loss, result)
    _check_seeds(live, config, result.articles, seeds, keys, parsed)
    base = load_glossary(live.root, config.languages, result.warnings, config.source_language)
    authored = load_authored(live.definitions, base, config.languages, result.warnings, config.planned) if base else {}
    for article in result.articles:
        result.warnings += [Diagnostic(article.source, None, WARNING, "repair", repair) for repair in article.repairs]
    epoch = source_date_epoch(live.root)
    settings = read_settings(live.root)
    made: list[_Made] = []
    for lang in config.all_languages:
        record = Record(live.page_record(lang)) if fresh else held[lang]
        edition, pages = _edition(live, config, lang, result, base, authored.get(lang, {}), settings, record)
        result.editions.append(edition)
        if pages is not None:
            made.append(pages)
    built = [e.lang for e in result.editions if not e.skipped]
    kept = [e.lang for e in result.editions if e.kept]
    for lang in kept:  # as it was published: pages, downloads, books and their record
        for path in live.edition_outputs(lang):
            staging.keep(path)
    books, jobs = [], []
    for edition in made:
        planned, todo = _ebooks(staging, edition, settings, epoch, built)
        books.append((edition.pages.lang, planned))
        jobs += todo

    def site_pages() -> None:  # while the books compile
        for edition in made:
            result.warnings += _site_pages(live, staging, edition, built, kept)
        for record in [seeds, *held.values(), *(edition.record for edition in made)]:
            record.release()  # read entries the build no longer needs are not carried through the books
        give_back_memory()

    jobs.sort(key=lambda job: -len(job[0].articles))  # the largest first, so the cores finish together
    compile_books(jobs, meanwhile=site_pages, started=workers)  # every edition's in one pool
    for lang, planned in books:
        _downloads(staging, lang, planned)
    staging.write(stage.site_config, site_config(built, config.source_language, settings, glossary=base is not None))
    for edition in made:  # each memory as this build leaves it, for the next build's check
        if edition.pages.lang in memories:
            lang = edition.pages.lang
            edition.record.keep_memories(survey(live.memories(lang), lang, memories[lang])[0])
    return result, [seeds, *(edition.record for edition in made)]


def _check_memories(
    live: Layout, config: Config, records: dict[str, Record], accept_loss: bool, result: BuildResult
) -> dict[str, dict]:
    """Each translated edition's memories against the last build's record, before anything is written: one that
    lost reviewed translations (cut short, emptied, deleted) stops the build unless ``accept_loss`` (then a note);
    an entry the build must not publish (an empty msgstr, a msgctxt) stops it first. Returns what each file holds."""
    surveys, lost, problems = {}, [], []
    for lang in config.languages:
        folder, recorded = live.memories(lang), records[lang].memories()
        surveys[lang], trouble = survey(folder, lang, recorded)
        lost += losses(folder, recorded, surveys[lang])
        problems += trouble
    if problems:  # an entry to repair names its line: first
        raise problems[0]
    if lost and not accept_loss:
        raise loss_error(lost)
    result.notes += [f"{loss.path}: {loss.describe()}; accepted (--accept-loss)" for loss in lost]
    return surveys


def _seeds_edited(live: Layout) -> bool:
    """Whether a seed changed since the seeds' record was written (or there is none): a check comes."""
    try:
        recorded = live.seed_record.stat().st_mtime_ns
    except OSError:
        return True
    return modified_since([live.seeds], recorded)


def _seed_keys(config: Config, articles: list[Article]) -> dict[str, str]:
    """Each seed's key in the seeds' record: the code, the source language, its path and its sha256."""
    return {a.id: input_key(code_hash(), config.source_language, a.source.as_posix(), a.sha256) for a in articles}


def _check_seeds(
    live: Layout, config: Config, articles: list[Article], seeds: Record, keys: dict[str, str], parsed: dict[str, dict]
) -> None:
    """The seeds read as the source language, and each has its template (``.pot``); a seed checked and
    templated by an earlier build with the same code, unchanged, and its template as written, is skipped. Each
    seed's entry keeps what :func:`_load_articles` may take next time (``parsed``, by id)."""
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
        sha = _template_as_recorded(template, entry)
        if sha is None:
            if entry is None or entry.get("template") != file_sha(template):
                write_template(template, units_of(article), article.source.as_posix())
            sha = file_sha(template)
        stat = template.stat()
        entry = {"key": keys[article.id], "template": sha, "stamp": [stat.st_size, stat.st_mtime_ns]}
        seeds.keep(article.id, entry | ({"parsed": parsed[article.id]} if article.id in parsed else {}))


def _template_as_recorded(template: Path, entry: dict | None) -> str | None:
    """A template's recorded sha256 when its size and mtime are those recorded beside it (it is not read then)."""
    if entry is None or not isinstance(entry.get("template"), str) or not isinstance(entry.get("stamp"), list):
        return None
    return as_recorded(template, {template: (*entry["stamp"], entry["template"])})


def _site_pages(
    live: Layout, staging: _Staging, made: _Made, languages: list[str], kept: Collection[str] = ()
) -> list[Diagnostic]:
    """The site's pages of an edition: its articles (each knowing its other editions, a ``kept`` one where it has
    the page), front page, glossary. An article's page that the record says is unchanged is linked from the live
    docs/ (not rendered again)."""
    edition, stage = made.pages, staging.stage
    articles = [with_languages([page], _editions_of(live, page, languages, kept))[0] for page in edition.articles]
    for page in articles:
        entry = made.record.kept[page.id]
        written = live.docs / page.path
        editions = list(page.languages)
        live_sha = entry.get("text") and (as_recorded(written, staging.recorded) or file_sha(written))
        if live_sha and entry.get("languages") == editions and live_sha == entry["text"]:
            staging.keep(written, live_sha)
            continue
        text = article_markdown(page)
        staging.write(stage.docs / page.path, text)
        entry.update(text=text_sha(text), languages=editions)
    listed = json_bytes([_listed_as(page) for page in articles]).decode("utf-8")
    _listing(staging, made, "list:front", listed, lambda: front_pages(articles, edition.lang))
    glossary = edition.glossary
    if glossary is not None:
        entries = {entry.id: json_bytes(_entry_listed(entry)).decode("utf-8") for entry in glossary.entries}
        whole = json_bytes([*entries.values(), *map(str, glossary.warnings)]).decode("utf-8")
        _listing(staging, made, "list:glossary", whole, lambda: [Page(glossary.path, glossary_markdown(glossary))])
        for entry in glossary.entries:
            listed = entries[entry.id]
            _listing(staging, made, f"list:terms:{entry.id}", listed, lambda e=entry: term_pages(e, glossary.lang))
    return [warning for page in articles for warning in page.warnings] + list(glossary.warnings if glossary else ())


def _listed_as(page: ArticlePage) -> list:
    """What the front pages and the archive show of an article (its entry, where it goes): its model without
    its text, its reading time rather than its count of words."""
    minutes = reading_minutes(page.words, WORDS_PER_MINUTE)
    shown = (page.title, page.original_title, page.date.isoformat(), page.by, page.standfirst, minutes)
    return [page.slug, *shown, list(page.languages), page.provenance]


def _entry_listed(entry: GlossaryEntry) -> list:
    """A glossary entry as the glossary page and its term pages show it: every field, its back-links too."""
    links = [[b.slug, b.title, b.paragraph, b.date.isoformat() if b.date else None] for b in entry.backlinks]
    return [entry_data(entry), links]


def _listing(staging: _Staging, made: _Made, name: str, listed: str, render: Callable[[], list[Page]]) -> None:
    """Pages that list articles (front pages and archive, the glossary, a term's pages) in the stage. When what
    they list (``listed``) and the edition's context are as recorded, and every page is live as recorded (size,
    mtime, sha256), the live pages are kept in place, not rendered; otherwise they are rendered."""
    key = input_key(made.context, name, listed)
    held = made.record.get(name, key)
    pages = held.get("pages") if held else None
    docs, stage = staging.live.docs, staging.stage.docs
    if isinstance(pages, dict) and all(as_recorded(docs / p, staging.recorded) == sha for p, sha in pages.items()):
        for path, sha in pages.items():
            staging.keep(docs / path, sha)
    else:
        pages = {}
        for page in render():
            staging.write(stage / page.path, page.text)
            pages[page.path] = text_sha(page.text)
    made.record.keep(name, {"key": key, "pages": pages})


def _editions_of(live: Layout, page: ArticlePage, languages: list[str], kept: Collection[str]) -> list[str]:
    """The editions an article is in: every one built, and each one kept as published where it had the article."""
    return [lang for lang in languages if lang not in kept or live.page(lang, page.slug).is_file()]


def _ebooks(
    staging: _Staging, made: _Made, settings: SiteSettings, epoch: int, languages: list[str]
) -> tuple[list[tuple[Book, list[Path]]], list[Job]]:
    """Every book of an edition (each article's, and the collected volumes) in dist/, and the jobs that compile
    those whose inputs changed; a book whose inputs did not change is kept in the live dist/ (no pandoc, no
    Typst); its key comes from its articles' input keys when the record has it (no rendering to hash it)."""
    edition, stage = made.pages, staging.stage
    tools = json.dumps(tool_versions())  # pandoc's and Typst's versions: not in the pages' keys
    given = explicit_epoch()  # the epoch derived when none is given is not in a book's key
    given_epoch = "" if given is None else str(given)

    def key_of(book: Book) -> str:
        inputs = input_key(book.name, given_epoch, tools, *languages, *(made.keys[p.id] for p in book.articles))
        entry = made.record.get(f"book:{book.name}", inputs)
        key = entry["book"] if entry and isinstance(entry.get("book"), str) else book_key(book)
        made.record.keep(f"book:{book.name}", {"key": inputs, "book": key})
        return key

    with keeping(staging.keep):
        return plan_books(edition.articles, edition.glossary, settings, stage.dist, epoch, staging.live.dist, key_of)


def _downloads(staging: _Staging, lang: str, books: list[tuple[Book, list[Path]]]) -> None:
    """The edition's books linked into its downloads (a book kept in the live dist/ keeps its live link, when that
    is the same file), and its downloads page (volumes first)."""
    stage, live = staging.stage, staging.live
    # the folders made once, not for each of an edition's 2,200 books at 1,000 articles
    live_dist, live_links, stage_links = live.dist, live.downloads(lang), stage.downloads(lang)
    titles = []
    for book, files in books:
        where = []
        for file in files:
            kept = live_dist / file.name
            source, link = kept if kept in staging.kept else file, live_links / file.name
            if source is kept and same_file(kept, link):
                staging.keep(link)
            else:
                place(source, stage_links / file.name)
            where.append(source)
        titles.append((book.subtitle if book.collected else book.title, where))
    staging.write(stage.downloads_page(lang), downloads_page(lang, titles))


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
        if engine is None and not (live.memories(lang).is_dir() or live.edition_outputs(lang)):
            return edition, None  # nothing to build it from, and nothing published to keep
        if engine is None:  # the memories may hold every sentence: no engine is needed then
            why = "; ".join(f"{name}: {reason.reason}" for name, reason in edition.tried)
            engine, edition.from_memory = NoEngine(", ".join(name for name, _ in edition.tried), why), True
        else:
            edition.engine, edition.model = engine.name, engine.model(source, lang)
        memory = LanguageMemory(live.memories(lang), lang, source, live.memory_index(lang))
        work = _Translating(live, lang, source, engine, base, memory, edition, result)
        work.changed(record, terms)
        if base:
            glossary_texts = work.glossary(own)
    engine = "memories alone" if edition.from_memory else f"{edition.engine} {edition.model}" if work else ""
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
            if work and translation is None:
                continue  # not translated whole: the edition is kept (below)
            page, held = render_article(article, lang, linker, translation, source), {}
        if work is None or article.id not in work.translations:
            edition.machine += (page.provenance or {}).get("machine", 0)
            edition.reviewed += (page.provenance or {}).get("reviewed", 0)
        kept = {k: held[k] for k in ("page", "text", "languages") if k in held}  # a recorded page as it was
        entry = {"key": key, "seed": article.sha256, "memory": memory_sha, "terms": terms}
        record.keep(article.id, kept | entry | {"page": kept.get("page") or page_record(page)})
        pages.append(page)
    if work:
        work.memory.close()
    if work and work.incomplete:
        return _kept(live, edition, work.incomplete, result), None
    glossary = render_glossary(base, lang, backlinks_of(pages), source, glossary_texts, own) if base else None
    if glossary is not None:  # what press ebooks reads, beside the articles
        record.keep(GLOSSARY, glossary_record(glossary))
    return edition, _Made(EditionPages(lang, tuple(pages), glossary), keys, record, context)


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
    incomplete: dict[str, EngineFailed] = field(default_factory=dict)  # source (seed, term base) → what is missing

    def changed(self, record: Record, terms: str) -> None:
        """Look up (and translate what no memory holds) every article whose seed, memory or term base (``terms``,
        its sha256) is not as the record has them; the others' memories hold every sentence, made with these terms."""
        for article in self.result.articles:
            self.memories[article.id] = _memory_of(self.live, self.lang, article, self.result)
            held = record.held.get(article.id)
            recorded = isinstance(held, dict) and (held.get("seed"), held.get("memory"), held.get("terms"))
            if recorded != (article.sha256, file_sha(self.memories[article.id]), terms):
                self.translation(article, progress_printer(self.lang, article.id))

    def translation(self, article: Article, progress: Callable[[int, int], None] | None = None) -> Translation | None:
        """The article's translation (looked up once), counted into the edition; None when a sentence of it is
        not translated (it is in ``incomplete``)."""
        where = article.source.as_posix()
        if where in self.incomplete:
            return None
        if article.id not in self.translations:
            path, base = self.memories[article.id], self.base
            try:
                found = translate_article(
                    article, self.lang, self.engine, path, base, self.source, progress, self.memory
                )
            except EngineFailed as failure:
                self.incomplete[where] = failure
                return None
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
        try:
            found = translate_units(units, self.lang, self.engine, memory, base, self.source, where, None, self.memory)
        except EngineFailed as failure:
            self.incomplete[where] = failure
            return {}
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


def _kept(live: Layout, edition: Edition, incomplete: dict[str, EngineFailed], result: BuildResult) -> Edition:
    """An edition with sentences no engine translated: the one published before stays (when there is one), and
    each text that lacks some is a warning saying how many and why."""
    lang = edition.lang
    edition.kept = bool(live.edition_outputs(lang))
    edition.missing = sum(failure.missing for failure in incomplete.values())
    then = (
        f"the {lang} edition published before is kept as it was"
        if edition.kept
        else f"the {lang} edition is not published until every sentence is translated"
    )
    for where, failure in incomplete.items():
        memory = Path(failure.path or "")
        memory = memory.relative_to(live.root) if memory.is_relative_to(live.root) else memory
        message = f"{failure.message} (memory {memory}); {then}"
        result.warnings.append(Diagnostic(where, None, WARNING, "engine", message, failure.fix, lang))
    return edition


def _count(edition: Edition, translation: Translation) -> None:
    if not edition.from_memory:  # built from its memories alone, the edition names no engine
        edition.engine, edition.model = translation.engine, translation.model
    edition.machine += translation.machine
    edition.reviewed += translation.reviewed
    edition.engine_calls += translation.engine_calls
    edition.reused += translation.reused + translation.revived


def _memory_of(live: Layout, lang: str, article: Article, result: BuildResult) -> Path:
    """The article's memory, keyed by its id; a memory of an older version (named by the slug) moves there."""
    memory = live.memory(lang, article.id)
    legacy = live.memory(lang, article.slug)
    if not memory.exists() and legacy.is_file() and all(a.id != article.slug for a in result.articles):
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


def _load_articles(live: Layout, seeds: Record) -> tuple[list[Article], dict[str, dict]]:
    """:func:`load_articles`, a seed whose file is the one the seeds' record stamped (the same file, size, mtime and
    ctime: any write changes one; :func:`tools.fsutil.settled_stamp`), parsed by the same code, taken from the record
    instead of read and parsed again (1.4 s of an edit at 3,000 articles). Returns, by article id, what the record
    keeps for next time: the article and its stamp, for a seed that had settled when it was stat'ed."""
    code = code_hash()
    recorded = {}  # a seed's file name → its entry's parsed article
    for entry in seeds.held.values():
        parsed = entry.get("parsed") if isinstance(entry, dict) else None
        if isinstance(parsed, dict) and parsed.get("code") == code and isinstance(parsed.get("name"), str):
            recorded[parsed["name"]] = parsed

    def known(path: Path, stat: os.stat_result) -> Article | None:
        parsed = recorded.get(path.name)
        stamp = settled_stamp(stat)
        return (
            article_from_data(parsed.get("article"), path)
            if parsed and stamp and parsed.get("stamp") == stamp
            else None
        )

    articles, keep = [], {}
    for article, stat in load_seeds_stamped(live.seeds, known):
        articles.append(_relative(article, live.root))
        stamp = settled_stamp(stat) if stat is not None else None
        if stamp is not None:
            keep[article.id] = {
                "code": code,
                "name": article.source.name,
                "stamp": stamp,
                "article": article_data(article),
            }
    return articles, keep


def _relative(article: Article, root: Path) -> Article:
    try:
        return dataclasses.replace(article, source=article.source.relative_to(root))
    except ValueError:
        return article


def _seed_texts(articles: list[Article]) -> list[tuple[Path, str]]:
    """Each seed's text, paragraphs apart (the language check reads them one by one)."""
    return [(a.source, "\n\n".join([a.title, *(p.text for p in a.paragraphs)])) for a in articles]
