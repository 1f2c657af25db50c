"""The one way the verifier reaches documents: an SSRF-safe HTTP fetcher, or an
offline document map that answers from local files and fetches nothing."""
from __future__ import annotations

import ipaddress
import socket
import threading
import time
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping, Protocol
from urllib.parse import urldefrag, urlsplit

import httpcore
import httpx

from ._errors import FetchError, InputError
from ._safejson import parse_json

DEFAULT_MAX_BYTES = 2 * 1024 * 1024
DEFAULT_TIMEOUT = 10.0
MAX_REDIRECTS = 5
USER_AGENT = "SkillProof-Verifier/1.0"
ACCEPT_JSON = "application/ld+json, application/json;q=0.9, */*;q=0.1"
ACCEPT_ENCODING = "gzip, deflate"  # only what _decoded() inflates under the size cap


@dataclass(frozen=True)
class Response:
    url: str
    status: int
    content_type: str
    content: bytes

    def json(self) -> Any:
        return parse_json(self.content, what=f"document at {self.url}")


class Fetcher(Protocol):
    """What the checks need from a fetcher."""

    def get(self, url: str, *, accept: str = ACCEPT_JSON, max_bytes: int | None = None) -> Response: ...

    def get_json(self, url: str) -> Any:
        """The parsed JSON at ``url``; raises only FetchError (kind "bad_document" when unreadable)."""


def _fetch_json(fetcher: Fetcher, url: str) -> Any:
    response = fetcher.get(url)
    try:
        return response.json()
    except InputError as exc:
        raise FetchError(url, str(exc), response.status, kind="bad_document") from None


