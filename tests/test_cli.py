"""python -m verifier: JSON lines, human output, exit statuses 0/1/2, options.

The command-line cases run as one batch of concurrent processes (see CliBatch);
each test reads its own case's output."""
from __future__ import annotations

import json

import pytest

from tests.conftest import CliBatch
from tests.ob2factory import EMAIL, Site

REPORT_FIELDS = {"verdict", "verified", "format", "checks", "credential", "nested", "checked_at", "input_sha256"}
AT = ("--at", "2025-01-01")


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    """A valid hosted badge, an expired one, one whose BadgeClass is missing, and document maps."""
    tmp = tmp_path_factory.mktemp("cli")
    site = Site()
    broken = Site()
    badges = {"valid.json": site.assertion("1"), "expired.json": site.assertion("2", expires="2024-06-01T00:00:00Z"),
              "orphan.json": broken.assertion("3")}
    paths = {}
    for name, document in badges.items():
        paths[name] = tmp / name
        paths[name].write_text(json.dumps(document))
    paths["map"] = site.write_map(tmp / "archive")
    del broken.served[broken.badge_id]
    paths["orphan-map"] = broken.write_map(tmp / "orphan-archive")
    (tmp / "bad-status-map.json").write_text('{"u": {"path": "a", "status": "x"}}')
    paths["bad-map"] = tmp / "bad-status-map.json"
    paths["missing"] = tmp / "nope.json"
    return paths


@pytest.fixture(scope="module")
def cli(files):
    documents = ("--documents", files["map"])
    batch = CliBatch({
        "two": ["--json", *AT, *documents, files["valid.json"], files["expired.json"]],
        "at-before-expiry": ["--json", "--at", "2024-05-01T00:00:00Z", *documents, files["expired.json"]],
        "at-after-expiry": ["--json", "--at", "2024-07-01", *documents, files["expired.json"]],
        "bad-at-month": ["--at", "2025-13-01", *documents, files["valid.json"]],
        "bad-at-empty": ["--at", "", *documents, files["valid.json"]],
        "human": [*AT, *documents, files["expired.json"]],
        "recipient-match": ["--json", *AT, *documents, "--recipient", EMAIL.upper(), files["valid.json"]],
        "recipient-mismatch": ["--json", *AT, *documents, "--recipient", "someone.else@example.org",
                               files["valid.json"]],
        "indeterminate": ["--json", *AT, "--documents", files["orphan-map"], files["orphan.json"]],
        "missing-file": ["--json", *AT, *documents, files["missing"], files["valid.json"]],
        "timeout-nan": ["--timeout", "nan", files["valid.json"]],
        "timeout-zero": ["--timeout", "0", files["valid.json"]],
        "usage-nothing": [],
        "usage-unknown-option": ["--no-such-option", files["valid.json"]],
        "map-missing": [*AT, "--documents", files["missing"], files["valid.json"]],
        "map-bad-status": [*AT, "--documents", files["bad-map"], files["valid.json"]],
    })
    yield batch
    batch.close()


def lines(result):
    return [json.loads(line) for line in result.stdout.decode().splitlines()]


def no_traceback(result):
    stderr = result.stderr.decode()
    assert "Traceback" not in stderr, stderr
    return stderr


def test_json_prints_one_report_line_per_input(cli):
    result = cli.result("two")
    no_traceback(result)
    assert result.returncode == 1
    valid, expired = lines(result)
    for report in (valid, expired):
        assert REPORT_FIELDS <= set(report)
        for check in report["checks"]:
            assert {"id", "outcome", "fatal", "detail"} <= set(check)
            if check["outcome"] in ("failed", "warning"):
                assert check["problem"]["type"].startswith("http") and check["problem"]["detail"]
    assert (valid["verdict"], valid["verified"]) == ("valid", True)
    assert valid["format"] == "ob2-hosted" and valid["credential"]["achievement"]["name"] == "Robotics Level 1"
    assert (expired["verdict"], expired["verified"]) == ("invalid", False)
    [failing] = [c for c in expired["checks"] if c["outcome"] == "failed"]
    assert failing["id"] == "validity" and failing["problem"]["type"].endswith("/expired")


def test_exit_zero_when_every_input_verifies(cli):
    result = cli.result("at-before-expiry")
    assert result.returncode == 0, result.stderr
    assert [r["verdict"] for r in lines(result)] == ["valid"]


def test_at_judges_dates_at_that_instant(cli):
    before, after = cli.result("at-before-expiry"), cli.result("at-after-expiry")
    assert (before.returncode, lines(before)[0]["verdict"]) == (0, "valid")
    assert (after.returncode, lines(after)[0]["verdict"]) == (1, "invalid")


@pytest.mark.parametrize("case", ["bad-at-month", "bad-at-empty"])
def test_a_bad_at_is_a_usage_error(cli, case):
    result = cli.result(case)
    assert result.returncode == 2
    assert "--at" in no_traceback(result)
    assert result.stdout == b""


def test_human_output_lists_every_check(cli, files):
    report = lines(cli.result("two"))[1]  # the same badge, judged at the same instant, as JSON
    result = cli.result("human")
    assert result.returncode == 1
    text = result.stdout.decode()
    assert "INVALID" in text and str(files["expired.json"]) in text
    for check in report["checks"]:
        assert any(check["id"] in line and check["detail"] in line for line in text.splitlines()), check
    assert "[FAIL] validity" in text and "[pass] context" in text
    assert "Robotics Level 1" in text


def test_recipient_option(cli):
    match, mismatch = cli.result("recipient-match"), cli.result("recipient-mismatch")
    assert match.returncode == 0
    assert [c["outcome"] for c in lines(match)[0]["checks"] if c["id"] == "recipient"] == ["passed"]
    assert mismatch.returncode == 1
    assert [c["outcome"] for c in lines(mismatch)[0]["checks"] if c["id"] == "recipient"] == ["failed"]


def test_an_indeterminate_badge_exits_one(cli):
    result = cli.result("indeterminate")
    assert result.returncode == 1
    assert lines(result)[0]["verdict"] == "indeterminate"


def test_a_missing_input_file_exits_two(cli):
    result = cli.result("missing-file")
    assert result.returncode == 2
    assert "nope.json" in no_traceback(result)
    assert [r["verdict"] for r in lines(result)] == ["valid"]  # the readable input is still reported


@pytest.mark.parametrize("case", ["usage-nothing", "usage-unknown-option", "map-missing", "map-bad-status",
                                  "timeout-nan", "timeout-zero"])
def test_usage_errors_exit_two(cli, case):
    result = cli.result(case)
    assert result.returncode == 2
    assert no_traceback(result)


def test_standard_input(files, run_cli):
    result = run_cli("--json", *AT, "--documents", files["map"], "-", input=files["valid.json"].read_bytes())
    assert result.returncode == 0
    assert lines(result)[0]["verdict"] == "valid"


def test_a_url_through_a_live_server_needs_allow_host(server, run_cli):
    site = Site(base=server.origin)
    assertion = site.assertion()
    server.publish(site.served, content=site.content)
    allowed = run_cli("--json", "--allow-host", "127.0.0.1", "--timeout", "5", assertion["id"])
    assert allowed.returncode == 0, allowed.stdout
    assert lines(allowed)[0]["verdict"] == "valid"
    requests_before = len(server.requests)
    refused = run_cli("--json", "--timeout", "5", assertion["id"])
    assert refused.returncode == 1
    [failing] = [c for c in lines(refused)[0]["checks"] if c["outcome"] == "failed"]
    assert failing["id"] == "input" and "refused" in failing["detail"]
    assert len(server.requests) == requests_before
