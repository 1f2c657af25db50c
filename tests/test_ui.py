"""The web pages through the Flask test client: sign-in, roles, CSRF, escaping of badge data,
upload with live results, candidates, roles, the shortlist and its CSV, admin pages, the demo."""
from __future__ import annotations

import csv
import io
import json
import re
import time
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests.webapp_fixtures import *  # noqa: F401,F403
from tests.webapp_fixtures import OCCUPATION, selects_from, skill_uri

TEMPLATES = Path(__file__).resolve().parents[1] / "webapp" / "templates"
PASSWORD = "a long passphrase"
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture(scope="module")
def users(app):
    from webapp.auth import create_user
    from webapp.db import get_db
    with get_db(app).transaction() as session:
        for name, role in (("ada-admin", "admin"), ("rex-recruiter", "recruiter"), ("hana-manager", "hiring_manager")):
            create_user(session, name, PASSWORD, role)
    return {"admin": "ada-admin", "recruiter": "rex-recruiter", "hiring_manager": "hana-manager"}


@pytest.fixture(scope="module")
def demo_issuer():
    from webapp.demo import DemoIssuer
    return DemoIssuer.generate()


def csrf_of(client, path: str = "/login") -> str:
    response = client.get(path)
    match = TOKEN.search(response.get_data(as_text=True))
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def sign_in(client, username: str, password: str = PASSWORD):
    return client.post("/login", data={"username": username, "password": password, "csrf_token": csrf_of(client)})


@pytest.fixture
def as_role(app, users):
    """A fresh client signed in with a role: ``as_role("recruiter")``."""
    def make(role: str):
        client = app.test_client()
        response = sign_in(client, users[role])
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        client.token = csrf_of(client, "/")
        return client
    return make


def wait_job(app, job_id: int, timeout: float = 30.0):
    from webapp.db import get_db
    from webapp.models import Job
    deadline = time.monotonic() + timeout
    while True:
        with get_db(app).session() as session:
            job = session.get(Job, job_id)
            if job.status in ("done", "failed") or time.monotonic() > deadline:
                return job
        time.sleep(0.05)


def upload(client, files: list[tuple[str, bytes]], *, candidate="new", name="", email="", urls="", token=None):
    data = {"candidate": str(candidate), "name": name, "email": email, "urls": urls,
            "csrf_token": client.token if token is None else token,
            "files": [(io.BytesIO(content), filename) for filename, content in files]}
    return client.post("/upload", data=data, content_type="multipart/form-data")


def uploaded(app, client, files, **kwargs) -> tuple[int, str]:
    """Upload, wait for the job, and return (job id, the job page)."""
    response = upload(client, files, **kwargs)
    assert response.status_code == 303, response.get_data(as_text=True)[:800]
    job_id = int(response.headers["Location"].rstrip("/").rsplit("/", 1)[1])
    job = wait_job(app, job_id)
    assert job.status == "done"
    return job_id, client.get(f"/uploads/{job_id}").get_data(as_text=True)


def candidate_id_of(app, name: str) -> int:
    from webapp.db import get_db
    from webapp.models import Candidate
    with get_db(app).session() as session:
        return session.scalar(select(Candidate.id).where(Candidate.name == name))


# -- sign-in, sessions, pages that need it ----------------------------------------------------


def test_every_page_needs_a_signed_in_user(app, users):
    client = app.test_client()
    token = csrf_of(client, "/login")  # a signed-out session's token: the CSRF check passes, sign-in is what stops
    checked = posts = 0
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("ui.") or rule.endpoint == "ui.login":
            continue
        url = re.sub(r"<(?:int:)?[a-z_]+>", "1", rule.rule)
        method = "GET" if "GET" in rule.methods else "POST"
        response = client.open(url, method=method, data={"csrf_token": token} if method == "POST" else None)
        assert response.status_code == 302 and "/login" in response.headers["Location"], url
        posts += method == "POST"
        checked += 1
    assert checked >= 20 and posts >= 5


def test_sign_in_out_and_the_session_cookie(app, users):
    client = app.test_client()
    wrong = sign_in(client, users["recruiter"], "not the password")
    assert wrong.status_code == 401 and "do not match" in wrong.get_data(as_text=True)
    unknown = sign_in(client, "nobody-here")
    assert unknown.status_code == 401
    right = sign_in(client, users["recruiter"])
    assert right.status_code == 302 and right.headers["Location"] == "/"
    cookie = right.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    home = client.get("/")
    assert home.status_code == 200 and "rex-recruiter" in home.get_data(as_text=True)
    out = client.post("/logout", data={"csrf_token": csrf_of(client, "/")})
    assert out.status_code == 302
    assert client.get("/").status_code == 302


def test_sign_in_goes_back_only_to_a_page_of_this_site(app, users):
    client = app.test_client()
    token = csrf_of(client)
    good = client.post("/login?next=/roles", data={"username": users["recruiter"], "password": PASSWORD,
                                                   "csrf_token": token})
    assert good.headers["Location"] == "/roles"
    client = app.test_client()
    token = csrf_of(client)
    evil = client.post("/login?next=//evil.example/x", data={"username": users["recruiter"], "password": PASSWORD,
                                                              "csrf_token": token})
    assert evil.headers["Location"] == "/"


