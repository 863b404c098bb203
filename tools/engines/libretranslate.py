"""LibreTranslate: Argos models served over HTTP by one or more servers, the engine that scales out.

``editions.yml`` names the servers (``libretranslate: {urls: [...]}``) and, if they need a key, the
environment variable that holds it (``api_key_env``): the key itself is never in a committed file.
A server serves a pair when its ``GET /languages`` lists it and a one-word ``POST /translate``
comes back (that catches a refused key, and an offline server whose sentence splitter cannot
download its model). The sentences of a call are cut into chunks (``q`` as a list; at most
``chunk`` sentences, each within the ``charLimit`` of ``GET /frontend/settings``) and sent at once
to every server, ``in_flight`` requests per server, each with a timeout. 429 and 5xx answers and
lost connections are retried with exponential backoff (or the server's ``Retry-After``), on the
next server; other answers are errors. A wrong number of translations or an empty one is an
:class:`EngineError`, never a translation. A translation that is the source unchanged (what the
server returns when its model gives nothing) is kept with a finding the memory records
(``#. engine errors: the server returned the source unchanged``), and ``press check`` reports it.

The translation memory is not here: it stays with ``press build`` on one machine, the single writer.
Provenance: ``libretranslate http://a:5000, http://b:5000``, the servers that served the pair; a
LibreTranslate server reports neither its models' versions nor (but in ``/spec``) its own, and
``/spec`` is never asked: in LibreTranslate 1.9.6 each call takes twice as long as the one before
(0.03 s, then 12 s by the 11th), so a client that asked it per build would stall the server.
"""

from __future__ import annotations

import http.client
import json
import math
import os
import re
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from tools import __version__
from tools.diagnostics import one_line, shown
from tools.engines.apertium import Output
from tools.engines.base import EngineError, Unavailable

DEFAULT_TIMEOUT_S = 120.0
DEFAULT_RETRIES = 4
DEFAULT_BACKOFF_S = 1.0
DEFAULT_CHUNK = 8
DEFAULT_IN_FLIGHT = 1
CHECK_TIMEOUT_S = 10.0  # for the checks of unavailable(): a server that is down must not hold the build long
MAX_WAIT_S = 30.0
MAX_ANSWER = 16 * 1024**2
RETRY_STATUS = frozenset({429, 500, 502, 503, 504})
WORDS = re.compile(r"[^\W\d]{3}")  # a sentence that has a word to translate (as press check counts them)
UNCHANGED = "the server returned the source unchanged"
LANGUAGE = re.compile(r"[a-z]{2,3}(-[A-Za-z]{2,4})?")  # LibreTranslate's codes: uk, zh-Hans, pt-BR
PROBE = "Hello."
PROBE_TRIES = 2  # a 500 to the probe is usually for good (an offline sentence splitter): do not wait long for it
START_FIX = (
    "start it: libretranslate --host 127.0.0.1 --port 5000 --load-only {source},{target} "
    "(README: Scaling out), or correct libretranslate.urls in editions.yml"
)


@dataclass(frozen=True)
class Settings:
    """The ``libretranslate:`` section of editions.yml."""

    urls: tuple[str, ...]
    api_key_env: str | None = None
    timeout: float = DEFAULT_TIMEOUT_S
    retries: int = DEFAULT_RETRIES
    backoff: float = DEFAULT_BACKOFF_S
    chunk: int = DEFAULT_CHUNK
    in_flight: int = DEFAULT_IN_FLIGHT


@dataclass(frozen=True)
class Server:
    """A server that serves a pair: its URL and its character limit per sentence (-1: none)."""

    url: str
    char_limit: int = -1


class _Retry(Exception):
    """A failure that may pass: 429, 5xx, a lost or refused connection; ``wait`` is the server's Retry-After."""

    def __init__(self, message: str, wait: float | None = None) -> None:
        super().__init__(message)
        self.wait = wait


class _NotServing(Exception):
    """A server that cannot serve the pair, and the fix."""

    def __init__(self, reason: str, fix: str) -> None:
        super().__init__(reason)
        self.fix = fix


