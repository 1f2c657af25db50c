"""The role's verification policy and must-have rule in the pages, and the shortlist's
minimum-score filter, through the Flask test client."""
from __future__ import annotations

import csv
import io
import re

import pytest

from tests.test_ui import _normal, as_role, demo_issuer, shown_table, uploaded, users  # noqa: F401
from tests.webapp_fixtures import *  # noqa: F401,F403
from tests.webapp_fixtures import skill_uri


def _new_role(client, title: str, skills: str) -> int:
    made = client.post("/roles/new", data={"csrf_token": client.token, "title": title, "skills": skills})
    assert made.status_code == 303, made.get_data(as_text=True)[:500]
    return int(made.headers["Location"].split("/")[2])


def _edit_form(page: str) -> dict[str, str]:
    """What the edit form would send back unchanged: its text fields, ticked boxes and selections."""
    form = page.split('id="role-form"', 1)[1].split("</form>", 1)[0]
    data: dict[str, str] = {}
    for tag in re.findall(r"<input [^>]*>", form):
        name = re.search(r'name="([^"]+)"', tag)
        if not name:
            continue
        kind = re.search(r'type="([^"]+)"', tag)
        value = re.search(r'value="([^"]*)"', tag)
        if kind and kind.group(1) == "checkbox":
            if " checked" in tag:
                data[name.group(1)] = "on"
        else:
            data[name.group(1)] = value.group(1) if value else ""
    for name, options in re.findall(r'<select name="([^"]+)">(.*?)</select>', form, re.S):
        chosen = re.search(r'<option value="([^"]+)" selected', options)
        data[name] = chosen.group(1) if chosen else re.search(r'<option value="([^"]+)"', options).group(1)
    data["description"] = re.search(r'<textarea name="description"[^>]*>(.*?)</textarea>', form, re.S).group(1)
    return data


def _role_row(app, role_id: int):
    from webapp.db import get_db
    from webapp.models import Role
    with get_db(app).session() as session:
        role = session.get(Role, role_id)
        return dict(role.verification_policy), role.must_have_policy, role.version


def test_recruiters_edit_the_verification_policy_and_must_have_rule(app, as_role, api):
    recruiter = as_role("recruiter")
    role_id = _new_role(recruiter, "Policy role", "SQL\ndata analysis")
    page = recruiter.get(f"/roles/{role_id}/edit").get_data(as_text=True)
    form = _edit_form(page)
    # the default policy is what the form shows
    assert form["must_have-standing"] == "valid-with-warnings" and form["nice_to_have-standing"] == "indeterminate"
    assert "must_have-trusted" not in form and "nice_to_have-trusted" not in form
    assert "Which credentials count" in page
    form.update({"must_have-standing": "valid", "must_have-trusted": "on", "nice_to_have-standing": "valid-with-warnings",
                 "must_have_policy": "exclude", "then": "stay"})
    saved = recruiter.post(f"/roles/{role_id}/edit", data=form)
    assert saved.status_code == 303
    policy, rule, version = _role_row(app, role_id)
    assert policy == {"must_have": {"min_standing": "valid", "trusted_issuer": True},
                      "nice_to_have": {"min_standing": "valid-with-warnings", "trusted_issuer": False}}
    assert rule == "exclude" and version == 2
    assert api.get(f"/roles/{role_id}").get_json()["verification_policy"] == policy
    again = _edit_form(recruiter.get(f"/roles/{role_id}/edit").get_data(as_text=True))
    assert again["must_have-standing"] == "valid" and again["must_have-trusted"] == "on"
    assert again["nice_to_have-standing"] == "valid-with-warnings" and "nice_to_have-trusted" not in again
    assert again["must_have_policy"] == "exclude"
    # unticking the box turns the trusted-issuer rule off again
    again.pop("must_have-trusted")
    assert recruiter.post(f"/roles/{role_id}/edit", data={**again, "then": "stay"}).status_code == 303
    assert _role_row(app, role_id)[0]["must_have"] == {"min_standing": "valid", "trusted_issuer": False}


