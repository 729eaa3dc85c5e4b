"""Calls and their deadline extensions in the admin."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from ideas.models import CallExtension
from tests.factories import CallFactory, IdeaFactory

pytestmark = pytest.mark.django_db



def test_editor_extends_a_call_in_the_admin(client, editor):
    call = CallFactory()
    new = timezone.localtime(call.deadline + timedelta(days=14))
    response = client.post(
        reverse("admin:ideas_callextension_add"),
        {
            "call": call.pk,
            "new_deadline_0": new.strftime("%d.%m.%Y"),
            "new_deadline_1": new.strftime("%H:%M:%S"),
            "reason": "Ferienzeit",
        },
        HTTP_ACCEPT_LANGUAGE="de",
    )
    assert response.status_code == 302
    call.refresh_from_db()
    assert call.deadline.replace(microsecond=0) == new.replace(microsecond=0)
    extension = CallExtension.objects.get(call=call)
    assert extension.created_by == editor


def test_extension_to_an_earlier_date_is_refused_in_the_admin(client, editor):
    call = CallFactory()
    old = call.deadline
    earlier = timezone.localtime(old - timedelta(days=1))
    client.post(
        reverse("admin:ideas_callextension_add"),
        {
            "call": call.pk,
            "new_deadline_0": earlier.strftime("%d.%m.%Y"),
            "new_deadline_1": earlier.strftime("%H:%M:%S"),
            "reason": "Versehen",
        },
        HTTP_ACCEPT_LANGUAGE="de",
        follow=True,
    )
    call.refresh_from_db()
    assert call.deadline == old
    assert not CallExtension.objects.exists()


def test_admin_login_goes_through_allauth(client):
    response = client.get(reverse("admin:login"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_published_call_dates_can_only_move_by_extension(client, editor):
    from django.contrib.auth.models import Permission

    editor.user_permissions.add(Permission.objects.get(codename="change_call"))
    call = CallFactory()
    page = client.get(reverse("admin:ideas_call_change", args=[call.pk])).content.decode()
    assert 'name="closes_at_0"' not in page
    assert 'name="title"' in page


def test_extension_in_the_admin_notifies_everyone_affected_once(
    client, editor, django_capture_on_commit_callbacks
):
    from django.core import mail

    from tests.factories import DraftFactory

    call = CallFactory()
    draft = DraftFactory(call=call)
    submitted = IdeaFactory(call=call)
    new = timezone.localtime(call.deadline + timedelta(days=10))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("admin:ideas_callextension_add"),
            {
                "call": call.pk,
                "new_deadline_0": new.strftime("%d.%m.%Y"),
                "new_deadline_1": new.strftime("%H:%M:%S"),
                "reason": "Mehr Zeit",
            },
        )
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        [draft.author.email, submitted.author.email]
    )
    assert all(new.strftime("%d.%m.%Y") in message.body for message in mail.outbox)
    log = client.get(reverse("admin:notices_notice_changelist")).content.decode()
    assert draft.author.email in log
