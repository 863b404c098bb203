"""``make bench``: our Argos path against argostranslate's own, on a model of realistic size.

Builds an Argos package of the size of the published ones (6+6 layers, 512
wide, int8, 32k vocabulary; random weights, since no weights can be
downloaded here), then translates the seed's sentences twice in the same
run: through :class:`tools.engines.argos.ArgosEngine` (one batch) and
through ``argostranslate.translate.apply_packaged_translation`` (Argos's
own code, its default settings). Prints both times, the ratio, and whether
the outputs are identical. Timings belong here, never in the tests.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
import types
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tools.engines.argos import ArgosEngine, install, installed_packages
from tools.ingest import read_seed
from tools.modelkit import REALISTIC, build_argosmodel
from tools.segment import split_sentences

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
    """Run the benchmark and print its report."""
    parser = argparse.ArgumentParser(prog="python -m tools.bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sentences", type=int, default=0, help="use only the first N sentences (default: all)")
    args = parser.parse_args(argv)
    seed = read_seed(next(Path("seeds").glob("*.txt")))
    sentences = [s for p in seed.paragraphs for s in split_sentences(p.text)]
    sentences = sentences[: args.sentences] if args.sentences else sentences
    text = "\n".join([seed.title] + [p.text for p in seed.paragraphs])
    with tempfile.TemporaryDirectory() as work:
        os.environ["ARGOS_PACKAGES_DIR"] = str(Path(work) / "packages")
        started = time.perf_counter()
        archive = build_argosmodel(Path(work) / "bench.argosmodel", text, "en", "xx", REALISTIC, copying=False)
        install(archive)
        print(f"model: 6+6 layers, 512 wide, int8, 32k vocabulary, built in {time.perf_counter() - started:.1f} s")
        print(f"input: {len(sentences)} sentences of {seed.source.name}; {os.cpu_count()} cores")
        [package] = installed_packages()
        engine = ArgosEngine()
        engine.translate(sentences[:1], "en", "xx")  # load the model once, outside the timing
        ours, ours_s = _timed(lambda: engine.translate(sentences, "en", "xx"))
        theirs, theirs_s = _timed(lambda: argos_translations(package, sentences))
    ratio = theirs_s / ours_s
    identical = ours == theirs
    print(f"argostranslate (its settings, sentence by sentence): {theirs_s:8.2f} s")
    print(f"press (one translate_batch, a worker per core):     {ours_s:8.2f} s")
    print(f"ratio: {ratio:.2f}× faster (target ≥ {TARGET:.0f}×); identical output: {'yes' if identical else 'NO'}")
    print(f"peak memory: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")
    return 0 if identical else 1


def _timed(run):
    started = time.perf_counter()
    result = run()
    return result, time.perf_counter() - started


if __name__ == "__main__":
    raise SystemExit(main())
