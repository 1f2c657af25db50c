"""Ingestion: verify a credential, map its skills and store everything in one transaction.

Verification (which may fetch documents) happens before the transaction opens; the credential,
its report, its evidence and the audit entry are then written together or not at all.
"""
from __future__ import annotations

import hashlib
import io
import threading
import zipfile
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Callable

from flask import Flask
from sqlalchemy import delete, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

import verifier
from verifier import DocumentMap, HttpFetcher

from . import audit, trust
from .db import get_db
from .models import Candidate, Credential, Evidence, VerificationReport, utc_now
from .skills import service as skill_service

CREDENTIAL_SUFFIXES = (".json", ".jsonld", ".jwt", ".jws", ".png", ".svg", ".txt")


class UploadError(ValueError):
    """The upload as a whole cannot be read (a broken ZIP, too many entries...)."""


@dataclass
class Item:
    name: str
    data: bytes


class NotWebAddresses(UploadError):
    """Pasted addresses that are not http(s) URLs; ``urls`` names them."""

    def __init__(self, urls: list[str]) -> None:
        super().__init__("not http(s) URLs: " + ", ".join(urls[:5]))
        self.urls = urls


MAX_ITEM_NAME = 500


def items_from_form(files: list[Any], urls: str) -> list[Item]:
    """The items of an upload form: its files (a file field left empty is skipped, an unnamed
    file is ``file<n>``) and the whitespace-separated web addresses in ``urls``; names at most
    ``MAX_ITEM_NAME`` characters. ``NotWebAddresses`` when an address is not http(s)."""
    items = []
    for n, upload in enumerate(files):
        data = upload.read()
        if not upload.filename and not data:
            continue
        items.append(Item((upload.filename or f"file{n}")[:MAX_ITEM_NAME], data))
    addresses = urls.split()
    bad = [u for u in addresses if not u.startswith(("https://", "http://"))]
    if bad:
        raise NotWebAddresses(bad)
    items.extend(Item(u[:MAX_ITEM_NAME], u.encode()) for u in addresses)
    return items


@dataclass
class Outcome:
    status: str  # created | duplicate | rejected
    credential_id: int | None = None
    report: dict[str, Any] | None = None
    problem: dict[str, Any] | None = None
    evidence: list[dict[str, Any]] = field(default_factory=list)


# -- the fetcher and the trust lists ----------------------------------------------------------

_fetcher_lock = threading.Lock()


def fetcher(app: Flask) -> verifier.Fetcher:
    """``VERIFIER_FETCHER`` (an object), an offline ``DOCUMENT_MAP``, or the SSRF-safe HTTP fetcher."""
    configured = app.config.get("VERIFIER_FETCHER")
    if configured is not None:
        return configured
    with _fetcher_lock:
        cached = app.extensions.get("skillproof.fetcher")
        if cached is None:
            if app.config.get("DOCUMENT_MAP"):
                cached = DocumentMap.from_file(app.config["DOCUMENT_MAP"])
            else:
                cached = HttpFetcher(allow_hosts=app.config.get("FETCH_ALLOW_HOSTS") or (),
                                     timeout=float(app.config["FETCH_TIMEOUT"]),
                                     max_bytes=int(app.config["FETCH_MAX_BYTES"]))
            app.extensions["skillproof.fetcher"] = cached
        return cached


def verify_input(app: Flask, data: bytes | str | dict[str, Any], *, source: str | None = None,
                 recipient: str | None = None) -> verifier.Report:
    return verifier.verify(data, fetcher=fetcher(app), source=source, recipient=recipient,
                           trust=trust.policy(app))


# -- reading uploads -------------------------------------------------------------------------


def expand(app: Flask, items: list[Item]) -> list[Item]:
    """ZIP archives opened, text files of URLs split into one item per URL."""
    out: list[Item] = []
    limit = int(app.config["MAX_UPLOAD_ITEMS"])
    for item in items:
        if item.data[:4] == b"PK\x03\x04":
            out.extend(_unzip(app, item))
        elif _is_url_list(item.data):
            out.extend(Item(f"{item.name}:{n}", line.encode())
                       for n, line in enumerate(_lines(item.data), 1))
        else:
            if len(item.data) > int(app.config["MAX_CREDENTIAL_BYTES"]):
                raise UploadError(f"{item.name} is over the {app.config['MAX_CREDENTIAL_BYTES']}-byte limit")
            out.append(item)
        if len(out) > limit:
            raise UploadError(f"more than {limit} credentials in one upload")
    return out


def _lines(data: bytes) -> list[str]:
    return [line.strip() for line in data.decode("utf-8-sig", "replace").splitlines() if line.strip()
            and not line.strip().startswith("#")]


