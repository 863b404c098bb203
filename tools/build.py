"""The pipeline in order: seeds → articles → edition pages and glossary on disk.

Reads ``seeds/*.txt``, ``editions.yml`` and ``glossary/terms.yml``; writes
``docs/<lang>/<slug>.md``, ``docs/<lang>/index.md`` and
``docs/<lang>/glossary.md``. Every write is atomic and skipped when the
content is unchanged (so ``make`` sees nothing new); generated pages whose
seed is gone are removed. Hand-written files in ``docs/`` are never touched:
only a page whose front matter names this generator counts as generated.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path

from tools.config import load_config
from tools.edition import Page, render_article, render_index
from tools.errors import PressError
from tools.fsutil import write_atomic
from tools.glossary.pages import GLOSSARY_PAGE, TermLinker, render_glossary
from tools.glossary.termbase import TERMS_FILE, TermBase, check_languages, load_termbase
from tools.ingest import Article, load_seeds
from tools.markdown import GENERATOR


@dataclass
class BuildResult:
    """What a build did, for the summary the CLI prints."""

    articles: list[Article] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    removed: list[Path] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def build(root: Path, seeds: str = "seeds", docs: str = "docs") -> BuildResult:
    """Ingest every seed under ``root`` and write its source-language edition and glossary."""
    config = load_config(root)
    lang = config.source_language
    result = BuildResult(articles=[_relative(a, root) for a in load_seeds(root / seeds)])
    base = load_glossary(root, config.languages, result.warnings)
    linker = TermLinker(base, lang, lang) if base else None
    pages = [render_article(a, lang, linker) for a in result.articles]
    pages.append(render_index(result.articles, lang, glossary=linker is not None))
    if base and linker:
        pages.append(Page(f"{lang}/{GLOSSARY_PAGE}", render_glossary(base, lang, linker.found, lang)))
    for article in result.articles:
        result.warnings += [f"{article.source}: {repair}" for repair in article.repairs]
    for page in pages:
        _write(root / docs, page, result)
    result.removed = _remove_stale(root / docs / lang, {root / docs / p.path for p in pages})
    return result


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


def _relative(article: Article, root: Path) -> Article:
    try:
        return dataclasses.replace(article, source=article.source.relative_to(root))
    except ValueError:
        return article


def _write(docs: Path, page: Page, result: BuildResult) -> None:
    path = docs / page.path
    (result.written if write_atomic(path, page.text) else result.unchanged).append(path)
    result.warnings += page.warnings


def _remove_stale(folder: Path, keep: set[Path]) -> list[Path]:
    removed = []
    for path in sorted(folder.glob("*.md")):
        if path not in keep and is_generated(path):
            path.unlink()
            removed.append(path)
    return removed


def is_generated(path: Path) -> bool:
    """True for a page this toolkit wrote (its front matter names the generator)."""
    head = path.read_text(encoding="utf-8", errors="replace")[:2000]
    return head.startswith("---\n") and f"\ngenerator: {GENERATOR.split()[0]} " in head
