"""editions.yml's libretranslate section: each mistake one line at its line; good sections reach the engine."""

from __future__ import annotations

from pathlib import Path

import pytest

from tools.config import CONFIG_FILE, load_config
from tools.engines import ENGINES
from tools.engines.libretranslate import Settings
from tools.errors import PressError

HEAD = "languages: [uk]\nengines: {uk: [libretranslate, argos]}\n"

# (the libretranslate section, words of the message, the line it names)
BAD = [
    ("libretranslate: http://127.0.0.1:5000\n", "libretranslate must be a mapping (key: value), not the text", 3),
    ("libretranslate:\n  port: 5000\n", "unknown key 'port' in libretranslate; fix: use urls, api_key_env", 4),
    ("libretranslate:\n  timeout: 5\n", "libretranslate has no urls", 3),
    ("libretranslate:\n  urls: http://a:5000\n", "libretranslate.urls must be a list, not the text", 4),
    ("libretranslate:\n  urls: []\n", "libretranslate.urls is empty", 4),
    ("libretranslate:\n  urls:\n    - http://a:5000\n    - 5000\n", "a URL in libretranslate.urls must be text", 6),
    ("libretranslate: {urls: [file:///tmp/lt]}\n", "'file:///tmp/lt' in libretranslate.urls: not an http or https", 3),
    ("libretranslate: {urls: [127.0.0.1:5000]}\n", "not an http or https URL", 3),
    ("libretranslate: {urls: ['http://user:key@a:5000']}\n", "a URL in libretranslate.urls: a user name or pass", 3),
    ("libretranslate: {urls: ['http://a:5000/?api_key=x']}\n", "has a query or a fragment", 3),
    ("libretranslate: {urls: ['http://a:5000', 'http://a:5000/']}\n", "'http://a:5000' is listed twice", 3),
    (
        "libretranslate:\n  urls: [http://a:5000]\n  api_key: 0123-4567\n",
        "an API key must not be written in editions.yml; fix: put the key in an environment variable",
        5,
    ),
    (
        "libretranslate:\n  urls: [http://a:5000]\n  api_key_env: 0123-4567-89ab\n",
        "api_key_env must name an environment variable (letters, digits, _), not hold a key",
        5,
    ),
    ("libretranslate: {urls: [http://a:5000], api_key_env: [K]}\n", "api_key_env must be text, not a list", 3),
    ("libretranslate:\n  urls: [http://a:5000]\n  timeout: 0\n", "libretranslate.timeout is 0; fix: write a number", 5),
    ("libretranslate:\n  urls: [http://a:5000]\n  timeout: soon\n", "timeout must be a number, not the text", 5),
    ("libretranslate:\n  urls: [http://a:5000]\n  retries: 2.5\n", "retries must be a whole number", 5),
    ("libretranslate:\n  urls: [http://a:5000]\n  retries: yes\n", "retries must be a whole number, not 'yes'", 5),
    (
        "libretranslate:\n  urls: [http://a:5000]\n  chunk: 5000\n",
        "libretranslate.chunk is 5000; fix: write a whole",
        5,
    ),
    ("libretranslate:\n  urls: [http://a:5000]\n  in_flight: -1\n", "libretranslate.in_flight is -1", 5),
    ("libretranslate:\n  urls: [http://a:5000]\n  backoff: .inf\n", "libretranslate.backoff is .inf", 5),
]


@pytest.mark.parametrize(("section", "words", "line"), BAD, ids=[case[1][:50] for case in BAD])
def test_each_mistake_is_one_line_at_its_line(section: str, words: str, line: int, tmp_path: Path) -> None:
    (tmp_path / CONFIG_FILE).write_text(HEAD + section, encoding="utf-8")
    with pytest.raises(PressError) as caught:
        load_config(tmp_path)
    message = str(caught.value)
    assert message.startswith(f"{tmp_path / CONFIG_FILE}:{line}: ") and "\n" not in message, message
    assert words in message and "; fix: " in message, message
    assert "user:key" not in message and "0123-4567" not in message, "a credential is never echoed"


def test_the_engine_named_without_its_servers(tmp_path: Path) -> None:
    (tmp_path / CONFIG_FILE).write_text("languages: [uk]\nengines:\n  uk:\n    - argos\n    - libretranslate\n")
    with pytest.raises(PressError, match=r":5: libretranslate needs its servers; fix: write libretranslate: \{urls"):
        load_config(tmp_path)


GOOD = [
    ("libretranslate: {urls: [http://127.0.0.1:5000/]}\n", Settings(("http://127.0.0.1:5000",))),
    (
        (
            "libretranslate:\n  urls:\n    - https://lt.newsroom.example/api\n    - http://10.0.0.2:5000\n"
            "  api_key_env: LT_API_KEY\n  timeout: 30.5\n  retries: 0\n  backoff: 0\n  chunk: 4\n  in_flight: 2\n"
        ),
        Settings(("https://lt.newsroom.example/api", "http://10.0.0.2:5000"), "LT_API_KEY", 30.5, 0, 0, 4, 2),
    ),
]


@pytest.mark.parametrize(("section", "settings"), GOOD)
def test_good_sections_configure_the_engine(section: str, settings: Settings, tmp_path: Path) -> None:
    (tmp_path / CONFIG_FILE).write_text(HEAD + section, encoding="utf-8")
    config = load_config(tmp_path)
    assert config.libretranslate == settings and config.engines_for("uk") == ("libretranslate", "argos")
    assert ENGINES["libretranslate"].settings == settings
    (tmp_path / CONFIG_FILE).write_text("languages: [uk]\n")
    assert load_config(tmp_path).libretranslate is None and ENGINES["libretranslate"].settings is None