def _is_url_list(data: bytes) -> bool:
    if len(data) > 1024 * 1024:
        return False
    try:
        lines = _lines(data)
    except UnicodeDecodeError:
        return False
    return len(lines) > 1 and all(line.startswith(("https://", "http://")) and " " not in line for line in lines)


def _unzip(app: Flask, item: Item) -> list[Item]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(item.data))
        entries = [i for i in archive.infolist() if not i.is_dir()
                   and not i.filename.startswith("__MACOSX/") and not i.filename.rsplit("/", 1)[-1].startswith(".")
                   and i.filename.lower().endswith(CREDENTIAL_SUFFIXES)]
        if len(entries) > int(app.config["MAX_UPLOAD_ITEMS"]):
            raise UploadError(f"{item.name} holds more than {app.config['MAX_UPLOAD_ITEMS']} credentials")
        total = sum(i.file_size for i in entries)
        if total > int(app.config["MAX_ZIP_BYTES"]):
            raise UploadError(f"{item.name} unpacks to more than {app.config['MAX_ZIP_BYTES']} bytes")
        out = []
        for info in sorted(entries, key=lambda i: i.filename):
            if info.file_size > int(app.config["MAX_CREDENTIAL_BYTES"]):
                raise UploadError(f"{info.filename} in {item.name} is over the size limit")
            with archive.open(info) as handle:  # the declared size is checked, and so is what comes out
                data = handle.read(int(app.config["MAX_CREDENTIAL_BYTES"]) + 1)
            if len(data) > int(app.config["MAX_CREDENTIAL_BYTES"]):
                raise UploadError(f"{info.filename} in {item.name} is over the size limit")
            if info.filename.lower().endswith(".txt") and _is_url_list(data):
                out.extend(Item(f"{item.name}/{info.filename}:{n}", line.encode())
                           for n, line in enumerate(_lines(data), 1))
            else:
                out.append(Item(f"{item.name}/{info.filename}", data))
        return out
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, NotImplementedError, RuntimeError) as exc:
        raise UploadError(f"{item.name} is not a readable ZIP archive ({exc})") from None


# -- storing ---------------------------------------------------------------------------------


def parse_date(value: Any) -> datetime | None:
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    if text.endswith("Z") or text.endswith("z"):
        text = text[:-1] + "+00:00"
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def _input_rejected(report: verifier.Report) -> dict[str, Any] | None:
    failures = [c for c in report.check("input") if c.outcome == "failed"]
    if not failures:
        return None
    check = failures[0].to_dict()
    problem = dict(check.get("problem") or {})
    problem.setdefault("title", "not a credential")
    problem["status"] = 422
    return problem


def _report_fields(report: dict[str, Any]) -> dict[str, Any]:
    """The credential columns a report decides."""
    summary = report.get("credential") or {}
    issuer = summary.get("issuer") or {}
    achievement = summary.get("achievement") or {}
    return {
        "format": str(report.get("format") or "unknown")[:40],
        "verdict": report["verdict"],
        "credential_uri": _text(summary.get("id"), 2000),
        "issuer_id": _text(issuer.get("id") if isinstance(issuer, dict) else issuer, 2000),
        "issuer_name": _text(issuer.get("name") if isinstance(issuer, dict) else None, 500),
        "achievement_name": _text(achievement.get("name") if isinstance(achievement, dict) else None, 500),
        "issued_at": parse_date(summary.get("issued") or summary.get("valid_from")),
        "valid_until": parse_date(summary.get("valid_until")),
        "verified_at": utc_now(),
    }


def _text(value: Any, limit: int) -> str | None:
    return str(value)[:limit] if isinstance(value, (str, int, float)) and str(value) else None


def _evidence_rows(credential_id: int, candidate_id: int, fields: dict[str, Any],
                   evidence: list[dict[str, Any]]) -> list[dict[str, Any]]:
    issued = fields["issued_at"].timestamp() if fields["issued_at"] else None
    expires = fields["valid_until"].timestamp() if fields["valid_until"] else None
    return [{"credential_id": credential_id, "candidate_id": candidate_id, "verdict": fields["verdict"],
             "issued_ts": issued, "expires_ts": expires, "skill_uri": e["skill_uri"][:500],
             "skill_label": e.get("skill_label", "")[:500], "confidence": float(e["confidence"]),
             "reason": e.get("reason", ""), "signal_field": e.get("signal_field", "")[:100],
             "signal_text": e.get("signal_text", ""), "hierarchy": bool(e.get("hierarchy")),
             "via": str(e.get("via") or "")[:500]} for e in evidence]


