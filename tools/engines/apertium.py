"""Apertium: a rule-based offline engine (Debian packages apertium, apertium-eng-spa, apertium-eng-cat).

One call translates a batch: the pair's own pipeline (its ``.mode`` file, as
``apertium MODE`` runs it between ``apertium-destxt`` and ``apertium-retxt``),
in two halves, with one repair between them. What goes in, and why:

- Sentences are separated by a blank line. A plain line break does not stop
  Apertium's rules: a sentence without a full stop (a title) let words move
  into the next one. The null-flush mode (``-z``) is no better: the text
  deformatter drops the NUL, and ``-f none -z`` translates a sentence's last
  words differently from the same sentence alone. Blank lines gave the same
  text as one call per sentence on every sentence of the seed.
- Glued words (``iniciativasdeperfil alto``, ``lollaman``) are Apertium's:
  its transfer gives the source's blanks back in their order, whatever a rule
  reorders or adds, and a hyphenated compound (``high-profile``) or a
  possessive (``Trump’s``) has empty blanks inside it, so the words a rule
  moved came out with nothing between them. Before the generator, every two
  lexical units that are words and touch get a space; punctuation, hyphens
  and the enclitics the generator joins itself (``darse+lo``) are one unit.
- A placeholder with an English possessive (``⟦T1⟧’s``) is sent as a proper
  noun Apertium knows (``Johnson’s``), so its genitive rule gives ``de ⟦T1⟧``
  in the right place; an unknown word before ``’s`` lost the ``’s`` and left a
  double space. Before another placeholder (``⟦T1⟧’s ⟦T2⟧``, a name's term),
  where that rule finds no noun, it is sent as ``the ⟦T2⟧ of ⟦T1⟧``.
- ``*``, ``#``, ``@`` and tabs of the text are shielded, and the generator
  runs with its marks (no ``-u``): every mark in the output is then
  Apertium's (``*`` unknown word, ``#`` generation error, ``@`` transfer
  error). The marks are stripped and returned as data: each translation is
  an :class:`Output`, a ``str`` that also carries them.

What comes out is tidied of what Apertium itself leaves: the blank of a word
it drops (a subject pronoun) is one space, not two; a blank it moves before
closing punctuation goes (unless the source has one there); ``EE.UU..`` is
one full stop; a sentence keeps its source's capital, and the word after a
placeholder that starts it does not take one (``⟦T1⟧ Está``).
Empty output, a different number of sentences or a failure is an
:class:`EngineError`, never a translation: some Apertium pairs crash and print
nothing with exit status 0.
"""

from __future__ import annotations

import functools
import re
import shutil
import subprocess
from pathlib import Path
from typing import Self

from tools.diagnostics import one_line, shown
from tools.engines.base import EngineError, Unavailable

MODES = {("en", "es"): ("eng-spa", "apertium-eng-spa"), ("en", "ca"): ("eng-cat", "apertium-eng-cat")}
TIMEOUT_S = 300
# Proper nouns both pairs know and give back unchanged (checked with eng-spa and eng-cat 2025 packages).
SURROGATES = ("Johnson", "Lincoln", "Churchill", "Darwin", "Mozart", "Picasso", "Gandhi", "Thatcher")
PLACEHOLDER = re.compile(r"⟦T\d+⟧")
_SHIELD = {"*": "\ue02a", "#": "\ue023", "@": "\ue040", "\t": "\ue009"}
_UNSHIELD = {v: k for k, v in _SHIELD.items()}
_POSSESSIVE = re.compile(r"(⟦T\d+⟧)(?=['’]s(?!\w))")
_POSSESSIVE_OF_PLACEHOLDER = re.compile(r"(⟦T\d+⟧)['’]s\s+([«“\"]?⟦T\d+⟧[»”\"]?)")
_MARK = re.compile(r"(?<![\w⟦])([*#@])(\w+(?:['’]\w+)*)")
_MARK_IN_PLACEHOLDER = re.compile(r"⟦[*#@]+(T\d+)⟧")
_CLOSING = ".,;:!?)]»”"
_OPENING_MARKS = '«“"‘(['
_SPACES = re.compile(r"[ \t]+")
_STREAM_TOKEN = re.compile(r"\[(?:\\.|[^\]\\])*\]|\^(?:\\.|[^$\\])*\$")  # a format blank [...] or a unit ^...$


class Output(str):
    """A translation (it is the text) and what the engine marked in it: unknown words in source order, errors.

    A ``str``, so an engine that returns these still returns ``list[str]``; the
    translation stage reads ``unknown`` and ``errors`` where it finds them.
    """

    unknown: tuple[str, ...]
    errors: tuple[str, ...]

    def __new__(cls, text: str, unknown: tuple[str, ...] = (), errors: tuple[str, ...] = ()) -> Self:
        output = super().__new__(cls, text)
        output.unknown, output.errors = unknown, errors
        return output


