"""Verifying credentials signed by a test issuer of our own: the good case and each way to fail."""
from __future__ import annotations

import hashlib
import json
from datetime import datetime, timezone

import pytest
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from joserfc import jws
from joserfc.jwk import ECKey, RSAKey

from tests.vcfactory import OB3, V2, Issuer, badge, offline, status_entry, status_list
from verifier import DocumentMap, verify
from verifier._multibase import b64url_encode
from verifier._trust import Registry, TrustPolicy

AT = datetime(2026, 1, 1, tzinfo=timezone.utc)
ISSUER, OTHER = Issuer(1), Issuer(2)
LIST_URL = "https://status.example.org/lists/1"
EMPTY = DocumentMap({})


def run(document, fetcher=EMPTY, **kwargs):
    return verify(json.dumps(document) if isinstance(document, dict) else document, fetcher=fetcher,
                  at=kwargs.pop("at", AT), **kwargs)


def failures(report):
    return {(c.id, c.reason) for c in report.checks if c.outcome == "failed"}


def signed(**extra):
    return ISSUER.sign(badge(ISSUER.did, **extra))


def test_a_good_credential_is_valid():
    report = run(signed())
    assert report.verdict == "valid", report.to_dict()["checks"]
    assert report.credential["achievement"]["name"] == "Teamwork"
    assert [c.outcome for c in report.check("proof")] == ["passed"]


def test_ed25519signature2020_and_proof_sets():
    document = ISSUER.sign(ISSUER.sign(badge(ISSUER.did, **{"@context": [V2, OB3, "https://w3id.org/security/suites/ed25519-2020/v1"]}),
                                       suite="Ed25519Signature2020"))
    report = run(document)
    assert report.verdict == "valid", report.to_dict()["checks"]
    assert len(report.check("proof")) == 2


def test_tampered():
    document = signed()
    document["credentialSubject"]["achievement"]["name"] = "Leadership"
    assert failures(run(document)) == {("proof", "signature")}


def test_one_bad_proof_in_a_set_fails():
    document = ISSUER.sign(signed())
    document["proof"][1]["proofValue"] = ISSUER.sign(badge(ISSUER.did), key=OTHER.key)["proof"]["proofValue"]
    assert ("proof", "signature") in failures(run(document))


def test_wrong_key():
    document = ISSUER.sign(badge(ISSUER.did), key=OTHER.key)
    assert failures(run(document)) == {("proof", "signature")}


def test_key_not_controlled_by_the_issuer():
    document = OTHER.sign(badge(ISSUER.did))
    report = run(document)
    assert failures(report) == {("key", "issuer_key_binding")}
    assert report.verdict == "invalid"


def test_expired_and_not_yet_valid():
    assert failures(run(signed(validUntil="2025-06-01T00:00:00Z"))) == {("validity", "expired")}
    assert failures(run(signed(validFrom="2027-01-01T00:00:00Z"))) == {("validity", "not_yet_valid")}


def test_at_override_is_honoured():
    document = signed(validUntil="2025-06-01T00:00:00Z")
    assert run(document, at=datetime(2025, 3, 1, tzinfo=timezone.utc)).verdict == "valid"


def _with_status(tmp_path, revoked=(), purpose="revocation", index=7, list_doc=None):
    document = signed(credentialStatus=status_entry(LIST_URL, index, purpose))
    listing = list_doc or status_list(ISSUER, LIST_URL, set(revoked), purpose)
    return run(document, offline(tmp_path, {LIST_URL: listing}))


def test_not_revoked(tmp_path):
    report = _with_status(tmp_path, revoked={3})
    assert report.verdict == "valid", report.to_dict()["checks"]


def test_revoked(tmp_path):
    assert failures(_with_status(tmp_path, revoked={7})) == {("status", "revoked")}


def test_suspended(tmp_path):
    assert failures(_with_status(tmp_path, revoked={7}, purpose="suspension")) == {("status", "suspended")}


def test_status_list_unreachable_is_indeterminate():
    report = run(signed(credentialStatus=status_entry(LIST_URL, 7)))
    assert report.verdict == "indeterminate"
    assert failures(report) == {("status", "status_unavailable")}


