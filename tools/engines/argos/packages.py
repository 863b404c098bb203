"""The installed Argos packages: where they live, which are usable, which are broken and why.

An installed package that is broken is listed with the reason and never crashes a build.
``ARGOS_PACKAGES_DIR`` chooses where packages live, as it does for Argos."""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

from tools import diagnostics

DEFAULT_DIR = Path.home() / ".local" / "share" / "argos-translate" / "packages"
MAX_METADATA = 1024 * 1024
REQUIRED = ("metadata.json", "model/model.bin", "sentencepiece.model")
LANGUAGE_CODE = re.compile(r"[a-z]{2,3}")
VERSION = re.compile(r"[0-9]{1,4}(\.[0-9]{1,4}){1,2}")
PACKAGE_NAME = re.compile(r"translate-([a-z]{2,3})_([a-z]{2,3})-[0-9_]+")
FOLDER_FIX = "check the folder's permissions, or set ARGOS_PACKAGES_DIR to a folder you can write"


def packages_dir() -> Path:
    """Where Argos packages are installed."""
    return Path(os.environ.get("ARGOS_PACKAGES_DIR") or DEFAULT_DIR)


@dataclass(frozen=True)
class BrokenPackage:
    """An installed package folder that cannot be used, why, and the pair it seems to be for (None: unknown)."""

    path: Path
    reason: str
    pair: tuple[str, str] | None = None

    @property
    def fix(self) -> str:
        """The command that repairs it."""
        name = f"translate-{self.pair[0]}_{self.pair[1]}-<version>" if self.pair else "<package>"
        return f"press models install {name}.argosmodel again, or remove the folder {self.path}"


def scan_packages(load: bool = False) -> tuple[list, list[BrokenPackage]]:
    """The usable installed packages (``argostranslate.package.Package``) and the broken ones.

    With ``load``, each usable package's model is also loaded (as ``press models list`` does); a
    package whose model does not load is then broken too.
    """
    folder = packages_dir()
    if not folder.is_dir():
        return [], []
    try:
        paths = sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith("."))
    except OSError as exc:
        return [], [BrokenPackage(folder, f"cannot read the packages folder: {exc.strerror}")]
    good, broken = [], []
    for path in paths:
        package = read_package(path)
        if isinstance(package, BrokenPackage):
            broken.append(package)
        elif load and (problem := model_problem(path)):
            broken.append(BrokenPackage(path, problem, (package.from_code, package.to_code)))
        else:
            good.append(package)
    return good, broken


def installed_packages() -> list:
    """The usable installed Argos packages (``argostranslate.package.Package``); broken ones are skipped."""
    return scan_packages()[0]


def metadata_problem(metadata: object) -> tuple[str, str] | None:
    """``(field, what is wrong)`` for metadata that is not a valid Argos translation package's; None if valid."""
    if not isinstance(metadata, dict):
        return "metadata.json", f"must be a JSON object, not {_json_type(metadata)}"
    rules = (
        ("from_code", LANGUAGE_CODE, 'a language code of 2 or 3 lowercase letters, like "en"'),
        ("to_code", LANGUAGE_CODE, 'a language code of 2 or 3 lowercase letters, like "uk"'),
        ("package_version", VERSION, 'a version string like "1.9" or "1.0.1"'),
        ("argos_version", VERSION, 'a version string like "1.9" or "1.0.1"'),
    )
    for field, pattern, wanted in rules:
        value = metadata.get(field)
        if not isinstance(value, str) or not pattern.fullmatch(value):
            found = "missing" if field not in metadata else f"{json.dumps(value, ensure_ascii=True)[:40]}"
            return field, f"{field} must be {wanted}, not {found}"
    if not isinstance(metadata.get("target_prefix", ""), str):
        return "target_prefix", f"target_prefix must be a string, not {_json_type(metadata['target_prefix'])}"
    return None


def package_name(metadata: dict) -> str:
    """The folder a package with this (valid) metadata is installed as: ``translate-en_uk-1_9``."""
    version = metadata["package_version"].replace(".", "_")
    return f"translate-{metadata['from_code']}_{metadata['to_code']}-{version}"


def model_problem(path: Path) -> str | None:
    """Why the package's CTranslate2 model or SentencePiece model does not load, or None if both do."""
    try:
        open_model(path, workers=1)
    except Exception as exc:  # noqa: BLE001 - native loaders raise many kinds; each becomes one line
        return f"the model does not load: {exception_text(exc)}"
    return None


