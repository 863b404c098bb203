"""The render cache's key and files (:mod:`tools.publish.rendercache`); a site built through it is compared byte
for byte with a full build in tests/test_site_cache.py."""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest
from mkdocs.theme import Theme

from tools.publish import rendercache
from tools.publish.cachefolder import CacheFolder
from tools.publish.rendercache import LIBRARY_TEMPLATES, Uncacheable, plain


def test_no_library_template_reads_what_the_key_leaves_out() -> None:
    """The key leaves out ``build_date_utc`` (it changes every build) and the build's folders (``mkdocs serve``
    builds into a temporary one); mkdocs' and mkdocs-material's templates, at the versions installed, never name
    them (the theme's own templates are checked at every build)."""
    folders = [Path(folder) for folder in Theme(name="material").dirs]
    assert all(any(folder.is_relative_to(library) for library in LIBRARY_TEMPLATES) for folder in folders)
    templates = [p for folder in folders for p in folder.rglob("*") if p.suffix in (".html", ".xml")]
    assert len(templates) > 50, "the libraries' templates were found"
    assert [(p, name) for p in templates for name in rendercache._UNREAD if name.encode() in p.read_bytes()] == []


def test_a_template_that_reads_the_build_date_makes_no_page_cacheable(tmp_path: Path) -> None:
    theme = tmp_path / "overrides"
    theme.mkdir()
    for name in ("build_date_utc", "config.site_dir"):
        (theme / "main.html").write_text("{{ " + name + " }}", encoding="utf-8")
        rendercache._templates.clear()
        assert rendercache.templates_digest((str(theme),)) == ""
    (theme / "main.html").write_text("{{ page.title }}", encoding="utf-8")
    rendercache._templates.clear()
    assert rendercache.templates_digest((str(theme),)) != ""


@pytest.mark.parametrize(
    "value, expected",
    [
        ({"b": [1, "x", None], "a": True}, {"b": [1, "x", None], "a": True}),
        ((1.5, {"k": "v"}), [1.5, {"k": "v"}]),
        ({3, 1}, ["1", "3"]),
    ],
)
def test_plain_data_keeps_its_value(value: object, expected: object) -> None:
    assert plain(value) == expected


def test_an_object_of_an_unknown_kind_makes_the_page_uncacheable() -> None:
    class Widget:
        pass

    with pytest.raises(Uncacheable):
        plain({"extra": [Widget()]})


def test_a_render_is_read_back_only_under_its_own_key_and_whole(tmp_path: Path) -> None:
    rendercache.install(tmp_path, "code")
    key, other = "a" * 64, "b" * 64
    rendercache._write(key, "<p>Kyiv – «news»</p>")
    assert rendercache._read(key) == "<p>Kyiv – «news»</p>"
    path = tmp_path / ".press" / "cache" / "site-renders" / f"{key}.html"
    path.rename(path.with_name(f"{other}.html"))
    assert rendercache._read(other) is None, "another page's file"
    rendercache._write(key, "<p>whole</p>")
    data = path.read_bytes()
    for damaged in (data[:-3], data.replace(b"whole", b"wholE"), b"", data.split(b"\n", 1)[1]):
        path.write_bytes(damaged)
        assert rendercache._read(key) is None
    assert rendercache._read("c" * 64) is None, "missing"


def test_the_folder_keeps_the_last_builds_renders_only(tmp_path: Path) -> None:
    rendercache.install(tmp_path, "code")
    for key in ("a" * 64, "b" * 64):
        rendercache._write(key, key)
    rendercache.install(tmp_path, "code")
    rendercache._state.used.add("a" * 64)
    rendercache.save()
    assert [p.name for p in (tmp_path / ".press" / "cache" / "site-renders").iterdir()] == ["a" * 64 + ".html"]


def test_compiled_templates_are_used_and_a_damaged_one_is_compiled_again(tmp_path: Path) -> None:
    (tmp_path / "t").mkdir()
    (tmp_path / "t" / "main.html").write_text("<p>{{ page.title | e }}</p>", encoding="utf-8")
    folder = CacheFolder(tmp_path / "compiled", ".code")

    def render() -> str:
        env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(tmp_path / "t")), autoescape=False)
        env.bytecode_cache = rendercache._CompiledTemplates(folder)
        return env.get_template("main.html").render(page={"title": "Kyiv & <Odesa>"})

    assert render() == "<p>Kyiv &amp; &lt;Odesa&gt;</p>"
    [compiled] = list((tmp_path / "compiled").iterdir())
    data = compiled.read_bytes()
    for damaged in (data[: len(data) // 2], data[:-5] + b"\0\0\0\0\0", b"", b"x\n" + data):
        compiled.write_bytes(damaged)
        assert render() == "<p>Kyiv &amp; &lt;Odesa&gt;</p>"
    for garbage in (b"", b"\x00" * 40, data[:20]):  # files that pass the folder's check, but are no bytecode
        folder.write(compiled.name.removesuffix(".code"), garbage)
        assert render() == "<p>Kyiv &amp; &lt;Odesa&gt;</p>"
    (tmp_path / "t" / "main.html").write_text("<b>{{ page.title | e }}</b>", encoding="utf-8")
    assert render() == "<b>Kyiv &amp; &lt;Odesa&gt;</b>", "a changed template is compiled again"


def test_no_library_template_reads_the_html_of_a_navigation_page() -> None:
    """A navigation's pages are in the key without their HTML (an edit to the front page or the downloads page
    would else render every page again): mkdocs' and mkdocs-material's templates read the HTML of the page being
    built only, and of the blog's posts and the tags' listings, which are not reached through the navigation."""
    folders = [Path(folder) for folder in Theme(name="material").dirs]
    templates = [p for folder in folders for p in folder.rglob("*") if p.suffix in (".html", ".xml")]
    readers = {m.group(1).decode() for p in templates for m in rendercache._CONTENT.finditer(p.read_bytes())}
    assert readers == {"page", "post", "listing"}


@pytest.mark.parametrize("reader", ["{{ nav_item.content }}", "{{ item['content'] }}", "{{ other . content }}"])
def test_a_template_that_reads_another_pages_html_makes_no_page_cacheable(tmp_path: Path, reader: str) -> None:
    theme = tmp_path / "overrides"
    theme.mkdir()
    (theme / "main.html").write_text(reader, encoding="utf-8")
    rendercache._templates.clear()
    assert rendercache.templates_digest((str(theme),)) == ""
    (theme / "main.html").write_text("{{ page.content }}", encoding="utf-8")
    rendercache._templates.clear()
    assert rendercache.templates_digest((str(theme),)) != ""
