"""Open Badges 2.0 verification check by check, offline through a document map.

Every test builds an issuer's documents with tests/ob2factory.py, breaks one
thing, and reads the verdict and the failing check from the public report."""
from __future__ import annotations

import hashlib
import json
from datetime import datetime, timezone

import pytest

from tests.ob2factory import (EMAIL, OB1, OB2, PLAIN_PNG, Site, bake_png, bake_svg, hashed_identity,
                              hs256_token, rsa_key, sign, tamper, unsigned_token)
from verifier import verify

AT = datetime(2025, 1, 1, tzinfo=timezone.utc)


@pytest.fixture
def check(tmp_path):
    """check(site, data, *other_sites, **verify_kwargs) -> Report, offline."""
    def run(site, data, *others, **kwargs):
        kwargs.setdefault("at", AT)
        if isinstance(data, dict):
            data = json.dumps(data)
        return verify(data, fetcher=site.documents(tmp_path / "map", *others), **kwargs)
    return run


def outcome(report, check_id):
    """The outcomes of every check with this id, in order."""
    return [c.outcome for c in report.check(check_id)]


def failure(report):
    """(check id, reason) of the single failing check."""
    failing = report.failing()
    assert len(failing) == 1, [c.to_dict() for c in report.checks]
    return failing[0].id, failing[0].reason


# --- the happy paths -----------------------------------------------------------------------------

def test_a_hosted_assertion_verifies(site, check):
    report = check(site, site.assertion())
    assert report.verdict == "valid", report.to_dict()
    assert report.verified and report.format == "ob2-hosted"
    for check_id in ("input", "context", "schema", "hosted", "status", "validity"):
        assert "passed" in outcome(report, check_id), check_id
    assert outcome(report, "issuer") == ["skipped"]  # no trust policy configured
    assert outcome(report, "recipient") == ["skipped"]
    summary = report.credential
    assert summary["issuer"]["id"] == site.issuer_id and summary["issuer"]["name"] == site.name
    assert summary["achievement"]["name"] == "Robotics Level 1"
    assert summary["achievement"]["tags"] == ["robotics"]
    assert summary["issued"] == "2024-03-01T12:00:00Z"


def test_a_signed_assertion_verifies(site, check):
    report = check(site, site.signed())
    assert report.verdict == "valid", report.to_dict()
    assert report.format == "ob2-signed"
    assert outcome(report, "proof") == ["passed"] and outcome(report, "key") == ["passed"]
    assert outcome(report, "status") == ["passed"]
    assert not report.check("hosted")


def test_report_dict_has_the_design_fields(site, check):
    body = check(site, site.assertion()).to_dict()
    assert {"verdict", "verified", "format", "checks", "credential", "nested", "checked_at",
            "input_sha256"} <= set(body)
    assert all({"id", "outcome", "fatal", "detail"} <= set(c) for c in body["checks"])
    json.dumps(body)


# --- context ---------------------------------------------------------------------------------------

def test_an_unknown_assertion_context_is_invalid(site, check):
    assertion = site.assertion(**{"@context": "https://w3id.org/openbadges/invalid"})
    report = check(site, assertion)
    assert report.verdict == "invalid"
    assert ("context", "unknown_context") in [(c.id, c.reason) for c in report.failing()]


def test_an_unknown_extra_context_on_the_badgeclass_is_invalid(site, check):
    site.badge["@context"] = [OB2, "https://evil.example/context.jsonld"]
    site.publish()
    report = check(site, site.assertion())
    assert failure(report) == ("context", "unknown_context")
    assert "BadgeClass" in report.failing()[0].detail


def test_an_issuer_without_the_ob2_context_is_invalid(site, check):
    del site.issuer["@context"]
    site.publish()
    assert failure(check(site, site.assertion())) == ("context", "unknown_context")


# --- schema ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("missing", ["recipient", "badge", "issuedOn", "verification"])
def test_an_assertion_missing_a_required_property_is_invalid(site, check, missing):
    assertion = site.assertion()
    del assertion[missing]
    report = check(site, assertion)
    assert report.verdict == "invalid"
    assert "schema" in [c.id for c in report.failing()]


