"""The typographic conventions of each language, as data (:mod:`tools.typography` applies them).

Sources: CLDR delimiters, Typograf, JoliTypo, RAE (Ortografía 2010), the
EU Interinstitutional Style Guide, Duden, PWN. ``../shared/DESIGN.md``
section 3 summarises them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

NBSP = "\u00a0"  # no-break space
NNBSP = "\u202f"  # narrow no-break space
EM_DASH = "\u2014"
EN_DASH = "\u2013"
RIGHT_SINGLE = "\u2019"  # ’ apostrophe in most languages
MODIFIER_APOSTROPHE = "\u02bc"  # ʼ the Ukrainian apostrophe, a letter


@dataclass(frozen=True)
class Style:
    """How one language sets quotes, dashes and spaces.

    ``quotes`` lists the (open, close) marks by nesting level; deeper levels
    cycle through the levels after the first; ``quote_padding`` goes inside
    guillemets (French). ``dash_spacing`` is
    ``closed`` (word—word), ``spaced`` (word␣– word, no-break space before)
    or ``attached`` (Spanish raya: word —aside— word). ``year_range`` joins
    two years (1939–1945); RAE and French usage keep the hyphen.
    ``percent_space`` is the space before % where the author wrote one (None:
    as written); ``percent_spaced`` puts it in where there was none (90 % in
    es, ca, fr, de, as CLDR writes them). ``period_after_quotes``: a full stop
    or comma goes after the closing quote (RAE, IEC): «Nos vamos». Y se fue.
    """

    quotes: tuple[tuple[str, str], ...]
    dash: str
    dash_spacing: str
    quote_padding: str = ""
    year_range: str = EN_DASH
    word_apostrophe: str = RIGHT_SINGLE
    cyrillic_apostrophe: str = RIGHT_SINGLE
    short_words: frozenset[str] = field(default_factory=frozenset)
    particles: frozenset[str] = field(default_factory=frozenset)
    percent_space: str | None = None
    percent_spaced: bool = False
    period_after_quotes: bool = False
    french_punctuation: bool = False
    german_abbreviations: bool = False

    @property
    def opening_marks(self) -> str:
        """Every opening quotation mark of the style."""
        return "".join(opening for opening, _ in self.quotes)

    @property
    def closing_marks(self) -> str:
        """Every closing quotation mark of the style."""
        return "".join(closing for _, closing in self.quotes)

    def quote_marks(self, depth: int) -> tuple[str, str]:
        """Open and close marks for a quotation nested ``depth`` levels deep."""
        if depth < len(self.quotes):
            return self.quotes[depth]
        cycle = self.quotes[1:] or self.quotes
        return cycle[(depth - 1) % len(cycle)]


_RU_SHORT = "а в и к о с у я во да до за из ко на не ни но об от по со"
_UK_SHORT = "а в і й з о у я до за із зі на не ні по та"
_PL_SHORT = "a i o u w z"

# One style per convention; the registry (tools/languages/__init__.py) names each language's.
ENGLISH = Style(quotes=(("“", "”"), ("‘", "’")), dash=EM_DASH, dash_spacing="closed", percent_space="")
UKRAINIAN = Style(
    quotes=(("«", "»"), ("„", "“")),
    dash=EM_DASH,
    dash_spacing="spaced",
    cyrillic_apostrophe=MODIFIER_APOSTROPHE,
    short_words=frozenset(_UK_SHORT.split()),
    percent_space=NBSP,
)
RUSSIAN = Style(
    quotes=(("«", "»"), ("„", "“")),
    dash=EM_DASH,
    dash_spacing="spaced",
    short_words=frozenset(_RU_SHORT.split()),
    particles=frozenset(["бы", "ли", "же"]),
    percent_space=NBSP,
)
GERMAN = Style(
    quotes=(("„", "“"), ("‚", "‘")),
    dash=EN_DASH,
    dash_spacing="spaced",
    percent_space=NBSP,
    percent_spaced=True,
    german_abbreviations=True,
)
FRENCH = Style(
    quotes=(("«", "»"), ("“", "”")),
    quote_padding=NNBSP,
    year_range="-",
    dash=EN_DASH,
    dash_spacing="spaced",
    percent_space=NNBSP,
    percent_spaced=True,
    french_punctuation=True,
)
RAE = Style(  # Spanish (RAE); Catalan (IEC) sets quotes, dashes and years the same way
    quotes=(("«", "»"), ("“", "”"), ("‘", "’")),
    dash=EM_DASH,
    dash_spacing="attached",
    year_range="-",
    percent_space=NBSP,
    percent_spaced=True,
    period_after_quotes=True,
)
POLISH = Style(
    quotes=(("„", "”"), ("«", "»")),
    dash=EN_DASH,
    dash_spacing="spaced",
    short_words=frozenset(_PL_SHORT.split()),
    percent_space=NBSP,
)
