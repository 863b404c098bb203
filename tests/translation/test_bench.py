"""The benchmark's pieces on small real models: interleaved runs, medians, the identity check, lengths.

Timings belong to ``make bench``; nothing here asserts one.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tools.bench import (
    TARGET,
    Side,
    _decoding,
    argos_translations,
    argos_translator,
    differences,
    floor_lines,
    interleave,
    main,
    one_thread_lines,
    ratio_lines,
    stat_cpu_seconds,
    token_lengths,
)
from tools.engines.argos.engine import ArgosEngine
from tools.engines.argos.install import install
from tools.engines.argos.packages import installed_packages
from tools.ingest import read_seed
from tools.modelkit import REALISTIC, build_argosmodel

ROOT = Path(__file__).resolve().parents[2]
SEED = read_seed(ROOT / "seeds" / "000_665afb2dddca8924.txt")
TEXT = "\n".join([SEED.title] + [p.text for p in SEED.paragraphs])
SENTENCES = [SEED.title, SEED.paragraphs[0].text.split(". ")[0] + ".", "The ⟦T1⟧ met ⟦T2⟧.", "Short."]


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory):
    """A tiny copying en→uk model, installed in a folder of its own."""
    folder = tmp_path_factory.mktemp("bench")
    archive = build_argosmodel(folder / "translate-en_uk-1_0.argosmodel", TEXT, "en", "uk")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ARGOS_PACKAGES_DIR", str(folder / "packages"))
        install(archive)
        [installed] = installed_packages()
        yield installed


@pytest.fixture
def sides(package, monkeypatch: pytest.MonkeyPatch) -> list[Side]:
    """Argos's own code and ours on the tiny model, as the bench pairs them."""
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(package.package_path.parent))
    translator = argos_translator(package, intra_threads=1)
    return [
        Side("argos", lambda: argos_translations(package, SENTENCES, translator)),
        Side("press", lambda: ArgosEngine().translate(SENTENCES, "en", "uk")),
    ]


@pytest.mark.parametrize(
    ("repeat", "order"),
    [
        (1, ["argos", "press"]),
        (3, ["argos", "press", "press", "argos", "argos", "press"]),
        (4, ["argos", "press", "press", "argos", "argos", "press", "press", "argos"]),
    ],
)
def test_interleave_alternates_which_side_goes_first(sides: list[Side], repeat: int, order: list[str]) -> None:
    assert interleave(sides, repeat) == order
    for side in sides:
        assert len(side.seconds) == len(side.outputs) == len(side.cpu) == repeat
        assert all(cpu >= 0 for cpu in side.cpu)
        assert side.steady()
        assert side.outputs[0] == SENTENCES, "the copying model copies, on both paths"
    assert not differences(sides[0].outputs[0], sides[1].outputs[0])


def test_the_decoding_alone_gives_argos_text(package, sides: list[Side]) -> None:
    """The floor the bench measures decodes what both paths decode: the same text, sentence for sentence."""
    assert _decoding(package, SENTENCES)() == sides[0].run() == SENTENCES


@pytest.mark.parametrize(
    ("seconds", "median"), [([5.0], 5.0), ([3.0, 1.0, 2.0], 2.0), ([4.0, 1.0], 2.5), ([9.0, 1.0, 1.5, 30.0], 5.25)]
)
def test_median_of_the_runs(seconds: list[float], median: float) -> None:
    side = Side("a side", list, seconds=seconds, outputs=[[]] * len(seconds))
    assert side.median() == median


@pytest.mark.parametrize(
    ("other", "differing"),
    [
        (["a", "b", "c"], []),
        (["a", "B", "c"], [1]),
        (["a", "b", "c "], [2]),
        (["a", "b"], [2]),
        (["a", "b", "c", "d"], [3]),
        ([], [0, 1, 2]),
        (["c", "b", "a"], [0, 2]),
    ],
)
def test_identity_check_flags_every_difference(other: list[str], differing: list[int]) -> None:
    assert differences(["a", "b", "c"], other) == differing


def test_a_run_that_changes_its_text_is_not_steady() -> None:
    side = Side("a side", list, seconds=[1.0, 1.0, 1.0], outputs=[["a", "b"], ["a", "b"], ["a", "B"]])
    assert not side.steady()


def test_output_lengths_in_model_tokens(package) -> None:
    import sentencepiece

    tokenizer = sentencepiece.SentencePieceProcessor(model_file=str(package.package_path / "sentencepiece.model"))
    lengths = [len(tokenizer.encode(s, out_type=str)) for s in SENTENCES]
    assert token_lengths(tokenizer, SENTENCES) == f"{sum(lengths) / len(lengths):.0f} tokens mean, {max(lengths)} max"
    assert token_lengths(tokenizer, []) == "0 tokens mean, 0 max"
    padded = len(tokenizer.encode("Short.", out_type=str)) + 3
    assert token_lengths(tokenizer, ["Short. filler12 filler9filler31"]) == f"{padded} tokens mean, {padded} max", (
        "a 32k model's padding pieces count one each"
    )