class ApertiumEngine:
    """Translate through the ``apertium`` command."""

    name = "apertium"

    def unavailable(self, source: str, target: str) -> Unavailable | None:
        """None when apertium and the pair's mode are installed."""
        if (source, target) not in MODES:
            pairs = ", ".join(f"{s}→{t}" for s, t in MODES)
            return Unavailable(
                f"Apertium has no {source}→{target} pair here", f"use another engine (Apertium serves {pairs})"
            )
        mode, package = MODES[(source, target)]
        apertium = shutil.which("apertium")
        if not apertium:
            return Unavailable("apertium is not installed", f"sudo apt-get install apertium {package}")
        modes, failure = _installed_modes(apertium)
        if failure:
            return Unavailable(
                f"apertium is installed ({apertium}) but failing ({failure})",
                f"run apertium -l to see it fail; reinstall it: sudo apt-get install --reinstall apertium {package}",
            )
        if mode not in modes:
            return Unavailable(f"Apertium's {mode} mode is not installed", f"sudo apt-get install apertium {package}")
        return None

    def model(self, source: str, target: str) -> str:
        """The mode and the Debian package's version."""
        mode, package = MODES[(source, target)]
        return f"{mode} {_package_version(package)}"

    def translate(self, sentences: list[str], source: str, target: str) -> list[str]:
        """Translate the sentences in one call; each an :class:`Output`, with what Apertium marked in it."""
        mode, _ = MODES[(source, target)]
        todo = [i for i, s in enumerate(sentences) if s.strip()]
        if not todo:
            return [Output(s) for s in sentences]
        prepared = [_prepare(sentences[i]) for i in todo]
        raw = _translate_text("\n\n".join(text for text, _ in prepared) + "\n", mode)
        lines = raw.rstrip("\n").split("\n")
        if len(lines) != 2 * len(prepared) - 1 or any(lines[1::2]):
            raise EngineError(f"apertium {mode} returned {(len(lines) + 1) // 2} sentences for {len(prepared)}")
        outputs = [Output("")] * len(sentences)
        for index, (_, surrogates), line in zip(todo, prepared, lines[::2]):
            outputs[index] = _finish(line, sentences[index], surrogates)
            if not outputs[index]:
                raise EngineError(f"apertium {mode} returned nothing for {shown(sentences[index])}")
        return outputs


def _prepare(sentence: str) -> tuple[str, dict[str, str]]:
    """The sentence as Apertium gets it: on one line, marks shielded, possessive placeholders as proper nouns."""
    text = "".join(_SHIELD.get(c, c) for c in " ".join(sentence.splitlines()))
    text = _POSSESSIVE_OF_PLACEHOLDER.sub(_the_of, text)
    free = [name for name in SURROGATES if name.casefold() not in text.casefold()]
    surrogates: dict[str, str] = {}

    def surrogate(match: re.Match[str]) -> str:
        if not free:
            return match.group(1)
        name = free.pop(0)
        surrogates[name] = match.group(1)
        return name

    return _POSSESSIVE.sub(surrogate, text), surrogates


def _the_of(match: re.Match[str]) -> str:
    """``⟦T1⟧’s ⟦T2⟧`` → ``the ⟦T2⟧ of ⟦T1⟧``: Apertium's genitive rule needs a noun it knows after ``’s``."""
    the = "The" if not match.string[: match.start()].strip() else "the"
    return f"{the} {match.group(2)} of {match.group(1)}"


def _finish(line: str, source: str, surrogates: dict[str, str]) -> Output:
    """Apertium's line → the translation: marks taken out as data, blanks tidied, shielded characters back."""
    text = _MARK_IN_PLACEHOLDER.sub(r"⟦\1⟧", line)
    unknown, errors = [], []
    for match in _MARK.finditer(text):
        (unknown if match.group(1) == "*" else errors).append(match.group(2) if match.group(1) == "*" else match[0])
    text = _MARK.sub(r"\2", text)
    for name, placeholder in surrogates.items():
        text = re.sub(rf"\b{name}\b", placeholder, text, count=1)
    text = _no_capital_after_unknown_start(_tidy(text, source), source, unknown)
    return Output(text, _in_source_order(unknown, source), tuple(dict.fromkeys(errors)))


def _no_capital_after_unknown_start(text: str, source: str, unknown: list[str]) -> str:
    """Apertium capitalises the first word it knows, even after a placeholder or an unknown word that starts the
    sentence (``⟦T1⟧ Está intentando``): that word loses its capital when the source's second word has none."""
    words, source_words = text.split(" "), source.split(" ")
    if len(words) < 2 or len(source_words) < 2 or not source_words[1][:1].islower():
        return text
    first, second = words[0].strip(_OPENING_MARKS), words[1]
    starts_unknown = PLACEHOLDER.fullmatch(first) or first in unknown
    if starts_unknown and second[:1].isupper() and not second[1:2].isupper() and second not in source:
        words[1] = second[0].lower() + second[1:]
    return " ".join(words)


