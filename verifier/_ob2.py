"""Open Badges 2.0 assertions, and 1.x assertions upgraded to 2.0: the checks
of the specification's verification section, composed into a report."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from joserfc import jws
from joserfc.errors import JoseError
from joserfc.jwk import RSAKey

from ._contexts import is_known_context
from ._dates import validity_checks
from ._errors import InputError
from ._fetch import FetchError
from ._ingest import OB1_CONTEXT, OB2_CONTEXT, Envelope, as_list, decode_jws
from ._ob2_links import LinkedDocuments, LinkError, embedded, ids_in, node_id, same_iri
from ._recipient import identity_matches
from ._report import Check, Report, endorsement_rollup, failed, passed, skipped, warning
from ._schema import schema_errors
from ._trust import issuer_check

IMAGE_SIGNATURES = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"<svg", b"<?xml", b"RIFF")
MAX_IMAGE_BYTES = 5 * 1024 * 1024


@dataclass
class _Subject:
    """An object being verified: an assertion or an endorsement."""

    document: dict[str, Any]
    kind: str                 # "assertion" or "endorsement"
    jws: str | None
    legacy: bool = False
    original: dict[str, Any] | None = None  # a 1.x document as issued, before the upgrade

    @property
    def id(self) -> str | None:
        return node_id(self.document)

    @property
    def verification(self) -> dict[str, Any]:
        value = self.document.get("verification")
        return value if isinstance(value, dict) else {}

    @property
    def signed(self) -> bool:
        return str(self.verification.get("type", "")).lower() in ("signed", "signedbadge")


def _link_failure(check_id: str, error: LinkError, reason: str) -> Check:
    return failed(check_id, str(error), reason if error.definite else "unreachable",
                  indeterminate=not error.definite)


def context_check(documents: list[tuple[str, dict[str, Any]]], fetcher=None) -> Check:
    for what, document in documents:
        contexts = as_list(document.get("@context"))
        if OB2_CONTEXT not in contexts:
            named = ", ".join(map(str, contexts)) or "none"
            return failed("context", f"the {what} does not use the Open Badges 2.0 context (found: {named})",
                          "unknown_context")
        unknown = [c for c in contexts if isinstance(c, str) and not is_known_context(c, fetcher)]
        if unknown:
            return failed("context", f"the {what} uses an unknown JSON-LD context {unknown[0]}", "unknown_context")
        if any(not isinstance(c, (str, dict)) for c in contexts):
            return failed("context", f"the {what} has a malformed @context", "unknown_context")
    return passed("context", "every document uses the Open Badges 2.0 context and only known contexts")


def _schema_check(schema: str, document: dict[str, Any], what: str) -> Check | None:
    errors = schema_errors(schema, document)
    if errors:
        return failed("schema", f"the {what} is not a valid Open Badges 2.0 {what}: {errors[0][:300]}",
                      "schema")
    return None


def _image_check(linked: LinkedDocuments, image: Any) -> Check:
    url = node_id(image)
    if not url:
        return warning("schema", "the badge has no image", "image_unavailable")
    if url.startswith("data:image/"):
        return passed("schema", "the badge image is embedded as a data URI")
    try:
        content = linked.fetcher.get(url, accept="image/png, image/svg+xml, image/*",
                                     max_bytes=MAX_IMAGE_BYTES).content
    except FetchError as exc:
        return warning("schema", f"the badge image at {url} did not load: {exc.reason}", "image_unavailable")
    if not content.lstrip().startswith(IMAGE_SIGNATURES):
        return warning("schema", f"the badge image at {url} is not a PNG, SVG, JPEG, GIF or WebP image",
                       "image_unavailable")
    return passed("schema", f"the badge image loaded ({len(content)} bytes)")


def _origin_check(subject: _Subject, issuer: dict[str, Any]) -> Check | None:
    """The hosted id must fall within the issuer's verification policy;
    by default it must share the issuer profile id's origin."""
    policy = issuer.get("verification") if isinstance(issuer.get("verification"), dict) else {}
    hosted_id = subject.id or ""
    host = urlsplit(hosted_id).hostname or ""
    prefixes = [p for p in as_list(policy.get("startsWith")) if isinstance(p, str)]
    origins = [o for o in as_list(policy.get("allowedOrigins")) if isinstance(o, str)]
    if prefixes and not any(hosted_id.startswith(p) for p in prefixes):
        return failed("hosted", f"{hosted_id} does not start with any of the issuer's allowed prefixes "
                      f"{', '.join(prefixes)}", "origin_not_allowed")
    if origins:
        allowed = {(urlsplit(o).hostname or o).lower() for o in origins}  # host names ignore case
        if host not in allowed:
            return failed("hosted", f"{hosted_id} is not on an origin the issuer allows ({', '.join(origins)})",
                          "origin_not_allowed")
    elif not prefixes:
        issuer_id = node_id(issuer) or issuer.get("url") or ""
        if urlsplit(hosted_id).netloc != urlsplit(str(issuer_id)).netloc:
            return failed("hosted", f"{hosted_id} is not on the issuer's own origin "
                          f"({urlsplit(str(issuer_id)).netloc or 'unknown'})", "origin_not_allowed")
    return None


