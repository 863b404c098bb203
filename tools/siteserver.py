"""A built site served on 127.0.0.1 as its host would serve it, for the checks that need a browser.

A missing address under an edition's folder gets that edition's ``404.html`` (with status 404), as
the host's rules do (``site.nginx.conf``); anything else is a plain static file server. The server
runs in a thread of the caller's process on a free port and stops when the ``with`` block ends.
"""

from __future__ import annotations

import functools
import http.server
import socket
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

NOT_FOUND = "404.html"


class Host(http.server.SimpleHTTPRequestHandler):
    """Static files; a missing address gets its edition's 404 page (the site's root one outside any edition)."""

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        root = Path(self.directory)
        folder = self.path.split("/")[1] if self.path.count("/") > 1 else ""
        page = root / folder / NOT_FOUND if folder and (root / folder / NOT_FOUND).is_file() else root / NOT_FOUND
        if code != 404 or not page.is_file():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


class _Server(http.server.ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        """A browser that closes a connection early (a page left before its favicon came) is no error."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


def free_port() -> int:
    """A port nothing listens on now on 127.0.0.1 (a site can be built for its address before it is served)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def serve(
    folder: Path, port: int | None = None, handler: type[http.server.SimpleHTTPRequestHandler] = Host
) -> Iterator[str]:
    """Serve ``folder`` on 127.0.0.1 (``port``, or a free one); yields the base URL, without a trailing slash."""
    port = port or free_port()
    server = _Server(("127.0.0.1", port), functools.partial(handler, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
