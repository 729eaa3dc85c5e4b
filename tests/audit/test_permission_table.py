"""Who may read the audit log, role by role; and that nobody, however privileged, can add to
it, change or delete it through the admin."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from ideas.services import call_extend
from tests.factories import CallFactory, user_in_role, user_with_role

pytestmark = pytest.mark.django_db

REASON = "Wegen der Sommerferien"


def make_user(role: str):
    return user_in_role(role)


@pytest.fixture
def entry():
    """One entry, as an editor's extension of a call writes it."""
    call = CallFactory()
    call_extend(
        call=call,
        new_deadline=call.deadline + timedelta(days=7),
        reason=REASON,
        by=user_with_role("Redaktion"),
    )
    return AuditEntry.objects.get(action="ideas.call.extended")


# Editors read the log; administrators too, for accountability. Nobody else.
LOG = [
    ("anonymous", 302),
    ("citizen", 302),
    ("assessor", 302),
    ("board", 302),
    ("editor", 200),
    ("administrator", 200),
]


@pytest.mark.parametrize(("role", "status"), LOG)
def test_reading_the_audit_log(client, entry, role, status):
    user = make_user(role)
    if user.is_authenticated:
        client.force_login(user)
    for url in (
        reverse("admin:audit_auditentry_changelist"),
        reverse("admin:audit_auditentry_change", args=[entry.pk]),
    ):
        response = client.get(url)
        assert response.status_code == status
        if status == 302:
            assert "login" in response["Location"]
        assert (REASON in response.content.decode()) is (status == 200)


@pytest.mark.parametrize(("role", "status"), LOG)
def test_nobody_writes_the_audit_log_through_the_admin(client, entry, role, status):
    user = make_user(role)
    if user.is_authenticated:
        client.force_login(user)
    attempts = [
        client.post(
            reverse("admin:audit_auditentry_add"),
            {"action": "ideas.call.created", "data": "{}", "created_at": timezone.now()},
        ),
        client.post(
            reverse("admin:audit_auditentry_change", args=[entry.pk]),
            {"action": "ideas.call.created", "data": "{}"},
        ),
        client.post(reverse("admin:audit_auditentry_delete", args=[entry.pk]), {"post": "yes"}),
        client.post(
            reverse("admin:audit_auditentry_changelist"),
            {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"},
        ),
    ]
    # Staff meet 403, but the list answers an action it does not offer with the list itself.
    expected = [403, 403, 403, 200] if status == 200 else [302] * 4
    assert [response.status_code for response in attempts] == expected
    assert list(AuditEntry.objects.values_list("pk", "action", "data")) == [
        (entry.pk, "ideas.call.extended", entry.data)
    ]