def _revoked(document: dict[str, Any]) -> Check | None:
    if document.get("revoked") is True or str(document.get("revoked")).lower() == "true":
        why = document.get("revocationReason")
        return failed("status", "the issuer marks it revoked" + (f": {why}" if why else ""), "revoked")
    return None


def hosted_checks(subject: _Subject, issuer: dict[str, Any], linked: LinkedDocuments) -> list[Check]:
    origin = _origin_check(subject, issuer)
    if origin:
        return [origin, skipped("status", "no hosted copy was fetched")]
    url = subject.id or ""
    try:
        hosted = linked.fetcher.get_json(url)
    except FetchError as exc:
        if exc.status == 410:
            return [passed("hosted", f"{url} answers 410 Gone"),
                    failed("status", f"the issuer withdrew it: {url} answers 410 Gone", "revoked")]
        definite = exc.status == 404 or exc.kind in ("bad_document", "ssrf_refused", "bad_url")
        return [failed("hosted", f"the hosted copy at {url} could not be fetched: {exc.reason}",
                       "hosted_unavailable", indeterminate=not definite),
                skipped("status", "no hosted copy was fetched")]
    if not isinstance(hosted, dict):
        return [failed("hosted", f"the copy hosted at {url} is not a JSON object", "hosted_mismatch"),
                skipped("status", "no hosted assertion was read")]
    revoked = _revoked(hosted) or _revoked(subject.document)
    if hosted != (subject.original or subject.document):
        return [failed("hosted", f"the copy hosted at {url} differs from the one given", "hosted_mismatch"),
                revoked or skipped("status", "the hosted copy differs")]
    return [passed("hosted", f"the copy hosted at {url} is identical"),
            revoked or passed("status", "the hosted copy is live and not marked revoked")]


def _key_ids(issuer: dict[str, Any]) -> set[str]:
    return ids_in(issuer.get("publicKey"))


def _rsa_key(pem: str) -> RSAKey | None:
    try:
        return RSAKey.import_key(pem)
    except (JoseError, ValueError, TypeError):
        return None


def _verify_jws(token: str, key: RSAKey) -> Check:
    try:
        jws.deserialize_compact(token, key, algorithms=["RS256"])
    except JoseError as exc:
        detail = "the JWS signature does not verify" if "signature" in str(exc).lower() \
            else f"the JWS cannot be verified: {exc}"
        return failed("proof", detail + " (RS256)", "signature")
    return passed("proof", "the RS256 JWS signature verifies with the issuer's key")


