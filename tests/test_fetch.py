"""The fetcher against a real HTTP server on the loopback interface: limits on
redirects, time and size, the SSRF guard, and the offline document map."""
from __future__ import annotations

import gzip
import json
import time
import tracemalloc
import zlib

import pytest

from tests.ob2factory import Site
from verifier import DocumentMap, FetchError, HttpFetcher, InputError, verify

LOOPBACK = {"127.0.0.1"}
DOC = {"hello": "world"}


def fetch_error(fetcher, url, **kwargs) -> FetchError:
    with pytest.raises(FetchError) as caught:
        fetcher.get(url, **kwargs)
    return caught.value


@pytest.fixture(scope="module")
def allowed():
    fetcher = HttpFetcher(allow_hosts=LOOPBACK, timeout=5)
    yield fetcher
    fetcher.close()


@pytest.fixture(scope="module")
def guarded():
    """A fetcher with nothing allow-listed, as in production, and a long timeout."""
    fetcher = HttpFetcher(timeout=30)
    yield fetcher
    fetcher.close()


# --- plain fetching, statuses, redirects -------------------------------------------------------

def test_fetches_json_from_an_allow_listed_host(server, allowed):
    url = server.json("/doc.json", DOC)
    assert allowed.get_json(url) == DOC
    response = allowed.get(url)
    assert response.status == 200 and response.url == url
    assert response.content_type.startswith("application/json")
    assert server.requests == ["/doc.json", "/doc.json"]


def test_allow_listing_an_ipv6_literal_lets_it_through(server6):
    url = server6.json("/doc.json", DOC)
    fetcher = HttpFetcher(allow_hosts={"[::1]"}, timeout=5)
    try:
        assert fetcher.get_json(url) == DOC
    finally:
        fetcher.close()
    assert server6.connections == 1


@pytest.mark.parametrize("hops", [1, 5])
def test_follows_up_to_five_redirects(server, allowed, hops):
    target = server.json("/final.json", DOC)
    first = server.redirect_chain(hops, target)
    response = allowed.get(first)
    assert response.url == target
    assert json.loads(response.content) == DOC
    assert server.requests[-1] == "/final.json" and len(server.requests) == hops + 1


def test_refuses_a_sixth_redirect(server, allowed):
    target = server.json("/final.json", DOC)
    error = fetch_error(allowed, server.redirect_chain(6, target))
    assert error.kind == "too_many_redirects"
    assert "/final.json" not in server.requests


def test_a_smaller_redirect_limit_is_honoured(server):
    target = server.json("/final.json", DOC)
    fetcher = HttpFetcher(allow_hosts=LOOPBACK, timeout=5, max_redirects=1)
    try:
        assert fetcher.get(server.redirect_chain(1, target, "/one")).url == target
        assert fetch_error(fetcher, server.redirect_chain(2, target, "/two")).kind == "too_many_redirects"
    finally:
        fetcher.close()


def test_relative_redirects_resolve_against_the_current_url(server, allowed):
    server.json("/docs/final.json", DOC)
    server.redirect("/docs/start", "final.json", status=301)
    assert allowed.get(server.url("/docs/start")).url == server.url("/docs/final.json")


@pytest.mark.parametrize("status", [404, 410, 500])
def test_error_statuses_raise_with_the_status(server, allowed, status):
    url = server.json(f"/s{status}", {"error": status}, status=status)
    error = fetch_error(allowed, url)
    assert error.status == status and error.kind == "http_status"
    assert str(status) in error.reason


def test_an_unreachable_port_is_unreachable(server, allowed):
    port = server.port
    server.close()
    assert fetch_error(allowed, f"http://127.0.0.1:{port}/gone").kind == "unreachable"


def test_a_response_that_is_not_json_is_a_bad_document(server, allowed):
    url = server.route("/page", body=b"<html>hello</html>", headers={"Content-Type": "text/html"})
    with pytest.raises(FetchError) as caught:
        allowed.get_json(url)
    assert caught.value.kind == "bad_document"


# --- time limits ---------------------------------------------------------------------------------

def test_a_slow_server_times_out(server):
    url = server.route("/slow", body=b"{}", delay=20)
    fetcher = HttpFetcher(allow_hosts=LOOPBACK, timeout=0.5)
    started = time.monotonic()
    error = fetch_error(fetcher, url)
    assert error.kind == "timeout"
    assert time.monotonic() - started < 10  # sanity: nowhere near the server's 20 s
    fetcher.close()


