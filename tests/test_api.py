"""The JSON API through the Flask test client, on SQLite and PostgreSQL: every endpoint with
success, bad input, no key, a read-only key on a write endpoint, and a missing id."""
from __future__ import annotations

import io
import json
import zipfile

import pytest

from tests.vcfactory import Issuer as VCIssuer, badge as vc_badge
from tests.webapp_fixtures import *  # noqa: F401,F403
from tests.webapp_fixtures import OCCUPATION, is_problem, selects_from, skill_uri, wait_for_job


def new_candidate(api, **fields):
    body = {"name": "Ada Lovelace", "email": "ada@example.org", **fields}
    response = api.post("/candidates", json=body)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def sql_badge(issuer, email="ada@example.org", **kwargs):
    return issuer.badge(email=email, name=kwargs.pop("name", "Database querying"), tags=kwargs.pop("tags", ("SQL",)),
                        **kwargs)


# -- auth, for every endpoint ---------------------------------------------------------------

WRITE_ENDPOINTS = [("post", "/candidates", {"name": "x"}), ("patch", "/candidates/1", {"name": "x"}),
                   ("delete", "/candidates/1", None), ("post", "/candidates/1/credentials", {"url": "https://x.test/a"}),
                   ("post", "/candidates/1/reverify", None), ("post", "/roles", {"title": "x"}),
                   ("put", "/roles/1", {"title": "x"}), ("post", "/reverify", None)]
READ_ENDPOINTS = [("get", "/candidates", None), ("get", "/candidates/1", None),
                  ("get", "/candidates/1/credentials", None), ("get", "/roles", None), ("get", "/roles/1", None),
                  ("get", "/roles/1/shortlist", None), ("get", "/jobs/1", None),
                  ("post", "/verify", {"verifiableCredential": {}})]


@pytest.mark.parametrize("method,path,body", WRITE_ENDPOINTS + READ_ENDPOINTS)
def test_every_endpoint_needs_a_key(anonymous, method, path, body):
    response = getattr(anonymous, method)(path, json=body)
    assert is_problem(response, 401)
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize("method,path,body", WRITE_ENDPOINTS + READ_ENDPOINTS)
def test_a_wrong_key_is_refused(client, method, path, body):
    from tests.webapp_fixtures import Api
    for token in ("sp_000000000000_nope", "not-a-key", ""):
        response = getattr(Api(client, token or None), method)(path, json=body,
                                                               headers={"Authorization": f"Bearer {token}"})
        assert is_problem(response, 401)


@pytest.mark.parametrize("method,path,body", WRITE_ENDPOINTS)
def test_a_read_key_cannot_write(reader, method, path, body):
    assert is_problem(getattr(reader, method)(path, json=body), 403)


def test_a_read_key_reads(reader, api):
    candidate = new_candidate(api)
    assert reader.get(f"/candidates/{candidate['id']}").status_code == 200
    assert reader.get("/candidates").status_code == 200


@pytest.mark.parametrize("method,path,body", [
    ("get", "/candidates/999999", None), ("patch", "/candidates/999999", {"name": "x"}),
    ("delete", "/candidates/999999", None), ("post", "/candidates/999999/credentials", {"url": "https://x.test/a"}),
    ("get", "/candidates/999999/credentials", None), ("post", "/candidates/999999/reverify", None),
    ("get", "/roles/999999", None), ("put", "/roles/999999", {"title": "x", "requirements": ["SQL"]}),
    ("get", "/roles/999999/shortlist", None), ("get", "/jobs/999999", None)])
def test_missing_ids_are_404(api, method, path, body):
    assert is_problem(getattr(api, method)(path, json=body), 404)


# -- errors in general ------------------------------------------------------------------------


def test_errors_are_problem_documents(api, client):
    assert is_problem(client.get("/api/v1/nothing-here"), 404)
    response = api.delete("/candidates")
    assert is_problem(response, 405) and "GET" in response.headers["Allow"]
    assert is_problem(api.post("/candidates", data="name=x", content_type="application/x-www-form-urlencoded"), 415)
    assert is_problem(api.post("/candidates", data="{not json", content_type="application/json"), 400)
    assert is_problem(api.post("/candidates", json=["a list"]), 422)
    assert is_problem(api.get("/candidates?limit=ten"), 400)
    assert is_problem(api.get("/candidates?limit=100000"), 400)