def test_a_changed_password_ends_other_sessions(app, as_role):
    from webapp.auth import create_user
    from webapp.db import get_db
    with get_db(app).transaction() as session:
        create_user(session, "temp-user", PASSWORD, "hiring_manager")
    user_client = app.test_client()
    sign_in(user_client, "temp-user")
    assert user_client.get("/candidates").status_code == 200
    admin = as_role("admin")
    page = admin.get("/admin/users").get_data(as_text=True)
    user_id = re.search(r'/admin/users/(\d+)"[^>]*>\s*<input[^>]*>\s*<select name="role" aria-label="role of temp-user"',
                        page).group(1)
    response = admin.post(f"/admin/users/{user_id}", data={"csrf_token": admin.token, "role": "hiring_manager",
                                                           "password": "another long one"})
    assert response.status_code == 303
    assert user_client.get("/candidates").status_code == 302  # signed out


# -- CSRF -----------------------------------------------------------------------------------------


def test_a_form_without_the_csrf_token_is_refused(app, as_role):
    recruiter = as_role("recruiter")
    before = _count_candidates(app)
    missing = upload(recruiter, [], name="Nobody", urls="https://example.org/a.json", token="")
    wrong = upload(recruiter, [], name="Nobody", urls="https://example.org/a.json", token="x" * 43)
    for response in (missing, wrong):
        assert response.status_code == 400 and response.mimetype == "text/html"
        assert "The form has expired" in response.get_data(as_text=True)
    assert _count_candidates(app) == before
    anonymous = app.test_client()
    login = anonymous.post("/login", data={"username": "rex-recruiter", "password": PASSWORD})
    assert login.status_code == 400
    assert recruiter.post("/logout").status_code == 400
    assert recruiter.get("/").status_code == 200  # still signed in


def test_the_api_keeps_bearer_keys_and_needs_no_csrf_token(api):
    response = api.post("/candidates", json={"name": "Api Person"})
    assert response.status_code == 201


def _count_candidates(app) -> int:
    from webapp.db import get_db
    from webapp.models import Candidate
    with get_db(app).session() as session:
        return session.scalar(select(func.count(Candidate.id)))


# -- roles --------------------------------------------------------------------------------------


def test_a_hiring_manager_reads_but_cannot_upload_or_delete(app, as_role, api):
    candidate = api.post("/candidates", json={"name": "Kept Person"}).get_json()["id"]
    manager = as_role("hiring_manager")
    refused = manager.get("/upload")
    assert refused.status_code == 403 and refused.mimetype == "text/html"
    text = refused.get_data(as_text=True)
    assert "You don't have access" in text and "recruiter" in text
    delete = manager.post(f"/candidates/{candidate}/delete", data={"csrf_token": manager.token})
    assert delete.status_code == 403
    assert manager.post("/upload", data={"csrf_token": manager.token}).status_code == 403
    page = manager.get(f"/candidates/{candidate}")
    assert page.status_code == 200 and "Kept Person" in page.get_data(as_text=True)
    assert "Erase candidate" not in page.get_data(as_text=True) and ">Upload<" not in page.get_data(as_text=True)
    assert manager.get("/roles").status_code == 200
    assert manager.get("/admin/users").status_code == 403
    assert api.get(f"/candidates/{candidate}").status_code == 200


