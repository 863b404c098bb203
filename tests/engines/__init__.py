"""Tests of the translation engines against the real programs (here: LibreTranslate servers)."""
