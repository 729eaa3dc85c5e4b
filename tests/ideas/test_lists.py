"""The public lists: filters, sorting, pagination, and a fixed number of queries."""

import html
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from ideas.counts import counts_refresh
from ideas.models import Idea, IdeaImage, Status
from tests.factories import CallFactory, DraftFactory, IdeaFactory, QuarterFactory, UserFactory
from tests.factories import action_field as field

pytestmark = pytest.mark.django_db


def shown(response) -> list[tuple[int, str]]:
    """The ideas a visitor sees on the list page, in order: (pk, title) of each card."""
    return cards_shown(response.content.decode())


def cards_shown(page: str) -> list[tuple[int, str]]:
    results = page.split('id="idea-results"', 1)[1]
    found = re.findall(r'kern-link--stretched" href="[^"]*/(\d+)/">([^<]*)</a>', results)
    return [(int(pk), html.unescape(title)) for pk, title in found]


def bulk_ideas(count: int, *, call=None) -> list[Idea]:
    """Many published ideas with fields, quarters and an image each, in a few queries."""
    call = call or CallFactory()
    author = UserFactory()
    quarter = QuarterFactory()
    now = timezone.now()
    fields = [field("bildung"), field("wirtschaft"), field("mobilitaet"), field("verwaltung")]
    ideas = Idea.objects.bulk_create(
        Idea(
            call=call,
            author=author,
            title=f"Idee {n:05d}",
            summary="Kurz.",
            primary_field=fields[n % 4],
            status=Status.SUBMITTED,
            reference=f"SC-T-{n:05d}",
            submitted_at=now - timedelta(minutes=n),
            whole_city=n % 2 == 0,
        )
        for n in range(count)
    )
    Idea.action_fields.through.objects.bulk_create(
        Idea.action_fields.through(idea=idea, actionfield=idea.primary_field) for idea in ideas
    )
    Idea.quarters.through.objects.bulk_create(
        Idea.quarters.through(idea=idea, quarter=quarter) for idea in ideas
    )
    IdeaImage.objects.bulk_create(
        IdeaImage(idea=idea, image="ideas/x.jpg", thumbnail="ideas/x.webp", width=8, height=6)
        for idea in ideas
    )
    return ideas


@pytest.mark.parametrize("count", [20, 2000])
def test_idea_list_runs_a_fixed_number_of_queries(client, django_assert_max_num_queries, count):
    bulk_ideas(count)
    # count, page, quarters, images, and the filter's choices (calls, fields, quarters)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("ideas:idea-list"), {"field": "bildung", "page": 2})
    assert response.status_code == 200


@pytest.mark.parametrize("count", [20, 2000])
def test_home_runs_a_fixed_number_of_queries(client, django_assert_max_num_queries, count):
    bulk_ideas(count)
    counts_refresh()  # what the periodic task does
    # The current call, the stored counts, the fields, the latest three ideas (with their
    # quarters and images), the process's milestones and workshops, the next events.
    with django_assert_max_num_queries(10) as queries:
        assert client.get(reverse("ideas:home")).status_code == 200
    # The numbers come from the stored counts: no query counts or groups the ideas, and the
    # latest ideas are read three at most.
    on_ideas = [q["sql"] for q in queries.captured_queries if '"ideas_idea"' in q["sql"]]
    assert not [sql for sql in on_ideas if "COUNT(" in sql or "GROUP BY" in sql]
    assert [sql for sql in on_ideas if sql.rstrip().endswith("LIMIT 3")]


@pytest.mark.parametrize("count", [20, 2000])
def test_my_ideas_runs_a_fixed_number_of_queries(client, django_assert_max_num_queries, count):
    ideas = bulk_ideas(count)
    client.force_login(ideas[0].author)
    with django_assert_max_num_queries(6):
        assert client.get(reverse("ideas:my-ideas")).status_code == 200


def test_list_paginates_twenty_per_page(client):
    bulk_ideas(45)
    first = client.get(reverse("ideas:idea-list"))
    assert len(shown(first)) == 20
    assert first.context["page"].paginator.count == 45
    last = client.get(reverse("ideas:idea-list"), {"page": 3})
    assert len(shown(last)) == 5
    # Nonsense pages fall back to a real page instead of an error.
    for page in ("-1", "abc", "99999"):
        assert client.get(reverse("ideas:idea-list"), {"page": page}).status_code == 200


def test_filter_by_field_matches_any_of_an_ideas_fields(client):
    both = IdeaFactory(
        title="Schul-Radwege",
        primary_field=field("bildung"),
        action_fields=[field("bildung"), field("mobilitaet")],
    )
    other = IdeaFactory(title="Bürgeramt online", primary_field=field("verwaltung"))
    response = client.get(reverse("ideas:idea-list"), {"field": "mobilitaet"})
    titles = [title for _pk, title in shown(response)]
    assert titles == [both.title]
    assert other.title not in response.content.decode()