def test_a_badgeclass_missing_its_name_is_invalid(site, check):
    del site.badge["name"]
    site.publish()
    report = check(site, site.assertion())
    assert failure(report) == ("schema", "schema")
    assert "BadgeClass" in report.failing()[0].detail


def test_an_issuer_with_the_wrong_type_is_invalid(site, check):
    site.issuer["type"] = "Organisation"
    site.publish()
    assert failure(check(site, site.assertion())) == ("schema", "schema")


# --- linked BadgeClass and issuer ------------------------------------------------------------------

def test_a_badgeclass_that_cannot_be_fetched_is_indeterminate(site, check):
    del site.served[site.badge_id]
    report = check(site, site.assertion())
    assert report.verdict == "indeterminate"
    assert failure(report)[0] == "issuer" and report.failing()[0].indeterminate


def test_a_badgeclass_that_is_gone_is_invalid(site, check):
    site.statuses[site.badge_id] = 404
    report = check(site, site.assertion())
    assert report.verdict == "invalid"
    assert failure(report)[0] == "issuer"


def test_a_badgeclass_whose_id_differs_from_its_url_is_invalid(site, check):
    site.served[site.badge_id] = dict(site.badge, id="https://issuer.example/badges/other.json")
    report = check(site, site.assertion())
    assert report.verdict == "invalid"
    assert failure(report)[0] == "issuer"
    assert "other.json" in report.failing()[0].detail


def test_an_issuer_profile_whose_id_differs_from_its_url_is_invalid(site, check):
    site.served[site.issuer_id] = dict(site.issuer, id="https://impostor.example/issuer.json")
    report = check(site, site.assertion())
    assert report.verdict == "invalid"
    assert "impostor.example" in report.failing()[0].detail


def test_an_embedded_badgeclass_and_issuer_verify(site, check):
    badge = dict(site.badge, issuer=dict(site.issuer))
    report = check(site, site.assertion(badge=badge))
    assert report.verdict == "valid", report.to_dict()


def test_an_embedded_issuer_cannot_claim_another_issuers_identity(site, check):
    """An embedded profile naming a trusted issuer's id is checked against what that id serves."""
    from verifier import TrustPolicy
    victim = "https://university.example/issuer.json"
    impostor = dict(site.issuer, id=victim, verification={"allowedOrigins": ["issuer.example"]})
    badge = dict(site.badge, issuer=impostor)
    report = check(site, site.assertion(badge=badge), trust=TrustPolicy(allow=frozenset({"university.example"})))
    assert report.credential["issuer"]["id"] == site.issuer_id  # what the badge's id really serves
    assert outcome(report, "issuer") == ["warning"]  # so not vouched for as the university


# --- image -----------------------------------------------------------------------------------------

def test_an_image_that_does_not_load_is_a_warning(site, check):
    del site.served[site.image_id]
    report = check(site, site.assertion())
    assert report.verdict == "valid-with-warnings"
    assert "warning" in outcome(report, "schema")
    assert [c.reason for c in report.checks if c.outcome == "warning"] == ["image_unavailable"]


def test_an_image_that_is_not_an_image_is_a_warning(site, check):
    site.served[site.image_id] = b"<html>not an image</html>"
    assert check(site, site.assertion()).verdict == "valid-with-warnings"


def test_a_data_uri_image_needs_no_fetch(site, check):
    site.badge["image"] = "data:image/png;base64,iVBORw0KGgo="
    site.publish()
    del site.served[site.image_id]
    assert check(site, site.assertion()).verdict == "valid"


# --- hosted verification ---------------------------------------------------------------------------

def test_a_hosted_copy_that_differs_is_invalid(site, check):
    assertion = site.assertion()
    given = dict(assertion, recipient=hashed_identity("someone.else@example.org"))
    report = check(site, given)
    assert report.verdict == "invalid"
    assert ("hosted", "hosted_mismatch") in [(c.id, c.reason) for c in report.failing()]


@pytest.mark.parametrize("hosted", [[1, 2], "text", 5, None], ids=["array", "string", "number", "null"])
def test_a_hosted_copy_that_is_not_an_object_is_invalid(site, check, hosted):
    assertion = site.assertion()
    site.served[assertion["id"]] = hosted
    report = check(site, assertion)
    assert report.verdict == "invalid"
    assert "hosted" in [c.id for c in report.failing()]