def test_only_admins_manage_users_and_keys(app, as_role, client):
    recruiter = as_role("recruiter")
    assert recruiter.get("/admin/api-keys").status_code == 403
    assert recruiter.post("/admin/users", data={"csrf_token": recruiter.token, "username": "x",
                                                "password": PASSWORD, "role": "admin"}).status_code == 403
    admin = as_role("admin")
    created = admin.post("/admin/users", data={"csrf_token": admin.token, "username": "new-manager",
                                               "password": PASSWORD, "role": "hiring_manager"})
    assert created.status_code == 303
    fresh = app.test_client()
    assert sign_in(fresh, "new-manager").status_code == 302
    assert fresh.get("/upload").status_code == 403
    short = admin.post("/admin/users", data={"csrf_token": admin.token, "username": "shorty", "password": "short",
                                             "role": "recruiter"})
    assert short.status_code == 422 and "at least 8" in short.get_data(as_text=True)
    page = admin.post("/admin/api-keys", data={"csrf_token": admin.token, "scope": "read", "name": "ATS"})
    token = re.search(r'id="new-token">(sp_[^<]+)<', page.get_data(as_text=True)).group(1)
    assert client.get("/api/v1/candidates", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    key_id = re.search(r'/admin/api-keys/(\d+)/revoke', admin.get("/admin/api-keys").get_data(as_text=True)).group(1)
    assert admin.post(f"/admin/api-keys/{key_id}/revoke", data={"csrf_token": admin.token}).status_code == 303
    assert client.get("/api/v1/candidates", headers={"Authorization": f"Bearer {token}"}).status_code == 401


# -- upload, candidate page, escaping ---------------------------------------------------------------


def test_upload_shows_each_verdict_and_the_failing_check(app, as_role, demo_issuer):
    from webapp.demo import tampered
    recruiter = as_role("recruiter")
    good = demo_issuer.badge(achievement="SQL for analysts", email="lena@example.org",
                             skills=[("SQL", skill_uri("sql"))])
    bad = tampered(demo_issuer.badge(achievement="Statistics", email="lena@example.org",
                                     skills=[("statistics", skill_uri("statistics"))]))
    job_id, page = uploaded(app, recruiter, [("sql.json", good), ("stats.json", bad)], name="Lena Park",
                            email="lena@example.org")
    assert "2 of 2 processed" in page
    results = re.findall(r'<li data-pos="(\d)" data-status="(\w+)".*?</li>', page, re.S)
    assert [status for _, status in results] == ["done", "done"]
    items = page.split('<li data-pos="')[1:]
    assert "sql.json" in items[0] and "v-valid" in items[0] and "Invalid" not in items[0]
    assert "stats.json" in items[1] and "v-invalid" in items[1]
    assert "Signature" in items[1] and "does not match" in items[1]
    fragment = recruiter.get(f"/uploads/{job_id}/results").get_data(as_text=True)
    assert 'data-finished="yes"' in fragment and "<html" not in fragment
    candidate = recruiter.get(f"/candidates/{candidate_id_of(app, 'Lena Park')}").get_data(as_text=True)
    assert "SQL for analysts" in candidate and "Statistics (Advanced)" in candidate
    assert "All 9 checks" in candidate or "checks</summary>" in candidate
    assert "Skills evidenced" in candidate and ">SQL<" in candidate.replace("<td>SQL", ">SQL<")


def test_a_badge_field_with_script_is_shown_escaped(app, as_role, demo_issuer):
    recruiter = as_role("recruiter")
    script = "<script>alert('badge')</script>"
    badge = demo_issuer.badge(achievement=f"Evil {script}", email="eve@example.org",
                              description=f"<img src=x onerror=alert(1)> {script}",
                              skills=[("SQL", skill_uri("sql"))])
    document = json.loads(badge)
    document["issuer"]["name"] = script  # changes the signature: an invalid badge is shown too
    job_id, page = uploaded(app, recruiter, [(f"{script}.json", json.dumps(document).encode())],
                            name=f"Eve {script}", email="eve@example.org")
    candidate_page = recruiter.get(f"/candidates/{candidate_id_of(app, f'Eve {script}')}").get_data(as_text=True)
    listing = recruiter.get("/candidates").get_data(as_text=True)
    for text in (page, candidate_page, listing):
        assert "<script>alert" not in text and "<img src=x" not in text
        assert "&lt;script&gt;alert(" in text
    assert "Evil &lt;script&gt;" in candidate_page and "&lt;img src=x onerror=alert(1)&gt;" in candidate_page


def test_an_external_id_taken_meanwhile_is_a_form_error_not_a_server_error(app, api, as_role):
    from sqlalchemy import event
    from webapp.db import get_db
    from webapp.models import Candidate
    recruiter = as_role("recruiter")
    mine = api.post("/candidates", json={"name": "Mia Mine"}).get_json()["id"]
    api.post("/candidates", json={"name": "Oli Other", "external_id": "ATS-taken"})
    form = {"csrf_token": recruiter.token, "name": "Mia Mine", "email": "", "external_id": "ATS-taken"}
    taken = recruiter.post(f"/candidates/{mine}/edit", data=form)
    assert taken.status_code == 422 and "external_id exists" in taken.get_data(as_text=True)
    # another save takes the id between this save's checks and its write
    engine = get_db(app).engine
    raced = {"done": False}

    def competitor(conn, cursor, statement, parameters, context, executemany):
        if not raced["done"] and statement.lstrip().upper().startswith("UPDATE CANDIDATES"):
            raced["done"] = True
            with get_db(app).transaction() as other:
                other.add(Candidate(name="Fast Saver", external_id="ATS-raced"))
    event.listen(engine, "before_cursor_execute", competitor)
    try:
        lost = recruiter.post(f"/candidates/{mine}/edit", data={**form, "external_id": "ATS-raced"})
    finally:
        event.remove(engine, "before_cursor_execute", competitor)
    assert raced["done"]
    assert lost.status_code == 422 and "external_id exists" in lost.get_data(as_text=True)
    assert api.get(f"/candidates/{mine}").get_json()["external_id"] is None


def test_the_job_results_are_read_in_a_fixed_number_of_queries(app, as_role, demo_issuer):
    recruiter = as_role("recruiter")
    files = [(f"q{n}.json", demo_issuer.badge(achievement=f"Query badge {n}", email="quinn@example.org",
                                              skills=[("SQL", skill_uri("sql"))])) for n in range(3)]
    job_id, page = uploaded(app, recruiter, files, name="Quinn Query", email="quinn@example.org")
    assert page.count("v-valid") >= 3
    with selects_from(app, "verification_reports") as seen:
        fragment = recruiter.get(f"/uploads/{job_id}/results").get_data(as_text=True)
    assert fragment.count("v-valid") >= 3 and len(seen) == 1, seen


def test_the_candidate_list_takes_any_offset(as_role):
    recruiter = as_role("recruiter")
    for offset in ("99999999999999999999", "-5", "x"):
        assert recruiter.get(f"/candidates?offset={offset}").status_code == 200, offset


def test_templates_never_mark_data_safe_nor_inline_script_or_style():
    for path in TEMPLATES.glob("*.html"):
        text = path.read_text()
        assert "|safe" not in text.replace(" ", ""), path.name
        assert "autoescape false" not in text, path.name
        assert not re.search(r"<script(?![^>]*\bsrc=)", text), path.name
        assert not re.search(r"\son[a-z]+=", text), path.name
        assert not re.search(r"\sstyle=", text), path.name


def test_pages_carry_a_content_security_policy(as_role):
    response = as_role("recruiter").get("/upload")
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy and "img-src 'self'" in policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_upload_errors_are_explained(app, as_role, demo_issuer):
    recruiter = as_role("recruiter")
    nothing = upload(recruiter, [], name="Nobody")
    assert nothing.status_code == 422 and "Choose badge files" in nothing.get_data(as_text=True)
    not_url = upload(recruiter, [], name="Nobody", urls="ftp://example.org/x")
    assert not_url.status_code == 422 and "not web addresses" in not_url.get_data(as_text=True)
    no_name = upload(recruiter, [("a.json", b"{}")], name="")
    assert no_name.status_code == 422 and "needs a name" in no_name.get_data(as_text=True)
    huge = upload(recruiter, [("big.json", b"x" * (3 * 1024 * 1024))], name="Big")
    assert huge.status_code == 413 and huge.mimetype == "text/html"
    assert "too large" in huge.get_data(as_text=True) and "2 MB" in huge.get_data(as_text=True)
    broken_zip = upload(recruiter, [("b.zip", b"PK\x03\x04 not really")], name="Zip")
    assert broken_zip.status_code == 422 and "cannot be read" in broken_zip.get_data(as_text=True)


def test_a_zip_for_an_existing_candidate(app, as_role, demo_issuer, api):
    recruiter = as_role("recruiter")
    candidate = api.post("/candidates", json={"name": "Zed Zip", "email": "zed@example.org"}).get_json()["id"]
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        for n, skill in enumerate(("python", "java", "teamwork")):
            zipped.writestr(f"badges/{skill}.json", demo_issuer.badge(
                achievement=f"{skill} badge", email="zed@example.org", skills=[(skill, skill_uri(skill))]))
        zipped.writestr("__MACOSX/._python.json", b"junk")
    job_id, page = uploaded(app, recruiter, [("badges.zip", archive.getvalue())], candidate=candidate)
    assert "3 of 3 processed" in page and page.count("v-valid") >= 3 and "Zed Zip" in page


def test_badge_images_are_never_fetched_from_other_hosts(app, as_role, demo_issuer):
    recruiter = as_role("recruiter")
    png = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                        "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082")
    import base64
    remote = demo_issuer.credential(achievement="Remote image", email="img@example.org")
    remote["credentialSubject"]["achievement"]["image"] = {"id": "https://tracker.example/pixel.png", "type": "Image"}
    inline = demo_issuer.credential(achievement="Inline image", email="img@example.org")
    inline["credentialSubject"]["achievement"]["image"] = {
        "id": "data:image/png;base64," + base64.b64encode(png).decode(), "type": "Image"}
    files = [("remote.json", json.dumps(demo_issuer.sign(remote)).encode()),
             ("inline.json", json.dumps(demo_issuer.sign(inline)).encode())]
    uploaded(app, recruiter, files, name="Imogen", email="img@example.org")
    page = recruiter.get(f"/candidates/{candidate_id_of(app, 'Imogen')}").get_data(as_text=True)
    assert "tracker.example" not in page
    ids = re.findall(r'src="/credentials/(\d+)/image"', page)
    assert len(ids) == 2
    remote_image = recruiter.get(f"/credentials/{ids[0]}/image")
    assert remote_image.status_code == 302 and remote_image.headers["Location"].endswith("badge-placeholder.svg")
    inline_image = recruiter.get(f"/credentials/{ids[1]}/image")
    assert inline_image.status_code == 200 and inline_image.mimetype == "image/png" and inline_image.data == png


