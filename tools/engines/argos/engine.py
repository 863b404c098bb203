"""Translation with an installed Argos package, through CTranslate2 directly, every sentence of a run at once.

Translation does not go through ``argostranslate.translate``: that splits sentences with MiniSBD,
which downloads a model on first use, and calls CTranslate2 about one sentence at a time. Here every
pending sentence of a run goes to CTranslate2 at once, in batches of sentences of one length (on a
worker per core), with Argos's own decoding options (beam 4, length penalty 0.2, unknown tokens
replaced) and its detokenisation, so the text is the same as Argos gives, sentence for sentence, bit
for bit."""

from __future__ import annotations

import functools
import os
from collections import deque
from collections.abc import Iterator
from pathlib import Path

from tools.engines.argos.packages import (
    BrokenPackage,
    exception_text,
    installed_packages,
    open_model,
    packages_dir,
    scan_packages,
)
from tools.engines.base import EngineError, Unavailable

BEAM_SIZE = 4
LENGTH_PENALTY = 0.2
# Argos's own decoding options (argostranslate.translate.apply_packaged_translation, one hypothesis).
DECODING = {"beam_size": BEAM_SIZE, "length_penalty": LENGTH_PENALTY, "replace_unknowns": True, "num_hypotheses": 1}
# Sentences go to CTranslate2 in batches of up to MAX_BATCH sentences of the same length in tokens,
# run on a worker per core (inter_threads), each on one thread. A batch of mixed lengths pads the
# shorter sentences, and the padding changes the rounding of the attention's sums: at a near-tie
# the beam then takes another word than Argos, which translates one sentence at a time (a
# random-weight model of the published size: 1 of 16 seed sentences differed at its 179th token).
# Sentences of one length need no padding, and a batch of them gives, sentence for sentence, the
# bits one sentence alone gives (tests/translation/test_argos.py shows both). Large batches on
# many threads were slowest: their key/value caches outgrow the memory caches.
MAX_BATCH = 4
# Sentences queued for the workers behind those being collected, so no worker idles between the
# translation stage's calls; at most twice as many are in flight (what an interrupt waits for).
AHEAD = 16


class ArgosEngine:
    """Translate with an installed Argos package, batching every sentence of a run."""

    name = "argos"

    def unavailable(self, source: str, target: str) -> Unavailable | None:
        """None when argostranslate and a working source → target package are installed; else why, and the fix."""
        try:
            import argostranslate.package  # noqa: F401
        except ImportError:
            return Unavailable("argostranslate is not installed", "make deps")
        packages, broken = scan_packages()
        package = _pick(packages, source, target)
        if package is not None:
            try:
                _load(str(package.package_path))
                return None
            except Exception as exc:  # noqa: BLE001 - native loaders raise many kinds; each becomes one line
                broken = [
                    BrokenPackage(
                        package.package_path, f"the model does not load: {exception_text(exc)}", (source, target)
                    )
                ]
        for package in broken:
            if package.pair == (source, target):
                return Unavailable(
                    f"the Argos model for {source}→{target} in {package.path} is broken: {package.reason}", package.fix
                )
        reason = f"no Argos model for {source}→{target} is installed in {packages_dir()}"
        unknown = [package for package in broken if package.pair is None]
        if unknown:
            reason += (
                f" ({len(unknown)} broken package folder(s) there, such as {unknown[0].path.name}: {unknown[0].reason})"
            )
        return Unavailable(
            reason,
            f"press models install translate-{source}_{target}-<version>.argosmodel "
            "(from the Argos package index, downloaded on a machine with internet)",
        )

    def model(self, source: str, target: str) -> str:
        """The package's name and version."""
        package = self._package(source, target)
        return f"{package.package_path.name} {package.package_version}"

    def translate(self, sentences: list[str], source: str, target: str) -> list[str]:
        """One translation per sentence, in order (see :meth:`stream`)."""
        return list(self.stream(sentences, source, target))

    def stream(self, sentences: list[str], source: str, target: str) -> Iterator[str]:
        """The translations in order, as they come: Argos's options and detokenisation.

        Sentences go to the workers AHEAD at a time, in batches of one length, and the next ones
        are queued before the current ones are collected.
        """
        if not sentences:
            return
        package = self._package(source, target)
        translator, tokenizer = _load(str(package.package_path))
        prefix = package.target_prefix
        windows = (sentences[start : start + AHEAD] for start in range(0, len(sentences), AHEAD))
        queued = deque([_submit(translator, tokenizer, next(windows), prefix)])
        while queued:
            current = queued.popleft()
            queued.extend(_submit(translator, tokenizer, window, prefix) for window in _next(windows))
            for pending in current:
                try:
                    result = pending.result()
                except (RuntimeError, ValueError) as exc:
                    raise EngineError(f"CTranslate2 failed: {exc}") from None
                yield _detokenize(tokenizer, result.hypotheses[0], prefix)

    def _package(self, source: str, target: str):
        return _pick(installed_packages(), source, target)


