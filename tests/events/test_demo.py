"""Halle's process as demo data: events, milestones and publications, loaded idempotently."""

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from demo.events_process import halle_process_size
from events.models import Event, Milestone, Publication
from tests.factories import CallFactory
from tests.factories import action_field as field

pytestmark = pytest.mark.django_db


def test_halles_process_loads_idempotently_with_a_progress_bar(client, capsys):
    field("bildung")
    CallFactory(slug="smart-city-halle-2022", title="Projektideenaufruf Smart City Halle")
    call_command("load_halle_process")
    call_command("load_halle_process")
    output = capsys.readouterr().out
    total = halle_process_size()
    assert f"{total}/{total}" in output
    assert Event.objects.count() == 7  # six of Halle's, one demo event to try
    assert Milestone.objects.count() == 8
    assert Publication.objects.count() == 7
    # Loading again changes nothing, so calendars see no new SEQUENCE.
    assert set(Event.objects.values_list("sequence", flat=True)) == {0}

    workshop = Event.objects.get(slug="kreativwerkstatt-bildung-ha-neu-2022")
    assert timezone.localtime(workshop.starts_at).strftime("%d.%m.%Y %H:%M") == "02.12.2022 10:00"
    assert workshop.call.slug == "smart-city-halle-2022"
    assert list(workshop.action_fields.values_list("slug", flat=True)) == ["bildung"]

    timeline = client.get(reverse("events:timeline")).content.decode()
    assert "Start der Strategiephase" in timeline
    assert "Ratsbeschluss" in timeline
    assert timeline.index("Start der Strategiephase") < timeline.index("Ratsbeschluss")
    past = client.get(reverse("events:event-list-past")).content.decode()
    assert "Kreativwerkstatt Bildung Ha-Neu" in past
    upcoming = client.get(reverse("events:event-list"))
    assert [event.slug for event in upcoming.context["events"]] == ["demo-infoabend"]
    press = client.get(reverse("events:publication-list")).content.decode()
    assert "H@llAnzeiger" in press
