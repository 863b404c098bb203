"""The typography rules, applied in order to one protected prose paragraph.

Each rule is a function of a :class:`Pass`; it rewrites ``Pass.text`` through
:meth:`Pass.sub` (or, for quotes, :meth:`Pass.replace_all`), which records a
:class:`Change` for every edit, so ``press typeset --explain`` can say which
rule changed what, and on which line. No rule adds, removes or reorders a
letter or a digit; no rule touches a newline, so line numbers stay true.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

from tools.languages.styles import NBSP, NNBSP, Style
from tools.segment import dateline
from tools.typography import quotes
from tools.typography.markup import SPACE_LIKE, TAG_LIKE, WORD_LIKE, Protector, skip_tags

_H_SPACE = " \u00a0\u202f"
_ODD_SPACES = re.compile("[\t\u2000-\u200a\u205f\u3000]")
_SPACE_RUN = re.compile(f"[{_H_SPACE}]{{2,}}")
_TRAILING = re.compile(f"[{_H_SPACE}]+(?=\n|$)")
_TAGS = f"[{TAG_LIKE}]*"  # inline tags (<em>, </a>), which the rules look through
_BEFORE_COMMA = re.compile(f"(?<=[^\\s.…])[{_H_SPACE}]+(?={_TAGS}[,.](?![\\w.]))")  # not before .5, .NET or ...
_IN_PARENS = re.compile(r"(?<=\()[ ]+(?=\S)|(?<=\S)[ ]+(?=\))")
_DOT_RUN = re.compile(r"\.(?: ?\.)+")
_DOTS = {"...": "…", ". . .": "…", ". . . .": ". …", ". ...": ". …"}  # a full stop stays before spaced dots
_DASH = re.compile(
    f"(?P<pre>[{_H_SPACE}]*)(?P<open>{_TAGS})(?P<dash>---|--|[-\u2013\u2014])(?P<close>{_TAGS})(?P<post>[{_H_SPACE}]*)"
)  # with the inline tags that touch the dash, so its spacing goes outside them
_AROUND_DASH = re.compile(f"[{_H_SPACE}{TAG_LIKE}]")
_YEAR_RANGE = re.compile(r"(?<![\d\-\u2013])(1[5-9]\d\d|20\d\d)[-\u2013](1[5-9]\d\d|20\d\d)(?![\d\-\u2013])")
_WORDS = re.compile(f"[\\w{WORD_LIKE}]")
_SENTENCE_END = re.compile(f"[.!?…]{_TAGS}(?:\\s|$)")
# ; : ! ? that end a token (a run of ! and ?, then inline tags, then a space, the end or a closing mark), with
# the space and inline tags before it; never inside a token (fe80::1, 12:30, a:b) or a doubled colon (std::).
_FRENCH_PUNCT = re.compile(
    f'(?<=[^\\s;:!?(\\[«"“\\-\u2013\u2014{SPACE_LIKE}{TAG_LIKE}])'
    f"(?P<pre>[{_H_SPACE}]?)(?P<tags>{_TAGS})(?P<post>[{_H_SPACE}]?)(?P<p>[!?]|[;:](?![;:]))"
    f"(?=[!?]*{_TAGS}(?:\\s|$|[»”)\\]*_]))"
)
_PERCENT = re.compile(f"(?<=\\d)[{_H_SPACE}](?=%)")
_PERCENT_UNSPACED = re.compile(f"(?<=\\d)[{_H_SPACE}]?(?=%)")
# A full stop or comma before closing quotes (with the inline tags between them), and the mark after them
_PERIOD_IN_QUOTES = re.compile(f"(?P<p>[.,])(?P<close>(?:{_TAGS}[»”’])+)(?P<after>[.,;:]?)")
_ABBREVIATION_END = re.compile(r"(?:(?:\b\w{1,3}\.\s?)+\w{1,3}|\betc)$")  # EE. UU, U.S, p. ej, etc: own period
_GERMAN_ABBREVIATION = re.compile(r"(?<![\w.])([A-Za-zÄÖÜäöü])\.[ \u00a0](?=[A-Za-zÄÖÜäöü]\.)")
_SHOW = {NBSP: "⍽", NNBSP: "⸱", "\n": "⏎"}
_CONTEXT = 12


@dataclass(frozen=True)
class Change:
    """One edit: which rule, on which line, what it was and what it became."""

    rule: str
    line: int
    before: str
    after: str

    def describe(self) -> str:
        """``12  dashes  'regions – from' → 'regions—from'`` with ⍽ for NBSP and ⸱ for NNBSP."""
        return f"{self.line:>5}  {self.rule:<16} {_visible(self.before)!r} → {_visible(self.after)!r}"


@dataclass(frozen=True)
class TypographyWarning:
    """Something the rules would not guess at, such as unbalanced quotes."""

    line: int
    message: str


@dataclass
class Pass:
    """One prose paragraph being typeset, with what has changed so far."""

    text: str
    style: Style
    line: int
    protector: Protector
    changes: list[Change] = field(default_factory=list)
    warnings: list[TypographyWarning] = field(default_factory=list)

    def sub(self, rule: str, pattern: re.Pattern[str], replace: Callable[[re.Match[str]], str]) -> None:
        """Apply ``pattern`` → ``replace`` to the text, recording each real edit."""
        edits = [(m.start(), m.end(), replace(m)) for m in pattern.finditer(self.text)]
        self.replace_all(rule, [edit for edit in edits if self.text[edit[0] : edit[1]] != edit[2]])

    def replace_all(self, rule: str, edits: list[tuple[int, int, str]]) -> None:
        """Replace non-overlapping (start, end, new) spans; edits close together make one Change."""
        out, last = [], 0
        for cluster in _clusters(sorted(edits)):
            start, end = cluster[0][0], cluster[-1][1]
            self.changes.append(self._change(rule, start, end, _apply(self.text, cluster, start, end)))
            for edit_start, edit_end, new in cluster:
                out += [self.text[last:edit_start], new]
                last = edit_end
        self.text = "".join(out) + self.text[last:]

    def line_of(self, index: int) -> int:
        """The document line of ``index`` in the text."""
        return self.line + self.text.count("\n", 0, index)

    def _change(self, rule: str, start: int, end: int, new: str) -> Change:
        left = self.text[max(0, start - _CONTEXT) : start]
        right = self.text[end : end + _CONTEXT]
        before = self.protector.restore(left + self.text[start:end] + right)
        after = self.protector.restore(left + new + right)
        return Change(rule, self.line_of(start), before, after)


def _clusters(edits: list[tuple[int, int, str]]) -> list[list[tuple[int, int, str]]]:
    """Group sorted edits whose gaps are short enough to show in one line of context."""
    groups: list[list[tuple[int, int, str]]] = []
    for edit in edits:
        if groups and edit[0] - groups[-1][-1][1] <= 2 * _CONTEXT and "\n" not in edit[2]:
            groups[-1].append(edit)
        else:
            groups.append([edit])
    return groups


def _apply(text: str, edits: list[tuple[int, int, str]], start: int, end: int) -> str:
    """text[start:end] with ``edits`` (inside that span) applied."""
    out, last = [], start
    for edit_start, edit_end, new in edits:
        out += [text[last:edit_start], new]
        last = edit_end
    return "".join(out) + text[last:end]


def nfc(p: Pass) -> None:
    """Unicode NFC: one code point for é, й, ї, not a letter and a combining mark."""
    normal = unicodedata.normalize("NFC", p.text)
    if normal != p.text:
        p.changes.append(Change("nfc", p.line, p.protector.restore(p.text), p.protector.restore(normal)))
        p.text = normal


def spaces(p: Pass) -> None:
    """One space between words; none at line ends, before , and . or inside ( )."""
    p.sub("spaces", _ODD_SPACES, lambda m: " ")
    p.sub("spaces", _SPACE_RUN, lambda m: NNBSP if NNBSP in m.group() else NBSP if NBSP in m.group() else " ")
    p.sub("spaces", _TRAILING, lambda m: "")
    p.sub("spaces", _BEFORE_COMMA, lambda m: "")
    p.sub("spaces", _IN_PARENS, lambda m: "")


def ellipsis(p: Pass) -> None:
    """Three dots, closed or spaced, are one ellipsis; a full stop before spaced dots stays one.

    ``end. . . .`` and ``end. ...`` become ``end. …``; other runs of dots are left.
    """
    p.sub("ellipsis", _DOT_RUN, lambda m: _DOTS.get(m.group(), m.group()))


def dashes(p: Pass) -> None:
    """A dash between words is the language's dash, spaced its way; year ranges take an en dash. A dateline's
    dash (``LONDRES, 4 de diciembre (Reuters) - Los…``) separates, it opens no aside: where the language attaches
    its dashes to an aside (the raya), the dateline's is spaced."""
    state = {"raya_open": False, "last": 0}
    head = dateline(p.text)
    separator = head.span("dash") if head else (-1, -1)

    def replace(match: re.Match[str]) -> str:
        if separator[0] <= match.start("dash") < separator[1]:
            dash = f" {p.style.dash} " if p.style.dash_spacing == "attached" else _set_dash(p.style, "", state)
        elif not _is_punctuation_dash(p.text, match):
            return match.group()
        else:
            if _SENTENCE_END.search(p.text, state["last"], match.start()):
                state["raya_open"] = False
            state["last"] = match.end()
            after = skip_tags(p.text, match.end())
            dash = _set_dash(p.style, p.text[after : after + 1], state)
        return dash.replace(p.style.dash, match.group("open") + p.style.dash + match.group("close"))

    p.sub("dashes", _DASH, replace)
    p.sub("year-ranges", _YEAR_RANGE, lambda m: m.group(1) + p.style.year_range + m.group(2))


