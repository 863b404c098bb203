"""`press models` from an Argos index served on 127.0.0.1: install, update, remove, and every failure in one line.

The index and the packages are built here (tools/modelkit.py) and served by ``http.server`` (with
``Range`` support, as a web server has, or without it, as ``python -m http.server`` is); the
download, the checks and the safe install are the real ones.
"""

from __future__ import annotations

import hashlib
import http.server
import importlib.util
import io
import json
import re
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml
from conftest import copy_project  # tests/ is on the path: helpers, not fixtures

from tools.build import build
from tools.cli import main
from tools.engines.argos import index
from tools.engines.argos.engine import ArgosEngine
from tools.engines.argos.packages import installed_packages, packages_dir
from tools.errors import PressError
from tools.ingest import read_seed
from tools.modelkit import build_argosmodel, index_entry

pytestmark = pytest.mark.slow  # models built, served, downloaded and installed

ROOT = Path(__file__).resolve().parents[2]
SEED = read_seed(ROOT / "seeds" / "000_665afb2dddca8924.txt")
TEXT = "\n".join([SEED.title] + [p.text for p in SEED.paragraphs])
SENTENCE = SEED.paragraphs[5].text
OLD, NEW = "translate-en_uk-1_0", "translate-en_uk-1_1"


@dataclass
class Site:
    """What the test server serves (files by path, and how), and the requests it saw."""

    folder: Path
    url: str = ""
    ranges: bool = True  # answer Range requests with 206, as web servers do (python -m http.server does not)
    cut: dict[str, int] = field(default_factory=dict)  # path → bytes sent before the connection drops
    redirects: dict[str, str] = field(default_factory=dict)  # path → Location of a 302
    seen: list[tuple[str, str]] = field(default_factory=list)  # (path, Range header) of every GET

    def index(self, entries: list[dict]) -> None:
        (self.folder / "index.json").write_text(json.dumps(entries), encoding="utf-8")

    def link(self, name: str) -> str:
        return f"{self.url}{name}"


def handler_for(site: Site) -> type[http.server.SimpleHTTPRequestHandler]:
    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, directory=str(site.folder), **kwargs)

        def do_GET(self) -> None:
            path = self.path.lstrip("/")
            site.seen.append((path, self.headers.get("Range", "")))
            if path in site.redirects:
                self.send_response(302)
                self.send_header("Location", site.redirects[path])
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            file = site.folder / path
            if not file.is_file() or not (site.ranges or path in site.cut):
                super().do_GET()
                return
            self._send(path, file.read_bytes())

        def _send(self, path: str, data: bytes) -> None:
            start = _range_start(self.headers.get("Range", "")) if site.ranges else 0
            if start >= len(data) and start:
                self.send_response(416)
                self.send_header("Content-Range", f"bytes */{len(data)}")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self.send_response(206 if start else 200)
            if start:
                self.send_header("Content-Range", f"bytes {start}-{len(data) - 1}/{len(data)}")
            self.send_header("Content-Length", str(len(data) - start))
            self.end_headers()
            body = data[start:]
            self.wfile.write(body[: site.cut.pop(path)] if path in site.cut else body)
            self.close_connection = True

        def log_message(self, *args: object) -> None:
            pass

    return Handler


def _range_start(header: str) -> int:
    match = re.fullmatch(r"bytes=(\d+)-", header)
    return int(match[1]) if match else 0


