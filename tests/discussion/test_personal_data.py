"""The discussion in a person's data download and at the erasure of their account: supports
stay counted and comments stay in their threads, as a former member's."""

import pytest

from accounts.services import user_data_export, user_erase, user_erase_consequences
from discussion import comments, moderation, services
from discussion.models import Comment, Report, Support
from ideas.models import Idea
from tests.factories import IdeaFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def discussant():
    idea = IdeaFactory()
    person = UserFactory(display_name="Paula Privat")
    services.support_add(idea=idea, by=person)
    comment = comments.comment_create(idea=idea, by=person, text="Mein Beitrag dazu")
    other = comments.comment_create(idea=idea, by=UserFactory(), text="Fremder Beitrag")
    moderation.report_create(by=person, reason="Unsachlich", comment=other)
    return {"idea": idea, "person": person, "comment": comment}


def test_the_download_holds_supports_comments_and_reports(discussant):
    data = user_data_export(discussant["person"])
    idea = discussant["idea"]
    assert data["supports"] == [
        {"idea": idea.reference, "supported_at": data["supports"][0]["supported_at"]}
    ]
    assert [comment["text"] for comment in data["comments"]] == ["Mein Beitrag dazu"]
    assert [report["reason"] for report in data["reports"]] == ["Unsachlich"]
    assert "Fremder Beitrag" not in str(data)


def test_erasure_keeps_the_count_and_the_thread_as_a_former_members(
    client, discussant, django_capture_on_commit_callbacks
):
    person, idea = discussant["person"], discussant["idea"]
    sentences = " ".join(user_erase_consequences(person))
    assert "ehemaligen Mitglied" in sentences
    with django_capture_on_commit_callbacks(execute=True):
        user_erase(user=person)
    assert Support.objects.filter(idea=idea, user=None).count() == 1
    assert Idea.objects.get(pk=idea.pk).support_count == 1
    comment = Comment.objects.get(pk=discussant["comment"].pk)
    assert comment.author is None
    assert Report.objects.get().reporter is None
    page = client.get(idea.get_absolute_url()).content.decode()
    assert "Paula Privat" not in page
    assert "Ehemaliges Mitglied" in page
    assert "Mein Beitrag dazu" in page
