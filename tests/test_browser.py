"""The site in a real browser (Debian's Chromium, driven by Playwright), served on 127.0.0.1:
tooltips, the language switcher, search, downloads; on every page type, not one request to another
origin and not one console error. The site is built for the project's own site_url, so a page that
fetched anything from that address would leave 127.0.0.1. Screenshots are saved in the test's output
folder for a person to look at."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import copy_project, require_command  # tests/ is on the path: helpers, not fixtures
from test_ebook import SEEDS

from tools.axe import CHROMIUM, FLAGS, WIDTHS, Watch, page_types
from tools.build import build
from tools.engines.argos.install import install
from tools.ingest import read_seed
from tools.layout import Layout
from tools.modelkit import build_argosmodel
from tools.sitebuild import build_site
from tools.siteserver import Host, serve

pytestmark = [pytest.mark.slow, pytest.mark.browser]  # built sites in Chromium

SLUG = "policy-of-personal-diplomacy-that-donald-trump-has"
OLD_SLUG = "europe-tightens-its-net"  # an earlier slug of SEEDS' first article: its old address redirects
KINDS = {"front page", "article", "glossary", "downloads", "archive", "archive month", "redirect", "not found"}


def built_site(tmp_path_factory: pytest.TempPathFactory, name: str) -> Path:
    """Three articles (en; es by Apertium; uk by a copying Argos model), one with an old slug, built as `make`
    builds them (press build, then the site stage: redirect pages, the content security policy)."""
    for command, package in (
        ("apertium", "sudo apt-get install apertium-eng-spa"),
        ("chromium", "sudo apt-get install chromium"),
    ):
        require_command(command, package)
    project = copy_project(tmp_path_factory.mktemp(name))
    (project / "editions.yml").write_text("languages: [uk, es]\n", encoding="utf-8")  # uk is planned in the project's
    for seed_name, seed_text in SEEDS.items():
        (project / "seeds" / seed_name).write_text(seed_text, encoding="utf-8")
    (project / "published.yml").write_text(f"{Path(next(iter(SEEDS))).stem}:\n- {OLD_SLUG}\n", encoding="utf-8")
    seeds = [read_seed(path) for path in sorted((project / "seeds").glob("*.txt"))]
    text = "\n".join(line for seed in seeds for line in [seed.title] + [p.text for p in seed.paragraphs])
    model = build_argosmodel(tmp_path_factory.mktemp("models") / "en_uk.argosmodel", text, "en", "uk")
    with pytest.MonkeyPatch.context() as patch:  # a Cyrillic edition, by the copying Argos model
        patch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path_factory.mktemp("argos")))
        install(model)
        build(project)
    build_site(Layout(project))
    return project / "site"


@pytest.fixture(scope="module")
def site_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return built_site(tmp_path_factory, "project")


@pytest.fixture(scope="module")
def site(site_folder: Path) -> Iterator[str]:
    """The built site, served on 127.0.0.1 as a host would; yields its base URL."""
    with serve(site_folder) as base:
        yield base


@pytest.fixture
def page(site: str, tmp_path: Path):
    """A browser page that records every request outside the site's origin and every console error."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.watch = Watch(site).attach(page)
        yield page
        page.screenshot(path=str(tmp_path / "last.png"))
        browser.close()
        assert page.watch.foreign == [], "requests that left 127.0.0.1"
        assert page.watch.errors == [], "console errors"


@pytest.mark.parametrize("width, height", WIDTHS.items())
def test_every_page_type_loads_without_a_foreign_request_or_a_console_error(
    site: str, site_folder: Path, page, width: int, height: int
) -> None:
    """Front page, article, glossary, downloads, archive and its months, a redirect and a missing address, in
    every edition: the theme fetches nothing from site_url (its sitemap.xml least of all), logs no error."""
    page.set_viewport_size({"width": width, "height": height})
    visits = page_types(site_folder)
    assert {(v.kind, v.lang) for v in visits} >= {(kind, lang) for kind in KINDS for lang in ("en", "es")}
    for visit in visits:
        response = page.goto(f"{site}/{visit.path}")
        page.wait_for_load_state("networkidle")
        assert response is not None and response.status == visit.status, visit
        if visit.kind == "redirect":
            assert page.url != f"{site}/{visit.path}" and page.locator("h1.press-headline").count() == 1, visit
    assert page.watch.foreign == [] and page.watch.errors == [], (page.watch.foreign, page.watch.errors)


