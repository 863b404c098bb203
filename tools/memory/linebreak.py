"""Where gettext may break a line: libunistring 1.0's line breaking (UAX #14 by a pair table) and its widths.

gettext's write-po.c (msgcat, msgmerge, Poedit's gettext tools) wraps strings at 79 columns where
``u8_width_linebreaks`` allows; this is that function, with the tables it reads, for :mod:`tools.memory.writer`."""

from __future__ import annotations

import functools
import unicodedata

_PROHIBITED, _POSSIBLE, _MANDATORY = 0, 1, 2


# libunistring 1.0's table (lbrktables.c): D break, I break only after spaces, P no break; row = before.
_CLASSES = "WJ GL B2 BA BB HY CL CP1 CP2 EX IN NS OP1 OP2 QU IS NU PO PR SY AL H2 H3 ID1 ID2 JL JV JT HL RI ZWJ EB EM"
_ROWS = """\
PIIIIIPPPPIIIIIPIIIPIIIIIIIIIIIII PIIIIIPPPPIIIIIPIIIPIIIIIIIIIIIII PIPIDIPPPPIIDDIPDDDPDDDDDDDDDDDDD
PDDIDIPPPPIIDDIPDDDPDDDDDDDDDDDDD PIIIIIPPPPIIIIIPIIIPIIIIIIIIIIIII PDDIDIPPPPIIDDIPIDDPDDDDDDDDDDDDD
PIDIDIPPPPIPDDIPDIIPDDDDDDDDDDDDD PIDIDIPPPPIIDDIPIIIPIDDDDDDDIDIDD PIDIDIPPPPIIDDIPDIIPDDDDDDDDDDDDD
PIDIDIPPPPIIDDIPDDDPDDDDDDDDDDDDD PIDIDIPPPPIIDDIPDDDPDDDDDDDDDDDDD PIDIDIPPPPIIDDIPDDDPDDDDDDDDDDDDD
PPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPP PPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPPP PIIIIIPPPPIIPPIPIIIPIIIIIIIIIIIII
PIDIDIPPPPIIDDIPIDDPDDDDDDDDDDDDD PIDIDIPPPPIIIDIPIIIPIDDDDDDDIDIDD PIDIDIPPPPIIIIIPIDDPIDDDDDDDIDIDD
PIDIDIPPPPIIIIIPIDDPIIIIIIIIIDIII PIDIDIPPPPIIDDIPIDDPDDDDDDDDIDDDD PIDIDIPPPPIIIDIPIIIPIDDDDDDDIDIDD
PIDIDIPPPPIIDDIPDIDPDDDDDDIIDDDDD PIDIDIPPPPIIDDIPDIDPDDDDDDDIDDDDD PIDIDIPPPPIIDDIPDIDPDDDDDDDDDDDDD
PIDIDIPPPPIIDDIPDIDPDDDDDDDDDDDDI PIDIDIPPPPIIDDIPDIDPDIIDDIIDDDDDD PIDIDIPPPPIIDDIPDIDPDDDDDDIIDDDDD
PIDIDIPPPPIIDDIPDIDPDDDDDDDIDDDDD PIDIDIPPPPIIIDIPIIIPIDDDDDDDIDIDD PIDIDIPPPPIIDDIPDDDPDDDDDDDDDDDDD
PIDIDIPPPPIIIDIPIIIPIDDIIDDDIDIII PIDIDIPPPPIIDDIPDIDPDDDDDDDDDDDDI PIDIDIPPPPIIDDIPDIDPDDDDDDDDDDDDD"""
_PAIRS = {before: dict(zip(_CLASSES.split(), row)) for before, row in zip(_CLASSES.split(), _ROWS.split())}
# Line break classes (Unicode 14, as libunistring 1.0 resolves them for UTF-8) where the general
# category does not tell: exact for ASCII, Latin, IPA, Greek, Cyrillic, general punctuation, currency.
_EXCEPTIONS = """\
0009 BA,000A LF,000B-000C BK,000D CR,0020 SP,0021 EX,0022 QU,0025 PO,0027 QU,0029 CP1,002B PR,002C IS,002D HY,
002E IS,002F SY,003A-003B IS,003F EX,005C PR,005D CP1,007C BA,0085 BK,00A0 GL,00A1 OP1,00A2 PO,00AD BA,00B0 PO,
00B1 PR,00B4 BB,00BF OP1,02C8 BB,02CC BB,02DF BB,034F GL,035C-0362 GL,037E IS,1FFD BB,2007 GL,200B ZW,200D ZWJ,
2011 GL,2014 B2,2015 AL,2024-2026 IN,2027 BA,2028-2029 BK,202F GL,2030-2037 PO,203C-203D NS,2044 IS,2047-2049 NS,
2056 BA,2058-205B BA,205D-205E BA,2060 WJ,2061-2064 AL,20A7 PO,20B6 PO,20BB PO,20BE PO,20C0 PO,2103 PO,2109 PO,
2116 PR"""


