"""The idea form groups its quarters by district (a fieldset and legend each), so that 42
checkboxes can be scanned; every box is in the page without JavaScript."""

import re

import pytest
from django.urls import reverse

from tests.factories import DistrictFactory, QuarterFactory

pytestmark = pytest.mark.django_db


def test_the_quarters_are_grouped_by_district_in_the_districts_order(citizen_client, open_call):
    west = DistrictFactory(name="West", order=5)
    mitte = DistrictFactory(name="Mitte", order=1)
    QuarterFactory(district=west, name="Neustadt")
    QuarterFactory(district=mitte, name="Altstadt")
    QuarterFactory(district=west, name="Heide-Nord")
    QuarterFactory(district=mitte, name="Südliche Innenstadt")

    page = citizen_client.get(reverse("ideas:idea-create", args=[open_call.slug])).content.decode()

    groups = re.findall(
        r'<fieldset class="kern-fieldset quarter-picker__district" data-quarter-district>\s*'
        r"<legend[^>]*>([^<]+)</legend>(.*?)</fieldset>",
        page,
        re.S,
    )
    assert [
        (district, re.findall(r'<label class="kern-label" for="id_quarters_\d+">([^<]+)<', body))
        for district, body in groups
    ] == [
        ("Mitte", ["Altstadt", "Südliche Innenstadt"]),
        ("West", ["Heide-Nord", "Neustadt"]),
    ]
    # The box that narrows them is revealed by the script; without it all boxes show.
    assert re.search(r'<div class="quarter-picker__filter" data-quarter-filter hidden>', page)