def test_a_hosted_assertion_answering_410_is_revoked(site, check):
    assertion = site.assertion()
    site.statuses[assertion["id"]] = 410
    report = check(site, assertion)
    assert report.verdict == "invalid"
    assert failure(report) == ("status", "revoked")


def test_a_hosted_copy_marked_revoked_is_invalid(site, check):
    assertion = site.assertion()
    site.served[assertion["id"]] = dict(assertion, revoked=True, revocationReason="issued in error")
    report = check(site, assertion)
    assert report.verdict == "invalid"
    assert ("status", "revoked") in [(c.id, c.reason) for c in report.failing()]
    assert any("issued in error" in c.detail for c in report.failing())


def test_an_assertion_given_revoked_is_invalid(site, check):
    assertion = site.assertion(revoked=True)
    assert failure(check(site, assertion)) == ("status", "revoked")


def test_an_unreachable_hosted_copy_is_indeterminate(site, check):
    assertion = site.assertion()
    del site.served[assertion["id"]]
    report = check(site, assertion)
    assert report.verdict == "indeterminate"
    assert failure(report)[0] == "hosted"


def test_a_hosted_copy_that_is_gone_404_is_invalid(site, check):
    assertion = site.assertion()
    site.statuses[assertion["id"]] = 404
    report = check(site, assertion)
    assert report.verdict == "invalid" and failure(report)[0] == "hosted"


def test_hosting_on_another_origin_is_refused_by_default(site, check):
    elsewhere = Site(base="https://badges.elsewhere.example")
    assertion = dict(site.assertion(publish=False), id="https://badges.elsewhere.example/a/1")
    elsewhere.served[assertion["id"]] = assertion
    report = check(site, assertion, elsewhere)
    assert failure(report) == ("hosted", "origin_not_allowed")


def test_allowed_origins_admit_another_host(site, check):
    site.issuer["verification"] = {"allowedOrigins": "badges.elsewhere.example"}
    site.publish()
    elsewhere = Site(base="https://badges.elsewhere.example")
    assertion = dict(site.assertion(publish=False), id="https://badges.elsewhere.example/a/1")
    elsewhere.served[assertion["id"]] = assertion
    assert check(site, assertion, elsewhere).verdict == "valid"


def test_allowed_origins_ignore_letter_case(site, check):
    site.issuer["verification"] = {"allowedOrigins": ["Issuer.EXAMPLE"]}
    site.publish()
    assert check(site, site.assertion()).verdict == "valid"


def test_allowed_origins_exclude_the_issuers_own_host_when_not_listed(site, check):
    site.issuer["verification"] = {"allowedOrigins": ["badges.elsewhere.example"]}
    site.publish()
    assert failure(check(site, site.assertion())) == ("hosted", "origin_not_allowed")


def test_starts_with_admits_matching_ids(site, check):
    site.issuer["verification"] = {"startsWith": [f"{site.base}/assertions/"]}
    site.publish()
    assert check(site, site.assertion()).verdict == "valid"


def test_starts_with_refuses_other_ids(site, check):
    site.issuer["verification"] = {"startsWith": f"{site.base}/official/"}
    site.publish()
    assert failure(check(site, site.assertion())) == ("hosted", "origin_not_allowed")


# --- signed verification ---------------------------------------------------------------------------

def test_a_tampered_signed_assertion_is_invalid(site, check):
    token = tamper(site.signed(), recipient=hashed_identity("mallory@example.org"))
    report = check(site, token)
    assert report.verdict == "invalid"
    assert failure(report) == ("proof", "signature")


def test_alg_none_is_refused(site, check):
    token = unsigned_token(site.assertion(signed=True))
    report = check(site, token)
    assert report.verdict == "invalid"
    assert ("proof", "signature") in [(c.id, c.reason) for c in report.failing()]


def test_hs256_with_the_public_key_as_secret_is_refused(site, check):
    token = hs256_token(site.assertion(signed=True), site.key.public_pem.encode())
    report = check(site, token)
    assert report.verdict == "invalid"
    assert failure(report) == ("proof", "signature")


