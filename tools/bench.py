"""``make bench``: our Argos path against argostranslate's own, and 1 and 2 LibreTranslate servers, one run.

Builds an Argos package of the size of the published ones (6+6 layers, 512
wide, int8, 32k vocabulary; random weights, since no weights can be
downloaded here), then translates the seed's sentences in the same run:
through :class:`tools.engines.argos.ArgosEngine` (one batch) and through
``argostranslate.translate.apply_packaged_translation`` (Argos's own code,
its default settings), whose outputs must be identical; then through the
libretranslate engine as the build calls it, with one LibreTranslate
server and with two (the same text both times). ``--threads`` also times
our path per inter/intra threads and batch size. Timings belong here,
never in the tests.
"""

from __future__ import annotations

import argparse
import functools
import os
import resource
import shutil
import sys
import tempfile
import time
import types
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tools.engines.argos import BEAM_SIZE, LENGTH_PENALTY, ArgosEngine, install, installed_packages, threads
from tools.engines.libretranslate import LibreTranslateEngine, Settings
from tools.ingest import read_seed
from tools.ltserver import LibreTranslate, ensure_venv, prepare_home
from tools.modelkit import REALISTIC, build_argosmodel
from tools.segment import split_sentences
from tools.translate import BATCH

TARGET = 3.0


@contextmanager
def argos_translate_module() -> Iterator[types.ModuleType]:
    """``argostranslate.translate``, imported without stanza and minisbd.

    The module imports both at the top for sentence splitting (which goes
    online); translating sentences already split needs neither, so empty
    stand-ins are put in their place while it is imported.
    """
    minisbd = types.ModuleType("minisbd")
    minisbd.SBDetect, minisbd.models = None, types.SimpleNamespace(cache_dir=None)
    stand_ins = {"stanza": types.ModuleType("stanza"), "minisbd": minisbd}
    saved = {name: sys.modules.get(name) for name in stand_ins}
    sys.modules.update(stand_ins)
    try:
        import argostranslate.translate

        yield argostranslate.translate
    finally:
        for name, module in saved.items():
            if module is None:
                sys.modules.pop(name, None)
            else:
                sys.modules[name] = module


class AsSplit:
    """A sentence splitter for Argos that returns the text as one sentence (it is split already)."""

    def split_sentences(self, text: str) -> list[str]:
        return [text]


def argos_translations(package, sentences: list[str]) -> list[str]:
    """What Argos's own code gives for each sentence, with its default settings."""
    import ctranslate2
    from argostranslate import settings

    with argos_translate_module() as translate:
        translator = ctranslate2.Translator(
            str(package.package_path / "model"),
            device=settings.device,
            inter_threads=settings.inter_threads,
            intra_threads=settings.intra_threads,
            compute_type=settings.compute_type,
        )
        return [translate.apply_packaged_translation(package, s, translator, AsSplit(), 1)[0].value for s in sentences]


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its report; status 1 if an output promised identical is not."""
    parser = argparse.ArgumentParser(prog="python -m tools.bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sentences", type=int, default=0, help="use only the first N sentences (default: all)")
    parser.add_argument("--threads", action="store_true", help="also time our path per inter/intra threads and batch")
    parser.add_argument("--no-libretranslate", action="store_true", help="skip the LibreTranslate servers")
    args = parser.parse_args(argv)
    seed = read_seed(next(Path("seeds").glob("*.txt")))
    sentences = [s for p in seed.paragraphs for s in split_sentences(p.text)]
    sentences = sentences[: args.sentences] if args.sentences else sentences
    text = "\n".join([seed.title] + [p.text for p in seed.paragraphs])
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        os.environ["ARGOS_PACKAGES_DIR"] = str(work / "packages")
        started = time.perf_counter()
        archive = build_argosmodel(work / "bench.argosmodel", text, "en", "uk", REALISTIC, copying=False)
        install(archive)
        print(f"model: 6+6 layers, 512 wide, int8, 32k vocabulary, built in {time.perf_counter() - started:.1f} s")
        print(f"input: {len(sentences)} sentences of {seed.source.name}; {os.cpu_count()} cores")
        [package] = installed_packages()
        ok, ours = _ours_and_argos(package, sentences)
        if args.threads:
            _thread_shapes(package, sentences)
        if not args.no_libretranslate:
            backward = build_argosmodel(work / "uk_en.argosmodel", text, "uk", "en")  # a second pair: fast start
            ok &= _libretranslate(work, [archive, backward], sentences, ours)
    print(f"peak memory: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")
    return 0 if ok else 1


def _ours_and_argos(package, sentences: list[str]) -> tuple[bool, list[str]]:
    """Our path and argostranslate's own on the same sentences: times, ratio; identical (promised), and ours."""
    engine = ArgosEngine()
    engine.translate(sentences[:1], "en", "uk")  # load the model once, outside the timing
    ours, ours_s = _timed(lambda: engine.translate(sentences, "en", "uk"))
    theirs, theirs_s = _timed(lambda: argos_translations(package, sentences))
    inter, intra = threads(os.cpu_count() or 1)
    identical = ours == theirs
    print(f"argostranslate (its settings, sentence by sentence): {theirs_s:8.2f} s")
    print(f"press (one translate_batch, {inter} workers × {intra} thread): {ours_s:8.2f} s")
    print(f"ratio: {theirs_s / ours_s:.2f}× faster (target ≥ {TARGET:.0f}×); identical output: {_yes(identical)}")
    return identical, ours


