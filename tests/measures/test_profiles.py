"""The measure profile: status through the strategy with dated public updates, skips only
with a reason, numeric indicators, milestones, contributions, deletion refused once public,
every version in the audit log, and the authors told."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from audit.models import AuditEntry
from ideas.models import Status
from measures import profiles, services
from measures.models import Measure, MeasureIdea, MeasureStatus, MeasureUpdate
from notices.models import Notice
from tests.factories import IdeaFactory, UserFactory, measure_admin_data, user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor():
    return user_with_role("Redaktion")


@pytest.fixture
def measure(editor):
    idea = IdeaFactory(status=Status.QUALIFIED, call__published=True)
    return services.measure_save(
        measure=Measure(call=idea.call, title="Smarte Laternen", slug="laternen", published=True),
        by=editor,
        ideas=[idea],
    )


def test_next_step_needs_no_reason_and_publishes_a_dated_update(measure, editor):
    update = profiles.measure_status_change(
        measure=measure, to=MeasureStatus.IN_DRAFT, by=editor, text="Im Entwurf der Strategie."
    )
    measure.refresh_from_db()
    assert measure.status == MeasureStatus.IN_DRAFT
    assert measure.status_changed_at == update.published_at
    assert list(measure.updates.values_list("status", "text")) == [
        (MeasureStatus.IN_DRAFT, "Im Entwurf der Strategie.")
    ]
    entry = AuditEntry.objects.about(measure).get(action="measures.measure.status_changed")
    assert entry.data == {"old": "in_qualification", "new": "in_draft", "reason": ""}


def test_a_skip_without_reason_is_refused_and_changes_nothing(measure, editor):
    with pytest.raises(ValidationError, match="nicht der nächste Schritt"):
        profiles.measure_status_change(measure=measure, to=MeasureStatus.ADOPTED, by=editor)
    measure.refresh_from_db()
    assert measure.status == MeasureStatus.IN_QUALIFICATION
    assert not measure.updates.exists()


def test_a_skip_with_reason_is_allowed_and_the_reason_is_kept(measure, editor):
    profiles.measure_status_change(
        measure=measure, to=MeasureStatus.ADOPTED, by=editor, reason="Direkt im Ratsbeschluss"
    )
    measure.refresh_from_db()
    assert measure.status == MeasureStatus.ADOPTED
    entry = AuditEntry.objects.about(measure).get(action="measures.measure.status_changed")
    assert entry.data["reason"] == "Direkt im Ratsbeschluss"
    # The public update names the status; the reason stays in the audit log.
    assert measure.updates.get().text == "Vom Stadtrat beschlossen"


def test_not_pursued_may_end_the_path_at_any_step(measure, editor):
    profiles.measure_status_change(measure=measure, to=MeasureStatus.NOT_PURSUED, by=editor)
    measure.refresh_from_db()
    assert measure.status == MeasureStatus.NOT_PURSUED
    with pytest.raises(ValidationError):
        profiles.measure_status_change(measure=measure, to=MeasureStatus.IN_DRAFT, by=editor)


def test_authors_are_told_once_per_status_change(measure, editor):
    second = IdeaFactory(status=Status.QUALIFIED, call=measure.call, author=UserFactory())
    third = IdeaFactory(status=Status.QUALIFIED, call=measure.call, author=second.author)
    services.measure_add_ideas(measure=measure, ideas=[second, third], by=editor)
    profiles.measure_status_change(measure=measure, to=MeasureStatus.IN_DRAFT, by=editor)
    notices = Notice.objects.filter(kind="measure_status_changed")
    # Two authors (one with two ideas): two notices, one each.
    assert sorted(notice.email for notice in notices) == sorted(
        [
            measure.ideas.exclude(pk__in=[second.pk, third.pk]).get().author.email,
            second.author.email,
        ]
    )


def test_followers_of_its_ideas_are_told_once(measure, editor):
    from discussion import following

    second = IdeaFactory(status=Status.QUALIFIED, call=measure.call)
    services.measure_add_ideas(measure=measure, ideas=[second], by=editor)
    follower, stopped = UserFactory(), UserFactory()
    for idea in measure.ideas.all():
        following.idea_follow(idea=idea, by=follower)  # follows both ideas: hears once
    following.idea_follow(idea=second, by=stopped)
    following.idea_unfollow(idea=second, by=stopped)
    profiles.measure_status_change(measure=measure, to=MeasureStatus.IN_DRAFT, by=editor)
    emails = list(
        Notice.objects.filter(kind="measure_status_changed").values_list("email", flat=True)
    )
    assert emails.count(follower.email.lower()) == 1
    assert stopped.email.lower() not in emails
    assert second.author.email.lower() in emails


def test_an_unpublished_measure_tells_nobody(measure, editor):
    measure.published = False
    services.measure_save(measure=measure, by=editor)
    profiles.measure_status_change(measure=measure, to=MeasureStatus.IN_DRAFT, by=editor)
    assert not Notice.objects.filter(kind="measure_status_changed").exists()


def test_indicators_must_be_numbers(measure, editor):
    with pytest.raises(ValidationError):
        profiles.measure_indicators_set(
            measure=measure,
            by=editor,
            rows=[{"name": "Laternen", "unit": "Stück", "target": "viele"}],
        )
    assert not measure.indicators.exists()


def test_milestones_and_indicators_are_versioned_in_the_audit_log(measure, editor):
    profiles.measure_indicators_set(
        measure=measure,
        by=editor,
        rows=[{"name": "Smarte Laternen", "unit": "Stück", "target": "500", "current": "20"}],
    )
    profiles.measure_indicators_set(
        measure=measure,
        by=editor,
        rows=[{"name": "Smarte Laternen", "unit": "Stück", "target": "500", "current": "75"}],
    )
    # Saving the same rows again writes no entry.
    profiles.measure_indicators_set(
        measure=measure,
        by=editor,
        rows=[{"name": "Smarte Laternen", "unit": "Stück", "target": "500", "current": "75"}],
    )
    versions = AuditEntry.objects.about(measure).filter(action="measures.measure.indicators_set")
    assert [entry.data["rows"][0]["current"] for entry in versions.order_by("pk")] == ["20", "75"]
    assert measure.indicators.get().current == 75


def test_a_measure_with_public_updates_cannot_be_deleted(measure, editor):
    profiles.measure_update_publish(measure=measure, by=editor, text="Ausschreibung läuft.")
    with pytest.raises(ValidationError, match="öffentliche Neuigkeiten"):
        profiles.measure_delete(measure=measure, by=editor)
    assert Measure.objects.filter(pk=measure.pk).exists()


def test_a_measure_without_updates_is_deleted_and_its_ideas_qualified_again(measure, editor):
    idea = measure.ideas.get()
    profiles.measure_delete(measure=measure, by=editor)
    idea.refresh_from_db()
    assert not Measure.objects.exists()
    assert idea.status == Status.QUALIFIED
    assert AuditEntry.objects.filter(action="measures.measure.deleted").exists()


# --- The admin --------------------------------------------------------------------------


def test_admin_saves_contributions_milestones_indicators_and_a_status_step(client, editor):
    idea = IdeaFactory(status=Status.QUALIFIED, title="Laternen mit Sensoren")
    client.force_login(editor)
    data = measure_admin_data(
        call=idea.call,
        ideas=[idea],
        contributions={idea.pk: "Die Sensoridee"},
        title="Smarte Laternen",
        slug="laternen",
        goal="Weniger Energie",
        new_status=MeasureStatus.IN_DRAFT,
        update_text="In den Strategieentwurf aufgenommen.",
    )
    data.update(
        {
            "milestones-TOTAL_FORMS": "1",
            "milestones-0-title": "Ausschreibung",
            "milestones-0-due": "01.06.2027",
            "indicators-TOTAL_FORMS": "1",
            "indicators-0-name": "Laternen",
            "indicators-0-unit": "Stück",
            "indicators-0-target": "500",
        }
    )
    response = client.post(reverse("admin:measures_measure_add"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    measure = Measure.objects.get(slug="laternen")
    assert MeasureIdea.objects.get(measure=measure).contribution == "Die Sensoridee"
    assert measure.milestones.get().title == "Ausschreibung"
    assert measure.indicators.get().target == 500
    assert measure.status == MeasureStatus.IN_DRAFT
    assert measure.updates.get().text == "In den Strategieentwurf aufgenommen."


def test_admin_answers_a_non_numeric_indicator_in_german_and_saves_nothing(client, editor):
    idea = IdeaFactory(status=Status.QUALIFIED)
    client.force_login(editor)
    data = measure_admin_data(call=idea.call, ideas=[idea], title="X", slug="x")
    data.update(
        {
            "indicators-TOTAL_FORMS": "1",
            "indicators-0-name": "Laternen",
            "indicators-0-target": "viele",
        }
    )
    response = client.post(reverse("admin:measures_measure_add"), data)
    assert response.status_code == 200
    assert "Bitte eine Zahl eingeben." in response.content.decode()
    assert not Measure.objects.exists()


def test_admin_skip_without_reason_is_refused(client, editor, measure):
    client.force_login(editor)
    data = measure_admin_data(
        call=measure.call,
        ideas=list(measure.ideas.all()),
        title=measure.title,
        slug=measure.slug,
        published="on",
        new_status=MeasureStatus.IN_IMPLEMENTATION,
    )
    source = MeasureIdea.objects.get(measure=measure)
    data.update(
        {
            "sources-INITIAL_FORMS": "1",
            "sources-0-id": str(source.pk),
            "sources-0-measure": str(measure.pk),
        }
    )
    response = client.post(reverse("admin:measures_measure_change", args=[measure.pk]), data)
    assert response.status_code == 409
    assert "nicht der nächste Schritt" in response.content.decode()
    measure.refresh_from_db()
    assert measure.status == MeasureStatus.IN_QUALIFICATION


def test_admin_delete_is_refused_once_updates_are_public(client, editor, measure):
    MeasureUpdate.objects.create(measure=measure, text="Neuigkeit")
    client.force_login(editor)
    response = client.post(
        reverse("admin:measures_measure_delete", args=[measure.pk]), {"post": "yes"}
    )
    assert response.status_code == 409
    assert Measure.objects.filter(pk=measure.pk).exists()


def test_a_slug_that_is_a_page_of_its_own_is_refused(editor):
    idea = IdeaFactory(status=Status.QUALIFIED)
    with pytest.raises(ValidationError, match="Adresse"):
        services.measure_save(
            measure=Measure(call=idea.call, title="Anhang", slug="anhang"), by=editor
        )
    assert not Measure.objects.exists()


def test_the_measures_list_offers_no_bulk_delete(client, editor, measure):
    client.force_login(editor)
    html = client.get(reverse("admin:measures_measure_changelist")).content.decode()
    assert "delete_selected" not in html