def test_a_signature_by_another_key_is_invalid(site, check):
    token = site.signed(key=rsa_key("stranger"))
    assert failure(check(site, token)) == ("proof", "signature")


def test_a_key_owned_by_someone_else_is_invalid(site, check):
    site.cryptographic_key["owner"] = "https://impostor.example/issuer.json"
    site.publish()
    report = check(site, site.signed())
    assert report.verdict == "invalid"
    assert failure(report) == ("key", "issuer_key_binding")


def test_a_key_the_issuer_does_not_list_is_invalid(site, check):
    site.issuer["publicKey"] = [f"{site.base}/keys/2.json"]
    site.publish()
    report = check(site, site.signed())
    assert failure(report) == ("key", "issuer_key_binding")


def test_a_key_listed_as_an_embedded_object_is_accepted(site, check):
    site.issuer["publicKey"] = [{"id": site.key_id}]
    site.publish()
    assert check(site, site.signed()).verdict == "valid"


def test_an_unreachable_key_is_indeterminate(site, check):
    del site.served[site.key_id]
    report = check(site, site.signed())
    assert report.verdict == "indeterminate"
    assert failure(report)[0] == "key"


def test_an_unusable_public_key_is_a_key_failure(site, check):
    site.cryptographic_key["publicKeyPem"] = "-----BEGIN PUBLIC KEY-----\nnot a key\n-----END PUBLIC KEY-----"
    site.publish()
    report = check(site, site.signed())
    assert report.verdict == "invalid"
    assert failure(report) == ("key", "key_invalid")
    assert outcome(report, "proof") == ["skipped"]


def test_an_eight_digit_date_is_an_iso_basic_date(site, check):
    report = check(site, site.assertion(issuedOn="20240301", expires="20240401"))
    assert failure(report) == ("validity", "expired")
    assert "2024-04-01T00:00:00Z" in report.check("validity")[0].detail


def test_a_badge_url_the_fetcher_refuses_names_the_refusal():
    report = verify("http://127.0.0.1:9/assertion.json")
    assert report.verdict == "invalid"
    assert [(c.id, c.reason) for c in report.failing()] == [("input", "ssrf_refused")]


def test_a_signed_assertion_given_without_its_jws_is_invalid(site, check):
    report = check(site, site.assertion(signed=True))
    assert report.verdict == "invalid"
    assert ("proof", "signature_missing") in [(c.id, c.reason) for c in report.failing()]


# --- revocation lists ------------------------------------------------------------------------------

def signed_and_revoked(site, entries):
    token = site.signed()
    site.revocations["revokedAssertions"] = entries
    site.publish()
    return token


def assertion_id(token):
    import base64
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))["id"]


def test_a_revocation_list_array_revokes(site, check):
    token = site.signed()
    signed_and_revoked(site, [{"id": "urn:uuid:someone-else"},
                              {"id": assertion_id(token), "revocationReason": "cheating"}])
    report = check(site, token)
    assert report.verdict == "invalid"
    assert failure(report) == ("status", "revoked")
    assert "cheating" in report.failing()[0].detail


def test_one_revoked_entry_compacted_into_a_bare_object_revokes(site, check):
    token = site.signed()
    signed_and_revoked(site, {"id": assertion_id(token), "revocationReason": "cheating"})
    assert failure(check(site, token)) == ("status", "revoked")


def test_one_revoked_entry_compacted_into_a_bare_string_revokes(site, check):
    token = site.signed()
    signed_and_revoked(site, assertion_id(token))
    assert failure(check(site, token)) == ("status", "revoked")


def test_a_revocation_list_entry_may_name_the_uid(site, check):
    token = site.signed(uid="abc-123")
    signed_and_revoked(site, [{"uid": "abc-123"}])
    assert failure(check(site, token)) == ("status", "revoked")


def test_other_revoked_entries_do_not_revoke(site, check):
    token = site.signed()
    signed_and_revoked(site, ["urn:uuid:someone-else", {"id": "urn:uuid:another"}])
    report = check(site, token)
    assert report.verdict == "valid"
    assert outcome(report, "status") == ["passed"]