def _pick(packages: list, source: str, target: str):
    """The newest installed package for source → target, or None."""
    matching = [p for p in packages if p.from_code == source and p.to_code == target]
    return max(matching, key=lambda p: tuple(int(n) for n in p.package_version.split(".")), default=None)


def _next(windows: Iterator[list[str]]) -> list[list[str]]:
    """The next window of sentences, if any (as a list of zero or one)."""
    return [window] if (window := next(windows, None)) else []


def _submit(translator, tokenizer, sentences: list[str], prefix: str) -> list:
    """Queue ``sentences`` on the workers in batches of one length; their pending results, in order."""
    tokens = [tokenizer.encode(sentence, out_type=str) for sentence in sentences]
    options = DECODING | {"max_batch_size": MAX_BATCH, "asynchronous": True}
    pending = {}
    try:
        for batch in same_length_batches(tokens):
            targets = [[prefix]] * len(batch) if prefix else None
            pending.update(
                zip(batch, translator.translate_batch([tokens[i] for i in batch], target_prefix=targets, **options))
            )
    except (RuntimeError, ValueError) as exc:
        raise EngineError(f"CTranslate2 failed: {exc}") from None
    return [pending[i] for i in range(len(tokens))]


def same_length_batches(tokens: list[list[str]]) -> list[list[int]]:
    """The sentences' indexes in batches of up to MAX_BATCH sentences of one length in tokens, longest first.

    No batch needs padding, so each sentence decodes to the bits it would alone; the longest go
    first so the workers finish together.
    """
    by_length: dict[int, list[int]] = {}
    for index, sentence in enumerate(tokens):
        by_length.setdefault(len(sentence), []).append(index)
    return [
        indexes[start : start + MAX_BATCH]
        for _, indexes in sorted(by_length.items(), reverse=True)
        for start in range(0, len(indexes), MAX_BATCH)
    ]


def _load(package_path: str) -> tuple:
    """The package's CTranslate2 translator (a worker per core) and SentencePiece model, loaded once per version."""
    return _load_version(package_path, _version_stamp(Path(package_path)))


@functools.lru_cache(maxsize=4)
def _load_version(package_path: str, stamp: tuple) -> tuple:
    return open_model(Path(package_path), *threads(os.cpu_count() or 1))


def threads(cores: int) -> tuple[int, int]:
    """CTranslate2's ``(inter_threads, intra_threads)`` for our path (batches of MAX_BATCH) on ``cores`` cores.

    A worker per core, one thread each: a batch decodes with beam 4 on one core, and the workers
    share nothing but the model. Measured on 2 cores (``python -m tools.bench --threads
    --sentences 16``, on a machine busy with other work): 2 workers × 1 thread 39.9 s, 1 × 1
    55.7 s, 1 × 2 65.6 s (intra threads pay for synchronisation on every small matrix product).
    On an idle machine, the seed's 57 sentences one at a time on 2 workers: 66.6 s for the
    random-weight model against 232.6 s for Argos's own code. Not measured above 2 cores:
    ``--threads`` measures it on the machine at hand.
    """
    return max(1, cores), 1


def _version_stamp(path: Path) -> tuple:
    """Identifies the model files on disk, so a package reinstalled at the same path is loaded again."""
    stamp = []
    for name in ("model/model.bin", "sentencepiece.model"):
        try:
            info = (path / name).stat()
            stamp.append((info.st_ino, info.st_mtime_ns, info.st_size))
        except OSError:
            stamp.append(None)
    return tuple(stamp)


def _detokenize(tokenizer, tokens: list[str], prefix: str) -> str:
    """Argos's detokenisation: pieces → text, ▁ and _ as spaces, the target prefix and one leading space dropped."""
    value = tokenizer.decode_pieces(tokens).replace("▁", " ").replace("_", " ")
    if prefix and value.startswith(prefix):
        value = value[len(prefix) :]
    return value.removeprefix(" ")