def test_filter_by_quarter_status_call_and_search(client):
    quarter = QuarterFactory(name="Silberhöhe", code="61")
    call = CallFactory(slug="zweiter-aufruf")
    match = IdeaFactory(title="Spielplatz-Sensoren", call=call, whole_city=False)
    match.quarters.set([quarter])
    IdeaFactory(title="Etwas anderes")
    params = {"quarter": "61", "call": "zweiter-aufruf", "status": "submitted", "q": "sensoren"}
    response = client.get(reverse("ideas:idea-list"), params)
    assert [title for _pk, title in shown(response)] == ["Spielplatz-Sensoren"]
    by_reference = client.get(reverse("ideas:idea-list"), {"q": match.reference})
    assert [pk for pk, _title in shown(by_reference)] == [match.pk]


def test_sorting(client):
    now = timezone.now()
    IdeaFactory(title="Bäume zählen", submitted_at=now - timedelta(days=2))
    IdeaFactory(title="Apps für alle", submitted_at=now - timedelta(days=1))
    IdeaFactory(title="Caching", submitted_at=now)

    def titles(sort):
        response = client.get(reverse("ideas:idea-list"), {"sort": sort})
        return [title for _pk, title in shown(response)]

    assert titles("newest") == ["Caching", "Apps für alle", "Bäume zählen"]
    assert titles("oldest") == ["Bäume zählen", "Apps für alle", "Caching"]
    assert titles("title")[0] == "Apps für alle"


def test_unknown_filters_are_ignored_with_a_message_and_the_rest_kept(client):
    IdeaFactory(title="Bildungsidee", primary_field=field("bildung"))
    IdeaFactory(title="Verwaltungsidee", primary_field=field("verwaltung"))
    response = client.get(
        reverse("ideas:idea-list"),
        {"field": "bildung", "quarter": "nonsense", "sort": "<script>", "q": "x" * 5000},
        HTTP_ACCEPT_LANGUAGE="de",
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "<script>" not in page
    titles = [title for _pk, title in shown(response)]
    assert titles == ["Bildungsidee"]
    assert "nicht erkannt" in page


def test_drafts_never_appear_in_public_lists(client):
    DraftFactory(title="Unfertiger Entwurf")
    assert "Unfertiger Entwurf" not in client.get(reverse("ideas:idea-list")).content.decode()
    assert "Unfertiger Entwurf" not in client.get(reverse("ideas:home")).content.decode()


def test_public_pages_show_display_name_but_no_personal_data(client):
    author = UserFactory(
        email="erika.unique-7781@example.org",
        display_name="Saalefuchs",
        first_name="Erika",
        last_name="Mustermann-Xyz",
    )
    idea = IdeaFactory(author=author)
    for url in (
        idea.get_absolute_url(),
        reverse("ideas:idea-list"),
        reverse("ideas:home"),
        idea.call.get_absolute_url(),
    ):
        page = client.get(url).content.decode()
        assert "erika.unique-7781" not in page
        assert "Mustermann-Xyz" not in page
    assert "Saalefuchs" in client.get(idea.get_absolute_url()).content.decode()


def test_home_and_call_page_count_ideas_per_primary_field(client):
    call = CallFactory(title="Zählaufruf")
    for slug, count in (("bildung", 3), ("wirtschaft", 1), ("mobilitaet", 2)):
        for _ in range(count):
            IdeaFactory(call=call, primary_field=field(slug))
    DraftFactory(call=call, primary_field=field("verwaltung"))
    counts = dict(client.get(reverse("ideas:home")).context["counts_by_call"][call.pk])
    assert {f.slug: n for f, n in counts.items()} == {
        "bildung": 3,
        "wirtschaft": 1,
        "mobilitaet": 2,
        "verwaltung": 0,
    }
    page = client.get(call.get_absolute_url())
    assert {f.slug: n for f, n in page.context["field_counts"]}["bildung"] == 3


def test_list_cards_offer_the_small_thumbnail_to_1x_screens(client):
    ideas = bulk_ideas(2)
    with_small, without_small = (idea.images.get() for idea in ideas)
    with_small.thumbnail_small = "ideas/x-small.webp"
    with_small.save()

    html = client.get(reverse("ideas:idea-list")).content.decode()

    small = reverse("ideas:image", args=[with_small.pk, "klein"])
    medium = reverse("ideas:image", args=[with_small.pk, "mittel"])
    assert f'srcset="{small} 320w, {medium} 640w"' in html
    assert f'src="{small}"' in html
    # An image stored before small thumbnails existed falls back to the large one.
    assert html.count(f'src="{reverse("ideas:image", args=[without_small.pk, "mittel"])}"') == 1
    assert without_small.thumbnail_small.name == ""


def test_the_list_loads_only_what_its_cards_show(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    bulk_ideas(25)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("ideas:idea-list")).content.decode()
    assert "Idee" in page
    selects = [q["sql"] for q in queries.captured_queries if 'FROM "ideas_idea"' in q["sql"]]
    assert selects
    # The long texts and the people behind an idea are not read for a card.
    for column in (
        '"description"',
        '"problem"',
        '"benefit"',
        '"submitter_email"',
        "accounts_user",
    ):
        assert not [sql for sql in selects if column in sql], column
