"""End-to-end ingest throughput: verify + map + store, for generated OB 3.0 credentials.

    python bench/ingest.py [-n 1000] [--candidates 20] [--workers 2] [--sqlite-only]
                           [--postgres postgresql://postgres@127.0.0.1:5432/postgres]
                           [--redis redis://127.0.0.1:6379/15]

The credentials are Open Badges 3.0, signed eddsa-rdfc-2022 by a did:key test issuer
(tests/vcfactory.py), each with two skill alignments and two tags from the starter taxonomy
and the candidate's email as identifier. They are uploaded as ZIP files through the API (one
per candidate), which makes background jobs; the clock runs from the first upload until every
job is done, so the figure includes the upload, unzipping, verification, skill mapping and one
transaction per credential.

1. SQLite, the embedded default: the in-process worker thread (one core: the GIL).
2. PostgreSQL with REDIS_URL: `--workers` `rq worker -w webapp.jobs.AppWorker` processes (2 cores),
   when Redis is reachable; they start (app and matcher built) before the clock does.
Target: at least 50 credentials/s on 2 cores.
"""
from __future__ import annotations

import argparse
import io
import json
import os
import random
import subprocess
import sys
import tempfile
import time
import uuid
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import matcher  # noqa: E402
from bench.scratchdb import create_database, drop_database  # noqa: E402
from tests.vcfactory import Issuer, badge  # noqa: E402
from webapp import create_app  # noqa: E402
from webapp.auth import create_api_key  # noqa: E402
from webapp.db import get_db  # noqa: E402


def generate(n: int, candidates: int, rng: random.Random) -> dict[int, list[bytes]]:
    taxonomy = matcher.load_taxonomy()
    skills = sorted(taxonomy.skills.values(), key=lambda s: s.uri)
    issuer = Issuer(seed=11)
    out: dict[int, list[bytes]] = {c: [] for c in range(candidates)}
    for i in range(n):
        owner = i % candidates
        picked = rng.sample(skills, 4)
        document = badge(issuer.did, id=f"urn:uuid:{uuid.UUID(int=rng.getrandbits(128))}",
                         name=picked[0].label, credentialSubject={
                             "type": ["AchievementSubject"],
                             "identifier": [{"type": "IdentityObject", "identityType": "emailAddress",
                                             "hashed": False, "identityHash": f"candidate{owner}@example.org"}],
                             "achievement": {
                                 "id": f"https://example.org/achievements/{i}", "type": ["Achievement"],
                                 "name": picked[0].label, "description": f"Shows {picked[1].label}.",
                                 "criteria": {"narrative": "Passed the assessment."},
                                 "tag": [picked[2].label, picked[3].label],
                                 "alignment": [{"type": ["Alignment"], "targetName": s.label, "targetUrl": s.uri,
                                                "targetType": "ceasn:Competency"} for s in picked[:2]]}})
        out[owner].append(json.dumps(issuer.sign(document)).encode())
    return out