def _load_key(subject: _Subject, issuer: dict[str, Any], linked: LinkedDocuments) -> tuple[str | None, Check]:
    """(PEM, key check) for the key named by verification.creator."""
    creator = subject.verification.get("creator")
    candidates = [creator] if creator else sorted(_key_ids(issuer))
    if not candidates:
        return None, failed("key", "the assertion names no key (verification.creator) and the issuer lists none",
                            "key_unresolved")
    key_url = str(candidates[0])
    if subject.legacy:
        issuer_origin = urlsplit(str(issuer.get("url") or node_id(issuer) or "")).hostname
        if urlsplit(key_url).hostname != issuer_origin:
            return None, failed("key", f"the key at {key_url} is not on the issuer's origin", "issuer_key_binding")
        try:
            response = linked.fetcher.get(key_url, accept="application/x-pem-file, text/plain, */*")
        except FetchError as exc:
            return None, failed("key", f"the key at {key_url} could not be fetched: {exc.reason}", "key_unresolved",
                                indeterminate=exc.status not in (404, 410))
        return response.content.decode("utf-8", "replace"), passed("key", f"1.x key fetched from {key_url}")
    try:
        key = linked.load(key_url, "key")
    except LinkError as exc:
        return None, _link_failure("key", exc, "key_unresolved")
    problem = _schema_check("ob2/cryptographickey", key, "CryptographicKey")
    if problem:
        return None, failed("key", problem.detail, "key_invalid")
    if not same_iri(key.get("owner"), node_id(issuer)):
        return None, failed("key", f"the key {key_url} is owned by {key.get('owner')}, not by the issuer "
                            f"{node_id(issuer)}", "issuer_key_binding")
    if not any(same_iri(key_url, k) for k in _key_ids(issuer)):
        return None, failed("key", f"the issuer {node_id(issuer)} does not list the key {key_url} as its "
                            "publicKey", "issuer_key_binding")
    return key["publicKeyPem"], passed("key", f"the key {key_url} is owned by the issuer and listed by it")


def revocation_check(subject: _Subject, issuer: dict[str, Any], linked: LinkedDocuments) -> Check:
    url = node_id(issuer.get("revocationList"))
    if not url:
        return passed("status", "the issuer publishes no revocation list")
    try:
        revocations = linked.load(url, "revocation list", require_id=not subject.legacy)
    except LinkError as exc:
        return failed("status", f"{exc}; revocation could not be checked", "status_unavailable",
                      indeterminate=True)
    if subject.legacy and "RevocationList" not in as_list(revocations.get("type")):
        return _v1_revocation_check(subject, revocations, url)
    problem = _schema_check("ob2/revocationlist", revocations, "RevocationList")
    if problem:
        return failed("status", f"{problem.detail}; revocation could not be checked", "status_unavailable",
                      indeterminate=True)
    wanted = {i for i in (subject.id, subject.document.get("uid")) if isinstance(i, str)}
    # A list with one entry may arrive compacted into a bare object or string; as_list undoes that.
    entries = as_list(revocations.get("revokedAssertions"))
    for entry in entries:
        entry_ids = {node_id(entry)} | ({entry.get("uid")} if isinstance(entry, dict) else set())
        if wanted & {i for i in entry_ids if i}:
            reason = entry.get("revocationReason") if isinstance(entry, dict) else None
            return failed("status", f"revoked in the issuer's revocation list {url}"
                          + (f": {reason}" if reason else ""), "revoked")
    return passed("status", f"not among the {len(entries)} revoked assertion(s) in {url}")


def _v1_revocation_check(subject: _Subject, revocations: dict[str, Any], url: str) -> Check:
    """An Open Badges 1.x revocation list: an object mapping each revoked assertion's uid to a reason."""
    uid = (subject.original or subject.document).get("uid")
    if isinstance(uid, str) and uid in revocations:
        reason = revocations[uid]
        return failed("status", f"revoked in the issuer's revocation list {url}"
                      + (f": {reason}" if isinstance(reason, str) and reason else ""), "revoked")
    return passed("status", f"not among the {len(revocations)} revoked assertion(s) in {url}")


def signed_checks(subject: _Subject, issuer: dict[str, Any], linked: LinkedDocuments) -> list[Check]:
    if not subject.jws:
        return [failed("proof", f"the {subject.kind} says it is signed but was given without its JWS",
                       "signature_missing"),
                skipped("key", "no signature to check a key against"),
                revocation_check(subject, issuer, linked)]
    pem, key_check = _load_key(subject, issuer, linked)
    key = _rsa_key(pem) if pem else None
    if pem and key is None:
        key_check = failed("key", "the issuer's key is not a usable RSA public key (publicKeyPem)", "key_invalid")
    proof = _verify_jws(subject.jws, key) if key else skipped("proof", "no usable key to check the signature")
    return [proof, key_check, revocation_check(subject, issuer, linked)]


