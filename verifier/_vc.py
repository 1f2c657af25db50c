"""Verify W3C Verifiable Credentials: Open Badges 3.0, CLR 2.0, endorsements,
presentations; Data Integrity proofs or VC-JWT; check by check."""
from __future__ import annotations

from typing import Any

from ._dataintegrity import ProofResult, canonicalizer, is_supported, suite_of, verify_proof
from ._dates import validity_checks
from ._did import KeyResolutionError, VerificationKey, resolve_key, same_entity
from ._errors import InputError
from ._ingest import VC_CONTEXTS, Envelope, as_list, ingest, types_of
from ._jsonld import LdError, expand, selections
from ._recipient import identity_matches
from ._report import Check, Report, endorsement_rollup, failed, passed, skipped, warning
from ._schema import schema_checks
from ._status import status_checks
from ._trust import issuer_check
from ._vcjwt import claim_date, claim_mismatches, verify_jwt
from ._verify import MAX_NESTING, input_failure

V1_CONTEXT = VC_CONTEXTS[0]


def _issuer(document: dict[str, Any]) -> tuple[str | None, dict[str, Any]]:
    issuer = document.get("issuer")
    profile = issuer if isinstance(issuer, dict) else {"id": issuer}
    issuer_id = profile.get("id")
    return (issuer_id if isinstance(issuer_id, str) else None), profile


def _subjects(document: dict[str, Any]) -> list[dict[str, Any]]:
    return [s for s in as_list(document.get("credentialSubject")) if isinstance(s, dict)]


def summary(document: dict[str, Any]) -> dict[str, Any]:
    issuer_id, profile = _issuer(document)
    subject = (_subjects(document) or [{}])[0]
    achievement = subject.get("achievement") if isinstance(subject.get("achievement"), dict) else {}
    image = achievement.get("image")
    v1 = V1_CONTEXT in as_list(document.get("@context"))
    return {
        "id": document.get("id"),
        "types": types_of(document),
        "name": document.get("name"),
        "issuer": {"id": issuer_id, "name": profile.get("name"), "url": profile.get("url"),
                   "email": profile.get("email")},
        "achievement": {
            "id": achievement.get("id"), "name": achievement.get("name"),
            "description": achievement.get("description"), "criteria": achievement.get("criteria"),
            "alignments": [a for a in as_list(achievement.get("alignment")) if isinstance(a, dict)],
            "tags": [t for t in as_list(achievement.get("tag")) if isinstance(t, str)],
            "image": image.get("id") if isinstance(image, dict) else image,
            "type": achievement.get("achievementType"),
        },
        "subject": {"id": subject.get("id"), "type": subject.get("type"),
                    "identifier": [i for i in as_list(subject.get("identifier")) if isinstance(i, dict)]},
        "issued": document.get("issuanceDate" if v1 else "validFrom") or document.get("awardedDate"),
        "valid_from": document.get("validFrom") or document.get("issuanceDate"),
        "valid_until": document.get("validUntil") or document.get("expirationDate"),
        "evidence": [e for e in as_list(document.get("evidence"))],
    }


# --- context ---------------------------------------------------------------------------------------

def _context_failure(error: LdError) -> Check:
    return failed("context", str(error), error.kind)


def _context_passed(document: dict[str, Any], variants: dict[str, str]) -> Check:
    count = len(as_list(document.get("@context")))
    used = "; ".join(f"{url} verified as its {name} variant" for url, name in variants.items())
    return passed("context", f"{count} known context(s), none fetched; safe-mode expansion clean"
                  + (f"; {used}" if used else ""))


def context_check(document: dict[str, Any], fetcher: Any) -> Check:
    """Known contexts only, and a safe-mode expansion under at least one variant."""
    first_error: LdError | None = None
    try:
        candidates = selections(document, fetcher)
    except LdError as exc:
        return _context_failure(exc)
    for selection in candidates:
        try:
            expand(document, selection, fetcher)
        except LdError as exc:
            first_error = first_error or exc
            continue
        return _context_passed(document, selection.names())
    return _context_failure(first_error or LdError("the document has no JSON-LD context", "invalid_jsonld"))


