"""The build's records and the site's cache keys as JSON by orjson (:func:`tools.fsutil.json_bytes`): what the
standard library would have written, read back the same; what orjson refuses still encoded; a damaged record read as
none."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from tools.fsutil import data_sha, json_bytes
from tools.publish.sitecache import _search_key, page_key
from tools.publish.store import VERSION, Record

VALUES = [
    {"b": [1, 2.5, None, True], "a": 'é \u2028 " \\ \n \x00 😀'},
    ["x" * 10_000, {"nested": {"deeper": []}}],
    {"big": 2**70, "small": -(2**70)},  # beyond 64 bits: orjson refuses, json encodes
    {1: "an int key", "2": "a str key"},
]


@pytest.mark.parametrize("value", VALUES, ids=["text", "nested", "big ints", "int keys"])
def test_json_bytes_reads_back_as_the_standard_library_writes(value: object) -> None:
    assert json.loads(json_bytes(value)) == json.loads(json.dumps(value))
    assert json.loads(json_bytes(value, sort_keys=True)) == json.loads(
        json.dumps(value)
    )  # int and str keys: json cannot sort


def test_a_data_key_ignores_key_order_and_tells_values_apart() -> None:
    assert data_sha({"a": 1, "b": [2]}) == data_sha({"b": [2], "a": 1})
    assert len({data_sha(v) for v in ({"a": 1}, {"a": "1"}, {"a": [1]}, {"a": None}, {"b": 1})}) == 5


def test_an_object_json_cannot_write_is_keyed_by_its_default() -> None:
    class Opaque:
        def __init__(self, name: str) -> None:
            self.name = name

        def __repr__(self) -> str:
            return f"Opaque({self.name})"

    assert data_sha({"x": Opaque("a")}, default=repr) == data_sha({"x": "Opaque(a)"})
    assert data_sha({"x": Opaque("a")}, default=repr) != data_sha({"x": Opaque("b")}, default=repr)
    with pytest.raises(TypeError):
        data_sha({"x": Opaque("a")})


def test_a_record_reads_back_what_it_saved(tmp_path: Path) -> None:
    record = Record(tmp_path / "es.json")
    record.keep("001", {"key": "k", "page": {"title": "Año «nuevo»", "words": 2**40}})
    record.save()
    assert Record.read(tmp_path / "es.json").get("001", "k") == {"key": "k", "page": record.kept["001"]["page"]}
    assert json.loads((tmp_path / "es.json").read_text(encoding="utf-8")) == {
        "version": VERSION,
        "entries": record.kept,
    }


@pytest.mark.parametrize(
    "damage",
    [
        b"\xff\xfe not UTF-8",
        b'{"version": 1, "entries": {"\xff": {"key": "k"}}}',
        b'{"version": 1, "entries": {"a"',
        b"",
    ],
    ids=["not UTF-8", "a key not UTF-8", "cut short", "empty"],
)
def test_a_damaged_record_reads_as_none(tmp_path: Path, damage: bytes) -> None:
    (tmp_path / "es.json").write_bytes(damage)
    assert Record.read(tmp_path / "es.json").held == {}


def test_a_page_key_leaves_no_copy_of_the_page_text_behind() -> None:
    """orjson leaves a string that is not ASCII holding a UTF-8 copy of itself (CPython's cache, counted by
    ``sys.getsizeof``); the site's per-page keys hash a page's text apart, so its Markdown and HTML, which live
    through the build, do not double (42 MB in an edition's mkdocs at 1,000 articles)."""
    premise = "é" * 1000 + str(id(object()))  # a fresh string
    before = sys.getsizeof(premise)
    json_bytes([premise])
    if sys.getsizeof(premise) == before:
        pytest.skip("this orjson leaves no UTF-8 copy in a string: nothing to keep from it")
    markdown, content = "Año «nuevo» — " * 500 + "a", "<p>Año «nuevo» — </p>" * 500 + "b"
    sizes = (sys.getsizeof(markdown), sys.getsizeof(content))
    file = SimpleNamespace(src_uri="es/a.md", url="es/a/")
    page = SimpleNamespace(markdown=markdown, content=content, file=file, toc=[], url="es/a/", title="A", meta={})
    config = {"markdown_extensions": ["toc"], "mdx_configs": {}, "use_directory_urls": True, "validation": {}}
    assert page_key(page, config) and _search_key(page)
    assert (sys.getsizeof(markdown), sys.getsizeof(content)) == sizes
