"""``published.yml`` read through its memo (:func:`tools.redirects.read_published`): the memo answers only for the
very bytes it was made from, and a damaged file is refused at its line whatever the memo holds."""

from __future__ import annotations

from pathlib import Path

import pytest

from tools.errors import PressError
from tools.redirects import published_now, read_published, redirects, write_published

HISTORY = {"001_a": ["new-title", "old-title"], "002_b": ["second"]}


def test_the_memo_answers_for_the_bytes_it_was_made_from(tmp_path: Path) -> None:
    published, memo = tmp_path / "published.yml", tmp_path / "memo.json"
    write_published(published, HISTORY, memo=memo)
    assert memo.is_file() and read_published(published, memo) == HISTORY
    published.write_text(published.read_text(encoding="utf-8").replace("old-title", "older-title"), "utf-8")
    assert read_published(published, memo) == {"001_a": ["new-title", "older-title"], "002_b": ["second"]}
    memo.write_text('{"sha": "0", "published": {}}', encoding="utf-8")  # another file's memo
    assert read_published(published, memo)["001_a"] == ["new-title", "older-title"]


@pytest.mark.parametrize(
    "damage, line",
    [("- second\n", "- Not A Slug\n"), ("002_b:\n", "002_b: [\n")],
    ids=["a wrong slug", "broken YAML"],
)
def test_a_damaged_file_is_refused_at_its_line_whatever_the_memo_holds(tmp_path: Path, damage: str, line: str) -> None:
    published, memo = tmp_path / "published.yml", tmp_path / "memo.json"
    write_published(published, HISTORY, memo=memo)
    published.write_text(published.read_text(encoding="utf-8").replace(damage, line), encoding="utf-8")
    with pytest.raises(PressError) as refused:
        read_published(published, memo)
    assert refused.value.path == published and refused.value.line is not None


def test_unchanged_slugs_leave_the_file_alone(tmp_path: Path) -> None:
    published = tmp_path / "published.yml"
    write_published(published, HISTORY)
    published.write_text(published.read_text(encoding="utf-8") + "# a note\n", encoding="utf-8")
    assert not write_published(published, HISTORY, read_published(published))
    assert published.read_text(encoding="utf-8").endswith("# a note\n")


def test_old_slugs_redirect_to_the_page_the_site_has(tmp_path: Path) -> None:
    site = tmp_path / "site"
    for page in ("new-title", "es/new-title", "second"):
        (site / page).mkdir(parents=True)
        (site / page / "index.html").write_text("<!doctype html>", encoding="utf-8")
    gone = {**HISTORY, "003_gone": ["removed-article", "its-old-title"]}
    current = published_now(gone, site, ["", "es"])
    assert current == {"001_a": "new-title", "002_b": "second"}, "an article whose page is gone is not redirected"
    assert redirects(gone, current) == {"old-title": "new-title"}
