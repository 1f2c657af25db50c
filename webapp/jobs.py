"""Background jobs: bulk ingestion and re-verification, recorded in the database.

Each item is done in its own transaction together with the job's progress counters, so a job
interrupted at any moment has stored whole credentials only; its pending items are resumed when
the app serves again, at its first request (``JOB_RESUME``), or the job is marked failed with the count it reached.

Jobs run on a worker thread inside the app's process, or, with ``REDIS_URL``, on an RQ queue
served by ``rq worker`` processes sharing the database.
"""
from __future__ import annotations

import logging
import os
import socket
import threading
from datetime import timedelta
from typing import Any

from flask import Flask
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from . import audit
from .db import get_db
from .ingestion import Item, Outcome, ingest_one, reverify_one
from .models import Credential, Job, JobItem, utc_now
from .serialize import iso

log = logging.getLogger(__name__)
FINAL = ("done", "failed")


def create_job(session: Session, kind: str, *, candidate_id: int | None, actor: str,
               items: list[Item] | None = None, credential_ids: list[int] | None = None) -> Job:
    job = Job(kind=kind, candidate_id=candidate_id, actor=actor, status="queued")
    if items is not None:
        job.items = [JobItem(position=n, name=i.name[:500], payload=i.data) for n, i in enumerate(items)]
    else:
        job.items = [JobItem(position=n, name=f"credential {cid}", credential_id=cid)
                     for n, cid in enumerate(credential_ids or [])]
    job.total = len(job.items)
    session.add(job)
    session.flush()
    audit.record(session, f"job.{kind}", f"job:{job.id}", actor=actor, items=job.total,
                 candidate=candidate_id)
    return job


def start(app: Flask, kind: str, *, candidate_id: int | None, actor: str, items: list[Item] | None = None,
          credential_ids: list[int] | None = None) -> dict[str, Any]:
    """Create a job in a transaction of its own, hand it to the runner and return its job_dict."""
    with get_db(app).transaction() as tx:
        body = job_dict(create_job(tx, kind, candidate_id=candidate_id, actor=actor, items=items,
                                   credential_ids=credential_ids))
    submit(app, body["id"])
    return body


def submit(app: Flask, job_id: int) -> None:
    """Hand a committed job to whoever runs jobs here."""
    app.extensions["skillproof.jobs"].submit(job_id)


def job_dict(job: Job, items: list[JobItem] | None = None) -> dict[str, Any]:
    out = {"id": job.id, "kind": job.kind, "status": job.status, "candidate_id": job.candidate_id,
           "total": job.total, "succeeded": job.succeeded, "failed": job.failed,
           "processed": job.succeeded + job.failed,
           "progress": round((job.succeeded + job.failed) / job.total, 4) if job.total else 1.0,
           "error": job.error, "created_at": iso(job.created_at), "started_at": iso(job.started_at),
           "finished_at": iso(job.finished_at)}
    if items is not None:
        out["items"] = [{"position": i.position, "name": i.name, "status": i.status,
                         "credential_id": i.credential_id, "problem": i.problem} for i in items]
    return out


# -- running ---------------------------------------------------------------------------------


def claim(app: Flask, job_id: int, worker: str) -> bool:
    now = utc_now()
    with get_db(app).transaction() as session:
        result = session.execute(update(Job).where(Job.id == job_id, Job.status == "queued")
                                 .values(status="running", worker=worker, started_at=now, heartbeat_at=now))
        return result.rowcount == 1