def test_a_trickling_body_hits_the_total_deadline(server):
    # One byte every 0.1 s never trips the per-read timeout, only the total deadline.
    url = server.route("/trickle", body=b"[" + b"1," * 200 + b"1]", trickle=0.1)
    fetcher = HttpFetcher(allow_hosts=LOOPBACK, timeout=0.5)
    started = time.monotonic()
    error = fetch_error(fetcher, url)
    assert error.kind == "timeout"
    assert time.monotonic() - started < 10  # sanity: the whole body would take 40 s
    fetcher.close()


def test_trickling_headers_hit_the_total_deadline(server):
    url = server.route("/trickle-headers", header_trickle=0.1)
    fetcher = HttpFetcher(allow_hosts=LOOPBACK, timeout=0.5)
    started = time.monotonic()
    error = fetch_error(fetcher, url)
    assert error.kind == "timeout"
    assert time.monotonic() - started < 10  # sanity: the headers never end
    fetcher.close()


# --- size limits ---------------------------------------------------------------------------------

def test_an_oversized_response_with_content_length_is_refused(server):
    url = server.route("/big", stream_bytes=50_000)
    fetcher = HttpFetcher(allow_hosts=LOOPBACK, timeout=5, max_bytes=10_000)
    error = fetch_error(fetcher, url)
    assert error.kind == "too_large" and "10000" in error.reason
    fetcher.close()


def test_an_oversized_response_without_content_length_is_cut_off(server):
    url = server.route("/big", stream_bytes=20_000_000, content_length=False)
    fetcher = HttpFetcher(allow_hosts=LOOPBACK, timeout=5, max_bytes=100_000)
    assert fetch_error(fetcher, url).kind == "too_large"
    fetcher.close()


def gzip_of_zeros(megabytes: int) -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
    block = b"\0" * (1024 * 1024)
    return b"".join(compressor.compress(block) for _ in range(megabytes)) + compressor.flush()


def test_a_gzip_response_is_decoded(server, allowed):
    url = server.route("/gz", body=gzip.compress(json.dumps(DOC).encode()), headers={"Content-Encoding": "gzip"})
    assert allowed.get_json(url) == DOC


def test_a_truncated_gzip_response_is_refused(server, allowed):
    body = gzip.compress(json.dumps(DOC).encode())
    url = server.route("/gz-cut", body=body[:-12], headers={"Content-Encoding": "gzip"})
    with pytest.raises(FetchError) as caught:
        allowed.get(url)
    assert caught.value.kind == "bad_document" and "truncated" in caught.value.reason


def test_a_gzip_bomb_is_cut_off_without_inflating_it(server):
    # ~0.5 MB on the wire, 512 MB inflated; sent without Content-Length.
    url = server.route("/bomb", body=gzip_of_zeros(512), headers={"Content-Encoding": "gzip"},
                       content_length=False)
    fetcher = HttpFetcher(allow_hosts=LOOPBACK, timeout=10, max_bytes=100_000)
    tracemalloc.start()
    try:
        error = fetch_error(fetcher, url)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
        fetcher.close()
    assert error.kind == "too_large"
    assert peak < 16 * 1024 * 1024, f"inflated {peak} bytes to enforce a 100 kB limit"


def test_a_per_call_size_limit_overrides_the_default(server, allowed):
    url = server.route("/medium", stream_bytes=5_000)
    assert len(allowed.get(url).content) == 5_000
    assert fetch_error(allowed, url, max_bytes=1_000).kind == "too_large"


def test_a_response_at_the_limit_is_accepted(server):
    url = server.route("/exact", stream_bytes=1_000, content_length=False)
    fetcher = HttpFetcher(allow_hosts=LOOPBACK, timeout=5, max_bytes=1_000)
    assert len(fetcher.get(url).content) == 1_000
    fetcher.close()


# --- SSRF guard ----------------------------------------------------------------------------------

def assert_refused(error: FetchError) -> None:
    assert error.kind == "ssrf_refused", error
    assert "refused" in error.reason


def test_loopback_is_refused_when_not_allow_listed(server, guarded):
    server.json("/doc.json", DOC)
    assert_refused(fetch_error(guarded, server.url("/doc.json")))
    assert server.connections == 0


def test_localhost_is_refused_when_not_allow_listed(server, guarded):
    server.json("/doc.json", DOC)
    assert_refused(fetch_error(guarded, f"http://localhost:{server.port}/doc.json"))
    assert server.connections == 0


def test_allow_listing_an_address_does_not_allow_a_name_for_it(server):
    server.json("/doc.json", DOC)
    fetcher = HttpFetcher(allow_hosts=LOOPBACK, timeout=5)
    assert_refused(fetch_error(fetcher, f"http://localhost:{server.port}/doc.json"))
    fetcher.close()
    assert server.connections == 0


def test_ipv6_loopback_is_refused(server6, guarded):
    server6.json("/doc.json", DOC)
    assert_refused(fetch_error(guarded, server6.url("/doc.json")))
    assert server6.connections == 0


