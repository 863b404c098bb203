"""The libretranslate engine against the real LibreTranslate server: an edition, two servers, 429s, a crash, keys.

The servers run copying models (the output is the input), so every translation is checkable; the
memory, term locking and provenance are the translation stage's own, as with the other engines.
"""

from __future__ import annotations

import math
import re
import subprocess
from pathlib import Path

import pytest
import yaml
from conftest import copy_project  # tests/ is on the path: helpers, not fixtures

from tools.build import build
from tools.engines import ENGINES, EngineError
from tools.engines.libretranslate import UNCHANGED, LibreTranslateEngine, Settings
from tools.errors import PressError
from tools.glossary.termbase import load_termbase
from tools.memory.entries import Memory
from tools.translate import BATCH, translate_article, units_of

from .conftest import SEED

pytestmark = pytest.mark.slow  # real LibreTranslate servers

SLUG = "policy-of-personal-diplomacy-that-donald-trump-has"
UNITS = len(units_of(SEED))
KEY_VARIABLE = "PRESS_TEST_LT_KEY"
FAST = {"backoff": 0.01, "retries": 3, "timeout": 30.0}  # retries in milliseconds: no timings in tests


def engine_for(*urls: str, **settings: object) -> LibreTranslateEngine:
    return LibreTranslateEngine(Settings(tuple(urls), **{**FAST, **settings}))


def translate(engine: LibreTranslateEngine, memory: Path, **options: object):
    """The seed through ``engine`` into ``memory`` (no glossary), as the build does it."""
    assert engine.unavailable("en", "uk") is None
    return translate_article(SEED, "uk", engine, memory, None, "en", **options)


