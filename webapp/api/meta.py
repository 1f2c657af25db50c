"""The OpenAPI 3.1 document of this API, at /api/v1/openapi.json (public: it holds no data)."""
from __future__ import annotations

from typing import Any

from . import bp

PROBLEM = {"$ref": "#/components/responses/Problem"}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict[str, Any], description: str = "OK") -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _errors(*codes: int) -> dict[str, Any]:
    return {str(code): PROBLEM for code in codes}


def _op(summary: str, scope: str, responses: dict[str, Any], *, body: dict[str, Any] | None = None,
        params: list[dict[str, Any]] | None = None, errors: tuple[int, ...] = ()) -> dict[str, Any]:
    op: dict[str, Any] = {"summary": summary, "security": [{"apiKey": [scope]}],
                          "x-required-scope": scope,
                          "responses": {**responses, **_errors(401, *((403,) if scope == "write" else ()), *errors)}}
    if body is not None:
        op["requestBody"] = {"required": True, "content": body}
    if params:
        op["parameters"] = params
    return op


def _path_param(name: str) -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "schema": {"type": "integer", "minimum": 1}}


def _query(name: str, schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": False, "schema": schema, "description": description}


PAGE = [_query("limit", {"type": "integer", "minimum": 1, "maximum": 200, "default": 20}, "page size"),
        _query("offset", {"type": "integer", "minimum": 0, "default": 0}, "rows to skip")]
BACKGROUND = _query("background", {"type": "boolean"}, "always answer 202 with a job")
JSON_UPLOAD = {
    "application/json": {"schema": {"oneOf": [
        {"type": "object", "description": "a credential (Open Badges 2.0 assertion, OB 3.0/VC)"},
        {"type": "object", "properties": {"credential": {"type": ["object", "string"]}}, "required": ["credential"]},
        {"type": "object", "properties": {"url": {"type": "string", "format": "uri"},
                                          "urls": {"type": "array", "items": {"type": "string", "format": "uri"}}}}]}},
    "multipart/form-data": {"schema": {"type": "object", "properties": {
        "file": {"type": "array", "items": {"type": "string", "format": "binary"},
                 "description": "JSON, JWS/JWT text, baked PNG or SVG, ZIP of these, or a text file of URLs"},
        "urls": {"type": "string", "description": "URLs, one per line"}}}},
    "text/plain": {"schema": {"type": "string", "description": "a JWT/JWS or a URL"}},
}

SCHEMAS: dict[str, Any] = {
    "Problem": {"type": "object", "description": "RFC 9457 problem details",
                "properties": {"type": {"type": "string", "format": "uri"}, "title": {"type": "string"},
                               "status": {"type": "integer"}, "detail": {"type": "string"},
                               "instance": {"type": "string"}}, "required": ["type", "title", "status"]},
    "CandidateInput": {"type": "object", "additionalProperties": False, "properties": {
        "name": {"type": "string", "maxLength": 300}, "email": {"type": ["string", "null"], "format": "email"},
        "external_id": {"type": ["string", "null"], "maxLength": 200},
        "photo_url": {"type": ["string", "null"], "format": "uri"}}},
    "Candidate": {"type": "object", "properties": {
        "id": {"type": "integer"}, "external_id": {"type": ["string", "null"]}, "name": {"type": "string"},
        "email": {"type": ["string", "null"]}, "photo_url": {"type": ["string", "null"]},
        "credential_count": {"type": "integer"}, "created_at": {"type": "string", "format": "date-time"},
        "updated_at": {"type": "string", "format": "date-time"},
        "credentials": {"type": "array", "items": _ref("Credential")}}},
    "CandidatePage": {"type": "object", "properties": {
        "total": {"type": "integer"}, "limit": {"type": "integer"}, "offset": {"type": "integer"},
        "next": {"type": "string"}, "items": {"type": "array", "items": _ref("Candidate")}}},
    "Report": {"type": "object", "description": "the verification report (see the design's report contract)",
               "properties": {"verdict": {"enum": ["valid", "valid-with-warnings", "invalid", "indeterminate"]},
                              "verified": {"type": "boolean"}, "format": {"type": "string"},
                              "checks": {"type": "array", "items": {"type": "object", "properties": {
                                  "id": {"type": "string"}, "outcome": {"enum": ["passed", "failed", "warning",
                                                                                  "skipped"]},
                                  "fatal": {"type": "boolean"}, "detail": {"type": "string"},
                                  "problem": _ref("Problem")}}},
                              "credential": {"type": "object"}, "nested": {"type": "array"},
                              "checked_at": {"type": "string"}, "input_sha256": {"type": "string"}}},
    "Evidence": {"type": "object", "properties": {
        "skill_uri": {"type": "string"}, "skill_label": {"type": "string"},
        "confidence": {"type": "number", "minimum": 0, "maximum": 1}, "reason": {"type": "string"},
        "signal": {"type": "object", "properties": {"field": {"type": "string"}, "text": {"type": "string"}}},
        "hierarchy": {"type": "boolean"}}},
    "Credential": {"type": "object", "properties": {
        "id": {"type": "integer"}, "candidate_id": {"type": "integer"}, "sha256": {"type": "string"},
        "status": {"enum": ["created", "duplicate"]}, "format": {"type": "string"}, "verdict": {"type": "string"},
        "verified": {"type": "boolean"}, "issuer": {"type": "object"}, "achievement": {"type": "object"},
        "issued": {"type": ["string", "null"]}, "valid_until": {"type": ["string", "null"]},
        "report": _ref("Report"), "evidence": {"type": "array", "items": _ref("Evidence")},
        "reports": {"type": "array", "items": {"type": "object"}}}},
    "CredentialList": {"type": "object", "properties": {
        "credentials": {"type": "array", "items": _ref("Credential")},
        "errors": {"type": "array", "items": _ref("Problem")}}},
    "Job": {"type": "object", "properties": {
        "id": {"type": "integer"}, "kind": {"enum": ["ingest", "reverify"]},
        "status": {"enum": ["queued", "running", "done", "failed"]}, "total": {"type": "integer"},
        "succeeded": {"type": "integer"}, "failed": {"type": "integer"}, "processed": {"type": "integer"},
        "progress": {"type": "number"}, "error": {"type": ["string", "null"]},
        "items": {"type": "array", "items": {"type": "object", "properties": {
            "position": {"type": "integer"}, "name": {"type": "string"},
            "status": {"enum": ["pending", "done", "duplicate", "failed"]},
            "credential_id": {"type": ["integer", "null"]}, "problem": {"type": ["object", "null"]}}}}}},
    "AcceptRule": {"type": "object", "additionalProperties": False, "properties": {
        "min_standing": {"enum": ["valid", "valid-with-warnings", "indeterminate"]},
        "trusted_issuer": {"type": "boolean"}}},
    "VerificationPolicy": {"type": "object", "properties": {"must_have": _ref("AcceptRule"),
                                                            "nice_to_have": _ref("AcceptRule")}},
    "RoleInput": {"type": "object", "additionalProperties": False, "required": ["title"], "properties": {
        "title": {"type": "string"}, "description": {"type": "string"},
        "occupation": {"type": "string", "description": "a taxonomy occupation URI or title"},
        "essential_as_must_have": {"type": "boolean"},
        "requirements": {"type": "array", "maxItems": 200, "items": {"type": "object", "required": ["skill"],
                                                                      "properties": {
            "skill": {"type": "string", "description": "a taxonomy skill URI, code or name"},
            "weight": {"type": "number", "exclusiveMinimum": 0, "maximum": 100, "default": 1},
            "must_have": {"type": "boolean", "default": False}}}},
        "must_have_policy": {"enum": ["exclude", "rank_below"], "default": "rank_below"},
        "verification_policy": _ref("VerificationPolicy"),
        "top_n": {"type": "integer", "minimum": 1, "maximum": 1000, "default": 10}}},
    "Role": {"type": "object", "properties": {
        "id": {"type": "integer"}, "title": {"type": "string"}, "description": {"type": "string"},
        "occupation": {"type": ["string", "null"]}, "must_have_policy": {"type": "string"},
        "verification_policy": _ref("VerificationPolicy"), "top_n": {"type": "integer"},
        "version": {"type": "integer"},
        "requirements": {"type": "array", "items": {"type": "object", "properties": {
            "skill": {"type": "string"}, "label": {"type": "string"}, "weight": {"type": "number"},
            "must_have": {"type": "boolean"}}}}}},
    "RolePage": {"type": "object", "properties": {"total": {"type": "integer"},
                                                  "items": {"type": "array", "items": _ref("Role")}}},
    "ShortlistRow": {"type": "object", "properties": {
        "rank": {"type": "integer"}, "candidate": {"type": "object", "description": "only the id in blind mode"},
        "score": {"type": "number", "minimum": 0, "maximum": 1}, "must_haves_met": {"type": "boolean"},
        "policy": {"type": "object", "description": "the policy applied to this row"},
        "requirements": {"type": "array", "items": {"type": "object", "properties": {
            "skill": {"type": "string"}, "label": {"type": "string"}, "weight": {"type": "number"},
            "must_have": {"type": "boolean"}, "covered": {"type": "boolean"}, "strength": {"type": "number"},
            "contribution": {"type": "number"},
            "evidence": {"type": ["object", "null"], "properties": {
                "credential_id": {"type": "integer"}, "achievement": {"type": ["string", "null"]},
                "issuer": {"type": ["object", "null"]}, "signal": {"type": ["object", "null"]},
                "confidence": {"type": "number"}, "verdict": {"type": "string"}, "standing": {"type": "number"},
                "recency": {"type": "number"}, "hierarchy": {"type": ["object", "null"]}}}}}},
        "gaps": {"type": "array", "items": {"type": "object", "properties": {
            "skill": {"type": "string"}, "kind": {"enum": ["missing", "unverified", "expired", "untrusted", "weak"]},
            "detail": {"type": "string"}}}},
        "move_up": {"type": ["object", "null"], "properties": {
            "target_rank": {"type": "integer"}, "score_to_beat": {"type": "number"},
            "score_after": {"type": "number"}, "reachable": {"type": "boolean"},
            "requirements": {"type": "array", "items": {"type": "object"}}}}}},
    "Shortlist": {"type": "object", "properties": {
        "role": {"type": "object"}, "policy": {"type": "object"}, "total": {"type": "integer"},
        "excluded": {"type": "integer"}, "limit": {"type": "integer"}, "offset": {"type": "integer"},
        "top_n": {"type": "integer"}, "cutoff_score": {"type": ["number", "null"]},
        "rows": {"type": "array", "items": _ref("ShortlistRow")}}},
    "VerifyInput": {"type": "object", "properties": {
        "verifiableCredential": {"type": ["object", "string"]},
        "options": {"type": "object", "properties": {"recipient": {"type": "string"}}}}},
    "VerifyResult": {"type": "object", "required": ["verified", "results", "problemDetails", "report"], "properties": {
        "verified": {"type": "boolean"}, "verdict": {"type": "string"},
        "results": {"type": "array", "items": {"type": "object"}},
        "problemDetails": {"type": "array", "items": _ref("Problem")}, "report": _ref("Report")}},
}


def document() -> dict[str, Any]:
    cid, rid = _path_param("candidate_id"), _path_param("role_id")
    job_created = _json(_ref("Job"), "a background job was created; poll its Location")
    paths = {
        "/candidates": {
            "get": _op("List candidates", "read", {"200": _json(_ref("CandidatePage"))}, params=PAGE, errors=(400,)),
            "post": _op("Create a candidate", "write", {"201": _json(_ref("Candidate"), "Created")},
                        body={"application/json": {"schema": _ref("CandidateInput")}},
                        errors=(400, 409, 413, 415, 422))},
        "/candidates/{candidate_id}": {
            "parameters": [cid],
            "get": _op("A candidate with credentials, reports and evidence", "read",
                       {"200": _json(_ref("Candidate"))}, errors=(404,)),
            "patch": _op("Change a candidate's details", "write", {"200": _json(_ref("Candidate"))},
                         body={"application/json": {"schema": _ref("CandidateInput")}},
                         errors=(400, 404, 409, 413, 415, 422)),
            "delete": _op("Erase a candidate: personal data, credentials, reports, evidence", "write",
                          {"204": {"description": "erased; the audit log records that it happened"}},
                          errors=(404,))},
        "/candidates/{candidate_id}/credentials": {
            "parameters": [cid],
            "get": _op("A candidate's credentials", "read", {"200": _json(_ref("CredentialList"))}, errors=(404,)),
            "post": _op("Add credentials: verified, mapped and stored, each in one transaction", "write",
                        {"201": _json(_ref("CredentialList"), "stored"),
                         "200": _json(_ref("CredentialList"), "already stored (same sha256)"),
                         "202": job_created},
                        body=JSON_UPLOAD, params=[BACKGROUND], errors=(400, 404, 413, 415, 422))},
        "/candidates/{candidate_id}/reverify": {
            "parameters": [cid],
            "post": _op("Verify a candidate's credentials again", "write",
                        {"200": _json(_ref("CredentialList")), "202": job_created},
                        params=[BACKGROUND], errors=(404,))},
        "/reverify": {"post": _op("Verify every stored credential again, in the background", "write",
                                  {"202": job_created})},
        "/verify": {"post": _op("Verify a credential without storing it (VC API verifier shape)", "read",
                                {"200": _json(_ref("VerifyResult"))},
                                body={"application/json": {"schema": _ref("VerifyInput")},
                                      "multipart/form-data": {"schema": {"type": "object", "properties": {
                                          "file": {"type": "string", "format": "binary"}}}},
                                      "text/plain": {"schema": {"type": "string"}}},
                                errors=(400, 413, 415, 422))},
        "/roles": {
            "get": _op("List roles", "read", {"200": _json(_ref("RolePage"))}, params=PAGE, errors=(400,)),
            "post": _op("Create a role", "write", {"201": _json(_ref("Role"), "Created")},
                        body={"application/json": {"schema": _ref("RoleInput")}}, errors=(400, 413, 415, 422))},
        "/roles/{role_id}": {
            "parameters": [rid],
            "get": _op("A role", "read", {"200": _json(_ref("Role"))}, errors=(404,)),
            "put": _op("Replace a role", "write", {"200": _json(_ref("Role"))},
                       body={"application/json": {"schema": _ref("RoleInput")}}, errors=(400, 404, 413, 415, 422))},
        "/roles/{role_id}/shortlist": {
            "parameters": [rid],
            "get": _op("The ranked, explained shortlist", "read", {"200": _json(_ref("Shortlist"))},
                       params=PAGE + [
                           _query("verified_only", {"type": "boolean"}, "count only verified credentials"),
                           _query("blind", {"type": "boolean"}, "withhold names, emails and photos"),
                           _query("min_score", {"type": "number", "minimum": 0, "maximum": 1}, "drop lower rows"),
                           _query("top_n", {"type": "integer", "minimum": 1}, "the N of 'what would move "
                                  "this candidate into the top N'")],
                       errors=(400, 404))},
        "/jobs/{job_id}": {
            "parameters": [_path_param("job_id")],
            "get": _op("Progress of a background job", "read", {"200": _json(_ref("Job"))},
                       params=[_query("items", {"type": "boolean", "default": True}, "include the items")],
                       errors=(404,))},
        "/openapi.json": {"get": {"summary": "This document", "security": [],
                                  "responses": {"200": _json({"type": "object"})}}},
    }
    return {
        "openapi": "3.1.0",
        "info": {"title": "SkillProof API", "version": "1.0.0",
                 "description": "Verified credentials, skills evidence and explained shortlists for HR systems. "
                                "Errors are application/problem+json (RFC 9457)."},
        "servers": [{"url": "/api/v1"}],
        "security": [{"apiKey": []}],
        "paths": paths,
        "components": {
            "securitySchemes": {"apiKey": {"type": "http", "scheme": "bearer",
                                           "description": "an API key from `flask --app app create-api-key "
                                                          "--scope read|write`"}},
            "responses": {"Problem": {"description": "a problem", "content": {
                "application/problem+json": {"schema": _ref("Problem")}}}},
            "schemas": SCHEMAS,
        },
    }


@bp.get("/openapi.json")
def openapi():
    return document()
