"""`press models install` on hostile packages: refused in one line, nothing outside the staging folder touched.

Each hostile case is built from a real package (tools/modelkit.py) and installed over an already
installed good package, with a sibling folder beside the packages folder; both must survive byte for
byte, and no staging folder may be left behind.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import stat
import warnings
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

import tools.engines.argos.install
from tools.cli import main
from tools.engines.argos.engine import ArgosEngine
from tools.engines.argos.install import install
from tools.engines.argos.packages import installed_packages, scan_packages
from tools.errors import PressError
from tools.ingest import read_seed
from tools.modelkit import build_argosmodel
from tools.translate import choose_engine

ROOT = Path(__file__).resolve().parents[2]
SEED = read_seed(ROOT / "seeds" / "000_665afb2dddca8924.txt")
TEXT = "\n".join([SEED.title] + [p.text for p in SEED.paragraphs])
SENTENCE = SEED.paragraphs[5].text
TOP = "translate-en_uk-1_0"
CAP = 64 * 1024**2  # MAX_UNPACKED in these tests, so that a zip bomb stays small

Entry = tuple[object, bytes]  # a name or a ZipInfo, and the data
Members = dict[str, bytes]


@pytest.fixture(scope="module")
def good_archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real .argosmodel (en→uk) whose weights copy the input."""
    return build_argosmodel(tmp_path_factory.mktemp("models") / f"{TOP}.argosmodel", TEXT, "en", "uk")


@pytest.fixture(scope="module")
def members(good_archive: Path) -> Members:
    """The good package's members, name → content, in archive order."""
    with zipfile.ZipFile(good_archive) as zipped:
        return {info.filename: zipped.read(info) for info in zipped.infolist()}


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory, good_archive: Path) -> Path:
    """A folder holding packages/ (the good package installed) and sibling/ (a file that must survive)."""
    root = tmp_path_factory.mktemp("template")
    (root / "sibling").mkdir()
    (root / "sibling" / "keep.txt").write_text("must survive\n")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ARGOS_PACKAGES_DIR", str(root / "packages"))
        install(good_archive)
    return root


