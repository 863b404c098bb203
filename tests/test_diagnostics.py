"""One shape for whatever goes wrong: a finding, an error and a reason with its fix read alike, and hostile text
is shown as one printable line (tools/diagnostics.py)."""

from __future__ import annotations

import pytest

from tools.diagnostics import ERROR, WARNING, Diagnostic, one_line, shown, with_fix
from tools.engines.base import Unavailable
from tools.errors import PressError


@pytest.mark.parametrize(
    "text, line",
    [
        ("plain words", "plain words"),
        ("two\nlines\r\n", "two\\nlines\\r\\n"),
        ("\x1b[31mred\x1b[0m", "\\x1b[31mred\\x1b[0m"),  # a terminal's escape sequence, written out
        ("tab\there", "tab\\there"),
        ("\u202eevil\u2066", "\\u202eevil\\u2066"),  # bidi controls that would reorder the line
        ("zero\u200bwidth", "zero\\u200bwidth"),
        ("x" * 61, "x" * 59 + "…"),
        ("x" * 60, "x" * 60),
        (ValueError("a\nb"), "a\\nb"),  # an exception's message
    ],
)
def test_hostile_text_is_one_printable_line(text: object, line: str) -> None:
    assert one_line(text) == line
    assert line.isprintable() and "\n" not in line


def test_a_longer_limit_and_the_quoted_form() -> None:
    assert one_line("y" * 300, 200) == "y" * 199 + "…"
    assert shown("uk\n") == "'uk\\n'"


@pytest.mark.parametrize(
    "thing, text",
    [
        (
            PressError("editions.yml", 3, "unknown key 'x'", "use languages"),
            "editions.yml:3: unknown key 'x'; fix: use languages",
        ),
        (PressError(None, None, "no seed"), "press: no seed"),
        (
            Diagnostic("a.po", 12, WARNING, "untranslated-word", "crossroads", lang="es"),
            "a.po:12: [es] untranslated-word: crossroads",
        ),
        (Diagnostic("t.yml", 7, ERROR, "termbase", "bad", "fix it"), "error: t.yml:7: termbase: bad; fix: fix it"),
        (
            Unavailable("apertium is not installed", "sudo apt-get install apertium"),
            "apertium is not installed; fix: sudo apt-get install apertium",
        ),
        (Unavailable("no engine here", ""), "no engine here"),  # no fix: no dangling '; fix: '
    ],
)
def test_one_format(thing: object, text: str) -> None:
    assert str(thing) == text


def test_an_error_is_an_error_diagnostic_and_one_is_raised_from_a_diagnostic() -> None:
    error = PressError("x.yml", 2, "bad value", "write a number")
    assert str(error.diagnostic) == f"error: {error}" and error.diagnostic.severity == ERROR
    found = Diagnostic("t.yml", 9, ERROR, "termbase", "term 'a': no definition", "write one")
    assert str(PressError.of(found)) == "t.yml:9: term 'a': no definition; fix: write one"
    assert with_fix("m", "") == "m"
