"""The site's content security policy (tools/csp.py), without a browser: on small pages written here,
and on the real site as mkdocs builds it. tests/test_browser.py shows that Chromium enforces it."""

from __future__ import annotations

import base64
import hashlib
import json
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import ROOT, copy_project, files_of

from tools import csp
from tools.build import build
from tools.csp import (
    HEADERS_FILE,
    OURS,
    PageSecurer,
    nginx_snippet,
    read_scans,
    read_written,
    secure_site,
    source_hash,
)
from tools.errors import PressError

HEAD = '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>t</title>'
# (name, page, inline scripts the policy must allow, inline styles it must allow)
PAGES = [
    ("two inline scripts, one file, one data block", HEAD + '<script>var a = 1;</script><script src="b.js"></script>'
     '</head><body><script id="__config" type="application/json">{"a": 1}</script><script>f("é")</script></body></html>',
     ["var a = 1;", 'f("é")'], []),
    ("no charset: the policy is head's first element", "<html><head><script>x()</script></head></html>", ["x()"], []),
    ("CRLF inside a script: hashed as the browser reads it, with LF",
     HEAD + "<script>a()\r\nb()\rc()</script></head></html>", ["a()\nb()\nc()"], []),
    ("modules, import maps and JavaScript types run; templates do not",
     HEAD + '<script type="module">m()</script><script type=" TEXT/JavaScript ">j()</script>'
     '<script type="importmap">{}</script><script type="text/x-template"><b>t</b></script></head></html>',
     ["m()", "j()", "{}"], []),
    ("a script with a src is a file, however empty", HEAD + '<script src="">ignored</script></head></html>', [], []),
    ("an inline style element is hashed for style-src", HEAD + "<style>p { color: red }</style></head></html>",
     [], ["p { color: red }"]),
    ("<script/> still runs to </script>", HEAD + "<script/>s()</script></head></html>", ["s()"], []),
    ("an empty inline script", HEAD + "<script></script></head></html>", [""], []),
]  # fmt: skip
# (name, page, line, message)
REFUSED = [
    ("no head", "<html><body><p>x</p></body></html>", None, "the page has no <head>"),
    ("an inline event handler", HEAD + '</head><body>\n<img src="a.png" onerror="f()">', 2,
     "inline event handler onerror= on <img>"),
    ("a style attribute", HEAD + '</head><body>\n\n<p style="color: red">x</p>', 3, "style attribute style= on <p>"),
    ("a javascript: URL, spelled to slip past a naive check", HEAD + '</head><body><a href=" JavaS\tcript:f()">x</a>',
     1, "javascript: URL href= on <a>"),
    ("a script before <head>", '<html>\n<script>x()</script><head></head></html>', 2, "<script> before <head>"),
]  # fmt: skip


def csp_hash(source: str) -> str:
    """The hash source CSP3 defines, computed here without tools.csp."""
    return "'sha256-" + base64.b64encode(hashlib.sha256(source.encode("utf-8")).digest()).decode() + "'"


class Elements(HTMLParser):
    """Every start tag in order, and the text of every <script> and <style>: a reading independent of tools.csp."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.texts: list[tuple[str, dict[str, str | None], str]] = []
        self.inside = False
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag in ("script", "style"):
            self.texts.append((tag, dict(attrs), ""))
            self.inside = True

    def handle_endtag(self, tag: str) -> None:
        self.inside = self.inside and tag not in ("script", "style")

    def handle_data(self, data: str) -> None:
        if self.inside:
            tag, attrs, text = self.texts[-1]
            self.texts[-1] = (tag, attrs, text + data)

    def policy(self) -> dict[str, list[str]]:
        """The directives of our meta policy: name → sources."""
        (content,) = [attrs["content"] for tag, attrs in self.tags if tag == "meta" and OURS in attrs]
        return directives(content)

    def inline_scripts(self) -> list[str]:
        runs = ("", "module", "importmap", "text/javascript")
        scripts = [(attrs, text) for tag, attrs, text in self.texts if tag == "script" and "src" not in attrs]
        return [text for attrs, text in scripts if (attrs.get("type") or "").strip().lower() in runs]


def directives(policy: str) -> dict[str, list[str]]:
    """A policy's directives: name → sources."""
    return {name: sources for name, *sources in (part.split() for part in policy.split(";"))}


