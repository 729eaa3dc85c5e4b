"""Changes staff and account holders make outside the domain workflows are audited too: roles
given and taken in the admin, profiles, the vocabularies, the legal pages and the timeline."""

from datetime import date

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from accounts.models import User
from audit.models import AuditEntry
from audit.selectors import entry_description
from events.models import Milestone
from fields.models import ActionField
from pages.models import Page
from tests.factories import UserFactory, action_field, user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def administrator():
    admin = UserFactory(is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(admin)
    return admin, client


def test_roles_given_and_taken_in_the_admin_are_audited_in_words(administrator, languages_de):
    admin, client = administrator
    person = UserFactory(display_name="Neu im Beirat")
    person.groups.add(Group.objects.get(name="Bewertung"))
    board = Group.objects.get(name="Beirat")
    response = client.post(
        reverse("admin:accounts_user_change", args=[person.pk]),
        {
            "email": person.email,
            "display_name": person.display_name,
            "first_name": "",
            "last_name": "",
            "language": "de",
            "is_active": "on",
            "groups": [board.pk],
            "last_login_0": "",
            "last_login_1": "",
            "date_joined_0": "01.12.2026",
            "date_joined_1": "10:00:00",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert set(person.groups.values_list("name", flat=True)) == {"Beirat"}
    entry = AuditEntry.objects.about(person).get(action="accounts.user.roles_changed")
    assert entry.actor == admin
    assert entry.data == {"added": ["Beirat"], "removed": ["Bewertung"]}
    assert entry_description(entry) == "hinzugefügt: Beirat; entfernt: Bewertung"


def test_a_profile_change_is_audited_by_field_name_not_value(client):
    user = UserFactory(display_name="Alter Name")
    client.force_login(user)
    client.post(
        reverse("accounts:profile"),
        {"display_name": "Neuer Name", "first_name": "", "last_name": "", "language": "de"},
    )
    entry = AuditEntry.objects.about(user).get(action="accounts.user.profile_changed")
    assert entry.data == {"fields": ["display_name"]}
    assert "Neuer Name" not in str(entry.data)


def test_vocabulary_edits_in_the_admin_go_through_the_service(administrator):
    admin, client = administrator
    field = action_field("bildung")
    response = client.post(
        reverse("admin:fields_actionfield_change", args=[field.pk]),
        {
            "name": "Bildung und Lernen",
            "slug": field.slug,
            "colour": field.colour,
            "order": field.order,
            "active": "on",
            "description": field.description,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert ActionField.objects.get(pk=field.pk).name == "Bildung und Lernen"
    entry = AuditEntry.objects.about(field).get()
    assert (entry.action, entry.actor, entry.data) == (
        "fields.actionfield.changed",
        admin,
        {"fields": ["name"]},
    )


def test_editors_may_read_but_not_change_the_vocabularies():
    editor = user_with_role("Redaktion")
    client = Client()
    client.force_login(editor)
    field = action_field("bildung")
    assert (
        client.get(reverse("admin:fields_actionfield_change", args=[field.pk])).status_code == 200
    )
    client.post(
        reverse("admin:fields_actionfield_change", args=[field.pk]),
        {"name": "Umbenannt", "slug": field.slug, "colour": field.colour, "order": 1},
    )
    assert ActionField.objects.get(pk=field.pk).name != "Umbenannt"
    assert not AuditEntry.objects.exists()


def test_a_legal_page_edit_is_audited(languages_de):
    editor = user_with_role("Redaktion")
    client = Client()
    client.force_login(editor)
    # Forms strip trailing line breaks: start from texts as the form leaves them.
    Page.objects.filter(slug="imprint").update(
        body_en="Published by the city of {city_name}.", body_de="Alt."
    )
    page = Page.objects.get(slug="imprint")
    response = client.post(
        reverse("admin:pages_page_change", args=[page.pk]),
        {
            "title_de": page.title_de,
            "body_de": "Herausgegeben von der Stadt.",
            "title_en": page.title_en,
            "body_en": page.body_en,
        },
    )
    assert response.status_code == 302
    entry = AuditEntry.objects.about(page).get()
    assert (entry.action, entry.actor, entry.data) == (
        "pages.page.changed",
        editor,
        {"fields": ["body_de"]},
    )


def test_timeline_entries_are_saved_and_deleted_through_the_service(administrator):
    admin, client = administrator
    response = client.post(
        reverse("admin:events_milestone_add"),
        {
            "title": "Stadtratsbeschluss",
            "description": "",
            "starts_on": "01.05.2023",
            "ends_on": "",
            "precision": "day",
            "public": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    milestone = Milestone.objects.get(title="Stadtratsbeschluss")
    assert milestone.starts_on == date(2023, 5, 1)
    assert AuditEntry.objects.about(milestone).get().action == "events.milestone.created"
    client.post(reverse("admin:events_milestone_delete", args=[milestone.pk]), {"post": "yes"})
    assert not Milestone.objects.exists()
    assert AuditEntry.objects.get(action="events.milestone.deleted").data == {
        "name": "Stadtratsbeschluss"
    }
    assert User.objects.filter(pk=admin.pk).exists()