def check_scheme(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FetchError(url, "only http and https URLs with a host are fetched", kind="bad_url")
    return parts.hostname


def refused_address(address: str) -> str | None:
    """Why an address must not be connected to, or None when it is public."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return "an IPv4-mapped IPv6 address"
        embedded = ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if embedded is not None and not embedded.is_global:
            return "an IPv6 address embedding a non-public IPv4 address"
    for label, flag in (("a loopback", ip.is_loopback), ("a link-local", ip.is_link_local),
                        ("a multicast", ip.is_multicast), ("a private", ip.is_private),
                        ("a reserved", ip.is_reserved), ("an unspecified", ip.is_unspecified)):
        if flag:
            return f"{label} address"
    if not ip.is_global:
        return "a non-public address"
    return None


class _AddressRefused(Exception):
    def __init__(self, host: str, address: str, why: str) -> None:
        super().__init__(f"{host} resolves to {address}, {why}")


class _Deadline(threading.local):
    """The instant the current thread's fetch must be over, if one is under way."""

    at: float | None = None

    def limit(self, timeout: float | None) -> float | None:
        """A socket operation's timeout, cut to what is left of the whole fetch."""
        if self.at is None:
            return timeout
        left = self.at - time.monotonic()
        if left <= 0:
            raise httpcore.ReadTimeout("the fetch's total time limit passed")
        return left if timeout is None else min(timeout, left)


class _DeadlineStream(httpcore.NetworkStream):
    """A connection whose every read and write stops at the fetch's deadline, so a
    server trickling headers cannot hold a fetch open past its time limit."""

    def __init__(self, stream: httpcore.NetworkStream, deadline: _Deadline) -> None:
        self._stream = stream
        self._deadline = deadline

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._stream.read(max_bytes, self._deadline.limit(timeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._stream.write(buffer, self._deadline.limit(timeout))

    def close(self) -> None:
        self._stream.close()

    def start_tls(self, ssl_context, server_hostname: str | None = None, timeout: float | None = None):
        return _DeadlineStream(self._stream.start_tls(ssl_context, server_hostname, self._deadline.limit(timeout)),
                               self._deadline)

    def get_extra_info(self, info: str) -> Any:
        return self._stream.get_extra_info(info)


class _GuardedBackend(httpcore.SyncBackend):
    """Resolves the host itself, refuses non-public addresses, and connects to
    the address it checked, so DNS cannot change between check and connect."""

    def __init__(self, allow_hosts: frozenset[str]) -> None:
        self._allow_hosts = allow_hosts
        self.deadline = _Deadline()

    def connect_tcp(self, host: str, port: int, timeout: float | None = None,
                    local_address: str | None = None, socket_options: Iterable[Any] | None = None):
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except socket.gaierror as exc:
            raise httpcore.ConnectError(f"cannot resolve {host}: {exc.strerror}") from None
        if host.lower().strip("[]") not in self._allow_hosts:
            for info in infos:
                why = refused_address(info[4][0])
                if why:
                    raise _AddressRefused(host, info[4][0], why)
        sockaddr = infos[0][4]
        stream = super().connect_tcp(sockaddr[0], port, timeout=self.deadline.limit(timeout),
                                     local_address=local_address, socket_options=socket_options)
        return _DeadlineStream(stream, self.deadline)


class _GuardedTransport(httpx.HTTPTransport):
    def __init__(self, allow_hosts: frozenset[str]) -> None:
        # httpx has no public hook for the network backend, so this sets the pool that
        # HTTPTransport.__init__ would build, with our backend (and one TLS context, not two).
        self.backend = _GuardedBackend(allow_hosts)
        self._pool = httpcore.ConnectionPool(ssl_context=httpx.create_ssl_context(trust_env=False),
                                             network_backend=self.backend, max_connections=20)


class HttpFetcher:
    """Fetches over http(s) with SSRF protection, redirect, size and time limits."""

    def __init__(self, *, allow_hosts: Iterable[str] = (), timeout: float = DEFAULT_TIMEOUT,
                 max_bytes: int = DEFAULT_MAX_BYTES, max_redirects: int = MAX_REDIRECTS) -> None:
        self.allow_hosts = frozenset(h.lower().strip("[]") for h in allow_hosts)
        self.timeout = timeout
        self.max_bytes = max_bytes
        self.max_redirects = max_redirects
        transport = _GuardedTransport(self.allow_hosts)
        self._deadline = transport.backend.deadline
        self._client = httpx.Client(transport=transport, follow_redirects=False,
                                    timeout=httpx.Timeout(timeout), headers={"User-Agent": USER_AGENT,
                                                                             "Accept-Encoding": ACCEPT_ENCODING},
                                    trust_env=False)

    def close(self) -> None:
        self._client.close()

    def get_json(self, url: str) -> Any:
        return _fetch_json(self, url)

    def get(self, url: str, *, accept: str = ACCEPT_JSON, max_bytes: int | None = None) -> Response:
        deadline = time.monotonic() + self.timeout
        self._deadline.at = deadline
        try:
            return self._get(url, accept, max_bytes or self.max_bytes, deadline)
        finally:
            self._deadline.at = None

    def _get(self, url: str, accept: str, limit: int, deadline: float) -> Response:
        current = urldefrag(url)[0]
        for _ in range(self.max_redirects + 1):
            check_scheme(current)
            try:
                with self._client.stream("GET", current, headers={"Accept": accept}) as response:
                    if response.is_redirect:
                        location = response.headers.get("location", "")
                        current = urldefrag(str(response.url.join(location)))[0]
                        continue
                    content = self._read_capped(response, current, limit, deadline)
            except _AddressRefused as exc:
                raise FetchError(current, f"refused: {exc}", kind="ssrf_refused") from None
            except httpx.InvalidURL as exc:
                raise FetchError(current, f"not a fetchable URL ({exc})", kind="bad_url") from None
            except httpx.TimeoutException:
                raise FetchError(current, f"timed out after {self.timeout:g} s", kind="timeout") from None
            except httpx.HTTPError as exc:
                raise FetchError(current, f"unreachable ({exc})", kind="unreachable") from None
            if response.status_code >= 400:
                raise FetchError(current, f"HTTP status {response.status_code}", response.status_code,
                                 kind="http_status")
            return Response(current, response.status_code, response.headers.get("content-type", ""), content)
        raise FetchError(url, f"more than {self.max_redirects} redirects", kind="too_many_redirects")

    def _read_capped(self, response: httpx.Response, url: str, limit: int, deadline: float) -> bytes:
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            raise FetchError(url, f"response of {declared} bytes is over the {limit}-byte limit",
                             response.status_code, kind="too_large")
        chunks, size = [], 0
        for chunk in _decoded(response, url, limit):
            size += len(chunk)
            if size > limit:
                raise FetchError(url, f"response is over the {limit}-byte limit", response.status_code,
                                 kind="too_large")
            if time.monotonic() > deadline:
                raise FetchError(url, f"response took over {self.timeout:g} s", kind="timeout")
            chunks.append(chunk)
        return b"".join(chunks)


def _decoded(response: httpx.Response, url: str, limit: int) -> Iterator[bytes]:
    """The body's bytes, inflated at most ``limit + 1`` bytes per network chunk, so a
    compressed bomb is refused by the size cap before it is inflated in memory."""
    encoding = response.headers.get("content-encoding", "").strip().lower()
    if encoding in ("", "identity"):
        yield from response.iter_raw()
        return
    if encoding not in ("gzip", "x-gzip", "deflate"):
        raise FetchError(url, f"the response uses the unsupported content encoding {encoding!r}",
                         response.status_code, kind="bad_document")
    inflater = zlib.decompressobj(zlib.MAX_WBITS | 32)  # a gzip or zlib header
    try:
        for chunk in response.iter_raw():
            # at most limit + 1 bytes: a chunk that inflates further is over the cap anyway
            yield inflater.decompress(chunk, limit + 1)
    except zlib.error:
        raise FetchError(url, "the compressed response is corrupt", response.status_code,
                         kind="bad_document") from None
    if not inflater.eof:
        raise FetchError(url, "the compressed response is truncated", response.status_code, kind="bad_document")


@dataclass(frozen=True)
class _Entry:
    path: Path
    status: int = 200
    content_type: str = "application/json"


class DocumentMap:
    """Answers every fetch from local files named in a ``{url: path}`` map and
    fetches nothing else. An entry may also be ``{"path": ..., "status": 410}``."""

    def __init__(self, entries: Mapping[str, Any], base_dir: Path | str = ".",
                 max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        base = Path(base_dir)
        self.max_bytes = max_bytes
        self._entries: dict[str, _Entry] = {}
        for url, value in entries.items():
            spec = value if isinstance(value, Mapping) else {"path": value}
            if not isinstance(spec.get("path"), str):
                raise InputError(f"document map entry for {url} has no path", "bad_document_map")
            status = spec.get("status", 200)
            if not isinstance(status, int) or isinstance(status, bool) or not 100 <= status <= 599:
                raise InputError(f"document map entry for {url} has a status that is not an HTTP status code",
                                 "bad_document_map")
            self._entries[urldefrag(url)[0]] = _Entry(base / spec["path"], status,
                                                      str(spec.get("content_type", "application/json")))
        self._cache: dict[Path, bytes] = {}

    @classmethod
    def from_file(cls, path: Path | str, **kwargs: Any) -> "DocumentMap":
        path = Path(path)
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise InputError(f"cannot read document map {path}: {exc.strerror}", "bad_document_map") from None
        entries = parse_json(raw, what=f"document map {path.name}")
        if not isinstance(entries, dict):
            raise InputError(f"document map {path.name} must be a JSON object of url: path", "bad_document_map")
        return cls(entries, path.parent, **kwargs)

    def __contains__(self, url: str) -> bool:
        return urldefrag(url)[0] in self._entries

    def get_json(self, url: str) -> Any:
        return _fetch_json(self, url)

    def get(self, url: str, *, accept: str = ACCEPT_JSON, max_bytes: int | None = None) -> Response:
        key = urldefrag(url)[0]
        entry = self._entries.get(key)
        if entry is None:
            raise FetchError(key, "not in the offline document map", kind="not_in_map")
        if entry.status >= 400:
            raise FetchError(key, f"HTTP status {entry.status} (document map)", entry.status, kind="http_status")
        content = self._cache.get(entry.path)
        if content is None:
            try:
                content = entry.path.read_bytes()
            except OSError as exc:
                raise FetchError(key, f"document map file unreadable: {exc.strerror}", kind="unreachable") from None
            self._cache[entry.path] = content
        limit = max_bytes or self.max_bytes
        if len(content) > limit:
            raise FetchError(key, f"document is over the {limit}-byte limit", kind="too_large")
        return Response(key, entry.status, entry.content_type, content)



__all__ = ["Fetcher", "HttpFetcher", "DocumentMap", "Response"]
