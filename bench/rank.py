"""Shortlist latency: seed candidates with stored credentials and evidence, then time the
shortlist API call for a 30-requirement role, on SQLite and on PostgreSQL.

    python bench/rank.py [--candidates 10000] [--credentials 5] [--runs 15] [--sqlite-only]
                         [--postgres postgresql://postgres@127.0.0.1:5432/postgres]

The taxonomy is the bundled starter. Each credential evidences 2-4 skills (direct evidence,
plus the hierarchy rows the matcher stores), has a verdict (80 % valid, 10 % with warnings,
5 % indeterminate, 5 % invalid), an issue date in the last six years, sometimes an expiry, and
one of 50 issuers. The role takes 30 skills: broad ones (covered through narrower skills) and
specific ones, 5 of them must-haves. The call goes through the Flask test client with an API
key, so it includes authentication, the evidence query, ranking every candidate and explaining
the page of 20 rows. Target: at most 300 ms on SQLite, the same or better on PostgreSQL.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import cProfile
import pstats
import tempfile
import time
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import insert  # noqa: E402

import matcher  # noqa: E402
from bench.scratchdb import create_database, drop_database  # noqa: E402
from webapp import create_app  # noqa: E402
from webapp.auth import create_api_key  # noqa: E402
from webapp.db import get_db  # noqa: E402
from webapp.models import Candidate, Credential, Evidence, VerificationReport  # noqa: E402

VERDICTS = ["valid"] * 16 + ["valid-with-warnings"] * 2 + ["indeterminate", "invalid"]
NOW = datetime.now(timezone.utc)


def pick_role(taxonomy: matcher.Taxonomy, rng: random.Random) -> list[dict]:
    broad = sorted(uri for uri in taxonomy.skills if taxonomy.narrower(uri))
    specific = sorted(uri for uri in taxonomy.skills if not taxonomy.narrower(uri))
    chosen = rng.sample(broad, min(8, len(broad)))
    chosen += rng.sample([u for u in specific if u not in chosen], 30 - len(chosen))
    return [{"skill": uri, "weight": rng.choice([0.5, 1, 1, 2]), "must_have": n < 5}
            for n, uri in enumerate(chosen)]


def seed(app, taxonomy: matcher.Taxonomy, candidates: int, per_candidate: int, rng: random.Random) -> dict:
    skills = sorted(taxonomy.skills)
    database = get_db(app)
    report = {"verdict": "valid", "verified": True, "format": "ob3-data-integrity",
              "checks": [{"id": c, "outcome": "passed", "fatal": False, "detail": f"{c} passed"}
                         for c in ("input", "schema", "context", "proof", "key", "status", "validity")],
              "credential": {}, "nested": [], "checked_at": NOW.isoformat(), "input_sha256": ""}
    counts = {"candidates": 0, "credentials": 0, "evidence": 0}
    batch = 1000
    credential_id = evidence_id = report_id = 0
    for start in range(0, candidates, batch):
        people, creds, reports, evidence = [], [], [], []
        for cid in range(start + 1, min(start + batch, candidates) + 1):
            people.append({"id": cid, "name": f"Candidate {cid}", "email": f"c{cid}@example.org",
                           "created_at": NOW, "updated_at": NOW})
            for _ in range(per_candidate):
                credential_id += 1
                verdict = rng.choice(VERDICTS)
                issued = NOW - timedelta(days=rng.randint(10, 6 * 365))
                until = issued + timedelta(days=rng.choice([365 * 2, 365 * 5])) if rng.random() < 0.3 else None
                raw = json.dumps({"id": f"urn:uuid:{uuid.UUID(int=rng.getrandbits(128))}", "n": credential_id})
                creds.append({"id": credential_id, "candidate_id": cid, "sha256": f"{credential_id:064x}",
                              "raw": raw.encode(), "format": "ob3-data-integrity",
                              "issuer_id": f"https://issuer{rng.randrange(50)}.example/profile",
                              "issuer_name": "Issuer", "achievement_name": "Badge", "issued_at": issued,
                              "valid_until": until, "verdict": verdict, "verified_at": NOW, "created_at": NOW})
                dates = {"verdict": verdict, "issued_ts": issued.timestamp(),
                         "expires_ts": until.timestamp() if until else None}
                report_id += 1
                reports.append({"id": report_id, "credential_id": credential_id, "checked_at": NOW,
                                "verdict": verdict, "report": {**report, "verdict": verdict}})
                for skill in rng.sample(skills, rng.randint(2, 4)):
                    confidence = round(rng.uniform(0.5, 1.0), 3)
                    evidence_id += 1
                    evidence.append({"id": evidence_id, "credential_id": credential_id, "candidate_id": cid,
                                     "skill_uri": skill, "skill_label": taxonomy.skills[skill].label,
                                     "confidence": confidence, "reason": "tag", "signal_field": "tag",
                                     "signal_text": taxonomy.skills[skill].label, "hierarchy": False, "via": "",
                                     **dates})
                    for parent, depth in taxonomy.ancestors(skill, 2):
                        evidence_id += 1
                        evidence.append({"id": evidence_id, "credential_id": credential_id, "candidate_id": cid,
                                         "skill_uri": parent, "skill_label": taxonomy.skills[parent].label,
                                         "confidence": round(confidence * 0.8 ** depth, 3),
                                         "reason": "hierarchy credit", "signal_field": "tag",
                                         "signal_text": "", "hierarchy": True, "via": skill, **dates})
        with database.transaction() as session:
            session.execute(insert(Candidate), people)
            session.execute(insert(Credential), creds)
            session.execute(insert(VerificationReport), reports)
            session.execute(insert(Evidence), evidence)
        counts["candidates"] += len(people)
        counts["credentials"] += len(creds)
        counts["evidence"] += len(evidence)
    if database.dialect == "postgresql":
        with database.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("VACUUM ANALYZE")
    return counts


def measure(url: str, label: str, args, taxonomy: matcher.Taxonomy) -> None:
    rng = random.Random(20260601)
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench", "TAXONOMY": taxonomy, "JOB_WORKER": "none"})
    with get_db(app).transaction() as session:
        _, token = create_api_key(session, "write", "bench")
    started = time.perf_counter()
    counts = seed(app, taxonomy, args.candidates, args.credentials, rng)
    seeded = time.perf_counter() - started
    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    role = client.post("/api/v1/roles", headers=headers, json={
        "title": "Bench role", "requirements": pick_role(taxonomy, rng), "top_n": 10}).get_json()
    assert len(role["requirements"]) == 30, role
    print(f"{label}: seeded {counts['candidates']} candidates, {counts['credentials']} credentials, "
          f"{counts['evidence']} evidence rows in {seeded:.1f} s")
    for query in ("limit=20", "limit=20&verified_only=true&blind=true"):
        path = f"/api/v1/roles/{role['id']}/shortlist?{query}"
        for _ in range(2):
            response = client.get(path, headers=headers)
            assert response.status_code == 200, response.get_json()
        times, cpu = [], []
        for _ in range(args.runs):
            t0, c0 = time.perf_counter(), time.process_time()
            response = client.get(path, headers=headers)
            times.append((time.perf_counter() - t0) * 1000)
            cpu.append((time.process_time() - c0) * 1000)
            assert response.status_code == 200
        body = response.get_json()
        if args.profile:
            profiler = cProfile.Profile()
            profiler.runcall(client.get, path, headers=headers)
            pstats.Stats(profiler).sort_stats("tottime").print_stats(12)
        times.sort()
        p95 = times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))]
        print(f"{label}: GET shortlist?{query}: median {statistics.median(times):.0f} ms, p95 {p95:.0f} ms, "
              f"min {times[0]:.0f} ms over {args.runs} calls; this process's CPU time median "
              f"{statistics.median(cpu):.0f} ms ({body['total']} ranked, {body['excluded']} excluded, "
              f"top score {body['rows'][0]['score'] if body['rows'] else 0:.3f})")
    app.extensions["skillproof.db"].dispose()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--candidates", type=int, default=10000)
    parser.add_argument("--credentials", type=int, default=5, help="per candidate")
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--postgres", default="postgresql://postgres@127.0.0.1:5432/postgres",
                        help="an admin URL; a scratch database is made and dropped")
    parser.add_argument("--sqlite-only", action="store_true")
    parser.add_argument("--profile", action="store_true", help="print where one shortlist call spends its time")
    args = parser.parse_args()
    taxonomy = matcher.load_taxonomy()
    print(f"taxonomy: {taxonomy.name}, {len(taxonomy.skills)} skills; load average "
          + " ".join(f"{x:.1f}" for x in os.getloadavg()) + f" on {os.cpu_count()} CPUs")
    with tempfile.TemporaryDirectory() as folder:
        measure(f"sqlite:///{Path(folder) / 'bench.sqlite3'}", "SQLite", args, taxonomy)
    if args.sqlite_only:
        return 0
    try:
        url = create_database(args.postgres)
    except Exception as exc:  # noqa: BLE001
        print(f"PostgreSQL: skipped ({type(exc).__name__}: {exc})")
        return 0
    try:
        measure(url, "PostgreSQL", args, taxonomy)
    finally:
        drop_database(args.postgres, url)
    return 0


if __name__ == "__main__":
    sys.exit(main())
