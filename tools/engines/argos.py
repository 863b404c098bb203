"""Argos Translate models, run through CTranslate2 directly, every sentence of a run at once.

Models are Argos packages, installed and listed with ``argostranslate.package``
(its ``package`` module needs neither stanza nor torch). Translation does not
go through ``argostranslate.translate``: that splits sentences with MiniSBD,
which downloads a model on first use, and calls CTranslate2 about one
sentence at a time. Here every pending sentence of a run goes to CTranslate2
at once, in batches of sentences of one length (on a worker per core), with
Argos's own decoding options (beam 4, length penalty 0.2, unknown tokens
replaced) and its detokenisation, so the text is the same as Argos gives,
sentence for sentence, bit for bit.

A package file is hostile input: :func:`install` checks every member of the
zip (names, kinds, sizes, CRCs) and the metadata, unpacks into a staging
folder inside the packages folder, loads the model there, and only then swaps
it in; an installed package that is broken is listed with the reason and
never crashes a build.

``ARGOS_PACKAGES_DIR`` chooses where packages live, as it does for Argos.
"""

from __future__ import annotations

import ctypes
import errno
import functools
import json
import lzma
import os
import re
import shutil
import stat
import tempfile
import zipfile
import zlib
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from tools.diagnostics import one_line
from tools.engines.base import EngineError, Unavailable
from tools.errors import PressError

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
DEFAULT_DIR = Path.home() / ".local" / "share" / "argos-translate" / "packages"

MAX_UNPACKED = 4 * 1024**3  # bytes a package may unpack to (the largest Argos models are under 1 GiB)
MAX_MEMBERS = 10_000
MAX_METADATA = 1024 * 1024
STAGING_PREFIX = ".installing-"
REQUIRED = ("metadata.json", "model/model.bin", "sentencepiece.model")
LANGUAGE_CODE = re.compile(r"[a-z]{2,3}")
VERSION = re.compile(r"[0-9]{1,4}(\.[0-9]{1,4}){1,2}")
PACKAGE_NAME = re.compile(r"translate-([a-z]{2,3})_([a-z]{2,3})-[0-9_]+")
REBUILD = "use the .argosmodel file from the Argos package index, or rebuild the package"
MEMBER_KINDS = {
    stat.S_IFLNK: "a symbolic link",
    stat.S_IFCHR: "a device file",
    stat.S_IFBLK: "a device file",
    stat.S_IFIFO: "a fifo",
    stat.S_IFSOCK: "a socket",
}
DAMAGED = (zipfile.BadZipFile, zlib.error, lzma.LZMAError, EOFError, NotImplementedError)
DAMAGED_FIX = "download the package again"
FOLDER_FIX = "check the folder's permissions, or set ARGOS_PACKAGES_DIR to a folder you can write"
CHUNK = 1024 * 1024
AT_FDCWD = -100  # renameat2's "relative to the working folder"
RENAME_EXCHANGE = 2


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
        package = _read_package(path)
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


def broken_packages() -> list[BrokenPackage]:
    """The installed package folders that cannot be used, with the reason."""
    return scan_packages()[1]


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
        _open_model(path, workers=1)
    except Exception as exc:  # noqa: BLE001 - native loaders raise many kinds; each becomes one line
        return f"the model does not load: {_one_line(exc)}"
    return None


def install(archive: Path, folder: Path | None = None, expect: tuple[str, str, str] | None = None) -> object:
    """Install an .argosmodel file into ``folder`` (default: :func:`packages_dir`); its ``Package``, unless unsafe.

    ``expect``: the (source, target, version) the package must be (what an index entry promised and the
    user asked for); another one is refused before anything is unpacked.

    Every member is checked before anything is written; the package is unpacked into a staging
    folder inside the packages folder, its metadata read and its model loaded there, and only then
    swapped in under a name made from its metadata. On any failure nothing outside the staging
    folder changes, and the staging folder is removed. (``argostranslate.package.install_from_path``
    extracts in place, trusts member names and imports stanza.)
    """
    archive = Path(archive)
    with _open_archive(archive) as zipped:
        top, members = _check_members(archive, zipped)
        metadata = _check_metadata(archive, zipped, top)
        if expect is not None:
            _check_expected(archive, metadata, expect)
        folder = Path(folder) if folder else packages_dir()
        try:
            folder.mkdir(parents=True, exist_ok=True)
            _check_space(archive, members, folder)
            staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=folder))
        except OSError as exc:
            raise PressError(folder, None, f"cannot write the packages folder: {exc.strerror}", FOLDER_FIX) from None
        try:
            unpacked = staging / "package"
            _extract(archive, zipped, members, unpacked)
            _prove(archive, unpacked, top)
            target = folder / package_name(metadata)
            _swap_in(unpacked, target)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    package = _read_package(target)
    if isinstance(package, BrokenPackage):
        raise PressError(target, None, f"changed while it was installed: {package.reason}", package.fix)
    return package


