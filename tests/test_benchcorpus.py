"""The corpus bench's own pieces: its arguments, its --keep folder, its tables from given figures, and
what it measures with (the CPU seconds of the children, a process tree, make run in a generated project).
No timing is asserted: the figures are given, or only their presence is checked."""

from __future__ import annotations

import os
import re
import resource
import signal
import subprocess
from pathlib import Path

import pytest
from conftest import require_command  # tests/ is on the path: helpers, not fixtures

from tools import benchcorpus
from tools.benchcorpus import MAKE, MARK, Figures, Timed, fresh, keep_folder, report, site_report
from tools.errors import PressError

BUILD, SITE = Timed(4.5, 4.0, 300_000_000), Timed(2.5, 2.0, 0)


def figures(n: int, full: float) -> Figures:
    """Given figures for N articles: a full build of ``full`` wall seconds (build and site halves)."""
    half = Timed(full / 2, full, 0)
    noop = (Timed(0.5, 0.4), Timed(0.6, 0.5), Timed(1.3, 1.1))
    return Figures(n, (half, half), noop, (BUILD, SITE), (Timed(3.0, 3.5), Timed(2.0, 1.9)), 190_000_000, 4_400_000)


def table(text: str) -> dict[str, list[str]]:
    """A Markdown table as its rows' cells by the row's label (the rule line left out)."""
    rows = [[cell.strip() for cell in line.strip("|").split("|")] for line in text.splitlines()]
    assert all(len(row) == len(rows[0]) for row in rows), text
    return {row[0]: row[1:] for row in rows if not row[0].startswith("-")}


@pytest.mark.parametrize("text, sizes", [("10,100", [10, 100]), ("1000", [1000]), (" 10, 100, ", [10, 100])])
def test_sizes_are_article_counts(text: str, sizes: list[int]) -> None:
    assert benchcorpus._sizes(text) == sizes