def test_oversized_bodies_get_413(api):
    candidate = new_candidate(api)
    response = api.post(f"/candidates/{candidate['id']}/credentials", data=b"x" * (3 * 1024 * 1024),
                        content_type="application/json")
    assert is_problem(response, 413)


# -- candidates ---------------------------------------------------------------------------------


def test_candidate_lifecycle(api):
    created = new_candidate(api, external_id="ats-1", photo_url="https://photos.test/ada.jpg")
    assert created["name"] == "Ada Lovelace" and created["external_id"] == "ats-1"
    path = f"/candidates/{created['id']}"
    got = api.get(path).get_json()
    assert got["email"] == "ada@example.org" and got["credentials"] == []
    changed = api.patch(path, json={"name": "Ada King", "photo_url": None}).get_json()
    assert changed["name"] == "Ada King" and changed["photo_url"] is None and changed["email"] == "ada@example.org"
    assert is_problem(api.post("/candidates", json={"name": "Twin", "external_id": "ats-1"}), 409)


@pytest.mark.parametrize("body", [{}, {"name": ""}, {"name": 7}, {"name": "x", "email": "not-an-email"},
                                  {"name": "x", "photo_url": "javascript:alert(1)"}, {"name": "x", "age": 40},
                                  {"name": "x" * 301}])
def test_bad_candidates_are_422(api, body):
    assert is_problem(api.post("/candidates", json=body), 422)


def test_bad_patch_is_422_and_changes_nothing(api):
    candidate = new_candidate(api)
    path = f"/candidates/{candidate['id']}"
    assert is_problem(api.patch(path, json={"name": "", "email": "new@example.org"}), 422)
    assert api.get(path).get_json()["email"] == "ada@example.org"


def test_candidates_are_paginated(api):
    for n in range(3):
        new_candidate(api, name=f"Page {n}")
    first = api.get("/candidates?limit=2&offset=0").get_json()
    assert first["limit"] == 2 and len(first["items"]) == 2 and first["total"] >= 3 and "next" in first
    second = api.get(first["next"].replace("/api/v1", "")).get_json()
    assert {c["id"] for c in first["items"]}.isdisjoint({c["id"] for c in second["items"]})
    ids = [c["id"] for c in first["items"] + second["items"]]
    assert ids == sorted(ids)


@pytest.mark.parametrize("path", ["/candidates", "/roles"])
def test_an_offset_too_large_for_the_database_is_400(api, path):
    assert is_problem(api.get(f"{path}?offset=99999999999999999999"), 400)
    assert api.get(f"{path}?offset=2147483647").get_json()["items"] == []


# -- credentials ----------------------------------------------------------------------------------


def test_add_a_json_credential_stores_report_and_evidence(api, issuer):
    candidate = new_candidate(api)
    response = api.post(f"/candidates/{candidate['id']}/credentials", data=sql_badge(issuer),
                        content_type="application/json")
    assert response.status_code == 201
    stored = response.get_json()["credentials"][0]
    assert stored["status"] == "created" and stored["verdict"] == "valid" and stored["verified"]
    assert stored["report"]["verdict"] == "valid" and {c["id"] for c in stored["report"]["checks"]} >= {"hosted"}
    assert any(e["skill_uri"] == skill_uri("sql") and e["signal"] == {"field": "tag", "text": "SQL"}
               for e in stored["evidence"])


def test_a_candidate_with_its_reports_is_read_in_a_fixed_number_of_queries(api, issuer, app):
    candidate = new_candidate(api, email="many@example.org")
    for n in range(3):
        response = api.post(f"/candidates/{candidate['id']}/credentials", content_type="application/json",
                            data=sql_badge(issuer, email="many@example.org", name=f"Badge {n}"))
        assert response.status_code == 201
    assert api.post(f"/candidates/{candidate['id']}/reverify").status_code == 200
    with selects_from(app, "verification_reports") as seen:
        body = api.get(f"/candidates/{candidate['id']}").get_json()
    assert [len(c["reports"]) for c in body["credentials"]] == [2, 2, 2]
    for credential in body["credentials"]:
        ids = [r["id"] for r in credential["reports"]]
        assert ids == sorted(ids) and len(set(ids)) == 2
    assert len(seen) == 2, seen


