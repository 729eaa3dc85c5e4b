from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from board import notices as board_notices
from board import selectors
from board import services as board
from board.models import Recommendation, Shortlist, ShortlistItem, Vote
from board.tally import tally
from ideas.models import Status
from review import assessments
from tests.factories import IdeaFactory, UserFactory, user_with_role

pytestmark = pytest.mark.django_db

R, N, A = Vote.RECOMMEND, Vote.NOT_RECOMMEND, Vote.ABSTAIN


# --- Tally arithmetic -----------------------------------------------------------------------


def test_quorum_defaults_to_half_the_members():
    result = tally(votes=[(R, False), (R, False), (N, False)], members=6)
    assert (result.recommend, result.not_recommend, result.quorum) == (2, 1, 3)
    assert result.quorum_reached and result.outcome == R
    assert not tally(votes=[(R, False), (R, False)], members=6).quorum_reached


def test_recused_members_are_left_out_of_tally_and_quorum():
    result = tally(votes=[(R, False), ("", True), ("", True), (N, False)], members=6)
    assert result.recused == 2 and result.eligible == 4 and result.quorum == 2
    assert result.quorum_reached
    assert result.outcome == ""  # a tie recommends nothing


def test_abstentions_count_for_the_quorum_not_the_outcome():
    result = tally(votes=[(A, False), (A, False), (N, False)], members=5)
    assert result.quorum_reached and result.outcome == N


def test_explicit_quorum():
    assert not tally(votes=[(R, False)] * 3, members=9, quorum=4).quorum_reached


# --- Fixtures -------------------------------------------------------------------------------


@pytest.fixture
def editor():
    return user_with_role("Redaktion")


@pytest.fixture
def members():
    return [user_with_role("Beirat") for _ in range(3)]


@pytest.fixture
def submitter():
    return UserFactory(
        email="geheim.einreicher-9931@example.org",
        display_name="Saalefuchs",
        first_name="Hanna",
        last_name="Unverwechselbar-9931",
    )


@pytest.fixture
def shortlist(editor, submitter):
    idea = IdeaFactory(
        author=submitter,
        status=Status.QUALIFIED,
        title="Smarte Schulwege",
        submitter_phone="0345 9931 9931",
    )
    assessments.catalogue_create_default(call=idea.call)
    now = timezone.now()
    shortlist = Shortlist.objects.create(
        call=idea.call,
        title="Auswahl Bildung",
        opens_at=now - timedelta(hours=1),
        closes_at=now + timedelta(days=5),
    )
    ShortlistItem.objects.create(shortlist=shortlist, idea=idea)
    return shortlist


def item_of(shortlist):
    return shortlist.items.get()


# --- Recommendations and snapshots ----------------------------------------------------------


def test_members_recommend_and_can_change_until_the_window_closes(shortlist, members):
    item = item_of(shortlist)
    board.recommendation_record(item=item, member=members[0], vote=R)
    board.recommendation_record(item=item, member=members[0], vote=N, comment="Zu teuer")
    assert Recommendation.objects.get(member=members[0]).vote == N
    later = shortlist.closes_at + timedelta(minutes=1)
    with pytest.raises(PermissionDenied, match="Der Beratungszeitraum dieser Auswahlliste ist"):
        board.recommendation_record(item=item, member=members[0], vote=R, now=later)
    assert Recommendation.objects.get(member=members[0]).vote == N


def test_non_members_cannot_recommend(shortlist, editor):
    for user in (editor, user_with_role("Bewertung"), UserFactory()):
        with pytest.raises(
            PermissionDenied, match="Nur Mitglieder des Beirats können Empfehlungen"
        ):
            board.recommendation_record(item=item_of(shortlist), member=user, vote=R)


def test_a_conflict_of_interest_removes_the_vote_and_blocks_voting(shortlist, members):
    item = item_of(shortlist)
    board.recommendation_record(item=item, member=members[0], vote=R)
    board.recommendation_record(item=item, member=members[0], conflict_of_interest=True)
    with pytest.raises(ValidationError, match="Sie haben für diesen Eintrag einen"):
        board.recommendation_record(item=item, member=members[0], vote=R)
    board.recommendation_record(item=item, member=members[1], vote=N)
    row = selectors.shortlist_tally(shortlist=shortlist)[0]
    assert (row["tally"].recommend, row["tally"].not_recommend, row["tally"].recused) == (0, 1, 1)