def _is_punctuation_dash(text: str, match: re.Match[str]) -> bool:
    after = text[match.end()] if match.end() < len(text) else ""
    start, end = match.start("dash"), match.end("dash")
    while start > 0 and _AROUND_DASH.match(text[start - 1]):
        start -= 1
    while end < len(text) and _AROUND_DASH.match(text[end]):
        end += 1
    if (start and text[start - 1] in "-\u2013\u2014") or (end < len(text) and text[end] in "-\u2013\u2014"):
        return False  # a run of dashes is a rule or ASCII art, not punctuation
    if after in ("", "\n") or not _WORDS.search(text, text.rfind("\n", 0, match.start()) + 1, match.start()):
        return False  # a list marker, a dialogue dash, or a hard-wrapped line: leave it
    dash = match.group("dash")  # a narrow space is a quote's padding, not a dash's spacing
    spaced_before = any(ch in " \u00a0" for ch in match.group("pre"))
    spaced_after = any(ch in " \u00a0" for ch in match.group("post"))
    if dash == "-":
        return spaced_before and spaced_after
    if dash == "\u2013":
        return spaced_before or spaced_after
    return True


def _set_dash(style: Style, after: str, state: dict) -> str:
    if style.dash_spacing == "closed":
        return style.dash
    if style.dash_spacing == "spaced":
        return f"{NBSP}{style.dash} "
    opening = not state["raya_open"]
    state["raya_open"] = opening
    if opening:
        return f" {style.dash}"
    return style.dash if after in ",.;:!?)…" else f"{style.dash} "


