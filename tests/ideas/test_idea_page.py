"""An idea's public page: a fixed number of queries whatever the idea holds (comments,
supports, images, measures, workshops), and the sections every viewer sees alike are kept
only until the idea or the site changes."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from board.models import Shortlist, ShortlistItem, Vote
from discussion import comments
from discussion.models import Comment, Support
from events.models import Registration, RegistrationStatus
from fields.models import ActionField
from ideas.models import IdeaImage, Status
from measures import services as measure_services
from measures.models import Invitation, InvitationStatus, Measure, WorkshopResult
from review.services import idea_transition
from tests.events.factories import EventFactory
from tests.factories import (
    IdeaFactory,
    QuarterFactory,
    UserFactory,
    log_in,
    user_with_role,
)
from tests.review.test_triage import qualify_ready

pytestmark = pytest.mark.django_db

# Anonymous: the idea, its fields, quarters and images (4); the comments and their replies
# (2); the sections every viewer sees alike (SHARED: the board's recommendation, the
# measures, workshop results, the decision, the measures' updates, attended workshops).
SHARED = 6
ANONYMOUS = 4 + 2 + SHARED
# Signed in: the session and the account, the addresses, blocks, roles, the own support and
# following on top.
SIGNED_IN = ANONYMOUS + 7


def fill(idea, size: int, editor) -> None:
    """Give the idea `size` of everything its page shows."""
    people = [UserFactory() for _ in range(3)]
    for n in range(size):
        IdeaImage.objects.create(
            idea=idea, image=f"ideas/{idea.pk}-{n}.webp", thumbnail=f"ideas/t{idea.pk}-{n}.webp"
        )
        idea.quarters.add(QuarterFactory())
        idea.action_fields.add(
            ActionField.objects.create(name=f"Feld {idea.pk}-{n}", slug=f"feld-{idea.pk}-{n}")
        )
        top = Comment.objects.create(idea=idea, author=people[n % 3], text=f"Kommentar {n}")
        Comment.objects.create(idea=idea, author=people[n % 3], text=f"Antwort {n}", parent=top)
        Support.objects.create(idea=idea, user=UserFactory())
        measure_services.measure_save(
            measure=Measure(
                call=idea.call, title=f"M{n}", slug=f"m-{idea.pk}-{n}", published=True
            ),
            by=editor,
            ideas=[idea],
        )
        event = EventFactory(title=f"Sprint {n}")
        WorkshopResult.objects.create(idea=idea, event=event, outcome=f"Ergebnis {n}")


@pytest.mark.parametrize("signed_in", [False, True])
def test_the_page_reads_in_a_fixed_number_of_queries(
    client, settings, django_assert_max_num_queries, signed_in
):
    settings.MITMACHEN_PAGE_CACHE_SECONDS = 0  # every request renders
    editor = user_with_role("Redaktion")
    if signed_in:
        log_in(client, UserFactory())
    budget = SIGNED_IN if signed_in else ANONYMOUS
    for size in (1, 15):
        idea = IdeaFactory(status=Status.QUALIFIED, call__published=True)
        fill(idea, size, editor)
        cache.clear()
        with django_assert_max_num_queries(budget):
            page = client.get(idea.get_absolute_url())
        assert f"Kommentar {size - 1}" in page.content.decode()
        assert f"Ergebnis {size - 1}" in page.content.decode()
        # The shared sections kept: none of their queries.
        with django_assert_max_num_queries(budget - SHARED):
            again = client.get(idea.get_absolute_url())
        for text in (f"Kommentar {size - 1}", f"Ergebnis {size - 1}", f"M{size - 1}</a>"):
            assert text in again.content.decode()


def shown(client, idea) -> str:
    return client.get(idea.get_absolute_url()).content.decode()


def test_what_every_viewer_sees_alike_goes_stale_with_the_idea(client, settings):
    settings.MITMACHEN_PAGE_CACHE_SECONDS = 0  # the sections' own cache, not the page's
    editor = user_with_role("Redaktion")
    idea = IdeaFactory(status=Status.SUBMITTED, call__published=True)

    for status in (Status.SCREENED, Status.IN_QUALIFICATION):
        idea = idea_transition(idea=idea, to=status, by=editor, reason="Geprüft")
    idea = idea_transition(idea=qualify_ready(idea), to=Status.QUALIFIED, by=editor, reason="Gut")
    assert "(Qualifiziert)" in shown(client, idea)

    event = EventFactory(title="Design-Sprint V", starts_at=timezone.now() - timedelta(days=1))
    WorkshopResult.objects.create(idea=idea, event=event, outcome="Gebündelt mit zwei anderen")
    assert "Gebündelt mit zwei anderen" in shown(client, idea)
    WorkshopResult.objects.filter(idea=idea).get().delete()
    assert "Gebündelt mit zwei anderen" not in shown(client, idea)

    # The giver attended a workshop: the path's workshop step is reached.
    def workshop_step() -> str:
        page = shown(client, idea)
        start = page.index("Werkstatt</span>")
        return page[start : start + 120]

    assert "noch nicht" in workshop_step()
    registration = Registration.objects.create(
        event=event, name="A", email="a@example.org", status=RegistrationStatus.CONFIRMED
    )
    Invitation.objects.create(
        idea=idea, event=event, status=InvitationStatus.ACCEPTED, registration=registration
    )
    assert "noch nicht" in workshop_step()
    registration.attended = True
    registration.save(update_fields=["attended"])
    assert "erreicht am" in workshop_step()

    now = timezone.now()
    shortlist = Shortlist.objects.create(
        call=idea.call, title="Auswahl", opens_at=now, closes_at=now + timedelta(days=1)
    )
    item = ShortlistItem.objects.create(shortlist=shortlist, idea=idea)
    assert "Empfehlung des Beirats" not in shown(client, idea)
    item.final_recommendation, item.published_at = Vote.choices[0][0], now
    item.save()
    assert "Empfehlung des Beirats" in shown(client, idea)

    measure_services.measure_save(
        measure=Measure(call=idea.call, title="Smarte Laternen", slug="laternen", published=True),
        by=editor,
        ideas=[idea],
    )
    assert "Smarte Laternen" in shown(client, idea)

    # Not kept: the discussion, which is the viewer's.
    comments.comment_create(idea=idea, by=UserFactory(), text="Neu dabei")
    assert "Neu dabei" in shown(client, idea)
