"""Sort words by a language's alphabet, not by code point.

Code-point order puts Ukrainian ґ, є, і, ї and Russian ё after я, and Polish
ą, ł, ż after z. A sort key here ranks letters by the language's alphabet;
where a language treats an accented letter as its base letter (German ä,
French é), the base letter's rank is used and the accent only breaks ties.
Case is ignored; spaces sort before letters (word by word); other marks are
skipped. Without ICU on the machine, this covers the editions we publish;
each language's alphabet is in the language registry (tools/languages/).
"""

from __future__ import annotations

import unicodedata

from tools.languages import language

_EXPANSIONS = {"ß": "ss", "æ": "ae", "œ": "oe"}


def sort_key(text: str, lang: str) -> tuple:
    """A key that sorts ``text`` as a dictionary of ``lang`` would."""
    alphabet = alphabet_of(lang)
    primary: list[int] = []
    for char in unicodedata.normalize("NFC", text).casefold():
        for letter in _EXPANSIONS.get(char, char):
            if letter.isspace():
                primary.append(-1)
            elif letter in alphabet:
                primary.append(alphabet.index(letter) + 100)
            elif (base := _base_letter(letter)) in alphabet:
                primary.append(alphabet.index(base) + 100)
            elif letter.isdigit():
                primary.append(int(letter))
            elif letter.isalpha():
                primary.append(1000 + ord(letter))
    return (tuple(primary), unicodedata.normalize("NFC", text).casefold(), text)


def alphabet_of(lang: str) -> str:
    """The letters of ``lang`` in dictionary order, as its registry entry names them."""
    return language(lang).alphabet


def _base_letter(letter: str) -> str:
    return unicodedata.normalize("NFD", letter)[0]