def test_the_same_credential_is_stored_once(api, issuer):
    candidate = new_candidate(api)
    data = sql_badge(issuer)
    path = f"/candidates/{candidate['id']}/credentials"
    first = api.post(path, data=data, content_type="application/json")
    second = api.post(path, data=data, content_type="application/json")
    assert first.status_code == 201 and second.status_code == 200
    assert second.get_json()["credentials"][0]["status"] == "duplicate"
    assert second.get_json()["credentials"][0]["id"] == first.get_json()["credentials"][0]["id"]
    assert len(api.get(f"/candidates/{candidate['id']}").get_json()["credentials"]) == 1


def test_add_credentials_as_files_url_and_wrapped_json(api, issuer):
    candidate = new_candidate(api)
    path = f"/candidates/{candidate['id']}/credentials"
    files = {"file": [(io.BytesIO(sql_badge(issuer)), "one.json"), (io.BytesIO(sql_badge(issuer)), "two.json")]}
    response = api.post(path, data=files, content_type="multipart/form-data")
    assert response.status_code == 201
    assert [c["source"] for c in response.get_json()["credentials"]] == ["one.json", "two.json"]
    url = json.loads(sql_badge(issuer))["id"]
    by_url = api.post(path, json={"url": url})
    assert by_url.status_code == 201 and by_url.get_json()["credentials"][0]["verdict"] == "valid"
    wrapped = api.post(path, json={"credential": json.loads(sql_badge(issuer))})
    assert wrapped.status_code == 201
    assert len(api.get(path).get_json()["credentials"]) == 4


def test_an_ob3_credential_signed_by_a_test_issuer(api):
    candidate = new_candidate(api, email="ada@example.org")
    vc_issuer = VCIssuer(seed=7)
    document = vc_issuer.sign(vc_badge(vc_issuer.did, credentialSubject={
        "type": ["AchievementSubject"],
        "identifier": [{"type": "IdentityObject", "identityType": "emailAddress", "hashed": False,
                        "identityHash": "ada@example.org"}],
        "achievement": {"id": "https://example.org/achievements/py", "type": ["Achievement"], "name": "Python",
                        "description": "Writes Python programs.", "criteria": {"narrative": "Passed."},
                        "tag": ["Python"]}}))
    response = api.post(f"/candidates/{candidate['id']}/credentials", json=document)
    assert response.status_code == 201, response.get_json()
    stored = response.get_json()["credentials"][0]
    assert stored["format"].startswith("ob3") and stored["verified"], stored["report"]["checks"]
    assert skill_uri("python") in {e["skill_uri"] for e in stored["evidence"]}


def test_a_zip_of_many_credentials_runs_as_a_job(api, issuer):
    candidate = new_candidate(api)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for n in range(7):
            archive.writestr(f"badges/b{n}.json", sql_badge(issuer))
        archive.writestr("badges/readme.md", "not a credential")
        archive.writestr("broken.json", "{not json")
    response = api.post(f"/candidates/{candidate['id']}/credentials",
                        data={"file": (io.BytesIO(buffer.getvalue()), "badges.zip")}, content_type="multipart/form-data")
    assert response.status_code == 202
    assert response.headers["Location"].endswith(f"/jobs/{response.get_json()['id']}")
    job = wait_for_job(api, response.get_json()["id"])
    assert job["status"] == "done" and job["total"] == 8 and job["succeeded"] == 7 and job["failed"] == 1
    failed = [i for i in job["items"] if i["status"] == "failed"]
    assert failed[0]["name"].endswith("broken.json") and failed[0]["problem"]["status"] == 422
    assert len(api.get(f"/candidates/{candidate['id']}/credentials").get_json()["credentials"]) == 7