def test_recruiters_edit_reverify_and_delete(app, as_role, demo_issuer):
    recruiter = as_role("recruiter")
    uploaded(app, recruiter, [("t.json", demo_issuer.badge(achievement="Teamwork", email="tom@example.org",
                                                            skills=[("teamwork", skill_uri("teamwork"))]))],
             name="Tom Edit", email="tom@example.org")
    candidate = candidate_id_of(app, "Tom Edit")
    edited = recruiter.post(f"/candidates/{candidate}/edit", data={"csrf_token": recruiter.token, "name": "Tom Edited",
                                                                   "email": "tom@example.org", "external_id": ""})
    assert edited.status_code == 302
    bad_email = recruiter.post(f"/candidates/{candidate}/edit", data={"csrf_token": recruiter.token, "name": "T",
                                                                      "email": "not-an-email", "external_id": ""})
    assert bad_email.status_code == 422 and "not an email address" in bad_email.get_data(as_text=True)
    again = recruiter.post(f"/candidates/{candidate}/reverify", data={"csrf_token": recruiter.token},
                           follow_redirects=True)
    assert "Re-verified now: 1 valid" in again.get_data(as_text=True)
    credential = re.search(r'/credentials/(\d+)/delete', again.get_data(as_text=True)).group(1)
    assert recruiter.post(f"/credentials/{credential}/delete", data={"csrf_token": recruiter.token}).status_code == 302
    assert "No credentials yet" in recruiter.get(f"/candidates/{candidate}").get_data(as_text=True)
    gone = recruiter.post(f"/candidates/{candidate}/delete", data={"csrf_token": recruiter.token})
    assert gone.status_code == 302 and recruiter.get(f"/candidates/{candidate}").status_code == 404


