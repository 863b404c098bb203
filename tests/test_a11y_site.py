"""axe-core in Debian's Chromium over every page type of a built site, at 1280 and 390 px (tools/axe.py).

The site is the project's seed and an article written here, in English and in Spanish (Apertium), built
as `make site` builds it (content security policy, redirect pages) and with the project's own site_url,
so a page that asked the theme to fetch from that address would show. No serious or critical violation
on any page type; and the audit does see each defect it must, planted in a copy of the site.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from conftest import copy_project, require_command  # tests/ is on the path: helpers, not fixtures

from tools.axe import AXE_SCRIPT, Watch, audit, kind_of, page_types
from tools.build import build
from tools.diagnostics import ERROR
from tools.layout import Layout
from tools.sitebuild import build_site

ARTICLE_ID = "010_baltic-ports"
ARTICLE = (
    " date 2026-03-03 Baltic ports check the papers of the shadow fleet\nby: Marta Kowalska\n\n"
    "Port officials in Gdańsk and Tallinn now ask every tanker for proof of insurance before it loads, a slow "
    "answer to the shadow fleet that carries Russian oil past the sanctions.\n\n"
    "Critics call the checks a form of appeasement, since ships that fail them simply sail on. Others note that "
    "the Northern Sea Route remains closed to most of these vessels for half the year.\n"
)
OLD_SLUG = "baltic-ports-check-the-tankers"  # the article's earlier slug: its old address redirects
KINDS = {"front page", "article", "glossary", "downloads", "archive", "archive month", "redirect", "not found"}


ARTICLE_HEAD = '<meta property="og:type" content="article">'
REDIRECT_HEAD = '<meta http-equiv="refresh" content="0; url=../new/">'


@pytest.mark.parametrize(
    "parts, markup, kind",
    [((), "", "front page"), (("page", "2"), "", "older front page"), (("archive",), "", "archive"),
     (("archive", "2026-02"), "", "archive month"), (("glossary",), "", "glossary"), (("downloads",), "", "downloads"),
     (("some-slug",), ARTICLE_HEAD, "article"), (("old-slug",), REDIRECT_HEAD, "redirect"), (("about",), "", "page")],
)  # fmt: skip
def test_each_page_has_its_type(parts: tuple[str, ...], markup: str, kind: str) -> None:
    assert kind_of(parts, markup) == kind


def test_a_missing_pages_own_404_is_the_only_console_error_forgiven() -> None:
    watch = Watch("http://127.0.0.1:1")
    status = "Failed to load resource: the server responded with a status of 404 (Not Found)"
    watch.not_found.add("http://127.0.0.1:1/es/gone/")
    watch.console += [(status, "http://127.0.0.1:1/es/gone/"), (status, "http://127.0.0.1:1/favicon.ico")]
    watch.console.append(("uncaught exception: TypeError", ""))
    assert watch.errors == [status, "uncaught exception: TypeError"]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed and ARTICLE in en and es, built with `press build` and the site stage, at the project's site_url."""
    for command, package in (("apertium", "apertium-eng-spa"), ("chromium", "chromium")):
        require_command(command, f"sudo apt-get install {package}")
    if not AXE_SCRIPT.is_file():
        pytest.fail(f"{AXE_SCRIPT} is missing; fix: make node-deps")
    project = copy_project(tmp_path_factory.mktemp("a11y"))
    (project / "seeds" / f"{ARTICLE_ID}.txt").write_text(ARTICLE, encoding="utf-8")
    (project / "published.yml").write_text(f"{ARTICLE_ID}:\n- {OLD_SLUG}\n", encoding="utf-8")
    (project / "editions.yml").write_text("source_language: en\nlanguages: [es]\n", encoding="utf-8")
    build(project)
    build_site(Layout(project))
    return project / "site"


@pytest.mark.slow
def test_every_page_type_of_each_edition_is_visited(site: Path) -> None:
    visits = page_types(site)
    assert {(v.kind, v.lang) for v in visits} >= {(kind, lang) for kind in KINDS for lang in ("en", "es")}
    redirect = next(v for v in visits if v.kind == "redirect" and v.lang == "es")
    assert redirect.path == f"es/{OLD_SLUG}/"
    assert all(v.file.is_file() for v in visits)


@pytest.mark.slow
def test_no_page_has_a_serious_or_critical_violation_at_either_width(site: Path) -> None:
    found = audit(site)
    errors = [str(d) for d in found if d.severity == ERROR]
    assert errors == [], "\n".join(errors)


# Each defect: what is changed in a copy of the Spanish article's page, and the diagnostic kind it must give.
DEFECTS = [
    ('role="dialog" aria-label="Buscar"', 'role="dialog"', "axe aria-dialog-name"),
    ("</article>", '<img src="../../assets/images/favicon.png"></article>', "axe image-alt"),
    ("</head>", '<link rel="stylesheet" href="/no-underline.css"></head>', "axe link-in-text-block"),
    ("</head>", '<link rel="alternate" href="https://press.example.org/es/"></head>', "foreign request"),
]


@pytest.mark.slow
def test_the_audit_sees_each_planted_defect(site: Path, tmp_path: Path) -> None:
    broken = tmp_path / "site"
    shutil.copytree(site, broken)
    (broken / "no-underline.css").write_text(".md-typeset a { text-decoration: none !important; }\n")
    (article,) = [v for v in page_types(broken) if v.kind == "article" and v.lang == "es"][:1]
    markup = article.file.read_text(encoding="utf-8")
    for before, after, _ in DEFECTS:
        assert before in markup, before
        markup = markup.replace(before, after, 1)
    article.file.write_text(markup, encoding="utf-8")
    found = audit(broken, [article])
    kinds = {d.kind for d in found if d.severity == ERROR}
    assert {kind for _, _, kind in DEFECTS} <= kinds, sorted(kinds)
    assert any(re.search(r"at 390 px", d.message) for d in found), "both widths are audited"