def test_a_text_file_of_urls(api, issuer):
    candidate = new_candidate(api)
    urls = "\n".join(json.loads(sql_badge(issuer))["id"] for _ in range(2))
    response = api.post(f"/candidates/{candidate['id']}/credentials",
                        data={"file": (io.BytesIO(urls.encode()), "urls.txt")}, content_type="multipart/form-data")
    assert response.status_code == 201
    assert [c["verdict"] for c in response.get_json()["credentials"]] == ["valid", "valid"]


@pytest.mark.parametrize("kwargs,status", [
    ({"data": b"this is not a badge", "content_type": "text/plain"}, 422),
    ({"json": {"hello": "world"}}, 422),
    ({"json": {"url": "ftp://example.org/x"}}, 422),
    ({"json": {"credential": 42}}, 422),
    ({"data": b"", "content_type": "text/plain"}, 400),
    ({"data": {"file": (b"PK\x03\x04broken", "a.zip")}, "content_type": "multipart/form-data"}, 422),
    ({"data": {"other": "x"}, "content_type": "multipart/form-data"}, 400),
])
def test_bad_credentials_are_refused_and_store_nothing(api, kwargs, status):
    candidate = new_candidate(api)
    if isinstance(kwargs.get("data"), dict) and "file" in kwargs["data"]:  # a fresh stream on every run
        content, name = kwargs["data"]["file"]
        kwargs = {**kwargs, "data": {"file": (io.BytesIO(content), name)}}
    response = api.post(f"/candidates/{candidate['id']}/credentials", **kwargs)
    assert is_problem(response, status)
    assert api.get(f"/candidates/{candidate['id']}/credentials").get_json()["credentials"] == []


@pytest.mark.parametrize("form", [{"urls": "ftp://example.org/x"}, {"url": "file:///etc/passwd"},
                                  {"file": b"{}", "urls": "https://issuer.test/a ftp://example.org/x"}])
def test_form_addresses_must_be_web_addresses(api, form):
    candidate = new_candidate(api)
    data = {k: (io.BytesIO(v), "a.json") if isinstance(v, bytes) else v for k, v in form.items()}
    response = api.post(f"/candidates/{candidate['id']}/credentials", data=data, content_type="multipart/form-data")
    assert is_problem(response, 422) and "http(s) URLs" in response.get_json()["detail"]
    assert api.get(f"/candidates/{candidate['id']}").get_json()["credentials"] == []


def test_reverify_adds_a_report_and_sees_a_revocation(api, issuer):
    candidate = new_candidate(api)
    data = sql_badge(issuer)
    api.post(f"/candidates/{candidate['id']}/credentials", data=data, content_type="application/json")
    issuer.revoke(data)
    response = api.post(f"/candidates/{candidate['id']}/reverify")
    assert response.status_code == 200
    credential = response.get_json()["credentials"][0]
    assert credential["verdict"] == "invalid" and credential["report"]["verdict"] == "invalid"
    history = api.get(f"/candidates/{candidate['id']}").get_json()["credentials"][0]["reports"]
    assert [r["verdict"] for r in history] == ["valid", "invalid"]


def test_reverify_everything_in_the_background(api, issuer):
    candidate = new_candidate(api)
    api.post(f"/candidates/{candidate['id']}/credentials", data=sql_badge(issuer), content_type="application/json")
    response = api.post("/reverify")
    assert response.status_code == 202
    job = wait_for_job(api, response.get_json()["id"])
    assert job["status"] == "done" and job["total"] >= 1 and job["failed"] == 0
    assert api.post(f"/candidates/{candidate['id']}/reverify?background=true").status_code == 202
    assert is_problem(api.post(f"/candidates/{candidate['id']}/reverify?background=maybe"), 400)


