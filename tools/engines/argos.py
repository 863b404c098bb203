"""Argos Translate models, run through CTranslate2 directly and in one batch.

Models are Argos packages, installed and listed with ``argostranslate.package``
(its ``package`` module needs neither stanza nor torch). Translation does not
go through ``argostranslate.translate``: that splits sentences with MiniSBD,
which downloads a model on first use, and calls CTranslate2 about one
sentence at a time. Here every pending sentence of a run goes to one
``translate_batch`` call (run on a worker per core), with Argos's own decoding options (beam 4, length
penalty 0.2, unknown tokens replaced) and its detokenisation, so the text is
the same as Argos gives, sentence for sentence.

``ARGOS_PACKAGES_DIR`` chooses where packages live, as it does for Argos.
"""

from __future__ import annotations

import functools
import os
import shutil
import tempfile
import zipfile
from pathlib import Path

from tools.engines.base import EngineError, Unavailable
from tools.errors import PressError

BEAM_SIZE = 4
LENGTH_PENALTY = 0.2
# One translate_batch call for all sentences; CTranslate2 runs them on a worker per core
# (inter_threads), each on one thread. Measured with make bench on 2 cores: a worker per core is
# about 4× faster than Argos; batches of 4 sentences were faster still (about 6×) but padding
# changed one sentence in 24 of a random-weight model's output, so each sentence runs alone and
# the text is exactly Argos's. Large batches on many threads were slowest: their key/value caches
# outgrow the memory caches.
MAX_BATCH = 1
DEFAULT_DIR = Path.home() / ".local" / "share" / "argos-translate" / "packages"


def packages_dir() -> Path:
    """Where Argos packages are installed."""
    return Path(os.environ.get("ARGOS_PACKAGES_DIR") or DEFAULT_DIR)


def installed_packages() -> list:
    """The installed Argos packages (``argostranslate.package.Package``), read from :func:`packages_dir`."""
    from argostranslate.package import Package

    folder = packages_dir()
    if not folder.is_dir():
        return []
    return [Package(path) for path in sorted(folder.iterdir()) if (path / "metadata.json").is_file()]


def install(archive: Path) -> object:
    """Install an .argosmodel file: checked, extracted beside its place, then renamed into it.

    ``argostranslate.package.install_from_path`` extracts in place (an
    interrupted install leaves half a package) and then imports its
    ``translate`` module, which needs stanza; so the package is unpacked
    here, atomically, and read back with ``argostranslate.package.Package``.
    """
    top = _check_archive(archive)
    folder = packages_dir()
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=folder, prefix=".installing-") as work:
        with zipfile.ZipFile(archive) as zipped:
            zipped.extractall(work)
        if (folder / top).exists():
            shutil.rmtree(folder / top)
        os.replace(Path(work) / top, folder / top)
    return next(p for p in installed_packages() if p.package_path.name == top)


def _check_archive(archive: Path) -> str:
    """The archive's one top folder; a one-line error unless it is an Argos package."""
    fix = "use an .argosmodel file from the Argos package index, or rebuild it"
    if not archive.is_file():
        raise PressError(archive, None, "no such file", "check the path")
    try:
        names = zipfile.ZipFile(archive).namelist()
    except zipfile.BadZipFile:
        raise PressError(archive, None, "not an Argos package (not a zip file)", fix) from None
    tops = {name.split("/")[0] for name in names}
    if len(tops) != 1:
        raise PressError(archive, None, "not an Argos package (more than one top folder)", fix)
    top = tops.pop()
    for needed in ("metadata.json", "model/model.bin"):
        if f"{top}/{needed}" not in names:
            raise PressError(archive, None, f"not an Argos package (no {needed})", fix)
    return top


class ArgosEngine:
    """Translate with an installed Argos package, batching every sentence of a run."""

    name = "argos"

    def unavailable(self, source: str, target: str) -> Unavailable | None:
        """None when argostranslate and a source → target package are installed."""
        try:
            import argostranslate.package  # noqa: F401
        except ImportError:
            return Unavailable("argostranslate is not installed", "make deps")
        if self._package(source, target) is None:
            return Unavailable(
                f"no Argos model for {source}→{target} is installed in {packages_dir()}",
                f"press models install translate-{source}_{target}-<version>.argosmodel "
                "(from the Argos package index, downloaded on a machine with internet)",
            )
        return None

    def model(self, source: str, target: str) -> str:
        """The package's name and version."""
        package = self._package(source, target)
        return f"{package.package_path.name} {package.package_version}"

    def translate(self, sentences: list[str], source: str, target: str) -> list[str]:
        """All sentences in one translate_batch call; Argos's options and detokenisation."""
        if not sentences:
            return []
        package = self._package(source, target)
        translator, tokenizer = _load(str(package.package_path))
        tokens = [tokenizer.encode(sentence, out_type=str) for sentence in sentences]
        prefix = [[package.target_prefix]] * len(tokens) if package.target_prefix else None
        try:
            results = translator.translate_batch(
                tokens,
                target_prefix=prefix,
                replace_unknowns=True,
                max_batch_size=MAX_BATCH,
                beam_size=BEAM_SIZE,
                num_hypotheses=1,
                length_penalty=LENGTH_PENALTY,
            )
        except (RuntimeError, ValueError) as exc:
            raise EngineError(f"CTranslate2 failed: {exc}") from None
        return [_detokenize(tokenizer, r.hypotheses[0], package.target_prefix) for r in results]

    def _package(self, source: str, target: str):
        return next((p for p in installed_packages() if p.from_code == source and p.to_code == target), None)


@functools.lru_cache(maxsize=4)
def _load(package_path: str) -> tuple:
    """The package's CTranslate2 translator (a worker per core) and SentencePiece model."""
    import ctranslate2
    import sentencepiece

    translator = ctranslate2.Translator(
        str(Path(package_path) / "model"), device="cpu", inter_threads=os.cpu_count() or 1, intra_threads=1
    )
    tokenizer = sentencepiece.SentencePieceProcessor(model_file=str(Path(package_path) / "sentencepiece.model"))
    return translator, tokenizer


def _detokenize(tokenizer, tokens: list[str], prefix: str) -> str:
    """Argos's detokenisation: pieces → text, ▁ and _ as spaces, the target prefix and one leading space dropped."""
    value = tokenizer.decode_pieces(tokens).replace("▁", " ").replace("_", " ")
    if prefix and value.startswith(prefix):
        value = value[len(prefix) :]
    return value.removeprefix(" ")
