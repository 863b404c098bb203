"""LibreTranslate servers for the engine tests: the real, unmodified server in its own venv, on 127.0.0.1.

``lt_server`` is one server for the whole session (copying en→uk and uk→en models, never-split
MiniSBD models); ``start_server`` starts more (each with its own home), stopped by PID at the end of
the test. ``Proxy`` stands in front of a real server to count requests, answer some with an error
first, or rewrite an answer (what a real server cannot be made to send). If LibreTranslate's venv
cannot be made (no package registry) the tests skip on a laptop and fail under CI=true; a server
that does not start fails everywhere.
"""

from __future__ import annotations

import http.server
import json
import os
import shutil
import threading
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tools.ingest import read_seed
from tools.ltserver import LibreTranslate, ensure_venv, prepare_home
from tools.modelkit import build_argosmodel

ROOT = Path(__file__).resolve().parents[2]
SEED = read_seed(ROOT / "seeds" / "000_665afb2dddca8924.txt")
TEXT = "\n".join([SEED.title] + [p.text for p in SEED.paragraphs])
LANGUAGES = ("en", "uk")


@pytest.fixture(scope="session")
def lt_command() -> Path:
    """LibreTranslate's command, its venv made from tools/libretranslate.lock if needed."""
    try:
        return ensure_venv()
    except RuntimeError as exc:
        message = f"cannot make LibreTranslate's venv (make libretranslate-deps): {str(exc)[-500:]}"
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture(scope="session")
def lt_models(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Copying models en→uk and uk→en (with two pairs the server starts at once, without the index)."""
    folder = tmp_path_factory.mktemp("lt-models")
    return [build_argosmodel(folder / f"{s}_{t}.argosmodel", TEXT, s, t) for s, t in (("en", "uk"), ("uk", "en"))]


@pytest.fixture(scope="session")
def lt_home(tmp_path_factory: pytest.TempPathFactory, lt_models: list[Path]) -> Path:
    """A server home with the models and MiniSBD models; servers copy it."""
    return prepare_home(tmp_path_factory.mktemp("lt-home"), lt_models, LANGUAGES)


@pytest.fixture(scope="session")
def lt_server(lt_command: Path, lt_home: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LibreTranslate]:
    """One LibreTranslate server for the session."""
    server = LibreTranslate(lt_command, _copy_home(lt_home, tmp_path_factory.mktemp("lt-session")), LANGUAGES)
    with server:
        yield server


@pytest.fixture
def start_server(lt_command: Path, lt_home: Path, tmp_path: Path) -> Iterator[Callable[..., LibreTranslate]]:
    """``start_server(*options)``: another server (its own home), stopped at the end of the test."""
    started: list[LibreTranslate] = []

    def start(*options: str) -> LibreTranslate:
        home = _copy_home(lt_home, tmp_path / f"lt-{len(started)}")
        started.append(LibreTranslate(lt_command, home, LANGUAGES, *options))
        return started[-1].start()

    yield start
    for server in started:
        server.stop()


def _copy_home(template: Path, home: Path) -> Path:
    return Path(shutil.copytree(template, home, dirs_exist_ok=True))


Rewrite = Callable[[dict], object]


class Proxy:
    """An HTTP proxy on 127.0.0.1 in front of ``upstream``: counts requests by path, injects errors, rewrites.

    ``errors`` are statuses to answer the next ``/translate`` requests with (then it forwards);
    ``rewrite`` turns the server's ``/translate`` answer into another (a JSON value, or bytes as they are).
    A request it cannot forward (the server is gone) gets no answer: the connection is closed.
    """

    def __init__(self, upstream: str, errors: list[int] | None = None, rewrite: Rewrite | None = None) -> None:
        self.upstream, self.errors, self.rewrite = upstream, list(errors or []), rewrite
        self.counts: Counter[str] = Counter()
        self.answered: Counter[int] = Counter()
        self._lock = threading.Lock()
        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _next_error(self, path: str) -> int | None:
        with self._lock:
            self.counts[path] += 1
            return self.errors.pop(0) if path == "/translate" and self.errors else None

    def _handler(self) -> type[http.server.BaseHTTPRequestHandler]:
        proxy = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                self._forward(None)

            def do_POST(self) -> None:
                self._forward(self.rfile.read(int(self.headers.get("Content-Length", 0))))

            def _forward(self, body: bytes | None) -> None:
                error = proxy._next_error(self.path)
                if error is not None:
                    self._answer(error, json.dumps({"error": "Slowdown: injected"}).encode(), {"Retry-After": "0"})
                    return
                request = urllib.request.Request(proxy.upstream + self.path, data=body, method=self.command)
                request.add_header("Content-Type", self.headers.get("Content-Type", "application/json"))
                try:
                    with urllib.request.urlopen(request, timeout=60) as response:
                        status, data = response.status, response.read()
                except urllib.error.HTTPError as exc:
                    status, data = exc.code, exc.read()
                except (urllib.error.URLError, OSError):
                    self.close_connection = True  # the server is gone: no answer at all
                    return
                if proxy.rewrite and self.path == "/translate" and status == 200:
                    changed = proxy.rewrite(json.loads(data))
                    data = changed if isinstance(changed, bytes) else json.dumps(changed).encode()
                self._answer(status, data)

            def _answer(self, status: int, data: bytes, headers: dict[str, str] | None = None) -> None:
                with proxy._lock:
                    proxy.answered[status] += 1
                self.send_response(status)
                for name, value in {"Content-Type": "application/json", **(headers or {})}.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: object) -> None:
                pass

        return Handler


@pytest.fixture
def proxy() -> Iterator[Callable[..., Proxy]]:
    """``proxy(upstream, errors=[429], rewrite=...)``: a Proxy, closed at the end of the test."""
    made: list[Proxy] = []

    def make(upstream: str, errors: list[int] | None = None, rewrite: Rewrite | None = None) -> Proxy:
        made.append(Proxy(upstream, errors, rewrite))
        return made[-1]

    yield make
    for each in made:
        each.close()
