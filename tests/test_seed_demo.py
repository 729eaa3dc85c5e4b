import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import Count
from django.urls import reverse

from ideas.models import Call, Idea
from review.selectors import catalogue_current

pytestmark = pytest.mark.django_db


def test_seed_demo_loads_halles_call_and_is_idempotent(client, capsys, settings):
    settings.DEBUG = False
    call_command("seed_demo")
    call_command("seed_demo")
    output = capsys.readouterr().out
    assert "85/85" in output  # progress bar
    assert "Demo-Buerger-2026!" not in output  # passwords are printed in development only

    halle = Call.objects.get(slug="smart-city-halle-2022")
    assert halle.ideas.published().count() == 85
    assert Idea.objects.count() == 85
    assert halle.closes_at.strftime("%d.%m.%Y") == "16.12.2022"
    assert halle.extensions.get().new_deadline.astimezone().date().isoformat() == "2023-01-08"
    assert Call.objects.get(slug="demo-aufruf").is_open()

    # The city's report sorts each idea under one (primary) action field ...
    primary = dict(
        halle.ideas.values_list("primary_field__slug").annotate(n=Count("id")).order_by()
    )
    assert primary == {"bildung": 45, "wirtschaft": 11, "mobilitaet": 17, "verwaltung": 12}
    # ... the site counts an idea in every field it names, as the list's filter finds them.
    response = client.get(halle.get_absolute_url())
    counts = {field.slug: n for field, n in response.context["field_counts"]}
    assert counts == {"bildung": 49, "wirtschaft": 21, "mobilitaet": 21, "verwaltung": 23}
    page = response.content.decode()
    for number in ("49", "21", "23"):
        assert f'field-counts__number">{number}<' in page
    # Its process is dated by the milestones: the city's strategy is being implemented.
    assert "Wir sind hier: <strong>Umsetzung</strong>" in page
    # The home page shows the open demo call: its process stands at the call itself.
    home = client.get(reverse("ideas:home")).content.decode()
    assert "Wir sind hier: <strong>Ideenaufruf</strong>" in home


def test_seed_demo_creates_one_account_per_role(settings, capsys):
    settings.DEBUG = True
    call_command("seed_demo")
    users = get_user_model().objects
    assert users.get(email="redaktion@example.org").groups.filter(name="Redaktion").exists()
    assert users.get(email="bewertung@example.org").groups.filter(name="Bewertung").exists()
    assert users.get(email="beirat@example.org").groups.filter(name="Beirat").exists()
    assert users.get(email="admin@example.org").is_superuser
    assert users.get(email="buerger@example.org").check_password("Demo-Buerger-2026!")
    assert "Demo-Buerger-2026!" in capsys.readouterr().out


def test_seed_demo_gives_the_calls_halles_criteria_catalogue():
    call_command("seed_demo")
    halle = Call.objects.get(slug="smart-city-halle-2022")
    catalogue = catalogue_current(halle)
    assert catalogue.criteria.filter(knockout=True).count() == 3
    assert catalogue.criteria.count() == 11


def test_seed_demo_opens_a_shortlist_for_three_board_members():
    from board.models import Shortlist

    call_command("seed_demo")
    call_command("seed_demo")
    shortlist = Shortlist.objects.get()
    assert shortlist.frozen_at is not None
    assert shortlist.items.count() == 4
    assert get_user_model().objects.filter(groups__name="Beirat").count() >= 3