def quote_marks(p: Pass) -> None:
    """Pair the quotes and set them in the language's marks; apostrophes and primes too."""
    marks, unbalanced = quotes.pair_quotes(p.text, p.style)
    if unbalanced:
        for stray in unbalanced:
            near = p.protector.restore(p.text[max(0, stray.index - 15) : stray.index + 15])
            kind = "opens a quotation that never closes" if stray.role == "open" else "closes a quotation never opened"
            p.warnings.append(
                TypographyWarning(
                    p.line_of(stray.index), f"unbalanced quotes: {stray.char} {kind} (near '{near}'); left as written"
                )
            )
        return
    for rule, chosen in (
        ("apostrophes", [m for m in marks if m.role == "apostrophe"]),
        ("primes", [m for m in marks if m.role == "prime"]),
        ("quotes", [m for m in marks if m.role in ("open", "close")]),
    ):
        edits = [_smallest(p.text, edit) for edit in quotes.quote_edits(p.text, chosen, p.style)]
        p.replace_all(rule, [edit for edit in edits if edit[0] != edit[1] or edit[2]])


def _smallest(text: str, edit: tuple[int, int, str]) -> tuple[int, int, str]:
    """The edit without what it leaves as it was at either end: « → «⸱ inserts ⸱ after «."""
    start, end, new = edit
    while start < end and new and text[start] == new[0]:
        start, new = start + 1, new[1:]
    while start < end and new and text[end - 1] == new[-1]:
        end, new = end - 1, new[:-1]
    return start, end, new


