"""The pipeline in order: seeds → articles → every edition's pages and glossary on disk.

Reads ``seeds/*.txt``, ``editions.yml``, ``glossary/terms.yml`` and the
translation memories ``translations/<lang>/<slug>.po``; writes the memories
(new machine translations) and ``docs/<lang>/<slug>.md``,
``docs/<lang>/index.md`` and ``docs/<lang>/glossary.md`` for every edition
an engine here can serve. Every write is atomic and skipped when the content
is unchanged (so ``make`` sees nothing new); generated pages whose seed or
edition is gone are removed. Hand-written files in ``docs/`` are never
touched: only a page whose front matter names this generator counts as
generated.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path

from tools.config import Config, load_config
from tools.ebook import source_date_epoch, write_books
from tools.edition import Page, render_article, render_index
from tools.errors import PressError
from tools.fsutil import write_atomic
from tools.glossary.pages import GLOSSARY_PAGE, TermLinker, render_glossary
from tools.glossary.termbase import TERMS_FILE, TermBase, check_languages, load_termbase
from tools.ingest import Article, load_seeds
from tools.markdown import is_generated
from tools.site import DOWNLOADS, SITE_CONFIG, downloads_page, site_config
from tools.translate import (
    Translation,
    choose_engine,
    glossary_units,
    progress_printer,
    translate_article,
    translate_units,
)

TRANSLATIONS = "translations"
DIST = "dist"  # the e-books
GLOSSARY_MEMORY = "glossary.po"  # the term base's definitions and annotations, translated


@dataclass
class Edition:
    """One language's edition in this build: built (by what), or skipped (why, and the fix)."""

    lang: str
    engine: str = ""
    model: str = ""
    machine: int = 0
    reviewed: int = 0
    engine_calls: int = 0
    skipped: str = ""
    fix: str = ""

    def describe(self) -> str:
        """One line of the editions table."""
        if self.skipped:
            return f"{self.lang:<4} skipped  {self.skipped}; fix: {self.fix}"
        if not self.engine:
            return f"{self.lang:<4} built    source edition"
        total = self.machine + self.reviewed
        share = f"{100 * self.reviewed / total:.0f}% reviewed" if total else "empty"
        return f"{self.lang:<4} built    {self.engine} {self.model}, {share} ({self.machine} machine, {self.reviewed} reviewed)"


@dataclass
class BuildResult:
    """What a build did, for the summary the CLI prints."""

    articles: list[Article] = field(default_factory=list)
    editions: list[Edition] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    removed: list[Path] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def build(root: Path, seeds: str = "seeds", docs: str = "docs") -> BuildResult:
    """Ingest every seed under ``root`` and write every edition an engine here can serve."""
    config = load_config(root)
    result = BuildResult(articles=load_articles(root, seeds))
    base = load_glossary(root, config.languages, result.warnings)
    for article in result.articles:
        result.warnings += [f"{article.source}: {repair}" for repair in article.repairs]
    keep: set[Path] = set()
    epoch = source_date_epoch(root)
    for lang in config.all_languages:
        edition, pages = _edition(root, config, lang, result.articles, base)
        result.editions.append(edition)
        for page in pages:
            _write(root / docs, page, result)
            keep.add(root / docs / page.path)
        if not edition.skipped:
            keep |= _ebooks(root, root / docs, lang, pages, epoch, result)
    built = [e.lang for e in result.editions if not e.skipped]
    write_atomic(root / SITE_CONFIG, site_config(built, config.source_language))
    result.removed = _remove_stale(root / docs, keep)
    return result


def _ebooks(root: Path, docs: Path, lang: str, pages: list[Page], epoch: int, result: BuildResult) -> set[Path]:
    """EPUB and PDF of each article of an edition, in dist/ and in its downloads, and the downloads page."""
    books, written = [], set()
    for page in pages:
        if not page.title:
            continue  # the index and the glossary are no articles
        slug = Path(page.path).stem
        files = write_books(docs, lang, slug, root / DIST, epoch)
        for file in files:
            copy = docs / lang / DOWNLOADS / file.name
            write_atomic(copy, file.read_bytes())
            written.add(copy)
        books.append((page.title, files))
    page = Page(f"{lang}/{DOWNLOADS}.md", downloads_page(lang, books))
    _write(docs, page, result)
    return written | {docs / page.path}