# --- keys and proofs -------------------------------------------------------------------------------

def _key_check(key: VerificationKey, issuer_id: str | None, purpose: str, ctx: Any) -> Check:
    strict = bool(getattr(ctx.trust, "require_key_binding", False))
    if key.binding == "self-asserted":
        detail = (f"the {key.kind} key is self-asserted in the JOSE header (jwk): no document binds it to "
                  f"the issuer {issuer_id}")
        return failed("key", detail, "issuer_key_binding") if strict else passed("key", detail)
    if not same_entity(key.controller, issuer_id):
        return failed("key", f"the key {key.id} is controlled by {key.controller}, not by the issuer {issuer_id}",
                      "issuer_key_binding")
    if key.purposes is not None and purpose not in key.purposes:
        return failed("key", f"{key.controller} does not authorise {key.id} for {purpose}", "key_purpose")
    if key.binding == "convention":
        detail = (f"{key.kind} key taken from the verification method's fragment: its document part is the "
                  f"issuer id {issuer_id}, which publishes no key list (the 1EdTech issuer-id#multikey convention)")
        return failed("key", detail, "issuer_key_binding") if strict else passed("key", detail)
    return passed("key", f"{key.kind} key {key.id} resolved via {key.how}, controlled by the issuer")


def _key_failure(error: KeyResolutionError) -> Check:
    return failed("key", str(error), error.reason, indeterminate=error.indeterminate)


def _proof_check(result: ProofResult, proof: dict[str, Any], purpose: str) -> Check:
    if result.reason is not None:
        return failed("proof", result.detail, result.reason)
    if proof.get("proofPurpose") != purpose:
        return failed("proof", f"the proof's purpose is {proof.get('proofPurpose')!r}, not {purpose}",
                      "proof_purpose")
    variants = "; ".join(f"{url} as its {name} variant" for url, name in result.variants.items())
    return passed("proof", result.detail + (f" (contexts: {variants})" if variants else ""))


def embedded_proof_checks(document: dict[str, Any], ctx: Any, controller: str | None,
                          purpose: str = "assertionMethod") -> list[Check]:
    """context, key and proof checks for a document secured with Data Integrity proofs."""
    proofs = [p for p in as_list(document.get("proof")) if isinstance(p, dict)]
    if not proofs:
        return [context_check(document, ctx.fetcher),
                failed("proof", "the credential carries no proof and is not a signed JWT", "unsigned")]
    try:
        selections(document, ctx.fetcher)
    except LdError as exc:
        return [_context_failure(exc), skipped("proof", "not checked: the credential's contexts are unknown")]
    canon = canonicalizer(document, ctx.fetcher)
    checks: list[Check] = []
    context: Check | None = None
    for proof in proofs:
        if not is_supported(proof):
            checks.append(failed("proof", f"the proof suite {suite_of(proof)} is not supported",
                                 "unsupported_proof", indeterminate=True))
            continue
        try:
            key = resolve_key(proof.get("verificationMethod"), ctx.fetcher, issuer=controller)
        except KeyResolutionError as exc:
            checks += [_key_failure(exc), skipped("proof", f"{suite_of(proof)} proof not checked: no key")]
            continue
        checks.append(_key_check(key, controller, purpose, ctx))
        result = verify_proof(document, proof, key, ctx.fetcher, canon)
        if result.ld_error is not None:
            context = context or _context_failure(result.ld_error)
            checks.append(skipped("proof", f"{result.suite} proof not checked: {result.ld_error}"))
            continue
        if context is None or context.outcome != "failed":
            context = _context_passed(document, result.variants)
        checks.append(_proof_check(result, proof, purpose))
    return [context or context_check(document, ctx.fetcher)] + checks


