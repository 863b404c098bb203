"""Installing an Argos package file safely: every member checked, unpacked aside, proven, then swapped in.

A package file is hostile input: :func:`install` checks every member of the zip (names, kinds, sizes,
CRCs) and the metadata, unpacks into a staging folder inside the packages folder, loads the model
there, and only then swaps it in."""

from __future__ import annotations

import ctypes
import errno
import lzma
import os
import re
import shutil
import stat
import tempfile
import zipfile
import zlib
from pathlib import Path

from tools.engines.argos.packages import (
    FOLDER_FIX,
    MAX_METADATA,
    REQUIRED,
    BrokenPackage,
    exception_text,
    mib,
    model_problem,
    package_name,
    packages_dir,
    parse_metadata,
    read_package,
)
from tools.errors import PressError

MAX_UNPACKED = 4 * 1024**3  # bytes a package may unpack to (the largest Argos models are under 1 GiB)
MAX_MEMBERS = 10_000
STAGING_PREFIX = ".installing-"
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
CHUNK = 1024 * 1024
AT_FDCWD = -100  # renameat2's "relative to the working folder"
RENAME_EXCHANGE = 2


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
    package = read_package(target)
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
            archive, None, f"not an Argos package (a damaged zip file: {exception_text(exc)})", REBUILD
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
        message = f"unpacks to {mib(total)}, more than the {mib(MAX_UNPACKED)} a package may have (a zip bomb?)"
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
    metadata, problem = parse_metadata(_read_member(archive, zipped, info) if info.file_size <= MAX_METADATA else None)
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
        raise PressError(
            archive, None, f"member {info.filename!r} is damaged: {exception_text(exc)}", DAMAGED_FIX
        ) from None


def _check_space(archive: Path, members: list[zipfile.ZipInfo], folder: Path) -> None:
    needed = sum(info.file_size for info in members)
    free = shutil.disk_usage(folder).free
    if needed > free:
        message = f"unpacks to {mib(needed)}, but only {mib(free)} is free in {folder}"
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
                archive, None, f"member {info.filename!r} is damaged: {exception_text(exc)}", DAMAGED_FIX
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
            raise zipfile.BadZipFile(exception_text(exc)) from None
        if not chunk:
            return
        yield chunk


def _prove(archive: Path, unpacked: Path, top: str) -> None:
    """A PressError unless the package unpacked from folder ``top`` reads with argostranslate and its models load."""
    package = read_package(unpacked)
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
