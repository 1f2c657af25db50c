"""ESCO, O*NET and employer roles importers, and their errors for malformed files."""

from __future__ import annotations

import json

import pytest
from openpyxl import Workbook

from matcher import TaxonomyFormatError, apply_roles, load_taxonomy

SKILL = "http://data.europa.eu/esco/skill/"
OCCUPATION = "http://data.europa.eu/esco/occupation/"


def _write_esco(folder, relations_suffix: str) -> None:
    folder.mkdir()
    (folder / "skills_en.csv").write_text(
        "conceptType,conceptUri,skillType,reuseLevel,preferredLabel,altLabels,hiddenLabels,description\n"
        f'KnowledgeSkillCompetence,{SKILL}sql,knowledge,x,SQL,"Structured Query Language\nSQL language",,'
        "A query language.\n"
        f"KnowledgeSkillCompetence,{SKILL}ql,knowledge,x,query languages,,,Languages.\n",
        encoding="utf-8")
    (folder / "occupations_en.csv").write_text(
        "conceptType,conceptUri,preferredLabel,altLabels,description\n"
        f'Occupation,{OCCUPATION}da,data analyst,"data warehouse analyst",Analyses.\n',
        encoding="utf-8")
    (folder / f"occupationSkillRelations{relations_suffix}.csv").write_text(
        "occupationUri,relationType,skillType,skillUri\n"
        f"{OCCUPATION}da,essential,knowledge,{SKILL}ql\n{OCCUPATION}da,optional,knowledge,{SKILL}sql\n",
        encoding="utf-8")
    (folder / f"broaderRelationsSkillPillar{relations_suffix}.csv").write_text(
        f"conceptType,conceptUri,broaderType,broaderUri\nx,{SKILL}sql,x,{SKILL}ql\n"
        f"x,{SKILL}ql,SkillGroup,http://data.europa.eu/esco/isced-f/06\n", encoding="utf-8")


@pytest.mark.parametrize("suffix", ["", "_en"])
def test_esco_export_with_or_without_en_suffix(tmp_path, suffix):
    _write_esco(tmp_path / "esco", suffix)
    taxonomy = load_taxonomy(tmp_path / "esco")
    assert taxonomy.skill(SKILL + "sql").alt_labels == ("Structured Query Language", "SQL language")
    assert taxonomy.broader(SKILL + "sql") == (SKILL + "ql",)
    assert taxonomy.broader(SKILL + "ql") == ()  # skill groups are not skills
    assert taxonomy.narrower(SKILL + "ql") == (SKILL + "sql",)
    role = taxonomy.role(OCCUPATION + "da")
    assert [r.skill_uri for r in role.essential] == [SKILL + "ql"]
    assert [r.skill_uri for r in role.optional] == [SKILL + "sql"]


def test_esco_folder_missing_a_column_names_the_file_and_line(tmp_path):
    _write_esco(tmp_path / "esco", "")
    (tmp_path / "esco" / "skills_en.csv").write_text("conceptUri,label\nx,y\n", encoding="utf-8")
    with pytest.raises(TaxonomyFormatError) as caught:
        load_taxonomy(tmp_path / "esco")
    assert caught.value.line == 1 and "skills_en.csv" in str(caught.value)
    assert "preferredLabel" in str(caught.value)


def test_malformed_csv_names_the_line(tmp_path):
    _write_esco(tmp_path / "esco", "")
    (tmp_path / "esco" / "occupationSkillRelations.csv").write_text(
        "occupationUri,relationType,skillType,skillUri\na,essential,k,b\na,b,c,d,e,f\n",
        encoding="utf-8")
    with pytest.raises(TaxonomyFormatError) as caught:
        load_taxonomy(tmp_path / "esco")
    assert caught.value.line == 3 and "occupationSkillRelations.csv" in str(caught.value)


def _onet_rows():
    occupations = [["O*NET-SOC Code", "Title", "Description"],
                   ["15-2051.00", "Data Scientists", "Develop models."]]
    skills = [["O*NET-SOC Code", "Element ID", "Element Name", "Scale ID", "Data Value"],
              ["15-2051.00", "2.A.1.e", "Mathematics", "IM", "4.1"],
              ["15-2051.00", "2.A.1.e", "Mathematics", "LV", "5.6"],
              ["15-2051.00", "2.A.2.a", "Critical Thinking", "IM", "3.0"],
              ["15-2051.00", "2.B.1.a", "Social Perceptiveness", "IM", "1.5"]]
    technology = [["O*NET-SOC Code", "Example", "Commodity Code", "Commodity Title",
                   "Hot Technology"],
                  ["15-2051.00", "Tableau", "43232306", "Data base user interface", "Y"]]
    titles = [["O*NET-SOC Code", "Alternate Title"], ["15-2051.00", "Data Science Lead"]]
    return {"Occupation Data": occupations, "Skills": skills, "Technology Skills": technology,
            "Alternate Titles": titles}


def _check_onet(taxonomy):
    role = taxonomy.role("urn:onet:occupation:15-2051.00")
    assert role.label == "Data Scientists" and role.alt_labels == ("Data Science Lead",)
    by_label = {taxonomy.skills[r.skill_uri].label: r for r in role.requirements}
    assert by_label["Mathematics"].essential and by_label["Mathematics"].weight == pytest.approx(0.82)
    assert by_label["Mathematics"].level == pytest.approx(0.8)
    assert not by_label["Critical Thinking"].essential
    assert "Social Perceptiveness" not in by_label  # unimportant for the occupation
    assert not by_label["Tableau"].essential
    tableau = taxonomy.skill("urn:onet:technology:tableau")
    assert taxonomy.skills[tableau.broader[0]].label == "Data base user interface"