def test_an_unreachable_revocation_list_is_indeterminate(site, check):
    token = site.signed()
    del site.served[site.revocation_id]
    report = check(site, token)
    assert report.verdict == "indeterminate"
    assert failure(report) == ("status", "status_unavailable")


def test_an_issuer_without_a_revocation_list_is_fine(site, check):
    del site.issuer["revocationList"]
    site.publish()
    assert check(site, site.signed()).verdict == "valid"


# --- dates -----------------------------------------------------------------------------------------

def test_an_expired_assertion_is_invalid(site, check):
    report = check(site, site.assertion(expires="2024-06-01T00:00:00Z"))
    assert failure(report) == ("validity", "expired")


def test_an_issue_date_in_the_future_is_invalid(site, check):
    report = check(site, site.assertion(issuedOn="2030-01-01T00:00:00Z"))
    assert failure(report) == ("validity", "not_yet_valid")


def test_an_expiry_before_issuance_is_invalid(site, check):
    report = check(site, site.assertion(issuedOn="2024-03-01", expires="2024-02-01"), at=datetime(
        2024, 2, 15, tzinfo=timezone.utc))
    assert report.verdict == "invalid"
    assert report.failing()[0].id == "validity"


def test_an_expiry_before_issuance_while_unexpired_is_invalid(site, check):
    assertion = site.assertion(issuedOn="2024-12-01T00:00:00Z", expires="2024-11-30T00:00:00Z")
    report = check(site, assertion, at=datetime(2024, 11, 1, tzinfo=timezone.utc))
    assert report.verdict == "invalid" and report.failing()[0].id == "validity"


def test_at_makes_an_expired_badge_valid_at_an_earlier_instant(site, check):
    assertion = site.assertion(expires="2024-06-01T00:00:00Z")
    assert check(site, assertion, at=datetime(2025, 1, 1, tzinfo=timezone.utc)).verdict == "invalid"
    assert check(site, assertion, at=datetime(2024, 5, 31, tzinfo=timezone.utc)).verdict == "valid"


def test_a_naive_at_is_taken_as_utc(site, check):
    assertion = site.assertion(expires="2024-06-01T00:00:00Z")
    assert check(site, assertion, at=datetime(2024, 5, 31)).verdict == "valid"
    assert check(site, assertion, at=datetime(2024, 6, 2)).verdict == "invalid"


@pytest.mark.parametrize("issued", ["yesterday", "2024-13-45", "9" * 5000, ""],
                         ids=["word", "impossible", "5000-digits", "empty"])
def test_a_malformed_issue_date_is_invalid(site, check, issued):
    report = check(site, site.assertion(issuedOn=issued))
    assert report.verdict == "invalid"
    assert ("validity", "bad_date") in [(c.id, c.reason) for c in report.failing()]


def test_a_unix_timestamp_issue_date_is_read(site, check):
    report = check(site, site.assertion(issuedOn=1709294400))
    assert report.verdict == "valid", report.to_dict()


# --- recipient -------------------------------------------------------------------------------------

@pytest.mark.parametrize("identity", [hashed_identity(EMAIL, "pepper", "sha256"),
                                      hashed_identity(EMAIL, "pepper", "md5"),
                                      hashed_identity(EMAIL, None, "sha256"),
                                      {"type": "email", "hashed": False, "identity": EMAIL}],
                         ids=["sha256-salted", "md5-salted", "sha256-unsalted", "plain"])
def test_the_recipient_matches(site, check, identity):
    report = check(site, site.assertion(recipient=identity), recipient=EMAIL)
    assert report.verdict == "valid", report.to_dict()
    assert outcome(report, "recipient") == ["passed"]


@pytest.mark.parametrize("identity", [hashed_identity(EMAIL, "pepper", "sha256"),
                                      hashed_identity(EMAIL, "pepper", "md5"),
                                      {"type": "email", "hashed": False, "identity": EMAIL}],
                         ids=["sha256", "md5", "plain"])
