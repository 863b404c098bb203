"""``make bench``: our Argos path against argostranslate's own, and 1 and 2 LibreTranslate servers.

Builds two Argos packages of the size of the published ones (6+6 layers, 512
wide, int8, 32k vocabulary; no weights can be downloaded here): one whose
hand-set weights copy the input, so every output ends where its source does
(a realistic length), and one of random weights, whose outputs never end and
run to the 256-token cap (the worst case). For each, the seed's sentences go
through :class:`tools.engines.argos.engine.ArgosEngine` as the build calls it (the
translation stage's own ``engine_batches``) and through
``argostranslate.translate.apply_packaged_translation`` (Argos's own code,
with ``intra_threads`` = the core count), the two interleaved and repeated
(``--repeat``, median reported; models loaded before any timing); every
sentence's output must be identical. Beside them, on the same batches and
text: CTranslate2's decoding alone (one thread, no code around it), and
argostranslate on one thread, so the report says how much of a ratio is
decoding saved and how much is Argos's second thread. Each side's CPU time (every thread of
this process) is measured beside its wall time, and the target is judged on
CPU time: on a loaded machine the wall-time ratio says more about the load
than about the code (each side's cores in use, CPU ÷ wall, is printed, so a
speed that comes from using two cores where Argos uses one shows as such). Then the libretranslate engine as the
build calls it, with one LibreTranslate server and with two (the same text
both times). ``--threads`` also times our path per inter/intra threads and
batch size. Timings belong here, never in the tests.
"""

from __future__ import annotations

import argparse
import functools
import os
import re
import resource
import shutil
import statistics
import sys
import tempfile
import time
import types
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from tools.engines.argos.engine import BEAM_SIZE, DECODING, MAX_BATCH, ArgosEngine, threads
from tools.engines.argos.install import install
from tools.engines.argos.packages import installed_packages
from tools.engines.libretranslate import LibreTranslateEngine, Settings
from tools.ingest import read_seed
from tools.layout import Layout
from tools.ltserver import LibreTranslate, ensure_venv, prepare_home
from tools.modelkit import REALISTIC, build_argosmodel
from tools.segment import split_sentences
from tools.translate import BATCH, Translation, engine_batches

TARGET = 5.0
FILLER = re.compile(r" ?filler[0-9]+")  # modelkit's padding pieces ("▁filler12") once detokenised
REPEAT = 3
# name: (copying weights?, what the outputs are like)
MODEL_SHAPES = {
    "copying": (True, "copying weights, outputs end with their source"),
    "random": (False, "random weights, every output runs to the 256-token cap (worst case)"),
}


@dataclass
class Side:
    """One way of translating the sentences, with its time and output for every run."""

    name: str
    run: Callable[[], list[str]]
    seconds: list[float] = field(default_factory=list)
    outputs: list[list[str]] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)

    def median(self) -> float:
        """The median of the run times (wall clock), in seconds."""
        return statistics.median(self.seconds)

    def median_cpu(self) -> float:
        """The median of the runs' CPU time (every thread of the process), in seconds."""
        return statistics.median(self.cpu)

    def cores(self) -> float:
        """How many cores the side kept busy on average: CPU time over wall time."""
        return self.median_cpu() / self.median() if self.median() else 0.0

    def steady(self) -> bool:
        """Whether every run gave the same text."""
        return all(output == self.outputs[0] for output in self.outputs)


def interleave(sides: list[Side], repeat: int) -> list[str]:
    """Run every side ``repeat`` times, alternating which goes first (AB, BA, AB, …); the names in run order."""
    order = []
    for round_ in range(repeat):
        for side in sides if round_ % 2 == 0 else sides[::-1]:
            output, seconds, cpu = _timed(side.run)
            side.outputs.append(output)
            side.seconds.append(seconds)
            side.cpu.append(cpu)
            order.append(side.name)
    return order


def differences(reference: list[str], other: list[str]) -> list[int]:
    """The indexes of the sentences whose text differs; a missing or extra sentence counts as a difference."""
    shared = min(len(reference), len(other))
    return [i for i in range(shared) if reference[i] != other[i]] + list(range(shared, max(len(reference), len(other))))


def token_lengths(tokenizer, texts: list[str]) -> str:
    """The mean and largest length of ``texts`` in the model's tokens (re-encoded; a vocabulary filler is one)."""
    lengths = [_tokens(tokenizer, text) for text in texts] or [0]
    return f"{statistics.mean(lengths):.0f} tokens mean, {max(lengths)} max"


