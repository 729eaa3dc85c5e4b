"""Who may do what with calls and ideas, role by role and phase by phase.

Each row of a table names a role, a phase of the call and whether the action is allowed. A
test checks the predicate of `ideas.permissions` and what the service (or page) does: when
allowed the change is made, when refused it raises PermissionDenied and the database stays as
it was. A superuser is an administrator, not an editor (accounts.roles)."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from ideas import intake, permissions, services
from ideas.models import Channel, Idea, Status
from tests.factories import (
    DraftFactory,
    IdeaFactory,
    action_field,
    user_in_role,
)
from tests.factories import call_in_phase as call_in
from tests.factories import log_in as login

pytestmark = pytest.mark.django_db

# Everyone but the author of an idea (who exists only once there is an idea).
ROLES = ["anonymous", "citizen", "assessor", "board", "editor", "administrator"]
PHASES = ["open", "closed", "extended", "extension_passed"]
OPEN_PHASES = {"open", "extended"}


def make_user(role: str, idea: Idea | None = None):
    return user_in_role(role, author=idea.author if idea else None)


@pytest.mark.parametrize(
    ("phase", "is_open", "is_extended"),
    [
        ("open", True, False),
        ("closed", False, False),
        ("extended", True, True),
        ("extension_passed", False, True),
    ],
)
def test_the_phases_of_a_call(phase, is_open, is_extended):
    call = call_in(phase)
    assert call.is_open() is is_open
    assert call.is_extended is is_extended
    assert call.extensions.exists() is is_extended


# --- Viewing an idea ------------------------------------------------------------------------

# A draft is its author's alone, in every phase; a submitted idea is public.
VIEW_IDEA = [
    (role, kind, phase, kind == "submitted" or role == "author")
    for role in ["author", *ROLES]
    for kind in ["draft", "submitted"]
    for phase in ["open", "closed"]
]


@pytest.mark.parametrize(("role", "kind", "phase", "allowed"), VIEW_IDEA)
def test_viewing_an_idea(client, role, kind, phase, allowed):
    factory = DraftFactory if kind == "draft" else IdeaFactory
    idea = factory(call=call_in(phase), title="Sitzbänke am Hallmarkt")
    user = make_user(role, idea)
    login(client, user)
    assert permissions.can_view_idea(user, idea) is allowed
    response = client.get(reverse("ideas:idea-detail", args=[idea.pk]))
    if allowed:
        assert response.status_code == 200
        assert "Sitzbänke am Hallmarkt" in response.content.decode()
    else:
        assert response.status_code == 404
        assert "Sitzbänke am Hallmarkt" not in response.content.decode()


# --- Starting an idea (can_submit_to, idea_save_draft without an idea) ---------------------

START = [
    (role, phase, role != "anonymous" and phase in OPEN_PHASES)
    for role in ROLES
    for phase in PHASES
]


@pytest.mark.parametrize(("role", "phase", "allowed"), START)
def test_starting_an_idea(role, phase, allowed):
    call = call_in(phase)
    user = make_user(role)
    assert permissions.can_submit_to(user, call) is allowed
    data = services.IdeaData(title="Offenes WLAN im Stadtpark")
    if allowed:
        idea = services.idea_save_draft(call=call, author=user, data=data)
        stored = Idea.objects.get(pk=idea.pk)
        assert (stored.call, stored.author, stored.status) == (call, user, Status.DRAFT)
    else:
        with pytest.raises(PermissionDenied, match="Zu diesem Aufruf können zurzeit keine Ideen"):
            services.idea_save_draft(call=call, author=user, data=data)
        assert not Idea.objects.filter(title="Offenes WLAN im Stadtpark").exists()


@pytest.mark.parametrize(
    ("role", "phase", "status", "target"),
    [
        ("anonymous", "open", 302, "login"),
        ("citizen", "open", 200, None),
        ("citizen", "extended", 200, None),
        ("citizen", "closed", 302, "call"),
        ("citizen", "extension_passed", 302, "call"),
        ("administrator", "open", 200, None),
    ],
)
def test_the_idea_form_opens_only_while_the_call_is_open(client, role, phase, status, target):
    call = call_in(phase)
    login(client, make_user(role))
    response = client.get(reverse("ideas:idea-create", args=[call.slug]))
    assert response.status_code == status
    if target == "login":
        assert "login" in response["Location"]
    elif target == "call":
        assert response["Location"] == call.get_absolute_url()


# --- Submitting a draft (can_submit_to for its author, idea_submit) ------------------------

SUBMIT = [
    (role, phase, role == "author" and phase in OPEN_PHASES)
    for role in ["author", *ROLES]
    for phase in PHASES
]


@pytest.mark.parametrize(("role", "phase", "allowed"), SUBMIT)
def test_submitting_a_draft(role, phase, allowed):
    draft = DraftFactory(call=call_in(phase))
    user = make_user(role, draft)
    is_author = draft.author_id == getattr(user, "pk", None)
    assert (is_author and permissions.can_submit_to(user, draft.call)) is allowed
    if allowed:
        services.idea_submit(idea=draft, by=user)
    else:
        reason = (
            "Die Frist für diesen Aufruf ist abgelaufen"
            if is_author
            else "Nur die Person, die diese Idee verfasst hat, kann sie einreichen"
        )
        with pytest.raises(PermissionDenied, match=reason):
            services.idea_submit(idea=draft, by=user)
    draft.refresh_from_db()
    submitted = AuditEntry.objects.about(draft).filter(action="ideas.idea.submitted")
    if allowed:
        assert draft.status == Status.SUBMITTED
        assert draft.reference and draft.submitted_at
        assert submitted.get().actor == user
    else:
        assert draft.status == Status.DRAFT
        assert draft.reference is None and draft.submitted_at is None
        assert not submitted.exists()


# --- Editing an idea (can_edit_idea, idea_save_draft with an idea) -------------------------

EDIT = [
    # The author: drafts and submitted ideas, until the current deadline.
    *[
        ("author", kind, phase, phase in OPEN_PHASES)
        for kind in ["draft", "submitted"]
        for phase in PHASES
    ],
    # Nobody else, not even while the call is open.
    *[
        (role, kind, phase, False)
        for role in ROLES
        for kind in ["draft", "submitted"]
        for phase in ["open", "extended"]
    ],
    # Once the editors have moved an idea on, its text stays as it is.
    ("author", "screened", "open", False),
    ("author", "screened", "extended", False),
]


@pytest.mark.parametrize(("role", "kind", "phase", "allowed"), EDIT)
def test_editing_an_idea(role, kind, phase, allowed):
    call = call_in(phase)
    idea = {
        "draft": lambda: DraftFactory(call=call, title="Alter Titel"),
        "submitted": lambda: IdeaFactory(call=call, title="Alter Titel"),
        "screened": lambda: IdeaFactory(call=call, title="Alter Titel", status=Status.SCREENED),
    }[kind]()
    user = make_user(role, idea)
    assert permissions.can_edit_idea(user, idea) is allowed
    data = services.idea_data_from(idea)
    data.title = "Neuer Titel"
    if allowed:
        services.idea_save_draft(call=call, author=user, data=data, idea=idea)
    else:
        with pytest.raises(PermissionDenied, match="Diese Idee kann nicht mehr geändert werden"):
            services.idea_save_draft(call=call, author=user, data=data, idea=idea)
    stored = Idea.objects.get(pk=idea.pk)
    assert stored.title == ("Neuer Titel" if allowed else "Alter Titel")
    assert stored.status == idea.status
    edited = AuditEntry.objects.about(idea).filter(action="ideas.idea.edited_by_author")
    # Changes to a public idea are logged; a draft's are nobody's business.
    assert edited.exists() is (allowed and kind == "submitted")


@pytest.mark.parametrize(
    ("role", "phase", "status", "target"),
    [
        ("author", "open", 200, None),
        ("author", "extended", 200, None),
        ("author", "closed", 302, "idea"),
        ("author", "extension_passed", 302, "idea"),
        ("anonymous", "open", 302, "login"),
        ("citizen", "open", 404, None),
        ("editor", "open", 404, None),
        ("administrator", "open", 404, None),
    ],
)
def test_the_edit_page_of_a_submitted_idea(client, role, phase, status, target):
    idea = IdeaFactory(call=call_in(phase))
    login(client, make_user(role, idea))
    response = client.get(reverse("ideas:idea-edit", args=[idea.pk]))
    assert response.status_code == status
    if target == "login":
        assert "login" in response["Location"]
    elif target == "idea":
        assert response["Location"] == idea.get_absolute_url()


# --- Deleting a draft (can_delete_draft, idea_delete_draft) --------------------------------

DELETE = [
    # Authors delete their own drafts at any time, also after the deadline.
    *[("author", "draft", phase, True) for phase in PHASES],
    # A submitted idea stays.
    *[("author", "submitted", phase, False) for phase in ["open", "closed"]],
    # Nobody deletes someone else's draft.
    *[(role, "draft", "open", False) for role in ROLES],
]


@pytest.mark.parametrize(("role", "kind", "phase", "allowed"), DELETE)
def test_deleting_a_draft(role, kind, phase, allowed):
    factory = DraftFactory if kind == "draft" else IdeaFactory
    idea = factory(call=call_in(phase))
    user = make_user(role, idea)
    assert permissions.can_delete_draft(user, idea) is allowed
    if allowed:
        services.idea_delete_draft(idea=idea, by=user)
    else:
        with pytest.raises(PermissionDenied, match="Sie können nur Ihre eigenen Entwürfe löschen"):
            services.idea_delete_draft(idea=idea, by=user)
    assert Idea.objects.filter(pk=idea.pk).exists() is not allowed


# What the author is offered on "My ideas" and on the idea's page follows the same rules.
OFFERED = [(kind, phase) for kind in ["draft", "submitted"] for phase in PHASES]


@pytest.mark.parametrize(("kind", "phase"), OFFERED)
def test_the_author_is_offered_what_they_may_do(client, kind, phase):
    factory = DraftFactory if kind == "draft" else IdeaFactory
    idea = factory(call=call_in(phase))
    client.force_login(idea.author)
    may_edit = phase in OPEN_PHASES
    may_delete = kind == "draft"
    edit_url = reverse("ideas:idea-edit", args=[idea.pk])
    delete_url = reverse("ideas:idea-delete", args=[idea.pk])
    submit_url = reverse("ideas:idea-submit", args=[idea.pk])
    mine = client.get(reverse("ideas:my-ideas")).content.decode()
    assert (f'href="{edit_url}"' in mine) is may_edit
    assert (f'href="{delete_url}"' in mine) is may_delete
    detail = client.get(idea.get_absolute_url()).content.decode()
    assert (f'href="{edit_url}"' in detail) is may_edit
    assert (f'action="{submit_url}"' in detail) is (may_edit and kind == "draft")


@pytest.mark.parametrize(
    ("role", "kind", "phase", "status", "target"),
    [
        ("author", "draft", "open", 302, "my-ideas"),
        ("author", "draft", "extension_passed", 302, "my-ideas"),
        ("author", "submitted", "open", 302, "idea"),
        ("anonymous", "draft", "open", 302, "login"),
        ("citizen", "draft", "open", 404, None),
        ("editor", "draft", "open", 404, None),
        ("administrator", "draft", "open", 404, None),
    ],
)
def test_the_delete_page(client, role, kind, phase, status, target):
    factory = DraftFactory if kind == "draft" else IdeaFactory
    idea = factory(call=call_in(phase))
    login(client, make_user(role, idea))
    response = client.post(reverse("ideas:idea-delete", args=[idea.pk]))
    assert response.status_code == status
    if target == "login":
        assert "login" in response["Location"]
    elif target == "my-ideas":
        assert response["Location"] == reverse("ideas:my-ideas")
    elif target == "idea":
        assert response["Location"] == idea.get_absolute_url()
    assert Idea.objects.filter(pk=idea.pk).exists() is (target != "my-ideas")


# --- Managing calls (can_manage_calls, call_extend) ----------------------------------------

MANAGE_CALLS = [(role, phase, role == "editor") for role in ROLES for phase in PHASES]


@pytest.mark.parametrize(("role", "phase", "allowed"), MANAGE_CALLS)
def test_extending_a_call(role, phase, allowed):
    call = call_in(phase)
    user = make_user(role)
    assert permissions.can_manage_calls(user) is allowed
    old_deadline = call.deadline
    extensions = call.extensions.count()
    logged = AuditEntry.objects.about(call).filter(action="ideas.call.extended")
    logged_before = logged.count()
    new_deadline = max(old_deadline, timezone.now()) + timedelta(days=7)
    if allowed:
        services.call_extend(call=call, new_deadline=new_deadline, reason="Sommerferien", by=user)
    else:
        with pytest.raises(
            PermissionDenied, match="Nur die Redaktion darf einen Aufruf verlängern"
        ):
            services.call_extend(
                call=call, new_deadline=new_deadline, reason="Sommerferien", by=user
            )
    call.refresh_from_db()
    if allowed:
        assert call.deadline == new_deadline and call.is_open()
        assert call.extensions.count() == extensions + 1
        assert call.extensions.get(new_deadline=new_deadline).created_by == user
        assert logged.count() == logged_before + 1
    else:
        assert call.deadline == old_deadline
        assert call.extensions.count() == extensions
        assert logged.count() == logged_before


@pytest.mark.parametrize(
    ("role", "phase"),
    [*[("editor", phase) for phase in PHASES], *[(role, "closed") for role in ROLES]],
)
def test_extending_a_call_in_the_admin(client, role, phase):
    call = call_in(phase)
    user = make_user(role)
    login(client, user)
    add_page = client.get(reverse("admin:ideas_callextension_add"))
    old_deadline = call.deadline
    new_deadline = timezone.localtime(max(old_deadline, timezone.now()) + timedelta(days=7))
    new_deadline = new_deadline.replace(second=0, microsecond=0)
    response = client.post(
        reverse("admin:ideas_callextension_add"),
        {
            "call": call.pk,
            "new_deadline_0": new_deadline.date().isoformat(),
            "new_deadline_1": new_deadline.strftime("%H:%M:%S"),
            "reason": "Sommerferien",
        },
    )
    call.refresh_from_db()
    if role == "editor":
        assert add_page.status_code == 200
        assert response.status_code == 302
        assert call.deadline == new_deadline and call.is_open()
        assert call.extensions.get(new_deadline=new_deadline).created_by == user
    else:
        # Staff without the role are refused; everyone else is sent to log in as staff.
        for page in (add_page, response):
            assert page.status_code == (403 if role == "administrator" else 302)
            if page.status_code == 302:
                assert "login" in page["Location"]
        assert call.deadline == old_deadline
        assert not call.extensions.filter(reason="Sommerferien").exists()


# --- Ideas that came on paper (can_enter_paper_ideas, ideas.intake.idea_intake) ------------

PAPER = [(role, phase, role == "editor") for role in ROLES for phase in PHASES]


@pytest.mark.parametrize(("role", "phase", "allowed"), PAPER)
def test_entering_a_paper_idea(role, phase, allowed):
    call = call_in(phase)
    user = make_user(role)
    assert permissions.can_enter_paper_ideas(user) is allowed
    data = services.IdeaData(
        title="Brief von Frau Beispiel",
        summary="Mehr Bänke",
        description="Am Markt fehlen Sitzgelegenheiten.",
        problem="Ältere Menschen können nicht rasten.",
        benefit="Der Markt wird für alle nutzbar.",
        action_fields=[action_field()],
        primary_field=action_field(),
        whole_city=True,
    )
    arguments = {
        "call": call,
        "by": user,
        "data": data,
        "arrival": intake.Arrival(
            channel=Channel.POST,
            # It arrived in time (on the day of the deadline in force), whenever entered.
            received_on=min(timezone.localdate(), timezone.localdate(call.deadline)),
            paper_consent=True,
            submitter_name="Erna Beispiel",
        ),
    }
    if allowed:
        idea = intake.idea_intake(**arguments)
        stored = Idea.objects.get(pk=idea.pk)
        assert stored.status == Status.SUBMITTED and stored.reference
        assert (stored.entered_by, stored.channel) == (user, Channel.POST)
    else:
        with pytest.raises(PermissionDenied, match=r"Das darf nur die Redaktion\."):
            intake.idea_intake(**arguments)
        assert not Idea.objects.filter(title="Brief von Frau Beispiel").exists()