@pytest.mark.parametrize("host", ["[::ffff:127.0.0.1]", "[::ffff:7f00:1]", "2130706433", "0x7f000001", "127.1"])
def test_disguised_loopback_addresses_are_refused(server, guarded, host):
    server.json("/doc.json", DOC)
    assert_refused(fetch_error(guarded, f"http://{host}:{server.port}/doc.json"))
    assert server.connections == 0


@pytest.mark.parametrize("host", ["0177.0.0.1", "0x7f.1"])
def test_unusual_ip_spellings_are_refused_without_a_crash(server, guarded, host):
    server.json("/doc.json", DOC)
    error = fetch_error(guarded, f"http://{host}:{server.port}/doc.json")
    assert error.kind in ("ssrf_refused", "bad_url")
    assert server.connections == 0


@pytest.mark.parametrize("url", ["http://169.254.169.254/latest/meta-data/", "http://10.0.0.1/",
                                 "http://192.168.1.1/", "http://[fe80::1]/", "http://0.0.0.0/",
                                 "http://[::ffff:169.254.169.254]/", "http://[2002:a9fe:a9fe::]/"])
def test_private_and_metadata_addresses_fail_fast(guarded, url):
    started = time.monotonic()
    assert_refused(fetch_error(guarded, url))
    assert time.monotonic() - started < 5  # the fetcher's timeout is 30 s: nothing was attempted


def test_redirect_to_localhost_is_refused(server):
    server.json("/doc.json", DOC)
    server.redirect("/go", f"http://localhost:{server.port}/doc.json")
    fetcher = HttpFetcher(allow_hosts=LOOPBACK, timeout=30)
    assert_refused(fetch_error(fetcher, server.url("/go")))
    fetcher.close()
    assert server.requests == ["/go"]
    assert server.connections == 1  # the allow-listed request only


def test_redirect_to_the_metadata_address_is_refused_fast(server):
    server.redirect("/go", "http://169.254.169.254/latest/meta-data/iam/")
    fetcher = HttpFetcher(allow_hosts=LOOPBACK, timeout=30)
    started = time.monotonic()
    assert_refused(fetch_error(fetcher, server.url("/go")))
    assert time.monotonic() - started < 5
    fetcher.close()


def test_redirect_to_ipv6_loopback_is_refused(server, server6):
    server6.json("/doc.json", DOC)
    server.redirect("/go", server6.url("/doc.json"))
    fetcher = HttpFetcher(allow_hosts=LOOPBACK, timeout=30)
    assert_refused(fetch_error(fetcher, server.url("/go")))
    fetcher.close()
    assert server6.connections == 0


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.org/badge.json",
                                 "gopher://example.org:70/_GET", "data:application/json,{}", "//example.org/x",
                                 "http:///no-host"])
def test_non_http_urls_are_refused(guarded, url):
    error = fetch_error(guarded, url)
    assert error.kind == "bad_url"


@pytest.mark.parametrize("location", ["file:///etc/passwd", "gopher://127.0.0.1:25/_HELO", "ftp://127.0.0.1/"])
def test_redirect_to_a_non_http_scheme_is_refused(server, allowed, location):
    server.redirect("/go", location)
    assert fetch_error(allowed, server.url("/go")).kind == "bad_url"


def test_verify_reports_a_refused_badge_url(server):
    server.json("/badge.json", DOC)
    report = verify(server.url("/badge.json"), fetcher=HttpFetcher(timeout=30))
    assert not report.verified
    [failure] = report.failing()
    assert failure.id == "input" and "refused" in failure.detail and "loopback" in failure.detail
    assert server.connections == 0


def test_verify_reports_a_refused_linked_document(server):
    site = Site(base=server.origin)
    site.badge["issuer"] = "http://169.254.169.254/issuer.json"
    site.publish()
    server.publish(site.served, content=site.content)
    fetcher = HttpFetcher(allow_hosts=LOOPBACK, timeout=30)
    report = verify(site.assertion(), fetcher=fetcher)
    fetcher.close()
    assert report.verdict == "invalid"
    [failure] = report.failing()
    assert failure.id == "issuer" and "refused" in failure.detail and "169.254.169.254" in failure.detail


# --- hosted badges over HTTP ---------------------------------------------------------------------

@pytest.fixture
def live_site(server):
    site = Site(base=server.origin)
    return site


def serve(server, site):
    server.publish(site.served, statuses=site.statuses, content=site.content)


