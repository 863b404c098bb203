"""Which language a text reads as, and the check that the seeds are in editions.yml's source language.

Identification is py3langid's naive Bayes model (shipped inside the package, read offline),
restricted to the toolkit's languages. The check refuses only what it is sure of: a seed must have
enough letters, read as another language with a probability of at least :data:`CONFIDENT`, and have
no paragraph that reads as the source language (so quotations and mixed texts pass).
"""

from __future__ import annotations

import contextlib
import functools
import importlib.metadata
import io
import re
import threading
import zipfile
from array import array
from collections.abc import Collection
from pathlib import Path

import numpy as np
from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

from tools.config import key_line
from tools.errors import PressError
from tools.fsutil import file_sha, write_atomic
from tools.languages import CODES

MIN_LETTERS = 100  # below this a text is too short to tell (a title, a line of names)
MIN_PARAGRAPH_LETTERS = 30  # a paragraph this long in the source language makes a seed pass
CONFIDENT = 0.99  # py3langid's normalised probability of the best language (so the source has at most 0.01)
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


def identify(text: str) -> tuple[str, float] | None:
    """The language ``text`` reads as among the toolkit's, with its probability; None if too short to tell."""
    if _letters(text) < MIN_LETTERS:
        return None
    lang, probability = _identifier().classify(text)
    return lang, probability


def check_seed_language(
    source_language: str, seeds: list[tuple[Path, str]], config_path: Path, skip: Collection[str] = ()
) -> None:
    """Raise PressError, at the line of ``source_language`` in editions.yml, if a seed is surely in another language.

    ``seeds`` are (path as shown, text) pairs. A seed that is short, mixed or unsure passes, as does one
    whose path is in ``skip`` (an earlier check passed it, unchanged).
    """
    wrong = [
        (path, lang)
        for path, text in seeds
        if str(path) not in skip and (lang := _other_language(text, source_language))
    ]
    if not wrong:
        return
    path, lang = wrong[0]
    line = key_line(config_path, "source_language")
    setting = f"source_language is {source_language}" + (" (the default)" if line is None else "")
    more = f" (and {len(wrong) - 1} more seed(s))" if len(wrong) > 1 else ""
    all_in_one = len(wrong) == len(seeds) and {found for _, found in wrong} == {lang}
    fix = f"set source_language: {lang}" if all_in_one else f"write {path} in {source_language}, or take it out"
    raise PressError(config_path, line, f"{setting}, but {path} reads as {lang}{more}", fix)


def _other_language(text: str, source_language: str) -> str | None:
    """The language ``text`` surely reads as if it is not ``source_language``; None otherwise."""
    found = identify(text)
    if found is None or found[0] == source_language or found[1] < CONFIDENT:
        return None
    for paragraph in _PARAGRAPH_BREAK.split(text):
        if _letters(paragraph) >= MIN_PARAGRAPH_LETTERS and _identifier().classify(paragraph)[0] == source_language:
            return None
    return found[0]


def _letters(text: str) -> int:
    return sum(c.isalpha() for c in text)


def load_identifier(kept: Path | None = None) -> None:
    """Start loading the model in a thread, for a check that comes later (0.7 s, most of it LZMA, which leaves
    Python's lock: the caller goes on meanwhile); the check waits for it. With ``kept`` (a file of the project's
    generated cache: :attr:`tools.layout.Layout.language_model`), the model restricted to the toolkit's languages
    is read from there (zlib, not LZMA: 0.15 s), once a load has written it."""
    global _kept
    _kept = kept
    threading.Thread(target=_preload, name="py3langid model", daemon=True).start()


_kept: Path | None = None  # where the restricted model is kept (load_identifier), for _model


def _preload() -> None:
    try:
        _identifier()
    except Exception:  # noqa: BLE001 - the check loads it again, and fails there as the build's own error
        return


def _identifier() -> LanguageIdentifier:
    """The model, loaded once (by whichever caller comes first; the others wait for it)."""
    with _LOADING:
        return _model()


_LOADING = threading.Lock()


@functools.cache
def _model() -> LanguageIdentifier:
    """py3langid's model, limited to the toolkit's languages; our own instance, not the module's shared one."""
    identifier = _read_kept(_kept) if _kept is not None else None
    if identifier is None:
        identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
        identifier.set_languages(CODES)
        if _kept is not None:
            _keep(identifier, _kept)
    return identifier


def _model_key() -> str:
    """What the kept model was made of: py3langid's version, its model file's bytes, the languages."""
    model = MODEL_DIR / MODEL_FILE
    return f"{importlib.metadata.version('py3langid')} {file_sha(model)} {' '.join(CODES)}"


def _keep(identifier: LanguageIdentifier, path: Path) -> None:
    """The restricted model as a ``.npz`` at ``path`` (written whole, or not at all)."""
    arrays = {
        "key": np.array(_model_key()),
        "ptc": np.ascontiguousarray(identifier.nb_ptc),
        "pc": identifier.nb_pc,
        "classes": np.array(identifier.nb_classes),
        "nextmove": _unsigned(identifier.tk_nextmove),
        "row": _unsigned(identifier.tk_row),
        "output": np.asarray(identifier.tk_output, dtype=np.int64),
    }
    buffer = io.BytesIO()
    np.savez_compressed(buffer, **arrays)  # zlib: 2 MB, read in a fifth of LZMA's time
    with contextlib.suppress(PressError):  # a cache that cannot be written is only slower next time
        write_atomic(path, buffer.getvalue())


def _read_kept(path: Path) -> LanguageIdentifier | None:
    """The model :func:`_keep` wrote, as py3langid's restricted one; None when there is none, or it is damaged or
    of another model (no pickle is read: ``allow_pickle=False``)."""
    try:
        with np.load(path, allow_pickle=False) as data:
            if str(data["key"]) != _model_key():
                return None
            nextmove, row = data["nextmove"], data["row"]
            return LanguageIdentifier(
                data["ptc"],
                data["pc"],
                [str(c) for c in data["classes"]],
                array(_TYPECODES[nextmove.dtype.itemsize], nextmove.tobytes()),
                data["output"].tolist(),
                norm_probs=True,
                tk_row=array(_TYPECODES[row.dtype.itemsize], row.tobytes()),
            )
    except (OSError, ValueError, KeyError, TypeError, EOFError, zipfile.BadZipFile):
        return None


def _unsigned(values: array) -> np.ndarray:
    """One of py3langid's DFA arrays (a stdlib array of unsigned integers) as numpy's, in this machine's order."""
    return np.frombuffer(values, dtype=f"u{values.itemsize}")


_TYPECODES = {2: "H", 4: "I", 8: "L"}  # an unsigned integer's size → its stdlib typecode, as py3langid's modelio