def test_the_snapshot_stays_put_and_changes_are_marked(client, shortlist, members):
    item = item_of(shortlist)
    board.shortlist_freeze(shortlist=shortlist)
    item.refresh_from_db()
    assert item.snapshot["title"] == "Smarte Schulwege"
    idea = item.idea
    idea.title = "Ganz anders"
    idea.save()
    client.force_login(members[0])
    page = client.get(
        reverse("board:item", args=[shortlist.pk, item.pk]), HTTP_ACCEPT_LANGUAGE="de"
    ).content.decode()
    assert "Smarte Schulwege" in page and "Ganz anders" in page
    assert selectors.item_changes(item)[0]["key"] == "title"
    with pytest.raises(ValidationError, match="Diese Auswahlliste ist eingefroren: Die Beratung"):
        board.shortlist_item_add(
            shortlist=shortlist,
            subject=IdeaFactory(status=Status.QUALIFIED),
            by=user_with_role("Redaktion"),
        )


def test_board_pages_show_no_personal_data(client, shortlist, members):
    item = item_of(shortlist)
    client.force_login(members[0])
    for url in (
        reverse("board:home"),
        reverse("board:shortlist", args=[shortlist.pk]),
        reverse("board:item", args=[shortlist.pk, item.pk]),
    ):
        page = client.get(url).content.decode()
        for secret in (
            "geheim.einreicher-9931",
            "Unverwechselbar-9931",
            "9931 9931",
            "Hanna",
            "Saalefuchs",
        ):
            assert secret not in page, (url, secret)


@pytest.mark.parametrize("role", ["anonymous", "citizen", "assessor", "editor"])
def test_only_board_members_enter_the_board_area(client, shortlist, role):
    if role != "anonymous":
        client.force_login(
            {
                "citizen": UserFactory,
                "assessor": lambda: user_with_role("Bewertung"),
                "editor": lambda: user_with_role("Redaktion"),
            }[role]()
        )
    item = item_of(shortlist)
    for url in (
        reverse("board:home"),
        reverse("board:shortlist", args=[shortlist.pk]),
        reverse("board:item", args=[shortlist.pk, item.pk]),
    ):
        response = client.get(url)
        assert response.status_code == (302 if role == "anonymous" else 403)


def test_item_of_another_shortlist_or_future_shortlist_is_not_found(client, shortlist, members):
    other = Shortlist.objects.create(
        call=shortlist.call,
        title="Später",
        opens_at=timezone.now() + timedelta(days=3),
        closes_at=timezone.now() + timedelta(days=9),
    )
    client.force_login(members[0])
    assert client.get(reverse("board:shortlist", args=[other.pk])).status_code == 404
    response = client.post(
        reverse("board:item", args=[other.pk, item_of(shortlist).pk]), {"vote": R}
    )
    assert response.status_code == 404
    assert not Recommendation.objects.exists()


def test_member_votes_through_the_page_and_bad_input_is_refused(client, shortlist, members):
    item = item_of(shortlist)
    url = reverse("board:item", args=[shortlist.pk, item.pk])
    client.force_login(members[0])
    response = client.post(url, {"vote": "stimme-doppelt"}, HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 400
    assert client.post(url, {"vote": R, "comment": "Gute Idee"}).status_code == 302
    assert Recommendation.objects.get(member=members[0]).comment == "Gute Idee"


def test_tally_for_editors_and_published_recommendation(client, shortlist, members, editor):
    item = item_of(shortlist)
    for member, vote in zip(members, (R, R, N), strict=True):
        board.recommendation_record(item=item, member=member, vote=vote)
    url = reverse("board:tally", args=[shortlist.pk])
    client.force_login(members[0])
    assert client.get(url).status_code == 403
    client.force_login(editor)
    row = client.get(url).context["rows"][0]
    assert row["tally"].quorum_reached and row["tally"].outcome == R
    csv = b"".join(client.get(url, {"format": "csv"}).streaming_content).decode()
    assert "Smarte Schulwege" in csv
    client.post(
        url, {"item": item.pk, "recommendation": R, "note": "Einstimmig fast", "publish": "on"}
    )
    page = client.get(item.idea.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "Empfehlung des Beirats" in page and "Einstimmig fast" in page


def test_members_are_told_when_a_shortlist_opens_and_two_days_before_it_closes(
    shortlist, members, django_capture_on_commit_callbacks
):
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        board_notices.shortlists_notices_plan(now=now)
        board_notices.shortlists_notices_plan(now=now)
    assert sorted(message.to[0] for message in mail.outbox) == sorted(m.email for m in members)
    shortlist.refresh_from_db()
    assert shortlist.frozen_at is not None
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        board_notices.shortlists_notices_plan(now=shortlist.closes_at - timedelta(days=1))
    assert len(mail.outbox) == 3