def test_glossary_tooltip(site: str, page, tmp_path: Path) -> None:
    from playwright.sync_api import expect

    page.goto(f"{site}/{SLUG}/")
    link = page.locator('a[href$="glossary/#shadow-fleet"]').first
    link.hover()
    tooltip = page.locator(".md-tooltip2--active")
    tooltip.wait_for(state="visible")
    assert tooltip.inner_text().startswith("Tankers with opaque ownership")
    expect(tooltip).to_have_css("opacity", "1")  # faded in: the screenshot shows it
    page.screenshot(path=str(tmp_path / "tooltip.png"))
    link.click()
    assert page.url.endswith("/glossary/#shadow-fleet")


def test_language_switcher_keeps_the_page(site: str, page, tmp_path: Path) -> None:
    page.goto(f"{site}/{SLUG}/")
    page.locator(".md-header__option .md-select").hover()
    page.locator('.md-select__link[hreflang="es"]').click()
    page.wait_for_url(f"{site}/es/{SLUG}/")
    assert page.locator("html").get_attribute("lang") == "es"
    provenance = page.locator(".press-provenance").inner_text()
    assert provenance.startswith("Traducción automática, aún sin revisar"), provenance
    english = page.locator('.md-select__link[hreflang="en"]')
    assert english.evaluate("link => link.href") == f"{site}/{SLUG}/", "and back to the same page in English"
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


@pytest.mark.parametrize("width, height", [(390, 844), (1280, 900)])
def test_the_pages_read_well_on_a_phone_and_a_desktop(site: str, page, tmp_path: Path, width: int, height: int) -> None:
    """Front page and article at phone and desktop widths: no sideways scrolling, a headline that leaves room
    for the article, a reading column; screenshots saved for a person to look at (and for the README)."""
    page.set_viewport_size({"width": width, "height": height})
    page.goto(f"{site}/")
    entries = page.locator("h2.press-entry")
    assert entries.count() == 3 and page.locator(".press-standfirst").count() == 3
    page.screenshot(path=str(tmp_path / f"front-{width}.png"))
    page.goto(f"{site}/es/{SLUG}/")
    assert page.evaluate("document.documentElement.scrollWidth") <= width, "nothing wider than the screen"
    headline = page.locator("h1.press-headline").bounding_box()
    assert headline and headline["height"] < 0.4 * height, "a 26-word headline leaves room for the article"
    column = page.locator("#p1").bounding_box()
    assert column and column["width"] <= 41 * 20, "a reading column (40rem at most)"
    assert page.locator(".press-dateline").is_visible() and page.locator(".press-provenance").is_visible()
    page.screenshot(path=str(tmp_path / f"article-es-{width}.png"))
    page.goto(f"{site}/uk/")
    page.screenshot(path=str(tmp_path / f"front-uk-{width}.png"))


@pytest.mark.parametrize("folder, lang, words", [("", "en", "Page not found"), ("es/", "es", "Página no encontrada")])
def test_a_missing_page_answers_in_its_editions_language(site: str, page, folder: str, lang: str, words: str) -> None:
    response = page.goto(f"{site}/{folder}no-such-article/")
    assert response is not None and response.status == 404
    assert page.locator("html").get_attribute("lang") == lang
    assert page.locator("h1").inner_text() == words
    page.locator("a.md-button").click()
    page.wait_for_url(f"{site}/{folder}")


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


# The content security policy (tools/csp.py) in the browser: the secured site keeps working, and
# inline code added after secure_site is blocked. The site is served two ways: with the policy only
# in each page's <meta>, and also with the headers of site/_headers (which reach the search worker).
REPORT_VIOLATIONS = """document.addEventListener("securitypolicyviolation", (event) =>
  window.__cspViolation(`${event.effectiveDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber}`));"""
INJECTED = """<script>window.__pwned = 1;</script>
<img src="missing.png" onerror="window.__pwned = 2">
<button id="injected" onclick="window.__pwned = 3">press</button>"""
INJECTED_PAGE = "injected"  # a copy of the article with INJECTED in it, written by the test after secure_site
# No built page shows one of the icons Material's stylesheet draws from data: URLs yet; this copy of the
# article, written before secure_site, does (a titled admonition), so img-src is tried in the browser.
ICONS = '<div class="admonition note"><p class="admonition-title">Note</p><p>A note.</p></div>'
ICONS_PAGE = "icons"


@pytest.fixture(scope="module")
def secured_folder(tmp_path_factory: pytest.TempPathFactory, site_folder: Path) -> Path:
    """A copy of the built site (the site stage secured it) with the ICONS page, secured again (idempotent)."""
    from tools.csp import secure_site

    folder = tmp_path_factory.mktemp("secured") / "site"
    shutil.copytree(site_folder, folder)
    article = (folder / SLUG / "index.html").read_text(encoding="utf-8")
    (folder / ICONS_PAGE).mkdir()
    (folder / ICONS_PAGE / "index.html").write_text(
        article.replace("</article>", ICONS + "</article>", 1), encoding="utf-8"
    )
    secure_site(folder)
    return folder


