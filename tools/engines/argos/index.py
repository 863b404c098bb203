"""The Argos package index: which models exist, and our own download of one, resumable and checksummed.

The index is ``$ARGOS_PACKAGE_INDEX`` (Argos's variable; it ends in ``/``) + ``index.json``: a list
of entries with ``from_code``, ``to_code``, ``package_version``, ``argos_version`` and ``links``.
It is hostile input: every entry is checked, one we cannot use is skipped with the reason, and only
its ``http(s)`` links are followed (redirects too stay on http(s)); ``file:``, ``ipfs:`` and any
other scheme are never opened. One attempt with a short timeout: offline, or a broken index, is one
line naming the URL and the fix (Argos's own client retries about a thousand times).

A download goes to ``<packages>/.downloads/translate-en_uk-1_9.argosmodel.part`` (the version is in
the name: Argos caches by pair and never fetches a new version); an interrupted one is resumed with
an HTTP ``Range`` request, or restarted from zero when the server does not do ranges. Then its
sha256 is checked, the package goes through the safe install of :mod:`tools.engines.argos.install`, and
the sha256 is recorded beside it as ``<packages>/translate-en_uk-1_9.sha256`` (``sha256sum`` format).

Checksums: the Argos index carries none. An entry may carry ``sha256`` (our own field; an index of
a newsroom's mirror should): a download that does not match is deleted and nothing is installed.
Without it the download is trusted on first use, and the zip's CRCs and a model that loads are the
check; the recorded sha256 then guards a re-download of the same version (a reinstall), which must
give the same bytes. Installing a version of a pair replaces the other versions of that pair.
"""

from __future__ import annotations

import fcntl
import hashlib
import http.client
import json
import os
import re
import shutil
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from tools import __version__
from tools.diagnostics import one_line, shown
from tools.engines.argos.install import MAX_UNPACKED, install
from tools.engines.argos.packages import (
    FOLDER_FIX,
    DuplicateKeyError,
    installed_packages,
    metadata_problem,
    mib,
    package_name,
    packages_dir,
    scan_packages,
    unique_keys,
)
from tools.errors import PressError
from tools.fsutil import write_atomic

DEFAULT_INDEX = "https://raw.githubusercontent.com/argosopentech/argospm-index/main/"  # Argos's default
INDEX_FILE = "index.json"
INDEX_TIMEOUT_S = 10
DOWNLOAD_TIMEOUT_S = 30  # per read: a stalled connection ends the attempt; the next run resumes
MAX_INDEX = 16 * 1024**2
MAX_ENTRIES = 10_000
MAX_NAME = 80
DOWNLOADS = ".downloads"
REMOVING_PREFIX = ".removing-"
CHUNK = 256 * 1024
SHA256 = re.compile(r"[0-9a-f]{64}")
WEB_SCHEMES = ("http", "https")
INDEX_FIX = (
    "check the connection, or set ARGOS_PACKAGE_INDEX to a reachable index (its URL ends in /), "
    "or download the .argosmodel file elsewhere and run press models install FILE"
)
RESUME_FIX = "run the same command again: the download resumes where it stopped"

Progress = Callable[[int, int | None], None]


@dataclass(frozen=True)
class IndexEntry:
    """One package the index offers: a language pair, a version, where to download it, its sha256 if known."""

    from_code: str
    to_code: str
    version: str
    argos_version: str
    links: tuple[str, ...]
    sha256: str | None = None
    from_name: str = ""
    to_name: str = ""

    @property
    def name(self) -> str:
        """The package's installed folder and file stem: ``translate-en_uk-1_9``."""
        return package_name({"from_code": self.from_code, "to_code": self.to_code, "package_version": self.version})

    @property
    def file_name(self) -> str:
        return f"{self.name}.argosmodel"

    @property
    def pair(self) -> str:
        return f"{self.from_code}→{self.to_code}"