def read_headers_file(text: str) -> dict[str, dict[str, str]]:
    """``_headers`` as Netlify and Cloudflare Pages read it: path → header name → value; anything else fails."""
    rules: dict[str, dict[str, str]] = {}
    path = None
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        if not line[0].isspace():
            path = line.strip()
            assert path.startswith("/") and path not in rules, f"line {number}: {line!r}"
            rules[path] = {}
            continue
        name, sep, value = line.strip().partition(": ")
        assert path and sep and name.replace("-", "").isalnum() and value.strip(), f"line {number}: {line!r}"
        rules[path][name] = value
    return rules


def write_site(root: Path, pages: dict[str, str | bytes]) -> Path:
    for name, text in pages.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return root


def stamps(site: Path) -> dict[str, tuple[bytes, int]]:
    return {
        path.relative_to(site).as_posix(): (path.read_bytes(), path.stat().st_mtime_ns)
        for path in site.rglob("*")
        if path.is_file()
    }


def test_the_hash_is_the_one_the_csp_specification_gives() -> None:
    example = "alert('Hello, world.');"
    assert source_hash(example) == csp_hash(example) == "'sha256-qznLcsROx4GACP2dm0UCKCzCG+HiZ1guq6ZZDob/Tng='"


@pytest.mark.parametrize(("name", "page", "scripts", "styles"), PAGES, ids=[case[0] for case in PAGES])
def test_a_page_allows_exactly_its_own_inline_code(tmp_path: Path, name: str, page: str, scripts, styles) -> None:
    site = write_site(tmp_path, {"a/index.html": page})
    result = secure_site(site)
    secured = (site / "a/index.html").read_bytes().decode("utf-8")  # CR kept
    directives = Elements(secured).policy()
    assert sorted(directives["script-src"]) == sorted({"'self'"} | {csp_hash(s) for s in scripts})
    assert sorted(directives["style-src"]) == sorted({"'self'"} | {csp_hash(s) for s in styles})
    assert result.pages == {"a/index.html": "; ".join(f"{k} {' '.join(v)}" for k, v in directives.items())}
    tags = Elements(secured).tags
    head = [tag for tag, _ in tags].index("head")
    first = 2 if tags[head + 1][1].get("charset") else 1  # a charset declaration stays first (1024-byte prescan)
    assert OURS in tags[head + first][1], tags[head : head + 3]
    assert (
        secured.replace(secured[secured.index("<meta http-equiv") : secured.index(OURS + ">") + len(OURS) + 1], "")
        == page
    )


@pytest.mark.parametrize(("name", "page", "line", "message"), REFUSED, ids=[case[0] for case in REFUSED])
def test_inline_code_the_policy_would_block_stops_the_build(tmp_path: Path, name, page, line, message) -> None:
    site = write_site(tmp_path, {"a/index.html": PAGES[0][1], "p.html": page})  # a good page, secured first
    with pytest.raises(PressError) as error:
        secure_site(site)
    where = f"{site / 'p.html'}:{line}" if line else str(site / "p.html")
    assert str(error.value).startswith(f"{where}: {message}"), str(error.value)
    assert "; fix: " in str(error.value)
    assert (site / "p.html").read_text(encoding="utf-8") == page and not (site / HEADERS_FILE).exists()
    assert (site / "a/index.html").read_text(encoding="utf-8") == PAGES[0][1], "nothing is written"


def test_a_page_that_is_not_utf8_is_named_with_its_line(tmp_path: Path) -> None:
    site = write_site(tmp_path, {"p.html": (HEAD + "\n\n<p>caf\xe9</p>").encode("cp1252")})
    with pytest.raises(PressError, match=r"p\.html:3: not UTF-8 \(byte 0xE9\); fix: "):
        secure_site(site)