def test_a_ukrainian_edition_through_the_server(lt_server, tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    (project / "editions.yml").write_text(
        "source_language: en\nlanguages: [uk]\nengines: {uk: [libretranslate]}\n"
        f"libretranslate:\n  urls: [{lt_server.url}/]\n  timeout: 60\n"
    )
    first = build(project)
    [uk] = [e for e in first.editions if e.lang == "uk"]
    model = lt_server.url
    assert (uk.engine, uk.model, uk.machine, uk.reviewed) == ("libretranslate", model, UNITS, 0)
    page = (project / "docs" / "uk" / f"{SLUG}.md").read_text(encoding="utf-8")
    _, meta, body = page.split("---\n", 2)
    assert yaml.safe_load(meta)["translation"]["engine"] == "libretranslate"
    assert body.count("{: #p") == 20 and "⟦" not in body, "every paragraph, every placeholder back"
    base, _ = load_termbase(project / "glossary" / "terms.yml")
    plain = body.replace("\u00a0", " ").lower()
    for term in base.terms:
        assert term.renderings["uk"].term.lower() in plain, f"{term.id}: locked and rendered, as with Argos"
    memory = (project / "translations" / "uk" / f"{SEED.id}.po").read_text(encoding="utf-8")
    assert f"#. machine translation: libretranslate {model}" in memory
    flagged = memory.count(f"#. engine errors: {UNCHANGED}\n")
    assert flagged >= UNITS - 2, "the copying model returns the source: each such sentence carries the finding"
    again = build(project)
    [uk] = [e for e in again.editions if e.lang == "uk"]
    assert uk.engine_calls == 0 and again.written == [], "the memory answers everything: no request"


def test_two_servers_share_the_work(lt_server, start_server, proxy, tmp_path: Path) -> None:
    first, second = proxy(lt_server.url), proxy(start_server().url)
    engine = engine_for(first.url, second.url)
    translation = translate(engine, tmp_path / "uk.po")
    assert engine.model("en", "uk") == f"{first.url}, {second.url}"
    assert first.counts["/translate"] >= 4 and second.counts["/translate"] >= 4, "chunks went to both"
    assert translation.engine_calls == math.ceil(UNITS / BATCH)
    alone = translate(engine_for(lt_server.url), tmp_path / "alone.po")
    assert translation.texts == alone.texts, "the same text, however the chunks were spread"


def test_429_and_503_are_retried(lt_server, proxy, tmp_path: Path) -> None:
    flaky = proxy(lt_server.url)
    engine = engine_for(flaky.url)
    assert engine.unavailable("en", "uk") is None
    flaky.errors[:] = [429, 503, 429]
    translation = translate_article(SEED, "uk", engine, tmp_path / "uk.po", None, "en")
    assert flaky.answered[429] == 2 and flaky.answered[503] == 1 and len(translation.texts) == UNITS


def test_too_many_429s_stop_the_run_and_keep_the_memory(lt_server, proxy, tmp_path: Path) -> None:
    throttled = proxy(lt_server.url)
    memory = tmp_path / "uk.po"

    def throttle(done: int, total: int) -> None:
        throttled.errors[:] = [429] * 10

    with pytest.raises(PressError, match=r"libretranslate failed translating to uk: .*HTTP 429: Slowdown"):
        translate(engine_for(throttled.url, retries=1), memory, progress=throttle)
    assert len(Memory.load(memory, "uk", "").translations()) == BATCH, "the first batch was saved"


def test_a_server_that_dies_mid_run(lt_server, start_server, tmp_path: Path) -> None:
    doomed = start_server()
    memory = tmp_path / "uk.po"

    def crash(done: int, total: int) -> None:
        doomed.kill()

    with pytest.raises(PressError, match=r"libretranslate failed translating to uk: .*no answer"):
        translate(engine_for(doomed.url), memory, progress=crash)
    assert len(Memory.load(memory, "uk", "").translations()) == BATCH, "what was done is in the memory"
    rest = translate(engine_for(lt_server.url), memory)
    assert rest.engine_calls == math.ceil((UNITS - BATCH) / BATCH), "only what the memory lacked was sent"
    assert len(rest.texts) == UNITS


def test_when_one_of_two_servers_dies_the_other_finishes(lt_server, start_server, tmp_path: Path) -> None:
    doomed = start_server()

    def crash(done: int, total: int) -> None:
        doomed.kill()

    translation = translate(engine_for(doomed.url, lt_server.url), tmp_path / "uk.po", progress=crash)
    assert len(translation.texts) == UNITS


def test_an_api_key_required_and_given(start_server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    server = start_server(
        "--api-keys", "--api-keys-db-path", "db/api_keys.db", "--require-api-key-origin", "https://newsroom.invalid"
    )
    add_key = ["keys", "--api-keys-db-path", "db/api_keys.db", "add", "600", "--key", "s3cret"]  # 600 a minute
    subprocess.run(
        [str(server.command.with_name("ltmanage")), *add_key],
        cwd=server.home, check=True, capture_output=True, env={"HOME": str(server.home), "PATH": "/usr/bin:/bin"},
    )  # fmt: skip
    monkeypatch.delenv(KEY_VARIABLE, raising=False)
    keyless = engine_for(server.url).unavailable("en", "uk")
    assert "Please contact the server operator to get an API key" in keyless.reason
    engine = engine_for(server.url, api_key_env=KEY_VARIABLE)
    assert engine.unavailable("en", "uk").fix == f"export {KEY_VARIABLE}=<the key the server's operator gave you>"
    monkeypatch.setenv(KEY_VARIABLE, "wrong")
    refused = engine.unavailable("en", "uk")
    assert "HTTP 403: Invalid API key" in refused.reason and "api_key_env" in refused.fix
    monkeypatch.setenv(KEY_VARIABLE, "s3cret")
    assert len(translate(engine, tmp_path / "uk.po").texts) == UNITS


HOSTILE_ANSWERS = [
    ("one short", lambda answer: {"translatedText": answer["translatedText"][:-1]}, "translations for"),
    ("empty", lambda answer: {"translatedText": [""] * len(answer["translatedText"])}, "an empty translation"),
    ("not a list", lambda answer: {"translatedText": "text"}, "without a list of translations"),
    ("numbers", lambda answer: {"translatedText": [1] * len(answer["translatedText"])}, "without a list"),
    ("not JSON", lambda answer: b"<html>proxy error</html>", "answered something that is not JSON"),
]


@pytest.mark.parametrize(("rewrite", "fragment"), [pytest.param(*r[1:], id=r[0]) for r in HOSTILE_ANSWERS])
def test_a_wrong_answer_is_never_a_translation(lt_server, proxy, rewrite, fragment: str) -> None:
    liar = proxy(lt_server.url)
    engine = engine_for(liar.url)
    assert engine.unavailable("en", "uk") is None
    liar.rewrite = rewrite
    with pytest.raises(EngineError, match=re.escape(fragment)):
        engine.translate(["One sentence.", "Another one."], "en", "uk")


def test_why_a_server_cannot_serve(lt_server, monkeypatch: pytest.MonkeyPatch) -> None:
    other = engine_for(lt_server.url).unavailable("en", "de")
    assert f"{lt_server.url} does not serve en→de (it serves en→uk, uk→en)" in other.reason
    down = engine_for("http://127.0.0.1:9").unavailable("en", "uk")
    assert down.reason.startswith("no LibreTranslate server serves en→uk: http://127.0.0.1:9: no answer")
    assert down.fix.startswith("start it: libretranslate --host 127.0.0.1 --port 5000 --load-only en,uk")
    assert engine_for("http://127.0.0.1:9", lt_server.url).unavailable("en", "uk") is None, "one is enough"
    assert LibreTranslateEngine().unavailable("en", "uk").reason == "no LibreTranslate server is set in editions.yml"
    assert ENGINES["libretranslate"].name == "libretranslate"


def test_a_sentence_over_the_servers_limit(start_server) -> None:
    engine = engine_for(start_server("--char-limit", "40").url)
    assert engine.unavailable("en", "uk") is None
    assert engine.translate(["Short enough."], "en", "uk") == ["Short enough."]
    with pytest.raises(EngineError, match="a sentence of 41 characters is over the servers' limit of 40"):
        engine.translate(["x" * 41], "en", "uk")