@dataclass
class Index:
    """The index at ``url``: the entries we can use, and why each other entry was skipped."""

    url: str
    entries: list[IndexEntry] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def version_key(version: str) -> tuple[int, ...]:
    """A package version ("1.9", "1.9.6") as numbers, to compare: 1.10 is newer than 1.9."""
    return tuple(int(part) for part in version.split("."))


def index_url() -> str:
    """The index's URL: ``$ARGOS_PACKAGE_INDEX`` + ``index.json``, or Argos's default index."""
    base = os.environ.get("ARGOS_PACKAGE_INDEX") or DEFAULT_INDEX
    fix = f"export ARGOS_PACKAGE_INDEX={DEFAULT_INDEX} (an http or https URL ending in /), or unset it"
    if problem := link_problem(base):
        shown = "its URL" if "password" in problem else _shown(base)  # never echo a credential
        raise PressError("ARGOS_PACKAGE_INDEX", None, f"{shown}: {problem}", fix)
    if not base.endswith("/"):
        raise PressError("ARGOS_PACKAGE_INDEX", None, f"{_shown(base)} does not end in / (Argos adds index.json)", fix)
    return base + INDEX_FILE


def link_problem(url: object) -> str | None:
    """Why ``url`` is not a link we may open (only plain http and https), or None."""
    if not isinstance(url, str):
        return "not a text"
    if any(ord(char) <= 32 or ord(char) == 127 for char in url):
        return "a space or control character in the URL"
    parts = urllib.parse.urlsplit(url)
    if parts.scheme.lower() not in WEB_SCHEMES:
        return f"not an http or https URL (scheme {parts.scheme or 'none'!r})"
    if not parts.hostname:
        return "no host in the URL"
    if parts.username or parts.password:
        return "a user name or password in the URL"
    return None


def load_index(url: str | None = None) -> Index:
    """Fetch and check the index (one attempt, a short timeout); a PressError naming the URL if unusable."""
    url = url or index_url()
    raw = _fetch_index(url)
    try:
        document = json.loads(raw.decode("utf-8"), object_pairs_hook=unique_keys)
    except UnicodeDecodeError:
        raise PressError(url, None, "the index is not UTF-8", INDEX_FIX) from None
    except json.JSONDecodeError as exc:
        raise PressError(url, None, f"the index is not valid JSON (line {exc.lineno}: {exc.msg})", INDEX_FIX) from None
    except DuplicateKeyError as exc:
        raise PressError(url, None, f"the index has the key {_shown(str(exc))} twice in one entry", INDEX_FIX) from None
    except RecursionError:
        raise PressError(url, None, "the index is nested too deeply", INDEX_FIX) from None
    if not isinstance(document, list) or len(document) > MAX_ENTRIES:
        raise PressError(url, None, f"the index must be a list of at most {MAX_ENTRIES} packages", INDEX_FIX)
    index, seen = Index(url), set()
    for number, item in enumerate(document, 1):
        entry = _entry(item)
        if isinstance(entry, str):
            index.skipped.append(f"entry {number}: {entry}")
        elif (entry.from_code, entry.to_code, entry.version) in seen:
            index.skipped.append(f"entry {number}: {entry.pair} {entry.version} is listed twice (the first is kept)")
        else:
            seen.add((entry.from_code, entry.to_code, entry.version))
            index.entries.append(entry)
    index.entries.sort(key=lambda e: (e.from_code, e.to_code, version_key(e.version)))
    return index


def _fetch_index(url: str) -> bytes:
    try:
        with _opener().open(_request(url), timeout=INDEX_TIMEOUT_S) as response:
            raw = response.read(MAX_INDEX + 1)
    except urllib.error.HTTPError as exc:
        raise PressError(url, None, f"the index answered HTTP {exc.code} {_reason(exc)}", INDEX_FIX) from None
    except (urllib.error.URLError, OSError, http.client.HTTPException, ValueError) as exc:
        raise PressError(url, None, f"cannot reach the package index: {_reason(exc)}", INDEX_FIX) from None
    if len(raw) > MAX_INDEX:
        raise PressError(url, None, f"the index is larger than {MAX_INDEX // 1024**2} MiB", INDEX_FIX)
    return raw