def _store_report(session: Session, credential_id: int, candidate_id: int, report: verifier.Report,
                  report_dict: dict[str, Any], fields: dict[str, Any], evidence: list[dict[str, Any]]) -> None:
    session.execute(insert(VerificationReport).values(credential_id=credential_id, verdict=report.verdict,
                                                      checked_at=report.checked_at, report=report_dict))
    rows = _evidence_rows(credential_id, candidate_id, fields, evidence)
    if rows:
        session.execute(insert(Evidence), rows)


def find_duplicate(session: Session, candidate_id: int, sha: str) -> int | None:
    return session.scalar(select(Credential.id).where(Credential.candidate_id == candidate_id,
                                                      Credential.sha256 == sha))


def ingest_one(app: Flask, candidate_id: int, item: Item, *, actor: str,
               after: Callable[[Session, Outcome], None] | None = None) -> Outcome:
    """Verify, map and store one credential for a candidate.

    ``after(session, outcome)`` runs inside the same transaction (a job marks its item done there).
    """
    database = get_db(app)
    sha = hashlib.sha256(item.data).hexdigest()
    with database.session() as session:
        recipient = session.scalar(select(Candidate.email).where(Candidate.id == candidate_id))
        known = recipient is not None or session.scalar(select(Candidate.id).where(Candidate.id == candidate_id))
        if not known:
            outcome = Outcome("rejected", problem={"title": "candidate not found", "status": 404,
                                                   "detail": f"candidate {candidate_id} does not exist"})
            return _finish(database, outcome, after)
        existing = find_duplicate(session, candidate_id, sha)
        if existing is not None:
            return _finish(database, Outcome("duplicate", existing), after)
    report = verify_input(app, item.data, source=item.name or None, recipient=recipient)
    report_dict = report.to_dict()
    problem = _input_rejected(report)
    if problem is not None:
        return _finish(database, Outcome("rejected", report=report_dict, problem=problem), after)
    evidence = skill_service(app).map_report(report_dict)
    fields = _report_fields(report_dict)
    try:
        with database.transaction() as session:
            credential_id = session.execute(
                insert(Credential).values(candidate_id=candidate_id, sha256=sha, raw=item.data,
                                          source=(item.name or None) and item.name[:2000], created_at=utc_now(),
                                          **fields).returning(Credential.id)).scalar_one()
            _store_report(session, credential_id, candidate_id, report, report_dict, fields, evidence)
            audit.record(session, "credential.add", f"candidate:{candidate_id}", actor=actor,
                         credential=credential_id, verdict=report.verdict, skills=len(evidence))
            outcome = Outcome("created", credential_id, report_dict, evidence=evidence)
            if after is not None:
                after(session, outcome)
    except IntegrityError:
        with database.session() as session:
            existing = find_duplicate(session, candidate_id, sha)
        if existing is None:  # the candidate was erased meanwhile
            return _finish(database, Outcome("rejected", problem={"title": "candidate not found", "status": 404,
                                                                  "detail": "the candidate was erased"}), after)
        return _finish(database, Outcome("duplicate", existing), after)
    return outcome


def _finish(database, outcome: Outcome, after) -> Outcome:
    if after is not None:
        with database.transaction() as session:
            after(session, outcome)
    return outcome


def reverify_one(app: Flask, credential_id: int, *, actor: str,
                 after: Callable[[Session, Outcome], None] | None = None) -> Outcome:
    """A new report for a stored credential, and its evidence mapped again (one transaction)."""
    database = get_db(app)
    with database.session() as session:
        row = session.execute(select(Credential.raw, Credential.source, Credential.candidate_id, Candidate.email)
                              .join(Candidate, Candidate.id == Credential.candidate_id)
                              .where(Credential.id == credential_id)).first()
    if row is None:
        return _finish(database, Outcome("rejected", problem={"title": "credential not found", "status": 404,
                                                              "detail": f"credential {credential_id} is gone"}), after)
    raw, source, candidate_id, email = row
    report = verify_input(app, raw, source=source, recipient=email)
    report_dict = report.to_dict()
    evidence = skill_service(app).map_report(report_dict)
    fields = _report_fields(report_dict)
    with database.transaction() as session:
        credential = session.get(Credential, credential_id)
        if credential is None:
            outcome = Outcome("rejected", problem={"title": "credential not found", "status": 404,
                                                   "detail": "the credential was erased meanwhile"})
        else:
            for key, value in fields.items():
                setattr(credential, key, value)
            session.execute(delete(Evidence).where(Evidence.credential_id == credential_id))
            _store_report(session, credential_id, candidate_id, report, report_dict, fields, evidence)
            audit.record(session, "credential.reverify", f"candidate:{candidate_id}", actor=actor,
                         credential=credential_id, verdict=report.verdict)
            outcome = Outcome("created", credential_id, report_dict, evidence=evidence)
        if after is not None:
            after(session, outcome)
    return outcome
