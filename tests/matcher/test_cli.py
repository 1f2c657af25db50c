"""`python -m matcher` through a subprocess: output shapes and exit codes."""

from __future__ import annotations

import json

from .conftest import run_cli


def test_match_prints_one_json_line_per_phrase_best_first(starter):
    result = run_cli("match", "--json", "Advance Excel", "Data Visualisation")
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["phrase"] for line in lines] == ["Advance Excel", "Data Visualisation"]
    for line in lines:
        assert line["matches"], line
        confidences = [m["confidence"] for m in line["matches"]]
        assert confidences == sorted(confidences, reverse=True)
        for m in line["matches"]:
            assert set(m) == {"uri", "label", "confidence", "reason"}
            assert starter.skills[m["uri"]].label == m["label"]
            assert 0 < m["confidence"] <= 1 and m["reason"]
    assert "excel" in lines[0]["matches"][0]["reason"].lower()


def test_match_reads_phrases_from_a_file(tmp_path):
    phrases = tmp_path / "phrases.txt"
    phrases.write_text("Python\n\nProject Management\n", encoding="utf-8")
    result = run_cli("match", "--json", "--file", str(phrases))
    assert result.returncode == 0, result.stderr
    assert [json.loads(line)["phrase"] for line in result.stdout.splitlines()] == [
        "Python", "Project Management"]


def test_nothing_matched_is_exit_1_with_empty_matches():
    result = run_cli("match", "--json", "Annual Leave", "zxqv wplk")
    assert result.returncode == 1
    assert all(json.loads(line)["matches"] == [] for line in result.stdout.splitlines())


def test_usage_errors_are_exit_2_without_traceback(tmp_path):
    for args in (("match",), ("frobnicate",), ("match", "--taxonomy", str(tmp_path / "absent"), "x"),
                 ("extract", str(tmp_path / "absent.json"))):
        result = run_cli(*args)
        assert result.returncode == 2, args
        assert result.stderr.strip() and "Traceback" not in result.stderr, args


def test_malformed_roles_file_names_file_line_and_column(tmp_path):
    roles = tmp_path / "roles.csv"
    roles.write_text("role,skill,weight,essential\nanalyst,SQL,0.5,yes\nanalyst,Python,heavy,yes\n",
                     encoding="utf-8")
    result = run_cli("match", "--taxonomy", str(roles), "SQL")
    assert result.returncode == 2
    assert "roles.csv" in result.stderr and "line 3" in result.stderr and "column 3" in result.stderr


def test_a_roles_file_resolves_its_skills_with_the_employers_synonyms(tmp_path, starter):
    synonyms = tmp_path / "synonyms.csv"
    synonyms.write_text("term,means\npivot wizardry,use spreadsheets software\n", encoding="utf-8")
    roles = tmp_path / "roles.csv"
    roles.write_text("role,skill\nSpreadsheet Analyst,Pivot Wizardry\n", encoding="utf-8")
    result = run_cli("match", "--json", "--taxonomy", str(roles), "--synonyms", str(synonyms),
                     "Pivot Wizardry")
    assert result.returncode == 0, result.stderr
    [line] = [json.loads(line) for line in result.stdout.splitlines()]
    assert line["matches"][0]["label"] == "use spreadsheets software"


def test_extract_maps_a_badge_file(tmp_path):
    badge = tmp_path / "badge.json"
    badge.write_text(json.dumps({
        "type": "BadgeClass", "name": "Data Visualisation with Power BI",
        "tags": ["Advanced Excel"], "criteria": {"narrative": "Build a dashboard."}}),
        encoding="utf-8")
    result = run_cli("extract", "--json", str(badge))
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert {s["field"] for s in report["signals"]} >= {"name", "tag", "criteria.narrative"}
    assert any(e["field"] == "tag" and "spreadsheet" in e["label"] for e in report["evidence"])


def test_extract_reads_a_real_open_badge_3(interop_dir):
    result = run_cli("extract", "--json", str(interop_dir / "1edtech-dcpv/ob30/simple.json"))
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert any(s["text"] == "Teamwork" for s in report["signals"])
    assert report["evidence"]


def test_extract_of_unreadable_input_is_exit_2(tmp_path):
    junk = tmp_path / "junk.bin"
    junk.write_bytes(b"\x00\x01 not a badge")
    result = run_cli("extract", str(junk))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and str(junk.name) in result.stderr