@pytest.fixture(scope="module", params=["meta", "headers"])
def secured_site(request: pytest.FixtureRequest, secured_folder: Path) -> Iterator[str]:
    """The secured site served on 127.0.0.1, its policy in <meta> only, or also in the headers of _headers."""
    from test_csp import read_headers_file

    from tools.csp import HEADERS_FILE

    headers = {}
    if request.param == "headers":
        (headers,) = read_headers_file((secured_folder / HEADERS_FILE).read_text(encoding="utf-8")).values()

    class Handler(Host):
        def end_headers(self) -> None:
            for name, value in headers.items():
                self.send_header(name, value)
            super().end_headers()

    with serve(secured_folder, handler=Handler) as base:
        yield base


@pytest.fixture
def secured_page(secured_site: str, tmp_path: Path):
    """A browser page that records every request, CSP violation and CSP console message, on every page it visits."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.requests, page.violations, page.errors = [], [], []
        page.on("request", lambda request: page.requests.append(request.url))
        page.on(
            "console", lambda message: "Content Security Policy" in message.text and page.errors.append(message.text)
        )
        page.on("pageerror", lambda error: page.errors.append(str(error)))
        page.expose_function(
            "__cspViolation", lambda text: page.violations.append(text)
        )  # by the browser's driver: no CSP applies
        page.add_init_script(REPORT_VIOLATIONS)
        yield page
        page.screenshot(path=str(tmp_path / "last.png"))
        browser.close()
        foreign = [url for url in page.requests if not url.startswith(secured_site) and not url.startswith("data:")]
        assert foreign == [], "requests that left 127.0.0.1"


@pytest.mark.parametrize(
    "check",
    [test_glossary_tooltip, test_language_switcher_keeps_the_page, test_search_finds_a_word_of_the_spanish_edition,
     test_search_finds_a_cyrillic_word, test_downloads_are_real_files],
)  # fmt: skip
def test_the_secured_site_still_works_without_one_violation(secured_site: str, secured_page, tmp_path: Path, check):
    arguments = {"site": secured_site, "page": secured_page, "tmp_path": tmp_path}
    check(**{name: arguments[name] for name in check.__code__.co_varnames[: check.__code__.co_argcount]})
    assert secured_page.violations == [] and secured_page.errors == []


def test_every_secured_page_loads_without_a_violation(secured_site: str, secured_folder: Path, secured_page) -> None:
    folders = {path.relative_to(secured_folder).parent.as_posix() for path in secured_folder.rglob("*.html")}
    urls = sorted(
        f"{secured_site}/" if name == "." else f"{secured_site}/{name}/" for name in folders - {INJECTED_PAGE}
    )
    assert len(urls) >= 12, urls  # home, article, glossary, downloads in each of en, es and uk
    for url in urls:
        secured_page.goto(url)
        secured_page.wait_for_load_state("networkidle")
        assert secured_page.evaluate("typeof __md_scope") == "object", f"{url}: the page's own inline script ran"
    assert secured_page.violations == [] and secured_page.errors == []


def test_inline_code_injected_after_securing_is_blocked(
    secured_site: str, secured_folder: Path, secured_page, request: pytest.FixtureRequest
) -> None:
    article = (secured_folder / SLUG / "index.html").read_text(encoding="utf-8")
    injected = secured_folder / INJECTED_PAGE / "index.html"
    injected.parent.mkdir(exist_ok=True)
    injected.write_text(article.replace("</article>", INJECTED + "</article>", 1), encoding="utf-8")
    secured_page.goto(f"{secured_site}/{INJECTED_PAGE}/")
    secured_page.wait_for_load_state("networkidle")
    secured_page.locator("#injected").click()
    assert secured_page.evaluate("typeof window.__pwned") == "undefined"
    assert secured_page.evaluate("typeof __md_scope") == "object", "the page's own inline scripts still run"
    policies = 2 if request.node.callspec.params["secured_site"] == "headers" else 1  # each reports its refusals
    blocked = sorted(violation.split()[0] for violation in secured_page.violations)
    assert blocked == ["script-src-attr"] * 2 * policies + ["script-src-elem"] * policies, secured_page.violations
    assert len(secured_page.errors) == 3 * policies, secured_page.errors  # Chromium logs each refusal too


def test_material_icons_from_data_urls_are_allowed(secured_site: str, secured_page) -> None:
    secured_page.goto(f"{secured_site}/{ICONS_PAGE}/")
    secured_page.wait_for_load_state("networkidle")
    icon = "getComputedStyle(document.querySelector('.admonition-title'), '::before').maskImage"
    assert secured_page.evaluate(icon).startswith('url("data:image/svg+xml')
    assert secured_page.violations == [] and secured_page.errors == []  # without img-src data: Chromium refuses it
