from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from audit.models import AuditEntry
from ideas import similarity_search
from ideas.intake import Arrival
from ideas.models import Channel, Idea, Status
from ideas.services import IdeaData
from measures import services as measures
from measures.models import Measure
from review import assessments, duplicates, workflow
from review import services as triage
from tests.factories import CallFactory, IdeaFactory, UserFactory, user_with_role
from tests.factories import action_field as field

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor():
    return user_with_role("Redaktion")


def statuses(idea):
    return list(
        AuditEntry.objects.about(idea)
        .filter(action="review.idea.status_changed")
        .order_by("created_at")
        .values_list("data__old", "data__new")
    )


def qualify_ready(idea, score=Decimal("4.0"), knockout_failed=False):
    assessments.catalogue_create_default(call=idea.call)
    Idea.objects.filter(pk=idea.pk).update(
        score=score, knockout_failed=knockout_failed, assessment_count=2
    )
    idea.refresh_from_db()
    return idea


@pytest.mark.parametrize(
    ("old", "new", "allowed"),
    [
        (Status.SUBMITTED, Status.SCREENED, True),
        (Status.SCREENED, Status.IN_QUALIFICATION, True),
        (Status.IN_QUALIFICATION, Status.QUALIFIED, True),
        (Status.IN_QUALIFICATION, Status.POOL, True),
        (Status.QUALIFIED, Status.IN_MEASURE, True),
        (Status.SUBMITTED, Status.QUALIFIED, False),
        (Status.SUBMITTED, Status.IN_MEASURE, False),
        (Status.DRAFT, Status.SCREENED, False),
        (Status.NOT_PURSUED, Status.QUALIFIED, False),
        (Status.IN_MEASURE, Status.SUBMITTED, False),
    ],
)
def test_transition_rules(old, new, allowed):
    assert workflow.transition_allowed(old, new) is allowed


def test_transition_writes_audit_entry_and_tells_the_author(
    editor, django_capture_on_commit_callbacks
):
    idea = IdeaFactory()
    with django_capture_on_commit_callbacks(execute=True):
        triage.idea_transition(
            idea=idea, to=Status.SCREENED, by=editor, reason="Dem Handlungsfeld Bildung zugeordnet"
        )
    entry = AuditEntry.objects.about(idea).get()
    assert entry.actor == editor
    assert entry.data == {
        "old": "submitted",
        "new": "screened",
        "reason": "Dem Handlungsfeld Bildung zugeordnet",
    }
    assert [message.to for message in mail.outbox] == [[idea.author.email]]


def test_forbidden_transition_and_missing_reason_change_nothing(editor):
    idea = IdeaFactory()
    with pytest.raises(ValidationError, match="Eine Idee kann nicht von „Eingereicht“ zu"):
        triage.idea_transition(idea=idea, to=Status.QUALIFIED, by=editor, reason="x")
    with pytest.raises(ValidationError, match="Bitte begründen Sie die Statusänderung"):
        triage.idea_transition(idea=idea, to=Status.SCREENED, by=editor, reason="  ")
    idea.refresh_from_db()
    assert idea.status == Status.SUBMITTED
    assert not AuditEntry.objects.exists()


def test_only_editors_change_status():
    idea = IdeaFactory()
    for user in (UserFactory(), user_with_role("Bewertung"), user_with_role("Beirat")):
        with pytest.raises(PermissionDenied, match=r"Das darf nur die Redaktion\."):
            triage.idea_transition(idea=idea, to=Status.SCREENED, by=user, reason="x")


def test_a_failed_knock_out_keeps_an_idea_from_qualifying_whatever_its_score(editor):
    idea = IdeaFactory(status=Status.IN_QUALIFICATION)
    qualify_ready(idea, score=Decimal("4.9"), knockout_failed=True)
    with pytest.raises(ValidationError, match="Diese Idee qualifiziert sich nicht: Sie ist noch"):
        triage.idea_transition(idea=idea, to=Status.QUALIFIED, by=editor, reason="gut")
    below = qualify_ready(IdeaFactory(status=Status.IN_QUALIFICATION), score=Decimal("2.9"))
    with pytest.raises(ValidationError, match="Diese Idee qualifiziert sich nicht: Sie ist noch"):
        triage.idea_transition(idea=below, to=Status.QUALIFIED, by=editor, reason="gut")
    good = qualify_ready(IdeaFactory(status=Status.IN_QUALIFICATION), score=Decimal("3.0"))
    assert (
        triage.idea_transition(
            idea=good, to=Status.QUALIFIED, by=editor, reason="Erfüllt alle Kriterien"
        ).status
        == Status.QUALIFIED
    )