def test_status_list_with_a_bad_proof_is_indeterminate(tmp_path):
    listing = status_list(ISSUER, LIST_URL, set())
    listing["credentialSubject"]["encodedList"] = status_list(ISSUER, LIST_URL, {7})["credentialSubject"]["encodedList"]
    report = _with_status(tmp_path, list_doc=listing)
    assert report.verdict == "indeterminate"
    assert failures(report) == {("status", "status_unverified")}


def test_expired_status_list_is_indeterminate(tmp_path):
    listing = status_list(ISSUER, LIST_URL, set(), validUntil="2025-06-01T00:00:00Z")
    assert _with_status(tmp_path, list_doc=listing).verdict == "indeterminate"


def test_unknown_context():
    document = signed()
    document["@context"] = document["@context"] + ["https://example.org/unknown-context"]
    report = run(document)
    assert ("context", "unknown_context") in failures(report)
    assert report.verdict == "invalid"


def _v1_credential(**extra):
    return {"@context": ["https://www.w3.org/2018/credentials/v1", "https://w3id.org/security/data-integrity/v2"],
            "type": ["VerifiableCredential"], "issuer": ISSUER.did, "issuanceDate": "2025-01-01T00:00:00Z",
            "credentialSubject": {"id": "did:example:1"}, **extra}


def test_a_clean_v1_credential_is_valid():
    assert run(ISSUER.sign(_v1_credential())).verdict == "valid"


def test_relative_type_is_rejected():
    document = ISSUER.sign(_v1_credential())
    document["type"] = ["VerifiableCredential", "MadeUpType"]
    assert failures(run(document)) == {("context", "relative_type")}


def test_undefined_term_is_rejected():
    document = ISSUER.sign(_v1_credential())
    document["credentialSubject"]["surprise"] = "not in any context"
    assert failures(run(document)) == {("context", "undefined_term")}


def test_unknown_proof_type_is_not_a_pass():
    document = signed()
    document["proof"]["cryptosuite"] = "bbs-2023"
    report = run(document)
    assert ("proof", "unsupported_proof") in failures(report)
    assert report.verdict != "valid"


def test_no_proof():
    assert ("proof", "unsigned") in failures(run(badge(ISSUER.did)))


def test_did_web_issuer(tmp_path):
    did = "did:web:issuer.example.org:badges"
    vm = f"{did}#key-1"
    did_doc = {"@context": ["https://www.w3.org/ns/did/v1"], "id": did,
               "verificationMethod": [{"id": vm, "type": "Multikey", "controller": did,
                                       "publicKeyMultibase": ISSUER.multikey}],
               "assertionMethod": [vm]}
    document = ISSUER.sign(badge(did), vm=vm)
    fetcher = offline(tmp_path, {"https://issuer.example.org/badges/did.json": did_doc})
    assert run(document, fetcher).verdict == "valid"
    did_doc["assertionMethod"] = []
    fetcher = offline(tmp_path, {"https://issuer.example.org/badges/did.json": did_doc})
    assert failures(run(document, fetcher)) == {("key", "key_purpose")}


def test_did_web_unreachable_is_indeterminate():
    did = "did:web:issuer.example.org"
    report = run(ISSUER.sign(badge(did), vm=f"{did}#key-1"))
    assert report.verdict == "indeterminate"


def test_https_verification_method_and_issuer_fragment_convention(tmp_path):
    issuer = "https://issuer.example.org/profile"
    convention = ISSUER.sign(badge(issuer), vm=f"{issuer}#{ISSUER.multikey}")
    report = run(convention)
    assert report.verdict == "valid"
    assert "convention" in report.check("key")[0].detail
    strict = run(convention, trust=TrustPolicy(require_key_binding=True))
    assert ("key", "issuer_key_binding") in failures(strict)
    # the issuer's published key list does not contain the fragment's key: no convention then
    profile = {"id": issuer, "assertionMethod": [{"id": f"{issuer}#k", "type": "Multikey", "controller": issuer,
                                                  "publicKeyMultibase": OTHER.multikey}]}
    assert run(convention, offline(tmp_path, {issuer: profile})).verdict == "invalid"
    listed = ISSUER.sign(badge(issuer), vm=f"{issuer}#k")
    profile["assertionMethod"][0]["publicKeyMultibase"] = ISSUER.multikey
    assert run(listed, offline(tmp_path, {issuer: profile})).verdict == "valid"