def language_spacing(p: Pass) -> None:
    """No-break and narrow no-break spaces where the language wants them."""
    style = p.style
    if style.french_punctuation:
        p.sub("french-spacing", _FRENCH_PUNCT, _french_space)
    if style.short_words:
        p.sub("short-words", _short_words(style.short_words), lambda m: m.group(1) + NBSP)
    if style.particles:
        p.sub("particles", _particles(style.particles), lambda m: NBSP)
    if style.percent_space is not None:
        percent = _PERCENT_UNSPACED if style.percent_spaced else _PERCENT
        p.sub("percent", percent, lambda m: style.percent_space or "")
    if style.german_abbreviations:
        p.sub("abbreviations", _GERMAN_ABBREVIATION, lambda m: m.group(1) + "." + NNBSP)


def _french_space(match: re.Match[str]) -> str:
    """A no-break space before : and a narrow one before ; ! ?, where the author's space was, else just before."""
    space = NBSP if match.group("p") == ":" else NNBSP
    if match.group("pre"):
        return space + match.group("tags") + match.group("p")
    return match.group("tags") + space + match.group("p")


@functools.cache
def _short_words(words: frozenset[str]) -> re.Pattern[str]:
    """A short word (в, i, z) and the space after it, which becomes no-break."""
    alternatives = "|".join(sorted(words, key=len, reverse=True))
    return re.compile(f"(?<![\\w\\-])({alternatives}) (?=\\S)", re.IGNORECASE)


@functools.cache
def _particles(words: frozenset[str]) -> re.Pattern[str]:
    """The space before a particle (бы, ли, же), which becomes no-break."""
    return re.compile(f"(?<=\\w) (?=(?:{'|'.join(sorted(words))})(?![\\w\\-]))")


def period_after_quotes(p: Pass) -> None:
    """RAE and IEC: a full stop or comma goes after the closing quote («Nos vamos».); where a mark already
    follows the quote («Nos vamos», dijo), the one inside goes. ? ! … belong to the quotation and stay; so does an
    abbreviation's own period (EE. UU.»)."""
    if p.style.period_after_quotes:
        p.sub("period-after-quote", _PERIOD_IN_QUOTES, _period_outside)


def _period_outside(match: re.Match[str]) -> str:
    before = match.string[max(0, match.start() - 12) : match.start()]
    if match.group("p") == "." and _ABBREVIATION_END.search(before):
        return match.group(0)
    return match.group("close") + (match.group("after") or match.group("p"))


RULES: tuple[Callable[[Pass], None], ...] = (
    nfc,
    ellipsis,
    spaces,
    dashes,
    quote_marks,
    period_after_quotes,
    language_spacing,
)


def _visible(text: str) -> str:
    return "".join(_SHOW.get(ch, ch) for ch in text)