def _check_expected(archive: Path, metadata: dict, expect: tuple[str, str, str]) -> None:
    """A PressError unless the package's metadata is for the pair and version expected."""
    found = (metadata["from_code"], metadata["to_code"], metadata["package_version"])
    if found != expect:
        raise PressError(
            archive,
            None,
            f"the package is {found[0]}→{found[1]} {found[2]}, not the {expect[0]}→{expect[1]} {expect[2]} its index "
            "entry promised; nothing was installed or removed (it was deleted)",
            "tell the index's keeper that the entry links the wrong package; the installed model is kept",
        )


def _open_archive(archive: Path) -> zipfile.ZipFile:
    if not archive.is_file():
        raise PressError(archive, None, "no such file", "check the path")
    try:
        return zipfile.ZipFile(archive)
    except zipfile.BadZipFile:
        raise PressError(archive, None, "not an Argos package (not a zip file)", REBUILD) from None
    except OSError as exc:
        raise PressError(archive, None, f"cannot read: {exc.strerror}", "check the path and its permissions") from None
    except (ValueError, EOFError, OverflowError) as exc:
        raise PressError(
            archive, None, f"not an Argos package (a damaged zip file: {_one_line(exc)})", REBUILD
        ) from None


def _check_members(archive: Path, zipped: zipfile.ZipFile) -> tuple[str, list[zipfile.ZipInfo]]:
    """The one top folder and the members; a PressError for any unsafe or missing member."""
    members = zipped.infolist()
    if not members or len(members) > MAX_MEMBERS:
        raise PressError(archive, None, f"not an Argos package ({len(members)} members)", REBUILD)
    names: dict[str, zipfile.ZipInfo] = {}
    for info in members:
        if problem := _member_problem(info):
            raise PressError(archive, None, f"unsafe member {info.filename!r}: {problem}", REBUILD)
        name = info.filename.rstrip("/")
        if name in names:
            raise PressError(archive, None, f"unsafe member {name!r}: it is in the zip twice", REBUILD)
        names[name] = info
    tops = sorted({name.split("/")[0] for name in names})
    if len(tops) != 1:
        listed = ", ".join(repr(top) for top in tops[:3])
        raise PressError(archive, None, f"not an Argos package (more than one top folder: {listed})", REBUILD)
    for name in names:
        if problem := _nesting_problem(name, names):
            raise PressError(archive, None, f"unsafe member {name!r}: {problem}", REBUILD)
    total = sum(info.file_size for info in members)
    if total > MAX_UNPACKED:
        message = f"unpacks to {_mib(total)}, more than the {_mib(MAX_UNPACKED)} a package may have (a zip bomb?)"
        raise PressError(archive, None, message, REBUILD)
    for needed in REQUIRED:
        if f"{tops[0]}/{needed}" not in names or names[f"{tops[0]}/{needed}"].is_dir():
            raise PressError(archive, None, f"not an Argos package (no {tops[0]}/{needed})", REBUILD)
    return tops[0], members


def _member_problem(info: zipfile.ZipInfo) -> str | None:
    """What makes one member unsafe to unpack, judged by its name, kind and flags alone."""
    name = info.filename
    if any(ord(char) < 32 or ord(char) == 127 for char in name):
        return "a control character in its name"
    if "\\" in name:
        return "a backslash in its name (a Windows path)"
    if name.startswith("/"):
        return "an absolute path"
    if re.match(r"[A-Za-z]:", name):
        return "a drive letter"
    for part in name.removesuffix("/").split("/"):
        if part in ("", ".", ".."):
            return f"{part!r} in its path" if part else "an empty folder name in its path"
    mode = info.external_attr >> 16
    kind = stat.S_IFMT(mode)
    if kind not in (0, stat.S_IFREG, stat.S_IFDIR):
        return MEMBER_KINDS.get(kind, f"not a regular file (mode {oct(mode)})")
    if info.flag_bits & 0x1:
        return "encrypted"
    if kind == stat.S_IFDIR and not info.is_dir():
        return "a folder whose name does not end in /"
    if info.is_dir() and info.file_size:
        return "a folder entry with data"
    return None


