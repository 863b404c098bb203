"""A content security policy for the built site: hashes of its own inline scripts, nothing else inline.

After ``mkdocs build``, :func:`secure_site` hashes every inline ``<script>`` (and ``<style>``) of
every page (sha256 of the exact text between the tags, as UTF-8, as CSP3 does after HTML's newline
normalisation) and writes the page's policy as a ``<meta http-equiv>`` at the top of its ``<head>``
(after a charset declaration, which must stay within the first 1024 bytes), before any script. So a script injected into a page later (or by the theme's JavaScript from data,
such as search results) does not run, and neither does an inline event handler or a
``javascript:`` URL. It also writes ``site/_headers`` (Netlify, Cloudflare Pages) with the union of
every page's hashes and the headers a meta element cannot carry; :func:`nginx_snippet` gives the
same for nginx.

Given a record (``.press/cache/csp.json``, :attr:`tools.layout.Layout.csp_record`), a page whose bytes are
those of a page scanned clean before (by sha256) takes its recorded scan instead of being parsed: after one
edit only the pages mkdocs wrote differently are parsed, and every page comes out as a full pass makes it.
Only a clean page is recorded, so a refused page is refused on every run; a missing or damaged record (or
one written by another version of this module) only means that every page is parsed.

A page whose own markup holds an inline event handler, a ``javascript:`` URL or a ``style``
attribute is an error: the policy would silently break it (or someone's text got into the page as
markup). The policy certifies the build's output: a ``<script>`` the build itself wrote into a page
is hashed like the theme's, so text must be escaped before it reaches the site.
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import orjson

from tools.errors import PressError
from tools.fsutil import data_sha, file_sha, json_bytes, relative_name, text_sha, write_atomic

HEADERS_FILE = "_headers"
OURS = "data-press-csp"  # marks the meta element this module writes, so a second run replaces it
# Allowed beside the page's hashes. mkdocs-material needs only its own origin: its scripts, the
# search worker (worker-src falls back to script-src) and the search index (connect-src to
# default-src) come from 'self'; its stylesheet draws its icons as data: SVG images (mask-image,
# which img-src governs: Chromium refuses a titled admonition's icon without data:). style-src has no 'unsafe-inline': the built pages carry no style
# attribute and no <style> element, and the theme's scripts set styles through the CSSOM (allowed),
# so an injected style (a fake overlay on an article) is refused; a <style> element the build
# writes is hashed.
DIRECTIVES = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
}
HEADER_ONLY = {"frame-ancestors": "'none'"}  # a <meta> policy cannot carry frame-ancestors
OTHER_HEADERS = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "strict-origin-when-cross-origin"}
HEADER_LINE_LIMIT = 2000  # Cloudflare Pages refuses longer lines in _headers
# What HTML runs as a script (the "prepare the script element" steps); any other type is data.
SCRIPT_TYPES = {"", "module", "importmap", "speculationrules", "application/ecmascript", "application/javascript"}
SCRIPT_TYPES |= {"application/x-ecmascript", "application/x-javascript", "text/ecmascript", "text/javascript"}
SCRIPT_TYPES |= {f"text/javascript1.{minor}" for minor in range(6)}
SCRIPT_TYPES |= {"text/jscript", "text/livescript", "text/x-ecmascript", "text/x-javascript"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "background"}
_CODE = file_sha(Path(__file__))  # a record holds for the code that wrote it


@dataclass(frozen=True)
class SitePolicy:
    """The policy of every page (by path under the site, with ``/``), the header policy, what was rewritten."""

    pages: dict[str, str]
    header: str
    rewritten: tuple[str, ...]
    parsed: tuple[str, ...] = field(default=(), compare=False)  # the pages no recorded scan served

    @property
    def headers(self) -> dict[str, str]:
        """Every header to send with every file of the site."""
        return {"Content-Security-Policy": self.header, **OTHER_HEADERS}


@dataclass(frozen=True)
class _Scan:
    """What one page holds: where the policy goes, the hashes of its inline scripts and styles, our old meta."""

    insert_at: int
    scripts: frozenset[str]
    styles: frozenset[str]
    ours: tuple[tuple[int, int], ...]


class _PageParser(HTMLParser):
    """Finds, by character offset, ``<head>``, inline scripts and styles, and our meta; stops at blocked markup."""

    def __init__(self, text: str, path: Path) -> None:
        super().__init__()
        self.text, self.path = text, path
        self.line_starts = [0] + [match.end() for match in re.finditer("\n", text)]
        self.insert_at: int | None = None
        self.after_head = False  # looking at <head>'s first element (a charset declaration stays first)
        self.open: tuple[str, int, bool] | None = None  # inline script or style: tag, content start, hashed
        self.scripts: set[str] = set()
        self.styles: set[str] = set()
        self.ours: list[tuple[int, int]] = []

    def scan(self) -> _Scan:
        self.feed(self.text)
        self.close()
        if self.insert_at is None:
            raise PressError(self.path, None, "the page has no <head>", "the policy goes at the top of <head>: add one")
        return _Scan(self.insert_at, frozenset(self.scripts), frozenset(self.styles), tuple(self.ours))

    def _offset(self) -> int:
        line, column = self.getpos()
        return self.line_starts[line - 1] + column

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        start = self._offset()
        end = start + len(self.get_starttag_text() or "")
        values = dict(reversed(attrs))  # the first of a repeated attribute counts, as in HTML
        _refuse_blocked_markup(tag, attrs, self.path, self.getpos()[0])
        if tag == "meta" and OURS in values:
            self.ours.append((start, end))
            return
        if self.after_head:
            self.after_head = False
            if tag == "meta" and _declares_charset(values):
                self.insert_at = end
        if tag == "head" and self.insert_at is None:
            self.insert_at, self.after_head = end, True
        elif tag == "style" or (tag == "script" and "src" not in values):
            self._before_policy(tag)
            self.open = (tag, end, tag == "style" or _runs(values))
        elif tag in ("script", "link"):
            self._before_policy(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)  # HTML ignores the slash of <script/>: its content runs to </script>
        if tag not in ("script", "style"):
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if self.open is None or self.open[0] != tag:
            return
        kind, start, hashed = self.open
        self.open = None
        if hashed:
            (self.scripts if kind == "script" else self.styles).add(source_hash(self.text[start : self._offset()]))

    def _before_policy(self, tag: str) -> None:
        if self.insert_at is None:
            line = self.getpos()[0]
            raise PressError(self.path, line, f"<{tag}> before <head>: no policy can cover it", "move it into <head>")


def source_hash(source: str) -> str:
    """The CSP hash source of an inline script's or style's text: ``'sha256-<base64>'``."""
    text = source.replace("\r\n", "\n").replace("\r", "\n").replace("\0", "\ufffd")  # as the browser reads it
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def policy(scripts: Iterable[str], styles: Iterable[str], header: bool = False) -> str:
    """The policy text: the fixed directives with these hashes, plus ``frame-ancestors`` for a header."""
    directives = dict(DIRECTIVES)
    directives["script-src"] = " ".join([directives["script-src"], *sorted(scripts)])
    directives["style-src"] = " ".join([directives["style-src"], *sorted(styles)])
    if header:
        directives |= HEADER_ONLY
    return "; ".join(f"{name} {value}" for name, value in directives.items())


def secure_page(text: str, path: Path, scan: _Scan | None = None) -> tuple[str, _Scan]:
    """The page with its policy (ours from an earlier run replaced), and what it holds (``scan``: as recorded)."""
    if scan is None:
        scan = _PageParser(text, path).scan()
    meta = f'<meta http-equiv="Content-Security-Policy" content="{policy(scan.scripts, scan.styles)}" {OURS}>'
    cuts = sorted([*scan.ours, (scan.insert_at, scan.insert_at)])
    pieces, done = [], 0
    for start, end in cuts:
        pieces.append(text[done:start])
        if (start, end) == (scan.insert_at, scan.insert_at):
            pieces.append(meta)
        done = end
    pieces.append(text[done:])
    return "".join(pieces), scan


def secure_site(
    site: Path,
    record: Path | None = None,
    write: Callable[[Path, bytes], object] = write_atomic,
    parts: Iterable[Path] = (),
) -> SitePolicy:
    """Write each page's policy into its ``<head>`` and ``site/_headers`` with ``write``; pages that do not change
    stay untouched. With a ``record``, pages scanned clean before are not parsed, and it is rewritten to list the
    scans of these pages. ``parts``: the scans the editions' mkdocs processes recorded as they secured their pages
    (:class:`PageSecurer`), taken like the record's (each by the sha256 of the bytes it describes) and kept in it;
    a page a part says its build wrote secured, and of the size it wrote, is not read at all (:func:`_as_written`).

    Every page not taken from a part is read and checked before anything is written, so an error leaves the site
    (and the record) as it was.
    """
    paths = _html_pages(site)
    if not paths:
        raise PressError(site, None, "no HTML page to secure", "build the site first: mkdocs build -f mkdocs.site.yml")
    known = read_scans(record) if record is not None else {}
    given: dict[str, _Scan] = {}
    written: dict[str, tuple[str, int]] = {}
    for part in parts:  # each read once: 3 MB at 3,000 articles
        data = _read_record(part)
        given |= _scans_of(data)
        written |= _written_of(data)
    known |= given
    names = {path: relative_name(path, site) for path in paths}
    trusted = _as_written(paths, names, written, given)
    raws = {path: path.read_bytes() for path in paths if path not in trusted}
    digests = {path: hashlib.sha256(raw).hexdigest() for path, raw in raws.items()} | trusted
    secured = {path: secure_page(_decode(raw, path), path, known.get(digests[path])) for path, raw in raws.items()}
    scans = {path: scan for path, (_, scan) in secured.items()} | {path: given[d] for path, d in trusted.items()}
    scripts = set().union(*(scan.scripts for scan in scans.values()))
    styles = set().union(*(scan.styles for scan in scans.values()))
    pages = {names[path]: policy(scans[path].scripts, scans[path].styles) for path in paths}
    header = policy(scripts, styles, header=True)
    headers = headers_file(SitePolicy(pages, header, ()))
    rewritten = []
    for path, (text, _) in secured.items():
        data = text.encode("utf-8")
        if data != raws[path]:
            write(path, data)
            rewritten.append(names[path])
    headers_path = site / HEADERS_FILE
    if not headers_path.is_file() or headers_path.read_bytes() != headers.encode("utf-8"):
        write(headers_path, headers.encode("utf-8"))
    if record is not None:
        by_digest = {digests[path]: scan for path, scan in scans.items()}
        write_atomic(record, scan_record(given | by_digest))  # with what mkdocs wrote before it was secured
    parsed = tuple(names[path] for path in paths if digests[path] not in known)
    return SitePolicy(pages, header, tuple(rewritten), parsed)


class PageSecurer:
    """Each page's policy written into it as mkdocs renders it (``on_post_page``), so the CSP pass after the build
    finds it in place and writes no page again; the scans it used, by the sha256 of the rendered bytes and of the
    secured ones, for :func:`secure_site` to take without parsing (:meth:`save`). A page it cannot secure (blocked
    markup) is left as it was: the CSP pass refuses it with its line."""

    def __init__(self, record: Path | None, site: Path | None = None) -> None:
        self.known = read_scans(record) if record is not None else {}
        self.used: dict[str, _Scan] = {}
        self.site = site  # where the build writes: the pages' paths are recorded under it
        self.written: dict[str, tuple[str, int]] = {}  # each page secured: its path, its bytes' sha256 and size

    def secure(self, text: str, path: Path) -> str:
        """``text`` with its policy (or as it was, when it cannot have one here), for the page mkdocs writes at
        ``path`` as it is returned (UTF-8)."""
        try:
            digest = text_sha(text)
            secured, scan = secure_page(text, path, self.known.get(digest))
            data = secured.encode("utf-8")
        except (PressError, UnicodeError):  # mkdocs writes a lone surrogate as a character reference: the pass
            return text
        if scan.ours:  # it had our policy already: the pass reads it again
            return secured
        end = scan.insert_at + len(secured) - len(text)
        secured_digest = hashlib.sha256(data).hexdigest()
        self.used[digest] = scan
        self.used[secured_digest] = _Scan(scan.insert_at, scan.scripts, scan.styles, ((scan.insert_at, end),))
        if self.site is None or path.is_relative_to(self.site):  # elsewhere: the pass reads it
            where = path.relative_to(self.site) if self.site is not None else path
            self.written[where.as_posix()] = (secured_digest, len(data))
        return secured

    def save(self, part: Path) -> None:
        """The scans used and the pages secured, as a record :func:`secure_site` reads among its ``parts``."""
        write_atomic(part, scan_record(self.used, self.written))


def scan_record(scans: dict[str, _Scan], written: dict[str, tuple[str, int]] | None = None) -> bytes:
    """The record of clean pages' scans by the sha256 of their bytes, for this version of this module; an edition's
    part also lists the pages its build ``written`` secured (path → sha256 and size)."""
    entries = {
        digest: [scan.insert_at, sorted(scan.scripts), sorted(scan.styles), [list(cut) for cut in scan.ours]]
        for digest, scan in sorted(scans.items())
    }
    data: dict = {"code": _CODE, "check": _check(entries), "scans": entries}
    if written is not None:
        pages = {path: list(mark) for path, mark in sorted(written.items())}
        data |= {"written": pages, "written_check": _check(pages)}
    return json_bytes(data) + b"\n"


def _check(entries: dict) -> str:
    """The checksum of a record's scans: what the writer wrote, the reader must find."""
    return data_sha(entries)