def parse_metadata(raw: bytes | None) -> tuple[object, tuple[str, str] | None]:
    """The metadata, and ``(field, what is wrong)`` unless it is valid; ``None`` raw means too large."""
    if raw is None:
        return None, ("metadata.json", f"metadata.json is larger than {mib(MAX_METADATA)}")
    try:
        metadata = json.loads(raw.decode("utf-8"), object_pairs_hook=unique_keys)
    except UnicodeDecodeError:
        return None, ("metadata.json", "metadata.json is not UTF-8")
    except json.JSONDecodeError as exc:
        return None, ("metadata.json", f"metadata.json is not valid JSON (line {exc.lineno}: {exc.msg})")
    except DuplicateKeyError as exc:
        key = json.dumps(str(exc), ensure_ascii=True)[:40]
        return None, (key, f"metadata.json has {key} twice")
    except RecursionError:
        return None, ("metadata.json", "metadata.json is nested too deeply")
    problem = metadata_problem(metadata)
    return metadata, ((problem[0], f"metadata.json: {problem[1]}") if problem else None)


class DuplicateKeyError(ValueError):
    """A JSON object with one key twice (json keeps the last silently)."""


def unique_keys(pairs: list[tuple[str, object]]) -> dict:
    """A JSON object's pairs as a dict (``json.loads``' ``object_pairs_hook``); a key twice is refused."""
    result: dict = {}
    for key, value in pairs:
        if key in result:
            raise DuplicateKeyError(key)
        result[key] = value
    return result


def read_package(path: Path) -> object:
    """The installed package at ``path`` (``argostranslate.package.Package``), or a :class:`BrokenPackage`."""
    metadata, problem = _read_metadata_file(path / "metadata.json")
    pair = _pair_of(metadata, path.name)
    if problem is None:
        missing = next((name for name in REQUIRED[1:] if not (path / name).is_file()), None)
        problem = f"not an Argos package (no {missing})" if missing else None
    if problem is None:
        try:
            from argostranslate.package import Package

            return Package(path)
        except Exception as exc:  # noqa: BLE001 - argostranslate raises anything on metadata it dislikes
            problem = f"argostranslate cannot read its metadata.json: {exception_text(exc)}"
    return BrokenPackage(path, problem, pair)


def _read_metadata_file(path: Path) -> tuple[object, str | None]:
    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_METADATA + 1)
    except FileNotFoundError:
        return None, "not an Argos package (no metadata.json)"
    except OSError as exc:
        return None, f"cannot read metadata.json: {exc.strerror}"
    metadata, problem = parse_metadata(raw if len(raw) <= MAX_METADATA else None)
    return metadata, problem[1] if problem else None


def _pair_of(metadata: object, name: str) -> tuple[str, str] | None:
    """The language pair a (maybe broken) package is for, from its metadata or else its folder name; None if unknown."""
    if isinstance(metadata, dict):
        codes = metadata.get("from_code"), metadata.get("to_code")
        if all(isinstance(code, str) and LANGUAGE_CODE.fullmatch(code) for code in codes):
            return codes
    named = PACKAGE_NAME.fullmatch(name)
    return (named[1], named[2]) if named else None


def exception_text(exc: BaseException) -> str:
    """An exception's message on one line, at most 300 characters."""
    return diagnostics.one_line(exc, 300) or type(exc).__name__


def mib(size: int) -> str:
    """A size in bytes, as MiB with one decimal."""
    return f"{size / 1024**2:.1f} MiB"


def _json_type(value: object) -> str:
    names = {dict: "an object", list: "a list", str: "a string", bool: "true or false", type(None): "null"}
    return names.get(type(value), "a number")


def open_model(path: Path, workers: int, intra: int = 1) -> tuple:
    """Load the CTranslate2 translator (``workers`` of ``intra`` threads) and the SentencePiece model of a package."""
    import ctranslate2
    import sentencepiece

    translator = ctranslate2.Translator(str(path / "model"), device="cpu", inter_threads=workers, intra_threads=intra)
    tokenizer = sentencepiece.SentencePieceProcessor(model_file=str(path / "sentencepiece.model"))
    return translator, tokenizer