def run(app: Flask, job_id: int, worker: str | None = None) -> bool:
    """Claim a queued job and do its pending items; False when someone else has it."""
    worker = worker or f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}"
    if not claim(app, job_id, worker):
        return False
    database = get_db(app)
    try:
        with database.session() as session:
            job = session.get(Job, job_id)
            kind, candidate_id, actor = job.kind, job.candidate_id, job.actor
            pending = session.scalars(select(JobItem.id).where(JobItem.job_id == job_id,
                                                               JobItem.status == "pending")
                                      .order_by(JobItem.position)).all()
        for item_id in pending:
            if not _still_mine(app, job_id, worker):
                return True
            _run_item(app, job_id, item_id, kind, candidate_id, actor)
        with database.transaction() as session:
            session.execute(update(Job).where(Job.id == job_id, Job.worker == worker)
                            .values(status="done", finished_at=utc_now(), heartbeat_at=utc_now()))
    except Exception as exc:  # a bug or a lost database: the job says so, stored items stay whole
        log.exception("job %s failed", job_id)
        with database.transaction() as session:
            session.execute(update(Job).where(Job.id == job_id).values(
                status="failed", finished_at=utc_now(), error=f"the job stopped: {type(exc).__name__}"))
    return True


def _still_mine(app: Flask, job_id: int, worker: str) -> bool:
    with get_db(app).session() as session:
        row = session.execute(select(Job.status, Job.worker).where(Job.id == job_id)).first()
    return row is not None and row.status == "running" and row.worker == worker


def _run_item(app: Flask, job_id: int, item_id: int, kind: str, candidate_id: int | None, actor: str) -> None:
    def after(session: Session, outcome: Outcome) -> None:
        status = {"created": "done", "duplicate": "duplicate"}.get(outcome.status, "failed")
        values: dict[str, Any] = {"status": status, "payload": None}
        if outcome.credential_id is not None:
            values["credential_id"] = outcome.credential_id
        if outcome.problem is not None:
            values["problem"] = outcome.problem
        session.execute(update(JobItem).where(JobItem.id == item_id, JobItem.status == "pending").values(**values))
        counter = Job.failed if status == "failed" else Job.succeeded
        session.execute(update(Job).where(Job.id == job_id).values(
            {counter: counter + 1, Job.heartbeat_at: utc_now()}))

    with get_db(app).session() as session:
        item = session.get(JobItem, item_id)
        name, payload, credential_id = item.name, item.payload, item.credential_id
    try:
        if kind == "ingest":
            ingest_one(app, candidate_id, Item(name, payload or b""), actor=actor, after=after)
        else:
            reverify_one(app, credential_id, actor=actor, after=after)
    except Exception as exc:
        log.exception("job %s item %s failed", job_id, item_id)
        with get_db(app).transaction() as session:
            after(session, Outcome("rejected", problem={"title": "processing failed", "status": 500,
                                                        "detail": f"{type(exc).__name__} while processing"}))


def recover(app: Flask) -> list[int]:
    """Jobs a stopped process left running: queued again (resume) or failed, clearly."""
    stale_before = utc_now() - timedelta(seconds=int(app.config["JOB_STALE_SECONDS"]))
    resume = bool(app.config["JOB_RESUME"])
    requeued = []
    with get_db(app).transaction() as session:
        stale = session.scalars(select(Job).where(Job.status == "running",
                                                  (Job.heartbeat_at == None) | (Job.heartbeat_at < stale_before))  # noqa: E711
                                ).all()
        for job in stale:
            if resume:
                job.status, job.worker = "queued", None
                requeued.append(job.id)
            else:
                job.status, job.finished_at = "failed", utc_now()
                job.error = (f"interrupted by a restart after {job.succeeded + job.failed} of {job.total} items; "
                             "the items not processed were not stored")
                session.execute(update(JobItem).where(JobItem.job_id == job.id, JobItem.status == "pending")
                                .values(status="failed", payload=None,
                                        problem={"title": "not processed", "status": 503,
                                                 "detail": "the job was interrupted before this item"}))
    return requeued


def queued_ids(app: Flask) -> list[int]:
    with get_db(app).session() as session:
        return list(session.scalars(select(Job.id).where(Job.status == "queued").order_by(Job.id)))


def reverify_job(session: Session, candidate_id: int | None, actor: str) -> Job:
    query = select(Credential.id).order_by(Credential.id)
    if candidate_id is not None:
        query = query.where(Credential.candidate_id == candidate_id)
    return create_job(session, "reverify", candidate_id=candidate_id, actor=actor,
                      credential_ids=list(session.scalars(query)))


