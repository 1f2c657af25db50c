"""The embedded starter taxonomy: its size, its roles, and its fidelity to ESCO."""

from __future__ import annotations

import csv


def test_starter_is_big_enough_and_its_roles_use_its_skills(starter):
    assert len(starter.skills) >= 300
    assert len(starter.roles) >= 25
    for role in starter.roles.values():
        assert role.essential, role.label
        assert all(r.skill_uri in starter.skills for r in role.requirements), role.label
        assert all(0 < r.weight <= 1 for r in role.requirements), role.label


def test_starter_roles_cover_the_fields_employers_hire_for(starter):
    labels = " ".join(role.label.lower() for role in starter.roles.values())
    missing = [f for f in ("data", "security", "developer", "marketing", "project", "account",
                           "cloud", "financial") if f not in labels]
    assert not missing


def test_starter_uris_and_preferred_labels_are_escos(starter, esco_dir):
    with (esco_dir / "skills_en.csv").open(encoding="utf-8") as handle:
        esco_labels = {row["conceptUri"]: row["preferredLabel"].strip()
                       for row in csv.DictReader(handle)}
    wrong = {uri: skill.label for uri, skill in starter.skills.items()
             if esco_labels.get(uri) != skill.label}
    assert not wrong


def test_starter_broader_links_are_escos(starter, esco_dir):
    with (esco_dir / "broaderRelationsSkillPillar.csv").open(encoding="utf-8") as handle:
        links = {(row["conceptUri"], row["broaderUri"]) for row in csv.DictReader(handle)}
    ours = {(s.uri, b) for s in starter.skills.values() for b in s.broader}
    assert ours and ours <= links


def test_starter_role_uris_are_esco_occupations(starter, esco_dir):
    with (esco_dir / "occupations_en.csv").open(encoding="utf-8") as handle:
        occupations = {row["conceptUri"]: row["preferredLabel"].strip()
                       for row in csv.DictReader(handle)}
    assert {uri: occupations.get(uri) for uri in starter.roles} == {
        uri: role.label for uri, role in starter.roles.items()}


def test_every_synonym_target_is_a_full_esco_label(esco_matcher):
    assert esco_matcher.unresolved_synonyms() == []


def test_the_starter_keeps_every_skill_the_synonyms_table_names(starter_matcher):
    assert starter_matcher.unresolved_synonyms() == []