def _tokens(tokenizer, text: str) -> int:
    """How many tokens ``text`` is: SentencePiece's, plus one per padding piece of a 32k model (not in SentencePiece)."""
    rest, fillers = FILLER.subn("", text)
    return len(tokenizer.encode(rest, out_type=str)) + fillers


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


def argos_translator(package, intra_threads: int | None = None):
    """The CTranslate2 translator Argos would load for ``package``; ``intra_threads`` overrides its setting."""
    import ctranslate2
    from argostranslate import settings

    return ctranslate2.Translator(
        str(package.package_path / "model"),
        device=settings.device,
        inter_threads=settings.inter_threads,
        intra_threads=settings.intra_threads if intra_threads is None else intra_threads,
        compute_type=settings.compute_type,
    )


def argos_translations(package, sentences: list[str], translator=None) -> list[str]:
    """What Argos's own code gives for each sentence (its settings, or the ``translator`` given)."""
    translator = translator or argos_translator(package)
    with argos_translate_module() as translate:
        return [translate.apply_packaged_translation(package, s, translator, AsSplit(), 1)[0].value for s in sentences]


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its report; status 1 if an output promised identical is not."""
    parser = argparse.ArgumentParser(prog="python -m tools.bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sentences", type=int, default=0, help="use only the first N sentences (default: all)")
    parser.add_argument("--repeat", type=int, default=REPEAT, help=f"runs of each side (default {REPEAT}; median)")
    parser.add_argument("--threads", action="store_true", help="also time our path per inter/intra threads and batch")
    parser.add_argument("--no-libretranslate", action="store_true", help="skip the LibreTranslate servers")
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be 1 or more")
    seed = read_seed(next(Layout(Path(".")).seeds.glob("*.txt")))
    sentences = [s for p in seed.paragraphs for s in split_sentences(p.text)]
    sentences = sentences[: args.sentences] if args.sentences else sentences
    text = "\n".join([seed.title] + [p.text for p in seed.paragraphs])
    cores = os.cpu_count() or 1
    print(f"input: {len(sentences)} sentences of {seed.source.name}; {cores} cores; load average {_load_average()}")
    print(f"models: 6+6 layers, 512 wide, int8, 32k vocabulary; each side run {args.repeat}×, interleaved")
    ok, outputs = True, {}
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        for name, (copying, description) in MODEL_SHAPES.items():
            archive = build_argosmodel(work / name / "bench.argosmodel", text, "en", "uk", REALISTIC, copying=copying)
            os.environ["ARGOS_PACKAGES_DIR"] = str(work / name / "packages")
            install(archive)
            [package] = installed_packages()
            print(f"\n{name} model ({description}):")
            same, outputs[name] = _ours_and_argos(package, sentences, args.repeat)
            ok &= same
            if args.threads:
                _thread_shapes(package, sentences, outputs[name])
        if not args.no_libretranslate:
            random = work / "random" / "bench.argosmodel"
            backward = build_argosmodel(work / "uk_en.argosmodel", text, "uk", "en")  # a second pair: fast start
            ok &= _libretranslate(work, [random, backward], sentences, outputs["random"])
    print(f"\nload average at the end: {_load_average()}")
    print(f"peak memory: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")
    return 0 if ok else 1


def _ours_and_argos(package, sentences: list[str], repeat: int) -> tuple[bool, list[str]]:
    """Our path and argostranslate's own (on the cores, and on one thread), and CTranslate2's decoding alone,
    interleaved: median times, ratios, lengths; identical text, and ours."""
    cores = os.cpu_count() or 1
    inter, intra = threads(cores)
    engine = ArgosEngine()
    engine.translate(sentences[:1], "en", "uk")  # loads our model, outside the timing
    on_cores, on_one = argos_translator(package, intra_threads=cores), argos_translator(package, intra_threads=1)
    argos = Side(
        f"argostranslate (its code, intra_threads {cores})", lambda: argos_translations(package, sentences, on_cores)
    )
    ours = Side(
        f"press ({inter} workers × {intra} thread, as the build calls it: streamed, saved every {BATCH},"
        f" batches of ≤ {MAX_BATCH} of one length)",
        lambda: _through_the_stage(engine, sentences),
    )
    decoding = Side(
        "CTranslate2's decoding alone (one thread, the same batches, no code around it)", _decoding(package, sentences)
    )
    argos_one = Side(
        "argostranslate on one thread (intra_threads 1)", lambda: argos_translations(package, sentences, on_one)
    )
    sides = [argos, ours, decoding, argos_one]
    interleave(sides, repeat)
    tokenizer = _tokenizer(package)
    print(f"  source: {token_lengths(tokenizer, sentences)}")
    for side in sides:
        runs = ", ".join(f"{s:.1f}" for s in side.seconds)
        print(f"  {side.name}: median {side.median():7.2f} s wall (runs {runs}), {side.median_cpu():7.2f} s CPU,"
              f" {side.cores():.1f} cores busy; output {token_lengths(tokenizer, side.outputs[0])}")  # fmt: skip
    for line in ratio_lines(argos, ours) + floor_lines(argos, ours, decoding) + one_thread_lines(argos_one, ours):
        print(f"  {line}")
    differing = sorted({i for side in sides[1:] for i in differences(argos.outputs[0], side.outputs[0])})
    steady = all(side.steady() for side in sides)
    identical = not differing and steady
    print(f"  identical output: {_yes(identical)} ({len(sentences) - len(differing)}/{len(sentences)} sentences"
          f" the same on every side{'' if steady else ', NOT the same text on every run'})")  # fmt: skip
    return identical, ours.outputs[0]


def one_thread_lines(argos_one: Side, ours: Side) -> list[str]:
    """The ratio against argostranslate on one thread: what press saves beyond Argos's second thread."""
    if not ours.median_cpu() or not ours.median():
        return []
    by_cpu, by_wall = argos_one.median_cpu() / ours.median_cpu(), argos_one.median() / ours.median()
    return [f"against argostranslate on one thread: {by_cpu:.2f}× less CPU, {by_wall:.2f}× faster by wall time"]