def test_vc_jwt_eddsa_with_did_key():
    token = ISSUER.jwt({**badge(ISSUER.did), "iss": ISSUER.did})
    assert run(token).verdict == "valid"
    head, payload, signature = token.split(".")
    tampered = json.loads(__import__("base64").urlsafe_b64decode(payload + "==="))
    tampered["name"] = "Other"
    forged = ".".join([head, b64url_encode(json.dumps(tampered).encode()), signature])
    assert ("proof", "signature") in failures(run(forged))


def test_vc_jwt_es256_did_jwk_and_rs256_header_key():
    key = ec.generate_private_key(ec.SECP256R1())
    public = ECKey.import_key(key.public_key()).as_dict()
    did = "did:jwk:" + b64url_encode(json.dumps(public).encode())
    payload = json.dumps(badge(did)).encode()
    token = jws.serialize_compact({"alg": "ES256", "kid": f"{did}#0"}, payload, ECKey.import_key(key),
                                  algorithms=["ES256"])
    assert run(token).verdict == "valid"
    rsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    header = {"alg": "RS256", "jwk": RSAKey.import_key(rsa_key.public_key()).as_dict()}
    token = jws.serialize_compact(header, json.dumps(badge("https://issuer.example.org")).encode(),
                                  RSAKey.import_key(rsa_key), algorithms=["RS256"])
    report = run(token)
    assert report.verdict == "valid"
    assert "self-asserted" in report.check("key")[0].detail


def test_recipient_plain_and_hashed():
    assert run(signed(), recipient="ada@example.org").check("recipient")[0].outcome == "passed"
    assert ("recipient", "recipient_mismatch") in failures(run(signed(), recipient="bob@example.org"))
    salted = "sha256$" + hashlib.sha256(b"ada@example.orgpepper").hexdigest()
    document = badge(ISSUER.did)
    document["credentialSubject"]["identifier"] = [{"type": "IdentityObject", "identityType": "emailAddress",
                                                    "hashed": True, "salt": "pepper", "identityHash": salted}]
    document = ISSUER.sign(document)
    assert run(document, recipient="Ada@Example.org").check("recipient")[0].outcome == "passed"
    assert run(document, recipient="eve@example.org").verdict == "invalid"


def test_trust_policy():
    document = signed()
    assert run(document).check("issuer")[0].outcome == "skipped"
    assert failures(run(document, trust=TrustPolicy(deny=frozenset({ISSUER.did})))) == {("issuer", "issuer_denied")}
    unknown = run(document, trust=TrustPolicy())
    assert unknown.verdict == "valid-with-warnings"
    registry = Registry.from_json("DCC", {"meta": {}, "registry": {ISSUER.did: {"name": "Test University"}}})
    vouched = run(document, trust=TrustPolicy(registries=[registry]))
    assert vouched.verdict == "valid" and "DCC" in vouched.check("issuer")[0].detail


def test_trust_policy_domains(tmp_path):
    policy_file = tmp_path / "trust.json"
    (tmp_path / "reg.json").write_text(json.dumps({"registry": {}}))
    policy_file.write_text(json.dumps({"allow": ["example.org"], "deny": ["bad.example"], "registries": ["reg.json"]}))
    policy = TrustPolicy.from_file(policy_file)
    assert policy.check("https://badges.example.org/issuer").outcome == "passed"
    assert policy.check("did:web:bad.example:x").outcome == "failed"
    assert policy.check("https://notexample.org").outcome == "warning"


def test_presentation_and_clr():
    good, expired = signed(), signed(validUntil="2025-06-01T00:00:00Z")
    presentation = {"@context": [V2], "type": ["VerifiablePresentation"], "verifiableCredential": [good, expired]}
    report = run(presentation)
    assert report.verdict == "invalid" and len(report.nested) == 2
    assert ("validity", "expired") in failures(report)
    clr = ISSUER.sign({
        "@context": [V2, "https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json", OB3],
        "id": "urn:uuid:clr-1", "type": ["VerifiableCredential", "ClrCredential"], "name": "Record",
        "issuer": {"id": ISSUER.did, "type": ["Profile"], "name": "Test University"},
        "validFrom": "2025-01-01T00:00:00Z",
        "credentialSubject": {"type": ["ClrSubject"], "verifiableCredential": [good, expired]},
    })
    report = run(clr)
    assert report.format == "clr2"
    assert report.verdict == "valid-with-warnings", report.to_dict()["checks"]
    assert [n.verdict for n in report.nested] == ["valid", "invalid"]