def test_concurrent_edit_is_refused_not_lost(editor):
    idea = IdeaFactory()
    seen = idea.version
    triage.idea_transition(
        idea=idea, to=Status.SCREENED, by=user_with_role("Redaktion"), reason="erste"
    )
    with pytest.raises(ValidationError, match="Jemand anderes hat diese Idee inzwischen"):
        triage.idea_edit_by_staff(
            idea=idea, by=editor, changes={"title": "Neu"}, expected_version=seen
        )
    idea.refresh_from_db()
    assert idea.title != "Neu"
    assert idea.status == Status.SCREENED


def test_bulk_transition_audits_each_idea_and_reports_refusals(editor):
    ok = [IdeaFactory() for _ in range(3)]
    stuck = IdeaFactory(status=Status.NOT_PURSUED)
    changed, refused = triage.ideas_transition(
        ideas=Idea.objects.filter(pk__in=[idea.pk for idea in [*ok, stuck]]),
        to=Status.SCREENED if False else Status.DUPLICATE,
        by=editor,
        reason="x",
    )
    assert changed == 0 and len(refused) == 4  # duplicates need their own action
    changed, refused = triage.ideas_transition(
        ideas=Idea.objects.filter(pk__in=[idea.pk for idea in ok]),
        to=Status.SCREENED,
        by=editor,
        reason="Sortiert",
    )
    assert changed == 3 and refused == []
    assert AuditEntry.objects.filter(action="review.idea.status_changed").count() == 3


def test_feedback_is_held_back_until_published(editor, django_capture_on_commit_callbacks, client):
    call = CallFactory()
    ideas = [IdeaFactory(call=call) for _ in range(2)]
    for idea in ideas:
        triage.idea_feedback_set(idea=idea, text=f"Danke für {idea.title}", by=editor)
    page = client.get(ideas[0].get_absolute_url()).content.decode()
    assert "Danke für" not in page
    with django_capture_on_commit_callbacks(execute=True):
        assert triage.call_feedback_publish(call=call, by=editor) == 2
    assert (
        f"Danke für {ideas[0].title}" in client.get(ideas[0].get_absolute_url()).content.decode()
    )
    assert sorted(m.to[0] for m in mail.outbox) == sorted(i.author.email for i in ideas)
    assert AuditEntry.objects.filter(action="review.idea.feedback_set").count() == 4


def test_duplicate_keeps_both_texts_tells_both_authors_and_points_to_the_original(
    editor, client, django_capture_on_commit_callbacks
):
    call = CallFactory()
    original = IdeaFactory(call=call, title="Offenes WLAN in der Altstadt")
    copy = IdeaFactory(call=call, title="Freies WLAN Altstadt")
    similarity_search.idea_terms_missing()
    assert original in [row.idea for row in duplicates.duplicate_suggestions(idea=copy)]
    with django_capture_on_commit_callbacks(execute=True):
        triage.idea_mark_duplicate(idea=copy, original=original, by=editor, reason="Gleiche Idee")
    copy.refresh_from_db()
    assert copy.status == Status.DUPLICATE and copy.duplicate_of == original
    assert copy.title == "Freies WLAN Altstadt"
    page = client.get(copy.get_absolute_url()).content.decode()
    assert original.get_absolute_url() in page
    recipients = {message.to[0] for message in mail.outbox}
    assert {original.author.email, copy.author.email} <= recipients
    with pytest.raises(ValidationError, match="Eine Idee kann keine Dublette ihrer selbst sein"):
        triage.idea_mark_duplicate(idea=original, original=original, by=editor, reason="x")
    with pytest.raises(ValidationError, match="Bitte verwenden Sie für diesen Status die eigene"):
        triage.idea_transition(idea=IdeaFactory(), to=Status.DUPLICATE, by=editor, reason="x")


def test_measure_bundles_qualified_ideas_from_several_fields(editor, client):
    call = CallFactory()
    first = IdeaFactory(call=call, status=Status.QUALIFIED, primary_field=field("bildung"))
    second = IdeaFactory(call=call, status=Status.QUALIFIED, primary_field=field("mobilitaet"))
    unqualified = IdeaFactory(call=call)
    measure = Measure.objects.create(
        call=call, title="Digitale Schulwege", slug="schulwege", published=True
    )
    with pytest.raises(ValidationError, match="Nur qualifizierte Ideen können in eine Maßnahme"):
        measures.measure_add_ideas(measure=measure, ideas=[unqualified], by=editor)
    measures.measure_add_ideas(measure=measure, ideas=[first, second], by=editor)
    first.refresh_from_db()
    assert first.status == Status.IN_MEASURE
    page = client.get(measure.get_absolute_url()).content.decode()
    assert first.title in page and second.title in page
    assert measure.get_absolute_url() in client.get(first.get_absolute_url()).content.decode()


