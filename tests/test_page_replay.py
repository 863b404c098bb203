"""A page's replay record (:mod:`tools.publish.pagereplay`) is believed only in the exact shape the build writes:
any other is a page built as before, never an error and never a page made of it."""

from __future__ import annotations

import pytest

from tools.publish import pagereplay
from tools.publish.cachefolder import CacheFolder

KEY = "ab" * 32
GOOD = {
    "format": pagereplay.FORMAT,
    "conversion": KEY,
    "front_matter": KEY,
    "search": KEY,
    "render": KEY,
    "meta": {"title": "A", "lang": "en"},
    "title": "A",
    "anchors": ["p1", "p2"],
    "links": {"en/glossary.md": {"shadow-fleet": "glossary.md#shadow-fleet"}},
}


def test_a_record_as_the_build_writes_it_is_believed() -> None:
    assert pagereplay._well_formed(GOOD)
    assert pagereplay._well_formed({**GOOD, "front_matter": None, "search": None, "anchors": None, "links": None})


@pytest.mark.parametrize(
    "change",
    [
        {"format": pagereplay.FORMAT + 1},
        {"render": "../../etc/passwd"},
        {"render": ""},
        {"conversion": KEY.upper()},
        {"search": ""},
        {"front_matter": 5},
        {"meta": []},
        {"anchors": ["p1", 2]},
        {"links": {"en/glossary.md": ["shadow-fleet"]}},
        {"links": {"en/glossary.md": {"shadow-fleet": 5}}},
        {"content": "<p>"},
    ],
)
def test_a_record_of_any_other_shape_is_not(change: dict) -> None:
    assert not pagereplay._well_formed({**GOOD, **change})


def test_a_record_without_a_field_is_not() -> None:
    for name in GOOD:
        assert not pagereplay._well_formed({key: value for key, value in GOOD.items() if key != name})


def test_only_a_sha256_is_a_cache_key() -> None:
    assert CacheFolder.is_key(KEY) and not CacheFolder.is_key(KEY[:-1]) and not CacheFolder.is_key(None)
