"""The mapping pipeline through `Matcher.match`, `Matcher.spot` and `Matcher.map_signals`."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matcher import Matcher, Signal, Synonym, Synonyms, Taxonomy, load_synonyms

PYTHON = "http://data.europa.eu/esco/skill/ccd0a1d9-afda-43d9-b901-96344886e14d"


def _skill_with_label(taxonomy, predicate):
    return next(s for s in taxonomy.skills.values() if predicate(s))


def test_a_taxonomy_uri_or_code_scores_one(starter_matcher):
    for text in (PYTHON, PYTHON.replace("http://", "https://") + "/", PYTHON.rsplit("/", 1)[1]):
        [match] = starter_matcher.match(text)
        assert (match.uri, match.confidence) == (PYTHON, 1.0)
        assert "taxonomy id" in match.reason


def test_every_preferred_label_finds_its_own_skill(starter, starter_matcher):
    for skill in starter.skills.values():
        found = starter_matcher.match(skill.label.upper(), limit=10)
        assert skill.uri in {m.uri for m in found}, skill.label


def test_hidden_labels_are_indexed(starter, starter_matcher):
    visible = {label.lower() for s in starter.skills.values() for label in (s.label, *s.alt_labels)}
    hidden_only = [(h, s.uri) for s in starter.skills.values() for h in s.hidden_labels
                   if h.lower() not in visible]
    assert hidden_only
    for label, uri in hidden_only:
        assert uri in {m.uri for m in starter_matcher.match(label, limit=10)}, label


def test_a_one_letter_typo_is_read_as_the_word(starter, starter_matcher):
    skill = starter.skill(PYTHON)
    [best, *_] = starter_matcher.match("Pyhton")
    assert best.uri == skill.uri and "read as" in best.reason and best.confidence < 1


def test_a_qualifier_and_filler_words_are_set_aside(starter_matcher):
    [best, *_] = starter_matcher.match("Python (Programming Language) Fundamentals")
    assert best.uri == PYTHON


def test_synonym_matches_say_whether_the_target_is_broader(starter_matcher):
    [aws, *_] = starter_matcher.match("AWS")
    assert aws.label == "cloud technologies" and "(broader)" in aws.reason
    [nlp, *_] = starter_matcher.match("machine learning algorithms")
    assert "(broader)" not in nlp.reason


def test_terms_known_to_name_no_skill_are_no_match(starter_matcher):
    assert starter_matcher.match("Apache Spark") == []
    assert starter_matcher.match("Bachelor's Degree") == []


def test_an_employer_can_extend_the_synonyms(starter):
    before = Matcher(starter).match("Pivot Wizardry")
    extended = load_synonyms().extended(
        Synonyms([Synonym("pivot wizardry", "use spreadsheets software")]))
    [after, *_] = Matcher(starter, extended).match("Pivot Wizardry")
    assert not before or before[0].label != after.label
    assert after.label == "use spreadsheets software" and "synonym" in after.reason


def test_the_projects_synonyms_table_is_read_once():
    assert load_synonyms() is load_synonyms()
    assert load_synonyms() is Matcher(Taxonomy([], name="empty")).synonyms


def test_an_employers_synonym_overrides_the_projects_written_with_other_spaces(starter):
    # The project's table says "power bi"; the employer's says "powerbi".
    extended = load_synonyms().extended(
        Synonyms([Synonym("PowerBI", "use spreadsheets software")]))
    for phrase in ("PowerBI", "Power BI"):
        [first, *_] = Matcher(starter, extended).match(phrase)
        assert first.label == "use spreadsheets software" and "synonym" in first.reason, phrase


def test_phrases_with_no_skill_get_no_match(starter_matcher):
    for phrase in ("Washington DC", "qwertyuiop", "12+ Years of Relevant Experience", "", "  "):
        assert starter_matcher.match(phrase) == [], phrase


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=60))
def test_any_text_gives_ranked_confidences_between_0_and_1(starter_matcher, text):
    matches = starter_matcher.match(text)
    confidences = [m.confidence for m in matches]
    assert all(0 < c <= 1 for c in confidences)
    assert confidences == sorted(confidences, reverse=True)
    assert len({m.uri for m in matches}) == len(matches) <= 5


def test_spotting_in_free_text_respects_word_boundaries(starter_matcher):
    found = {m.label for m in starter_matcher.spot("We used SQL and project management daily.")}
    assert {"SQL", "project management"} <= found
    assert not starter_matcher.spot("The ecosystem of SQLish pythonic toys.")


def test_hierarchy_credit_reaches_broader_skills_at_lower_confidence(starter, starter_matcher):
    child = _skill_with_label(starter, lambda s: s.label == "SQL")
    [parent] = [starter.skills[u] for u in child.broader][:1]
    evidence = starter_matcher.map_signals([Signal("alignment.targetUrl", child.uri, 1.0, "id")])
    by_uri = {e.skill_uri: e for e in evidence}
    assert not by_uri[child.uri].hierarchy and by_uri[child.uri].confidence == 1.0
    credit = by_uri[parent.uri]
    assert credit.hierarchy and credit.via == child.uri and credit.confidence < 1.0
    assert credit.signal.field == "alignment.targetUrl"


def test_match_id_answers_ids_only(starter_matcher):
    [found] = starter_matcher.match_id(PYTHON + "/")
    assert found.uri == PYTHON and found.confidence == 1.0 and "taxonomy id" in found.reason
    assert starter_matcher.match(f"  {PYTHON}/ ")[0].uri == PYTHON
    assert starter_matcher.match_id("Python") == []


def test_a_description_says_less_than_an_alignment(starter_matcher):
    evidence = starter_matcher.map_signals([
        Signal("description", "Covers project management.", 0.5, "text"),
        Signal("alignment.targetName", "Python", 1.0, "phrase")])
    by_label = {e.label: e for e in evidence}
    assert by_label["project management"].confidence < by_label[
        "Python (computer programming)"].confidence


@pytest.mark.parametrize("phrase", ["Data Analyst", "software developr"])
def test_occupations_can_be_searched_by_name(starter, phrase):
    hits = starter.search_occupations(phrase, limit=3)
    assert hits and hits[0].score >= hits[-1].score
    assert phrase.split()[0].lower() in hits[0].role.label.lower()


def test_the_overlap_gathers_every_label_that_can_reach_the_minimum(starter_matcher):
    from matcher._index import bag_of_stems
    from matcher._normalise import tokens

    index = starter_matcher.index
    for phrase in ("data management plan", "financial risk management", "cloud data storage",
                   "project management software", "customer data analysis report"):
        bag = bag_of_stems(tokens(phrase))
        everything = {p: s for p, s in index.overlap(bag, limit=10_000)}
        pruned = {p: s for p, s in index.overlap(bag, limit=10_000, minimum=0.58)}
        assert {p for p, s in everything.items() if s >= 0.58} <= pruned.keys()
        assert all(abs(everything[p] - s) < 1e-9 for p, s in pruned.items())
        # Labels sharing only a common word are not gathered at all.
        assert len(pruned) < len(everything)
