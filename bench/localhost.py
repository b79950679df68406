"""Serve a built site on 127.0.0.1, for the browser tests and the audit."""

from __future__ import annotations

import functools
import gzip
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

#: What a web host compresses: text, not fonts or images (already compressed).
COMPRESSED = (".html", ".css", ".js", ".svg", ".json", ".txt", ".inv")


class Handler(SimpleHTTPRequestHandler):
    """Static files; gzipped like a web host when the browser accepts it."""

    def log_message(self, *args: object) -> None:  # keep the output clean
        pass

    def send_head(self):
        path = Path(self.translate_path(self.path))
        accepts = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (accepts and path.is_file() and path.suffix in COMPRESSED):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        from io import BytesIO

        return BytesIO(body)


class Server(ThreadingHTTPServer):
    """A browser that drops a connection mid-file (a page closed, a test done)
    is no error of the site's: say nothing, where socketserver prints a
    traceback. Every other error is reported as before."""

    def handle_error(self, request: object, client_address: object) -> None:
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)


@contextmanager
def serve(directory: Path) -> Iterator[str]:
    """Serve ``directory`` on a free local port; yield its base URL; then stop."""
    server = Server(
        ("127.0.0.1", 0), functools.partial(Handler, directory=str(directory))
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