def read_scans(record: Path) -> dict[str, _Scan]:
    """The scans a record holds; none when it is missing, damaged (its check fails) or from another version."""
    return _scans_of(_read_record(record))


def read_written(part: Path) -> dict[str, tuple[str, int]]:
    """The pages an edition's part says its build wrote secured (path → sha256 and size); none when it lists none,
    is damaged (its check fails) or is from another version."""
    return _written_of(_read_record(part))


def _read_record(path: Path) -> dict:
    """A record or an edition's part as JSON data, of this version of this module; {} when it is not."""
    try:
        data = orjson.loads(path.read_bytes())
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) and data.get("code") == _CODE else {}


def _scans_of(data: dict) -> dict[str, _Scan]:
    try:
        entries = data["scans"]
        if data["check"] != _check(entries):
            return {}
        return {str(digest): _entry_scan(entry) for digest, entry in entries.items()}
    except (ValueError, KeyError, TypeError, AttributeError):
        return {}


def _written_of(data: dict) -> dict[str, tuple[str, int]]:
    try:
        pages = data["written"]
        if data["written_check"] != _check(pages):
            return {}
        return {str(path): (str(digest), int(size)) for path, (digest, size) in pages.items()}
    except (ValueError, KeyError, TypeError, AttributeError):
        return {}