def _nesting_problem(name: str, names: dict[str, zipfile.ZipInfo]) -> str | None:
    """A member that is the top folder as a file, or lies inside another member that is a file."""
    parts = name.split("/")
    if len(parts) == 1 and not names[name].is_dir():
        return "a file where the package folder should be"
    for depth in range(1, len(parts)):
        parent = "/".join(parts[:depth])
        if parent in names and not names[parent].is_dir():
            return f"inside {parent!r}, which is a file"
    return None


def _check_metadata(archive: Path, zipped: zipfile.ZipFile, top: str) -> dict:
    """The package's metadata.json, validated; a PressError naming the field and the fix."""
    info = zipped.getinfo(f"{top}/metadata.json")
    metadata, problem = _parse_metadata(_read_member(archive, zipped, info) if info.file_size <= MAX_METADATA else None)
    if problem:
        field, message = problem
        where = f"{top}/metadata.json" if field == "metadata.json" else f"{field} in {top}/metadata.json"
        raise PressError(
            archive,
            None,
            message,
            f"correct {where} and zip the package again, or download it from the Argos package index",
        )
    return metadata


def _read_member(archive: Path, zipped: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    try:
        with zipped.open(info) as source:
            return b"".join(_chunks(source))
    except DAMAGED as exc:
        raise PressError(archive, None, f"member {info.filename!r} is damaged: {_one_line(exc)}", DAMAGED_FIX) from None


def _parse_metadata(raw: bytes | None) -> tuple[object, tuple[str, str] | None]:
    """The metadata, and ``(field, what is wrong)`` unless it is valid; ``None`` raw means too large."""
    if raw is None:
        return None, ("metadata.json", f"metadata.json is larger than {_mib(MAX_METADATA)}")
    try:
        metadata = json.loads(raw.decode("utf-8"), object_pairs_hook=_unique_keys)
    except UnicodeDecodeError:
        return None, ("metadata.json", "metadata.json is not UTF-8")
    except json.JSONDecodeError as exc:
        return None, ("metadata.json", f"metadata.json is not valid JSON (line {exc.lineno}: {exc.msg})")
    except _DuplicateKeyError as exc:
        key = json.dumps(str(exc), ensure_ascii=True)[:40]
        return None, (key, f"metadata.json has {key} twice")
    except RecursionError:
        return None, ("metadata.json", "metadata.json is nested too deeply")
    problem = metadata_problem(metadata)
    return metadata, ((problem[0], f"metadata.json: {problem[1]}") if problem else None)


class _DuplicateKeyError(ValueError):
    """A JSON object with one key twice (json keeps the last silently)."""


def _unique_keys(pairs: list[tuple[str, object]]) -> dict:
    result: dict = {}
    for key, value in pairs:
        if key in result:
            raise _DuplicateKeyError(key)
        result[key] = value
    return result


def _check_space(archive: Path, members: list[zipfile.ZipInfo], folder: Path) -> None:
    needed = sum(info.file_size for info in members)
    free = shutil.disk_usage(folder).free
    if needed > free:
        message = f"unpacks to {_mib(needed)}, but only {_mib(free)} is free in {folder}"
        raise PressError(archive, None, message, "free some disk space")


def _extract(archive: Path, zipped: zipfile.ZipFile, members: list[zipfile.ZipInfo], target: Path) -> None:
    """Unpack the (checked) members under ``target``, reading each fully so its CRC is checked."""
    target.mkdir()
    for info in members:
        path = target.joinpath(*info.filename.rstrip("/").split("/")[1:])
        try:
            if info.is_dir():
                path.mkdir(parents=True, exist_ok=True)
            else:
                path.parent.mkdir(parents=True, exist_ok=True)
                _unpack(zipped, info, path)
        except DAMAGED as exc:
            raise PressError(
                archive, None, f"member {info.filename!r} is damaged: {_one_line(exc)}", DAMAGED_FIX
            ) from None
        except OSError as exc:
            message = f"cannot unpack member {info.filename!r} into {target.parent.parent}: {exc.strerror}"
            raise PressError(archive, None, message, "free some disk space, or " + FOLDER_FIX) from None
    for folder, _, _ in os.walk(target):
        _fsync_dir(Path(folder))


def _unpack(zipped: zipfile.ZipFile, info: zipfile.ZipInfo, path: Path) -> None:
    """One member to a new file, never more bytes than its header declares, flushed to disk."""
    written = 0
    with zipped.open(info) as source, open(path, "xb") as sink:
        for chunk in _chunks(source):
            written += len(chunk)
            if written > info.file_size:
                raise zipfile.BadZipFile("more data than its header declares")
            sink.write(chunk)
        sink.flush()
        os.fsync(sink.fileno())


def _chunks(source: zipfile.ZipExtFile):
    """A member's data, chunk by chunk, its CRC checked at the end; bz2's bare OSError on bad data as BadZipFile."""
    while True:
        try:
            chunk = source.read(CHUNK)
        except OSError as exc:
            raise zipfile.BadZipFile(_one_line(exc)) from None
        if not chunk:
            return
        yield chunk


def _prove(archive: Path, unpacked: Path, top: str) -> None:
    """A PressError unless the package unpacked from folder ``top`` reads with argostranslate and its models load."""
    package = _read_package(unpacked)
    problem = package.reason if isinstance(package, BrokenPackage) else model_problem(unpacked)
    if problem:
        raise PressError(archive, None, problem.replace(str(unpacked), top), REBUILD)


def _swap_in(new: Path, target: Path) -> None:
    """Put ``new`` at ``target`` in one step; an old package there ends up in ``new``'s place (the staging folder)."""
    try:
        if not os.path.lexists(target):
            os.rename(new, target)
        elif not _exchange(new, target):
            aside = new.with_name("old")
            os.rename(target, aside)
            try:
                os.rename(new, target)
            except OSError:
                os.rename(aside, target)
                raise
        _fsync_dir(target.parent)
    except OSError as exc:
        raise PressError(target, None, f"cannot install the package here: {exc.strerror}", FOLDER_FIX) from None


def _exchange(first: Path, second: Path) -> bool:
    """Swap two paths atomically (Linux ``renameat2`` with ``RENAME_EXCHANGE``); False where there is no such call."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError, TypeError):
        return False
    renameat2.argtypes = (ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint)
    if renameat2(AT_FDCWD, os.fsencode(first), AT_FDCWD, os.fsencode(second), RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(second))


def _fsync_dir(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _read_package(path: Path) -> object:
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
            problem = f"argostranslate cannot read its metadata.json: {_one_line(exc)}"
    return BrokenPackage(path, problem, pair)


def _read_metadata_file(path: Path) -> tuple[object, str | None]:
    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_METADATA + 1)
    except FileNotFoundError:
        return None, "not an Argos package (no metadata.json)"
    except OSError as exc:
        return None, f"cannot read metadata.json: {exc.strerror}"
    metadata, problem = _parse_metadata(raw if len(raw) <= MAX_METADATA else None)
    return metadata, problem[1] if problem else None


def _pair_of(metadata: object, name: str) -> tuple[str, str] | None:
    """The language pair a (maybe broken) package is for, from its metadata or else its folder name; None if unknown."""
    if isinstance(metadata, dict):
        codes = metadata.get("from_code"), metadata.get("to_code")
        if all(isinstance(code, str) and LANGUAGE_CODE.fullmatch(code) for code in codes):
            return codes
    named = PACKAGE_NAME.fullmatch(name)
    return (named[1], named[2]) if named else None


def _one_line(exc: BaseException) -> str:
    """An exception's message on one line, at most 300 characters."""
    return one_line(exc, 300) or type(exc).__name__


def _mib(size: int) -> str:
    return f"{size / 1024**2:.1f} MiB"


def _json_type(value: object) -> str:
    names = {dict: "an object", list: "a list", str: "a string", bool: "true or false", type(None): "null"}
    return names.get(type(value), "a number")


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
                    BrokenPackage(package.package_path, f"the model does not load: {_one_line(exc)}", (source, target))
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
    return _open_model(Path(package_path), *threads(os.cpu_count() or 1))


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


def _open_model(path: Path, workers: int, intra: int = 1) -> tuple:
    """Load the CTranslate2 translator (``workers`` of ``intra`` threads) and the SentencePiece model of a package."""
    import ctranslate2
    import sentencepiece

    translator = ctranslate2.Translator(str(path / "model"), device="cpu", inter_threads=workers, intra_threads=intra)
    tokenizer = sentencepiece.SentencePieceProcessor(model_file=str(path / "sentencepiece.model"))
    return translator, tokenizer


def _detokenize(tokenizer, tokens: list[str], prefix: str) -> str:
    """Argos's detokenisation: pieces → text, ▁ and _ as spaces, the target prefix and one leading space dropped."""
    value = tokenizer.decode_pieces(tokens).replace("▁", " ").replace("_", " ")
    if prefix and value.startswith(prefix):
        value = value[len(prefix) :]
    return value.removeprefix(" ")
