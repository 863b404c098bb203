"""Does translate-toolkit write PO as gettext's ``msgcat`` does? A byte comparison on a corpus of PO files.

    python tests/translation/measure_po_writers.py [DIR ...]

The corpus: every ``.po`` and ``.pot`` under the checkout's ``translations/`` and each DIR (for example
the ``translations/`` of ``tests/identical/snapshot.py build --keep DIR``), the hard cases of
test_roundtrip.py written by the memory, the accepted cases of po_cases.yml, and a Japanese string.
A file with a header and no entry is left out (msgcat writes it as nothing; the memory keeps its header).
For each file, ``msgcat`` writes it; translate-toolkit (``translate.storage.pypo``, the pure-Python
store: the C one needs libgettextpo, which is not installed) then writes the same entries twice:

- ``rewrite``: msgcat's output read and written back as is (pypo keeps a parsed string's lines);
- ``fresh``: every string set anew, as a memory written from data would be (pypo wraps them itself).

It prints how many files each writes byte for byte as msgcat does, and the first lines of each
difference. ARCHITECTURE.md ("Written like msgcat writes") records the result; the memory's own writer
(tools/memory/writer.py) is checked against msgcat by test_roundtrip.py.
"""

from __future__ import annotations

import difflib
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml
from translate.storage import pypo

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path[:0] = [str(ROOT), str(HERE)]

from test_po_format import HEADER
from test_roundtrip import CASES

from tools.memory.entries import Memory, Unit

JAPANESE = (
    'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\nmsgid "x"\n'
    'msgstr "2025年8月のアラスカでの首脳会談とダボスでの平和評議会の設立を含む一連の注目を集めた取り組みの後、'
    '政権は厳しい現実に直面した。"\n'
)


def msgcat(data: bytes) -> bytes:
    return subprocess.run(["msgcat", "-"], input=data, capture_output=True, check=True).stdout


def toolkit(data: bytes, fresh: bool) -> bytes:
    """translate-toolkit's bytes for the file ``data``; ``fresh``: every string set anew (its own wrapping)."""
    store = pypo.pofile(data)
    if fresh:
        for unit in store.units:
            if unit.hasplural():
                unit.source, unit.target = list(unit.source.strings), list(unit.target.strings)
            else:
                unit.source, unit.target = str(unit.source), str(unit.target)
            if unit.prev_source:
                unit.prev_source = unit.prev_source
    return bytes(store)


def hard_case(folder: Path, number: int, source: str, translation: str) -> bytes:
    """A memory as test_roundtrip.py's hard case writes it (previous msgid, obsolete entry, long references)."""
    path = folder / f"case{number}.po"
    memory = Memory.load(path, "uk", "seeds/a.txt")
    old = Unit(source + " (old)", "seeds/a.txt:1")
    memory.add(old.text, translation, "fake 1", [old])
    memory.retire([old])
    units = [Unit(source, f"seeds/{'long-folder-name/' * (n % 3)}article-{n}.txt:{n}") for n in range(1, 9)]
    memory.add(source, translation, "fake 1", units)
    memory.retire(units)
    memory.save()
    return path.read_bytes()


def corpus(folders: list[Path]) -> dict[str, bytes]:
    files = {}
    for folder in [ROOT / "translations", *folders]:
        for path in sorted(folder.rglob("*")):
            if path.suffix in (".po", ".pot"):
                files[str(path)] = path.read_bytes()
    with tempfile.TemporaryDirectory() as temporary:
        for number, (source, translation) in enumerate(CASES):
            files[f"hard case {number}: {source[:30]!r}"] = hard_case(Path(temporary), number, source, translation)
    for case in yaml.safe_load((HERE / "po_cases.yml").read_text(encoding="utf-8")):
        if case["accept"] is True:
            text = case["text"].replace("HEADER\n", HEADER + "\n", 1)
            text = re.sub(r"<U\+([0-9A-F]{4})>", lambda m: chr(int(m.group(1), 16)), text)
            files[f"po_cases.yml: {case['name']}"] = text.encode()
    files["Japanese"] = JAPANESE.encode()
    return files


def main() -> None:
    files = corpus([Path(arg) for arg in sys.argv[1:]])
    empty = [name for name, data in files.items() if not msgcat(data)]
    print(f"left out: {len(empty)} file(s) with a header and no entry, which msgcat writes as nothing")
    files = {name: data for name, data in files.items() if name not in empty}
    for mode in ("rewrite", "fresh"):
        same, differ = 0, []
        for name, data in files.items():
            want = msgcat(data)
            got = toolkit(want, fresh=mode == "fresh")
            if got == want:
                same += 1
                continue
            diff = difflib.unified_diff(want.decode().splitlines(), got.decode().splitlines(), lineterm="", n=0)
            differ.append((name, list(diff)[2:12]))
        print(f"{mode}: translate-toolkit writes msgcat's bytes for {same} of {len(files)} files")
        for name, lines in differ:
            print(f"  == {name}", *(f"  {line}" for line in lines), sep="\n")


if __name__ == "__main__":
    main()