def test_onet_text_edition(tmp_path):
    for name, rows in _onet_rows().items():
        (tmp_path / f"{name}.txt").write_text("\n".join("\t".join(r) for r in rows) + "\n",
                                              encoding="utf-8")
    _check_onet(load_taxonomy(tmp_path))


def test_onet_excel_edition(tmp_path):
    for name, rows in _onet_rows().items():
        book = Workbook()
        for row in rows:
            book.active.append(row)
        book.save(tmp_path / f"{name}.xlsx")
    _check_onet(load_taxonomy(tmp_path))


def test_onet_technologies_differing_in_plus_or_sharp_stay_apart(tmp_path):
    rows = _onet_rows()
    rows["Technology Skills"] += [["15-2051.00", name, "43232401", "Program testing software", "N"]
                                  for name in ("C", "C#", "C++")]
    for name, table in rows.items():
        (tmp_path / f"{name}.txt").write_text("\n".join("\t".join(r) for r in table) + "\n",
                                              encoding="utf-8")
    taxonomy = load_taxonomy(tmp_path)
    labels = {taxonomy.skills[uri].label: uri for uri in taxonomy.skills
              if uri.startswith("urn:onet:technology:")}
    assert {"C", "C#", "C++"} <= set(labels)
    assert len({labels["C"], labels["C#"], labels["C++"]}) == 3
    role = taxonomy.role("urn:onet:occupation:15-2051.00")
    assert {labels[n] for n in ("C", "C#", "C++")} <= {r.skill_uri for r in role.requirements}


def test_the_shared_onet_database_loads(onet_dir):
    taxonomy = load_taxonomy(onet_dir)
    assert len(taxonomy.roles) > 1000 and len(taxonomy.skills) > 1000
    assert taxonomy.search_occupations("data scientist", limit=1)[0].role.label == "Data Scientists"


def test_roles_csv_resolves_labels_and_uris_over_the_starter(tmp_path, starter):
    roles = tmp_path / "roles.csv"
    roles.write_text("role,skill,weight,essential\n"
                     "Junior Analyst,Advance Excel,0.8,yes\n"
                     "Junior Analyst,http://data.europa.eu/esco/skill/598de5b0-5b58-4ea7-8058-a4bc4d18c742,,no\n",
                     encoding="utf-8")
    taxonomy = load_taxonomy(roles)
    [role] = [r for r in taxonomy.roles.values() if r.label == "Junior Analyst"]
    labels = {taxonomy.skills[r.skill_uri].label: r for r in role.requirements}
    assert labels["use spreadsheets software"].weight == 0.8
    assert labels["use spreadsheets software"].essential
    assert not labels["SQL"].essential and labels["SQL"].weight == 1.0
    assert len(taxonomy.roles) == len(starter.roles) + 1


def test_roles_json_in_both_shapes(tmp_path, starter):
    nested = tmp_path / "nested.json"
    nested.write_text(json.dumps({"roles": [{"name": "Cloud Intern", "skills": [
        "AWS", {"skill": "Python", "weight": 0.5, "essential": False}]}]}), encoding="utf-8")
    flat = tmp_path / "flat.json"
    flat.write_text(json.dumps([{"role": "Cloud Intern", "skill": "AWS"},
                                {"role": "Cloud Intern", "skill": "Python", "weight": 0.5,
                                 "essential": "no"}]), encoding="utf-8")
    results = []
    for path in (nested, flat):
        [role] = [r for r in apply_roles(starter, path).roles.values() if r.label == "Cloud Intern"]
        results.append(sorted((r.skill_uri, r.weight, r.essential) for r in role.requirements))
    assert results[0] == results[1] and len(results[0]) == 2


@pytest.mark.parametrize("content, line, column", [
    ("role,skill,weight\nA,SQL,0.5\nA,SQL,2\n", 3, 3),
    ("role,skill,essential\nA,SQL,maybe\n", 2, 3),
    ("role,skill\nA,qwxzv plonk\n", 2, 2),
    ("role,weight\nA,1\n", 1, None),
])
def test_bad_roles_csv_names_file_line_and_column(tmp_path, starter, content, line, column):
    path = tmp_path / "roles.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(TaxonomyFormatError) as caught:
        apply_roles(starter, path)
    assert (caught.value.line, caught.value.column) == (line, column)
    assert "roles.csv" in str(caught.value)


def test_bad_roles_json_names_line_and_column(tmp_path, starter):
    path = tmp_path / "roles.json"
    path.write_text('{"roles": [\n  {"name": "A", "skills": ["SQL",]}\n]}', encoding="utf-8")
    with pytest.raises(TaxonomyFormatError) as caught:
        apply_roles(starter, path)
    assert caught.value.line == 2 and caught.value.column is not None


def test_a_folder_that_is_no_taxonomy_is_a_clear_error(tmp_path):
    with pytest.raises(TaxonomyFormatError, match="not an ESCO"):
        load_taxonomy(tmp_path)