def test_pages_answer_errors_in_html_and_the_api_in_problem_json(as_role, client):
    recruiter = as_role("recruiter")
    missing = recruiter.get("/candidates/999999")
    assert missing.status_code == 404 and missing.mimetype == "text/html" and "Not found" in missing.get_data(as_text=True)
    assert recruiter.get("/no-such-page").mimetype == "text/html"
    api = client.get("/api/v1/candidates/1")
    assert api.status_code == 401 and api.mimetype == "application/problem+json"


# -- roles and the shortlist --------------------------------------------------------------------------


class _Table(HTMLParser):
    """The text of each row of the table with id="shortlist" (popover contents left out)."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self._in_table = self._in_cell = False
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table" and attrs.get("id") == "shortlist":
            self._in_table = True
        elif self._in_table and tag == "tr":
            self.rows.append([])
        elif self._in_table and tag in ("td", "th"):
            self._in_cell = True
            self.rows[-1].append("")
        elif self._in_table and (tag == "div" and "popover" in attrs or self._skip and tag == "div"):
            self._skip += 1
        elif self._in_table and tag == "caption":
            self._skip += 1
        elif self._in_table and self._in_cell and not self._skip and tag == "li" and self.rows[-1][-1].strip():
            self.rows[-1][-1] += "; "

    def handle_endtag(self, tag):
        if tag == "table":
            self._in_table = False
        elif tag in ("td", "th"):
            self._in_cell = False
        elif self._skip and tag in ("div", "caption"):
            self._skip -= 1

    def handle_data(self, data):
        if self._in_table and self._in_cell and not self._skip:
            self.rows[-1][-1] += data


def _normal(text: str) -> str:
    return " ".join(text.replace("★", "").split())


def shown_table(html: str) -> list[list[str]]:
    parser = _Table()
    parser.feed(html)
    return [[_normal(c) for c in row] for row in parser.rows if row]


def test_roles_from_scratch_and_from_an_occupation(app, as_role):
    recruiter = as_role("recruiter")
    search = recruiter.get("/roles/new?q=data+analytics+specialist").get_data(as_text=True)
    assert "data analyst" in search and OCCUPATION in search
    made = recruiter.post("/roles/new", data={"csrf_token": recruiter.token, "occupation": OCCUPATION})
    assert made.status_code == 303
    edit = recruiter.get(made.headers["Location"]).get_data(as_text=True)
    assert "Requirements (4)" in edit and "data analyst" in edit
    unknown = recruiter.post("/roles/new", data={"csrf_token": recruiter.token, "title": "Quantum chef",
                                                 "skills": "quantum cooking"})
    assert unknown.status_code == 422 and "not in the taxonomy" in unknown.get_data(as_text=True)
    manager = as_role("hiring_manager")
    assert manager.post("/roles/new", data={"csrf_token": manager.token, "title": "Not theirs",
                                            "skills": "SQL"}).status_code == 403


def test_shortlist_ranks_explains_and_exports_what_it_shows(app, as_role, demo_issuer):
    from webapp.demo import tampered
    recruiter = as_role("recruiter")
    both = [("sql", "SQL"), ("data-analysis", "data analysis")]
    uploaded(app, recruiter, [("a.json", demo_issuer.badge(achievement="Analyst badge", email="sa@example.org",
                                                           skills=[(label, skill_uri(s)) for s, label in both]))],
             name="Sam Strong", email="sa@example.org")
    uploaded(app, recruiter, [("b.json", demo_issuer.badge(achievement="SQL basics", email="pi@example.org",
                                                           skills=[("SQL", skill_uri("sql"))])),
                              ("c.json", tampered(demo_issuer.badge(achievement="Analysis", email="pi@example.org",
                                                                    skills=[("data analysis",
                                                                             skill_uri("data-analysis"))])))],
             name="Pia Partial", email="pi@example.org")
    made = recruiter.post("/roles/new", data={"csrf_token": recruiter.token, "title": "Shortlist test role",
                                              "skills": "SQL\ndata analysis\nJava"})
    role_id = int(made.headers["Location"].split("/")[2])
    # weights, a must-have and a removal through the edit form
    saved = recruiter.post(f"/roles/{role_id}/edit", data={
        "csrf_token": recruiter.token, "title": "Shortlist test role", "description": "", "top_n": "5",
        "must_have_policy": "rank_below", "req-0-skill": skill_uri("sql"), "req-0-weight": "2", "req-0-must": "on",
        "req-1-skill": skill_uri("data-analysis"), "req-1-weight": "1",
        "req-2-skill": skill_uri("java"), "req-2-weight": "1", "req-2-remove": "on",
        "add-skill": "statistics", "add-weight": "0.5", "then": "shortlist"})
    assert saved.status_code == 303 and saved.headers["Location"] == f"/roles/{role_id}"
    html = recruiter.get(f"/roles/{role_id}").get_data(as_text=True)
    table = shown_table(html)
    header, rows = table[0], table[1:]
    assert header[:4] == ["Rank", "Candidate", "Score", "Must-haves met"]
    assert header[4:] == ["SQL", "data analysis", "statistics", "Gaps"]
    names = [row[1] for row in rows]
    assert names.index("Sam Strong") < names.index("Pia Partial")
    pia = rows[names.index("Pia Partial")]
    assert pia[4] != "·" and pia[5] == "·" and "data analysis" in pia[-1] and "did not verify" in pia[-1]
    assert 'popovertarget="ev-' in html and "Analyst badge" in html  # the evidence behind a cell
    exported = list(csv.reader(io.StringIO(recruiter.get(f"/roles/{role_id}/shortlist.csv").get_data(as_text=True)
                                           .lstrip("\ufeff"))))
    assert len(exported) == len(table)
    for shown, row in zip(rows, exported[1:]):
        assert row[0] == shown[0] and row[1] == shown[1] and row[2] + "%" == shown[2].split()[-1]
        assert [c or "·" for c in row[4:-1]] == shown[4:-1] and _normal(row[-1]) == (shown[-1] if shown[-1] != "none" else "")
    blind_html = recruiter.get(f"/roles/{role_id}?blind=1").get_data(as_text=True)
    blind_csv = recruiter.get(f"/roles/{role_id}/shortlist.csv?blind=1").get_data(as_text=True)
    for text in (blind_html, blind_csv):
        assert "Sam Strong" not in text and "Pia Partial" not in text
    verified = recruiter.get(f"/roles/{role_id}?verified_only=1").get_data(as_text=True)
    assert "Sam Strong" in verified
    manager = as_role("hiring_manager")
    assert manager.get(f"/roles/{role_id}").status_code == 200
    assert manager.get(f"/roles/{role_id}/edit").status_code == 403


def test_csv_cells_never_start_a_formula(app, as_role, api, demo_issuer):
    recruiter = as_role("recruiter")
    uploaded(app, recruiter, [("f.json", demo_issuer.badge(achievement="Formula", email="f@example.org",
                                                           skills=[("project management",
                                                                    skill_uri("project-management"))]))],
             name="=HYPERLINK(\"http://evil.example\")", email="f@example.org")
    made = recruiter.post("/roles/new", data={"csrf_token": recruiter.token, "title": "PM",
                                              "skills": "project management"})
    role_id = int(made.headers["Location"].split("/")[2])
    rows = list(csv.reader(io.StringIO(recruiter.get(f"/roles/{role_id}/shortlist.csv").get_data(as_text=True))))
    assert any(row[1].startswith("'=HYPERLINK") for row in rows[1:])


def test_empty_states(tmp_path, taxonomy):
    from webapp import create_app
    from webapp.auth import create_user
    from webapp.db import get_db
    application = create_app({"TESTING": True, "SECRET_KEY": "t", "DATABASE_URL": f"sqlite:///{tmp_path / 'e.db'}",
                              "TAXONOMY": taxonomy, "JOB_WORKER": "none"}, instance_path=str(tmp_path))
    try:
        with get_db(application).transaction() as session:
            create_user(session, "only", PASSWORD, "recruiter")
        client = application.test_client()
        sign_in(client, "only")
        assert "No candidates yet" in client.get("/").get_data(as_text=True)
        assert "upload badges" in client.get("/candidates").get_data(as_text=True)
        assert "No roles yet" in client.get("/roles").get_data(as_text=True)
    finally:
        get_db(application).dispose()


# -- the demo -------------------------------------------------------------------------------------------


def test_the_demo_seeds_a_real_shortlist(tmp_path):
    from webapp import create_app
    from webapp.db import get_db
    application = create_app({"TESTING": True, "SECRET_KEY": "t", "DATABASE_URL": f"sqlite:///{tmp_path / 'd.db'}",
                              "JOB_WORKER": "none", "SKILLPROOF_ENV": "development"}, instance_path=str(tmp_path))
    try:
        assert "No users yet" in application.test_client().get("/login").get_data(as_text=True)
        runner = application.test_cli_runner()
        first = runner.invoke(args=["demo", "--json"])
        assert first.exit_code == 0, first.output
        summary = json.loads(first.output)
        assert len(summary["candidates"]) == 4 and summary["credentials"].get("invalid", 0) >= 1
        assert summary["credentials"].get("valid", 0) >= 5
        assert (tmp_path / "demo_issuer.key").exists()
        again = json.loads(runner.invoke(args=["demo", "--json"]).output)
        assert again["candidates"] == [] and again["role"]["id"] == summary["role"]["id"]
        assert summary["role"]["title"] == "Junior Data Analyst, Bengaluru (demo)" and not again["role"]["created"]
        client = application.test_client()
        login_page = client.get("/login").get_data(as_text=True)
        assert "demo-manager" in login_page and "No users yet" not in login_page
        sign_in(client, "demo-manager", "demo-manager")
        rows = shown_table(client.get(f"/roles/{summary['role']['id']}").get_data(as_text=True))[1:]
        assert len(rows) == 4 and rows[0][1] == "Priya Raghavan"
        assert sorted(row[1] for row in rows) == ["Ananya Das", "Arjun Mehta", "Imran Qureshi", "Priya Raghavan"]
        arjun = client.get(f"/candidates/{candidate_id_of(application, 'Arjun Mehta')}").get_data(as_text=True)
        assert "Junior Data Associate" in arjun and "Data Science Professional Certificate (Advanced)" in arjun
        assert "v-invalid" in arjun
        ananya = client.get(f"/candidates/{candidate_id_of(application, 'Ananya Das')}").get_data(as_text=True)
        assert "PG Certificate in Data Mining and Predictive Analytics" in ananya and "v-invalid" in ananya
        from webapp.models import Role  # an instance seeded before the role was renamed keeps its one role
        with get_db(application).transaction() as session:
            session.get(Role, summary["role"]["id"]).title = "Data analyst (demo)"
        third = json.loads(runner.invoke(args=["demo", "--json"]).output)
        assert third["role"] == {"id": summary["role"]["id"], "title": "Data analyst (demo)", "created": False}
        assert client.get("/upload").status_code == 403
        production = create_app({"TESTING": True, "SECRET_KEY": "t", "DATABASE_URL": f"sqlite:///{tmp_path / 'd.db'}",
                                 "JOB_WORKER": "none", "SKILLPROOF_ENV": "production"}, instance_path=str(tmp_path))
        assert production.test_cli_runner().invoke(args=["demo"]).exit_code == 2
        assert "demo-manager" not in production.test_client().get("/login").get_data(as_text=True)
        get_db(production).dispose()
    finally:
        get_db(application).dispose()


def test_results_land_one_by_one_and_pasted_urls_are_verified(tmp_path, taxonomy, issuer):
    """With no worker running, the job page shows every item waiting; as the job does them, the
    results part shows each verdict. A pasted URL is fetched (here from an offline issuer)."""
    from webapp import create_app, jobs
    from webapp.auth import create_user
    from webapp.db import get_db
    application = create_app({"TESTING": True, "SECRET_KEY": "t", "DATABASE_URL": f"sqlite:///{tmp_path / 'j.db'}",
                              "TAXONOMY": taxonomy, "JOB_WORKER": "none", "VERIFIER_FETCHER": issuer.fetcher()},
                             instance_path=str(tmp_path))
    try:
        with get_db(application).transaction() as session:
            create_user(session, "rita", PASSWORD, "recruiter")
        client = application.test_client()
        sign_in(client, "rita")
        client.token = csrf_of(client, "/upload")
        hosted = json.loads(issuer.badge(email="ursula@example.org", name="SQL", tags=("SQL",)))
        response = upload(client, [], name="Ursula Url", email="ursula@example.org",
                          urls=f"{hosted['id']}\nhttps://issuer.test/assertions/missing.json")
        assert response.status_code == 303
        job_id = int(response.headers["Location"].rsplit("/", 1)[1])
        waiting = client.get(f"/uploads/{job_id}").get_data(as_text=True)
        assert waiting.count('data-status="pending"') == 2 and "0 of 2 processed" in waiting
        assert 'data-finished="no"' in waiting
        assert jobs.run(application, job_id)
        done = client.get(f"/uploads/{job_id}/results").get_data(as_text=True)
        assert 'data-finished="yes"' in done and "2 of 2 processed" in done
        first, second = done.split('<li data-pos="')[1:]
        assert "v-valid" in first and "SQL" in first
        assert 'data-status="failed"' in second and "Could not be read" in second and "could not fetch" in second
    finally:
        get_db(application).dispose()


def _attempt(app, username: str, password: str, address: str):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    token = csrf_of(client)
    return client, client.post("/login", data={"username": username, "password": password, "csrf_token": token})


def test_repeated_failed_sign_ins_lock_the_name_whether_or_not_it_exists(app, users):
    from webapp.auth import create_user
    from webapp.db import get_db
    with get_db(app).transaction() as session:
        create_user(session, "lock-me", PASSWORD, "recruiter")
    limit = app.config["LOGIN_MAX_FAILURES"]
    for name in ("lock-me", "no-such-user"):
        for _ in range(limit):
            assert _attempt(app, name, "wrong", "10.1.0.1")[1].status_code == 401
        client, refused = _attempt(app, name, PASSWORD, "10.1.0.2")
        assert refused.status_code == 429 and "Too many failed sign-ins" in refused.get_data(as_text=True)
        assert client.get("/").status_code == 302  # no session was started
    assert _attempt(app, users["recruiter"], PASSWORD, "10.1.0.1")[1].status_code == 302  # others unaffected


def test_many_failures_from_one_address_lock_that_address(app, users):
    for n in range(app.config["LOGIN_MAX_FAILURES_PER_CLIENT"]):
        assert _attempt(app, f"guess-{n}", "wrong", "10.2.0.1")[1].status_code == 401
    assert _attempt(app, users["hiring_manager"], PASSWORD, "10.2.0.1")[1].status_code == 429
    assert _attempt(app, users["hiring_manager"], PASSWORD, "10.2.0.2")[1].status_code == 302


def test_failures_older_than_the_window_do_not_count(app, users):
    from datetime import timedelta
    from sqlalchemy import insert
    from webapp.db import get_db
    from webapp.models import AuditEntry, utc_now
    from webapp.sign_in_limit import FAILED, _client_actor, _name_target
    old = utc_now() - timedelta(minutes=app.config["LOGIN_LOCK_MINUTES"] + 1)
    with app.app_context(), get_db(app).transaction() as session:
        for _ in range(app.config["LOGIN_MAX_FAILURES"] + 3):
            session.execute(insert(AuditEntry).values(at=old, action=FAILED, target=_name_target(users["admin"]),
                                                      actor=_client_actor("10.3.0.1"), details={}))
    assert _attempt(app, users["admin"], PASSWORD, "10.3.0.1")[1].status_code == 302


def test_a_successful_sign_in_clears_the_count_for_that_name_only(app, users):
    from webapp.auth import create_user
    from webapp.db import get_db
    from webapp.models import AuditEntry
    with get_db(app).transaction() as session:
        create_user(session, "forgetful", PASSWORD, "hiring_manager")
    limit = app.config["LOGIN_MAX_FAILURES"]
    for _ in range(limit - 1):
        assert _attempt(app, "forgetful", "wrong", "10.4.0.1")[1].status_code == 401
    assert _attempt(app, "forgetful", PASSWORD, "10.4.0.2")[1].status_code == 302
    for _ in range(limit - 1):  # without the clearing these would make 2 x (limit - 1) failures: a lock
        assert _attempt(app, "forgetful", "wrong", "10.4.0.3")[1].status_code == 401
    assert _attempt(app, "forgetful", PASSWORD, "10.4.0.3")[1].status_code == 302
    for _ in range(limit):
        assert _attempt(app, "forgetful", "wrong", "10.4.0.4")[1].status_code == 401
    _client, refused = _attempt(app, "forgetful", PASSWORD, "10.4.0.5")
    assert refused.status_code == 429 and refused.mimetype == "text/html"
    window = app.config["LOGIN_LOCK_MINUTES"] * 60
    assert window - 60 <= int(refused.headers["Retry-After"]) <= window
    text = refused.get_data(as_text=True)
    assert "Too many failed sign-ins" in text and "do not match" not in text and 'name="csrf_token"' in text
    # a name that does not exist reads the same, word for word
    for _ in range(limit):
        _attempt(app, "forgetfull", "wrong", "10.4.0.6")
    unknown = _attempt(app, "forgetfull", PASSWORD, "10.4.0.7")[1]
    assert unknown.status_code == 429
    same = re.compile(r'name="csrf_token" value="[^"]+"')
    assert same.sub("", unknown.get_data(as_text=True).replace("forgetfull", "forgetful")) == same.sub("", text)
    with get_db(app).session() as session:
        entries = session.scalars(select(AuditEntry).where(AuditEntry.action.like("user.login_%"))).all()
    assert {"user.login_failed", "user.login_cleared", "user.login_locked"} <= {e.action for e in entries}
    assert not any("forgetful" in f"{e.target} {e.actor} {e.details}" or "10.4.0" in f"{e.target} {e.actor}"
                   for e in entries)


def test_behind_a_proxy_the_forwarded_address_is_the_client(tmp_path):
    from flask import request

    from webapp import create_app
    proxied = create_app({"TESTING": True, "SECRET_KEY": "test", "PROXY_HOPS": 1, "JOB_WORKER": "none",
                          "DATABASE_URL": f"sqlite:///{tmp_path / 'proxy.sqlite3'}"})
    seen = []
    proxied.before_request(lambda: seen.append(request.remote_addr))
    proxied.test_client().get("/health", headers={"X-Forwarded-For": "203.0.113.7"})
    assert seen == ["203.0.113.7"]
