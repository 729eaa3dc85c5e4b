"""Staff read the admin in German, including the texts Django's own German catalogue lacks
(provided by the project's catalogue, see halle_smartcity/django_gaps.py and .js)."""

import json
import re
from html.parser import HTMLParser

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from tests.factories import CallFactory, IdeaFactory, UserFactory

pytestmark = pytest.mark.django_db

# What the walk-through found in English in the German admin, and neighbours of it.
ENGLISH = [
    r"- Select an option -",
    r"\bRun\b",
    r"\bFilter by\b",
    r"\bSearch\b",
    r"\bPagination\b",
    r"\bChoose\b",
    r"\bToday\b",
    r"\bShow counts\b",
    r"\bClear all filters\b",
    r"\bSave and\b",
]


class VisibleText(HTMLParser):
    """The text a person reads or hears: text nodes outside scripts and styles, and the
    labels given in attributes (aria-label, title, placeholder, alt, a button's value)."""

    def __init__(self):
        super().__init__()
        self.parts, self.hidden = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "template"):
            self.hidden += 1
        for name, value in attrs:
            if value and (
                name in ("aria-label", "title", "placeholder", "alt")
                or (name == "value" and tag in ("input", "button") and ("type", "submit") in attrs)
            ):
                self.parts.append(value)

    def handle_endtag(self, tag):
        if tag in ("script", "style", "template"):
            self.hidden -= 1

    def handle_data(self, data):
        if not self.hidden and data.strip():
            self.parts.append(data.strip())


def english_left(html: str) -> list[str]:
    parser = VisibleText()
    parser.feed(html)
    return [text for text in parser.parts if any(re.search(pattern, text) for pattern in ENGLISH)]



def test_the_idea_screens_and_the_action_page_read_german(client, editor):
    idea = IdeaFactory()
    changelist = reverse("admin:ideas_idea_changelist")
    pages = {
        "changelist": client.get(changelist),
        "changelist filtered": client.get(changelist, {"status__exact": "submitted"}),
        "change form": client.get(reverse("admin:ideas_idea_change", args=[idea.pk])),
        "add form": client.get(reverse("admin:ideas_idea_add")),
        "action": client.post(
            changelist, {"action": "change_status", "_selected_action": [idea.pk]}
        ),
    }
    assert {name: response.status_code for name, response in pages.items()} == dict.fromkeys(
        pages, 200
    )
    html = {name: response.content.decode() for name, response in pages.items()}
    assert [(name, english_left(page)) for name, page in html.items() if english_left(page)] == []
    # The texts Django lacks, in German: the action button, the search, the date filter, the
    # empty choice of a select box.
    assert ">Ausführen</button>" in html["changelist"]
    assert "Ideen durchsuchen" in html["changelist"]
    assert "Nach eingereicht filtern" in html["changelist"]
    assert "- Bitte auswählen -" in html["add form"]


def test_the_admin_scripts_get_german_texts_for_the_pickers_and_the_date_shortcuts(client, editor):
    CallFactory()
    response = client.get(reverse("admin:jsi18n"), HTTP_ACCEPT_LANGUAGE="de")
    catalog = json.loads(
        re.search(r"const newcatalog = (\{.*?\});", response.content.decode(), re.S)[1]
    )
    assert catalog["Choose selected %s"] == "Markierte %s auswählen"
    assert catalog["Today (%(date)s)"] == "Heute (%(date)s)"
    assert catalog["%(month)s %(day)s, %(year)s"] == "%(day)s. %(month)s %(year)s"
    # Django's own translations are still there.
    assert catalog["Today"] == "Heute"


def test_bulk_action_messages_use_the_right_plural_form(client, editor):
    one = IdeaFactory()
    two = [IdeaFactory(call=one.call), IdeaFactory(call=one.call)]
    changelist = reverse("admin:ideas_idea_changelist")

    def change(ideas):
        response = client.post(
            changelist,
            {
                "action": "change_status",
                "_selected_action": [idea.pk for idea in ideas],
                "apply": "1",
                "status": "screened",
                "reason": "vollständig",
            },
            follow=True,
        )
        return [str(message) for message in response.context["messages"]]

    assert change([one]) == ["1 Idee geändert."]
    assert change(two) == ["2 Ideen geändert."]


def test_every_admin_list_and_form_reads_german(client):
    from django.contrib import admin

    administrator = UserFactory(is_staff=True, is_superuser=True)
    administrator.groups.add(*Group.objects.all())
    client.force_login(administrator)
    IdeaFactory()
    urls = []
    for model in admin.site._registry:
        name = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        urls += [reverse(f"{name}_changelist"), reverse(f"{name}_add")]
        if (first := model._default_manager.first()) is not None:
            urls.append(reverse(f"{name}_change", args=[first.pk]))
    pages = {url: client.get(url) for url in urls}
    shown = {url: response for url, response in pages.items() if response.status_code == 200}
    # Add forms of what only arrives from outside (audit entries, mails) are refused.
    assert len(shown) >= 40
    left = {url: english_left(response.content.decode()) for url, response in shown.items()}
    assert {url: texts for url, texts in left.items() if texts} == {}