def test_erasing_a_candidate_removes_personal_data_and_credentials(api, issuer, app):
    candidate = new_candidate(api, name="Erin Erased", email="erin@example.org", external_id="erase-me")
    api.post(f"/candidates/{candidate['id']}/credentials", data=sql_badge(issuer, email="erin@example.org"),
             content_type="application/json")
    assert api.delete(f"/candidates/{candidate['id']}").status_code == 204
    assert is_problem(api.get(f"/candidates/{candidate['id']}"), 404)
    from sqlalchemy import select, text
    from webapp.db import get_db
    from webapp.models import AuditEntry
    with get_db(app).session() as session:
        for table in ("candidates", "credentials", "verification_reports", "evidence"):
            column = "id" if table == "candidates" else ("candidate_id" if table != "verification_reports" else
                                                          "credential_id")
            if table == "verification_reports":
                continue
            assert session.execute(text(f"SELECT count(*) FROM {table} WHERE {column} = :c"),
                                   {"c": candidate["id"]}).scalar() == 0
        entries = session.scalars(select(AuditEntry).where(AuditEntry.target == f"candidate:{candidate['id']}")
                                  .order_by(AuditEntry.id)).all()
        assert [e.action for e in entries][-1] == "candidate.erase"
        dump = json.dumps([[e.action, e.target, e.details] for e in entries])
        assert "Erin" not in dump and "erin@example.org" not in dump and "erase-me" not in dump
        orphans = session.execute(text("SELECT count(*) FROM verification_reports r LEFT JOIN credentials c "
                                       "ON c.id = r.credential_id WHERE c.id IS NULL")).scalar()
        assert orphans == 0


# -- verify -----------------------------------------------------------------------------------------


def test_verify_answers_in_the_vc_api_shape(api, reader, issuer):
    response = reader.post("/verify", json={"verifiableCredential": json.loads(sql_badge(issuer))})
    body = response.get_json()
    assert response.status_code == 200 and body["verified"] is True and body["problemDetails"] == []
    assert {r["id"] for r in body["results"]} >= {"input", "hosted"} and body["report"]["verdict"] == "valid"
    revoked = sql_badge(issuer)
    issuer.revoke(revoked)
    body = reader.post("/verify", data={"file": (io.BytesIO(revoked), "b.json")},
                       content_type="multipart/form-data").get_json()
    assert body["verified"] is False and any(p["check"] == "status" for p in body["problemDetails"])
    before = api.get("/candidates?limit=1").get_json()["total"]
    assert api.get("/candidates?limit=1").get_json()["total"] == before  # nothing stored


@pytest.mark.parametrize("kwargs,status", [({"json": {"something": 1}}, 422), ({"json": [1]}, 422),
                                           ({"json": {"verifiableCredential": "garbage"}}, 422),
                                           ({"data": "x=1", "content_type": "application/x-www-form-urlencoded"}, 415)])
def test_verify_bad_input(reader, kwargs, status):
    assert is_problem(reader.post("/verify", **kwargs), status)


# -- roles and shortlists ---------------------------------------------------------------------------


def test_roles_crud(api):
    created = api.post("/roles", json={"title": "Data analyst", "occupation": OCCUPATION,
                                       "requirements": [{"skill": "Python", "weight": 2, "must_have": True}],
                                       "must_have_policy": "exclude"})
    assert created.status_code == 201
    role = created.get_json()
    by_skill = {r["skill"]: r for r in role["requirements"]}
    assert by_skill[skill_uri("python")]["must_have"] and by_skill[skill_uri("sql")]["weight"] == 1.0
    assert len(by_skill) == 5 and role["version"] == 1
    replaced = api.put(f"/roles/{role['id']}", json={"title": "Analyst", "requirements": ["SQL", "statistics"]})
    assert replaced.status_code == 200
    assert [r["skill"] for r in replaced.get_json()["requirements"]] == [skill_uri("sql"), skill_uri("statistics")]
    assert replaced.get_json()["version"] == 2
    assert api.get(f"/roles/{role['id']}").get_json()["title"] == "Analyst"
    assert role["id"] in [r["id"] for r in api.get("/roles").get_json()["items"]]


@pytest.mark.parametrize("body", [{}, {"title": "x"}, {"title": "x", "requirements": ["basket weaving"]},
                                  {"title": "x", "requirements": [{"skill": "SQL", "weight": -1}]},
                                  {"title": "x", "requirements": [{"skill": "SQL", "must_have": "yes"}]},
                                  {"title": "x", "occupation": "astronaut"},
                                  {"title": "x", "requirements": ["SQL"], "must_have_policy": "maybe"},
                                  {"title": "x", "requirements": ["SQL"], "top_n": 0},
                                  {"title": "x", "requirements": ["SQL"],
                                   "verification_policy": {"must_have": {"min_standing": "invalid"}}},
                                  {"title": "x", "requirements": "SQL"}])
