"""The books' jobs: :mod:`tools.publish.book`'s writers run in worker processes (:mod:`tools.workers`).

Kept apart from the writers: a book's key holds the bytes of ``book.py`` (what its text comes from), so a change
to how the jobs are run here makes no book again.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path

from tools.config import read_settings
from tools.errors import PressError
from tools.layout import Layout, is_generated
from tools.publish.book import Book, Job, plan_books, write_epub, write_pdf
from tools.publish.store import read_edition
from tools.workers import WorkerPool, run_jobs, workers_started


def compile_books(
    jobs: list[Job], meanwhile: Callable[[], object] | None = None, started: WorkerPool | None = None
) -> None:
    """Write each job's EPUB and PDF in worker processes (:func:`tools.workers.run_jobs`): one per core, each
    replaced after two books so what Typst keeps in memory goes with it; a single book is made in this process,
    unless workers were ``started`` for them (:func:`book_workers`). A worker gets its book's own glossary
    entries, not the edition's (which grows with the corpus). ``meanwhile`` runs here while the workers compile."""
    books = [(_own_glossary(book), *rest) for book, *rest in jobs]
    run_jobs(compile_book, books, meanwhile=meanwhile, started=started)


def book_workers() -> AbstractContextManager:
    """Workers for :func:`compile_books`, started before its jobs are known (:func:`tools.workers.workers_started`)."""
    return workers_started(compile_book)


def _own_glossary(book: Book) -> Book:
    """The book with only its terms' entries, back-links only into its articles: what the book shows."""
    if book.glossary is None:
        return book
    return dataclasses.replace(book, glossary=book.glossary.only(book.terms, {p.slug for p in book.articles}))


def compile_book(job: Job) -> None:
    """One job of :func:`compile_books` (in a worker): the book's EPUB, then its PDF."""
    book, epub, pdf, epoch = job
    write_epub(book, epub, epoch)
    write_pdf(book, pdf)


def rewrite_books(root: Path, source_date_epoch: int | None) -> list[Path]:
    """``press ebooks``: every book of every edition the last build made, from the models it saved."""
    layout, settings = Layout(root), read_settings(root)
    written, jobs = [], []
    for lang in _editions(layout):
        pages, glossary = read_edition(layout.page_record(lang))
        books, todo = plan_books(pages, glossary, settings, layout.dist, source_date_epoch)
        written += [path for _, paths in books for path in paths]
        jobs += todo
    compile_books(jobs)  # every edition's in one pool
    return written


def _editions(layout: Layout) -> list[str]:
    """The editions under docs/ whose pages the build made: their record must be there."""
    editions = []
    for folder in sorted(p for p in layout.docs.iterdir() if p.is_dir()) if layout.docs.is_dir() else []:
        if layout.page_record(folder.name).is_file():
            editions.append(folder.name)
        elif any(is_generated(page) for page in folder.glob("*.md")):
            raise PressError(
                layout.page_record(folder.name), None, "the record of the pages is missing", "run press build"
            )
    return editions