@pytest.mark.slow
def test_the_realistic_copying_model_copies(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The bench's "outputs end" shape: 6+6 layers, 8 heads, int8, 32k vocabulary, and still a copy."""
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "packages"))
    install(build_argosmodel(tmp_path / "realistic.argosmodel", TEXT, "en", "uk", REALISTIC))
    assert ArgosEngine().translate(SENTENCES, "en", "uk") == SENTENCES


@pytest.mark.parametrize("argument", ["--repeat=0", "--repeat=-2", "--repeat=x"])
def test_bad_repeat_is_refused(argument: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main([argument])
    assert exit_.value.code == 2
    assert "--repeat" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("argos", "ours", "cpu_ratio", "met", "from_cores"),
    [  # (wall seconds, CPU seconds) of each side's runs
        (([10.0], [10.0]), ([2.0], [2.0]), "5.00", True, None),  # one core each: CPU and wall agree
        (([10.0], [10.0]), ([1.0], [2.0]), "5.00", True, "2.0"),  # press on two cores: half its wall ratio is that
        (([8.0], [16.0]), ([4.0], [8.0]), "2.00", False, None),  # both on two cores
        (([30.0], [10.0]), ([5.0], [4.0]), "2.50", False, None),  # a loaded machine stretches wall time, not CPU
    ],
)
def test_the_ratio_is_judged_on_cpu_time(argos, ours, cpu_ratio: str, met: bool, from_cores: str | None) -> None:
    def side(name: str, times) -> Side:
        return Side(name, list, seconds=times[0], cpu=times[1], outputs=[[]] * len(times[0]))

    lines = ratio_lines(side("argos", argos), side("press", ours))
    assert lines[0].startswith(f"ratio by CPU time: {cpu_ratio}× less CPU (target ≥ {TARGET:.0f}×")
    assert lines[0].endswith("met)") and ("NOT met" not in lines[0]) == met
    assert lines[1].startswith("ratio by wall time:") and "at load" in lines[1]
    assert (len(lines) == 3 and f"×{from_cores} comes from press using more cores" in lines[2]) == bool(from_cores)


@pytest.mark.parametrize(
    ("argos_cpu", "ours_cpu", "decoding_cpu", "ours", "argos"),
    [
        (30.0, 10.0, 9.0, "1.11", "3.33"),  # press near the decoding: only Argos's overhead is left to gain
        (30.0, 10.0, 5.0, "2.00", "6.00"),  # press spends as much again as the decoding: room to gain
        (30.0, 9.0, 10.0, "0.90", "3.00"),  # two workers spent a little less than one thread: noise, said as is
    ],
)
def test_the_floor_says_what_no_path_at_identical_output_can_beat(
    argos_cpu: float, ours_cpu: float, decoding_cpu: float, ours: str, argos: str
) -> None:
    def side(name: str, cpu: float) -> Side:
        return Side(name, list, seconds=[cpu], cpu=[cpu], outputs=[[]])

    lines = floor_lines(side("argos", argos_cpu), side("press", ours_cpu), side("decoding", decoding_cpu))
    assert lines[0] == f"press's CPU is {ours}× that of CTranslate2's decoding alone"
    assert lines[1].startswith(f"argostranslate's is {argos}× it: by CPU, a path with Argos's exact text gains")
    assert floor_lines(side("argos", argos_cpu), side("press", ours_cpu), side("decoding", 0.0)) == []


def test_the_one_thread_line_compares_cpu_and_wall() -> None:
    def side(name: str, wall: float, cpu: float) -> Side:
        return Side(name, list, seconds=[wall], cpu=[cpu], outputs=[[]])

    [line] = one_thread_lines(side("argos", 3.3, 3.2), side("press", 1.6, 3.2))
    assert line == "against argostranslate on one thread: 1.00× less CPU, 2.06× faster by wall time"
    assert one_thread_lines(side("argos", 3.3, 3.2), side("press", 0.0, 0.0)) == []


@pytest.mark.parametrize(
    ("stat", "ticks"),
    [
        ("1234 (python3) S 1 1234 1234 0 -1 4194560 100 0 0 0 250 50 0 0 20 0 3 0", 300),
        ("99 (a) b) (c) R 1 99 99 0 -1 0 0 0 0 0 7 3 0 0 20 0 1 0", 10),  # a name with ") " in it
    ],
)
def test_a_server_s_cpu_time_is_read_from_proc(stat: str, ticks: int) -> None:
    import os

    assert stat_cpu_seconds(stat) == ticks / os.sysconf("SC_CLK_TCK")