@pytest.fixture(scope="module")
def archives(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Two versions of a copying en→uk package, and a uk→en one."""
    folder = tmp_path_factory.mktemp("archives")
    made = {name: build_argosmodel(folder / f"{name}.argosmodel", TEXT, "en", "uk", version=v) for name, v in
            ((OLD, "1.0"), (NEW, "1.1"))}  # fmt: skip
    made["translate-uk_en-1_0"] = build_argosmodel(folder / "translate-uk_en-1_0.argosmodel", TEXT, "uk", "en")
    return made


@pytest.fixture
def site(tmp_path: Path, archives: dict[str, Path], monkeypatch: pytest.MonkeyPatch) -> Iterator[Site]:
    """The packages and an index of en→uk 1.0 (with our sha256) and uk→en, served on a free 127.0.0.1 port."""
    site = Site(tmp_path / "site")
    site.folder.mkdir()
    for archive in archives.values():
        (site.folder / archive.name).write_bytes(archive.read_bytes())
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler_for(site))
    site.url = f"http://127.0.0.1:{server.server_address[1]}/"
    site.index([entry(site, OLD, checksum=True), entry(site, "translate-uk_en-1_0")])
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setenv("ARGOS_PACKAGE_INDEX", site.url)
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "packages"))
    yield site
    server.shutdown()
    server.server_close()


def entry(site: Site, name: str, checksum: bool = False, **fields: object) -> dict:
    """The index entry of a served package (with our sha256 field if ``checksum``), with fields changed."""
    return {**index_entry(site.folder / f"{name}.argosmodel", [site.link(f"{name}.argosmodel")], checksum), **fields}


def packages() -> Path:
    return packages_dir()


def listing() -> list[str]:
    """The packages folder's entries (hidden ones too), sorted."""
    return sorted(p.name for p in packages().iterdir()) if packages().is_dir() else []


def one_line_error(capsys: pytest.CaptureFixture, *args: str) -> str:
    """Run ``press ARGS``, expect status 1 and one error line on stderr and nothing on stdout; the line."""
    assert main(list(args)) == 1
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1 and err.startswith("error: ") and "; fix: " in err, err
    return err


def test_install_the_newest_and_build_an_edition(site: Site, tmp_path: Path, capsys) -> None:
    site.index([entry(site, OLD), entry(site, NEW), entry(site, "translate-uk_en-1_0")])
    assert main(["models", "install", "en", "uk"]) == 0
    digest = hashlib.sha256((site.folder / f"{NEW}.argosmodel").read_bytes()).hexdigest()
    assert capsys.readouterr().out == f"installed en→uk {NEW} 1.1; sha256 {digest}\n"
    assert listing() == [".downloads", NEW, f"{NEW}.sha256"]
    assert (packages() / f"{NEW}.sha256").read_text() == f"{digest}  {NEW}.argosmodel\n", "sha256sum -c reads it"
    assert list((packages() / ".downloads").iterdir()) == [], "the download is gone once installed"
    assert ArgosEngine().translate([SENTENCE], "en", "uk") == [SENTENCE]

    assert main(["models", "install", "en", "uk"]) == 0
    assert capsys.readouterr().out == f"en→uk 1.1 is installed already: {packages() / NEW}\n"

    project = copy_project(tmp_path / "project")
    (project / "editions.yml").write_text("source_language: en\nlanguages: [uk]\n")
    [uk] = [e for e in build(project).editions if e.lang == "uk"]
    assert (uk.engine, uk.model, uk.machine) == ("argos", f"{NEW} 1.1", 58)


def test_install_a_version_then_update_and_remove(site: Site, capsys) -> None:
    assert main(["models", "install", "en", "uk", "--version", "1.0"]) == 0
    assert main(["models", "install", "uk", "en"]) == 0
    capsys.readouterr()
    assert main(["models", "update"]) == 0
    assert capsys.readouterr().out == "en→uk 1.0: the newest\nuk→en 1.0: the newest\n"

    site.index([entry(site, OLD), entry(site, NEW, checksum=True), entry(site, "translate-uk_en-1_0")])
    assert main(["models", "available", "en"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines == [f"{site.url}index.json: 2 model(s)", "  en→uk  1.0     en → uk  (installed)",
                     "  en→uk  1.1     en → uk  (installed: 1.0)"]  # fmt: skip
    assert main(["models", "update"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"installed en→uk {NEW} 1.1 (was 1.0); sha256 ") and out.endswith("uk→en 1.0: the newest\n")
    assert listing() == [".downloads", NEW, f"{NEW}.sha256", "translate-uk_en-1_0", "translate-uk_en-1_0.sha256"]
    assert ArgosEngine().model("en", "uk") == f"{NEW} 1.1"

    assert main(["models", "remove", "en", "uk"]) == 0
    assert capsys.readouterr().out == f"removed en→uk {NEW}\n"
    assert listing() == [".downloads", "translate-uk_en-1_0", "translate-uk_en-1_0.sha256"]
    assert "no model for en→uk is installed" in one_line_error(capsys, "models", "remove", "en", "uk")


def test_an_interrupted_download_resumes(site: Site, capsys) -> None:
    size = (site.folder / f"{OLD}.argosmodel").stat().st_size
    site.cut[f"{OLD}.argosmodel"] = size // 3
    line = one_line_error(capsys, "models", "install", "en", "uk")
    assert f"error: {site.url}{OLD}.argosmodel: the download stopped at " in line and "resumes" in line
    part = packages() / ".downloads" / f"{OLD}.argosmodel.part"
    assert part.stat().st_size == size // 3 and OLD not in listing(), "the part is kept, nothing is installed"

    assert main(["models", "install", "en", "uk"]) == 0
    assert site.seen[-1] == (f"{OLD}.argosmodel", f"bytes={size // 3}-"), "the second run asked for the rest"
    assert not part.exists() and OLD in listing()
    assert ArgosEngine().translate([SENTENCE], "en", "uk") == [SENTENCE]


def test_a_server_without_ranges_restarts_the_download(site: Site, capsys) -> None:
    site.ranges = False
    site.cut[f"{OLD}.argosmodel"] = 1000
    one_line_error(capsys, "models", "install", "en", "uk")
    assert main(["models", "install", "en", "uk"]) == 0, "a 200 to the range request: written from the start"
    assert site.seen[-1] == (f"{OLD}.argosmodel", "bytes=1000-") and OLD in listing()


def test_a_stale_part_past_the_end_starts_again(site: Site, capsys) -> None:
    part = packages() / ".downloads" / f"{OLD}.argosmodel.part"
    part.parent.mkdir(parents=True)
    part.write_bytes(b"x" * (10 * 1024**2))
    assert main(["models", "install", "en", "uk"]) == 0, "416 for the range: the part is dropped, one clean request"
    assert [range_ for _, range_ in site.seen[-2:]] == ["bytes=10485760-", ""]


def test_checksum_mismatch_installs_nothing(site: Site, capsys) -> None:
    site.index([entry(site, OLD, sha256="0" * 64)])
    line = one_line_error(capsys, "models", "install", "en", "uk")
    assert f"sha256 mismatch: the index says {'0' * 64}, the download is " in line and "it was deleted" in line
    assert listing() == [".downloads"] and list((packages() / ".downloads").iterdir()) == []


def test_a_reinstall_must_bring_the_same_bytes(site: Site, archives: dict[str, Path], capsys) -> None:
    site.index([entry(site, OLD)])
    assert main(["models", "install", "en", "uk"]) == 0
    capsys.readouterr()
    record = (packages() / f"{OLD}.sha256").read_text()
    index.remove_pair("en", "uk")
    (packages() / f"{OLD}.sha256").write_text(record)  # the folder is gone (as if broken), the record is kept
    (site.folder / f"{OLD}.argosmodel").write_bytes(archives[NEW].read_bytes())  # same name, other bytes
    line = one_line_error(capsys, "models", "install", "en", "uk")
    assert "not the file installed before: sha256 " in line and f"delete {packages() / OLD}.sha256" in line
    assert OLD not in listing()


UNREACHABLE = [
    ("nothing listens", lambda site: "http://127.0.0.1:9/", "cannot reach the package index: "),
    ("a file: index", lambda site: "file:///etc/", "not an http or https URL (scheme 'file')"),
    ("no trailing slash", lambda site: site.url.rstrip("/"), "does not end in / (Argos adds index.json)"),
    ("no index there", lambda site: site.url + "nothing/", "the index answered HTTP 404"),
]


@pytest.mark.parametrize(("make_url", "fragment"), [pytest.param(*r[1:], id=r[0]) for r in UNREACHABLE])
def test_an_unreachable_index_is_one_line(site: Site, make_url, fragment: str, monkeypatch, capsys) -> None:
    monkeypatch.setenv("ARGOS_PACKAGE_INDEX", make_url(site))
    for command in (["models", "available"], ["models", "install", "en", "uk"]):
        line = one_line_error(capsys, *command)
        assert fragment in line, line
        assert "ARGOS_PACKAGE_INDEX" in line, "the line names the setting that fixes it"
    assert listing() == []


BROKEN_INDEXES = [
    ("not JSON", b"<html>offline portal</html>", "the index is not valid JSON (line 1"),
    ("not a list", b'{"packages": []}', "the index must be a list"),
    ("not UTF-8", b"[\xff]", "the index is not UTF-8"),
    ("a key twice", b'[{"from_code": "en", "from_code": "de"}]', "the index has the key 'from_code' twice"),
]


@pytest.mark.parametrize(("raw", "fragment"), [pytest.param(*r[1:], id=r[0]) for r in BROKEN_INDEXES])
def test_a_broken_index_is_one_line(site: Site, raw: bytes, fragment: str, capsys) -> None:
    (site.folder / "index.json").write_bytes(raw)
    line = one_line_error(capsys, "models", "available")
    assert line.startswith(f"error: {site.url}index.json: {fragment}"), line


# (what the entry has, the reason it is skipped); a good entry beside it is still offered
HOSTILE_ENTRIES = [
    ("file link", {"links": ["file:///etc/passwd"]}, "no http or https link ('file:///etc/passwd': not an http"),
    ("ipfs only", {"links": ["ipfs://QmbXofc"]}, "no http or https link ('ipfs://QmbXofc'"),
    ("ftp link", {"links": ["ftp://127.0.0.1/x.argosmodel"]}, "no http or https link"),
    (
        "credentials",
        {"links": ["https://u:pw@example.org/x"]},
        "no http or https link ('https://u:pw@example.org/x': a user",
    ),
    (
        "space in link",
        {"links": ["https://example.org/a b"]},
        "no http or https link ('https://example.org/a b': a space",
    ),
    ("links a text", {"links": "https://example.org/x"}, "links must be a list of URLs"),
    ("no links", {"links": []}, "links must be a list of URLs"),
    ("link a number", {"links": [5]}, "no http or https link ('5': not a text)"),
    ("from_code path", {"from_code": "../en"}, "from_code must be a language code"),
    ("version a number", {"package_version": 1.9}, "package_version must be a version string"),
    ("version a path", {"package_version": "1.0/../../x"}, "package_version must be a version string"),
    ("sha256 upper", {"sha256": "A" * 64}, "sha256 must be 64 lowercase hexadecimal digits"),
    ("sha256 number", {"sha256": 5}, "sha256 must be 64 lowercase hexadecimal digits, not '5'"),
    ("sentence splitter", {"type": "sbd"}, "a package of type 'sbd', not a translation model"),
]


@pytest.mark.parametrize(("fields", "reason"), [pytest.param(*r[1:], id=r[0]) for r in HOSTILE_ENTRIES])
def test_a_hostile_entry_is_skipped_with_its_reason(site: Site, fields: dict, reason: str, capsys) -> None:
    site.index([entry(site, NEW, **fields), entry(site, OLD)])
    assert main(["models", "available"]) == 0
    out, err = capsys.readouterr()
    assert out == f"{site.url}index.json: 1 model(s)\n  en→uk  1.0     en → uk\n"
    assert err.startswith(f"warning: {site.url}index.json: skipped entry 1: {reason}"), err
    assert err.count("\n") == 1


def test_duplicates_and_control_characters(site: Site, capsys) -> None:
    site.index([entry(site, OLD, to_name="Ukr\x1b[31mainian"), entry(site, OLD)])
    assert main(["models", "available"]) == 0
    out, err = capsys.readouterr()
    assert out.endswith("  en→uk  1.0     en → uk\n"), "a name with an escape sequence is not printed"
    assert "skipped entry 2: en→uk 1.0 is listed twice (the first is kept)" in err


SWAPPED = [
    c for c in yaml.safe_load((ROOT / "tests/hostile/cases.yml").read_text())["cases"] if c["where"] == "index-entry"
]


@pytest.mark.parametrize("case", SWAPPED, ids=lambda case: case["payload"])
def test_an_entry_that_links_another_package_leaves_the_installed_model(site: Site, case: dict, capsys) -> None:
    assert main(["models", "install", "en", "uk", "--version", "1.0"]) == 0
    capsys.readouterr()
    before = {path.relative_to(packages()): path.read_bytes() for path in packages().rglob("*") if path.is_file()}
    linked = case["payload"]  # the entry promises en→uk 1.1 and links this package
    site.index([entry(site, NEW, links=[site.link(f"{linked}.argosmodel")])])
    line = one_line_error(capsys, "models", "install", "en", "uk")
    _, source, target, version = re.fullmatch(r"translate-(\w+)_(\w+)-(\d+)_(\d+)", linked).group(0, 1, 2, 3)
    assert (
        f"the package is {source}→{target} {version}." in line and "not the en→uk 1.1 its index entry promised" in line
    )
    assert "nothing was installed or removed" in line and "the installed model is kept" in line
    after = {path.relative_to(packages()): path.read_bytes() for path in packages().rglob("*") if path.is_file()}
    assert after == before, "the installed model and its record byte for byte, no download left"
    assert ArgosEngine().model("en", "uk") == f"{OLD} 1.0"
    assert ArgosEngine().translate([SENTENCE], "en", "uk") == [SENTENCE]


@pytest.mark.parametrize("target", ["file:///etc/passwd", "ftp://127.0.0.1/x.argosmodel"])
def test_a_redirect_off_the_web_is_refused(site: Site, target: str, capsys) -> None:
    site.redirects["moved.argosmodel"] = target
    site.index([entry(site, OLD, links=[site.link("moved.argosmodel")])])
    line = one_line_error(capsys, "models", "install", "en", "uk")
    assert f"cannot download: refused a redirect to '{target}': not an http or https URL" in line
    assert OLD not in listing()


def test_usage_errors_are_one_line(site: Site, capsys) -> None:
    assert "one language given" in one_line_error(capsys, "models", "install", "uk")
    assert "'e n' is not a language code" in one_line_error(capsys, "models", "install", "e n", "uk")
    line = one_line_error(capsys, "models", "install", "en", "uk", "--version", "9.9")
    assert "no version '9.9' of en→uk in the index; fix: use one of these versions: 1.0" in line
    assert "the index has no model for en→de; fix: from en it has: uk" in one_line_error(
        capsys, "models", "install", "en", "de"
    )


def test_the_default_index_is_argos_s() -> None:
    package = Path(importlib.util.find_spec("argostranslate").origin).parent
    assert f'default="{index.DEFAULT_INDEX}"' in (package / "settings.py").read_text(), "read, not imported"


def test_an_entry_is_refused_before_any_download(site: Site) -> None:
    site.index([entry(site, OLD, links=["ipfs://QmbX", site.link(f"{OLD}.argosmodel")])])
    [offered] = index.load_index().entries
    assert offered.links == (site.link(f"{OLD}.argosmodel"),), "only http(s) links are kept"
    with pytest.raises(PressError, match="no version '2.0'"):
        index.find(index.load_index(), "en", "uk", "2.0")
    assert installed_packages() == []


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_progress_bar_shows_size_and_speed_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setattr("sys.stderr", Terminal())
    show = index.progress_bar(f"{OLD}.argosmodel")
    show(3 * 1024**2, 4 * 1024**2)
    show(4 * 1024**2, 4 * 1024**2)
    shown = sys.stderr.getvalue()
    assert re.search(r"\[#{30}\] 4\.0/4\.0 MiB [\d.]+ MiB/s +\n$", shown) and shown.startswith(f"\r{OLD}.argosmodel")
    monkeypatch.setenv("CI", "true")
    assert index.progress_bar("x") is None, "quiet under CI"
