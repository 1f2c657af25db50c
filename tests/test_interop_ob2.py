"""Every Open Badges 2.0, legacy and not-a-badge credential of ../shared/interop
through the command line, offline, at the manifest's evaluation date.

The manifest says which verdict to expect and which check fails; its failing-check
names map to report check ids through CHECK_OF, and the failing check's problem
type ends with the manifest's name. Its recipient_checks run with --recipient."""
from __future__ import annotations

import json

import pytest

from tests.conftest import CliBatch
from tests.interop import CHECK_OF, EVALUATION_DATE, INTEROP, credentials, document_map, require_interop

FORMATS = ("ob2", "ob1", "ob0", "legacy", "not-a-badge")
AT = EVALUATION_DATE.date().isoformat()
ENTRIES = credentials(FORMATS)
RECIPIENT_CASES = [(entry, case) for entry in ENTRIES for case in entry.get("recipient_checks", [])]


def _name(entry) -> str:
    return entry["path"].removeprefix("files/")


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """One CLI run per credential and per recipient case, started together."""
    require_interop()
    cases = {}
    for index, entry in enumerate(ENTRIES):
        folder = tmp_path_factory.mktemp(f"interop{index}")
        document_map(entry, folder)  # writes folder/documents.json
        common = ["--json", "--at", AT, "--documents", folder / "documents.json"]
        cases[_name(entry)] = [*common, INTEROP / entry["path"]]
        for number, case in enumerate(entry.get("recipient_checks", [])):
            cases[f"{_name(entry)}#{number}"] = [*common, "--recipient", case["claimed_email"],
                                                 INTEROP / entry["path"]]
    batch = CliBatch(cases)
    yield batch
    batch.close()


def report_of(result):
    assert "Traceback" not in result.stderr.decode(), result.stderr.decode()
    [line] = result.stdout.decode().splitlines()
    return json.loads(line)


def test_the_corpus_has_ob2_credentials():
    require_interop()
    assert ENTRIES, "no OB 2.0 / legacy / not-a-badge credentials in the manifest"
    assert {e["expected"]["verdict"] for e in ENTRIES} >= {"valid", "invalid"}


@pytest.mark.parametrize("entry", ENTRIES or [None], ids=[_name(e) for e in ENTRIES] or ["no-corpus"])
def test_manifest_verdict_and_failing_check(runs, entry):
    if entry is None:
        require_interop()
    expected = entry["expected"]
    result = runs.result(_name(entry))
    report = report_of(result)
    assert report["verdict"] == expected["verdict"], report
    assert result.returncode == (0 if expected["verdict"] in ("valid", "valid-with-warnings") else 1)
    failed = [c for c in report["checks"] if c["outcome"] == "failed"]
    for name in expected["failing_checks"]:
        matching = [c for c in failed if c["id"] == CHECK_OF[name] and c["problem"]["type"].endswith(name)]
        assert matching, (name, failed)
    if not expected["failing_checks"]:
        assert failed == []


@pytest.mark.parametrize("entry,case", RECIPIENT_CASES or [(None, None)],
                         ids=[f"{_name(e)}-{c['claimed_email']}" for e, c in RECIPIENT_CASES] or ["no-corpus"])
def test_manifest_recipient_checks(runs, entry, case):
    if entry is None:
        require_interop()
    number = entry["recipient_checks"].index(case)
    report = report_of(runs.result(f"{_name(entry)}#{number}"))
    [recipient] = [c for c in report["checks"] if c["id"] == "recipient"]
    if "mismatch" in case["expected"]:
        assert recipient["outcome"] == "failed"
        assert recipient["problem"]["type"].endswith("recipient_mismatch")
        assert report["verified"] is False
    else:
        assert recipient["outcome"] == "passed", recipient
        assert report["verdict"] == entry["expected"]["verdict"]
