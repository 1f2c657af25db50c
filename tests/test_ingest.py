"""Ingest: what a candidate handed over is detected, unbaked and decoded, without any fetch."""
from __future__ import annotations

import hashlib
import json

import pytest

from tests.ob2factory import (EMAIL, OB1, PLAIN_PNG, Site, bake_png, bake_svg, hashed_identity, insert_chunk,
                              png_chunk)
from verifier import InputError, ingest


@pytest.fixture
def hosted(site):
    return site.assertion()


def input_error(data) -> InputError:
    with pytest.raises(InputError) as caught:
        ingest(data)
    return caught.value


def test_hosted_json(hosted):
    envelope = ingest(json.dumps(hosted).encode(), source="badge.json")
    assert (envelope.family, envelope.format, envelope.container) == ("ob2", "ob2-hosted", None)
    assert envelope.credential == hosted and envelope.source == "badge.json"


def test_a_parsed_object_is_accepted(hosted):
    assert ingest(hosted).credential == hosted


def test_json_with_a_byte_order_mark_and_whitespace(hosted):
    assert ingest(b"\xef\xbb\xbf\n  " + json.dumps(hosted).encode() + b"\n").credential == hosted


def test_signed_jws(site):
    token = site.signed()
    envelope = ingest(token.encode())
    assert (envelope.family, envelope.format) == ("ob2", "ob2-signed")
    assert envelope.jws == token and envelope.jws_header["alg"] == "RS256"
    assert envelope.credential["verification"]["creator"] == site.key_id


def test_a_url_is_a_reference():
    envelope = ingest("https://issuer.example/assertions/1\n")
    assert (envelope.family, envelope.credential) == ("reference", "https://issuer.example/assertions/1")


@pytest.mark.parametrize("document", [{"id": "https://issuer.example/assertions/1"},
                                      {"@context": "https://w3id.org/openbadges/v2", "type": "Assertion",
                                       "id": "https://issuer.example/assertions/1"}])
def test_id_only_json_is_a_reference(document):
    envelope = ingest(json.dumps(document))
    assert envelope.family == "reference"
    assert envelope.credential == "https://issuer.example/assertions/1"


def test_an_id_that_is_not_a_url_is_not_a_reference():
    assert input_error(json.dumps({"id": "urn:uuid:1234"})).kind == "not_a_badge"


def test_legacy_1_0():
    document = {"uid": "1", "recipient": hashed_identity(EMAIL), "badge": "https://issuer.example/b.json",
                "verify": {"type": "hosted", "url": "https://issuer.example/a.json"}, "issuedOn": "2015-01-01"}
    envelope = ingest(json.dumps(document))
    assert (envelope.family, envelope.format) == ("legacy", "ob1")


def test_legacy_1_1_typed_assertion():
    document = {"@context": OB1, "type": "Assertion", "id": "https://issuer.example/a.json", "uid": "1",
                "recipient": hashed_identity(EMAIL), "badge": "https://issuer.example/b.json",
                "verify": {"type": "hosted", "url": "https://issuer.example/a.json"}, "issuedOn": "2015-01-01"}
    assert ingest(json.dumps(document)).family == "legacy"


def test_legacy_0_5():
    document = {"recipient": EMAIL, "badge": {"version": "0.5.0", "name": "Old", "issuer": {"origin": "x"}}}
    assert ingest(json.dumps(document)).format == "ob0.5"


@pytest.mark.parametrize("chunk,compressed", [("iTXt", False), ("iTXt", True), ("tEXt", False)])
def test_baked_png(hosted, chunk, compressed):
    data = bake_png(json.dumps(hosted), chunk=chunk, compressed=compressed)
    envelope = ingest(data)
    assert envelope.container == "png" and envelope.credential == hosted
    assert envelope.sha256 == hashlib.sha256(data).hexdigest()


def test_baked_png_with_a_jws(site):
    token = site.signed()
    envelope = ingest(bake_png(token))
    assert envelope.jws == token and envelope.format == "ob2-signed" and envelope.container == "png"


def test_baked_png_with_a_url():
    envelope = ingest(bake_png("https://issuer.example/assertions/1"))
    assert envelope.family == "reference" and envelope.container == "png"


def test_only_the_openbadges_keyword_counts(hosted):
    other = insert_chunk(PLAIN_PNG, png_chunk(b"tEXt", b"Comment\0" + json.dumps(hosted).encode()))
    assert input_error(other).kind == "not_a_badge"
    assert input_error(PLAIN_PNG).kind == "not_a_badge"


def test_the_first_openbadges_chunk_wins(hosted):
    data = insert_chunk(bake_png(json.dumps(hosted)), png_chunk(b"tEXt", b"openbadges\0https://x.example/a"))
    assert ingest(data).family == "reference"  # the chunk inserted right after IHDR comes first


def test_baked_svg_with_a_jws(site):
    token = site.signed()
    envelope = ingest(bake_svg(verify=token))
    assert envelope.container == "svg" and envelope.jws == token


def test_baked_svg_with_embedded_json(hosted):
    envelope = ingest(bake_svg(verify=hosted["id"], body=json.dumps(hosted)))
    assert envelope.container == "svg" and envelope.credential == hosted


def test_baked_svg_with_only_a_url():
    assert ingest(bake_svg(verify="https://issuer.example/assertions/1")).family == "reference"


def test_an_svg_without_a_badge_is_not_a_badge():
    plain = b'<svg xmlns="http://www.w3.org/2000/svg"><circle r="1"/></svg>'
    assert input_error(plain).kind == "not_a_badge"


def test_xml_that_is_not_svg_is_not_a_badge():
    assert input_error(b"<?xml version='1.0'?><html><body/></html>").kind == "not_a_badge"


@pytest.mark.parametrize("document", [
    {"@context": "https://w3id.org/openbadges/v2", "type": "BadgeClass", "id": "https://x.example/b",
     "name": "b"},
    {"@context": "https://w3id.org/openbadges/v2", "type": "Issuer", "id": "https://x.example/i", "name": "i"},
    {"name": "not a badge"}, [1, 2, 3], "just a string"])
def test_json_that_is_not_an_assertion_is_not_a_badge(document):
    assert input_error(json.dumps(document)).kind == "not_a_badge"


def test_a_verifiable_credential_is_routed_to_the_vc_family():
    document = {"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiableCredential"],
                "issuer": "did:example:1", "credentialSubject": {"id": "did:example:2"}}
    assert ingest(json.dumps(document)).family == "vc"


@pytest.mark.parametrize("text", ["hello world", "ftp://example.org/badge", "<<<", "a.b"])
def test_other_text_is_not_a_badge(text):
    assert isinstance(input_error(text), InputError)


def test_ingest_does_not_fetch(monkeypatch, site):
    import socket

    def no_network(*args, **kwargs):
        raise AssertionError("ingest must not reach the network")
    monkeypatch.setattr(socket, "getaddrinfo", no_network)
    monkeypatch.setattr(socket.socket, "connect", no_network)
    for data in ("https://issuer.example/a", bake_svg(verify="https://issuer.example/a"), site.signed()):
        ingest(data)


def test_site_documents_are_not_assertions():
    site = Site()
    for document in (site.badge, site.issuer, site.cryptographic_key, site.revocations):
        assert input_error(json.dumps(document)).kind == "not_a_badge"