@pytest.mark.parametrize("text", ["", "0", "ten", "10,-1", "10;100"])
def test_a_size_that_is_no_count_is_refused_in_one_line(text: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit:
        benchcorpus.main(["--sizes", text])
    assert exit.value.code == 2
    error = capsys.readouterr().err.strip().splitlines()[-1]
    assert error == f"bench-corpus: error: argument --sizes: {text!r}: give article counts, e.g. 10,100,1000"


@pytest.mark.parametrize("made", [False, True], ids=["new", "empty"])
def test_keep_makes_a_new_or_empty_folder_a_benchs(tmp_path: Path, made: bool) -> None:
    folder = tmp_path / "bench" / "kept"
    if made:
        folder.mkdir(parents=True)
    assert keep_folder(folder) == folder
    assert (folder / MARK).is_file()


def test_keep_refuses_a_folder_with_other_things_in_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    assert benchcorpus.main(["--sizes", "1", "--keep", str(tmp_path)]) == 1
    refusal = f"error: {tmp_path}: --keep: not empty and not a bench's folder (no {MARK} in it); "
    assert capsys.readouterr().err.strip().splitlines() == [
        refusal + "fix: give a new or empty folder, or one an earlier --keep made"
    ]
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"], "nothing written into a folder not the bench's"


def test_keep_refuses_a_file(tmp_path: Path) -> None:
    (tmp_path / "kept").write_text("", encoding="utf-8")
    with pytest.raises(PressError, match="--keep: is a file, not a folder; fix: give a new or empty folder"):
        keep_folder(tmp_path / "kept")


def test_an_earlier_benchs_project_is_replaced_and_no_other(tmp_path: Path) -> None:
    keep_folder(tmp_path / "kept")
    (tmp_path / "kept" / "n10" / "seeds").mkdir(parents=True)
    assert keep_folder(tmp_path / "kept") == tmp_path / "kept", "an earlier --keep's folder is taken again"
    assert not fresh(tmp_path / "kept" / "n10").exists()
    (tmp_path / "other" / "n10").mkdir(parents=True)
    assert fresh(tmp_path / "other" / "n10").is_dir(), "a project outside a bench's folder is never removed"


def test_the_table_has_a_column_per_n_and_every_time_as_wall_and_cpu() -> None:
    rows = table(report([figures(10, 20.0), figures(100, 120.0)]))
    assert rows["seconds: wall (CPU)"] == ["N = 10", "N = 100"]
    assert rows["full: press build"] == ["10.0 (20.0)", "60.0 (120.0)"]
    assert rows["no-op: press build"] == ["0.5 (0.4)"] * 2
    assert rows["no-op: press site"][0] == "0.6 (0.5)" and rows["no-op: make"][0] == "1.3 (1.1)"
    assert rows["one sentence: press build"][0] == "4.5 (4.0)"
    assert rows["one sentence: press site"][0] == "2.5 (2.0)"
    assert rows["one sentence: edit to live site"] == ["7.0 (6.0)"] * 2, "build and site summed, wall and CPU"
    assert rows["one es definition: press build"][0] == "3.0 (3.5)"
    assert rows["peak RSS, one process, MB"] == ["190", "190"]
    assert rows["peak PSS, process tree, MB"] == ["300", "300"], "the largest of any command's tree"
    assert rows["site MB"] == ["4.4", "4.4"]
    assert rows["full s/article (wall)"] == ["2.00", "1.20"]
    assert rows["ratio to N = 10"] == ["1.00", "0.60"]


def test_a_pss_not_measured_is_a_dash_not_a_zero() -> None:
    plain = Timed(1.0, 1.0)
    row = Figures(5, (plain, plain), (plain,) * 3, (plain, plain), (plain, plain), 1, 1)
    assert table(report([row]))["peak PSS, process tree, MB"] == ["–"]


def test_the_site_only_table_has_a_row_per_n() -> None:
    rows = table(site_report([(10, Timed(5.0, 6.5, 80_000_000), 2_700_000, 16_900), (100, Timed(20.0, 24.0), 1, 1)]))
    assert rows["N"] == ["press site s (CPU)", "s/article", "PSS MB", "site MB", "front page KB"]
    assert rows["10"] == ["5.0 (6.5)", "0.500", "80", "2.7", "16.9"]
    assert rows["100"][:3] == ["20.0 (24.0)", "0.200", "–"]


def test_cpu_seconds_are_user_and_system_time_between_two_readings() -> None:
    def usage(user: float, system: float) -> resource.struct_rusage:
        return resource.struct_rusage((user, system, *[0] * 14))

    assert benchcorpus.cpu_seconds(usage(1.25, 0.5), usage(4.0, 1.0)) == pytest.approx(3.25)


@pytest.mark.skipif(not Path("/proc/self/smaps_rollup").exists(), reason="no /proc/PID/smaps_rollup here")
def test_a_process_trees_pss_counts_its_descendants() -> None:
    shell = subprocess.Popen(["sh", "-c", "sleep 30 & sleep 30 & wait"], start_new_session=True)
    try:
        for _ in range(100):
            pids = benchcorpus.tree(shell.pid)
            if len(pids) == 3:
                break
            subprocess.run(["sleep", "0.05"], check=True)
        assert pids[0] == shell.pid and len(pids) == 3, pids
        assert benchcorpus.tree_pss(shell.pid) > sum(benchcorpus._pss(p) for p in pids[:1])
    finally:
        os.killpg(shell.pid, signal.SIGKILL)  # its own session: the shell and its two sleeps
        shell.wait()


def test_make_in_a_generated_project_builds_that_project_and_installs_nothing(tmp_path: Path) -> None:
    require_command("make", "apt-get install make")
    project = benchcorpus.make_project(tmp_path / "n1", 1)
    benchcorpus.link_checkout(project)
    dry = subprocess.run([*MAKE, "-n"], cwd=project, capture_output=True, text=True, check=True).stdout
    commands = [line for line in dry.splitlines() if "/press " in line]
    assert commands == [".venv/bin/press build", ".venv/bin/press site"]
    assert "pip" not in dry and "venv" not in dry.replace(".venv/bin/press", "")


def test_the_bench_names_the_code_press_runs() -> None:
    """The code the ``press`` command runs is the venv's (an editable install may point at another checkout)."""
    where, code = benchcorpus.press_code()
    assert (Path(where) / "publish" / "store.py").is_file()
    assert re.fullmatch(r"[0-9a-f]{64}", code)


def test_a_change_of_that_code_during_a_run_stops_it_with_a_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """An edit to the checkout while the bench runs is measured as a code change (every page made again): the
    bench says so instead of printing the next size's figures as an edit's."""
    codes = iter([("/x/tools", "a" * 64), ("/x/tools", "b" * 64)])
    monkeypatch.setattr(benchcorpus, "press_code", lambda: next(codes))
    monkeypatch.setattr(benchcorpus, "measure", lambda n, workdir: figures(n, 40.0))
    assert benchcorpus.main(["--sizes", "10,100", "--keep", str(tmp_path / "kept")]) == 1
    out = capsys.readouterr().out
    assert "press runs the toolkit in /x/tools (code aaaaaaaaaaaa)" in out
    assert "warning: the code in /x/tools changed during the run" in out and "N = 100" not in out