def _html_pages(site: Path) -> list[Path]:
    """Every ``.html`` file under ``site``, in ``sorted(site.rglob("*.html"))``'s order, by ``os.walk``: pathlib's
    recursive glob took 0.9 s over the 8,700 pages of 3,000 articles, this a fifth of it. Links are not followed,
    as ``rglob`` does not."""
    found = [os.path.join(top, name) for top, _, names in os.walk(site) for name in names if name.endswith(".html")]
    found.sort(key=lambda path: path.split(os.sep))  # by parts, as paths sort
    return [Path(path) for path in found]


def _as_written(
    paths: list[Path], names: dict[Path, str], written: dict[str, tuple[str, int]], scans: dict[str, _Scan]
) -> dict[Path, str]:
    """The pages (and their sha256) that an edition's build wrote secured, as it wrote them: those its part lists,
    with a scan of their bytes, and of the size it wrote. Not read again: the part was written by the build that
    wrote the page into this staging folder moments ago; a page changed since (of another size) is read."""
    trusted = {}
    for path in paths:
        mark = written.get(names[path])
        if mark is not None and mark[0] in scans and path.stat().st_size == mark[1]:
            trusted[path] = mark[0]
    return trusted


def _entry_scan(entry: list) -> _Scan:
    insert_at, scripts, styles, ours = entry
    if not isinstance(insert_at, int) or not all(isinstance(x, str) for x in [*scripts, *styles]):
        raise TypeError("not a scan")
    cuts = tuple((int(start), int(end)) for start, end in ours)
    return _Scan(insert_at, frozenset(scripts), frozenset(styles), cuts)