class LibreTranslateEngine:
    """Translate through the LibreTranslate servers of editions.yml, several requests at once."""

    name = "libretranslate"

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings
        self._servers: dict[tuple[str, str], list[Server]] = {}

    def configure(self, settings: Settings | None) -> None:
        """Use these settings (from editions.yml; None: no server configured)."""
        self.settings = settings
        self._servers.clear()

    def unavailable(self, source: str, target: str) -> Unavailable | None:
        """None when at least one server serves source → target; else why not, and the fix."""
        settings = self.settings
        if settings is None or not settings.urls:
            return Unavailable(
                "no LibreTranslate server is set in editions.yml",
                "add libretranslate: {urls: [http://127.0.0.1:5000]} to editions.yml (README: Scaling out)",
            )
        if settings.api_key_env and not os.environ.get(settings.api_key_env):
            return Unavailable(
                f"the API key variable {settings.api_key_env} (libretranslate.api_key_env) is not set",
                f"export {settings.api_key_env}=<the key the server's operator gave you>",
            )
        servers, problems = [], []
        for url in settings.urls:
            try:
                servers.append(self._check(url, source, target))
            except _NotServing as exc:
                problems.append(exc)
        self._servers[(source, target)] = servers
        if servers:
            return None
        reasons = "; ".join(str(problem) for problem in problems)
        return Unavailable(f"no LibreTranslate server serves {source}→{target}: {reasons}", problems[0].fix)

    def model(self, source: str, target: str) -> str:
        """The servers that serve the pair, for provenance: ``http://a:5000, http://b:5000``."""
        return ", ".join(server.url for server in self._serving(source, target))

    def translate(self, sentences: list[str], source: str, target: str) -> list[str]:
        """One translation per sentence, in order, chunks sent to every server at once."""
        if not sentences:
            return []
        servers = self._serving(source, target)
        limit = min((s.char_limit for s in servers if s.char_limit >= 0), default=-1)
        for sentence in sentences:
            if limit >= 0 and len(sentence) > limit:
                raise EngineError(
                    f"a sentence of {len(sentence)} characters is over the servers' limit of {limit} "
                    f"({shown(sentence)}); start them with a larger --char-limit"
                )
        slots = len(servers) * self.settings.in_flight
        size = max(1, min(self.settings.chunk, math.ceil(len(sentences) / slots)))
        chunks = [sentences[start : start + size] for start in range(0, len(sentences), size)]
        with ThreadPoolExecutor(max_workers=min(slots, len(chunks)), thread_name_prefix="libretranslate") as pool:
            done = pool.map(lambda numbered: self._chunk(*numbered, servers, source, target), enumerate(chunks))
            return [translation for chunk in done for translation in chunk]

    def _serving(self, source: str, target: str) -> list[Server]:
        """The servers found serving the pair (checking them now if that was not done); an EngineError if none."""
        if not self._servers.get((source, target)):
            problem = self.unavailable(source, target)
            if problem:
                raise EngineError(str(problem))
        return self._servers[(source, target)]

    def _chunk(
        self, number: int, chunk: list[str], servers: list[Server], source: str, target: str, tries: int = 0
    ) -> list[str]:
        """Translate one chunk, retrying on the next server with backoff; an EngineError after the last try."""
        payload = self._payload(chunk, source, target)
        tries = tries or self.settings.retries + 1
        for attempt in range(tries):
            server = servers[(number + attempt) % len(servers)]
            try:
                return _translations(_call(server.url, "/translate", payload, self.settings.timeout), chunk, server)
            except _Retry as exc:
                failure = f"{server.url}: {exc}"
                if attempt + 1 < tries:
                    time.sleep(_wait(exc.wait, attempt, self.settings.backoff))
        raise EngineError(f"{failure} (after {tries} tries)")

    def _payload(self, chunk: list[str], source: str, target: str) -> dict:
        payload = {"q": chunk, "source": source, "target": target, "format": "text"}
        if self.settings.api_key_env:
            payload["api_key"] = os.environ.get(self.settings.api_key_env, "")
        return payload

    def _check(self, url: str, source: str, target: str) -> Server:
        """The server at ``url`` if it serves source → target; _NotServing with the reason and the fix otherwise."""
        timeout = min(CHECK_TIMEOUT_S, self.settings.timeout)
        start = START_FIX.format(source=source, target=target)
        try:
            languages = _call(url, "/languages", None, timeout)
        except (_Retry, EngineError) as exc:
            raise _NotServing(f"{url}: {exc}", start) from None
        served = _pairs(languages)
        if served is None:
            raise _NotServing(f"{url}/languages is not a LibreTranslate answer", start)
        if (source, target) not in served:
            listed = ", ".join(f"{s}→{t}" for s, t in sorted(served) if s != t)[:120] or "nothing"
            fix = f"install the {source}→{target} model where the server reads its models and restart it"
            raise _NotServing(f"{url} does not serve {source}→{target} (it serves {listed})", fix)
        server = Server(url, _char_limit(url, timeout))
        try:
            self._chunk(0, [PROBE], [server], source, target, tries=min(PROBE_TRIES, self.settings.retries + 1))
        except EngineError as exc:
            raise _NotServing(f"{url} cannot translate {source}→{target}: {exc}", _probe_fix(str(exc))) from None
        return server


def _probe_fix(problem: str) -> str:
    if "403" in problem or "API key" in problem:
        return "check the API key in the variable named by libretranslate.api_key_env"
    return "see the server's log (offline, its sentence splitter needs its MiniSBD model: README, Scaling out)"