def test_another_recipient_does_not_match(site, check, identity):
    report = check(site, site.assertion(recipient=identity), recipient="someone.else@example.org")
    assert report.verdict == "invalid"
    assert failure(report) == ("recipient", "recipient_mismatch")


def test_email_case_does_not_matter(site, check):
    hashed = check(site, site.assertion(recipient=hashed_identity(EMAIL)), recipient="Jo.Candidate@EXAMPLE.org")
    assert outcome(hashed, "recipient") == ["passed"]
    plain = {"type": "email", "hashed": False, "identity": "Jo.Candidate@Example.org"}
    assert outcome(check(site, site.assertion(recipient=plain), recipient=EMAIL), "recipient") == ["passed"]


def test_the_salt_matters(site, check):
    identity = hashed_identity(EMAIL, "pepper")
    identity["salt"] = "other"
    assert failure(check(site, site.assertion(recipient=identity), recipient=EMAIL))[0] == "recipient"


@pytest.mark.parametrize("identity", ["sha256$\u00e9\u00e9", "sha512$abcd", "nohash", "md5$"])
def test_a_strange_identity_hash_is_a_mismatch_not_a_crash(site, check, identity):
    recipient = {"type": "email", "hashed": True, "salt": "x", "identity": identity}
    report = check(site, site.assertion(recipient=recipient), recipient=EMAIL)
    assert failure(report) == ("recipient", "recipient_mismatch")


# --- endorsements ----------------------------------------------------------------------------------

@pytest.fixture
def endorser():
    return Site(base="https://endorser.example", name="Robotics Teachers Guild")


def test_a_verified_endorsement_is_reported_under_nested(site, endorser, check):
    endorsement = site.endorsement(endorser)
    site.badge["endorsement"] = [endorsement["id"]]
    site.publish()
    report = check(site, site.assertion(), endorser)
    assert report.verdict == "valid", report.to_dict()
    assert outcome(report, "endorsement") == ["passed"]
    [nested] = report.nested
    assert nested.verified and nested.credential["issuer"]["name"] == "Robotics Teachers Guild"
    assert report.to_dict()["nested"][0]["verdict"] == "valid"


def test_a_broken_endorsement_is_never_fatal(site, endorser, check):
    endorsement = site.endorsement(endorser)
    endorser.served[endorsement["id"]] = dict(endorsement, claim={"id": site.badge_id, "endorsementComment": "x"})
    site.issuer["endorsement"] = endorsement
    site.publish()
    report = check(site, site.assertion(), endorser)
    assert report.verdict == "valid-with-warnings"
    assert outcome(report, "endorsement") == ["warning"]
    [nested] = report.nested
    assert not nested.verified
    assert "hosted" in [c.id for c in nested.failing()]


def test_an_endorsement_of_something_else_is_not_counted(site, endorser, check):
    endorsement = site.endorsement(endorser, claim={"id": "https://other.example/badges/9.json",
                                                    "endorsementComment": "Great badge."})
    site.badge["endorsement"] = endorsement["id"]
    site.publish()
    report = check(site, site.assertion(), endorser)
    assert report.verdict == "valid-with-warnings"
    assert outcome(report, "endorsement") == ["warning"]
    assert "other.example" in " ".join(c.detail for c in report.nested[0].checks)


def test_an_unreachable_endorsement_is_a_warning(site, check):
    site.badge["endorsement"] = "https://endorser.example/endorsements/missing"
    site.publish()
    report = check(site, site.assertion())
    assert report.verdict == "valid-with-warnings"
    assert report.nested and not report.nested[0].verified


def test_a_signed_endorsement_verifies(site, endorser, check):
    document = site.endorsement(endorser)
    endorser.served.pop(document["id"])
    document = dict(document, id="urn:uuid:endorsement-1",
                    verification={"type": "SignedBadge", "creator": endorser.key_id})
    site.badge["endorsement"] = sign(document, endorser.key)
    site.publish()
    report = check(site, site.assertion(), endorser)
    assert report.verdict == "valid", report.to_dict()
    assert report.nested[0].verified