def headers_file(site_policy: SitePolicy) -> str:
    """``_headers`` for Netlify and Cloudflare Pages: every header on every path."""
    lines = ["# Written by press (tools/csp.py) after mkdocs build; do not edit.", "/*"]
    lines += [f"  {name}: {value}" for name, value in site_policy.headers.items()]
    too_long = [line for line in lines if len(line) > HEADER_LINE_LIMIT]
    if too_long:
        message = f"a line of {len(too_long[0])} characters: Cloudflare Pages takes at most {HEADER_LINE_LIMIT}"
        fix = "fewer distinct inline scripts in the theme's templates (each adds a hash)"
        raise PressError(HEADERS_FILE, lines.index(too_long[0]) + 1, message, fix)
    return "\n".join(lines) + "\n"


def nginx_snippet(site_policy: SitePolicy) -> str:
    """The same headers as nginx ``add_header`` lines, for the ``server`` block that serves ``site/``."""
    lines = [
        "# The site's security headers (written by press, tools/csp.py). nginx drops the add_header lines of an",
        "# enclosing block from any block that has add_header lines of its own: repeat these there.",
    ]
    lines += [f'add_header {name} "{value}" always;' for name, value in site_policy.headers.items()]
    return "\n".join(lines) + "\n"


def _decode(raw: bytes, path: Path) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise PressError(path, line, f"not UTF-8 (byte 0x{raw[error.start]:02X})", "write the page as UTF-8") from None


