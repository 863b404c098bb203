"""The pipeline in order: seeds → articles → edition pages on disk.

Reads ``seeds/*.txt``; writes ``docs/<lang>/<slug>.md`` and
``docs/<lang>/index.md``. Every write is atomic and skipped when the content
is unchanged (so ``make`` sees nothing new); generated pages whose seed is
gone are removed. Hand-written files in ``docs/`` are never touched: only a
page whose front matter names this generator counts as generated.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path

from tools.edition import GENERATOR, Page, render_article, render_index
from tools.fsutil import write_atomic
from tools.ingest import Article, load_seeds

SOURCE_LANGUAGE = "en"


@dataclass
class BuildResult:
    """What a build did, for the summary the CLI prints."""

    articles: list[Article] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    removed: list[Path] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def build(root: Path, seeds: str = "seeds", docs: str = "docs") -> BuildResult:
    """Ingest every seed under ``root`` and write its source-language edition."""
    result = BuildResult(articles=[_relative(a, root) for a in load_seeds(root / seeds)])
    pages = [render_article(a, SOURCE_LANGUAGE) for a in result.articles]
    pages.append(render_index(result.articles, SOURCE_LANGUAGE))
    for article in result.articles:
        result.warnings += [f"{article.source}: {repair}" for repair in article.repairs]
    for page in pages:
        _write(root / docs, page, result)
    result.removed = _remove_stale(root / docs / SOURCE_LANGUAGE, {root / docs / p.path for p in pages})
    return result


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
