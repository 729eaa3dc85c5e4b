"""Moderation: reports (one per person and object), hiding and restoring with a reason (the
author is told, the audit log records it), pre-moderation of first comments, blocks."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from discussion import comments, moderation, services
from discussion.models import CallDiscussion, Comment, ReportState
from ideas.models import Idea
from notices.models import Notice
from notices.outbox import notice_render
from tests.factories import IdeaFactory, UserFactory, user_with_role

pytestmark = pytest.mark.django_db


def test_reporting_twice_is_refused():
    idea = IdeaFactory()
    comment = comments.comment_create(idea=idea, by=UserFactory(), text="Unfreundlich")
    reporter = UserFactory()
    moderation.report_create(by=reporter, reason="Beleidigend", comment=comment)
    with pytest.raises(ValidationError, match="bereits gemeldet"):
        moderation.report_create(by=reporter, reason="Nochmal", comment=comment)
    moderation.report_create(by=reporter, reason="Spam", idea=idea)
    with pytest.raises(ValidationError):
        moderation.report_create(by=reporter, reason="Spam", idea=idea)
    with pytest.raises(PermissionDenied):
        moderation.report_create(by=comment.author, reason="Ich selbst", comment=comment)


def test_hiding_tells_the_author_why_and_the_public_sees_ausgeblendet(client):
    idea = IdeaFactory()
    author = UserFactory()
    comment = comments.comment_create(idea=idea, by=author, text="Du Idiot")
    moderation.report_create(by=UserFactory(), reason="Beleidigung", comment=comment)
    editor = user_with_role("Redaktion")
    moderation.comment_hide(comment=comment, by=editor, reason="Beleidigung (Netiquette 2)")
    assert Idea.objects.get(pk=idea.pk).comment_count == 0
    assert comment.reports.get().state == ReportState.HIDDEN
    entry = AuditEntry.objects.get(action="discussion.comment.hidden")
    assert entry.data["reason"] == "Beleidigung (Netiquette 2)"
    notice = Notice.objects.get(kind="discussion_comment_hidden")
    assert notice.email == author.email
    message = notice_render(notice)
    assert "Beleidigung (Netiquette 2)" in message.body
    assert "Du Idiot" in message.body
    page = client.get(idea.get_absolute_url()).content.decode()
    assert "Du Idiot" not in page
    assert "ausgeblendet" in page
    client.force_login(editor)
    page = client.get(idea.get_absolute_url()).content.decode()
    assert "Du Idiot" in page
    moderation.comment_restore(comment=comment, by=editor, reason="Doch in Ordnung")
    assert Idea.objects.get(pk=idea.pk).comment_count == 1
    assert AuditEntry.objects.filter(action="discussion.comment.restored").exists()


def test_hiding_needs_a_reason_and_an_editor():
    comment = comments.comment_create(idea=IdeaFactory(), by=UserFactory(), text="Hallo")
    with pytest.raises(ValidationError):
        moderation.comment_hide(comment=comment, by=user_with_role("Redaktion"), reason=" ")
    with pytest.raises(PermissionDenied):
        moderation.comment_hide(comment=comment, by=UserFactory(), reason="Weil")
    assert not Comment.objects.get(pk=comment.pk).is_hidden


def test_first_comments_wait_for_approval_where_the_call_asks(client):
    idea = IdeaFactory()
    CallDiscussion.objects.create(call=idea.call, premoderate_first_comments=True)
    idea = Idea.objects.get(pk=idea.pk)
    newcomer = UserFactory()
    first = comments.comment_create(idea=idea, by=newcomer, text="Mein erster Kommentar")
    assert first.pending
    assert Idea.objects.get(pk=idea.pk).comment_count == 0
    assert "Mein erster Kommentar" not in client.get(idea.get_absolute_url()).content.decode()
    client.force_login(newcomer)
    page = client.get(idea.get_absolute_url()).content.decode()
    assert "Mein erster Kommentar" in page
    assert "Wartet auf Freigabe" in page
    moderation.comment_approve(comment=first, by=user_with_role("Redaktion"))
    assert Idea.objects.get(pk=idea.pk).comment_count == 1
    second = comments.comment_create(idea=idea, by=newcomer, text="Mein zweiter")
    assert not second.pending


def test_a_block_ends_at_its_date():
    idea = IdeaFactory()
    person = UserFactory()
    editor = user_with_role("Redaktion")
    block = moderation.block_create(
        user=person, until=timezone.now() + timedelta(days=2), reason="Spam", by=editor
    )
    with pytest.raises(PermissionDenied, match="ausgeschlossen"):
        comments.comment_create(idea=idea, by=person, text="Hallo")
    with pytest.raises(PermissionDenied):
        services.support_add(idea=idea, by=person)
    moderation.block_end(block=block, by=editor)
    comments.comment_create(idea=idea, by=person, text="Hallo")
    with pytest.raises(ValidationError):
        moderation.block_create(
            user=person, until=timezone.now() - timedelta(days=1), reason="x", by=editor
        )


def test_the_moderation_queue_filters(client):
    idea = IdeaFactory()
    reported = comments.comment_create(idea=idea, by=UserFactory(), text="Gemeldet hier")
    comments.comment_create(idea=idea, by=UserFactory(), text="Harmlos hier")
    moderation.report_create(by=UserFactory(), reason="Spam", comment=reported)
    client.force_login(user_with_role("Redaktion"))
    url = reverse("admin:discussion_comment_changelist")
    page = client.get(url + "?state=reported").content.decode()
    assert "Gemeldet hier" in page
    assert "Harmlos hier" not in page
    page = client.get(url + "?state=visible").content.decode()
    assert "Harmlos hier" in page


def test_the_netiquette_page_is_an_editable_legal_page(client):
    from pages.models import Page

    page = client.get(reverse("netiquette")).content.decode()
    assert "respektvollen Umgang" in page
    Page.objects.filter(slug="netiquette").update(body_de="Seid nett zueinander.")
    client.get("/")  # a different page; the legal pages are cached under the site's tag
    from halle_smartcity.page_cache import pages_changed

    pages_changed()
    assert "Seid nett zueinander." in client.get(reverse("netiquette")).content.decode()