def zipped(credentials: list[bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for n, data in enumerate(credentials):
            archive.writestr(f"c{n:05d}.json", data)
    return buffer.getvalue()


def run(label: str, app, batches: dict[int, list[bytes]], workers: list | None = None) -> None:
    with get_db(app).transaction() as session:
        _, token = create_api_key(session, "write", "bench")
    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    uploads = []
    for owner, credentials in batches.items():
        candidate = client.post("/api/v1/candidates", headers=headers,
                                json={"name": f"Candidate {owner}", "email": f"candidate{owner}@example.org"})
        uploads.append((candidate.get_json()["id"], zipped(credentials)))
    total = sum(len(c) for c in batches.values())
    started = time.perf_counter()
    jobs = []
    for candidate_id, data in uploads:
        response = client.post(f"/api/v1/candidates/{candidate_id}/credentials?background=true", headers=headers,
                               data={"file": (io.BytesIO(data), "badges.zip")}, content_type="multipart/form-data")
        assert response.status_code == 202, response.get_json()
        jobs.append(response.get_json()["id"])
    verdicts: dict[str, int] = {}
    pending = set(jobs)
    while pending:  # poll the oldest unfinished job, gently: polling competes with the workers
        job_id = min(pending)
        body = client.get(f"/api/v1/jobs/{job_id}?items=false", headers=headers).get_json()
        if body["status"] in ("done", "failed"):
            pending.discard(job_id)
            continue
        time.sleep(0.2)
    elapsed = time.perf_counter() - started
    stored = 0
    evidence = 0
    for candidate_id, _ in uploads:
        for credential in client.get(f"/api/v1/candidates/{candidate_id}/credentials",
                                     headers=headers).get_json()["credentials"]:
            stored += 1
            evidence += len(credential["evidence"])
            verdicts[credential["verdict"]] = verdicts.get(credential["verdict"], 0) + 1
    print(f"{label}: {stored} of {total} credentials verified, mapped and stored in {elapsed:.1f} s: "
          f"{stored / elapsed:.1f} credentials/s ({evidence / max(stored, 1):.1f} skills each; "
          + ", ".join(f"{k}={v}" for k, v in sorted(verdicts.items())) + ")")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-n", type=int, default=1000)
    parser.add_argument("--candidates", type=int, default=20)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--postgres", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/15")
    parser.add_argument("--sqlite-only", action="store_true")
    args = parser.parse_args()
    rng = random.Random(7)
    t0 = time.perf_counter()
    batches = generate(args.n, args.candidates, rng)
    print(f"generated {args.n} signed OB 3.0 credentials for {args.candidates} candidates "
          f"in {time.perf_counter() - t0:.1f} s; {os.cpu_count()} CPUs")
    with tempfile.TemporaryDirectory() as folder:
        app = create_app({"DATABASE_URL": f"sqlite:///{Path(folder) / 'ingest.sqlite3'}", "SECRET_KEY": "bench",
                          "JOB_WORKER": "thread"})
        run("SQLite, in-process worker thread", app, batches)
        app.extensions["skillproof.jobs"].stop()
    if args.sqlite_only:
        return 0
    try:
        from redis import Redis
        Redis.from_url(args.redis, socket_connect_timeout=2).ping()
        url = create_database(args.postgres)
    except Exception as exc:  # noqa: BLE001
        print(f"PostgreSQL + RQ: skipped ({type(exc).__name__}: {exc})")
        return 0
    queue = f"skillproof-bench-{uuid.uuid4().hex[:8]}"
    try:
        app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench", "REDIS_URL": args.redis, "RQ_QUEUE": queue})
        env = {**os.environ, "DATABASE_URL": url, "REDIS_URL": args.redis, "RQ_QUEUE": queue, "SECRET_KEY": "bench",
               "PYTHONPATH": str(REPO)}

        # The workers start (imports, app, matcher) before the clock does, as they would in production.
        workers = [subprocess.Popen(["rq", "worker", "--quiet", "-w", "webapp.jobs.AppWorker", "--url", args.redis,
                                     queue], cwd=REPO, env=env, stdout=subprocess.DEVNULL)
                   for _ in range(args.workers)]
        try:
            from redis import Redis
            from rq import Queue, Worker
            connection = Redis.from_url(args.redis)
            deadline = time.monotonic() + 120
            while len(Worker.all(queue=Queue(queue, connection=connection))) < args.workers:
                if time.monotonic() > deadline:
                    raise SystemExit("the rq workers did not start")
                time.sleep(0.2)
            run(f"PostgreSQL, {args.workers} rq workers", app, batches, workers)
        finally:
            for worker in workers:
                worker.terminate()
                worker.wait(timeout=30)
        app.extensions["skillproof.db"].dispose()
    finally:
        drop_database(args.postgres, url)
    return 0


if __name__ == "__main__":
    sys.exit(main())