@pytest.mark.parametrize("payload", [[1, 2], "text", 42])
def test_an_endorsement_jws_without_an_object_is_a_warning_not_a_crash(site, check, payload):
    import base64
    segment = base64.urlsafe_b64encode(json.dumps(payload).encode()).rstrip(b"=").decode()
    site.badge["endorsement"] = f"eyJhbGciOiJSUzI1NiJ9.{segment}.c2ln"
    site.publish()
    report = check(site, site.assertion())
    assert report.verdict == "valid-with-warnings"
    assert outcome(report, "endorsement") == ["warning"]


# --- Open Badges 1.x and 0.5 -----------------------------------------------------------------------

def legacy_site(site):
    """Publish 1.0-style BadgeClass and issuer organisation documents (no context, no type)."""
    badge_url, issuer_url = f"{site.base}/v1/badge.json", f"{site.base}/v1/organization.json"
    site.served[badge_url] = {"name": "Robotics Level 1", "description": "Builds a robot.",
                              "image": site.image_id, "criteria": f"{site.base}/criteria", "issuer": issuer_url}
    site.served[issuer_url] = {"name": site.name, "url": site.base}
    return badge_url


def v1_assertion(site, badge_url, **extra):
    url = f"{site.base}/v1/assertions/1.json"
    document = {"uid": "1", "recipient": hashed_identity(EMAIL), "badge": badge_url,
                "verify": {"type": "hosted", "url": url}, "issuedOn": "2015-05-01"}
    document.update(extra)
    site.served[url] = document
    return document


def test_a_legacy_1_0_hosted_assertion_is_upgraded_and_valid(site, check):
    assertion = v1_assertion(site, legacy_site(site))
    report = check(site, assertion, recipient=EMAIL)
    assert report.verdict == "valid", report.to_dict()
    assert report.format == "ob1-hosted"
    assert "1.0" in report.check("input")[0].detail
    assert outcome(report, "hosted") == ["passed"] and outcome(report, "recipient") == ["passed"]


def test_a_legacy_1_1_hosted_assertion_is_valid(site, check):
    assertion = v1_assertion(site, legacy_site(site), **{"@context": OB1, "type": "Assertion"})
    report = check(site, assertion)
    assert report.verdict == "valid", report.to_dict()
    assert "1.1" in report.check("input")[0].detail


def test_a_legacy_hosted_copy_that_differs_is_invalid(site, check):
    assertion = v1_assertion(site, legacy_site(site))
    report = check(site, dict(assertion, issuedOn="2015-05-02"))
    assert failure(report) == ("hosted", "hosted_mismatch")


def v1_signed(site, badge_url, uid="abc-1", revoked=None, key=None):
    """A 1.0 signed assertion (signed with ``key``, by default the issuer's), the issuer's
    PEM key, and its 1.0 revocation list {uid: reason}."""
    issuer_url = site.served[badge_url]["issuer"]
    site.served[issuer_url]["revocationList"] = f"{site.base}/v1/revoked.json"
    site.served[f"{site.base}/v1/revoked.json"] = revoked or {}
    site.served[f"{site.base}/v1/public.pem"] = site.key.public_pem.encode()
    document = {"uid": uid, "recipient": hashed_identity(EMAIL), "badge": badge_url,
                "verify": {"type": "signed", "url": f"{site.base}/v1/public.pem"}, "issuedOn": 1430438400}
    return sign(document, key or site.key)


def test_a_legacy_1_0_signed_assertion_is_valid(site, check):
    token = v1_signed(site, legacy_site(site), revoked={"someone-else": "mistake"})
    report = check(site, token)
    assert report.verdict == "valid", report.to_dict()
    assert report.format == "ob1-signed"
    assert outcome(report, "proof") == ["passed"] and outcome(report, "status") == ["passed"]


def test_a_legacy_1_0_revocation_list_revokes(site, check):
    token = v1_signed(site, legacy_site(site), revoked={"abc-1": "issued in error"})
    report = check(site, token)
    assert report.verdict == "invalid"
    assert failure(report) == ("status", "revoked")


def test_a_legacy_1_0_signature_by_another_key_is_invalid(site, check):
    token = v1_signed(site, legacy_site(site), key=rsa_key("stranger"))
    report = check(site, token)
    assert report.verdict == "invalid"
    assert ("proof", "signature") in [(c.id, c.reason) for c in report.failing()]


