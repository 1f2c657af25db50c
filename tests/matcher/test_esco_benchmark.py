"""Accuracy on the shared development benchmark against the full ESCO import (no timing)."""

from __future__ import annotations

import csv

import pytest

from .conftest import shared_dir


def test_dev_benchmark_meets_the_issue_targets(esco_matcher):
    path = shared_dir() / "taxonomy" / "bench" / "dev.csv"
    if not path.is_file():
        pytest.skip(f"no benchmark at {path}")
    with path.open(encoding="utf-8") as handle:
        rows = [(r["phrase"], set(r["expected_uris"].split())) for r in csv.DictReader(handle)]
    labelled = [(p, e) for p, e in rows if e]
    unlabelled = [p for p, e in rows if not e]
    correct = sum(1 for p, e in labelled if (m := esco_matcher.match(p, 1)) and m[0].uri in e)
    rejected = sum(1 for p in unlabelled if not esco_matcher.match(p, 1))
    assert correct / len(labelled) >= 0.85
    assert rejected / len(unlabelled) >= 0.80


def test_sql_evidences_query_languages_in_full_esco(esco, esco_matcher):
    [sql, *_] = esco_matcher.match("SQL (Programming Language)")
    assert sql.label == "SQL"
    evidence = esco_matcher.map_signals(
        __import__("matcher").extract({"type": "BadgeClass", "tags": ["SQL"]}))
    credit = [e for e in evidence if e.label == "query languages"]
    assert credit and credit[0].hierarchy and credit[0].via == sql.uri