def _tidy(text: str, source: str) -> str:
    """One space where Apertium left two, none before closing punctuation, the source's capital and full stop."""
    text = _SPACES.sub(" ", text).strip()
    for mark in _CLOSING:
        if f" {mark}" not in source:
            text = text.replace(f" {mark}", mark)
    if ".." not in source:
        text = re.sub(r"(?<!\.)\.\.(?!\.)", ".", text)
    text = "".join(_UNSHIELD.get(c, c) for c in text)
    first = next((c for c in source if c.isalpha()), "")
    if first.isupper() and text[:1].islower():
        text = text[0].upper() + text[1:]
    return text


def _in_source_order(words: list[str], source: str) -> tuple[str, ...]:
    """The words once each, ordered by where they first occur in the source sentence (unfound ones last)."""
    folded = source.casefold()

    def position(word: str) -> int:
        found = re.search(rf"(?<!\w){re.escape(word.casefold())}(?!\w)", folded)
        return found.start() if found else len(source)

    return tuple(sorted(dict.fromkeys(words), key=position))


def _translate_text(text: str, mode: str) -> str:
    """What ``apertium MODE`` does to plain text, with a missing blank between two words put back before generation."""
    analysis, generation = _stages(mode)
    stream = _call(["apertium-destxt"], text, mode)
    stream = _space_between_words(_call(["bash", "-c", analysis, "apertium", "-g", ""], stream, mode))
    return _call(["bash", "-c", f"{generation} | apertium-retxt", "apertium", "-g", ""], stream, mode)


def _space_between_words(stream: str) -> str:
    """A blank between every two lexical units that are words (``^prpers<prn>$^llamar<vblex>$`` → two words)."""
    out, last, previous = [], 0, None
    for match in _STREAM_TOKEN.finditer(stream):
        token = match.group()
        if not token.startswith("^"):
            previous = None
            continue
        if previous is not None and previous.end() == match.start() and _is_word(previous.group()) and _is_word(token):
            out += [stream[last : match.start()], " "]
            last = match.start()
        previous = match
    return "".join(out) + stream[last:]


def _is_word(unit: str) -> bool:
    """A lexical unit whose lemma has a letter or a digit (not punctuation, not a hyphen)."""
    lemma = re.split(r"(?<!\\)[<$/]", unit[1:], maxsplit=1)[0]
    return any(c.isalnum() for c in lemma)


def data_dir() -> Path:
    """Where the installed Apertium keeps its pairs (``share/apertium`` beside its ``bin``)."""
    apertium = shutil.which("apertium")
    return Path(apertium or "/usr/bin/apertium").resolve().parent.parent / "share" / "apertium"


@functools.cache
def _stages(mode: str) -> tuple[str, str]:
    """The mode's pipeline (its ``.mode`` file) in two: up to the generator, and from it (``$1`` is its option)."""
    mode_file = data_dir() / "modes" / f"{mode}.mode"
    try:
        stages = [stage.strip() for stage in mode_file.read_text(encoding="utf-8").strip().split("|")]
    except OSError as exc:
        raise EngineError(f"apertium {mode} failed: cannot read its mode file {mode_file}: {exc.strerror}") from None
    generator = next((i for i, stage in enumerate(stages) if "$1" in stage), None)
    if not generator:
        raise EngineError(f"apertium {mode} failed: {mode_file} has no generator step (lt-proc $1 …)")
    return " | ".join(stages[:generator]), " | ".join(stages[generator:])


def _call(command: list[str], text: str, mode: str) -> str:
    """Standard output of ``command`` on ``text``; a failure or no output is an EngineError."""
    try:
        run = subprocess.run(command, input=text, capture_output=True, text=True, timeout=TIMEOUT_S, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise EngineError(f"apertium {mode} did not run: {exc}") from None
    if run.returncode != 0 or not run.stdout.strip():
        message = _first_line(run.stderr, "no output")
        raise EngineError(f"apertium {mode} failed (status {run.returncode}): {message}")
    return run.stdout


def _first_line(stderr: str, none: str = "nothing on stderr") -> str:
    """A program's first line of standard error, printable, at most 200 characters (the words are its, not ours)."""
    first = next((line.strip() for line in stderr.splitlines() if line.strip()), none)
    return one_line(first, 200)


_MODES: dict[str, frozenset[str]] = {}  # apertium -l, per program, once it answered


def _installed_modes(apertium: str) -> tuple[frozenset[str], str]:
    """The modes ``apertium -l`` lists, and why it failed ('' when it did not): its exit status and the first line
    of its standard error. An answer is kept per program (another ``apertium`` first on PATH is asked again); a
    failure is not, so a long-running process (``make serve``) sees a repaired install."""
    if apertium in _MODES:
        return _MODES[apertium], ""
    try:
        run = subprocess.run([apertium, "-l"], capture_output=True, text=True, timeout=60, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return frozenset(), f"{apertium} -l did not run: {exc}"
    if run.returncode != 0:
        return frozenset(), f"exit status {run.returncode}: {_first_line(run.stderr)}"
    _MODES[apertium] = frozenset(run.stdout.split())
    return _MODES[apertium], ""


@functools.cache
def _package_version(package: str) -> str:
    run = subprocess.run(["dpkg-query", "-W", "-f=${Version}", package], capture_output=True, text=True, check=False)
    return run.stdout.strip() or "unknown"
