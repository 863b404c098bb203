"""Shared test settings: Hypothesis profiles (HYPOTHESIS_PROFILE=thorough for a long hunt)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile("default", max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("thorough", max_examples=20_000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


def require_command(command: str, install: str) -> None:
    """Skip a test that needs a real program on a laptop without it; under CI=true, fail instead."""
    if shutil.which(command):
        return
    message = f"{command} is not installed (install: {install})"
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(f"{message}; CI must have it: make test installs it as root")
    pytest.skip(message)


@pytest.fixture
def require():
    """``require(command, install)``: skip (or, under CI=true, fail) unless the program is installed."""
    return require_command


ROOT = Path(__file__).resolve().parents[1]


def files_of(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` by its path there, with its bytes: two trees compared byte for byte."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def copy_project(target: Path) -> Path:
    """Copy the project's inputs (seeds, term base, configuration) to ``target``, without memories or output."""
    for folder in ("seeds", "glossary"):
        shutil.copytree(ROOT / folder, target / folder)
    for name in ("mkdocs.yml", "editions.yml"):
        shutil.copy(ROOT / name, target / name)
    return target


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the project's inputs in the test's folder."""
    return copy_project(tmp_path)


def project_with(target: Path, seeds: dict[str, str], editions: str) -> Path:
    """The project's term base and settings in ``target``, with only ``seeds`` (file name → text) and ``editions``."""
    copy_project(target)
    for seed in (target / "seeds").iterdir():
        seed.unlink()
    for name, text in seeds.items():
        (target / "seeds" / name).write_text(text, encoding="utf-8")
    (target / "editions.yml").write_text(editions, encoding="utf-8")
    return target


def built_at(root: Path, epoch: int) -> Path:
    """``root`` after a build with SOURCE_DATE_EPOCH set (books of the same bytes every time)."""
    from tools.build import build

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", str(epoch))
        build(root)
    return root


def copy_of(built: Path, target: Path, monkeypatch: pytest.MonkeyPatch, epoch: int) -> Path:
    """A copy of a built project (outputs, manifests, records) for a test to change, the same epoch set."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(epoch))
    return Path(shutil.copytree(built, target, symlinks=True))
