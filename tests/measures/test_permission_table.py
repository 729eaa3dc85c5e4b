"""Who may build and who may see measures, role by role.

Each row names a role and whether the action is allowed. A test checks the predicate of
`measures.permissions` and what the service or page does: when allowed the change is made,
when refused the service raises PermissionDenied (the admin answers 302 to its login or 403,
the public page 404) and the database stays as it was. A superuser is not an editor unless
put in the editors' group (accounts.roles)."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from audit.models import AuditEntry
from ideas.models import Status
from measures import permissions, services
from measures.models import Measure
from tests.factories import (
    CallFactory,
    IdeaFactory,
    measure_admin_data,
    user_in_role,
    user_with_role,
)
from tests.factories import log_in as login

pytestmark = pytest.mark.django_db

# "author" wrote an idea that the measure bundles.
ROLES = ["anonymous", "citizen", "author", "assessor", "board", "editor", "administrator"]


def make_user(role: str, author=None):
    return user_in_role(role, author=author)


# --- Building measures (can_manage_measures, measure_save, the admin) ----------------------

MANAGE = [(role, role == "editor") for role in ROLES]


@pytest.mark.parametrize(("role", "allowed"), MANAGE)
def test_creating_a_measure(role, allowed):
    idea = IdeaFactory(status=Status.QUALIFIED)
    user = make_user(role, idea.author)
    assert permissions.can_manage_measures(user) is allowed
    measure = Measure(call=idea.call, title="Digitale Parkraumsteuerung", slug="parkraum")
    if allowed:
        services.measure_save(measure=measure, by=user, ideas=[idea], reason="Gebündelt")
    else:
        with pytest.raises(PermissionDenied, match=r"Das darf nur die Redaktion\."):
            services.measure_save(measure=measure, by=user, ideas=[idea], reason="Gebündelt")
    idea.refresh_from_db()
    if allowed:
        stored = Measure.objects.get(slug="parkraum")
        assert list(stored.ideas.all()) == [idea]
        assert idea.status == Status.IN_MEASURE
    else:
        assert not Measure.objects.exists()
        assert idea.status == Status.QUALIFIED
        assert not AuditEntry.objects.about(idea).exists()


@pytest.mark.parametrize(("role", "allowed"), MANAGE)
def test_changing_and_publishing_a_measure(role, allowed):
    idea = IdeaFactory(status=Status.QUALIFIED)
    measure = services.measure_save(
        measure=Measure(call=idea.call, title="Entwurf", slug="entwurf"),
        by=user_with_role("Redaktion"),
        ideas=[idea],
    )
    user = make_user(role, idea.author)
    assert permissions.can_manage_measures(user) is allowed
    measure.title, measure.published = "Veröffentlicht", True
    if allowed:
        services.measure_save(measure=measure, by=user, ideas=[])
    else:
        with pytest.raises(PermissionDenied, match=r"Das darf nur die Redaktion\."):
            services.measure_save(measure=measure, by=user, ideas=[])
    stored = Measure.objects.get(pk=measure.pk)
    idea.refresh_from_db()
    if allowed:
        assert (stored.title, stored.published) == ("Veröffentlicht", True)
        # The idea left its only measure: qualified again.
        assert not stored.ideas.exists() and idea.status == Status.QUALIFIED
    else:
        assert (stored.title, stored.published) == ("Entwurf", False)
        assert list(stored.ideas.all()) == [idea] and idea.status == Status.IN_MEASURE
    changed = AuditEntry.objects.about(measure).filter(action="measures.measure.changed")
    assert changed.exists() is allowed


@pytest.mark.parametrize("role", ROLES)
def test_the_measures_in_the_admin(client, role):
    idea = IdeaFactory(status=Status.QUALIFIED)
    user = make_user(role, idea.author)
    login(client, user)
    allowed = role == "editor"
    changelist = client.get(reverse("admin:measures_measure_changelist"))
    add = client.post(
        reverse("admin:measures_measure_add"),
        measure_admin_data(
            call=idea.call, ideas=[idea], title="Über das Admin", slug="ueber-das-admin"
        ),
    )
    idea.refresh_from_db()
    if allowed:
        assert changelist.status_code == 200
        assert add.status_code == 302
        assert list(Measure.objects.get(slug="ueber-das-admin").ideas.all()) == [idea]
        assert idea.status == Status.IN_MEASURE
    else:
        # Staff without the role are refused; everyone else is sent to log in as staff.
        expected = 403 if user.is_authenticated and user.is_staff else 302
        for response in (changelist, add):
            assert response.status_code == expected
            if expected == 302:
                assert "login" in response["Location"]
        assert not Measure.objects.exists()
        assert idea.status == Status.QUALIFIED


# --- Seeing a measure (can_view_measure) ----------------------------------------------------

# A published measure of a published call is public; editors also see the others (a
# measure in the making) on its page, though the public list shows only public measures.
VIEW = [
    (role, state, state == "published" or role == "editor")
    for role in ROLES
    for state in ["published", "unpublished", "call_unpublished"]
]


@pytest.mark.parametrize(("role", "state", "allowed"), VIEW)
def test_seeing_a_measure(client, role, state, allowed):
    call = CallFactory(published=state != "call_unpublished")
    idea = IdeaFactory(call=call, status=Status.IN_MEASURE)
    measure = Measure.objects.create(
        call=call,
        title="Smarte Straßenlaternen",
        slug="laternen",
        published=state != "unpublished",
    )
    measure.ideas.add(idea)
    user = make_user(role, idea.author)
    assert permissions.can_view_measure(user, measure) is allowed
    login(client, user)
    page = client.get(reverse("measures:measure-detail", args=[measure.slug]))
    assert page.status_code == (200 if allowed else 404)
    assert ("Smarte Straßenlaternen" in page.content.decode()) is allowed
    listing = client.get(reverse("measures:measure-list")).content.decode()
    assert ("Smarte Straßenlaternen" in listing) is (state == "published")
