"""The i18n plugin's file function without pathlib (:mod:`tools.publish.i18nfiles`) makes the File the plugin's own
makes, attribute for attribute, for every kind of path, every edition being built, and both URL styles."""

from __future__ import annotations

import importlib.metadata
from types import SimpleNamespace

import pytest
from mkdocs.structure.files import File, InclusionLevel
from mkdocs_static_i18n import folder

from tools.publish import i18nfiles

PATHS = [
    "index.md",
    "en/index.md",
    "es/index.md",
    "en/glossary.md",
    "es/dispatch-1-the-policy.md",
    "en/archive/2026-02.md",
    "es/page/2.md",
    "en/terms/shadow-fleet.md",
    "en/downloads/dispatch-1.en.epub",
    "es/downloads/all_articles-2026-01.es.pdf",
    "en/README.md",
    "es/guide/README.md",
    "fr/index.md",  # a language folder the plugin is not told of: its locale pattern decides
    "pt_BR/about.md",
    "sr-Latn-RS/about.md",
    "assets/images/cover.png",
    "english/notes.md",
    "en",
    "es/downloads",
    "enx/page.md",
]
ATTRIBUTES = ["src_uri", "dest_uri", "dest_path", "abs_dest_path", "url", "name", "locale", "localization"]
ATTRIBUTES += ["locale_alternate_of", "norm_src_uri"]


def test_it_is_written_for_the_installed_plugin() -> None:
    assert importlib.metadata.version("mkdocs-static-i18n") == i18nfiles.PLUGIN_VERSION


@pytest.mark.parametrize("directory_urls", [True, False])
@pytest.mark.parametrize("current", ["en", "es", "fr"])
@pytest.mark.parametrize("path", PATHS)
def test_the_same_file_as_the_plugins(path: str, current: str, directory_urls: bool) -> None:
    config = SimpleNamespace(docs_dir="/p/docs", site_dir="/p/.press/site", use_directory_urls=directory_urls)
    original = getattr(folder, "_press_create_i18n_file", folder.create_i18n_file)
    given = File(path, config.docs_dir, config.site_dir, directory_urls, inclusion=InclusionLevel.INCLUDED)
    theirs = original(given, current, "en", ["en", "es"], config)
    ours = i18nfiles.create_i18n_file(given, current, "en", ["en", "es"], config)
    assert {name: getattr(ours, name) for name in ATTRIBUTES} == {name: getattr(theirs, name) for name in ATTRIBUTES}
    assert list(ours.alternates) == [current] and ours.alternates[current] is ours
    assert ours.inclusion == theirs.inclusion


LINKS = [
    "index.md",
    ".",
    "",
    "glossary.md",
    "en/glossary.md",
    "es/glossary.md",
    "es",
    "en/",
    "terms/shadow-fleet.md",
    "es/terms/shadow-fleet.md",
    "only-en.md",
    "only-es.md",
    "es/only-en.md",
    "en/only-es.md",
    "downloads/dispatch-1.es.epub",
    "./a/../glossary.md",
    "a//b/../../glossary.md",
    "missing.md",
    "/es/glossary.md",
    "//glossary.md",
    "assets/images/cover.png",
    "esx/glossary.md",
]
DOCS = ["index.md", "glossary.md", "only-en.md", "assets/images/cover.png", "en/glossary.md", "en/only-en.md"]
DOCS += ["es/index.md", "es/glossary.md", "es/only-es.md", "es/terms/shadow-fleet.md", "en/terms/shadow-fleet.md"]
DOCS += ["es/downloads/dispatch-1.es.epub"]


@pytest.mark.parametrize("fallback", [True, False])
@pytest.mark.parametrize("current", ["en", "es"])
@pytest.mark.parametrize("link", LINKS)
def test_a_link_finds_the_file_the_plugins_lookup_finds(link: str, current: str, fallback: bool) -> None:
    assert i18nfiles.install()
    plugin = SimpleNamespace(current_language=current, default_language="en")
    plugin.config = SimpleNamespace(fallback_to_default=fallback)
    files = folder.I18nFiles(plugin, [File(path, "/p/docs", "/p/site", True) for path in DOCS])
    theirs = folder.I18nFiles._press_get_file_from_path(files, link)
    ours = i18nfiles.get_file_from_path(files, link)
    assert ours is theirs
    assert files.get_file_from_path(link) is theirs  # installed where the plugin looks it up


POSIX_PATHS = ["a/b.md", "./a.md", "a//b.md", "a/./b.md", "a/../b.md", "/abs/x.md", "//x", "///x", "", ".", "a/"]
POSIX_PATHS += ["é/ü.md", "a\\b.md", "/", "//", "///", "./", "a/.", ".a/..b", "  /x", "en/downloads/a b.en.pdf"]


def test_it_is_written_for_the_installed_mkdocs() -> None:
    assert importlib.metadata.version("mkdocs") == i18nfiles.MKDOCS_VERSION


@pytest.mark.parametrize("path", POSIX_PATHS)
def test_a_file_s_paths_are_set_as_pathlib_sets_them(path: str) -> None:
    """``File.src_path`` and ``dest_path`` through :func:`i18nfiles.posix_path` (installed, as the hooks install
    it) give the File mkdocs' own setters give."""
    from pathlib import PurePath, PurePosixPath

    assert i18nfiles.posix_path(path) == PurePath(path).as_posix()
    assert i18nfiles.posix_path(PurePosixPath(path)) == PurePath(path).as_posix()
    assert i18nfiles.install_paths()
    ours = File(path, "/p/docs", "/p/site", True, dest_uri=None)
    ours.dest_path = path
    theirs = File.__new__(File)
    File._press_src_path.fset(theirs, path)  # type: ignore[attr-defined]
    File._press_dest_path.fset(theirs, path)  # type: ignore[attr-defined]
    assert (ours.src_uri, ours.dest_uri) == (theirs.src_uri, theirs.dest_uri)
