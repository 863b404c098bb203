"""axe-core in Chromium over every page type of a built site, at a desktop and a phone width.

:func:`page_types` picks one page of each type from each edition of a built site (front page, older
front pages, article, glossary, downloads, archive, archive month, redirect, any other page) and an
address that does not exist (answered by the edition's 404 page). :func:`audit` serves the site on a
free 127.0.0.1 port (:mod:`tools.siteserver`), opens each page in Debian's Chromium through Playwright
at 1280 and 390 px, injects axe-core (``node_modules/axe-core``, installed from ``package-lock.json`` by
``make node-deps``) with ``page.evaluate`` (it runs under the site's content security policy) and
returns what it finds as diagnostics. The rules: WCAG 2.0, 2.1 and 2.2, levels A and AA, and axe's
best practices (a dialog's name is one). A serious or critical violation is an error, a moderate or
minor one a warning. So are what a page must never do, seen on the way (:class:`Watch`): a request
outside the site's origin, a console error.

A redirect page is audited as a reader whose browser does not follow automatic refreshes sees it
(its meta refresh taken out of the response the browser gets); the article it leads to is audited as
an article.

``python -m tools.axe [SITE]`` (``make check``) prints the diagnostics and fails on an error.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import sync_playwright

from tools.diagnostics import ERROR, WARNING, Diagnostic, exit_status, summary, tally
from tools.layout import DOWNLOADS, Layout
from tools.publish.model import GLOSSARY_PAGE
from tools.publish.site import ARCHIVE, PAGES
from tools.siteserver import NOT_FOUND, serve

AXE_SCRIPT = Path(__file__).resolve().parents[1] / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
WIDTHS = {1280: 900, 390: 844}  # a desktop and a phone: width → height, in CSS pixels
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
FAILING = {"serious", "critical"}
MISSING = "press-no-such-page"  # an address no site has: its edition's 404 page answers
_REFRESH = re.compile(r'<meta http-equiv="refresh"[^>]*>', re.IGNORECASE)
_LANG = re.compile(r'<html[^>]*\slang="([^"]+)"')
_ARTICLE = '<meta property="og:type" content="article">'
_FIX = "make node-deps (installs node_modules/ from package-lock.json)"


@dataclass(frozen=True)
class Visit:
    """A page to open: its type, its address under the site's root (``""`` or ending in ``/``), the file
    that answers, its edition's language and the status it must answer with."""

    kind: str
    path: str
    file: Path
    lang: str
    status: int = 200


def kind_of(parts: tuple[str, ...], markup: str) -> str:
    """The type of the page at ``parts`` (its folder under its edition's) with this markup."""
    if _REFRESH.search(markup):
        return "redirect"
    if not parts:
        return "front page"
    if parts[0] == PAGES:
        return "older front page"
    if parts[0] == ARCHIVE:
        return "archive" if len(parts) == 1 else "archive month"
    if parts == (Path(GLOSSARY_PAGE).stem,):
        return "glossary"
    if parts == (DOWNLOADS,):
        return "downloads"
    return "article" if _ARTICLE in markup else "page"


def editions(site: Path) -> list[str]:
    """The folder of each edition under ``site``: ``""`` for the root one, then each folder with its own 404 page."""
    return [""] + sorted(d.name for d in site.iterdir() if d.is_dir() and (d / NOT_FOUND).is_file())


def page_types(site: Path) -> list[Visit]:
    """One page of each type in each edition of the built ``site`` (the first by path), and a missing address."""
    folders = editions(site)
    visits = []
    for folder in folders:
        base = site / folder
        prefix = f"{folder}/" if folder else ""
        match = _LANG.search((base / "index.html").read_text(encoding="utf-8"))
        lang = match.group(1) if match else ""
        first: dict[str, Path] = {}
        for page in sorted(base.rglob("index.html")):
            parts = page.parent.relative_to(base).parts
            if folder or not parts or parts[0] not in folders:  # the root edition's pages, not another's
                first.setdefault(kind_of(parts, page.read_text(encoding="utf-8")), page)
        for kind, page in first.items():
            address = page.parent.relative_to(base).as_posix()
            visits.append(Visit(kind, prefix + ("" if address == "." else f"{address}/"), page, lang))
        visits.append(Visit("not found", f"{prefix}{MISSING}/", base / NOT_FOUND, lang, 404))
    return visits