def _translations(answer: object, chunk: list[str], server: Server) -> list[str]:
    """The checked translations of a chunk; an EngineError for a wrong count, type or an empty translation."""
    texts = answer.get("translatedText") if isinstance(answer, dict) else None
    if not isinstance(texts, list) or not all(isinstance(text, str) for text in texts):
        raise EngineError(f"{server.url}/translate answered without a list of translations")
    if len(texts) != len(chunk):
        raise EngineError(f"{server.url}/translate returned {len(texts)} translations for {len(chunk)} sentences")
    for sentence, text in zip(chunk, texts):
        if sentence.strip() and not text.strip():
            raise EngineError(f"{server.url}/translate returned an empty translation for {shown(sentence)}")
    return [_flagged(sentence, text.strip()) for sentence, text in zip(chunk, texts)]


def _flagged(sentence: str, text: str) -> str:
    """The translation, with a finding if it is the sentence itself (and the sentence has words to translate)."""
    if text == sentence.strip() and WORDS.search(sentence):
        return Output(text, errors=(UNCHANGED,))
    return text


def _pairs(languages: object) -> set[tuple[str, str]] | None:
    """The pairs a ``/languages`` answer lists; None if it is not one."""
    if not isinstance(languages, list):
        return None
    pairs = set()
    for language in languages:
        code = language.get("code") if isinstance(language, dict) else None
        targets = language.get("targets") if isinstance(language, dict) else None
        if not isinstance(code, str) or not isinstance(targets, list):
            return None
        pairs |= {(code, target) for target in targets if isinstance(target, str) and LANGUAGE.fullmatch(target)}
    return {(source, target) for source, target in pairs if LANGUAGE.fullmatch(source)}


def _char_limit(url: str, timeout: float) -> int:
    """The server's character limit per text from ``/frontend/settings`` (-1: none, or not offered)."""
    try:
        limit = _call(url, "/frontend/settings", None, timeout).get("charLimit", -1)
    except (_Retry, EngineError, AttributeError):
        return -1
    return limit if isinstance(limit, int) and not isinstance(limit, bool) and limit >= -1 else -1


def _wait(retry_after: float | None, attempt: int, backoff: float) -> float:
    """Seconds before the next try: the server's Retry-After, else backoff doubling each time; at most 30 s."""
    return min(MAX_WAIT_S, retry_after if retry_after is not None else backoff * 2**attempt)


def _call(url: str, path: str, payload: dict | None, timeout: float) -> object:
    """One request to the server; its JSON answer. _Retry for what may pass, EngineError for what will not."""
    data = json.dumps(payload, ensure_ascii=False).encode("utf-8") if payload is not None else None
    request = urllib.request.Request(
        url + path,
        data=data,
        method="POST" if data is not None else "GET",
        headers={
            "Content-Type": "application/json",
            "Accept": "application/json",
            "User-Agent": f"press/{__version__}",
        },
    )
    try:
        with _OPENER.open(request, timeout=timeout) as response:
            raw = response.read(MAX_ANSWER + 1)
    except urllib.error.HTTPError as exc:
        message = f"HTTP {exc.code}: {_error_text(exc)}"
        if exc.code in RETRY_STATUS:
            raise _Retry(message, _retry_after(exc.headers.get("Retry-After"))) from None
        raise EngineError(f"{path} answered {message}") from None
    except (urllib.error.URLError, OSError, http.client.HTTPException) as exc:
        reason = getattr(exc, "reason", exc)
        raise _Retry(f"no answer ({' '.join(str(reason).split())[:200] or type(exc).__name__})") from None
    if len(raw) > MAX_ANSWER:
        raise EngineError(f"{path} answered more than {MAX_ANSWER // 1024**2} MiB")
    try:
        return json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        raise EngineError(f"{path} answered something that is not JSON") from None


def _error_text(exc: urllib.error.HTTPError) -> str:
    """The ``error`` of a LibreTranslate error answer, on one line, or the HTTP reason."""
    try:
        error = json.loads(exc.read(64 * 1024).decode("utf-8")).get("error")
    except (ValueError, AttributeError, OSError, http.client.HTTPException):
        error = None
    text = error if isinstance(error, str) else str(exc.reason)
    return one_line(text, 200)


def _retry_after(value: str | None) -> float | None:
    """Retry-After in seconds (the HTTP-date form is ignored: backoff applies)."""
    try:
        seconds = float(value) if value is not None else None
    except ValueError:
        return None
    return seconds if seconds is not None and 0 <= seconds < math.inf else None


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A LibreTranslate server does not redirect its API: a redirect is answered as the error it is."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


_OPENER = urllib.request.build_opener(_NoRedirects())