def _recipient_check(assertion: dict[str, Any], claimed: str | None) -> Check:
    if not claimed:
        return skipped("recipient", "no candidate identity was given to compare")
    recipient = assertion.get("recipient")
    if not isinstance(recipient, dict):
        return failed("recipient", "the assertion has no recipient identity object", "recipient_mismatch")
    matched, how = identity_matches(recipient, claimed)
    if matched:
        return passed("recipient", f"the recipient is {claimed}: {how}")
    return failed("recipient", f"the badge was not issued to {claimed}: {how}", "recipient_mismatch")


def _issuer_check(issuer: dict[str, Any], ctx) -> Check:
    return issuer_check(ctx.trust, node_id(issuer) or issuer.get("url"), issuer.get("name"))


def _summary(assertion: dict[str, Any], badge: dict[str, Any], issuer: dict[str, Any]) -> dict[str, Any]:
    criteria = badge.get("criteria")
    recipient = assertion.get("recipient") if isinstance(assertion.get("recipient"), dict) else {}
    return {
        "id": node_id(assertion),
        "types": as_list(assertion.get("type")) or ["Assertion"],
        "issuer": {"id": node_id(issuer), "name": issuer.get("name"), "url": issuer.get("url"),
                   "email": issuer.get("email")},
        "achievement": {
            "id": node_id(badge), "name": badge.get("name"), "description": badge.get("description"),
            "criteria": criteria if isinstance(criteria, dict) else {"id": criteria} if criteria else None,
            "alignments": [a for a in as_list(badge.get("alignment")) if isinstance(a, dict)],
            "tags": [t for t in as_list(badge.get("tags")) if isinstance(t, str)],
            "image": node_id(badge.get("image")),
        },
        "subject": {"type": recipient.get("type"), "hashed": recipient.get("hashed"),
                    "identity": recipient.get("identity")},
        "issued": assertion.get("issuedOn"),
        "valid_from": None,
        "valid_until": assertion.get("expires"),
        "evidence": [node_id(e) or e for e in as_list(assertion.get("evidence"))],
    }


def _endorsements(documents: list[dict[str, Any]], linked: LinkedDocuments, ctx) -> tuple[list[Check], list[Report]]:
    references = [(node_id(d), e) for d in documents for e in as_list(d.get("endorsement"))]
    return endorsement_rollup(
        references, lambda item: verify_endorsement(item[1], linked, ctx.nested(), item[0]), ctx.depth)


def verify_endorsement(reference: Any, linked: LinkedDocuments, ctx, endorsed: str | None = None) -> Report:
    """An endorsement's own report; ``endorsed`` is the id of the document that lists it,
    which the endorsement's claim must be about."""
    token = reference if isinstance(reference, str) and reference.count(".") == 2 \
        and not reference.startswith("http") else None
    report = Report(format="ob2-endorsement")
    try:
        document = decode_jws(token)[1] if token else (reference if embedded(reference) else linked.load(reference, "endorsement"))
    except (LinkError, InputError) as exc:
        report.checks.append(failed("input", str(exc), "unreachable", indeterminate=True))
        return report
    if not isinstance(document, dict):
        report.checks.append(failed("input", "the endorsement's JWS payload is not a JSON object", "not_a_badge"))
        return report
    subject = _Subject(document, "endorsement", token)
    problem = _schema_check("ob2/endorsement", document, "Endorsement")
    checks = [context_check([("endorsement", document)], linked.fetcher)] + ([problem] if problem else [])
    claimed = node_id(document.get("claim"))
    if endorsed and not same_iri(claimed, endorsed):
        checks.append(failed("endorsement", f"the endorsement's claim is about {claimed}, not {endorsed}",
                             "endorsement_claim"))
    try:
        issuer = linked.load(document.get("issuer"), "endorser's profile")
    except LinkError as exc:
        report.checks = checks + [_link_failure("issuer", exc, "issuer_unavailable")]
        return report
    checks.append(_issuer_check(issuer, ctx))
    checks += signed_checks(subject, issuer, linked) if subject.signed else hosted_checks(subject, issuer, linked)
    checks += validity_checks(ctx.at, issued=document.get("issuedOn"), valid_until=document.get("expires"))
    report.checks = checks
    report.credential = {"id": subject.id, "types": as_list(document.get("type")),
                         "issuer": {"id": node_id(issuer), "name": issuer.get("name"), "url": issuer.get("url")},
                         "claim": document.get("claim"), "issued": document.get("issuedOn")}
    return report