@pytest.fixture
def root(tmp_path: Path, template: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh copy of the template, its packages/ as ARGOS_PACKAGES_DIR."""
    root = shutil.copytree(template, tmp_path / "root")
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(root / "packages"))
    return root


def snapshot(folder: Path) -> dict[str, object]:
    """Every file, folder and link under ``folder`` (hidden ones too): path → bytes, "folder" or link target."""
    found: dict[str, object] = {}
    for path in sorted(folder.rglob("*")):
        key = path.relative_to(folder).as_posix()
        found[key] = os.readlink(path) if path.is_symlink() else "folder" if path.is_dir() else path.read_bytes()
    return found


def zip_bytes(entries: list[Entry], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    """A zip of ``entries`` exactly as given: names unchecked, duplicates kept."""
    buffer = io.BytesIO()
    with warnings.catch_warnings(), zipfile.ZipFile(buffer, "w", compression) as zipped:
        warnings.simplefilter("ignore")  # "Duplicate name" is the point of one case
        for name, data in entries:
            zipped.writestr(name, data)
    return buffer.getvalue()


def entries(changes: dict[str, bytes | None] | None = None, extra: list[Entry] = (), top: str = TOP):
    """A builder: the good members under ``top``, with members changed (None: dropped) and ``extra`` added."""

    def build(good: Members) -> bytes:
        changed = {**good, **{f"{TOP}/{name}": data for name, data in (changes or {}).items()}}
        kept = [(name.replace(TOP, top, 1), data) for name, data in changed.items() if data is not None]
        return zip_bytes(kept + list(extra))

    return build


def metadata(**fields: object) -> Callable[[Members], bytes]:
    """A builder: the good package with metadata.json fields changed (None: removed)."""

    def build(good: Members) -> bytes:
        data = json.loads(good[f"{TOP}/metadata.json"])
        data.update(fields)
        data = {key: value for key, value in data.items() if value is not None}
        return entries({"metadata.json": json.dumps(data).encode()})(good)

    return build


def special(name: str, kind: int, data: bytes = b"") -> Entry:
    """A member whose Unix mode (external_attr) says it is a link, device or fifo."""
    info = zipfile.ZipInfo(name)
    info.external_attr = (kind | 0o644) << 16
    return info, data


def encrypted(name: str) -> Callable[[Members], bytes]:
    """A builder: the good package plus a member whose headers set the "encrypted" flag (zipfile clears it on write)."""

    def build(good: Members) -> bytes:
        raw = bytearray(zip_bytes([*good.items(), (name, b"x")]))
        encoded = name.encode()
        local = zipfile.ZipFile(io.BytesIO(raw)).getinfo(name).header_offset
        central = raw.index(b"PK\x01\x02", raw.index(encoded, local + 30 + len(encoded)) - 46)
        raw[local + 6] |= 0x1
        raw[central + 8] |= 0x1
        return bytes(raw)

    return build


def flipped(compression: int, at: float = 0.5) -> Callable[[Members], bytes]:
    """A builder: the good package with one byte of model.bin's stored or compressed data flipped (``at``: where)."""

    def build(good: Members) -> bytes:
        raw = bytearray(zip_bytes(list(good.items()), compression))
        info = zipfile.ZipFile(io.BytesIO(raw)).getinfo(f"{TOP}/model/model.bin")
        header = info.header_offset
        start = header + 30 + int.from_bytes(raw[header + 26 : header + 28], "little")
        start += int.from_bytes(raw[header + 28 : header + 30], "little")
        raw[start + int(info.compress_size * at)] ^= 0xFF
        return bytes(raw)

    return build


GOOD_METADATA = b'{"from_code": "en", "to_code": "uk", "package_version": "1.0", "argos_version": "1.0"'
HOSTILE: list[tuple[str, Callable[[Members], bytes], str]] = [
    ("top ..", entries(top=".."), "unsafe member '../metadata.json': '..' in its path"),
    ("top .", entries(top="."), "unsafe member './metadata.json': '.' in its path"),
    ("top /", entries(top=""), "unsafe member '/metadata.json': an absolute path"),
    ("absolute member", entries(extra=[("/tmp/evil", b"x")]), "'/tmp/evil': an absolute path"),
    ("dot-dot inside", entries(extra=[(f"{TOP}/../../x", b"x")]), f"'{TOP}/../../x': '..' in its path"),
    ("backslash", entries(extra=[(f"{TOP}\\..\\x", b"x")]), "a backslash in its name"),
    ("drive letter", entries(extra=[("C:/x", b"x")]), "'C:/x': a drive letter"),
    ("control character", entries(extra=[(f"{TOP}/a\nb", b"x")]), "a control character in its name"),
    ("empty folder name", entries(extra=[(f"{TOP}//x", b"x")]), "an empty folder name in its path"),
    ("symlink", entries(extra=[special(f"{TOP}/link", stat.S_IFLNK, b"/etc")]), f"'{TOP}/link': a symbolic link"),
    ("fifo", entries(extra=[special(f"{TOP}/pipe", stat.S_IFIFO)]), f"'{TOP}/pipe': a fifo"),
    ("char device", entries(extra=[special(f"{TOP}/tty", stat.S_IFCHR)]), f"'{TOP}/tty': a device file"),
    ("block device", entries(extra=[special(f"{TOP}/sda", stat.S_IFBLK)]), f"'{TOP}/sda': a device file"),
    ("encrypted", encrypted(f"{TOP}/secret"), f"'{TOP}/secret': encrypted"),
    ("duplicate", entries(extra=[(f"{TOP}/metadata.json", b"{}")]), "it is in the zip twice"),
    ("inside a file", entries(extra=[(f"{TOP}/metadata.json/x", b"")]), "which is a file"),
    ("two top folders", entries(extra=[("other/x", b"x")]), f"more than one top folder: 'other', '{TOP}'"),
    ("top is a file", lambda good: zip_bytes([(TOP, b"x")]), "a file where the package folder should be"),
    ("empty zip", lambda good: zip_bytes([]), "not an Argos package (0 members)"),
    ("zip bomb", entries(extra=[(f"{TOP}/zeros", bytes(CAP))]), "a zip bomb?"),
    ("bad CRC", flipped(zipfile.ZIP_STORED), f"member '{TOP}/model/model.bin' is damaged: Bad CRC-32"),
    ("deflate CRC", flipped(zipfile.ZIP_DEFLATED), f"member '{TOP}/model/model.bin' is damaged: Bad CRC-32"),
    ("deflate stream", flipped(zipfile.ZIP_DEFLATED, 0), "model.bin' is damaged: Error -3 while decompressing"),
    ("damaged bzip2", flipped(zipfile.ZIP_BZIP2), f"member '{TOP}/model/model.bin' is damaged"),
    ("damaged lzma", flipped(zipfile.ZIP_LZMA), f"member '{TOP}/model/model.bin' is damaged"),
    ("not a zip", lambda good: b"hello, world\n", "not an Argos package (not a zip file)"),
    ("truncated", lambda good: zip_bytes(list(good.items()))[:500], "not a zip file"),
    ("no model.bin", entries({"model/model.bin": None}), f"no {TOP}/model/model.bin"),
    ("no sentencepiece", entries({"sentencepiece.model": None}), f"no {TOP}/sentencepiece.model"),
    ("invalid JSON", entries({"metadata.json": GOOD_METADATA}), "metadata.json is not valid JSON (line 1"),
    ("not UTF-8", entries({"metadata.json": b'{"from_name": "\xff"}'}), "metadata.json is not UTF-8"),
    ("JSON list", entries({"metadata.json": b"[]"}), "metadata.json: must be a JSON object, not a list"),
    ("duplicate key", entries({"metadata.json": GOOD_METADATA + b', "to_code": "ru"}'}), 'has "to_code" twice'),
    ("from_code number", metadata(from_code=5), "from_code must be a language code of 2 or 3 lowercase letters"),
    ("to_code capitals", metadata(to_code="UK"), 'to_code must be a language code of 2 or 3 lowercase letters, like "uk", not "UK"'),
    ("to_code newline", metadata(to_code="uk\n"), "to_code must be a language code"),
    ("to_code path", metadata(to_code="../x"), "to_code must be a language code"),
    ("version number", metadata(package_version=1.0), 'package_version must be a version string like "1.9" or "1.0.1", not 1.0'),
    ("version path", metadata(package_version="1/../.."), "package_version must be a version string"),
    ("argos_version missing", metadata(argos_version=None), "argos_version must be a version string like \"1.9\" or \"1.0.1\", not missing"),
    ("target_prefix number", metadata(target_prefix=3), "target_prefix must be a string, not a number"),
    ("languages not a list", metadata(languages=5), "argostranslate cannot read its metadata.json: 'int' object is not iterable"),
    ("garbage model.bin", entries({"model/model.bin": b"\x06\x00\x00\x00" + bytes(range(256)) * 8}), "the model does not load"),
    ("garbage sentencepiece", entries({"sentencepiece.model": b"not a model"}), "the model does not load: INTERNAL"),
]  # fmt: skip


@pytest.mark.parametrize(("build", "fragment"), [pytest.param(b, f, id=name) for name, b, f in HOSTILE])
def test_hostile_package_is_refused(
    root: Path, members: Members, build: Callable, fragment: str, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    monkeypatch.setattr(tools.engines.argos.install, "MAX_UNPACKED", CAP)
    archive = root.parent / "hostile.argosmodel"
    archive.write_bytes(build(members))
    before = snapshot(root)
    with pytest.raises(PressError) as refused:
        install(archive)
    line = str(refused.value)
    assert fragment in line and line.startswith(f"{archive}: ") and "\n" not in line and "; fix: " in line
    assert snapshot(root) == before, "the packages folder, the installed package and the sibling are as they were"

    assert main(["models", "install", str(archive)]) == 1
    out, err = capsys.readouterr()
    assert (out, err) == ("", f"error: {line}\n"), "one line, no traceback"
    assert snapshot(root) == before


def test_valid_package_installs_and_translates(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, good_archive: Path, capsys
) -> None:
    packages = tmp_path / "fresh" / "packages"
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(packages))
    assert main(["models", "install", str(good_archive)]) == 0
    assert capsys.readouterr().out == f"installed en→uk {TOP} 1.0\n"
    assert [p.name for p in packages.iterdir()] == [TOP], "no staging folder left"
    engine = ArgosEngine()
    assert engine.unavailable("en", "uk") is None
    assert engine.translate([SENTENCE], "en", "uk") == [SENTENCE], "the copying model copies"
    assert main(["models", "list"]) == 0
    assert capsys.readouterr().out == f"{packages}: 1 model(s)\n  en→uk  {TOP}  1.0\n"


@pytest.mark.parametrize("exchange", [True, False], ids=["renameat2 exchange", "two renames"])
def test_reinstall_replaces_the_package(
    root: Path, members: Members, exchange: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not exchange:
        monkeypatch.setattr(tools.engines.argos.install, "_exchange", lambda first, second: False)
    old = root / "packages" / TOP
    old_inode = old.stat().st_ino
    assert ArgosEngine().translate([SENTENCE], "en", "uk") == [SENTENCE], "the old package is loaded and cached"
    description = "the same package, zipped again under another top folder"
    archive = root.parent / "again.argosmodel"
    archive.write_bytes(entries({"metadata.json": _with(members, description=description)}, top="en_uk")(members))
    package = install(archive)
    assert package.package_path == old and old.stat().st_ino != old_inode, "a new folder, under the same name"
    assert json.loads((old / "metadata.json").read_text())["description"] == description
    assert sorted(p.name for p in (root / "packages").iterdir()) == [TOP], "the old one and the staging are gone"
    assert snapshot(root / "sibling") == {"keep.txt": b"must survive\n"}
    assert ArgosEngine().translate([SENTENCE], "en", "uk") == [SENTENCE], "the new package is loaded"


def _with(good: Members, **fields: object) -> bytes:
    return json.dumps({**json.loads(good[f"{TOP}/metadata.json"]), **fields}).encode()


def _broken_metadata(text: str) -> Callable[[Path, Members], None]:
    def make(folder: Path, good: Members) -> None:
        _unpack(folder, good)
        (folder / "metadata.json").write_text(text)

    return make


def _garbage_model(to_code: str) -> Callable[[Path, Members], None]:
    def make(folder: Path, good: Members) -> None:
        _unpack(folder, good)
        (folder / "metadata.json").write_bytes(_with(good, to_code=to_code))
        (folder / "model" / "model.bin").write_bytes(b"garbage")

    return make


def _unpack(folder: Path, good: Members) -> None:
    for name, data in good.items():
        path = folder / name.removeprefix(f"{TOP}/")
        if name.endswith("/"):
            path.mkdir(parents=True, exist_ok=True)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)


RU_WITH_BAD_LANGUAGES = json.dumps(
    {"from_code": "en", "to_code": "ru", "package_version": "1.0", "argos_version": "1.0", "languages": 5}
)
BROKEN_INSTALLED = [
    ("invalid JSON", "translate-en_es-1_0", _broken_metadata("{"), "es", "metadata.json is not valid JSON"),
    ("no metadata", "translate-en_de-1_0", lambda folder, good: folder.mkdir(), "de", "no metadata.json"),
    ("wrong types", "translate-en_fr-1_0", _broken_metadata('{"from_code": 5}'), "fr", "from_code must be"),
    (
        "argostranslate fails",
        "translate-en_ru-1_0",
        _broken_metadata(RU_WITH_BAD_LANGUAGES),
        "ru",
        "argostranslate cannot read its metadata.json",
    ),
    ("model does not load", "translate-en_pl-1_0", _garbage_model("pl"), "pl", "the model does not load"),
    ("unknown pair", "mystery", _broken_metadata("[]"), None, "must be a JSON object"),
]


@pytest.mark.parametrize(
    ("name", "make", "lang", "fragment"), [pytest.param(*row[1:], id=row[0]) for row in BROKEN_INSTALLED]
)
def test_broken_installed_package_is_reported_not_fatal(
    root: Path, members: Members, name: str, make: Callable, lang: str | None, fragment: str, capsys
) -> None:
    folder = root / "packages" / name
    make(folder, members)
    assert [p.package_path.name for p in installed_packages() if p.package_path.name != name] == [TOP]
    [broken] = scan_packages(load=True)[1]
    assert broken.path == folder and fragment in broken.reason

    assert main(["models", "list"]) == 0
    out = capsys.readouterr().out
    assert f"1 model(s), 1 broken\n  en→uk  {TOP}  1.0\n  broken  {name}: " in out and fragment in out
    assert f"or remove the folder {folder}\n" in out

    engine = ArgosEngine()
    assert engine.unavailable("en", "uk") is None, "the good package still works"
    reason = engine.unavailable("en", lang or "it")
    assert choose_engine("en", lang or "it", ("argos",)) == (None, [("argos", reason)]), "the build skips the language"
    if lang:
        assert reason.reason.startswith(f"the Argos model for en→{lang} in {folder} is broken: ")
        assert fragment in reason.reason
        assert (
            reason.fix
            == f"press models install translate-en_{lang}-<version>.argosmodel again, or remove the folder {folder}"
        )
    else:
        assert reason.reason.startswith("no Argos model for en→it is installed in ")
        assert f"1 broken package folder(s) there, such as {name}: " in reason.reason