def test_analog_intake_makes_a_submitted_idea_with_reference(editor):
    call = CallFactory()
    data = IdeaData(
        title="Brief einer Seniorin",
        summary="Kurz",
        description="Lang",
        problem="P",
        benefit="N",
        action_fields=[field("verwaltung")],
        primary_field=field("verwaltung"),
        whole_city=True,
    )
    idea = triage.idea_intake(
        call=call,
        by=editor,
        data=data,
        arrival=Arrival(
            channel=Channel.POST,
            received_on=timezone.localdate(),
            paper_consent=True,
            submitter_name="Erna Beispiel",
            submitter_phone="0345 123",
        ),
    )
    assert idea.status == Status.SUBMITTED and idea.reference
    assert idea.entered_by == editor and idea.author is None
    assert AuditEntry.objects.about(idea).filter(action="ideas.idea.entered").exists()
    with pytest.raises(ValidationError, match="Ohne Einwilligung der einreichenden Person kann"):
        triage.idea_intake(
            call=call,
            by=editor,
            data=data,
            arrival=Arrival(
                channel=Channel.POST,
                received_on=timezone.localdate(),
                paper_consent=False,
            ),
        )
    with pytest.raises(ValidationError, match="Die Idee ist nach Fristende eingegangen"):
        triage.idea_intake(
            call=call,
            by=editor,
            data=data,
            arrival=Arrival(
                channel=Channel.POST,
                received_on=timezone.localdate(call.deadline) + timedelta(days=1),
                paper_consent=True,
            ),
        )


def test_analog_submitters_data_never_public(editor, client):
    call = CallFactory()
    data = IdeaData(
        title="Per Post",
        summary="Kurz",
        description="Lang",
        problem="P",
        benefit="N",
        action_fields=[field("bildung")],
        primary_field=field("bildung"),
        whole_city=True,
    )
    idea = triage.idea_intake(
        call=call,
        by=editor,
        data=data,
        arrival=Arrival(
            channel=Channel.PAPER,
            received_on=timezone.localdate(),
            paper_consent=True,
            submitter_name="Geheim Name-4711",
            submitter_email="geheim-4711@example.org",
            submitter_phone="0345 4711 4711",
            submitter_address="Geheimweg 4711",
        ),
    )
    for url in (idea.get_absolute_url(), "/ideen/", "/"):
        page = client.get(url).content.decode()
        assert "4711" not in page


def test_leaving_duplicate_clears_the_link_and_re_marking_is_refused(editor):
    call = CallFactory()
    original = IdeaFactory(call=call)
    copy = IdeaFactory(call=call)
    triage.idea_mark_duplicate(idea=copy, original=original, by=editor, reason="gleich")
    with pytest.raises(ValidationError, match="Diese Idee ist bereits als Dublette markiert"):
        triage.idea_mark_duplicate(
            idea=copy, original=IdeaFactory(call=call), by=editor, reason="anders"
        )
    triage.idea_transition(idea=copy, to=Status.SCREENED, by=editor, reason="doch eigenständig")
    copy.refresh_from_db()
    assert copy.duplicate_of is None
    entry = AuditEntry.objects.about(copy).filter(data__new="screened").get()
    assert entry.data["original"] == original.reference


def test_removing_an_idea_from_a_measure_is_audited_even_without_a_score(editor):
    call = CallFactory()
    idea = IdeaFactory(call=call, status=Status.QUALIFIED)
    measure = Measure.objects.create(call=call, title="M", slug="m")
    measures.measure_add_ideas(measure=measure, ideas=[idea], by=editor)
    measures.measure_remove_ideas(measure=measure, ideas=[idea], by=editor)
    idea.refresh_from_db()
    assert idea.status == Status.QUALIFIED
    assert AuditEntry.objects.filter(action="measures.measure.ideas_removed").exists()


def test_paper_submitter_with_email_hears_about_the_status(
    editor, django_capture_on_commit_callbacks
):
    call = CallFactory()
    data = IdeaData(
        title="Per Post",
        summary="Kurz",
        description="Lang",
        problem="P",
        benefit="N",
        action_fields=[field("bildung")],
        primary_field=field("bildung"),
        whole_city=True,
    )
    idea = triage.idea_intake(
        call=call,
        by=editor,
        data=data,
        arrival=Arrival(
            channel=Channel.POST,
            received_on=timezone.localdate(),
            paper_consent=True,
            submitter_email="papier@example.org",
        ),
    )
    with django_capture_on_commit_callbacks(execute=True):
        triage.idea_transition(idea=idea, to=Status.SCREENED, by=editor, reason="sortiert")
    assert [message.to for message in mail.outbox] == [["papier@example.org"]]