def _verify_assertion(subject: _Subject, ctx, fmt: str) -> Report:
    report = Report(format=fmt)
    checks = report.checks
    linked = LinkedDocuments(ctx.fetcher)
    assertion = subject.document
    schema_prefix = "ob2/" if not subject.legacy else None
    problem = _schema_check("ob2/assertion", assertion, "Assertion")
    if problem:
        checks.append(problem)
        return report
    try:
        badge = linked.load(assertion.get("badge"), "BadgeClass", require_id=not subject.legacy)
        issuer = linked.load(badge.get("issuer"), "issuer profile", require_id=not subject.legacy)
    except LinkError as exc:
        if not subject.legacy:
            checks.append(context_check([("assertion", assertion)], linked.fetcher))
        checks.append(_link_failure("issuer", exc, "issuer_unavailable"))
        return report
    if subject.legacy:
        issuer = {"id": node_id(badge.get("issuer")), **issuer} if not node_id(issuer) else issuer
        checks.append(skipped("context", "Open Badges 1.x documents carry no JSON-LD context to check"))
    else:
        checks.append(context_check([("assertion", assertion), ("BadgeClass", badge), ("issuer profile", issuer)],
                                    linked.fetcher))
        for name, document, what in (("badgeclass", badge, "BadgeClass"), ("issuer", issuer, "issuer profile")):
            problem = _schema_check(f"{schema_prefix}{name}", document, what)
            if problem:
                checks.append(problem)
    if not report.check("schema"):
        checks.append(passed("schema", "the assertion, BadgeClass and issuer profile have every required "
                             "property with the right types"))
    checks.append(_image_check(linked, badge.get("image")))
    checks.append(_issuer_check(issuer, ctx))
    checks += signed_checks(subject, issuer, linked) if subject.signed else hosted_checks(subject, issuer, linked)
    checks += validity_checks(ctx.at, issued=assertion.get("issuedOn"), valid_until=assertion.get("expires"))
    checks.append(_recipient_check(assertion, ctx.recipient))
    endorsement_checks, report.nested = _endorsements([assertion, badge, issuer], linked, ctx)
    checks += endorsement_checks
    report.credential = _summary(assertion, badge, issuer)
    return report


def verify_ob2(envelope: Envelope, ctx) -> Report:
    return _verify_assertion(_Subject(envelope.credential, "assertion", envelope.jws), ctx, envelope.format)


def upgrade_v1(document: dict[str, Any]) -> dict[str, Any]:
    """An Open Badges 1.0/1.1 assertion restated in 2.0 terms."""
    verify_spec = document.get("verify") if isinstance(document.get("verify"), dict) else {}
    kind = str(verify_spec.get("type", "")).lower()
    url = verify_spec.get("url")
    if kind not in ("hosted", "signed") or not isinstance(url, str):
        raise InputError("this Open Badges 1.x assertion has no usable 'verify' object", "unsupported_version")
    upgraded = {k: v for k, v in document.items() if k not in ("verify", "@context")}
    upgraded["@context"] = OB2_CONTEXT
    upgraded["type"] = "Assertion"
    if kind == "hosted":
        upgraded["id"] = url
        upgraded["verification"] = {"type": "hosted"}
    else:
        upgraded.setdefault("id", f"urn:uid:{document.get('uid', '')}")
        upgraded["verification"] = {"type": "signed", "creator": url}
    return upgraded


def verify_legacy(envelope: Envelope, ctx) -> Report:
    document = envelope.credential
    if envelope.format == "ob0.5":
        return Report(format="ob0.5", checks=[failed(
            "input", "Open Badges 0.5 assertions carry no verification method; version 0.5 is unsupported",
            "unsupported_version", indeterminate=True)])
    try:
        upgraded = upgrade_v1(document)
    except InputError as exc:
        return Report(format="ob1", checks=[failed("input", str(exc), exc.kind, indeterminate=True)])
    version = "1.1" if OB1_CONTEXT in as_list(document.get("@context")) else "1.0"
    subject = _Subject(upgraded, "assertion", envelope.jws, legacy=True, original=document)
    fmt = f"ob1-{upgraded['verification']['type']}"
    report = _verify_assertion(subject, ctx, fmt)
    report.checks.insert(0, passed("input", f"an Open Badges {version} assertion, upgraded to 2.0 to verify it"))
    return report