def _runs(values: dict[str, str | None]) -> bool:
    """Whether HTML runs a ``<script>`` with these attributes (``type="application/json"`` is data)."""
    kind = values.get("type")
    if kind is None:
        language = values.get("language")
        kind = f"text/{language}" if language else ""
    return kind.strip(" \t\n\f\r").lower() in SCRIPT_TYPES


def _declares_charset(values: dict[str, str | None]) -> bool:
    return "charset" in values or (values.get("http-equiv") or "").strip().lower() == "content-type"


def _refuse_blocked_markup(tag: str, attrs: list[tuple[str, str | None]], path: Path, line: int) -> None:
    """An inline event handler, ``style`` attribute or ``javascript:`` URL: the policy blocks it, so it is an error."""
    for name, value in attrs:
        if name.startswith("on") or name == "style":
            what = "inline event handler" if name.startswith("on") else "style attribute"
        elif name in URL_ATTRIBUTES and _is_javascript_url(value or ""):
            what = "javascript: URL"
        else:
            continue
        fix = (
            "escape the text that put it there, or move it to a script or stylesheet file (extra_javascript, extra_css)"
        )
        raise PressError(path, line, f"{what} {name}= on <{tag}>: the content security policy blocks it", fix)


def _is_javascript_url(value: str) -> bool:
    """As URL parsing reads it: tabs and newlines anywhere and leading controls and spaces do not count."""
    url = re.sub("[\t\n\r]", "", value).lstrip("".join(map(chr, range(33))))
    return url.lower().startswith("javascript:")
