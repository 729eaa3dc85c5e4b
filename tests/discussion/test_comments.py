"""Comments: one level of replies, editing within the window, deleting one's own, official
answers, the author's mark, pagination in constant queries, and the rules on bad input."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from discussion import comments
from discussion.models import CallDiscussion, Comment, Phase
from ideas.models import Idea
from tests.factories import CallFactory, DraftFactory, IdeaFactory, UserFactory, user_with_role

from .helpers import form_data

pytestmark = pytest.mark.django_db


def test_a_comment_and_a_reply_show_on_the_page_with_the_count(client):
    idea = IdeaFactory()
    anna, bernd = UserFactory(display_name="Anna"), UserFactory(display_name="Bernd")
    first = comments.comment_create(idea=idea, by=anna, text="Gute Idee!\nUnbedingt machen.")
    comments.comment_create(idea=idea, by=bernd, text="Finde ich auch.", parent=first)
    assert Idea.objects.get(pk=idea.pk).comment_count == 2
    page = client.get(idea.get_absolute_url()).content.decode()
    assert "Gute Idee!<br>Unbedingt machen." in page
    assert "Finde ich auch." in page
    assert "Diskussion (2 Kommentare)" in page


def test_a_reply_to_a_reply_answers_the_first_comment():
    idea = IdeaFactory()
    first = comments.comment_create(idea=idea, by=UserFactory(), text="Eins")
    reply = comments.comment_create(idea=idea, by=UserFactory(), text="Zwei", parent=first)
    again = comments.comment_create(idea=idea, by=UserFactory(), text="Drei", parent=reply)
    assert again.parent_id == first.pk


def test_replying_to_a_deleted_comment_is_refused():
    idea = IdeaFactory()
    author = UserFactory()
    first = comments.comment_create(idea=idea, by=author, text="Eins")
    comments.comment_delete(comment=first, by=author)
    with pytest.raises(ValidationError):
        comments.comment_create(idea=idea, by=UserFactory(), text="Antwort", parent=first)
    assert Comment.objects.count() == 1


def test_deleting_keeps_the_place_without_the_text(client):
    idea = IdeaFactory()
    author = UserFactory()
    first = comments.comment_create(idea=idea, by=author, text="Ein Geheimnis")
    comments.comment_create(idea=idea, by=UserFactory(), text="Antwort", parent=first)
    comments.comment_delete(comment=first, by=author)
    first.refresh_from_db()
    assert first.text == ""
    assert Idea.objects.get(pk=idea.pk).comment_count == 1
    page = client.get(idea.get_absolute_url()).content.decode()
    assert "Ein Geheimnis" not in page
    assert "gelöscht" in page
    assert "Antwort" in page
    with pytest.raises(PermissionDenied):
        comments.comment_delete(comment=first, by=UserFactory())


def test_editing_within_the_window_marks_the_comment_edited(client):
    idea = IdeaFactory()
    author = UserFactory()
    comment = comments.comment_create(idea=idea, by=author, text="Erste Fassung")
    comments.comment_edit(comment=comment, by=author, text="Zweite Fassung")
    page = client.get(idea.get_absolute_url()).content.decode()
    assert "Zweite Fassung" in page
    assert "bearbeitet" in page
    with pytest.raises(PermissionDenied):
        comments.comment_edit(comment=comment, by=UserFactory(), text="Fremd")
    Comment.objects.filter(pk=comment.pk).update(created_at=timezone.now() - timedelta(hours=1))
    with pytest.raises(PermissionDenied):
        comments.comment_edit(comment=comment, by=author, text="Zu spät")
    assert Comment.objects.get(pk=comment.pk).text == "Zweite Fassung"


def test_official_answers_only_by_editors_and_marked(client):
    idea = IdeaFactory()
    with pytest.raises(PermissionDenied):
        comments.comment_create(idea=idea, by=UserFactory(), text="Amtlich", official=True)
    comments.comment_create(
        idea=idea, by=user_with_role("Redaktion"), text="Die Stadt prüft das.", official=True
    )
    comments.comment_create(idea=idea, by=idea.author, text="Danke!")
    page = client.get(idea.get_absolute_url()).content.decode()
    assert "Offizielle Antwort" in page
    assert "Verfasser" in page


def test_no_comments_on_drafts_duplicates_or_after_the_phase(client):
    now = timezone.now()
    closed = CallFactory(opens_at=now - timedelta(days=20), closes_at=now - timedelta(days=1))
    for idea in (DraftFactory(), IdeaFactory(status="duplicate"), IdeaFactory(call=closed)):
        with pytest.raises(PermissionDenied):
            comments.comment_create(idea=idea, by=UserFactory(), text="Hallo")
    off = IdeaFactory()
    CallDiscussion.objects.create(call=off.call, phase=Phase.OFF)
    off = Idea.objects.get(pk=off.pk)
    with pytest.raises(PermissionDenied):
        comments.comment_create(idea=off, by=UserFactory(), text="Hallo")
    assert not Comment.objects.exists()
    client.force_login(UserFactory())
    draft = DraftFactory()
    response = client.post(reverse("discussion:comment", args=[draft.pk]), form_data(text="x"))
    assert response.status_code == 404


def test_the_same_comment_twice_is_refused():
    idea = IdeaFactory()
    citizen = UserFactory()
    comments.comment_create(idea=idea, by=citizen, text="Super Idee")
    with pytest.raises(ValidationError, match="bereits"):
        comments.comment_create(idea=idea, by=citizen, text="  Super Idee  ")
    assert Comment.objects.count() == 1


def test_an_overlong_comment_is_refused_and_the_text_comes_back(client):
    idea = IdeaFactory()
    client.force_login(UserFactory())
    text = "a" * 100_000
    response = client.post(reverse("discussion:comment", args=[idea.pk]), form_data(text=text))
    assert response.status_code == 400
    page = response.content.decode()
    assert "100000" in page
    assert text in page
    assert not Comment.objects.exists()


def test_pages_of_comments_read_in_constant_queries(client, django_assert_max_num_queries):
    idea = IdeaFactory()
    people = [UserFactory() for _ in range(5)]

    def add(count):
        rows = [
            Comment(idea=idea, author=people[n % 5], text=f"Kommentar {n}") for n in range(count)
        ]
        Comment.objects.bulk_create(rows)
        tops = list(Comment.objects.filter(idea=idea, parent=None)[:20])
        Comment.objects.bulk_create(
            [Comment(idea=idea, author=people[0], text="Antwort", parent=top) for top in tops]
        )

    def queries():
        cache.clear()  # bulk_create bumps no tag: render the page anew
        with CaptureQueriesContext(connection) as context:
            response = client.get(idea.get_absolute_url() + "?kommentare=2")
            assert response.status_code == 200
        return len(context)

    add(30)
    few = queries()
    add(2000)
    assert queries() == few
    client.force_login(UserFactory())
    with django_assert_max_num_queries(few + 12):
        client.get(idea.get_absolute_url() + "?kommentare=50")


def test_a_comment_makes_only_the_ideas_own_page_stale(monkeypatch):
    idea = IdeaFactory()
    bumped = []
    monkeypatch.setattr(comments, "tags_bump", lambda *tags: bumped.append(set(tags)))
    comments.comment_create(idea=idea, by=UserFactory(), text="Hallo")
    assert bumped == [{f"idea:{idea.pk}"}]


def test_the_edit_page_keeps_the_text_and_the_editors_see_the_count_in_the_admin(client):
    idea = IdeaFactory()
    owner = UserFactory()
    comment = comments.comment_create(idea=idea, by=owner, text="Zum Ändern")
    client.force_login(owner)
    page = client.get(reverse("discussion:comment-edit", args=[comment.pk])).content.decode()
    assert "Zum Ändern</textarea>" in page
    response = client.post(
        reverse("discussion:comment-edit", args=[comment.pk]), form_data(text="")
    )
    assert response.status_code == 400
    assert "Bitte schreiben Sie einen Kommentar." in response.content.decode()
    assert Comment.objects.get(pk=comment.pk).text == "Zum Ändern"
    client.force_login(user_with_role("Redaktion"))
    listing = client.get(reverse("admin:ideas_idea_changelist")).content.decode()
    assert "column-support_count" in listing