def test_endorsement_is_verified():
    endorsement = ISSUER.sign({
        "@context": [V2, OB3], "id": "urn:uuid:e-1", "type": ["VerifiableCredential", "EndorsementCredential"],
        "name": "Endorsement", "issuer": {"id": ISSUER.did, "type": ["Profile"]}, "validFrom": "2025-01-01T00:00:00Z",
        "credentialSubject": {"id": "https://example.org/achievements/1", "type": ["EndorsementSubject"]}})
    report = run(signed(endorsement=[endorsement]))
    assert report.verdict == "valid" and report.check("endorsement")[0].outcome == "passed"
    endorsement["name"] = "Tampered"
    assert run(signed(endorsement=[endorsement])).verdict == "valid-with-warnings"


@pytest.mark.parametrize("value", ["not-a-jwt", "{}", "[]"])
def test_garbage_is_an_input_failure(value):
    assert run(value).verdict == "invalid"


class _Publisher:
    """A fetcher whose documents the test can change between verifications."""

    def __init__(self, documents):
        self.documents = documents

    def get(self, url, *, accept=None, max_bytes=None):
        from verifier import FetchError, Response
        if url not in self.documents:
            raise FetchError(url, "not published", 404, kind="http_status")
        return Response(url, 200, "application/json", json.dumps(self.documents[url]).encode())

    def get_json(self, url):
        return json.loads(self.get(url).content)


def test_a_status_list_is_read_again_when_judged_at_another_instant():
    from datetime import timedelta
    document = signed(credentialStatus=status_entry(LIST_URL, 7))
    publisher = _Publisher({LIST_URL: status_list(ISSUER, LIST_URL, set())})
    assert run(document, publisher).verdict == "valid"
    publisher.documents[LIST_URL] = status_list(ISSUER, LIST_URL, {7})
    assert run(document, publisher).verdict == "valid"  # the same instant: the list just read is reused
    later = run(document, publisher, at=AT + timedelta(minutes=5))
    assert failures(later) == {("status", "revoked")}


def test_verifications_judged_now_share_a_freshly_read_status_list():
    document = json.dumps(signed(credentialStatus=status_entry(LIST_URL, 7)))
    publisher = _Publisher({LIST_URL: status_list(ISSUER, LIST_URL, set())})
    assert verify(document, fetcher=publisher).verdict == "valid"
    del publisher.documents[LIST_URL]  # a second read would now fail
    assert verify(document, fetcher=publisher).verdict == "valid"


SCHEMA_URL = "https://schemas.example.org/badge.json"


def _with_schema(schema):
    document = signed(credentialSchema={"id": SCHEMA_URL, "type": "JsonSchema"})
    fetcher = _Publisher({SCHEMA_URL: schema} if schema is not None else {})
    return run(document, fetcher)


def _schema_outcomes(report):
    return [(c.outcome, c.reason) for c in report.check("schema")]


def test_a_declared_schema_is_applied():
    assert run(signed()).verdict == "valid"
    passing = _with_schema({"type": "object", "required": ["credentialSubject"]})
    assert passing.verdict == "valid" and SCHEMA_URL in passing.check("schema")[0].detail
    failing = _with_schema({"type": "object", "required": ["somethingTheBadgeLacks"]})
    assert ("failed", "schema") in _schema_outcomes(failing) and failing.verdict == "invalid"


def test_an_unavailable_declared_schema_is_a_warning():
    report = _with_schema(None)
    assert report.verdict == "valid-with-warnings"
    assert ("warning", "schema_unavailable") in _schema_outcomes(report)


@pytest.mark.parametrize("schema", [
    {"$ref": "https://elsewhere.example/other.json"},
    {"type": "object", "properties": {"id": {"type": "string", "pattern": "^(a+)+$"}}},
])
def test_a_declared_schema_that_reaches_out_or_uses_regexes_is_not_run(schema):
    report = _with_schema(schema)
    assert report.verdict == "valid-with-warnings"
    assert ("warning", "schema_unavailable") in _schema_outcomes(report)
