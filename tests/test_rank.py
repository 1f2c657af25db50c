"""The ranking function: scores, policies, explanations, move-up advice, and its invariants."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matcher import (AcceptRule, EvidenceItem, RequirementSpec, VerificationPolicy, rank, recency)
from tests.webapp_fixtures import build_taxonomy, skill_uri

NOW = datetime(2026, 6, 1, tzinfo=timezone.utc)
RECENT = datetime(2025, 6, 1, tzinfo=timezone.utc)
SQL, PY, DA, QL, XL = (skill_uri(s) for s in ("sql", "python", "data-analysis", "query-languages", "spreadsheets"))


def ev(candidate, skill, confidence=1.0, verdict="valid", *, credential=None, issued=RECENT, until=None,
       trust=1.0, trusted=True):
    return EvidenceItem(candidate, credential if credential is not None else f"{candidate}-{skill}", skill,
                        confidence, verdict, issued, until, trust, trusted)


def req(skill, weight=1.0, must=False):
    return RequirementSpec(skill, skill.rsplit("/", 1)[-1], weight, must)


def scores(ranking):
    return {row.candidate_id: row.score for row in ranking.rows}


def test_score_is_weighted_coverage_by_best_evidence():
    ranking = rank([req(SQL, 3), req(PY, 1)],
                   [ev("a", SQL, 0.5), ev("a", SQL, 0.9, credential="a-2"), ev("b", PY, 1.0)], now=NOW)
    assert scores(ranking) == {"a": pytest.approx(0.9 * 3 / 4), "b": pytest.approx(0.25)}
    assert [r.candidate_id for r in ranking.rows] == ["a", "b"]
    explanation = ranking.explain(ranking.rows[0])
    sql = explanation.coverage[0]
    assert sql.evidence.credential_id == "a-2" and sql.contribution == pytest.approx(0.675)
    assert [g.requirement.skill_uri for g in explanation.gaps] == [PY]
    assert explanation.gaps[0].kind == "missing"


def test_standing_orders_valid_above_warnings_above_unverifiable_and_invalid_counts_nothing():
    items = [ev("valid", SQL), ev("warn", SQL, verdict="valid-with-warnings"),
             ev("unknown", SQL, verdict="indeterminate"), ev("bad", SQL, verdict="invalid")]
    ranking = rank([req(SQL)], items, now=NOW)
    assert [r.candidate_id for r in ranking.rows] == ["valid", "warn", "unknown", "bad"]
    s = scores(ranking)
    assert s["valid"] > s["warn"] > s["unknown"] > s["bad"] == 0
    gap = ranking.explain(ranking.rows[-1]).gaps[0]
    assert gap.kind == "unverified" and "did not verify" in gap.detail


def test_recency_and_expiry():
    assert recency(RECENT, None, NOW) == 1.0
    assert recency(NOW - timedelta(days=365 * 5 + 2), None, NOW) == pytest.approx(0.5, abs=0.01)
    assert recency(datetime(1990, 1, 1, tzinfo=timezone.utc), None, NOW) == 0.25
    assert recency(RECENT, NOW - timedelta(days=1), NOW) == 0.0
    ranking = rank([req(SQL)], [ev("old", SQL, issued=datetime(2019, 1, 1, tzinfo=timezone.utc)),
                                ev("new", SQL), ev("gone", SQL, until=NOW - timedelta(days=3))], now=NOW)
    assert [r.candidate_id for r in ranking.rows] == ["new", "old", "gone"]
    assert ranking.explain(ranking.rows[-1]).gaps[0].kind == "expired"


def test_issuer_trust_weighs_and_the_policy_can_require_a_trusted_issuer():
    items = [ev("trusted", SQL), ev("unknown", SQL, trust=0.8, trusted=False)]
    assert scores(rank([req(SQL)], items, now=NOW)) == {"trusted": 1.0, "unknown": pytest.approx(0.8)}
    strict = VerificationPolicy(must_have=AcceptRule("valid", trusted_issuer=True))
    ranking = rank([req(SQL, must=True)], items, policy=strict, now=NOW)
    assert scores(ranking)["unknown"] == 0
    gap = ranking.explain(ranking.rows[1]).gaps[0]
    assert gap.kind == "untrusted"


def test_an_accept_rule_names_the_kind_of_its_refusal():
    rule = AcceptRule("valid", trusted_issuer=True)
    assert rule.refusal("valid", True) is None
    assert rule.refusal("valid", False) == ("untrusted", "the policy needs a trusted issuer")
    assert rule.refusal("indeterminate", True)[0] == "unverified"
    assert rule.refusal("invalid", True) == ("unverified", "the credential did not verify")


def test_policy_applies_per_requirement_kind():
    policy = VerificationPolicy(must_have=AcceptRule("valid"), nice_to_have=AcceptRule("valid-with-warnings"))
    items = [ev("c", SQL, verdict="valid-with-warnings"), ev("c", PY, verdict="valid-with-warnings")]
    ranking = rank([req(SQL, must=True), req(PY)], items, policy=policy, now=NOW)
    explanation = ranking.explain(ranking.rows[0])
    assert not explanation.coverage[0].covered and explanation.coverage[1].covered
    assert ranking.rows[0].must_haves_met is False


def test_missing_must_have_ranks_below_or_excludes():
    items = [ev("has", SQL, 0.3), ev("lacks", PY), ev("lacks", DA)]
    requirements = [req(SQL, must=True), req(PY), req(DA)]
    below = rank(requirements, items, now=NOW)
    assert [r.candidate_id for r in below.rows] == ["has", "lacks"]
    assert scores(below)["lacks"] > scores(below)["has"]
    excluded = rank(requirements, items, must_have_policy="exclude", now=NOW)
    assert [r.candidate_id for r in excluded.rows] == ["has"] and excluded.excluded == ["lacks"]
    with pytest.raises(ValueError):
        rank(requirements, items, must_have_policy="sometimes")


def test_hierarchy_credit_covers_a_broader_requirement_at_reduced_strength():
    taxonomy = build_taxonomy()
    ranking = rank([req(QL)], [ev("sql", SQL), ev("ql", QL)], now=NOW, ancestors=taxonomy.ancestors)
    s = scores(ranking)
    assert s["ql"] == 1.0 and 0 < s["sql"] < 1.0
    coverage = ranking.explain(ranking.rows[1]).coverage[0]
    assert coverage.hierarchy_depth == 1 and coverage.evidence.skill_uri == SQL
    # without the taxonomy's broader links, SQL says nothing about query languages
    assert scores(rank([req(QL)], [ev("sql", SQL)], now=NOW)) == {"sql": 0}
    # and a narrower requirement is not met by broader evidence
    assert scores(rank([req(SQL)], [ev("ql", QL)], now=NOW, ancestors=taxonomy.ancestors)) == {"ql": 0}


def test_ties_are_broken_by_candidate_id_the_same_way_every_time():
    items = [ev(cid, SQL) for cid in (5, 3, 9, 1)]
    first = [r.candidate_id for r in rank([req(SQL)], items, now=NOW).rows]
    again = [r.candidate_id for r in rank([req(SQL)], list(reversed(items)), now=NOW).rows]
    assert first == again == [1, 3, 5, 9]


def test_filters_verified_only_and_min_score():
    items = [ev("v", SQL), ev("u", SQL, verdict="indeterminate"), ev("u", PY), ev("w", PY, 0.4)]
    requirements = [req(SQL), req(PY)]
    plain = scores(rank(requirements, items, now=NOW))
    strict = rank(requirements, items, verified_only=True, now=NOW)
    assert scores(strict)["u"] < plain["u"]
    assert ranking_gap_kinds(strict, "u") == ["unverified"]
    high = rank(requirements, items, min_score=0.45, now=NOW)
    assert set(scores(high)) == {"v", "u"} and all(r.score >= 0.45 for r in high.rows)


def ranking_gap_kinds(ranking, cid):
    row = next(r for r in ranking.rows if r.candidate_id == cid)
    return [g.kind for g in ranking.explain(row).gaps]


def test_candidates_without_evidence_are_ranked_last_with_every_requirement_a_gap():
    ranking = rank([req(SQL), req(PY)], [ev(2, SQL)], candidates=[1, 2, 3], now=NOW)
    assert [r.candidate_id for r in ranking.rows] == [2, 1, 3]
    assert [g.kind for g in ranking.explain(ranking.rows[1]).gaps] == ["missing", "missing"]


def test_rows_without_evidence_do_not_share_their_coverage():
    ranking = rank([req(SQL)], [], candidates=["a", "b"], now=NOW)
    first, second = ranking.rows
    first._best[0] = (1.0, ev("a", SQL), 0)
    assert second._best == {}
    assert ranking.explain(second).gaps[0].kind == "missing"


def test_move_up_names_the_fewest_requirements_that_reach_the_top_n():
    requirements = [req(SQL, 4), req(PY, 2), req(DA, 1), req(XL, 1)]
    items = [ev("a", SQL), ev("a", PY), ev("b", SQL), ev("b", DA),
             ev("c", DA), ev("c", XL), ev("c", PY, verdict="indeterminate")]
    ranking = rank(requirements, items, top_n=2, now=NOW)
    assert [r.candidate_id for r in ranking.rows] == ["a", "b", "c"]
    assert ranking.explain(ranking.rows[0]).move_up is None
    move = ranking.explain(ranking.rows[2]).move_up
    # a 0.75, b 0.625, c 0.375: SQL alone (worth 0.5) lifts c past b; Python (0.125 left) would not
    assert [r.skill_uri for r in move.requirements] == [SQL]
    assert move.reachable and move.score_after > scores(ranking)["b"]
    assert move.target_rank == 2


def test_move_up_includes_a_missing_must_have_and_reports_unreachable_targets():
    requirements = [req(SQL, 1, must=True), req(PY, 5)]
    items = [ev("a", SQL), ev("a", PY), ev("b", PY)]
    ranking = rank(requirements, items, top_n=1, now=NOW)
    move = ranking.explain(ranking.rows[1]).move_up
    assert [r.skill_uri for r in move.requirements] == [SQL]
    # b can at best tie a's perfect score and loses the tie-break on id: unreachable
    assert not move.reachable


@st.composite
def evidence_sets(draw):
    skills = [SQL, PY, DA, QL, XL]
    verdicts = ["valid", "valid-with-warnings", "indeterminate", "invalid"]
    items = draw(st.lists(st.builds(
        ev, st.sampled_from([1, 2, 3]), st.sampled_from(skills),
        st.floats(0, 1), st.sampled_from(verdicts),
        credential=st.integers(0, 5),
        issued=st.one_of(st.none(), st.datetimes(datetime(2010, 1, 1), datetime(2026, 5, 1),
                                                  timezones=st.just(timezone.utc))),
        until=st.one_of(st.none(), st.datetimes(datetime(2020, 1, 1), datetime(2030, 1, 1),
                                                timezones=st.just(timezone.utc))),
        trust=st.sampled_from([0.0, 0.8, 1.0]), trusted=st.booleans()), max_size=12))
    requirements = draw(st.lists(st.builds(req, st.sampled_from(skills), st.floats(0.1, 5), st.booleans()),
                                 min_size=1, max_size=5, unique_by=lambda r: r.skill_uri))
    policy = VerificationPolicy(
        AcceptRule(draw(st.sampled_from(["valid", "valid-with-warnings", "indeterminate"])), draw(st.booleans())),
        AcceptRule(draw(st.sampled_from(["valid", "valid-with-warnings", "indeterminate"])), draw(st.booleans())))
    return items, requirements, policy, draw(st.booleans())


TAXONOMY = build_taxonomy()


@settings(max_examples=200, deadline=None)
@given(evidence_sets(), st.builds(ev, st.sampled_from([1, 2, 3]), st.sampled_from([SQL, PY, DA, QL, XL]),
                                  st.floats(0, 1), st.sampled_from(["valid", "valid-with-warnings",
                                                                    "indeterminate", "invalid"])))
def test_adding_evidence_never_lowers_a_score(case, extra):
    items, requirements, policy, verified_only = case
    kwargs = dict(candidates=[1, 2, 3], policy=policy, verified_only=verified_only, now=NOW,
                  ancestors=TAXONOMY.ancestors)
    before = {r.candidate_id: (r.score, r.must_haves_met) for r in rank(requirements, items, **kwargs).rows}
    after = {r.candidate_id: (r.score, r.must_haves_met) for r in rank(requirements, items + [extra], **kwargs).rows}
    for cid in (1, 2, 3):
        assert after[cid][0] >= before[cid][0]
        assert after[cid][1] >= before[cid][1]


@settings(max_examples=200, deadline=None)
@given(evidence_sets(), st.sampled_from(["valid-with-warnings", "indeterminate", "invalid"]),
       st.sampled_from(["valid", "valid-with-warnings"]), st.data())
def test_a_verified_credential_never_counts_less_than_the_same_credential_unverified(case, worse, better, data):
    items, requirements, policy, verified_only = case
    if better == worse:
        return
    base = data.draw(st.builds(ev, st.just(1), st.sampled_from([SQL, PY, DA, QL, XL]), st.floats(0, 1)))
    kwargs = dict(candidates=[1, 2, 3], policy=policy, verified_only=verified_only, now=NOW,
                  ancestors=TAXONOMY.ancestors)

    def with_verdict(verdict):
        item = EvidenceItem(base.candidate_id, "the-credential", base.skill_uri, base.confidence, verdict,
                            base.issued, base.valid_until, base.issuer_trust, base.issuer_trusted)
        row = next(r for r in rank(requirements, items + [item], **kwargs).rows if r.candidate_id == 1)
        return row.score, row.must_haves_met
    verified, unverified = with_verdict(better), with_verdict(worse)
    assert verified[0] >= unverified[0] and verified[1] >= unverified[1]


def test_rejects_bad_inputs():
    with pytest.raises(ValueError):
        rank([req(SQL, -1)], [])
    with pytest.raises(ValueError):
        AcceptRule("invalid")
    with pytest.raises(ValueError):
        VerificationPolicy.from_dict({"must_have": {"min_standing": "valid", "colour": "red"}})
