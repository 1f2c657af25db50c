"""The JSON-LD context registry: bundled, project and operator contexts, variants, no network."""
from __future__ import annotations

import json

import pytest

from tests.interop import INTEROP, require_interop
from verifier import DocumentMap
from verifier._contexts import (ContextRegistry, context_variants, differing_terms, is_known_context)
from verifier._errors import InputError

OB303 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
REQUIRED = [
    "https://www.w3.org/2018/credentials/v1", "https://www.w3.org/ns/credentials/v2",
    "https://www.w3.org/ns/did/v1", "https://w3id.org/security/suites/ed25519-2020/v1",
    "https://w3id.org/security/v1", "https://w3id.org/security/v2", "https://w3id.org/security/suites/jws-2020/v1",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.1.json",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.2.json", OB303,
    "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json",
    "https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json",
    "https://w3id.org/security/data-integrity/v1", "https://w3id.org/security/data-integrity/v2",
    "https://w3id.org/security/multikey/v1", "https://w3id.org/openbadges/v2",
    "https://www.w3.org/ns/credentials/examples/v2",
]


@pytest.mark.parametrize("url", REQUIRED)
def test_required_contexts_are_known(url):
    assert is_known_context(url)
    for name, document in context_variants(url):
        assert name and isinstance(document.get("@context"), (dict, list))


def test_unknown_contexts_are_not_known_and_nothing_is_fetched():
    class Exploding:
        def get(self, *a, **k):
            raise AssertionError("a context must never be fetched")
        get_json = get

    assert not is_known_context("https://w3id.org/openbadges/invalid")
    assert not is_known_context("https://w3id.org/openbadges/invalid", Exploding())
    assert context_variants("https://example.org/ctx") == []
    assert not is_known_context("http://www.w3.org/ns/credentials/v2")  # exact match only


def test_ob303_has_both_published_variants():
    variants = context_variants(OB303)
    names = [name for name, _ in variants]
    assert names == ["3.0.3-2026", "3.0.3-2024"]
    assert differing_terms(variants) == {"jti", "endorsementJwt"}
    assert "jti" in variants[0][1]["@context"] and "jti" not in variants[1][1]["@context"]


def test_documents_are_parsed_once():
    first = context_variants("https://www.w3.org/ns/credentials/v2")
    second = context_variants("https://www.w3.org/ns/credentials/v2")
    assert len(first) == 1 and first[0][1] is second[0][1]


def test_offline_document_map_supplies_an_extra_context(tmp_path):
    (tmp_path / "ctx.json").write_text(json.dumps({"@context": {"foo": "https://example.org/foo"}}))
    (tmp_path / "map.json").write_text(json.dumps({"https://example.org/ctx": "ctx.json"}))
    documents = DocumentMap.from_file(tmp_path / "map.json")
    assert is_known_context("https://example.org/ctx", documents)
    assert context_variants("https://example.org/ctx", documents)[0][0] == "document map"
    assert not is_known_context("https://example.org/ctx")


def test_operator_directory(tmp_path):
    (tmp_path / "a.json").write_text(json.dumps({"@context": {"a": "https://example.org/a"}}))
    (tmp_path / "index.json").write_text(json.dumps({"https://example.org/a": "a.json"}))
    registry = ContextRegistry(bundled=False, project=False)
    registry.add_directory(tmp_path)
    assert registry.is_known("https://example.org/a")
    assert [v.source for v in registry.variants("https://example.org/a")] == ["operator"]


def test_operator_directory_cannot_point_outside_itself(tmp_path):
    (tmp_path / "index.json").write_text(json.dumps({"https://example.org/a": "../a.json"}))
    with pytest.raises(InputError):
        ContextRegistry(bundled=False, project=False).add_directory(tmp_path)


def test_a_context_without_context_object_is_refused(tmp_path):
    (tmp_path / "bad.json").write_text("[1, 2]")
    (tmp_path / "index.json").write_text(json.dumps({"https://example.org/bad": "bad.json"}))
    registry = ContextRegistry(bundled=False, project=False)
    registry.add_directory(tmp_path)
    with pytest.raises(InputError):
        registry.variants("https://example.org/bad")


def _reference_copies():
    index_path = INTEROP / "contexts" / "contexts.json"
    if not index_path.is_file():
        return []
    index = json.loads(index_path.read_text())["contexts"]
    return [(url, item["file"]) for url, entry in index.items() if entry.get("file")
            for item in [entry] + entry.get("variants", [])]


@pytest.mark.parametrize("url,file_name", _reference_copies() or [pytest.param(None, None, marks=pytest.mark.skip(
    reason="../shared/interop/contexts is not beside the repository"))])
def test_every_reference_copy_equals_a_known_variant(url, file_name):
    reference = json.loads((require_interop() / "contexts" / file_name).read_text())
    assert any(document == reference for _, document in context_variants(url)), url