def test_a_policy_the_roles_service_refuses_is_explained_and_not_saved(app, as_role):
    recruiter = as_role("recruiter")
    role_id = _new_role(recruiter, "Refused policy role", "SQL")
    before = _role_row(app, role_id)
    form = _edit_form(recruiter.get(f"/roles/{role_id}/edit").get_data(as_text=True))
    for standing in ("invalid", "anything"):
        refused = recruiter.post(f"/roles/{role_id}/edit", data={**form, "must_have-standing": standing})
        text = refused.get_data(as_text=True)
        assert refused.status_code == 422 and "verification_policy" in text and "min_standing must be" in text
    assert _role_row(app, role_id) == before
    no_token = recruiter.post(f"/roles/{role_id}/edit", data={**form, "csrf_token": "", "must_have-standing": "valid"})
    assert no_token.status_code == 400 and _role_row(app, role_id) == before


def test_hiring_managers_read_the_policy_in_force_but_cannot_change_it(app, as_role):
    recruiter = as_role("recruiter")
    role_id = _new_role(recruiter, "Read-only policy role", "SQL")
    form = _edit_form(recruiter.get(f"/roles/{role_id}/edit").get_data(as_text=True))
    form.update({"nice_to_have-standing": "valid", "nice_to_have-trusted": "on", "then": "stay"})
    assert recruiter.post(f"/roles/{role_id}/edit", data=form).status_code == 303
    manager = as_role("hiring_manager")
    page = manager.get(f"/roles/{role_id}").get_data(as_text=True)
    section = page.split('id="policy"', 1)[1].split("</dl>", 1)[0]
    facts = dict(zip([_normal(t) for t in re.findall(r"<dt>(.*?)</dt>", section)],
                     [_normal(t) for t in re.findall(r"<dd>(.*?)</dd>", section)]))
    assert facts["Must-haves accept"] == "verified credentials, also with warnings, from any issuer"
    assert facts["Other requirements accept"] == "verified credentials only, from trusted issuers only"
    assert facts["Missing a must-have"] == "rank below those who have them all"
    assert facts["Minimum score"] == "none" and facts["Role version"] == "2"
    assert 'name="nice_to_have-standing"' not in page and "Edit role" not in page
    assert manager.get(f"/roles/{role_id}/edit").status_code == 403
    assert manager.post(f"/roles/{role_id}/edit", data={**form, "csrf_token": manager.token}).status_code == 403
    assert _role_row(app, role_id)[0]["nice_to_have"] == {"min_standing": "valid", "trusted_issuer": True}


def test_the_policy_decides_which_evidence_counts(app, as_role, demo_issuer):
    recruiter = as_role("recruiter")
    uploaded(app, recruiter, [("t.json", demo_issuer.badge(achievement="Teamwork practice", email="tia@example.org",
                                                            skills=[("teamwork", skill_uri("teamwork"))]))],
             name="Tia Teamwork", email="tia@example.org")
    role_id = _new_role(recruiter, "Trusted only role", "teamwork")
    rows = shown_table(recruiter.get(f"/roles/{role_id}").get_data(as_text=True))[1:]
    tia = next(row for row in rows if row[1] == "Tia Teamwork")
    assert tia[4] != "·"
    form = _edit_form(recruiter.get(f"/roles/{role_id}/edit").get_data(as_text=True))
    assert recruiter.post(f"/roles/{role_id}/edit", data={**form, "nice_to_have-trusted": "on"}).status_code == 303
    rows = shown_table(recruiter.get(f"/roles/{role_id}").get_data(as_text=True))[1:]
    tia = next(row for row in rows if row[1] == "Tia Teamwork")
    assert tia[4] == "·" and "trusted issuer" in tia[-1]


def _csv(client, url: str) -> list[list[str]]:
    response = client.get(url)
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))