def test_a_hosted_badge_served_over_http_verifies(server, live_site):
    assertion = live_site.assertion()
    serve(server, live_site)
    fetcher = HttpFetcher(allow_hosts=LOOPBACK, timeout=5)
    report = verify(json.dumps(assertion), fetcher=fetcher)
    assert report.verdict == "valid", report.to_dict()
    assert "/assertions/1" in server.requests and "/badges/robotics.json" in server.requests
    # the badge's URL alone resolves to the same verdict
    assert verify(assertion["id"], fetcher=fetcher).verdict == "valid"
    fetcher.close()


def test_a_hosted_badge_answering_410_is_revoked(server, live_site):
    assertion = live_site.assertion()
    live_site.statuses[assertion["id"]] = 410
    serve(server, live_site)
    report = verify(assertion, fetcher=HttpFetcher(allow_hosts=LOOPBACK, timeout=5))
    assert report.verdict == "invalid"
    assert [c.reason for c in report.failing()] == ["revoked"]


def test_a_hosted_badge_answering_404_is_invalid(server, live_site):
    assertion = live_site.assertion()
    live_site.statuses[assertion["id"]] = 404
    serve(server, live_site)
    report = verify(assertion, fetcher=HttpFetcher(allow_hosts=LOOPBACK, timeout=5))
    assert report.verdict == "invalid"
    assert [c.id for c in report.failing()] == ["hosted"]


def test_a_hosted_badge_that_times_out_is_indeterminate(server, live_site):
    assertion = live_site.assertion()
    serve(server, live_site)
    server.route("/assertions/1", body=b"{}", delay=20)
    report = verify(assertion, fetcher=HttpFetcher(allow_hosts=LOOPBACK, timeout=0.5))
    assert report.verdict == "indeterminate"
    [failure] = report.failing()
    assert failure.id == "hosted" and failure.indeterminate


def test_a_badge_url_that_redirects_too_often_is_not_verified(server, live_site):
    assertion = live_site.assertion()
    serve(server, live_site)
    first = server.redirect_chain(6, assertion["id"])
    report = verify(first, fetcher=HttpFetcher(allow_hosts=LOOPBACK, timeout=5))
    assert not report.verified
    assert report.failing()[0].id == "input" and "redirect" in report.failing()[0].detail


# --- the offline document map ----------------------------------------------------------------------

def write_map(tmp_path, entries, files):
    for name, content in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    map_file = tmp_path / "map.json"
    map_file.write_text(json.dumps(entries))
    return map_file


def test_document_map_paths_are_relative_to_the_map_file(tmp_path, monkeypatch):
    map_file = write_map(tmp_path / "archive", {"https://issuer.example/a.json": "docs/a.json"},
                         {"docs/a.json": b'{"a": 1}'})
    monkeypatch.chdir(tmp_path)  # not the map's folder
    documents = DocumentMap.from_file(map_file)
    assert documents.get_json("https://issuer.example/a.json") == {"a": 1}
    assert documents.get_json("https://issuer.example/a.json#frag") == {"a": 1}
    assert "https://issuer.example/a.json" in documents


def test_document_map_missing_url_is_a_fetch_failure(tmp_path):
    documents = DocumentMap.from_file(write_map(tmp_path, {}, {}))
    with pytest.raises(FetchError) as caught:
        documents.get("https://issuer.example/absent.json")
    assert caught.value.kind == "not_in_map"


def test_document_map_status_entries(tmp_path):
    map_file = write_map(tmp_path, {"https://issuer.example/gone.json": {"path": "gone.json", "status": 410}},
                         {"gone.json": b"{}"})
    with pytest.raises(FetchError) as caught:
        DocumentMap.from_file(map_file).get("https://issuer.example/gone.json")
    assert caught.value.status == 410


def test_document_map_unreadable_file_is_a_fetch_failure(tmp_path):
    documents = DocumentMap({"https://issuer.example/a.json": "missing.json"}, tmp_path)
    with pytest.raises(FetchError):
        documents.get("https://issuer.example/a.json")


def test_document_map_size_limit(tmp_path):
    map_file = write_map(tmp_path, {"https://issuer.example/big": "big"}, {"big": b"x" * 5000})
    documents = DocumentMap.from_file(map_file, max_bytes=1000)
    with pytest.raises(FetchError) as caught:
        documents.get("https://issuer.example/big")
    assert caught.value.kind == "too_large"


@pytest.mark.parametrize("content", [b"[1, 2]", b"not json", b'{"u": {"path": 5}}',
                                     b'{"u": {"path": "a", "status": "gone"}}'])
def test_a_bad_document_map_is_an_input_error(tmp_path, content):
    map_file = tmp_path / "map.json"
    map_file.write_bytes(content)
    with pytest.raises(InputError):
        DocumentMap.from_file(map_file)


def test_a_missing_document_map_is_an_input_error(tmp_path):
    with pytest.raises(InputError):
        DocumentMap.from_file(tmp_path / "nope.json")