@dataclass
class Watch:
    """What a page did that no page may do: requests outside the site's origin, console errors, uncaught
    exceptions. A document that answered 404 is the one console error expected (when a 404 was asked for)."""

    origin: str
    foreign: list[str] = field(default_factory=list)
    console: list[tuple[str, str]] = field(default_factory=list)  # (text, the URL it concerns)
    not_found: set[str] = field(default_factory=set)  # documents that answered 404

    def attach(self, page: Any) -> Watch:
        page.on("request", self._request)
        page.on("response", self._response)
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.console.append((f"uncaught exception: {error}", "")))
        return self

    def _request(self, request: Any) -> None:
        if not request.url.startswith((f"{self.origin}/", "data:")):
            self.foreign.append(request.url)

    def _response(self, response: Any) -> None:
        if response.status == 404 and response.request.resource_type == "document":
            self.not_found.add(response.url)

    def _console(self, message: Any) -> None:
        if message.type == "error":
            self.console.append((message.text, message.location.get("url", "")))

    @property
    def errors(self) -> list[str]:
        """The console errors, but for a 404 document's own (the answer a missing address must get)."""
        expected = "Failed to load resource: the server responded with a status of 404"
        return [text for text, url in self.console if not (text.startswith(expected) and url in self.not_found)]


def audit(site: Path, visits: list[Visit] | None = None, script: Path = AXE_SCRIPT) -> list[Diagnostic]:
    """axe-core's findings (and any foreign request or console error) on ``visits`` (default: every page type of
    ``site``) at each width of ``WIDTHS``."""
    if not script.is_file():
        return [Diagnostic(script, None, ERROR, "axe", "axe-core is not installed", _FIX)]
    if not Path(CHROMIUM).is_file():
        return [Diagnostic(CHROMIUM, None, ERROR, "axe", "Chromium is not installed", "sudo apt-get install chromium")]
    source = script.read_text(encoding="utf-8")
    visits = page_types(site) if visits is None else visits
    found: list[Diagnostic] = []
    with serve(site) as origin, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            for width, height in WIDTHS.items():
                context = browser.new_context(viewport={"width": width, "height": height})
                for visit in visits:
                    found += _audit_page(context, origin, visit, width, source)
                context.close()
        finally:
            browser.close()
    return found


def _audit_page(context: Any, origin: str, visit: Visit, width: int, source: str) -> list[Diagnostic]:
    page = context.new_page()
    watch = Watch(origin).attach(page)
    url = f"{origin}/{visit.path}"
    if visit.kind == "redirect":
        page.route(url, _without_refresh)
    where = f"{visit.kind} /{visit.path} at {width} px"
    try:
        response = page.goto(url)
        page.wait_for_load_state("networkidle")
        page.evaluate(source)
        results = page.evaluate("options => axe.run(document, options)", _options())
    except PlaywrightError as error:
        message = " ".join(str(error).split())[:300]
        return [Diagnostic(visit.file, None, ERROR, "browser", f"{where}: {message}", "open the page and see")]
    finally:
        page.close()
    found = [_diagnostic(rule, visit, where) for rule in results["violations"]]
    status = response.status if response else None
    if status != visit.status:
        found.append(Diagnostic(visit.file, None, ERROR, "status", f"{where}: answered {status}, not {visit.status}"))
    found += [Diagnostic(visit.file, None, ERROR, "foreign request", f"{where}: {u}") for u in watch.foreign]
    found += [Diagnostic(visit.file, None, ERROR, "console error", f"{where}: {e}") for e in watch.errors]
    return found


def _options() -> dict[str, Any]:
    return {"runOnly": {"type": "tag", "values": TAGS}, "resultTypes": ["violations"]}


def _without_refresh(route: Any) -> None:
    """The redirect page as a reader who turned automatic refreshes off gets it."""
    response = route.fetch()
    route.fulfill(response=response, body=_REFRESH.sub("", response.text()))


def _diagnostic(rule: dict[str, Any], visit: Visit, where: str) -> Diagnostic:
    """One rule's violation on one page at one width: its elements counted, the first one named."""
    impact = rule.get("impact") or "minor"
    nodes = rule.get("nodes") or [{}]
    target = " ".join(str(t) for t in nodes[0].get("target", []))
    fix = " ".join(str(nodes[0].get("failureSummary", "")).split())
    message = f"{where}: {rule['help']} ({impact}; {len(nodes)} element(s), the first: {target})"
    severity = ERROR if impact in FAILING else WARNING
    return Diagnostic(visit.file, None, severity, f"axe {rule['id']}", message, fix, visit.lang)


def main(argv: list[str] | None = None) -> int:
    """``python -m tools.axe [SITE]``: audit a built site (default ``site``); 1 on any error."""
    args = sys.argv[1:] if argv is None else argv
    site = Path(args[0]) if args else Layout(Path(".")).site
    if not (site / "index.html").is_file():
        print(f"error: {site}: no built site here; fix: make site", file=sys.stderr)
        return 1
    visits = page_types(site)
    found = audit(site, visits)
    for diagnostic in found:
        print(diagnostic)
    kinds = sorted({f"{v.kind} ({v.lang})" for v in visits})
    print(
        f"axe-core: {len(visits)} pages at {len(WIDTHS)} widths ({', '.join(kinds)}): {summary(found)}; {tally(found)}"
    )
    return exit_status(found, strict=False)


if __name__ == "__main__":
    raise SystemExit(main())
