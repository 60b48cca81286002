"""A local test HTTP server that never prints to standard error.

socketserver reports a failed request (a client that timed out on purpose, a handler
still waiting when the test ends) with a traceback on ``sys.stderr`` from its own
thread, whenever that happens: possibly while a later test captures standard error
and asserts that no traceback was printed. These servers stay quiet instead.
"""

from __future__ import annotations

from http.server import ThreadingHTTPServer
from typing import Any


class QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass
