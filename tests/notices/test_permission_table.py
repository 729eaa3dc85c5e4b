"""Who may read the notice log, role by role, and which notices they see in it.

The log is for editors (and administrators, for accountability). Notices about events say
who registered for which event: a kind registered by `events.mail` with `visible_to`
(events.permissions.can_see_participants), so staff without the permission
`events.view_registration` read the log without them (`notices.permissions`)."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from audit.models import AuditEntry
from events.notices import EVENT_REGISTRATION_CONFIRM
from events.services import registration_request
from ideas import notices as idea_notices
from ideas.notices import SUBMISSION_CONFIRMATION
from notices import permissions
from notices.models import Notice, NoticeState
from tests.events.factories import EventFactory
from tests.factories import IdeaFactory, UserFactory, user_in_role

pytestmark = pytest.mark.django_db

CITIZEN_MAIL = "buerger.eingang@example.org"
EVENT_MAIL = "teilnehmerin.abend@example.org"


def notice_reader():
    """Staff who may read and resend notices, without seeing participants of events."""
    user = UserFactory(is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="notices", codename__in=["view_notice", "change_notice"]
        )
    )
    return user


def make_user(role: str):
    if role == "notice_reader":
        return notice_reader()
    return user_in_role(role)


@pytest.fixture
def notices():
    """Two notices that failed to go out: the confirmation of a submitted idea, and the
    request to confirm a registration for an event (as the apps' services write them)."""
    idea = IdeaFactory(author=UserFactory(email=CITIZEN_MAIL))
    idea_notices.notice_submission_confirmation(idea=idea)
    registration_request(event=EventFactory(), name="Teilnehmerin Abend", email=EVENT_MAIL)
    written = {
        "idea": Notice.objects.get(email=CITIZEN_MAIL),
        "event": Notice.objects.get(email=EVENT_MAIL),
    }
    assert written["idea"].kind == SUBMISSION_CONFIRMATION
    assert written["event"].kind == EVENT_REGISTRATION_CONFIRM
    Notice.objects.update(state=NoticeState.FAILED, attempts=5)
    return written


# (role, status of the log, sees idea notices, sees event notices)
LOG = [
    ("anonymous", 302, False, False),
    ("citizen", 302, False, False),
    ("assessor", 302, False, False),
    ("board", 302, False, False),
    ("notice_reader", 200, True, False),
    ("editor", 200, True, True),
    ("administrator", 200, True, True),
]


@pytest.mark.parametrize(("role", "status", "sees_ideas", "sees_events"), LOG)
def test_reading_the_notice_log(client, notices, role, status, sees_ideas, sees_events):
    user = make_user(role)
    assert permissions.can_see_kind(user, EVENT_REGISTRATION_CONFIRM) is sees_events
    assert (EVENT_REGISTRATION_CONFIRM in permissions.hidden_kinds(user)) is not sees_events
    # Kinds without a rule of their own are for whoever may read the log.
    assert permissions.can_see_kind(user, SUBMISSION_CONFIRMATION) is True
    if user.is_authenticated:
        client.force_login(user)
    response = client.get(reverse("admin:notices_notice_changelist"))
    assert response.status_code == status
    if status == 302:
        assert "login" in response["Location"]
    page = response.content.decode()
    assert (CITIZEN_MAIL in page) is sees_ideas
    assert (EVENT_MAIL in page) is sees_events
    # The filter by kind offers only kinds the reader may see.
    assert (f"kind={SUBMISSION_CONFIRMATION}" in page) is sees_ideas
    assert (f"kind={EVENT_REGISTRATION_CONFIRM}" in page) is sees_events
    if status == 200:
        # Nor does a search for the address find it.
        found = client.get(reverse("admin:notices_notice_changelist"), {"q": EVENT_MAIL})
        assert (notices["event"] in found.context["cl"].result_list) is sees_events


@pytest.mark.parametrize(("role", "status", "sees_ideas", "sees_events"), LOG)
def test_opening_an_event_notice(client, notices, role, status, sees_ideas, sees_events):
    user = make_user(role)
    if user.is_authenticated:
        client.force_login(user)
    response = client.get(reverse("admin:notices_notice_change", args=[notices["event"].pk]))
    assert response.status_code == (200 if sees_events else 302)
    assert (EVENT_MAIL in response.content.decode()) is sees_events


@pytest.mark.parametrize(("role", "status", "sees_ideas", "sees_events"), LOG)
def test_resending_notices(client, notices, role, status, sees_ideas, sees_events):
    user = make_user(role)
    if user.is_authenticated:
        client.force_login(user)
    client.post(
        reverse("admin:notices_notice_changelist"),
        {"action": "resend", "_selected_action": [notice.pk for notice in notices.values()]},
    )
    for name, visible in [("idea", sees_ideas), ("event", sees_events)]:
        notices[name].refresh_from_db()
        # What one may not see, one cannot send again either.
        expected = NoticeState.PENDING if visible else NoticeState.FAILED
        assert notices[name].state == expected
        assert notices[name].attempts == (0 if visible else 5)
    # The resending is logged with the notices it put back in the queue, and only those.
    resent = [
        notices[name].pk
        for name, visible in [("idea", sees_ideas), ("event", sees_events)]
        if visible
    ]
    logged = AuditEntry.objects.filter(action="notices.notice.resent")
    if resent:
        entry = logged.get()
        assert (entry.actor, sorted(entry.data["notices"])) == (user, sorted(resent))
    else:
        assert not logged.exists()
