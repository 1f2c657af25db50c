"""Every OB 3.0, CLR, VC and test-vector credential in ../shared/interop gives its
expected verdict, with the expected failing check and reason."""
from __future__ import annotations

import pytest

from tests.interop import CHECK_OF, EVALUATION_DATE, INTEROP, credentials, document_map, require_interop
from verifier import verify

VC_FORMATS = ("ob3-", "clr2-", "w3c-test-vector-", "vc2-")
ENTRIES = credentials(VC_FORMATS)


@pytest.mark.parametrize("entry", ENTRIES or [pytest.param(None, marks=pytest.mark.skip(
    reason="../shared/interop is not beside the repository"))], ids=lambda e: e["path"] if e else "none")
def test_expected_verdict(entry, tmp_path):
    require_interop()
    report = verify((INTEROP / entry["path"]).read_bytes(), fetcher=document_map(entry, tmp_path),
                    at=EVALUATION_DATE)
    expected = entry["expected"]
    failing = {(c.id, c.reason) for c in report.checks if c.outcome == "failed"}
    assert report.verdict == expected["verdict"], report.to_dict()["checks"]
    for name in expected["failing_checks"]:
        assert (CHECK_OF[name], name) in failing, failing
    if expected["verdict"] == "valid":
        assert not failing


def test_the_manifest_has_vc_credentials():
    require_interop()
    assert len(ENTRIES) >= 10