def _exceptions() -> dict[int, str]:
    table = {}
    for item in _EXCEPTIONS.replace("\n", "").split(","):
        span, name = item.split()
        first, _, last = span.partition("-")
        for code in range(int(first, 16), int(last or first, 16) + 1):
            table[code] = name
    return table


_EXCEPTION = _exceptions()


@functools.cache
def _break_class(char: str) -> str:
    """The character's line break class: the table above, else from its general category."""
    code = ord(char)
    if code in _EXCEPTION:
        return _EXCEPTION[code]
    category = unicodedata.category(char)
    wide = category != "Cn" and unicodedata.east_asian_width(char) in ("W", "F")
    if 0xAC00 <= code <= 0xD7A3:
        return "H2" if (code - 0xAC00) % 28 == 0 else "H3"
    by_category = {"Mn": "CM", "Me": "CM", "Mc": "CM", "Cf": "CM", "Cc": "CM", "Nd": "NU", "Zs": "BA", "Pd": "BA"}
    if category in by_category:
        return by_category[category]
    if category == "Ps":
        return "OP2" if wide else "OP1"
    if category == "Pe":
        return "CL"
    if category in ("Pi", "Pf"):
        return "QU"
    if category == "Sc":
        return "PR"
    return "ID1" if wide else "AL"


@functools.cache
def _columns(char: str) -> int:
    """libunistring's ``uc_width``: 0 for marks and format characters, 2 for wide ones; -1 for controls."""
    code = ord(char)
    if 0 < code < 0xA0 and (code < 0x20 or code >= 0x7F):
        return -1
    if (
        unicodedata.category(char) in ("Mn", "Me", "Cf")
        or unicodedata.bidirectional(char) == "NSM"
        or 0x1160 <= code <= 0x11FF
        or 0xD7B0 <= code <= 0xD7FF
        or unicodedata.name(char, "").startswith("ZERO WIDTH ")
    ):
        return 0
    if unicodedata.category(char) == "Cn":  # unassigned: wide only where CJK ideographs will go
        return 2 if 0x3400 <= code <= 0x4DBF or 0x20000 <= code <= 0x3FFFD else 1
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


@functools.cache
def _advance(char: str) -> int:
    """How far a character moves the column (a control character: not at all)."""
    return max(_columns(char), 0)


def _opportunities(text: str) -> list[int]:
    """Where a line may break before each character: libunistring 1.0's ``u8_possible_linebreaks``."""
    out = [_PROHIBITED] * len(text)
    prev = last = "BK"
    space = False
    regional = 0
    for i, char in enumerate(text):
        prop = _break_class(char)
        if prop in ("BK", "LF", "CR"):
            out[i], prev, last, space = _MANDATORY, prop, "BK", False
            regional = 0
            continue
        if prop == "SP":
            space = True
        elif prop == "ZW":
            last, space = "ZW", False
        elif prop in ("CM", "ZWJ"):
            if last == "BK":
                last, space = "AL", False
            elif last == "ZW" or space:
                out[i], last, space = _POSSIBLE, "AL", False
        else:
            out[i] = _pair_break(prev, last, prop, space, regional)
            last, space = prop, False
        prev = "HL_BA" if prev == "HL" and prop in ("HY", "BA") else prop
        regional = regional + 1 if prop == "RI" else 0
    return out


def _pair_break(prev: str, last: str, prop: str, space: bool, regional: int) -> int:
    if last == "BK":
        return _PROHIBITED
    if last == "ZW":
        return _POSSIBLE
    if prev == "ZWJ":
        return _PROHIBITED
    if last == "RI" and prop == "RI":
        return _POSSIBLE if space or regional % 2 == 0 else _PROHIBITED
    if prev == "HL_BA":
        return _PROHIBITED
    rule = _PAIRS[last][prop]
    return _POSSIBLE if rule == "D" or (rule == "I" and space) else _PROHIBITED


def line_breaks(text: str, keep: list[bool], width: int, start: int) -> list[int]:
    """Where to break ``text`` to fit ``width`` columns after ``start``: libunistring's ``u8_width_linebreaks``."""
    if start + sum(map(_advance, text)) <= width:
        return []  # it fits: no piece can pass the width
    breaks: list[int] = []
    last, column, piece = None, start, 0
    for i, (char, opportunity) in enumerate(zip(text, _opportunities(text))):
        if keep[i]:
            opportunity = _PROHIBITED
        if opportunity != _PROHIBITED and last is not None and column + piece > width:
            breaks.append(last)
            column = 0
        if opportunity == _MANDATORY:
            last, column, piece = None, 0, 0
            continue
        if opportunity == _POSSIBLE:
            last, column, piece = i, column + piece, 0
        piece += _advance(char)
    if last is not None and column + piece > width:
        breaks.append(last)
    return sorted(set(breaks))
