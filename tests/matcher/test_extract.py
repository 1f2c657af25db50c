"""Signals from OB 2.0, OB 3.0, CLR 2.0 credentials and from the verifier's report summary."""

from __future__ import annotations

import json

from matcher import extract

BADGE_CLASS = {
    "type": "BadgeClass", "name": "Cloud Basics", "description": "Intro to AWS.",
    "criteria": {"narrative": "Pass the quiz."}, "tags": ["AWS", "Cloud"],
    "alignment": [{"targetName": "cloud technologies", "targetFramework": "ESCO",
                   "targetUrl": "http://data.europa.eu/esco/skill/bd14968e-e409-45af-b362-3495ed7b10e0",
                   "targetCode": "bd14968e", "targetDescription": "Cloud computing concepts."}],
}


def _fields(signals):
    return {(s.field, s.text) for s in signals}


def test_a_bare_badge_class_gives_every_field_with_its_origin():
    fields = _fields(extract(BADGE_CLASS))
    assert fields >= {("name", "Cloud Basics"), ("description", "Intro to AWS."),
                      ("criteria.narrative", "Pass the quiz."), ("tag", "AWS"), ("tag", "Cloud"),
                      ("alignment.targetName", "cloud technologies"),
                      ("alignment.targetUrl", BADGE_CLASS["alignment"][0]["targetUrl"]),
                      ("alignment.targetCode", "bd14968e"),
                      ("alignment.targetDescription", "Cloud computing concepts.")}


def test_alignments_weigh_more_than_descriptions():
    weights = {s.field: s.weight for s in extract(BADGE_CLASS)}
    assert weights["alignment.targetName"] > weights["tag"] > weights["description"]
    assert [s.weight for s in extract(BADGE_CLASS)] == sorted(
        (s.weight for s in extract(BADGE_CLASS)), reverse=True)


def test_an_ob2_assertion_reads_its_embedded_badge_class():
    assertion = {"type": "Assertion", "recipient": {"identity": "x"}, "badge": BADGE_CLASS}
    assert _fields(extract(assertion)) == _fields(extract(BADGE_CLASS))


def test_an_ob2_assertion_whose_badge_is_a_url_has_nothing_to_extract():
    assert extract({"type": "Assertion", "badge": "https://example.org/badge.json"}) == []


def test_an_ob3_credential_reads_every_achievement_and_its_ob3_fields():
    credential = {
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "credentialSubject": {"achievement": [
            {"type": ["Achievement"], "name": "Data Viz", "tag": ["Tableau"],
             "fieldOfStudy": "Statistics", "specialization": "Dashboards",
             "resultDescription": [{"name": "Capstone grade"}]},
            {"type": ["Achievement"], "name": "SQL", "criteria": {"narrative": "Write joins."}}]},
    }
    fields = _fields(extract(credential))
    assert fields >= {("name", "Data Viz"), ("tag", "Tableau"), ("fieldOfStudy", "Statistics"),
                      ("specialization", "Dashboards"), ("resultDescription", "Capstone grade"),
                      ("name", "SQL"), ("criteria.narrative", "Write joins.")}


def test_a_clr_reads_nested_credentials_achievements_and_associations(interop_dir):
    clr = json.loads((interop_dir / "1edtech-dcpv/clr20/simple.json").read_text(encoding="utf-8"))
    signals = extract(clr)
    names = {s.text for s in signals if s.field == "name"}
    assert {"Teamwork", "Achievement 1", "Achievement 2"} <= names
    associations = {s.text for s in signals if s.field == "association"}
    assert "urn:uuid:dd887f0a-56cb-11ec-bf63-0242ac130002" in associations


def test_the_verifier_report_summary_shape():
    summary = {"achievement": {
        "name": "Advanced Excel", "description": "Pivot tables.", "criteria": "Complete labs.",
        "alignments": [{"targetName": "use spreadsheets software", "targetUrl": "", "targetCode": "",
                        "targetFramework": "ESCO", "targetDescription": ""}],
        "tags": ["Excel"]}, "issuer": {"name": "X"}}
    fields = _fields(extract(summary))
    assert fields >= {("name", "Advanced Excel"), ("description", "Pivot tables."),
                      ("criteria.narrative", "Complete labs."), ("tag", "Excel"),
                      ("alignment.targetName", "use spreadsheets software")}
    assert not any(s.field == "alignment.targetUrl" for s in extract(summary))


def test_a_criteria_url_is_not_text():
    assert not any(s.field == "criteria.narrative"
                   for s in extract({"type": "BadgeClass", "name": "A",
                                     "criteria": "https://example.org/criteria"}))


def test_junk_gives_no_signals():
    for junk in ({}, {"credentialSubject": "x"}, {"badge": 3}, []):
        assert extract(junk) == []