def test_the_minimum_score_filters_the_page_and_the_csv_alike(app, as_role, demo_issuer):
    recruiter = as_role("recruiter")
    both = [("SPARQL", skill_uri("sparql")), ("machine learning", skill_uri("machine-learning"))]
    uploaded(app, recruiter, [("m.json", demo_issuer.badge(achievement="Graph analytics", email="mo@example.org",
                                                            skills=both))],
             name="Mo Full", email="mo@example.org")
    uploaded(app, recruiter, [("h.json", demo_issuer.badge(achievement="SPARQL basics", email="hal@example.org",
                                                            skills=both[:1]))],
             name="Hal Half", email="hal@example.org")
    role_id = _new_role(recruiter, "Minimum score role", "SPARQL\nmachine learning")
    names = [row[1] for row in shown_table(recruiter.get(f"/roles/{role_id}").get_data(as_text=True))[1:]]
    assert "Mo Full" in names and "Hal Half" in names
    for client in (recruiter, as_role("hiring_manager")):
        html = client.get(f"/roles/{role_id}?min_score=60").get_data(as_text=True)
        table = shown_table(html)
        assert [row[1] for row in table[1:]] == ["Mo Full"]
        assert 'name="min_score"' in html and 'value="60"' in html and "at or above 60%" in html
        link = re.search(r'id="csv-link" href="([^"]+)"', html).group(1).replace("&amp;", "&")
        assert "min_score=60" in link
        exported = _csv(client, link)
        assert len(exported) == len(table) and [row[1] for row in exported[1:]] == ["Mo Full"]
        assert exported[1][0] == table[1][0] and exported[1][2] + "%" == table[1][2].split()[-1]
    # Hal covers half the weight, so his score is half of Mo's: a filter just below his keeps both
    mo, hal = (int(row[2].split()[-1].rstrip("%")) for row in shown_table(
        recruiter.get(f"/roles/{role_id}").get_data(as_text=True))[1:3])
    assert 0 < hal < mo
    blind = shown_table(recruiter.get(f"/roles/{role_id}?min_score={hal - 1}&blind=1").get_data(as_text=True))
    assert len(blind) == 3 and all(row[1].startswith("Candidate ") for row in blind[1:])
    assert [row[1] for row in _csv(recruiter, f"/roles/{role_id}/shortlist.csv?min_score={hal - 1}&blind=1")] == \
        [row[1] for row in blind]
    nobody = recruiter.get(f"/roles/{role_id}?min_score=100").get_data(as_text=True)
    assert shown_table(nobody) == [] and "No candidate reaches the minimum score of 100%" in nobody
    assert len(_csv(recruiter, f"/roles/{role_id}/shortlist.csv?min_score=100")) == 1  # the header only


@pytest.mark.parametrize("value", ["abc", "-1", "101", "nan", "inf"])
def test_a_minimum_score_out_of_range_is_refused(as_role, value):
    recruiter = as_role("recruiter")
    role_id = _new_role(recruiter, f"Bad filter role {value}", "SQL")
    for url in (f"/roles/{role_id}?min_score={value}", f"/roles/{role_id}/shortlist.csv?min_score={value}"):
        response = recruiter.get(url)
        assert response.status_code == 400 and response.mimetype == "text/html"
        assert "from 0 to 100" in response.get_data(as_text=True)


def test_digits_int_cannot_read_are_refused_not_a_server_error(app, as_role):
    recruiter = as_role("recruiter")
    role_id = _new_role(recruiter, "Superscript role", "SQL")
    before = _role_row(app, role_id)
    form = _edit_form(recruiter.get(f"/roles/{role_id}/edit").get_data(as_text=True))
    for top_n in ("\u00b2", "9" * 5000):
        refused = recruiter.post(f"/roles/{role_id}/edit", data={**form, "top_n": top_n})
        assert refused.status_code == 422 and "top_n must be an integer" in refused.get_data(as_text=True)
    assert _role_row(app, role_id) == before
    odd = recruiter.post(f"/roles/{role_id}/edit", data={**form, "req-\u00b2-skill": "Python", "then": "stay"})
    assert odd.status_code == 303 and _role_row(app, role_id)[2] == before[2] + 1


@pytest.mark.parametrize("weight", ["abc", "nan", "inf", "0", "-1", "101"])
def test_a_weight_the_roles_service_refuses_is_explained_and_not_saved(app, as_role, weight):
    recruiter = as_role("recruiter")
    role_id = _new_role(recruiter, f"Weighted role {weight}", "SQL")
    before = _role_row(app, role_id)
    form = _edit_form(recruiter.get(f"/roles/{role_id}/edit").get_data(as_text=True))
    weights = [k for k in form if k.startswith("req-") and k.endswith("-weight")]
    assert weights
    for data in ({**form, weights[0]: weight}, {**form, "add-skill": "Python", "add-weight": weight}):
        refused = recruiter.post(f"/roles/{role_id}/edit", data=data)
        assert refused.status_code == 422
        assert "weight must be a number above 0 and at most 100" in refused.get_data(as_text=True)
    assert _role_row(app, role_id) == before