# -- runners ---------------------------------------------------------------------------------


class ThreadRunner:
    """One worker thread in this process; it also picks up jobs queued by other processes."""

    def __init__(self, app: Flask, poll_seconds: float = 2.0) -> None:
        self.app = app
        self.poll = poll_seconds
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def start(self) -> None:
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._stop.clear()
                self._thread = threading.Thread(target=self._loop, name="skillproof-jobs", daemon=True)
                self._thread.start()

    def submit(self, job_id: int) -> None:
        self.start()
        self._wake.set()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def _loop(self) -> None:
        while not self._stop.is_set():
            self._wake.clear()
            try:
                for job_id in queued_ids(self.app):
                    if self._stop.is_set():
                        return
                    run(self.app, job_id)
            except Exception:  # the database may be briefly away: try again later
                log.exception("job worker loop")
            self._wake.wait(self.poll)


class RQRunner:
    """Sends jobs to an RQ queue; ``rq worker`` processes run them (see ``rq_run``)."""

    def __init__(self, app: Flask) -> None:
        from redis import Redis
        from rq import Queue
        self.queue = Queue(app.config["RQ_QUEUE"], connection=Redis.from_url(app.config["REDIS_URL"]))

    def start(self) -> None:
        pass

    def submit(self, job_id: int) -> None:
        self.queue.enqueue("webapp.jobs.rq_run", job_id, job_timeout=3600, result_ttl=3600,
                           description=f"skillproof job {job_id}")

    def stop(self, timeout: float = 0) -> None:
        pass


class NoRunner:
    def start(self) -> None:
        pass

    def submit(self, job_id: int) -> None:
        pass

    def stop(self, timeout: float = 0) -> None:
        pass


_rq_app: Flask | None = None
_rq_lock = threading.Lock()


def worker_app() -> Flask:
    """The app of an RQ worker process, built once from the environment."""
    global _rq_app
    with _rq_lock:
        if _rq_app is None:
            from . import create_app
            _rq_app = create_app({"JOB_WORKER": "none"})
    return _rq_app


def rq_run(job_id: int) -> bool:
    """The function ``rq worker`` runs: the worker's app, then the job."""
    return run(worker_app(), job_id)


try:
    from rq.worker import SimpleWorker
except ImportError:  # pragma: no cover - rq is a pinned dependency
    SimpleWorker = object  # type: ignore[assignment,misc]


class AppWorker(SimpleWorker):  # type: ignore[misc,valid-type]
    """``rq worker -w webapp.jobs.AppWorker``: builds the app and its skill matcher once, when the
    worker starts, and runs every job in that process (plain ``rq worker`` works too, but forks and
    builds them again for each job)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from .skills import service
        service(worker_app()).matcher()


def init_app(app: Flask) -> None:
    """Choose the runner. Recovering interrupted jobs and starting the in-process worker wait
    for the app's first request: a command-line run (``flask create-user``, ``flask init-db``)
    builds the app too, and must neither claim a job nor leave one running when it exits."""
    if app.config.get("REDIS_URL"):
        runner: Any = RQRunner(app)
    elif app.config.get("JOB_WORKER", "thread") == "thread":
        runner = ThreadRunner(app)
    else:
        runner = NoRunner()
    app.extensions["skillproof.jobs"] = runner
    if app.config.get("JOB_WORKER", "thread") == "none":
        return
    lock = threading.Lock()
    state = {"resumed": False}

    @app.before_request
    def _resume_jobs() -> None:
        if state["resumed"]:
            return
        with lock:
            if not state["resumed"]:
                resume(app, runner)
                state["resumed"] = True


def resume(app: Flask, runner: Any) -> None:
    """Jobs a stopped process left: queued again or failed (``recover``); the queued ones handed
    to the runner."""
    requeued = recover(app)
    if isinstance(runner, RQRunner):
        for job_id in requeued:
            runner.submit(job_id)
    elif isinstance(runner, ThreadRunner) and queued_ids(app):
        runner.start()