def jwt_checks(envelope: Envelope, document: dict[str, Any], ctx: Any, issuer_id: str | None) -> tuple[
        list[Check], dict[str, Any]]:
    result = verify_jwt(envelope.jws or "", envelope.jws_header, issuer_id, ctx.fetcher)
    checks = [context_check(document, ctx.fetcher)]
    if result.key_error is not None:
        checks += [_key_failure(result.key_error), skipped("proof", "JWS not checked: no key")]
        return checks, {}
    if result.key is not None:
        checks.append(_key_check(result.key, issuer_id, "assertionMethod", ctx))
    if result.reason is not None:
        checks.append(failed("proof", result.detail, result.reason,
                             indeterminate=result.reason == "unsupported_proof"))
        return checks, {}
    mismatches = claim_mismatches(result.claims, document, issuer_id)
    if mismatches:
        checks.append(failed("proof", "the JWT claims contradict the credential: " + "; ".join(mismatches),
                             "jwt_claims"))
    else:
        checks.append(passed("proof", result.detail))
    return checks, result.claims


# --- validity, recipient ---------------------------------------------------------------------------

def validity(document: dict[str, Any], ctx: Any, claims: dict[str, Any] | None = None) -> list[Check]:
    claims = claims or {}
    if V1_CONTEXT in as_list(document.get("@context")):
        issued = document.get("issuanceDate") or claim_date(claims, "nbf")
        until = document.get("expirationDate") or claim_date(claims, "exp")
        return validity_checks(ctx.at, issued=issued, valid_until=until, issued_field="issuanceDate",
                               until_field="expirationDate")
    starts = document.get("validFrom") or claim_date(claims, "nbf")
    until = document.get("validUntil") or claim_date(claims, "exp")
    return validity_checks(ctx.at, valid_from=starts, valid_until=until, until_field="validUntil",
                           issued_required=False)


def recipient_check(document: dict[str, Any], claimed: str | None) -> Check:
    if not claimed:
        return skipped("recipient", "no recipient identity was given to match")
    subjects = _subjects(document)
    reasons = []
    for subject in subjects:
        subject_id = subject.get("id")
        if isinstance(subject_id, str) and subject_id.strip() in (claimed.strip(), f"mailto:{claimed.strip()}"):
            return passed("recipient", f"credentialSubject.id is {subject_id}")
        for identity in as_list(subject.get("identifier")):
            if not isinstance(identity, dict):
                continue
            matched, how = identity_matches(identity, claimed)
            if matched:
                return passed("recipient", f"credentialSubject.identifier: {how}")
            reasons.append(how)
    if not reasons and not any(isinstance(s.get("id"), str) for s in subjects):
        return failed("recipient", "the credential names no recipient (no subject id or identifier)",
                      "recipient_missing")
    return failed("recipient", f"the credential was not issued to {claimed}"
                  + (f": {'; '.join(reasons[:3])}" if reasons else ""), "recipient_mismatch")


# --- nested credentials ----------------------------------------------------------------------------

def nested_report(item: Any, ctx: Any) -> Report:
    """Verify a credential found inside another (CLR, presentation, endorsement)."""
    if isinstance(item, dict) and item.get("type") == "EnvelopedVerifiableCredential" \
            and isinstance(item.get("id"), str) and item["id"].startswith("data:"):
        item = item["id"].split(",", 1)[-1]
    try:
        envelope = ingest(item if isinstance(item, dict) else str(item))
    except InputError as exc:
        return input_failure(exc, str(item)[:200].encode(), None)
    if envelope.family != "vc":
        return input_failure(InputError(f"a {envelope.format} document is not a verifiable credential",
                                        "not_a_badge"), envelope.raw, None, envelope.format)
    report = verify_vc(envelope, ctx.nested())
    report.input_sha256 = report.input_sha256 or envelope.sha256
    return report


def _label(report: Report, position: int) -> str:
    name = report.credential.get("achievement", {}).get("name") or report.credential.get("name")
    return f"credential {position}" + (f" ({name})" if name else "")