def ratio_lines(argos: Side, ours: Side) -> list[str]:
    """The ratios, judged on CPU time; the wall-time ratio beside it with the load it was measured at."""
    by_cpu = argos.median_cpu() / ours.median_cpu() if ours.median_cpu() else float("inf")
    by_wall = argos.median() / ours.median() if ours.median() else float("inf")
    verdict = "met" if by_cpu >= TARGET else "NOT met"
    lines = [
        f"ratio by CPU time: {by_cpu:.2f}× less CPU (target ≥ {TARGET:.0f}×, judged on this: {verdict})",
        (
            f"ratio by wall time: {by_wall:.2f}× faster at load {_load_average()}"
            f" (argostranslate kept {argos.cores():.1f} cores busy, press {ours.cores():.1f})"
        ),
    ]
    if ours.cores() > argos.cores() * 1.25:
        lines.append(f"of the wall-time ratio, ×{ours.cores() / argos.cores():.1f} comes from press using more cores")
    return lines


def floor_lines(argos: Side, ours: Side, decoding: Side) -> list[str]:
    """Each path's CPU against CTranslate2's decoding alone: how much of the ratio is Argos's overhead around the
    decoding, which is all a path with Argos's exact text can save."""
    floor = decoding.median_cpu()
    if not floor:
        return []
    return [
        f"press's CPU is {ours.median_cpu() / floor:.2f}× that of CTranslate2's decoding alone",
        (
            f"argostranslate's is {argos.median_cpu() / floor:.2f}× it: by CPU, a path with Argos's exact text"
            " gains about that much at most; more needs less decoding (mixed-length batches, other kernels:"
            " other text)"
        ),
    ]


def _decoding(package, sentences: list[str]) -> Callable[[], list[str]]:
    """CTranslate2's beam search alone over the sentences, in our engine's batches of one length, on one thread:
    the sentences encoded beforehand; a run returns the texts (detokenised as the engine does)."""
    import ctranslate2

    from tools.engines.argos.engine import _detokenize, same_length_batches

    tokenizer = _tokenizer(package)
    tokens = [tokenizer.encode(sentence, out_type=str) for sentence in sentences]
    prefix = package.target_prefix
    translator = ctranslate2.Translator(
        str(package.package_path / "model"), device="cpu", inter_threads=1, intra_threads=1
    )
    translator.translate_batch(tokens[:1], **DECODING)  # loaded and warm, outside the timing

    def run() -> list[str]:
        hypotheses: dict[int, list[str]] = {}
        for batch in same_length_batches(tokens):
            targets = [[prefix]] * len(batch) if prefix else None
            results = translator.translate_batch([tokens[i] for i in batch], target_prefix=targets, **DECODING)
            hypotheses.update((i, result.hypotheses[0]) for i, result in zip(batch, results))
        return [_detokenize(tokenizer, hypotheses[i], prefix) for i in range(len(tokens))]

    return run


def _tokenizer(package):
    import sentencepiece

    return sentencepiece.SentencePieceProcessor(model_file=str(package.package_path / "sentencepiece.model"))


