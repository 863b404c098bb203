"""press: a publishing and translation toolkit for newsroom articles.

The package holds one module per stage of the pipeline (see ARCHITECTURE.md):
``ingest`` (seed → Article), ``typography`` (language-aware clean-up),
``segment`` and ``translate`` (with ``memory`` and ``engines``), ``glossary``,
``edition`` (Markdown pages), ``ebook`` (EPUB, PDF), ``site``, ``qa``,
``build`` (the stages in order) and ``cli`` (the ``press`` command).
"""

__version__ = "0.1.0"