def test_bad_roles_are_422(api, body):
    assert is_problem(api.post("/roles", json=body), 422)


def test_a_bad_put_changes_nothing(api):
    role = api.post("/roles", json={"title": "Keeper", "requirements": ["SQL"]}).get_json()
    assert is_problem(api.put(f"/roles/{role['id']}", json={"title": "x", "requirements": ["basket weaving"]}), 422)
    assert api.get(f"/roles/{role['id']}").get_json() == role


def test_shortlist_ranks_explains_and_filters(api, issuer):
    strong = new_candidate(api, name="Strong", email="strong@example.org")
    weak = new_candidate(api, name="Weak", email="weak@example.org")
    broad = new_candidate(api, name="Broad", email="broad@example.org")
    api.post(f"/candidates/{strong['id']}/credentials", content_type="application/json",
             data=issuer.badge(email="strong@example.org", name="SQL and Python", tags=("SQL", "Python"),
                               host="trusted.test"))
    wrong = issuer.badge(email="someone-else@example.org", name="SQL", tags=("SQL", "Python"))
    api.post(f"/candidates/{weak['id']}/credentials", data=wrong, content_type="application/json")
    api.post(f"/candidates/{broad['id']}/credentials", content_type="application/json",
             data=issuer.badge(email="broad@example.org", name="Queries", tags=("SPARQL",)))
    role = api.post("/roles", json={"title": "Querying", "top_n": 1, "requirements": [
        {"skill": "query languages", "weight": 2, "must_have": True}, {"skill": "Python"}]}).get_json()
    body = api.get(f"/roles/{role['id']}/shortlist?limit=50").get_json()
    ours = [r for r in body["rows"] if r["candidate"]["id"] in (strong["id"], weak["id"], broad["id"])]
    assert [r["candidate"]["name"] for r in ours] == ["Strong", "Broad", "Weak"]
    top = ours[0]
    assert top["rank"] == 1 and top["must_haves_met"] and top["policy"]["must_have_policy"] == "rank_below"
    covered = {q["skill"]: q for q in top["requirements"]}
    ql = covered[skill_uri("query-languages")]
    assert ql["evidence"]["hierarchy"]["via"] == skill_uri("sql") and ql["evidence"]["verdict"] == "valid"
    assert ql["evidence"]["issuer"]["trust"] == "trusted" and ql["evidence"]["signal"]["text"] == "SQL"
    assert top["move_up"] is None and top["gaps"] == []
    broad_row = ours[1]
    assert [g["skill"] for g in broad_row["gaps"]] == [skill_uri("python")]
    assert broad_row["move_up"]["requirements"][0]["skill"] in (skill_uri("python"), skill_uri("query-languages"))
    weak_row = ours[2]
    assert not weak_row["must_haves_met"] and weak_row["score"] == 0
    assert {g["kind"] for g in weak_row["gaps"]} == {"unverified"}
    # stable order on a second call
    assert api.get(f"/roles/{role['id']}/shortlist?limit=50").get_json()["rows"] == body["rows"]
    blind = api.get(f"/roles/{role['id']}/shortlist?blind=true&limit=50").get_json()
    assert all(set(r["candidate"]) == {"id"} for r in blind["rows"])
    assert "strong@example.org" not in json.dumps(blind)
    high = api.get(f"/roles/{role['id']}/shortlist?min_score=0.5&limit=50").get_json()
    assert high["rows"] and all(r["score"] >= 0.5 for r in high["rows"])
    page = api.get(f"/roles/{role['id']}/shortlist?limit=1&offset=1").get_json()
    assert page["rows"][0]["rank"] == 2