def test_open_badges_0_5_is_unsupported(site, check):
    assertion = {"recipient": EMAIL, "salt": "x", "issued_on": "2012-01-01",
                 "badge": {"version": "0.5.0", "name": "Old", "image": "/img.png", "description": "d",
                           "criteria": "/c", "issuer": {"origin": site.base, "name": site.name}}}
    report = check(site, assertion)
    assert report.verdict == "indeterminate"
    assert failure(report) == ("input", "unsupported_version")


# --- baked images and references -------------------------------------------------------------------

def test_a_baked_svg_with_a_jws_in_verify_verifies(site, check):
    report = check(site, bake_svg(verify=site.signed()))
    assert report.verdict == "valid", report.to_dict()
    assert report.format == "ob2-signed"
    assert "SVG" in report.check("input")[0].detail


def test_a_baked_svg_with_embedded_json_verifies(site, check):
    assertion = site.assertion()
    report = check(site, bake_svg(verify=assertion["id"], body=json.dumps(assertion)))
    assert report.verdict == "valid", report.to_dict()
    assert report.format == "ob2-hosted"


def test_a_baked_svg_whose_embedded_json_differs_from_the_hosted_copy_is_invalid(site, check):
    assertion = site.assertion()
    forged = dict(assertion, recipient=hashed_identity("mallory@example.org"))
    report = check(site, bake_svg(verify=assertion["id"], body=json.dumps(forged)))
    assert report.verdict == "invalid"
    assert ("hosted", "hosted_mismatch") in [(c.id, c.reason) for c in report.failing()]


@pytest.mark.parametrize("chunk,compressed", [("iTXt", False), ("iTXt", True), ("tEXt", False)])
def test_a_baked_png_verifies(site, check, chunk, compressed):
    assertion = site.assertion()
    report = check(site, bake_png(json.dumps(assertion), chunk=chunk, compressed=compressed))
    assert report.verdict == "valid", report.to_dict()
    assert "PNG" in report.check("input")[0].detail


def test_a_baked_png_carrying_a_jws_verifies(site, check):
    report = check(site, bake_png(site.signed()))
    assert report.verdict == "valid" and report.format == "ob2-signed"


def test_a_baked_png_carrying_a_url_is_resolved(site, check):
    assertion = site.assertion()
    report = check(site, bake_png(assertion["id"]))
    assert report.verdict == "valid", report.to_dict()


def test_id_only_json_is_resolved_through_the_fetcher(site, check):
    assertion = site.assertion()
    report = check(site, {"id": assertion["id"]})
    assert report.verdict == "valid", report.to_dict()
    assert report.credential["id"] == assertion["id"]


def test_a_url_is_resolved_through_the_fetcher(site, check):
    assertion = site.assertion()
    report = check(site, assertion["id"], recipient=EMAIL)
    assert report.verdict == "valid", report.to_dict()
    assert outcome(report, "recipient") == ["passed"]


def test_a_url_missing_from_the_map_is_indeterminate(site, check):
    report = check(site, "https://issuer.example/assertions/unknown")
    assert report.verdict == "indeterminate"
    assert failure(report)[0] == "input"


def test_a_url_answering_410_is_revoked(site, check):
    assertion = site.assertion()
    site.statuses[assertion["id"]] = 410
    report = check(site, assertion["id"])
    assert report.verdict == "invalid"
    assert ("status", "revoked") in [(c.id, c.reason) for c in report.failing()]


def test_a_url_pointing_at_a_baked_png_is_resolved(site, check):
    assertion = site.assertion()
    site.served[f"{site.base}/baked.png"] = bake_png(json.dumps(assertion))
    assert check(site, f"{site.base}/baked.png").verdict == "valid"


def test_the_input_hash_is_of_the_bytes_given(site, check):
    data = bake_png(json.dumps(site.assertion()))
    assert check(site, data).input_sha256 == hashlib.sha256(data).hexdigest()


def test_an_unbaked_png_is_not_a_badge(site, check):
    report = check(site, PLAIN_PNG)
    assert report.verdict == "invalid"
    assert failure(report) == ("input", "not_a_badge")
