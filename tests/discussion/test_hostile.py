"""Hostile comment texts: whatever someone writes shows as text on the idea's page, in the
admin, in the notice mails and not at all in the API (comment texts are not open data)."""

import re

import pytest
from django.urls import reverse

from discussion import comments, moderation
from discussion.models import Comment
from notices.models import Notice
from notices.outbox import notice_render
from tests.factories import IdeaFactory, UserFactory, user_with_role

from .helpers import form_data

pytestmark = pytest.mark.django_db

CORPUS = [
    "<script>alert('x')</script>",
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(1)",
    '<a href="javascript:alert(1)">klick</a> und http://example.org/?a=<b>',
    "Vorher\u202eredro\u202c nachher",
    "NUL\x00mitten\x00drin",
    "{{ request.user.email }} {% debug %}",
    "Zeile eins\r\nZeile zwei\rZeile drei",
]
DANGEROUS = ["<script", "<img", 'href="javascript:', "\u202e", "\x00"]
# An event handler inside a tag (as text, "onerror=" is harmless).
HANDLER_IN_TAG = re.compile(r"<[^>]*\son[a-z]+=", re.IGNORECASE)


def assert_safe(html: str) -> None:
    for snippet in DANGEROUS:
        assert snippet not in html, snippet
    assert HANDLER_IN_TAG.search(html) is None


def write_corpus(client, idea, author):
    client.force_login(author)
    for text in CORPUS:
        response = client.post(reverse("discussion:comment", args=[idea.pk]), form_data(text=text))
        assert response.status_code == 302, response.content.decode()[:500]
    client.logout()


def test_the_corpus_is_stored_clean_and_shown_as_text(client):
    idea = IdeaFactory()
    author = UserFactory(email="geheim@example.org")
    write_corpus(client, idea, author)
    stored = list(Comment.objects.order_by("pk").values_list("text", flat=True))
    assert stored[4] == "Vorherredro nachher"
    assert stored[5] == "NULmittendrin"
    assert stored[7] == "Zeile eins\nZeile zwei\nZeile drei"
    page = client.get(idea.get_absolute_url()).content.decode()
    assert_safe(page.split('id="kommentare"')[1])
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    assert "Zeile eins<br>Zeile zwei<br>Zeile drei" in page
    assert 'href="http://example.org/?a="' in page or 'href="http://example.org/?a=' in page
    assert "{{ request.user.email }}" in page
    assert "geheim@example.org" not in page


def test_the_corpus_in_the_admin_is_text(client):
    idea = IdeaFactory()
    write_corpus(client, idea, UserFactory())
    client.force_login(user_with_role("Redaktion"))
    listing = client.get(reverse("admin:discussion_comment_changelist")).content.decode()
    assert_safe(listing.split('id="result_list"')[1])
    for comment in Comment.objects.all():
        page = client.get(
            reverse("admin:discussion_comment_change", args=[comment.pk])
        ).content.decode()
        # The admin has scripts of its own: what must not be there is the corpus as markup.
        for raw in ("<script>alert", "<img src=x", '<a href="javascript:', "\u202e", "\x00"):
            assert raw not in page, raw
        if "alert('x')" in comment.text:
            assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page


def test_the_corpus_in_the_mail_to_the_author_is_text(django_capture_on_commit_callbacks):
    idea = IdeaFactory()
    author = UserFactory()
    editor = user_with_role("Redaktion")
    for text in CORPUS:
        comment = comments.comment_create(idea=idea, by=author, text=text)
        moderation.comment_hide(comment=comment, by=editor, reason=CORPUS[0])
    notices = Notice.objects.filter(kind="discussion_comment_hidden")
    assert notices.count() == len(CORPUS)
    for notice in notices:
        message = notice_render(notice)
        html = message.alternatives[0][0]
        assert_safe(html)
        assert "&lt;script&gt;" in html  # the reason, and the first comment
    first = notice_render(notices.order_by("pk").first())
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in first.alternatives[0][0]
    for notice in notices:
        message = notice_render(notice)
        # The plain text part is text: shown as written, minus what was removed on saving.
        assert "\x00" not in message.body
        assert "\u202e" not in message.body


def test_comment_texts_are_not_in_the_open_data(client):
    idea = IdeaFactory()
    comments.comment_create(idea=idea, by=UserFactory(), text="Nur auf der Seite zu lesen")
    response = client.get(reverse("api:idea-detail", kwargs={"pk": idea.pk}))
    assert response.json()["comment_count"] == 1
    assert "Nur auf der Seite" not in response.content.decode()
    csv = b"".join(client.get(reverse("api:idea-list") + "?format=csv").streaming_content)
    assert "Nur auf der Seite" not in csv.decode()
