"""Argos Translate models: the installed packages, their safe install, the package index, and the engine.

Models are Argos packages, installed and listed with ``argostranslate.package`` (its ``package``
module needs neither stanza nor torch) and run through CTranslate2 directly. One thing per module,
each importing only those above it:

- :mod:`~tools.engines.argos.packages`: where packages live (``ARGOS_PACKAGES_DIR``), the usable and
  the broken ones (with the reason), their metadata, loading a model.
- :mod:`~tools.engines.argos.install`: an ``.argosmodel`` file installed safely (hostile input).
- :mod:`~tools.engines.argos.index`: the Argos package index, and our resumable, checksummed download.
- :mod:`~tools.engines.argos.engine`: :class:`~tools.engines.argos.engine.ArgosEngine`, every sentence
  of a run translated at once, bit for bit as Argos translates it.
"""
