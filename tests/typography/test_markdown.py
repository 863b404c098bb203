"""Markdown syntax, URLs, code and HTML pass through typography untouched.

The check is what a reader gets: the Markdown is rendered (with the site's
extensions) before and after typesetting, and the two HTML trees must have
the same elements, the same attributes and the same code, in the same order.
"""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import markdown
import pytest

from tools.languages import CODES
from tools.typography import explain
from tools.typography.markup import BLOCK_LEVEL_TAGS, split_blocks

SAMPLES = sorted((Path(__file__).parent / "markdown").glob("*.md"))
EXTENSIONS = ["abbr", "attr_list", "footnotes", "tables", "fenced_code", "meta"]
INLINE_TAGS = ["a", "abbr", "b", "br", "cite", "code", "del", "em", "i", "img", "kbd", "mark", "q", "s", "small"]
INLINE_TAGS += ["span", "strong", "sub", "sup", "time", "u", "wbr"]


class Skeleton(HTMLParser):
    """The tags, attributes and code text of an HTML page.

    Prose is left out: text, image alt text and abbreviation titles (the
    definition of *[HTML]: ...), which are typeset like any prose.
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.items: list[tuple] = []
        self._code = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        prose = {"alt"} | ({"title"} if tag == "abbr" else set())
        self.items.append(("start", tag, tuple(sorted(a for a in attrs if a[0] not in prose))))
        self._code += tag in ("code", "pre")

    def handle_endtag(self, tag: str) -> None:
        self.items.append(("end", tag))
        self._code -= tag in ("code", "pre")

    def handle_data(self, data: str) -> None:
        if self._code:
            self.items.append(("code", data))


def skeleton(text: str) -> list[tuple]:
    parser = Skeleton()
    parser.feed(markdown.markdown(text, extensions=EXTENSIONS))
    return parser.items


@pytest.mark.parametrize("lang", CODES)
@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.stem)
def test_markdown_structure_is_untouched(sample: Path, lang: str) -> None:
    source = sample.read_text(encoding="utf-8")
    report = explain(source, lang)
    assert report.changes, "the sample has prose to typeset"
    assert skeleton(report.text) == skeleton(source)


@pytest.mark.parametrize("lang", CODES)
def test_verbatim_blocks_are_byte_identical(lang: str) -> None:
    source = (Path(__file__).parent / "markdown" / "kitchen-sink.md").read_text(encoding="utf-8")
    result = explain(source, lang).text
    for verbatim in (
        source.split("---\n\n")[0],  # front matter
        "```python\nprint(\"code -- stays...\")  # 'as is'\n```",
        '    indented "code" -- stays...',
        '<div class="note" data-x="a -- b">\nAn HTML block with "quotes" -- untouched...\n</div>',
        '`inline "code" -- span...`',
        'https://example.com/a--b?x=1&y="2" "A \'title\' -- here"',
        "<https://example.org/x--y>",
        "https://example.net/path--x",
        "|:-----------|----------------:|",
        "[ref-1]: https://example.com/ref--1 \"Reference 'title'\"",
    ):
        assert verbatim in result, verbatim


def test_block_level_tags_are_python_markdowns() -> None:
    assert BLOCK_LEVEL_TAGS == set(markdown.util.BLOCK_LEVEL_ELEMENTS)


@pytest.mark.parametrize("tag", sorted(BLOCK_LEVEL_TAGS) + INLINE_TAGS + ["DIV", "Em"])
@pytest.mark.parametrize("indent", ["", "   "])
def test_prose_or_html_block_as_python_markdown_decides(tag: str, indent: str) -> None:
    """A paragraph that starts with a tag is prose exactly when Python-Markdown wraps it in <p>."""
    paragraph = f'{indent}<{tag} title="t">"x" -- y</{tag}> z'
    wrapped = markdown.markdown(paragraph, extensions=EXTENSIONS).startswith(f"<p><{tag}")
    assert split_blocks(paragraph)[0].prose == wrapped


@pytest.mark.parametrize("lang", CODES)
def test_html_blocks_inside_and_after_prose_are_byte_identical(lang: str) -> None:
    source = (Path(__file__).parent / "markdown" / "inline-html.md").read_text(encoding="utf-8")
    result = explain(source, lang).text
    for verbatim in ('<div class="box">"raw" -- block</div>', '<p>"Raw" paragraph -- left as written...</p>'):
        assert verbatim in result, verbatim
    assert '<em>Peace</em> "now"' not in result, "a paragraph that starts with an inline tag is prose"


@pytest.mark.parametrize("start", ["<!-- c -->", "<!DOCTYPE html>", "<?php echo 1; ?>", "<![CDATA[ a ]]>"])
def test_comments_and_declarations_make_html_blocks(start: str) -> None:
    """Python-Markdown stores these raw; the rest of their paragraph is left as written too (never a guess)."""
    paragraph = f'{start} "x" -- y'
    assert markdown.markdown(paragraph, extensions=EXTENSIONS).startswith(start)
    assert not split_blocks(paragraph)[0].prose
