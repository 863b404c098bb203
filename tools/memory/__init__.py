"""The translation memory: one gettext PO file per language and article, kept as gettext keeps it.

One thing per module, each importing only those above it in this list:

- :mod:`~tools.memory.provenance`: what an entry's ``#.`` lines record (engine, its output, reviewer).
- :mod:`~tools.memory.linebreak`: libunistring's line breaking, where gettext may wrap a string.
- :mod:`~tools.memory.writer`: a PO file as ``msgcat`` writes it (79 columns, references, flags, obsolete entries).
- :mod:`~tools.memory.syntax`: a PO file read as gettext reads it (every line checked, then polib).
- :mod:`~tools.memory.header`: the header, complete, its dates moved only by a change.
- :mod:`~tools.memory.files`: the backup (``FILE.po~``) and the lock beside a memory.
- :mod:`~tools.memory.survey`: what a build records of a language's memories, and the reviewed work they lost.
- :mod:`~tools.memory.entries`: one memory file (:class:`~tools.memory.entries.Memory`) and how a build
  changes its entries: lookup, revive, reuse, add, retire, review, save.
- :mod:`~tools.memory.language`: every memory of a language as one, through an index under its sha256.
- :mod:`~tools.memory.template`: an article's ``.pot`` template.
"""
