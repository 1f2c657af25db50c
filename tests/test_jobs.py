"""Background jobs: recorded in the database, resumed or clearly failed after a restart, never
half-stored; and the same jobs through RQ on the local Redis, run by `rq worker`."""
from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, update

from tests.webapp_fixtures import *  # noqa: F401,F403
from tests.webapp_fixtures import Api, build_taxonomy, wait_for_job

REPO = Path(__file__).resolve().parents[1]
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def make_app(database_url, issuer, **extra):
    from webapp import create_app
    config = {"TESTING": True, "SECRET_KEY": "test", "DATABASE_URL": database_url,
              "VERIFIER_FETCHER": issuer.fetcher(), "TAXONOMY": build_taxonomy()}
    config.update(extra)
    return create_app(config)


def write_key(app) -> str:
    from webapp.auth import create_api_key
    from webapp.db import get_db
    with get_db(app).transaction() as session:
        return create_api_key(session, "write")[1]


def queue_job(app, issuer, n_items: int) -> tuple[int, int, Api]:
    api = Api(app.test_client(), write_key(app))
    email = f"{uuid.uuid4().hex[:8]}@example.org"
    candidate = api.post("/candidates", json={"name": "Jo", "email": email}).get_json()["id"]
    files = {"file": [(__import__("io").BytesIO(issuer.badge(email=email, tags=("SQL",))), f"b{n}.json")
                      for n in range(n_items)]}
    response = api.post(f"/candidates/{candidate}/credentials?background=true", data=files,
                        content_type="multipart/form-data")
    assert response.status_code == 202
    return response.get_json()["id"], candidate, api


class Crash(BaseException):
    """Stands for the process dying: not an Exception, so nothing catches it."""


def crash_during_item(monkeypatch, app, job_id: int, crash_at: int) -> None:
    """Run the job in this thread and die inside the transaction of item ``crash_at`` (0-based),
    after its credential row was written."""
    import webapp.ingestion as ingestion
    real = ingestion.audit.record
    calls = {"n": 0}

    def record(session, action, *args, **kwargs):
        if action == "credential.add":
            if calls["n"] == crash_at:
                raise Crash()
            calls["n"] += 1
        return real(session, action, *args, **kwargs)
    monkeypatch.setattr(ingestion.audit, "record", record)
    from webapp import jobs
    with pytest.raises(Crash):
        jobs.run(app, job_id, worker="host-that-dies")
    monkeypatch.setattr(ingestion.audit, "record", real)


def age_heartbeat(app, job_id: int) -> None:
    from webapp.db import get_db
    from webapp.models import Job, utc_now
    with get_db(app).transaction() as session:
        session.execute(update(Job).where(Job.id == job_id).values(heartbeat_at=utc_now() - timedelta(hours=1)))


def stored(app, candidate: int) -> list[tuple[int, int, int]]:
    """(credential id, reports, evidence rows) for each stored credential of a candidate."""
    from webapp.db import get_db
    from webapp.models import Credential, Evidence, VerificationReport
    from sqlalchemy import func
    with get_db(app).session() as session:
        rows = session.scalars(select(Credential.id).where(Credential.candidate_id == candidate)).all()
        return [(cid, session.scalar(select(func.count(VerificationReport.id))
                                     .where(VerificationReport.credential_id == cid)),
                 session.scalar(select(func.count(Evidence.id)).where(Evidence.credential_id == cid)))
                for cid in rows]


def test_the_in_process_worker_runs_jobs_and_progress_is_readable(database_url, issuer):
    app = make_app(database_url, issuer)
    try:
        job_id, candidate, api = queue_job(app, issuer, 6)
        job = wait_for_job(api, job_id)
        assert job["status"] == "done" and job["succeeded"] == 6 and job["progress"] == 1.0
        assert [i["status"] for i in job["items"]] == ["done"] * 6
        # a page reload is a new request on a new client: the progress is in the database
        fresh = Api(app.test_client(), api.token).get(f"/jobs/{job_id}?items=false").get_json()
        assert fresh["succeeded"] == 6 and "items" not in fresh
        assert len(stored(app, candidate)) == 6
    finally:
        app.extensions["skillproof.jobs"].stop()


def test_a_restart_resumes_an_interrupted_job_without_half_stored_credentials(database_url, issuer, monkeypatch):
    first = make_app(database_url, issuer, JOB_WORKER="none")
    job_id, candidate, api = queue_job(first, issuer, 5)
    crash_during_item(monkeypatch, first, job_id, crash_at=2)
    # two credentials whole; the third rolled back with its transaction
    assert [(r, e > 0) for _, r, e in stored(first, candidate)] == [(1, True), (1, True)]
    progress = api.get(f"/jobs/{job_id}").get_json()
    assert progress["status"] == "running" and progress["succeeded"] == 2
    age_heartbeat(first, job_id)
    second = make_app(database_url, issuer, JOB_RESUME=True)
    try:
        job = wait_for_job(Api(second.test_client(), api.token), job_id)
        assert job["status"] == "done" and job["succeeded"] == 5 and job["failed"] == 0
        assert [(r, e > 0) for _, r, e in stored(second, candidate)] == [(1, True)] * 5
    finally:
        second.extensions["skillproof.jobs"].stop()


