"""``python -m tools.screenshots``: the README's screenshots, taken of the site ``make`` built.

Serves ``site/`` on 127.0.0.1 and loads its pages in Debian's Chromium (driven by Playwright, as the browser
tests do; nothing is downloaded): the newest article with a glossary term's tooltip, its Spanish edition, the
front page at 1280 and 390 px, and the Spanish article on a phone. A request to any other origin is refused.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from tools.axe import CHROMIUM, FLAGS
from tools.fsutil import write_atomic
from tools.layout import Layout
from tools.siteserver import serve

DESKTOP, PHONE = (1280, 900), (390, 844)
# (file, viewport, page: "front" or "article", the edition's folder ("" for the source), hover a term)
SHOTS = (
    ("site-tooltip.png", DESKTOP, "article", "", True),
    ("site-spanish.png", DESKTOP, "article", "es/", False),
    ("front-page-1280.png", DESKTOP, "front", "", False),
    ("front-page-390.png", PHONE, "front", "", False),
    ("article-es-390.png", PHONE, "article", "es/", False),
)


def take(site: Path, out: Path, term: str) -> list[Path]:
    """Every shot of :data:`SHOTS` of the built ``site`` into ``out``; the tooltip is ``term``'s (a glossary id)."""
    from playwright.sync_api import expect, sync_playwright

    written = []
    with serve(site) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page()
        page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(base) else route.abort())
        page.goto(f"{base}/")
        article = page.locator("h2.press-entry a").first.get_attribute("href").strip("./")
        for name, (width, height), kind, edition, hover in SHOTS:
            page.set_viewport_size({"width": width, "height": height})
            page.goto(f"{base}/{edition}{article}/" if kind == "article" else f"{base}/{edition}")
            if hover:
                page.locator(f'article a[href$="glossary/#{term}"]').first.hover()
                tooltip = page.locator(".md-tooltip2--active")
                tooltip.wait_for(state="visible")
                expect(tooltip).to_have_css("opacity", "1")  # faded in
            write_atomic(out / name, page.screenshot())
            written.append(out / name)
        browser.close()
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.screenshots", description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, default=Layout(Path(".")).site, help="the built site (default: site)")
    parser.add_argument("--out", type=Path, default=Path("screenshots"), help="where the PNGs go")
    parser.add_argument("--term", default="shadow-fleet", help="the glossary term whose tooltip is shown")
    args = parser.parse_args(argv)
    if not (args.site / "index.html").is_file():
        parser.error(f"{args.site}/index.html is missing; fix: run make first")
    for path in take(args.site, args.out, args.term):
        print(f"{path}: written")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
