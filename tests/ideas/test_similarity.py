"""Similar ideas in German: the quality floors on the labelled set, the stored analysis and
the suggestions on the database, and bad input."""

import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from benchmarks.similarity import analysis_approach, evaluate, load_pairs
from ideas import similarity, similarity_search
from ideas.models import IdeaTerms
from tests.factories import CallFactory, DraftFactory, IdeaFactory


def test_the_labelled_set_is_large_enough_and_covers_every_difficulty():
    same = load_pairs("same.tsv")
    different = load_pairs("different.tsv")
    assert len(same) >= 100 and len(different) >= 100
    kinds = {kind for _a, _b, kind in same}
    assert {"flexion", "kompositum", "synonym", "tippfehler"} <= kinds


def test_the_service_reaches_the_goals_on_the_labelled_set():
    result = evaluate(analysis_approach(idf=False), similarity_search.THRESHOLD)
    assert result["recall_at_5"] >= 0.9
    assert result["precision"] >= 0.8


def test_todays_trigrams_miss_the_goal_the_analysis_reaches():
    from benchmarks.similarity import trigram_approach

    assert evaluate(trigram_approach)["recall_at_5"] < 0.5


def test_inflection_compounds_and_the_thesaurus_meet():
    def words(text):
        return {key[2:] for key in similarity.features(text) if key.startswith("w:")}

    assert {"rad", "weg", "radweg"} <= words("Fahrradwege") & words("Radweg")
    assert "kita" in words("Kindergarten") & words("Kitas")
    assert "toilett" in words("WC-Anlage") & words("Toiletten")
    assert "spielplatz" in words("Spielplätze") & words("Spielplatz")


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Radweg",
        "🚲🚲🚲 🌳",
        "!!! ??? ...",
        "<script>alert(1)</script><img src=x onerror=alert(1)>",
        "Велосипедная дорожка вдоль реки",
        "自行车道",
        "Radweg " * 2000,
        "x" * 10_000,
        "' OR 1=1; -- & | ! :* ( )",
    ],
)
@pytest.mark.django_db
def test_bad_input_neither_fails_nor_slows(text):
    IdeaFactory(title="Radweg an der Saale", summary="Ein sicherer Radweg am Ufer.")
    similarity_search.idea_terms_missing()
    started = time.perf_counter()
    found = similarity_search.similar_to_text(title=text, body=text)
    assert time.perf_counter() - started < 0.5
    assert isinstance(found, list)


@pytest.mark.django_db
def test_a_paraphrase_is_suggested_with_the_words_that_matched_and_drafts_are_not():
    call = CallFactory()
    original = IdeaFactory(
        call=call,
        title="Fahrradwege am Saaleufer bauen",
        summary="Am Ufer der Saale fehlt ein sicherer Weg fürs Fahrrad.",
    )
    IdeaFactory(call=call, title="Mehr Bänke im Stadtpark", summary="Sitzen im Park.")
    DraftFactory(call=call, title="Radweg an der Saale", summary="Radweg am Saaleufer.")
    assert similarity_search.idea_terms_missing() == 3
    found = similarity_search.similar_to_text(
        title="Neuer Radweg entlang der Saale",
        body="Radfahrer müssen an der Saale auf der Straße fahren.",
    )
    assert [suggestion.idea for suggestion in found] == [original]
    assert found[0].score >= similarity_search.THRESHOLD
    assert "radweg" in found[0].words


@pytest.mark.django_db
def test_a_changed_idea_is_analysed_again():
    idea = IdeaFactory(title="Mehr Bänke im Stadtpark")
    similarity_search.idea_terms_missing()
    idea.title = "Trinkbrunnen am Markt"
    idea.save()
    assert similarity_search.idea_terms_missing() == 1
    assert "trinkbrunn" in IdeaTerms.objects.get(idea=idea).terms.split()
    assert similarity_search.idea_terms_missing() == 0


@pytest.mark.django_db
def test_the_suggestions_run_a_constant_number_of_queries():
    def queries(count):
        IdeaFactory.create_batch(count, title="Radweg an der Saale", summary="Radwege.")
        similarity_search.idea_terms_missing()
        with CaptureQueriesContext(connection) as context:
            found = similarity_search.similar_to_text(title="Radwege an der Saale")
        assert found
        return len(context.captured_queries)

    assert queries(3) == queries(20)