def _edition(
    root: Path, config: Config, lang: str, articles: list[Article], base: TermBase | None
) -> tuple[Edition, list[Page]]:
    source = config.source_language
    edition = Edition(lang)
    translations: dict[str, Translation] = {}
    glossary_texts: dict[str, str] = {}
    if lang != source:
        engine, reasons = choose_engine(source, lang, config.engines_for(lang))
        if engine is None:
            edition.skipped = reasons[0].reason if reasons else f"no engine configured for {source}→{lang}"
            edition.fix = reasons[0].fix if reasons else "add one under engines: in editions.yml"
            return edition, []
        for article in articles:
            memory = root / TRANSLATIONS / lang / f"{article.slug}.po"
            translation = translate_article(
                article, lang, engine, memory, base, source, progress_printer(lang, article.slug)
            )
            translations[article.slug] = translation
            edition.engine, edition.model = translation.engine, translation.model
            edition.machine += translation.machine
            edition.reviewed += translation.reviewed
            edition.engine_calls += translation.engine_calls
        if base:
            memory = root / TRANSLATIONS / lang / GLOSSARY_MEMORY
            glossary = translate_units(glossary_units(base), lang, engine, memory, base, source, TERMS_FILE.as_posix())
            glossary_texts = glossary.texts
            edition.engine_calls += glossary.engine_calls
    linker = TermLinker(base, lang, source, glossary_texts) if base else None
    pages = [render_article(a, lang, linker, translations.get(a.slug)) for a in articles]
    pages.append(
        render_index(articles, lang, {a.slug: p.title for a, p in zip(articles, pages)}, glossary=linker is not None)
    )
    if base and linker:
        pages.append(Page(f"{lang}/{GLOSSARY_PAGE}", render_glossary(base, lang, linker.found, source, glossary_texts)))
    for translation in translations.values():
        pages[0] = dataclasses.replace(pages[0], warnings=pages[0].warnings + tuple(translation.warnings))
    return edition, pages


def load_glossary(root: Path, languages: tuple[str, ...], warnings: list[str]) -> TermBase | None:
    """The project's term base, or None if it has none; its first error stops the build."""
    path = root / TERMS_FILE
    if not path.is_file():
        return None
    base, problems = load_termbase(path)
    problems += check_languages(base, languages)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        more = f" (and {len(errors) - 1} more: run press glossary check)" if len(errors) > 1 else ""
        raise PressError(errors[0].path, errors[0].line, errors[0].message + more, errors[0].fix)
    warnings += [str(p).removeprefix("warning: ") for p in problems]
    return base


def load_articles(root: Path, seeds: str = "seeds") -> list[Article]:
    """Every seed under ``root``, its source path relative to ``root`` (as pages and memories name it)."""
    return [_relative(a, root) for a in load_seeds(root / seeds)]


def _relative(article: Article, root: Path) -> Article:
    try:
        return dataclasses.replace(article, source=article.source.relative_to(root))
    except ValueError:
        return article


def _write(docs: Path, page: Page, result: BuildResult) -> None:
    path = docs / page.path
    (result.written if write_atomic(path, page.text) else result.unchanged).append(path)
    result.warnings += page.warnings


def _remove_stale(docs: Path, keep: set[Path]) -> list[Path]:
    """Generated pages and downloads that this build did not write."""
    removed = []
    stale_pages = [p for p in docs.glob("*/*.md") if p not in keep and is_generated(p)]
    stale_downloads = [p for p in docs.glob(f"*/{DOWNLOADS}/*") if p not in keep]
    for path in sorted(stale_pages + stale_downloads):
        path.unlink()
        removed.append(path)
    return removed