def test_a_restart_can_fail_an_interrupted_job_clearly(database_url, issuer, monkeypatch):
    first = make_app(database_url, issuer, JOB_WORKER="none")
    job_id, candidate, api = queue_job(first, issuer, 4)
    crash_during_item(monkeypatch, first, job_id, crash_at=1)
    age_heartbeat(first, job_id)
    second = make_app(database_url, issuer, JOB_RESUME=False, JOB_WORKER="thread")
    try:
        job = Api(second.test_client(), api.token).get(f"/jobs/{job_id}").get_json()
        assert job["status"] == "failed" and "interrupted by a restart after 1 of 4" in job["error"]
        assert [i["status"] for i in job["items"]] == ["done", "failed", "failed", "failed"]
        assert [(r, e > 0) for _, r, e in stored(second, candidate)] == [(1, True)]
    finally:
        second.extensions["skillproof.jobs"].stop()


def test_a_running_job_with_a_live_heartbeat_is_left_alone(database_url, issuer, monkeypatch):
    first = make_app(database_url, issuer, JOB_WORKER="none")
    job_id, _candidate, api = queue_job(first, issuer, 2)
    crash_during_item(monkeypatch, first, job_id, crash_at=0)
    second = make_app(database_url, issuer, JOB_RESUME=True, JOB_WORKER="thread")
    try:
        time.sleep(0.3)
        assert Api(second.test_client(), api.token).get(f"/jobs/{job_id}").get_json()["status"] == "running"
    finally:
        second.extensions["skillproof.jobs"].stop()


def test_a_command_line_run_neither_recovers_nor_runs_jobs(database_url, issuer, monkeypatch):
    first = make_app(database_url, issuer, JOB_WORKER="none")
    interrupted, _candidate, api = queue_job(first, issuer, 2)
    crash_during_item(monkeypatch, first, interrupted, crash_at=1)
    age_heartbeat(first, interrupted)
    waiting, _other, _api = queue_job(first, issuer, 2)
    command = make_app(database_url, issuer, JOB_RESUME=True, JOB_WORKER="thread")
    result = command.test_cli_runner().invoke(args=["create-user", f"u{uuid.uuid4().hex[:8]}",
                                                    "--password", "a long passphrase"])
    assert result.exit_code == 0, result.output
    time.sleep(0.3)
    assert command.extensions["skillproof.jobs"]._thread is None
    assert api.get(f"/jobs/{interrupted}").get_json()["status"] == "running"
    assert api.get(f"/jobs/{waiting}").get_json()["status"] == "queued"
    # serving: the first request recovers the interrupted job and the worker runs both
    served = make_app(database_url, issuer, JOB_RESUME=True, JOB_WORKER="thread")
    try:
        client = Api(served.test_client(), api.token)
        assert wait_for_job(client, waiting)["status"] == "done"
        job = wait_for_job(client, interrupted)
        assert job["status"] == "done" and job["succeeded"] == 2
    finally:
        served.extensions["skillproof.jobs"].stop()


def _redis_unavailable() -> str | None:
    try:
        from redis import Redis
        Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
        return None
    except Exception as exc:  # noqa: BLE001
        return f"Redis not reachable at {REDIS_URL}: {type(exc).__name__}"


def test_jobs_go_to_rq_and_an_rq_worker_runs_them(database_url, issuer, tmp_path):
    why = _redis_unavailable()
    if why:
        pytest.skip(why)
    from tests.webapp_fixtures import write_esco_folder
    queue = f"skillproof-test-{uuid.uuid4().hex[:8]}"
    app = make_app(database_url, issuer, REDIS_URL=REDIS_URL, RQ_QUEUE=queue, TAXONOMY=None)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["import-taxonomy", str(write_esco_folder(tmp_path / "esco"))])
    assert result.exit_code == 0, result.output
    job_id, candidate, api = queue_job(app, issuer, 3)
    assert api.get(f"/jobs/{job_id}").get_json()["status"] == "queued"  # nobody in this process runs it
    env = {**os.environ, "DATABASE_URL": database_url, "DOCUMENT_MAP": str(issuer.write_map()),
           "REDIS_URL": REDIS_URL, "RQ_QUEUE": queue, "SECRET_KEY": "test",
           "PYTHONPATH": str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    worker = subprocess.run([sys.executable, "-m", "rq.cli", "worker", "--burst", "--url", REDIS_URL, queue],
                            cwd=REPO, env=env, capture_output=True, timeout=120)
    if worker.returncode != 0 and b"No module named rq.cli.__main__" in worker.stderr:
        worker = subprocess.run(["rq", "worker", "--burst", "--url", REDIS_URL, queue], cwd=REPO, env=env,
                                capture_output=True, timeout=120)
    assert worker.returncode == 0, worker.stderr.decode()[-2000:]
    job = api.get(f"/jobs/{job_id}").get_json()
    assert job["status"] == "done" and job["succeeded"] == 3, (job, worker.stderr.decode()[-2000:])
    assert [(r, e > 0) for _, r, e in stored(app, candidate)] == [(1, True)] * 3
