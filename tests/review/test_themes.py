"""Themes across action fields: computed by the worker from the stored analysis, proposed
in the admin with a link that prefills a measure; Halle's demo ideas yield a theme that
spans three action fields."""

import json
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from django.conf import settings
from django.urls import reverse

from audit.models import AuditEntry
from ideas import similarity_search
from review import tasks, themes
from review.models import Theme, ThemeRun
from tests.factories import CallFactory, IdeaFactory
from tests.factories import action_field as field

pytestmark = pytest.mark.django_db

DEMO = Path(settings.BASE_DIR) / "demo" / "demo_data" / "halle_ideas.json"


@pytest.fixture
def demo_call():
    call = CallFactory()
    for idea in json.loads(DEMO.read_text("utf-8")):
        fields = [field(slug) for slug in idea["fields"]]
        IdeaFactory(
            call=call,
            title=idea["title"],
            summary=idea["summary"],
            problem=idea["problem"],
            primary_field=field(idea["primary_field"]),
            action_fields=fields,
        )
    similarity_search.idea_terms_missing()
    return call


def compute(call) -> ThemeRun:
    run = ThemeRun.objects.create(call=call, state=ThemeRun.State.QUEUED)
    tasks.themes_compute(run.pk)
    run.refresh_from_db()
    return run


def test_the_demo_ideas_yield_a_theme_across_three_action_fields(demo_call):
    run = compute(demo_call)
    assert run.state == ThemeRun.State.DONE and run.progress == 100
    found = list(Theme.objects.filter(call=demo_call))
    assert found, "no themes"
    assert max(theme.field_count for theme in found) >= 3
    for theme in found:
        assert theme.ideas.count() >= themes.MIN_IDEAS
        assert theme.field_count >= themes.MIN_FIELDS
        assert theme.words and all(isinstance(word, str) and word for word in theme.words)


def test_the_admin_proposes_them_with_a_prefilled_measure(client, editor, demo_call):
    compute(demo_call)
    theme = Theme.objects.filter(call=demo_call).first()
    page = client.get(reverse("admin:review_theme_changelist")).content.decode()
    assert ", ".join(theme.words) in page
    link = reverse("admin:measures_measure_add")
    assert link in page
    start = page.index(link + "?")
    href = page[start : page.index("'", start)].replace("&amp;", "&")
    query = parse_qs(urlparse(href).query)
    assert sorted(query["ideas"][0].split(",")) == sorted(
        str(pk) for pk in theme.ideas.values_list("pk", flat=True)
    )
    assert client.get(href).status_code == 200


def test_an_editor_asks_the_worker_and_follows_the_progress(
    client, editor, demo_call, django_capture_on_commit_callbacks, settings
):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("admin:review_themerun_add"), {"call": demo_call.pk})
    assert response.status_code == 302
    run = ThemeRun.objects.get()
    assert run.state == ThemeRun.State.DONE
    assert AuditEntry.objects.filter(action="review.themes.requested").count() == 1
    page = client.get(reverse("admin:review_themerun_changelist")).content.decode()
    assert "100" in page


def test_the_hourly_refresh_recomputes_only_changed_calls(demo_call):
    assert themes.themes_refresh() >= 1
    runs = ThemeRun.objects.count()
    themes.themes_refresh()
    assert ThemeRun.objects.count() == runs


def test_the_clustering_joins_ideas_sharing_rare_words():
    rows = [
        (1, "radweg saal radweg"),
        (2, "radweg ufer radweg"),
        (3, "radweg saal"),
        (4, "bank park bank"),
        (5, "bank park bank"),
        *[(10 + n, f"wort{n} common") for n in range(20)],
    ]
    docs = themes.documents(lambda: iter(rows))
    groups = sorted(sorted(members) for members, _c in themes.cluster(docs) if len(members) > 1)
    assert [1, 2, 3] in groups and [4, 5] in groups