def _thread_shapes(package, sentences: list[str]) -> None:
    """Our path's time per (inter_threads, intra_threads, max_batch_size), and whether the text is the same."""
    import ctranslate2
    import sentencepiece

    cores = os.cpu_count() or 1
    tokenizer = sentencepiece.SentencePieceProcessor(model_file=str(package.package_path / "sentencepiece.model"))
    tokens = [tokenizer.encode(sentence, out_type=str) for sentence in sentences]
    shapes = sorted({(cores, 1, 1), (1, cores, 1), (max(1, cores // 2), min(2, cores), 1), (cores, 1, 4), (1, 1, 1)})
    reference = None
    for inter, intra, batch in shapes:
        translator = ctranslate2.Translator(
            str(package.package_path / "model"), device="cpu", inter_threads=inter, intra_threads=intra
        )
        translator.translate_batch(tokens[:1], beam_size=BEAM_SIZE)
        options = {"beam_size": BEAM_SIZE, "length_penalty": LENGTH_PENALTY, "replace_unknowns": True}
        run = functools.partial(translator.translate_batch, tokens, max_batch_size=batch, **options)
        results, seconds = _timed(run)
        texts = [r.hypotheses[0] for r in results]
        reference = reference or texts
        same = sum(a == b for a, b in zip(texts, reference))
        print(f"  inter {inter} × intra {intra}, batch {batch}: {seconds:8.2f} s; same text: {same}/{len(texts)}")


def _libretranslate(work: Path, archives: list[Path], sentences: list[str], ours: list[str]) -> bool:
    """The sentences through 1, then 2 LibreTranslate servers, sent as the build sends them; identical text."""
    try:
        command = ensure_venv()
    except RuntimeError as exc:
        print(f"LibreTranslate: skipped, its venv cannot be made (make libretranslate-deps): {str(exc)[-200:]}")
        return True
    home = prepare_home(work / "lt-home", archives, ("en", "uk"))
    homes = [shutil.copytree(home, work / f"lt-{n}") for n in (1, 2)]
    with LibreTranslate(command, Path(homes[0]), ("en", "uk")) as one:
        alone, alone_s = _timed(lambda: _as_the_build_sends(one.url, sentences=sentences))
        with LibreTranslate(command, Path(homes[1]), ("en", "uk")) as two:
            shared, shared_s = _timed(lambda: _as_the_build_sends(one.url, two.url, sentences=sentences))
    identical = alone == shared
    print(f"LibreTranslate, 1 server (ARGOS_INTRA_THREADS=1, {BATCH} sentences a call): {alone_s:8.2f} s")
    print(f"LibreTranslate, 2 servers (the calls' chunks spread over both):  {shared_s:8.2f} s")
    print(f"ratio: {alone_s / shared_s:.2f}× faster with 2; identical output (1 vs 2 servers): {_yes(identical)}")
    print(f"(LibreTranslate's text is not Argos's: it recases and repunctuates; same as ours: {_yes(alone == ours)})")
    return identical


def _as_the_build_sends(*urls: str, sentences: list[str]) -> list[str]:
    """The sentences through the libretranslate engine in calls of the translation stage's batch size."""
    engine = LibreTranslateEngine(Settings(urls, timeout=600))
    if problem := engine.unavailable("en", "uk"):  # also warms each server's model up with one word
        raise RuntimeError(f"{problem.reason}; fix: {problem.fix}")
    return [text for start in range(0, len(sentences), BATCH) for text in
            engine.translate(sentences[start : start + BATCH], "en", "uk")]  # fmt: skip


def _yes(flag: bool) -> str:
    return "yes" if flag else "NO"


def _timed(run):
    started = time.perf_counter()
    result = run()
    return result, time.perf_counter() - started


if __name__ == "__main__":
    raise SystemExit(main())
