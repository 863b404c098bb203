"""The site in a real browser (Debian's Chromium, driven by Playwright), served on 127.0.0.1:
tooltips, the language switcher, search, downloads, and not one request to another origin.
Screenshots are saved in the test's output folder for a person to look at."""

from __future__ import annotations

import functools
import http.server
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import copy_project, require_command  # tests/ is on the path: helpers, not fixtures

from tools.build import build
from tools.engines.argos import install
from tools.ingest import read_seed
from tools.modelkit import build_argosmodel

CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
SLUG = "policy-of-personal-diplomacy-that-donald-trump-has"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The built site, served on 127.0.0.1; yields its base URL."""
    for command, package in (
        ("apertium", "sudo apt-get install apertium-eng-spa"),
        ("chromium", "sudo apt-get install chromium"),
    ):
        require_command(command, package)
    project = copy_project(tmp_path_factory.mktemp("project"))
    seed = read_seed(next((project / "seeds").glob("*.txt")))
    text = "\n".join([seed.title] + [p.text for p in seed.paragraphs])
    model = build_argosmodel(tmp_path_factory.mktemp("models") / "en_uk.argosmodel", text, "en", "uk")
    with pytest.MonkeyPatch.context() as patch:  # a Cyrillic edition, by the copying Argos model
        patch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path_factory.mktemp("argos")))
        install(model)
        build(project)
    mkdocs = Path(sys.executable).with_name("mkdocs")
    subprocess.run([str(mkdocs), "build", "--strict", "-q", "-f", "mkdocs.site.yml"], cwd=project, check=True,
                   env={"PATH": "/usr/bin:/bin", "NO_MKDOCS_2_WARNING": "1"})  # fmt: skip
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(project / "site"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()


@pytest.fixture
def page(site: str, tmp_path: Path):
    """A browser page that records every request it makes."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.requests = []
        page.on("request", lambda request: page.requests.append(request.url))
        yield page
        page.screenshot(path=str(tmp_path / "last.png"))
        browser.close()
        foreign = [url for url in page.requests if not url.startswith(site) and not url.startswith("data:")]
        assert foreign == [], "requests that left 127.0.0.1"


def test_glossary_tooltip(site: str, page, tmp_path: Path) -> None:
    page.goto(f"{site}/{SLUG}/")
    link = page.locator('a[href$="glossary/#shadow-fleet"]').first
    link.hover()
    tooltip = page.locator(".md-tooltip2--active")
    tooltip.wait_for(state="visible")
    assert tooltip.inner_text().startswith("Tankers with opaque ownership")
    page.screenshot(path=str(tmp_path / "tooltip.png"))
    link.click()
    assert page.url.endswith("/glossary/#shadow-fleet")


def test_language_switcher_keeps_the_page(site: str, page, tmp_path: Path) -> None:
    page.goto(f"{site}/{SLUG}/")
    page.locator(".md-header__option .md-select").hover()
    page.locator('a[hreflang="es"]').click()
    page.wait_for_url(f"{site}/es/{SLUG}/")
    assert page.locator("html").get_attribute("lang") == "es"
    assert "Traducción automática de apertium" in page.locator(".admonition").inner_text()
    assert page.locator('link[rel="alternate"][hreflang="en"]').count() == 1
    page.screenshot(path=str(tmp_path / "spanish.png"))


def test_search_finds_a_word_of_the_spanish_edition(site: str, page, tmp_path: Path) -> None:
    page.goto(f"{site}/es/")
    page.locator("label.md-search__icon, .md-search__input").first.click()
    page.locator(".md-search__input").fill("apaciguamiento")
    page.keyboard.press("End")
    results = page.locator(".md-search-result__item a")
    results.first.wait_for(state="visible")
    hrefs = [results.nth(i).get_attribute("href") for i in range(results.count())]
    assert any(f"es/{SLUG}/" in href for href in hrefs), hrefs
    page.screenshot(path=str(tmp_path / "search.png"))


def test_downloads_are_real_files(site: str, page) -> None:
    page.goto(f"{site}/es/downloads/")
    for suffix, magic in ((".epub", b"PK"), (".pdf", b"%PDF")):
        href = page.locator(f'a[href$="{suffix}"]').first.get_attribute("href")
        response = page.request.get(f"{site}/es/downloads/{href}")
        assert response.status == 200 and response.body().startswith(magic), href


def test_search_finds_a_cyrillic_word(site: str, page, tmp_path: Path) -> None:
    page.goto(f"{site}/uk/")
    page.locator("label.md-search__icon, .md-search__input").first.click()
    page.locator(".md-search__input").fill("тіньовий")
    page.keyboard.press("End")  # Material's search does not react to fill() alone with Cyrillic text
    results = page.locator(".md-search-result__item a")
    results.first.wait_for(state="visible")
    hrefs = [results.nth(i).get_attribute("href") for i in range(results.count())]
    assert any("uk/" in href for href in hrefs), hrefs
    page.screenshot(path=str(tmp_path / "search-uk.png"))
