"""A consent names the privacy notice the person saw."""

from datetime import datetime
from unittest import mock
from zoneinfo import ZoneInfo

import pytest

from ideas import services
from pages.models import Page, Slug
from tests.factories import CallFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_a_consent_records_the_privacy_notice_the_person_saw(settings):
    page = Page.objects.get(slug=Slug.PRIVACY)
    edited = datetime(2026, 12, 1, 9, 30, tzinfo=ZoneInfo("UTC"))
    with mock.patch("django.utils.timezone.now", return_value=edited):
        page.save()
    call, citizen = CallFactory(), UserFactory()
    data = services.IdeaData(title="Sitzbänke am Hallmarkt", consent=True)

    idea = services.idea_save_draft(call=call, author=citizen, data=data)

    assert idea.consent_version == "2026-12-01T10:30"  # Berlin time
    Page.objects.filter(slug=Slug.PRIVACY).delete()
    later = services.idea_save_draft(call=call, author=citizen, data=data)
    assert later.consent_version == settings.MITMACHEN_PRIVACY_NOTICE_VERSION