def test_verified_only_drops_unverified_evidence(api, issuer):
    candidate = new_candidate(api, name="Pending", email="pending@example.org")
    data = issuer.badge(email="pending@example.org", name="Statistics", tags=("statistics",))
    api.post(f"/candidates/{candidate['id']}/credentials", data=data, content_type="application/json")
    issuer.unreachable(data)
    api.post(f"/candidates/{candidate['id']}/reverify")
    verdict = api.get(f"/candidates/{candidate['id']}/credentials").get_json()["credentials"][0]["verdict"]
    assert verdict in ("indeterminate", "invalid")
    role = api.post("/roles", json={"title": "Statistician", "requirements": ["statistics"]}).get_json()
    rows = {r["candidate"]["id"]: r for r in api.get(f"/roles/{role['id']}/shortlist?limit=200").get_json()["rows"]}
    strict = {r["candidate"]["id"]: r for r in
              api.get(f"/roles/{role['id']}/shortlist?verified_only=1&limit=200").get_json()["rows"]}
    assert strict[candidate["id"]]["score"] == 0
    assert rows[candidate["id"]]["score"] >= strict[candidate["id"]]["score"]


@pytest.mark.parametrize("query", ["limit=0", "limit=x", "offset=-1", "verified_only=perhaps", "min_score=2",
                                   "min_score=abc", "top_n=0"])
def test_shortlist_bad_query(api, query):
    role = api.post("/roles", json={"title": "Q", "requirements": ["SQL"]}).get_json()
    assert is_problem(api.get(f"/roles/{role['id']}/shortlist?{query}"), 400)


# -- jobs and the OpenAPI document ----------------------------------------------------------------


def test_job_bad_query(api):
    assert is_problem(api.get("/jobs/abc"), 404)


def test_openapi_documents_every_route(client, app):
    document = client.get("/api/v1/openapi.json").get_json()
    assert document["openapi"].startswith("3.1")
    documented = {(path, method) for path, ops in document["paths"].items() for method in ops if method != "parameters"}
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1"):
            continue
        path = rule.rule[len("/api/v1"):].replace("<int:", "{").replace(">", "}")
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            assert (path, method.lower()) in documented, (path, method)
    for path, ops in document["paths"].items():
        for method, op in ops.items():
            if method == "parameters" or path == "/openapi.json":
                continue
            view = app.view_functions[next(r.endpoint for r in app.url_map.iter_rules()
                                           if r.rule == "/api/v1" + path.replace("{", "<int:").replace("}", ">")
                                           and method.upper() in r.methods)]
            assert op["x-required-scope"] == view.required_scope, (path, method)


def test_one_trust_policy_verifies_and_weighs(api, issuer):
    """The employer's deny list fails the issuer check and the evidence counts nothing;
    an issuer on neither list passes verification with a warning and counts at the unknown weight."""
    denied = new_candidate(api, name="Denied", email="denied@example.org")
    unknown = new_candidate(api, name="Unknown", email="unknown@example.org")
    stored = api.post(f"/candidates/{denied['id']}/credentials", content_type="application/json",
                      data=issuer.badge(email="denied@example.org", name="Ledger", tags=("SQL",),
                                        host="rogue.test")).get_json()["credentials"][0]
    assert stored["verdict"] == "invalid"
    issuer_checks = [c for c in stored["report"]["checks"] if c["id"] == "issuer"]
    assert issuer_checks[0]["outcome"] == "failed" and issuer_checks[0]["problem"]["type"].endswith("issuer_denied")
    stored = api.post(f"/candidates/{unknown['id']}/credentials", content_type="application/json",
                      data=issuer.badge(email="unknown@example.org", name="Ledger", tags=("SQL",),
                                        host="elsewhere.test")).get_json()["credentials"][0]
    assert stored["verdict"] == "valid-with-warnings"
    role = api.post("/roles", json={"title": "Ledger keeper", "requirements": ["SQL"]}).get_json()
    rows = {r["candidate"]["id"]: r for r in api.get(f"/roles/{role['id']}/shortlist?limit=100").get_json()["rows"]}
    assert rows[denied["id"]]["score"] == 0
    evidence = rows[unknown["id"]]["requirements"][0]["evidence"]
    assert rows[unknown["id"]]["score"] > 0 and evidence["issuer"]["trust"] == "unknown"