def _entry(item: object) -> IndexEntry | str:
    """The entry, or why it cannot be used."""
    if problem := metadata_problem(item):
        return problem[1]
    if item.get("type", "translate") != "translate":
        return f"a package of type {_shown(item.get('type'))}, not a translation model"
    links = item.get("links")
    if not isinstance(links, list) or not links:
        return "links must be a list of URLs"
    usable = tuple(link for link in links if link_problem(link) is None)
    if not usable:
        return f"no http or https link ({_shown(links[0])}: {link_problem(links[0])})"
    digest = item.get("sha256")
    if digest is not None and not (isinstance(digest, str) and SHA256.fullmatch(digest)):
        return f"sha256 must be 64 lowercase hexadecimal digits, not {_shown(digest)}"
    names = [item.get(key) for key in ("from_name", "to_name")]
    names = [name if isinstance(name, str) and name.isprintable() else "" for name in names]
    return IndexEntry(
        item["from_code"],
        item["to_code"],
        item["package_version"],
        item["argos_version"],
        usable,
        digest,
        names[0][:MAX_NAME],
        names[1][:MAX_NAME],
    )


def find(index: Index, source: str, target: str, version: str | None = None) -> IndexEntry:
    """The newest entry for source → target (or the one of ``version``); a PressError with what there is."""
    matching = [e for e in index.entries if e.from_code == source and e.to_code == target]
    if version is not None:
        chosen = next((e for e in matching if e.version == version), None)
        if chosen is None:
            versions = ", ".join(e.version for e in matching) or "none"
            fix = f"use one of these versions: {versions}" if matching else "press models available lists them"
            raise PressError(index.url, None, f"no version {_shown(version)} of {source}→{target} in the index", fix)
        return chosen
    if not matching:
        targets = sorted({e.to_code for e in index.entries if e.from_code == source})
        fix = f"from {source} it has: {', '.join(targets)}" if targets else "press models available lists the pairs"
        raise PressError(index.url, None, f"the index has no model for {source}→{target}", fix)
    return matching[-1]


def install_entry(entry: IndexEntry, progress: Progress | None = None) -> tuple[object, str]:
    """Download ``entry`` (resuming), check it, install it safely, record its sha256; the package and the sha256.

    The package must be the entry's pair and version (its metadata is read before anything is unpacked);
    other installed versions of the pair are removed once the new one is in place.
    """
    folder = packages_dir()
    archive = download(entry, folder / DOWNLOADS, progress)
    digest = _sha256(archive)
    try:
        _check_digest(entry, digest, folder)
        package = install(archive, expect=(entry.from_code, entry.to_code, entry.version))
    except PressError:
        archive.unlink(missing_ok=True)
        raise
    write_atomic(record_path(folder, entry.name), f"{digest}  {entry.file_name}\n")
    remove_pair(entry.from_code, entry.to_code, keep=entry.name)
    archive.unlink(missing_ok=True)
    return package, digest


def record_path(folder: Path, name: str) -> Path:
    """Where the sha256 of the downloaded package ``name`` is recorded: beside its folder."""
    return folder / f"{name}.sha256"