def _thread_shapes(package, sentences: list[str], reference: list[str]) -> None:
    """Our path's time per (inter_threads, intra_threads, max_batch_size), and how many sentences match ours."""
    import ctranslate2

    from tools.engines.argos.engine import _detokenize

    cores = os.cpu_count() or 1
    tokenizer = _tokenizer(package)
    tokens = [tokenizer.encode(sentence, out_type=str) for sentence in sentences]
    shapes = sorted({(cores, 1, 1), (1, cores, 1), (cores, 1, 2), (cores, 1, 4), (cores, 1, 8), (1, 1, 1)})
    for inter, intra, batch in shapes:
        translator = ctranslate2.Translator(
            str(package.package_path / "model"), device="cpu", inter_threads=inter, intra_threads=intra
        )
        translator.translate_batch(tokens[:1], beam_size=BEAM_SIZE)
        run = functools.partial(translator.translate_batch, tokens, max_batch_size=batch, **DECODING)
        results, seconds, _ = _timed(run)
        texts = [_detokenize(tokenizer, r.hypotheses[0], package.target_prefix) for r in results]
        same = len(texts) - len(differences(reference, texts))
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
    print("\nLibreTranslate (random model):")
    with LibreTranslate(command, Path(homes[0]), ("en", "uk")) as one:
        alone, alone_s, alone_cpu = _timed_servers([one], lambda: _as_the_build_sends(one.url, sentences=sentences))
        with LibreTranslate(command, Path(homes[1]), ("en", "uk")) as two:
            shared, shared_s, shared_cpu = _timed_servers(
                [one, two], lambda: _as_the_build_sends(one.url, two.url, sentences=sentences)
            )
    identical = alone == shared
    print(f"  1 server (ARGOS_INTRA_THREADS=1, {BATCH} sentences a call): {alone_s:8.2f} s wall, {alone_cpu:8.2f} s"
          " CPU in the server")  # fmt: skip
    print(f"  2 servers (the calls' chunks spread over both):  {shared_s:8.2f} s wall, {shared_cpu:8.2f} s CPU in"
          " the servers")  # fmt: skip
    print(f"  ratio: {alone_s / shared_s:.2f}× faster with 2 by wall time (the same CPU spread over two cores:"
          f" {alone_cpu / shared_cpu if shared_cpu else 0:.2f}× of it), at load {_load_average()};"
          f" identical output (1 vs 2 servers): {_yes(identical)}")  # fmt: skip
    print(f"  (LibreTranslate's text is not Argos's: it recases and repunctuates; same as ours: {_yes(alone == ours)})")
    return identical


def _as_the_build_sends(*urls: str, sentences: list[str]) -> list[str]:
    """The sentences through the libretranslate engine as the build sends them."""
    engine = LibreTranslateEngine(Settings(urls, timeout=600))
    if problem := engine.unavailable("en", "uk"):  # also warms each server's model up with one word
        raise RuntimeError(str(problem))
    return _through_the_stage(engine, sentences)


def _through_the_stage(engine, sentences: list[str]) -> list[str]:
    """The sentences through ``engine`` as the translation stage sends them (its own function)."""
    made = Translation("uk", engine.name, "", {})
    return [text for batch in engine_batches(engine, sentences, "en", "uk", made) for text in batch]


def _load_average() -> str:
    return ", ".join(f"{load:.2f}" for load in os.getloadavg())


def _yes(flag: bool) -> str:
    return "yes" if flag else "NO"


def _timed(run):
    """``run()``, its wall time and its CPU time (every thread of this process), in seconds."""
    started, cpu = time.perf_counter(), time.process_time()
    result = run()
    return result, time.perf_counter() - started, time.process_time() - cpu


def _timed_servers(servers: list[LibreTranslate], run):
    """``run()``, its wall time, and the CPU time the servers' processes spent meanwhile, in seconds."""
    before = sum(process_cpu_seconds(server.process.pid) for server in servers if server.process)
    result, seconds, _ = _timed(run)
    after = sum(process_cpu_seconds(server.process.pid) for server in servers if server.process)
    return result, seconds, after - before


def process_cpu_seconds(pid: int) -> float:
    """The CPU time (user + system, every thread) a running process has used, from ``/proc/PID/stat``."""
    return stat_cpu_seconds(Path(f"/proc/{pid}/stat").read_text(encoding="utf-8", errors="replace"))


def stat_cpu_seconds(stat: str) -> float:
    """utime + stime of a ``/proc/PID/stat`` line, in seconds (the name, in parentheses, may hold any character)."""
    fields = stat.rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # fields 14 and 15 of proc(5)


if __name__ == "__main__":
    raise SystemExit(main())
