"""Who may do what with the advisory board's shortlists, role by role and phase by phase:
draft (the review window opens later), open (opens_at <= now < closes_at) and closed
(closes_at <= now).

Each row names a role, a phase and whether the action is allowed. A test checks the predicate
of `board.permissions` and what the service or page does: when allowed the change is made,
when refused the service raises PermissionDenied (ValidationError where an editor meets a
frozen shortlist) or the page answers 302 to the login, 403 or 404, and the database stays as
it was. A superuser is not a board member, nor an editor, unless put in that group."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from board import permissions, selectors, services
from board.models import Recommendation, Shortlist, ShortlistItem, Vote
from ideas.models import Status
from tests.factories import CallFactory, IdeaFactory, UserFactory, user_in_role
from tests.factories import log_in as login

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "citizen", "assessor", "board", "editor", "administrator"]
PHASES = ["draft", "open", "closed"]


def make_user(role: str):
    return user_in_role(role)


def shortlist_in(phase: str) -> Shortlist:
    """A shortlist of one qualified idea, its review window in the given phase."""
    now = timezone.now()
    opens_at, closes_at = {
        "draft": (now + timedelta(days=2), now + timedelta(days=9)),
        "open": (now - timedelta(days=1), now + timedelta(days=6)),
        "closed": (now - timedelta(days=9), now - timedelta(days=1)),
    }[phase]
    call = CallFactory(opens_at=now - timedelta(days=90), closes_at=now - timedelta(days=60))
    shortlist = Shortlist.objects.create(
        call=call, title="Kurzliste Mobilität", opens_at=opens_at, closes_at=closes_at
    )
    ShortlistItem.objects.create(
        shortlist=shortlist,
        idea=IdeaFactory(call=call, title="Carsharing-Karte", status=Status.QUALIFIED),
    )
    return shortlist


@pytest.mark.parametrize(
    ("phase", "is_open", "has_opened"),
    [("draft", False, False), ("open", True, True), ("closed", False, True)],
)
def test_the_phases_of_a_shortlist(phase, is_open, has_opened):
    shortlist = shortlist_in(phase)
    assert shortlist.is_open() is is_open
    assert shortlist.has_opened() is has_opened


# --- The board's area (can_enter_board_area) ------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_entering_the_board_area(client, role):
    user = make_user(role)
    allowed = role == "board"
    assert permissions.can_enter_board_area(user) is allowed
    login(client, user)
    # The menu shows the way in to members only.
    menu = client.get(reverse("ideas:home")).content.decode()
    assert (f'href="{reverse("board:home")}"' in menu) is allowed
    response = client.get(reverse("board:home"))
    if allowed:
        assert response.status_code == 200
    elif role == "anonymous":
        assert response.status_code == 302 and "login" in response["Location"]
    else:
        assert response.status_code == 403


# --- Reading a shortlist (can_view_shortlist) -----------------------------------------------

VIEW = [(role, phase, role == "board" and phase != "draft") for role in ROLES for phase in PHASES]


@pytest.mark.parametrize(("role", "phase", "allowed"), VIEW)
def test_reading_a_shortlist(client, role, phase, allowed):
    shortlist = shortlist_in(phase)
    item = shortlist.items.get()
    user = make_user(role)
    assert permissions.can_view_shortlist(user, shortlist) is allowed
    login(client, user)
    pages = [
        client.get(reverse("board:shortlist", args=[shortlist.pk])),
        client.get(reverse("board:item", args=[shortlist.pk, item.pk])),
    ]
    for response in pages:
        if allowed:
            assert response.status_code == 200
            assert "Carsharing-Karte" in response.content.decode()
        else:
            if role == "anonymous":
                assert response.status_code == 302 and "login" in response["Location"]
            else:
                # A draft is as good as absent for the board; everyone else may not enter.
                assert response.status_code == (404 if role == "board" else 403)
            assert "Carsharing-Karte" not in response.content.decode()


# --- Voting (can_vote, recommendation_record and the item page) ----------------------------

VOTE = [(role, phase, role == "board" and phase == "open") for role in ROLES for phase in PHASES]


@pytest.mark.parametrize(("role", "phase", "allowed"), VOTE)
def test_voting(role, phase, allowed):
    shortlist = shortlist_in(phase)
    item = shortlist.items.get()
    user = make_user(role)
    assert permissions.can_vote(user, shortlist) is allowed
    if allowed:
        services.recommendation_record(item=item, member=user, vote=Vote.RECOMMEND)
    else:
        reason = (
            "Der Beratungszeitraum dieser Auswahlliste ist nicht geöffnet"
            if role == "board"
            else "Nur Mitglieder des Beirats können Empfehlungen abgeben"
        )
        with pytest.raises(PermissionDenied, match=reason):
            services.recommendation_record(item=item, member=user, vote=Vote.RECOMMEND)
    assert Recommendation.objects.filter(item=item).exists() is allowed
    (row,) = selectors.shortlist_tally(shortlist=shortlist)
    assert row["tally"].recommend == int(allowed)
    shortlist.refresh_from_db()
    # The first vote freezes the shortlist; a refused one leaves it as it was.
    assert (shortlist.frozen_at is not None) is allowed
    assert AuditEntry.objects.about(shortlist).exists() is allowed


VOTE_PAGE = [
    ("anonymous", "open", 302),
    ("citizen", "open", 403),
    ("assessor", "open", 403),
    ("editor", "open", 403),
    ("administrator", "open", 403),
    ("board", "draft", 404),
    ("board", "open", 302),
    # The window has closed: the page stays readable and says so, the vote is not taken.
    ("board", "closed", 400),
]


@pytest.mark.parametrize(("role", "phase", "status"), VOTE_PAGE)
def test_voting_on_the_item_page(client, role, phase, status):
    shortlist = shortlist_in(phase)
    item = shortlist.items.get()
    login(client, make_user(role))
    response = client.post(
        reverse("board:item", args=[shortlist.pk, item.pk]),
        {"vote": Vote.RECOMMEND, "comment": "Gute Idee"},
    )
    assert response.status_code == status
    allowed = role == "board" and phase == "open"
    if allowed:
        assert response["Location"] == reverse("board:shortlist", args=[shortlist.pk])
    elif role == "anonymous":
        assert "login" in response["Location"]
    elif status == 400:
        assert "Der Beratungszeitraum ist beendet." in response.content.decode()
    assert Recommendation.objects.filter(item=item).exists() is allowed


def test_the_administrators_vote_is_refused_and_not_tallied(client):
    shortlist = shortlist_in("open")
    item = shortlist.items.get()
    administrator = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(administrator)
    response = client.post(
        reverse("board:item", args=[shortlist.pk, item.pk]),
        {"vote": Vote.RECOMMEND, "comment": "Als Admin dafür"},
    )
    assert response.status_code == 403
    assert not Recommendation.objects.exists()
    (row,) = selectors.shortlist_tally(shortlist=shortlist)
    assert row["tally"].votes == 0 and row["comments"] == []
    with pytest.raises(PermissionDenied, match="Nur Mitglieder des Beirats können Empfehlungen"):
        services.recommendation_record(item=item, member=administrator, vote=Vote.RECOMMEND)
    assert not Recommendation.objects.exists()
    (row,) = selectors.shortlist_tally(shortlist=shortlist)
    assert row["tally"].votes == 0


# --- Assembling a shortlist (can_edit_shortlist, shortlist_item_add, shortlist_save) -------

EDIT = [(role, phase, role == "editor" and phase == "draft") for role in ROLES for phase in PHASES]


def refusal(role: str):
    """Others may not touch a shortlist; an editor meets a frozen one (its review began)."""
    if role == "editor":
        return pytest.raises(ValidationError, match="Diese Auswahlliste ist eingefroren")
    return pytest.raises(PermissionDenied, match=r"^Das darf nur die Redaktion\.$")


@pytest.mark.parametrize(("role", "phase", "allowed"), EDIT)
def test_adding_an_idea_to_a_shortlist(role, phase, allowed):
    shortlist = shortlist_in(phase)
    idea = IdeaFactory(call=shortlist.call, title="Sensoren am Hufeisensee")
    idea.status = Status.QUALIFIED
    idea.save(update_fields=["status"])
    user = make_user(role)
    assert permissions.can_edit_shortlist(user, shortlist) is allowed
    if allowed:
        services.shortlist_item_add(shortlist=shortlist, subject=idea, by=user)
    else:
        with refusal(role):
            services.shortlist_item_add(shortlist=shortlist, subject=idea, by=user)
    assert shortlist.items.filter(idea=idea).exists() is allowed
    assert shortlist.items.count() == 1 + allowed


@pytest.mark.parametrize(("role", "phase", "allowed"), EDIT)
def test_renaming_a_shortlist(role, phase, allowed):
    shortlist = shortlist_in(phase)
    user = make_user(role)
    assert permissions.can_edit_shortlist(user, shortlist) is allowed
    shortlist.title = "Kurzliste Mobilität (neu)"
    if allowed:
        services.shortlist_save(shortlist=shortlist, by=user)
    else:
        with refusal(role):
            services.shortlist_save(shortlist=shortlist, by=user)
    stored = Shortlist.objects.get(pk=shortlist.pk)
    assert stored.title == ("Kurzliste Mobilität (neu)" if allowed else "Kurzliste Mobilität")
    assert (
        AuditEntry.objects.about(shortlist).filter(action="board.shortlist.changed").exists()
        is allowed
    )


@pytest.mark.parametrize("phase", ["open", "closed"])
def test_an_editor_may_still_give_the_board_more_time(phase):
    """Frozen is the content, not the end of the window."""
    shortlist = shortlist_in(phase)
    later = timezone.now() + timedelta(days=14)
    shortlist.closes_at = later
    services.shortlist_save(shortlist=shortlist, by=make_user("editor"))
    shortlist.refresh_from_db()
    assert shortlist.closes_at == later and shortlist.is_open()


@pytest.mark.parametrize("role", [role for role in ROLES if role != "editor"])
def test_only_editors_create_shortlists(role):
    user = make_user(role)
    assert permissions.can_edit_shortlist(user, None) is False
    now = timezone.now()
    shortlist = Shortlist(
        call=CallFactory(),
        title="Neue Kurzliste",
        opens_at=now + timedelta(days=1),
        closes_at=now + timedelta(days=8),
    )
    with pytest.raises(PermissionDenied, match=r"Das darf nur die Redaktion\."):
        services.shortlist_save(shortlist=shortlist, by=user)
    assert not Shortlist.objects.exists()


# --- The tally (can_view_tally) -------------------------------------------------------------

TALLY = [(role, phase, role == "editor") for role in ROLES for phase in PHASES]


@pytest.mark.parametrize(("role", "phase", "allowed"), TALLY)
def test_the_tally(client, role, phase, allowed):
    shortlist = shortlist_in(phase)
    if phase == "open":
        member = make_user("board")
        services.recommendation_record(
            item=shortlist.items.get(), member=member, vote=Vote.RECOMMEND, comment="Dafür!"
        )
    user = make_user(role)
    assert permissions.can_view_tally(user) is allowed
    login(client, user)
    # The item as the tally names it: its snapshot's title once frozen, else its reference.
    (row,) = selectors.shortlist_tally(shortlist=shortlist)
    reference = shortlist.items.get().idea.reference
    url = reverse("board:tally", args=[shortlist.pk])
    for response in (client.get(url), client.get(url, {"format": "csv"})):
        body = response.getvalue().decode()
        if allowed:
            assert response.status_code == 200
            assert row["title"] in body
            assert ("Dafür!" in body) is (phase == "open")
        else:
            if role == "anonymous":
                assert response.status_code == 302 and "login" in response["Location"]
            else:
                assert response.status_code == 403
            assert reference not in body and "Carsharing-Karte" not in body
            assert "Dafür!" not in body


# --- The board's outcome (can_record_outcome, item_finalize) --------------------------------

OUTCOME = [
    (role, phase, role == "editor" and phase != "draft") for role in ROLES for phase in PHASES
]


@pytest.mark.parametrize(("role", "phase", "allowed"), OUTCOME)
def test_recording_the_outcome(role, phase, allowed):
    shortlist = shortlist_in(phase)
    item = shortlist.items.get()
    user = make_user(role)
    assert permissions.can_record_outcome(user, shortlist) is allowed
    arguments = {"item": item, "recommendation": Vote.RECOMMEND, "note": "Einstimmig", "by": user}
    if allowed:
        services.item_finalize(**arguments)
    else:
        with pytest.raises(
            PermissionDenied, match="Das darf nur die Redaktion, sobald die Beratung"
        ):
            services.item_finalize(**arguments)
    item.refresh_from_db()
    if allowed:
        assert item.final_recommendation == Vote.RECOMMEND and item.published_at is not None
    else:
        assert item.final_recommendation == "" and item.published_at is None
    # Logged with the idea it is about.
    recorded = AuditEntry.objects.about(item.idea).filter(
        action="board.shortlist.recommendation_recorded"
    )
    assert recorded.exists() is allowed


@pytest.mark.parametrize(
    ("role", "phase", "status", "recorded"),
    [
        ("editor", "open", 302, True),
        ("editor", "closed", 302, True),
        ("editor", "draft", 302, False),  # back to the tally, with the refusal as a message
        ("administrator", "closed", 403, False),
        ("board", "closed", 403, False),
        ("anonymous", "closed", 302, False),
    ],
)
def test_recording_the_outcome_on_the_tally_page(client, role, phase, status, recorded):
    shortlist = shortlist_in(phase)
    item = shortlist.items.get()
    login(client, make_user(role))
    url = reverse("board:tally", args=[shortlist.pk])
    response = client.post(
        url, {"item": item.pk, "recommendation": Vote.RECOMMEND, "note": "", "publish": "1"}
    )
    assert response.status_code == status
    if role == "editor":
        assert response["Location"] == url
    elif role == "anonymous":
        assert "login" in response["Location"]
    item.refresh_from_db()
    assert (item.final_recommendation == Vote.RECOMMEND) is recorded
