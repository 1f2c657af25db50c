"""A real threaded HTTP server on a loopback address for fetcher tests.

Routes are registered per path; the server counts the TCP connections it
accepted, so a test can prove that a refused fetch never connected.
"""
from __future__ import annotations

import json
import socket
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable
from urllib.parse import urlsplit


@dataclass
class Route:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    content_length: bool = True
    delay: float = 0.0              # seconds before the status line
    trickle: float = 0.0            # seconds between body bytes
    stream_bytes: int = 0           # send this many bytes of padding instead of ``body``
    header_trickle: float = 0.0     # seconds between header lines, sent forever


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], family: int, owner: "TestServer") -> None:
        self.address_family = family
        self.owner = owner
        super().__init__(address, _Handler)

    def get_request(self):
        connection = super().get_request()
        with self.owner.lock:
            self.owner.connections += 1
        return connection

    def handle_error(self, request, client_address) -> None:  # clients hanging up are expected
        pass


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        owner = self.server.owner
        path = urlsplit(self.path).path
        with owner.lock:
            owner.requests.append(path)
        route = owner.routes.get(path) or Route(404, b'{"error": "not found"}')
        stop = owner.stopping
        if route.delay and stop.wait(route.delay):
            return
        if route.header_trickle:
            self.wfile.write(b"HTTP/1.1 200 OK\r\n")
            while not stop.wait(route.header_trickle):
                self.wfile.write(b"X-Padding: x\r\n")
                self.wfile.flush()
            return
        size = route.stream_bytes or len(route.body)
        self.send_response(route.status)
        self.send_header("Content-Type", route.headers.get("Content-Type", "application/json"))
        for name, value in route.headers.items():
            if name != "Content-Type":
                self.send_header(name, value)
        if route.content_length:
            self.send_header("Content-Length", str(size))
        else:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        if route.trickle:
            for byte in route.body:
                if stop.wait(route.trickle):
                    return
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
        elif route.stream_bytes:
            block = b" " * 65536
            sent = 0
            while sent < route.stream_bytes and not stop.is_set():
                piece = block[:route.stream_bytes - sent]
                self.wfile.write(piece)
                sent += len(piece)
        else:
            self.wfile.write(route.body)


class TestServer:
    """``with TestServer() as server: server.json("/a", {...}); server.url("/a")``"""

    __test__ = False  # not a test class

    def __init__(self, host: str = "127.0.0.1") -> None:
        self.host = host
        self.routes: dict[str, Route] = {}
        self.requests: list[str] = []
        self.connections = 0
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        self._server = _Server((host, 0), family, self)
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        daemon=True)

    def __enter__(self) -> "TestServer":
        self._thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def close(self) -> None:
        self.stopping.set()
        self._server.shutdown()
        self._server.server_close()

    @property
    def origin(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    def url(self, path: str) -> str:
        return self.origin + path

    def route(self, path: str, **kwargs: Any) -> str:
        self.routes[path] = Route(**kwargs)
        return self.url(path)

    def json(self, path: str, document: Any, status: int = 200) -> str:
        return self.route(path, status=status, body=json.dumps(document).encode())

    def redirect(self, path: str, location: str, status: int = 302) -> str:
        return self.route(path, status=status, headers={"Location": location})

    def redirect_chain(self, count: int, target: str, prefix: str = "/hop") -> str:
        """A chain of ``count`` redirects ending at ``target``; returns the first URL."""
        for hop in range(count):
            self.redirect(f"{prefix}/{hop}", target if hop == count - 1 else f"{prefix}/{hop + 1}")
        return self.url(f"{prefix}/0") if count else target

    def publish(self, documents: dict[str, Any], statuses: dict[str, int] | None = None,
                content: Callable[[str], bytes] | None = None) -> None:
        """Serve documents keyed by absolute URLs on this server."""
        statuses = statuses or {}
        for url, document in documents.items():
            path = urlsplit(url).path
            body = content(url) if content else (document if isinstance(document, bytes)
                                                  else json.dumps(document).encode())
            kind = "image/png" if isinstance(document, bytes) else "application/json"
            self.route(path, status=statuses.get(url, 200), body=body, headers={"Content-Type": kind})