def download(entry: IndexEntry, folder: Path, progress: Progress | None = None) -> Path:
    """Download the entry's package into ``folder`` (resuming a ``.part`` file); the whole file's path."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        part = folder / f"{entry.file_name}.part"
        handle = open(part, "ab")  # noqa: SIM115 - held open (and locked) for the whole download
    except OSError as exc:
        raise PressError(folder, None, f"cannot write the downloads folder: {exc.strerror}", FOLDER_FIX) from None
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            raise PressError(part, None, "another press models install is downloading it", "wait for it") from None
        link = entry.links[0]
        _fetch_into(link, handle, part, progress)
        final = folder / entry.file_name
        os.replace(part, final)
    return final


def _fetch_into(link: str, handle, part: Path, progress: Progress | None) -> None:
    """Append the rest of ``link`` to the open ``part`` file (or start it again if the server cannot resume)."""
    offset = part.stat().st_size
    try:
        response = _open_download(link, offset)
        if response is None:  # the range is past the end: what we have is stale, start again
            handle.truncate(0)
            offset, response = 0, _open_download(link, 0)
    except urllib.error.HTTPError as exc:
        raise PressError(link, None, f"the download answered HTTP {exc.code} {_reason(exc)}", _download_fix()) from None
    except (urllib.error.URLError, OSError, http.client.HTTPException, ValueError) as exc:
        raise PressError(link, None, f"cannot download: {_reason(exc)}", _download_fix()) from None
    with response:
        if offset and not _resumes(response, offset):
            handle.truncate(0)
            offset = 0
        length = response.headers.get("Content-Length")
        total = offset + int(length) if length and length.isdigit() else None
        if total is not None and total > MAX_UNPACKED:
            raise PressError(link, None, f"the package is {mib(total)}, more than a package may be", INDEX_FIX)
        done = _copy(response, handle, offset, total, progress, link)
    if total is not None and done < total:
        message = f"the download stopped at {mib(done)} of {mib(total)}"
        raise PressError(link, None, message, RESUME_FIX)


def _open_download(link: str, offset: int):
    """The response to a GET of ``link`` from byte ``offset``; None when the server says that range is past the end."""
    headers = {"Range": f"bytes={offset}-"} if offset else {}
    try:
        return _opener().open(_request(link, headers), timeout=DOWNLOAD_TIMEOUT_S)
    except urllib.error.HTTPError as exc:
        if exc.code == 416 and offset:
            exc.close()
            return None
        raise


def _resumes(response, offset: int) -> bool:
    """True when the server answered a range request with the bytes from ``offset`` on."""
    if response.status != 206:
        return False
    match = re.fullmatch(r"bytes (\d+)-\d+/(\d+|\*)", response.headers.get("Content-Range", "").strip())
    return bool(match) and int(match[1]) == offset


def _copy(response, handle, done: int, total: int | None, progress: Progress | None, link: str) -> int:
    """Append the response's body to ``handle``, flushed to disk; the bytes the file now holds."""
    try:
        while chunk := response.read(CHUNK):
            handle.write(chunk)
            done += len(chunk)
            if progress:
                progress(done, total)
            if done > MAX_UNPACKED:
                raise PressError(link, None, "the download is larger than a package may be", INDEX_FIX)
    except (http.client.IncompleteRead, OSError, http.client.HTTPException) as exc:
        handle.flush()
        message = f"the download stopped at {mib(done)}" + (f" of {mib(total)}" if total else "")
        raise PressError(link, None, f"{message}: {_reason(exc)}", RESUME_FIX) from None
    finally:
        handle.flush()
        os.fsync(handle.fileno())
    return done


def _check_digest(entry: IndexEntry, digest: str, folder: Path) -> None:
    """A PressError unless the download's sha256 matches the index's and the one recorded before, where known."""
    link = entry.links[0]
    if entry.sha256 and digest != entry.sha256:
        message = f"sha256 mismatch: the index says {entry.sha256}, the download is {digest}; it was deleted"
        fix = "run the command again; if it fails again, the package or the index changed: tell the index's keeper"
        raise PressError(link, None, message, fix)
    record = record_path(folder, entry.name)
    recorded = _recorded(record)
    if recorded and digest != recorded:
        message = f"not the file installed before: sha256 {digest}, but {record} says {recorded}; it was deleted"
        fix = f"if the publisher replaced {entry.file_name} on purpose, delete {record} and install again"
        raise PressError(link, None, message, fix)


def _recorded(record: Path) -> str | None:
    try:
        text = record.read_text(encoding="ascii")
    except (OSError, UnicodeDecodeError):
        return None
    digest = text.split(maxsplit=1)[0] if text.strip() else ""
    return digest if SHA256.fullmatch(digest) else None


def installed_versions(source: str, target: str) -> list:
    """The installed packages of source → target (``argostranslate.package.Package``), oldest first."""
    packages = [p for p in installed_packages() if (p.from_code, p.to_code) == (source, target)]
    return sorted(packages, key=lambda p: version_key(p.package_version))


def remove_pair(source: str, target: str, keep: str | None = None) -> list[Path]:
    """Remove every installed package of source → target (but ``keep``), and its recorded sha256; the folders."""
    folder = packages_dir()
    good, broken = scan_packages()
    found = [(p.package_path, (p.from_code, p.to_code)) for p in good] + [(b.path, b.pair) for b in broken]
    removed = []
    for path, pair in found:
        if pair != (source, target) or path.name == keep:
            continue
        try:
            aside = Path(tempfile.mkdtemp(prefix=REMOVING_PREFIX, dir=folder)) / "package"
            os.rename(path, aside)
        except OSError as exc:
            raise PressError(path, None, f"cannot remove the package: {exc.strerror}", FOLDER_FIX) from None
        shutil.rmtree(aside.parent, ignore_errors=True)
        record_path(folder, path.name).unlink(missing_ok=True)
        removed.append(path)
    return removed


def progress_bar(name: str) -> Progress | None:
    """A one-line progress bar with size and speed on a terminal; None under CI or in a pipe."""
    if not sys.stderr.isatty() or os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        return None
    started, shown = time.monotonic(), [0.0]

    def show(done: int, total: int | None) -> None:
        now = time.monotonic()
        if now - shown[0] < 0.1 and done != total:
            return
        shown[0] = now
        speed = done / max(now - started, 1e-3) / 1024**2
        size = f"{done / 1024**2:.1f}/{total / 1024**2:.1f} MiB" if total else f"{done / 1024**2:.1f} MiB"
        filled = int(30 * done / total) if total else 0
        bar = f"[{'#' * filled}{'.' * (30 - filled)}] " if total else ""
        end = "\n" if total and done >= total else ""
        print(f"\r{name[:40]:<40} {bar}{size} {speed:.1f} MiB/s   ", end=end, file=sys.stderr, flush=True)

    return show


class _WebOnlyRedirects(urllib.request.HTTPRedirectHandler):
    """Follow redirects to http and https only (urllib would also follow one to ftp)."""

    def http_error_302(self, req, fp, code, msg, headers):
        target = urllib.parse.urljoin(req.full_url, headers.get("Location") or headers.get("URI") or "")
        if problem := link_problem(target):
            raise urllib.error.URLError(f"refused a redirect to {_shown(target)}: {problem}")
        return super().http_error_302(req, fp, code, msg, headers)

    http_error_301 = http_error_303 = http_error_307 = http_error_308 = http_error_302


def _opener() -> urllib.request.OpenerDirector:
    """urllib with web-only redirects and no file: or ftp: handlers."""
    opener = urllib.request.OpenerDirector()
    for handler in (
        urllib.request.ProxyHandler(),
        urllib.request.HTTPHandler(),
        urllib.request.HTTPSHandler(),
        urllib.request.HTTPDefaultErrorHandler(),
        _WebOnlyRedirects(),
        urllib.request.HTTPErrorProcessor(),
    ):
        opener.add_handler(handler)
    return opener


def _request(url: str, headers: dict[str, str] | None = None) -> urllib.request.Request:
    if problem := link_problem(url):
        raise urllib.error.URLError(problem)
    return urllib.request.Request(url, headers={"User-Agent": f"press/{__version__}", **(headers or {})})


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()


def _download_fix() -> str:
    return "check the connection and run the command again, or download the file elsewhere: press models install FILE"


def _reason(exc: BaseException) -> str:
    """Why a request failed, on one line of printable characters (a server's words are hostile too)."""
    return one_line(str(getattr(exc, "reason", None) or exc) or type(exc).__name__, 300)


def _shown(value: object) -> str:
    return shown(value if isinstance(value, str) else json.dumps(value, ensure_ascii=True))
