"""The stored data: users and API keys, candidates, credentials with every verification report,
skill evidence, roles with requirements, jobs with their items, the taxonomy in use, and the
append-only audit log."""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, Optional

from sqlalchemy import (JSON, BigInteger, Boolean, DateTime, Float, ForeignKey, Index, Integer,
                        LargeBinary, MetaData, String, Text, TypeDecorator, UniqueConstraint)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING = {"ix": "ix_%(column_0_label)s", "uq": "uq_%(table_name)s_%(column_0_name)s",
          "ck": "ck_%(table_name)s_%(constraint_name)s",
          "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s", "pk": "pk_%(table_name)s"}

# BIGINT on PostgreSQL, INTEGER (the rowid alias, so autoincrementing) on SQLite.
Id = BigInteger().with_variant(Integer(), "sqlite")


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON}


class UtcDateTime(TypeDecorator):
    """Stored as UTC; SQLite hands back naive values, which this reads as UTC."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None and value.tzinfo is not None and dialect.name == "sqlite":
            value = value.astimezone(timezone.utc).replace(tzinfo=None)
        return value

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        return value


class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    username: Mapped[str] = mapped_column(String(120), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20), default="recruiter", server_default="recruiter")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utc_now)


class ApiKey(Base):
    """``sp_<prefix>_<secret>``: the prefix finds the row, the secret is kept only as a sha256."""

    __tablename__ = "api_keys"
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    prefix: Mapped[str] = mapped_column(String(16), unique=True)
    secret_sha256: Mapped[str] = mapped_column(String(64))
    scope: Mapped[str] = mapped_column(String(10))  # read | write
    name: Mapped[str] = mapped_column(String(120), default="")
    user_id: Mapped[Optional[int]] = mapped_column(Id, ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utc_now)
    last_used_at: Mapped[Optional[datetime]] = mapped_column(UtcDateTime(), nullable=True)
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)


class Candidate(Base):
    __tablename__ = "candidates"
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    external_id: Mapped[Optional[str]] = mapped_column(String(200), unique=True, nullable=True)
    name: Mapped[str] = mapped_column(String(300), default="")
    email: Mapped[Optional[str]] = mapped_column(String(320), nullable=True)
    photo_url: Mapped[Optional[str]] = mapped_column(String(2000), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utc_now)
    credentials: Mapped[list["Credential"]] = relationship(
        back_populates="candidate", cascade="all, delete-orphan", passive_deletes=True,
        order_by="Credential.id")


class Credential(Base):
    """One credential as handed over (raw bytes kept), with the latest verdict copied from its
    newest report so ranking needs no extra join."""

    __tablename__ = "credentials"
    __table_args__ = (UniqueConstraint("candidate_id", "sha256", name="uq_credentials_candidate_sha256"),)
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    candidate_id: Mapped[int] = mapped_column(Id, ForeignKey("candidates.id", ondelete="CASCADE"), index=True)
    sha256: Mapped[str] = mapped_column(String(64))
    raw: Mapped[bytes] = mapped_column(LargeBinary)
    source: Mapped[Optional[str]] = mapped_column(String(2000), nullable=True)
    format: Mapped[str] = mapped_column(String(40), default="unknown")
    credential_uri: Mapped[Optional[str]] = mapped_column(String(2000), nullable=True)
    issuer_id: Mapped[Optional[str]] = mapped_column(String(2000), nullable=True)
    issuer_name: Mapped[Optional[str]] = mapped_column(String(500), nullable=True)
    achievement_name: Mapped[Optional[str]] = mapped_column(String(500), nullable=True)
    issued_at: Mapped[Optional[datetime]] = mapped_column(UtcDateTime(), nullable=True)
    valid_until: Mapped[Optional[datetime]] = mapped_column(UtcDateTime(), nullable=True)
    verdict: Mapped[str] = mapped_column(String(30))
    verified_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utc_now)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utc_now)
    candidate: Mapped[Candidate] = relationship(back_populates="credentials")
    reports: Mapped[list["VerificationReport"]] = relationship(
        back_populates="credential", cascade="all, delete-orphan", passive_deletes=True,
        order_by="VerificationReport.id")
    evidence: Mapped[list["Evidence"]] = relationship(
        back_populates="credential", cascade="all, delete-orphan", passive_deletes=True,
        order_by="Evidence.id")


class VerificationReport(Base):
    __tablename__ = "verification_reports"
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    credential_id: Mapped[int] = mapped_column(Id, ForeignKey("credentials.id", ondelete="CASCADE"), index=True)
    checked_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utc_now)
    verdict: Mapped[str] = mapped_column(String(30))
    report: Mapped[dict[str, Any]] = mapped_column(JSON)
    credential: Mapped[Credential] = relationship(back_populates="reports")


class Evidence(Base):
    """A skill a credential evidences, as mapped onto the taxonomy."""

    __tablename__ = "evidence"
    # Ranking reads only this index: the skills a role asks for, with everything it weighs.
    __table_args__ = (Index("ix_evidence_rank", "skill_uri", "hierarchy", "candidate_id", "credential_id",
                            "confidence", "verdict", "issued_ts", "expires_ts", "id"),)
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    credential_id: Mapped[int] = mapped_column(Id, ForeignKey("credentials.id", ondelete="CASCADE"), index=True)
    candidate_id: Mapped[int] = mapped_column(Id, ForeignKey("candidates.id", ondelete="CASCADE"), index=True)
    skill_uri: Mapped[str] = mapped_column(String(500))
    skill_label: Mapped[str] = mapped_column(String(500), default="")
    confidence: Mapped[float] = mapped_column(Float)
    reason: Mapped[str] = mapped_column(Text, default="")
    signal_field: Mapped[str] = mapped_column(String(100), default="")
    signal_text: Mapped[str] = mapped_column(Text, default="")
    hierarchy: Mapped[bool] = mapped_column(Boolean, default=False)  # credit passed up from ``via``
    via: Mapped[str] = mapped_column(String(500), default="")
    # Copies of the credential's latest verdict and dates (seconds since 1970, UTC), rewritten with
    # the evidence on every verification, so ranking needs no join.
    verdict: Mapped[str] = mapped_column(String(30))
    issued_ts: Mapped[Optional[float]] = mapped_column(Float, nullable=True)
    expires_ts: Mapped[Optional[float]] = mapped_column(Float, nullable=True)
    credential: Mapped[Credential] = relationship(back_populates="evidence")


class Role(Base):
    __tablename__ = "roles"
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    occupation_uri: Mapped[Optional[str]] = mapped_column(String(500), nullable=True)
    must_have_policy: Mapped[str] = mapped_column(String(20), default="rank_below")
    verification_policy: Mapped[dict[str, Any]] = mapped_column(JSON)
    top_n: Mapped[int] = mapped_column(Integer, default=10)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utc_now)
    requirements: Mapped[list["RoleRequirement"]] = relationship(
        back_populates="role", cascade="all, delete-orphan", passive_deletes=True,
        order_by="RoleRequirement.position")


class RoleRequirement(Base):
    __tablename__ = "role_requirements"
    __table_args__ = (UniqueConstraint("role_id", "skill_uri", name="uq_role_requirements_role_skill"),)
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    role_id: Mapped[int] = mapped_column(Id, ForeignKey("roles.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    skill_uri: Mapped[str] = mapped_column(String(500))
    skill_label: Mapped[str] = mapped_column(String(500), default="")
    weight: Mapped[float] = mapped_column(Float, default=1.0)
    must_have: Mapped[bool] = mapped_column(Boolean, default=False)
    role: Mapped[Role] = relationship(back_populates="requirements")


class Job(Base):
    __tablename__ = "jobs"
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    kind: Mapped[str] = mapped_column(String(30))  # ingest | reverify
    status: Mapped[str] = mapped_column(String(20), default="queued", index=True)
    candidate_id: Mapped[Optional[int]] = mapped_column(Id, ForeignKey("candidates.id", ondelete="SET NULL"),
                                                        nullable=True)
    total: Mapped[int] = mapped_column(Integer, default=0)
    succeeded: Mapped[int] = mapped_column(Integer, default=0)
    failed: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[Optional[str]] = mapped_column(Text, nullable=True)
    actor: Mapped[str] = mapped_column(String(200), default="")
    worker: Mapped[Optional[str]] = mapped_column(String(200), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utc_now)
    started_at: Mapped[Optional[datetime]] = mapped_column(UtcDateTime(), nullable=True)
    heartbeat_at: Mapped[Optional[datetime]] = mapped_column(UtcDateTime(), nullable=True)
    finished_at: Mapped[Optional[datetime]] = mapped_column(UtcDateTime(), nullable=True)
    items: Mapped[list["JobItem"]] = relationship(
        back_populates="job", cascade="all, delete-orphan", passive_deletes=True, order_by="JobItem.position")


class JobItem(Base):
    """One unit of a job, done in its own transaction: the input is dropped once it is stored."""

    __tablename__ = "job_items"
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    job_id: Mapped[int] = mapped_column(Id, ForeignKey("jobs.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20), default="pending")  # pending | done | duplicate | failed
    name: Mapped[str] = mapped_column(String(500), default="")
    payload: Mapped[Optional[bytes]] = mapped_column(LargeBinary, nullable=True)
    credential_id: Mapped[Optional[int]] = mapped_column(Id, ForeignKey("credentials.id", ondelete="SET NULL"),
                                                         nullable=True)
    problem: Mapped[Optional[dict[str, Any]]] = mapped_column(JSON, nullable=True)
    job: Mapped[Job] = relationship(back_populates="items")


class TaxonomySkill(Base):
    """An imported taxonomy, so every host of a deployment maps onto the same skills."""

    __tablename__ = "taxonomy_skills"
    uri: Mapped[str] = mapped_column(String(500), primary_key=True)
    label: Mapped[str] = mapped_column(String(500))
    data: Mapped[dict[str, Any]] = mapped_column(JSON)


class TaxonomyOccupation(Base):
    __tablename__ = "taxonomy_occupations"
    uri: Mapped[str] = mapped_column(String(500), primary_key=True)
    label: Mapped[str] = mapped_column(String(500))
    data: Mapped[dict[str, Any]] = mapped_column(JSON)


class Setting(Base):
    __tablename__ = "settings"
    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class AuditEntry(Base):
    """Who did what, when. Rows are only ever inserted (database triggers refuse the rest);
    details hold ids and counts, never a candidate's personal data."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utc_now, index=True)
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(60))
    target: Mapped[str] = mapped_column(String(200), default="")
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
