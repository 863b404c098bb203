"""The translation stage with an engine that streams (Argos's shape): one call, saved every batch as it comes.

The fake engine stands in for the order of events only; tests/translation/test_argos.py runs the real
streaming engine against Argos's own code.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import polib
import pytest
from fakes import StreamingFakeEngine

from tools.errors import PressError
from tools.glossary.termbase import load_termbase
from tools.ingest import parse_seed
from tools.translate import translate_article

ROOT = Path(__file__).resolve().parents[2]
BASE, _ = load_termbase(ROOT / "glossary" / "terms.yml")
SEED = """ date 2026-02-02 Five sentences

Tankers carry oil. Money is short. Talks stall.

Nobody expected much.
"""
SENTENCES = ["Five sentences", "Tankers carry oil.", "Money is short.", "Talks stall.", "Nobody expected much."]


@pytest.fixture(autouse=True)
def batches_of_two(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("tools.translate.BATCH", 2)


def translate(po: Path, engine: StreamingFakeEngine, progress=None):
    article = dataclasses.replace(parse_seed(SEED.encode(), Path("seeds/five.txt")), source=Path("seeds/five.txt"))
    return translate_article(article, "es", engine, po, BASE, progress=progress)


def saved(po: Path) -> dict[str, str]:
    return {e.msgid: e.msgstr for e in polib.pofile(str(po)) if not e.obsolete} if po.exists() else {}


def test_one_call_for_every_sentence_saved_batch_by_batch(tmp_path: Path) -> None:
    po, engine, seen = tmp_path / "es.po", StreamingFakeEngine(), []
    result = translate(po, engine, progress=lambda done, total: seen.append((done, total, len(saved(po)))))
    assert engine.calls == result.engine_calls == 1 and engine.sent == SENTENCES
    assert seen == [(2, 5, 2), (4, 5, 4), (5, 5, 5)], "the memory is on disk after every batch"
    assert saved(po) == {sentence: f"ES {sentence}" for sentence in SENTENCES}


def test_an_interrupted_stream_keeps_the_batches_saved_and_no_more_is_asked(tmp_path: Path) -> None:
    po, engine = tmp_path / "es.po", StreamingFakeEngine()

    def interrupt(done: int, total: int) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        translate(po, engine, progress=interrupt)
    assert list(saved(po)) == SENTENCES[:2] and engine.yielded == 2
    again = StreamingFakeEngine()
    translate(po, again)
    assert again.sent == SENTENCES[2:], "the rest, and nothing translated twice"


@pytest.mark.parametrize(
    ("engine", "message"),
    [
        (StreamingFakeEngine(fail_after=3), "streaming failed translating to es: the workers stopped"),
        (StreamingFakeEngine(fail_after=3, short=True), "streaming failed translating to es: 1 translations for 2"),
    ],
    ids=["engine error", "stream ends early"],
)
def test_a_failing_stream_is_one_error_and_keeps_the_whole_batches(
    tmp_path: Path, engine: StreamingFakeEngine, message: str
) -> None:
    po = tmp_path / "es.po"
    with pytest.raises(PressError) as raised:
        translate(po, engine)
    assert message in str(raised.value)
    assert list(saved(po)) == SENTENCES[:2], "the batch half made is not saved"