def rollup(reports: list[Report], *, as_warnings: bool) -> list[Check]:
    """The failing checks of nested reports, restated on the container."""
    checks = []
    for position, report in enumerate(reports, 1):
        for check in report.checks:
            if check.outcome != "failed":
                continue
            detail = f"{_label(report, position)}: {check.detail}"
            if as_warnings:
                checks.append(warning(check.id, detail, check.reason))
            else:
                checks.append(failed(check.id, detail, check.reason, fatal=check.fatal,
                                     indeterminate=check.indeterminate))
    return checks


def endorsement_checks(document: dict[str, Any], ctx: Any) -> tuple[list[Check], list[Report]]:
    holders = [document, document.get("issuer")] + _subjects(document)
    holders += [s.get("achievement") for s in _subjects(document)]
    items = [e for h in holders if isinstance(h, dict)
             for key in ("endorsement", "endorsementJwt") for e in as_list(h.get(key))]
    return endorsement_rollup(items, lambda item: nested_report(item, ctx), ctx.depth)


# --- entry points ----------------------------------------------------------------------------------

def _verify_presentation(envelope: Envelope, ctx: Any) -> Report:
    presentation = envelope.credential
    holder = presentation.get("holder")
    holder_id = holder.get("id") if isinstance(holder, dict) else holder
    report = Report(format=envelope.format, credential={"id": presentation.get("id"), "types": types_of(presentation),
                                                         "holder": holder_id})
    if envelope.jws:
        checks, _ = jwt_checks(envelope, presentation, ctx, holder_id if isinstance(holder_id, str) else None)
    elif presentation.get("proof"):
        checks = embedded_proof_checks(presentation, ctx, holder_id if isinstance(holder_id, str) else None,
                                       purpose="authentication")
    else:
        checks = [context_check(presentation, ctx.fetcher),
                  skipped("proof", "the presentation itself is unsigned; each credential is checked")]
    items = as_list(presentation.get("verifiableCredential"))
    if not items:
        checks.append(failed("input", "the presentation carries no credential", "empty_presentation"))
    report.nested = [nested_report(item, ctx) for item in items]
    report.checks = checks + rollup(report.nested, as_warnings=False)
    return report


def verify_vc(envelope: Envelope, ctx: Any) -> Report:
    document = envelope.credential
    if not isinstance(document, dict):
        return input_failure(InputError("the credential is not a JSON object", "not_a_badge"), envelope.raw,
                             envelope.source, envelope.format)
    if ctx.depth > MAX_NESTING:
        return input_failure(InputError("credentials nest too deeply", "too_deep"), envelope.raw,
                             envelope.source, envelope.format)
    if "VerifiablePresentation" in types_of(document):
        return _verify_presentation(envelope, ctx)
    issuer_id, profile = _issuer(document)
    checks = schema_checks(document, ctx.fetcher)
    claims: dict[str, Any] = {}
    if envelope.jws:
        proof_checks, claims = jwt_checks(envelope, document, ctx, issuer_id)
    else:
        proof_checks = embedded_proof_checks(document, ctx, issuer_id)
    checks += proof_checks
    checks.append(issuer_check(ctx.trust, issuer_id, profile.get("name")))
    checks += status_checks(document, ctx, lambda list_envelope: verify_vc(list_envelope, ctx.nested()))
    checks += validity(document, ctx, claims)
    checks.append(recipient_check(document, ctx.recipient))
    endorsements, nested = endorsement_checks(document, ctx)
    checks += endorsements
    if "ClrCredential" in types_of(document):
        members = [nested_report(item, ctx) for s in _subjects(document)
                   for item in as_list(s.get("verifiableCredential"))]
        nested = members + nested
        checks += rollup(members, as_warnings=True)
    return Report(format=envelope.format, checks=checks, credential=summary(document), nested=nested,
                  source=envelope.source)


__all__ = ["context_check", "nested_report", "recipient_check", "summary", "verify_vc"]