def test_an_empty_folder_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(PressError, match="no HTML page to secure; fix: build the site first"):
        secure_site(tmp_path)


def test_a_changed_script_replaces_our_policy_and_leaves_a_foreign_one(tmp_path: Path) -> None:
    foreign = '<meta http-equiv="Content-Security-Policy" content="img-src *">'
    site = write_site(tmp_path, {"p.html": HEAD + foreign + "<script>one()</script></head></html>"})
    secure_site(site)
    page = site / "p.html"
    page.write_text(page.read_text(encoding="utf-8").replace("one()", "two()"), encoding="utf-8")
    result = secure_site(site)
    secured = page.read_text(encoding="utf-8")
    assert result.rewritten == ("p.html",) and secured.count(OURS) == 1 and foreign in secured
    assert Elements(secured).policy()["script-src"] == ["'self'", csp_hash("two()")]


@pytest.fixture(scope="module")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project's site as mkdocs builds it (English, and whatever editions this machine's engines give)."""
    project = copy_project(tmp_path_factory.mktemp("project"))
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path_factory.mktemp("argos")))  # no model: no Argos edition
        build(project)
    mkdocs = Path(sys.executable).with_name("mkdocs")
    subprocess.run([str(mkdocs), "build", "--strict", "-q", "-f", "mkdocs.site.yml"], cwd=project, check=True,
                   env={"PATH": "/usr/bin:/bin", "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": str(ROOT)})  # fmt: skip
    return project / "site"


@pytest.fixture(params=["synthetic", pytest.param("built", marks=pytest.mark.slow)])
def any_site(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    """A small site written here, or a fresh copy of the built site, before secure_site."""
    if request.param == "synthetic":
        return write_site(tmp_path, {"index.html": PAGES[0][1], "de/a/index.html": PAGES[3][1], "b.css": "p {}"})
    built = request.getfixturevalue("built_site")
    return Path(shutil.copytree(built, tmp_path / "site"))


def test_every_inline_script_of_every_page_is_allowed_by_its_page(any_site: Path) -> None:
    result = secure_site(any_site)
    pages = sorted(path.relative_to(any_site).as_posix() for path in any_site.rglob("*.html"))
    assert sorted(result.pages) == pages == sorted(result.rewritten)
    for name in pages:
        raw = (any_site / name).read_bytes()
        elements = Elements(raw.decode("utf-8"))
        allowed = elements.policy()["script-src"]
        assert elements.inline_scripts() and all(csp_hash(script) in allowed for script in elements.inline_scripts())
        assert set(allowed) <= set(directives(result.header)["script-src"]), name
        charset = raw.find(b'<meta charset="utf-8">')
        assert 0 <= charset < 1024 - len('<meta charset="utf-8">'), (
            f"{name}: the charset must stay in the first 1024 bytes"
        )


def test_a_second_run_rewrites_nothing(any_site: Path) -> None:
    first = secure_site(any_site)
    before = stamps(any_site)
    second = secure_site(any_site)
    assert second.rewritten == () and second == type(second)(first.pages, first.header, ())
    assert stamps(any_site) == before, "same bytes, same mtimes"


def test_a_script_injected_after_the_build_is_not_allowed(any_site: Path) -> None:
    result = secure_site(any_site)
    page = next(any_site.rglob("index.html"))
    page.write_text(page.read_text(encoding="utf-8").replace("</body>", "<script>alert(1)</script></body>"))
    injected = csp_hash("alert(1)")
    assert injected in [csp_hash(s) for s in Elements(page.read_text(encoding="utf-8")).inline_scripts()]
    assert injected not in Elements(page.read_text(encoding="utf-8")).policy()["script-src"]
    assert injected not in result.header and "'unsafe-inline'" not in result.header


def test_the_headers_file_and_the_nginx_snippet_carry_the_same_headers(any_site: Path) -> None:
    result = secure_site(any_site)
    rules = read_headers_file((any_site / HEADERS_FILE).read_text(encoding="utf-8"))
    assert rules == {"/*": result.headers}
    assert result.headers["X-Content-Type-Options"] == "nosniff" and "Referrer-Policy" in result.headers
    assert result.header.endswith("; frame-ancestors 'none'")
    assert not any("frame-ancestors" in text for text in result.pages.values()), "a <meta> policy cannot carry it"
    nginx = [line for line in nginx_snippet(result).splitlines() if not line.startswith("#")]
    assert nginx == [f'add_header {name} "{value}" always;' for name, value in result.headers.items()]
    assert not any('"' in value for value in result.headers.values())


def edit(site: Path) -> str:
    """One page changed as mkdocs would write it after an edit (a sentence and one inline script); its name."""
    page = max(site.rglob("index.html"))
    text = page.read_text(encoding="utf-8")
    assert "</body>" in text, page
    page.write_text(text.replace("</body>", "<p>An edited sentence.</p><script>edited()</script></body>", 1))
    return page.relative_to(site).as_posix()


def test_a_recorded_scan_gives_the_bytes_a_full_pass_gives(any_site: Path, tmp_path: Path) -> None:
    """After an edit, the pages scanned before are not parsed, and the site is byte for byte the one a pass
    without the record makes (the policies, the header's union of hashes, _headers)."""
    record = tmp_path / "cache" / "csp.json"
    fresh = Path(shutil.copytree(any_site, tmp_path / "fresh"))
    first = secure_site(Path(shutil.copytree(any_site, tmp_path / "first")), record)
    assert sorted(first.parsed) == sorted(first.pages) and read_scans(record), "a first run parses every page"
    edited = edit(fresh)
    cached = Path(shutil.copytree(fresh, tmp_path / "cached"))
    digests = {hashlib.sha256(path.read_bytes()).hexdigest() for path in cached.rglob("*.html")}
    with_record = secure_site(cached, record)
    without = secure_site(fresh)
    assert with_record.parsed == (edited,) and sorted(without.parsed) == sorted(without.pages)
    assert files_of(cached) == files_of(fresh) and with_record == without
    assert csp_hash("edited()") in with_record.pages[edited] and csp_hash("edited()") in with_record.header
    assert set(read_scans(record)) == digests, "the record holds the scans of this run's pages"


def test_a_refused_page_is_refused_on_every_run_and_never_recorded(tmp_path: Path) -> None:
    record = tmp_path / "csp.json"
    site = write_site(tmp_path / "site", {"a/index.html": PAGES[0][1], "b/index.html": PAGES[2][1]})
    secure_site(site, record)
    recorded = record.read_bytes()
    bad = REFUSED[1][1]
    write_site(site, {"c/index.html": bad})
    for _ in range(2):
        with pytest.raises(PressError, match="inline event handler onerror= on <img>"):
            secure_site(site, record)
        assert record.read_bytes() == recorded and (site / "c/index.html").read_text(encoding="utf-8") == bad
    assert hashlib.sha256(bad.encode("utf-8")).hexdigest() not in read_scans(record)


def test_a_page_scanned_clean_then_given_a_handler_is_refused(tmp_path: Path) -> None:
    record = tmp_path / "csp.json"
    site = write_site(tmp_path / "site", {"a/index.html": PAGES[0][1]})
    secure_site(site, record)
    page = site / "a/index.html"
    page.write_text(page.read_text(encoding="utf-8").replace("<body>", '<body><p onclick="f()">x</p>'))
    with pytest.raises(PressError, match="inline event handler onclick= on <p>"):
        secure_site(site, record)


def altered(record: Path, change) -> None:
    """One scan of the record changed; with ``sealed``, its check recomputed to match (as a careless hand would)."""
    data = json.loads(record.read_text(encoding="utf-8"))
    digest = next(iter(data["scans"]))
    sealed, data["scans"][digest] = change(data["scans"][digest])
    if sealed:
        body = json.dumps(data["scans"], sort_keys=True, separators=(",", ":"))
        data["check"] = hashlib.sha256(body.encode("utf-8")).hexdigest()
    record.write_text(json.dumps(data), encoding="utf-8")


DAMAGE = {
    "truncated": lambda record: record.write_bytes(record.read_bytes()[:40]),
    "not JSON": lambda record: record.write_bytes(b"\xff\xfe not a record"),
    "a scan altered": lambda record: altered(record, lambda scan: (False, [scan[0] + 1, *scan[1:]])),
    "another version of tools/csp.py": lambda record: record.write_text(
        record.read_text(encoding="utf-8").replace('"code":"', '"code":"0'), encoding="utf-8"
    ),
    "a scan of the wrong shape": lambda record: altered(record, lambda scan: (True, scan[:2])),
    "a hash that is not text": lambda record: altered(record, lambda scan: (True, [scan[0], [1], *scan[2:]])),
}


@pytest.mark.parametrize("damage", DAMAGE, ids=list(DAMAGE))
def test_a_damaged_record_only_means_every_page_is_parsed(tmp_path: Path, damage: str) -> None:
    pages = {"index.html": PAGES[0][1], "de/a/index.html": PAGES[3][1], "b/index.html": PAGES[5][1]}
    record = tmp_path / "csp.json"
    secure_site(write_site(tmp_path / "first", pages), record)
    DAMAGE[damage](record)
    assert read_scans(record) == {}
    site, fresh = write_site(tmp_path / "site", pages), write_site(tmp_path / "fresh", pages)
    result = secure_site(site, record)
    assert sorted(result.parsed) == sorted(pages) and result == secure_site(fresh)
    assert files_of(site) == files_of(fresh)
    assert len(read_scans(record)) == len(pages), "rewritten whole"


@pytest.mark.parametrize(("name", "page", "scripts", "styles"), PAGES, ids=[case[0] for case in PAGES])
def test_a_page_secured_as_mkdocs_renders_it_is_the_page_the_pass_makes(
    tmp_path: Path, name: str, page: str, scripts, styles
) -> None:
    """:class:`PageSecurer` (the hooks' ``on_post_page``): the same bytes and policy as the CSP pass, and the pass
    neither parses nor writes the page again when given the scans it used."""
    full = secure_site(write_site(tmp_path / "full", {"a/index.html": page}))
    securer, part = PageSecurer(None), tmp_path / "part.json"
    site = write_site(tmp_path / "hooked", {"a/index.html": securer.secure(page, Path("a/index.html"))})
    securer.save(part)
    given = secure_site(site, parts=[part])
    assert (site / "a/index.html").read_bytes() == (tmp_path / "full" / "a/index.html").read_bytes()
    assert given.pages == full.pages and given.rewritten == () and given.parsed == ()


def secured_by_a_build(root: Path, pages: dict[str, str]) -> tuple[Path, Path]:
    """``pages`` secured as an edition's mkdocs secures them (under the site it builds into), written, and its
    part saved: the site and the part."""
    securer, part = PageSecurer(None, root), root.with_suffix(".part.json")
    write_site(root, {name: securer.secure(page, root / name) for name, page in pages.items()})
    securer.save(part)
    return root, part


def test_the_pages_a_build_wrote_secured_are_not_read_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The pass takes the policy of a page its build secured from the build's part, without reading the page: the
    same policies and headers as a full pass, and the only page read is the one no build secured."""
    pages = {f"{name}/index.html": page for name, (_, page, *_) in zip("abcdefg", PAGES)}
    site, part = secured_by_a_build(tmp_path / "site", pages)
    write_site(site, {"404.html": PAGES[0][1]})  # written by no page's build (the hooks' 404 page)
    full = secure_site(write_site(tmp_path / "full", {**pages, "404.html": PAGES[0][1]}))
    read = []
    real = Path.read_bytes

    def reading(path: Path) -> bytes:
        if path.is_relative_to(site):  # a page (the part is read too: it is beside the site)
            read.append(path.relative_to(site).as_posix())
        return real(path)

    monkeypatch.setattr(Path, "read_bytes", reading)
    given = secure_site(site, parts=[part])
    assert set(read) == {"404.html"}, "read to secure it, and by the writer that compares"
    assert given.pages == full.pages and given.header == full.header and given.rewritten == ("404.html",)
    monkeypatch.undo()
    assert files_of(site) == files_of(tmp_path / "full")


@pytest.mark.parametrize(
    "change",
    [
        '<script>alert("injected")</script>',  # a script, of another size: hashed into its policy by the pass
        '<p onclick="f()">x</p>',  # blocked markup: refused by the pass
    ],
)
def test_a_page_changed_after_its_build_secured_it_is_read_again(tmp_path: Path, change: str) -> None:
    """A page whose size is not the one its build wrote (something wrote it since) is read and secured by the pass,
    as it would be with no part at all."""
    pages = {"a/index.html": PAGES[0][1], "b/index.html": PAGES[5][1]}
    site, part = secured_by_a_build(tmp_path / "site", pages)
    page = site / "a/index.html"
    page.write_text(page.read_text(encoding="utf-8").replace("</body>", change + "</body>"), encoding="utf-8")
    if "onclick" in change:
        with pytest.raises(PressError, match="inline event handler onclick="):
            secure_site(site, parts=[part])
        return
    fresh = write_site(tmp_path / "fresh", files_of(site))
    given = secure_site(site, parts=[part])
    assert given.parsed == ("a/index.html",) and given.rewritten == ("a/index.html",)
    assert given.pages == secure_site(fresh).pages and source_hash('alert("injected")') in given.pages["a/index.html"]
    assert files_of(site) == files_of(fresh)


def test_a_damaged_list_of_written_pages_only_means_they_are_read(tmp_path: Path) -> None:
    site, part = secured_by_a_build(tmp_path / "site", {"a/index.html": PAGES[0][1]})
    assert read_written(part) == {
        "a/index.html": (
            hashlib.sha256((site / "a/index.html").read_bytes()).hexdigest(),
            (site / "a/index.html").stat().st_size,
        )
    }
    data = json.loads(part.read_text(encoding="utf-8"))
    data["written"]["a/index.html"][1] += 1  # its check no longer holds
    part.write_text(json.dumps(data), encoding="utf-8")
    assert read_written(part) == {}
    given = secure_site(site, parts=[part])
    assert given.rewritten == () and given.parsed == (), "read, and taken by its recorded scan"


@pytest.mark.parametrize(("name", "page", "line", "message"), REFUSED, ids=[case[0] for case in REFUSED])
def test_a_page_the_securer_cannot_secure_is_left_for_the_pass_to_refuse(
    tmp_path: Path, name: str, page: str, line: int, message: str
) -> None:
    securer = PageSecurer(None)
    assert securer.secure(page, Path("a/index.html")) == page and securer.used == {}
    with pytest.raises(PressError) as refused:
        secure_site(write_site(tmp_path, {"a/index.html": page}))
    assert refused.value.line == line


def test_a_page_with_a_lone_surrogate_is_left_for_the_pass(tmp_path: Path) -> None:
    """mkdocs writes a lone surrogate (from a hand-written page's YAML escape) as a character reference: the page
    the securer cannot hash as UTF-8 is left as rendered, and the pass secures what mkdocs wrote."""
    page = PAGES[0][1].replace("</body>", "<p>\ud800</p></body>")
    securer = PageSecurer(None)
    assert securer.secure(page, Path("a/index.html")) == page and securer.used == {}
    site = write_site(tmp_path, {"a/index.html": page.encode("utf-8", errors="xmlcharrefreplace")})
    assert secure_site(site).rewritten == ("a/index.html",)


def test_the_pages_are_listed_as_pathlib_lists_them(tmp_path: Path) -> None:
    """The pass's own walk finds every .html file in the order ``sorted(rglob)`` gives (a-b/ before a/ as text,
    after it as parts)."""
    names = ["index.html", "a/index.html", "a-b/index.html", "a/b/c.html", "es/404.html", "x.htm", "b/index.html.gz"]
    for name in names:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x", encoding="utf-8")
    assert csp._html_pages(tmp_path) == sorted(tmp_path.rglob("*.html"))
    assert len(csp._html_pages(tmp_path)) == 5
