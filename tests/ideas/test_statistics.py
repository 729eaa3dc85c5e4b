import csv
import io
from datetime import date, datetime, timedelta
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from fields.models import ActionField
from ideas import selectors, statistics
from ideas.counts import counts_refresh
from ideas.models import CallExtension, Channel, Idea, Status
from tests.factories import (
    CallFactory,
    DistrictFactory,
    DraftFactory,
    IdeaFactory,
    QuarterFactory,
    UserFactory,
    action_field,
)

pytestmark = pytest.mark.django_db
BERLIN = ZoneInfo("Europe/Berlin")
URL = "/statistik/"


class TableParser(HTMLParser):
    """The page's tables by id: each a list of rows, each a list of cell texts."""

    def __init__(self):
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self._table = None
        self._row = None
        self._cell = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table":
            self._table = self.tables.setdefault(attrs.get("id", ""), [])
        elif tag == "tr" and self._table is not None:
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self._table.append(self._row)
            self._row = None
        elif tag == "table":
            self._table = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def tables(response) -> dict[str, dict[str, list[str]]]:
    """Each table as {first cell: the other cells} (header row included)."""
    parser = TableParser()
    parser.feed(response.content.decode())
    return {
        table_id: {row[0]: row[1:] for row in rows} for table_id, rows in parser.tables.items()
    }


def test_the_demo_call_in_numbers_matches_the_citys_report(client):
    call_command("seed_demo")
    response = client.get(URL)
    assert response.status_code == 200
    fields = tables(response)["table-fields"]
    # Every field an idea names counts (the report's 45/11/17/12 are by primary field only).
    assert fields["Bildung"][0] == "49"
    assert fields["Wirtschaft"][0] == "21"
    assert fields["Mobilität"][0] == "21"
    assert fields["Verwaltung"][0] == "23"
    assert fields["Gesamt"][0] == "85"
    # The same call picked by its slug gives the same numbers.
    response = client.get(URL, {"call": "smart-city-halle-2022"})
    page = tables(response)
    assert page["table-fields"]["Bildung"][0] == "49"
    assert page["table-fields"]["Gesamt"][0] == "85"
    # The demo has analog ideas, and ideas from both sides of the original deadline.
    channels = page["table-channels"]
    assert (
        int(channels["Online"][1])
        + sum(
            int(channels[label][1])
            for label in ("Auf Papier", "Per Post", "Per Telefon", "Bei einer Veranstaltung")
        )
        == 85
    )
    assert int(channels["Online"][1]) < 85
    weeks = page["table-over-time"]
    marks = " ".join(row[1] for row in weeks.values())
    assert "Ursprüngliche Frist: 16.12.2022" in marks
    assert "Verlängerte Frist: 08.01.2023" in marks
    assert "Aufruf geöffnet: 10.11.2022" in marks
    assert sum(int(row[0]) for label, row in weeks.items() if label != "Woche") == 85


def test_statistics_agree_with_field_counts_of_the_api(client):
    call = CallFactory()
    IdeaFactory.create_batch(3, call=call, primary_field=action_field("bildung"))
    IdeaFactory(call=call, primary_field=action_field("verwaltung"))
    counts = {field.name: field.idea_count for field in selectors.field_counts()}
    fields = tables(client.get(URL))["table-fields"]
    for name, count in counts.items():
        assert fields[name][0] == str(count)


def test_an_idea_counts_in_each_of_its_fields_and_one_without_counts_apart(client):
    call = CallFactory()
    bildung, mobilitaet = action_field("bildung"), action_field("mobilitaet")
    IdeaFactory(call=call, primary_field=bildung, action_fields=[bildung, mobilitaet])
    IdeaFactory(call=call, primary_field=mobilitaet)
    unsorted = IdeaFactory(call=call)
    unsorted.action_fields.clear()
    Idea.objects.filter(pk=unsorted.pk).update(primary_field=None)
    fields = tables(client.get(URL))["table-fields"]
    assert fields["Bildung"][:2] == ["1", "33,3 %"]
    assert fields["Mobilität"][:2] == ["2", "66,7 %"]
    assert fields["Noch keinem Handlungsfeld zugeordnet"][0] == "1"
    assert fields["Gesamt"][0] == "3"


def test_drafts_and_ideas_of_unpublished_calls_are_not_counted(client):
    call = CallFactory()
    hidden = CallFactory(published=False)
    IdeaFactory(call=call)
    DraftFactory(call=call)
    IdeaFactory(call=hidden)
    page = tables(client.get(URL))
    assert page["table-fields"]["Gesamt"][0] == "1"
    assert page["table-fields"]["Bildung"][0] == "1"
    assert {field.slug: field.idea_count for field in selectors.field_counts()}["bildung"] == 1
    # An unpublished call cannot be picked.
    assert client.get(URL, {"call": hidden.slug}).status_code == 404


@pytest.fixture
def small_set():
    """Seven published ideas of one call, one draft and one idea of another call."""
    call = CallFactory(
        opens_at=datetime(2024, 3, 1, 0, 0, tzinfo=BERLIN),
        closes_at=datetime(2024, 3, 10, 23, 59, tzinfo=BERLIN),
        deadline=datetime(2024, 3, 10, 23, 59, tzinfo=BERLIN),
    )
    other = CallFactory()
    mitte = DistrictFactory(name="Mitte")
    nord = DistrictFactory(name="Nord")
    altstadt = QuarterFactory(name="Altstadt", district=mitte)
    paulus = QuarterFactory(name="Paulusviertel", district=nord)

    def idea(day_hour, **kwargs):
        moment = datetime(2024, 3, *day_hour, tzinfo=BERLIN)
        return IdeaFactory(call=call, submitted_at=moment, **kwargs)

    ideas = [
        idea((1, 0, 5), whole_city=True),  # just after midnight on the first day
        idea((1, 23, 59), whole_city=False, status=Status.SCREENED),
        idea((2, 0, 0), whole_city=False, status=Status.QUALIFIED),
        idea((2, 12), whole_city=False, channel=Channel.PAPER),
        idea((5, 9), whole_city=True, channel=Channel.EVENT),
        idea((10, 23, 58), whole_city=False, status=Status.SCREENED),
        idea((10, 23, 59), whole_city=True, channel=Channel.POST),
    ]
    ideas[1].quarters.set([altstadt])
    ideas[2].quarters.set([altstadt, paulus])
    ideas[3].quarters.set([paulus])
    # ideas[5] names no quarter and is not for the whole city.
    DraftFactory(call=call, whole_city=False, submitted_at=None)
    IdeaFactory(call=other)
    return call


def test_quarters_statuses_and_channels_on_a_small_set(client, small_set):
    page = tables(client.get(URL, {"call": small_set.slug}))
    quarters = page["table-quarters"]
    assert quarters["Altstadt"] == ["Mitte", "2"]
    assert quarters["Paulusviertel"] == ["Nord", "2"]
    assert quarters["Gesamte Stadt"] == ["–", "3"]
    assert quarters["Kein Stadtteil angegeben"] == ["–", "1"]
    statuses = page["table-statuses"]
    assert statuses["Eingereicht"][0] == "4"
    assert statuses["Gesichtet"][0] == "2"
    assert statuses["Qualifiziert"][0] == "1"
    assert "Entwurf" not in statuses
    channels = page["table-channels"]
    assert channels["Online"][:2] == ["Online", "4"]
    assert channels["Auf Papier"][:2] == ["Analog", "1"]
    assert channels["Per Post"][:2] == ["Analog", "1"]
    assert channels["Bei einer Veranstaltung"][:2] == ["Analog", "1"]
    assert channels["Per Telefon"][:2] == ["Analog", "0"]
    assert page["table-fields"]["Gesamt"][0] == "7"


def test_over_time_counts_days_in_berlin_time(small_set):
    stats = statistics.statistics_public(call=small_set)
    over_time = stats.over_time
    assert over_time.unit == "day"
    counts = {row.start.isoformat(): row.count for row in over_time.rows}
    # 23:59 and 00:05 Berlin time are on different days, though the same UTC day.
    assert counts["2024-03-01"] == 2
    assert counts["2024-03-02"] == 2
    assert counts["2024-03-03"] == 0
    assert counts["2024-03-05"] == 1
    assert counts["2024-03-10"] == 2
    assert len(over_time.rows) == 10
    assert over_time.rows[0].notes == ["Aufruf geöffnet: 01.03.2024"]
    assert over_time.rows[-1].notes == ["Frist: 10.03.2024, 23:59 Uhr"]


def test_analog_ideas_count_on_the_day_they_arrived(small_set):
    IdeaFactory(
        call=small_set,
        channel=Channel.PAPER,
        received_on=datetime(2024, 3, 3, tzinfo=BERLIN).date(),
        submitted_at=datetime(2024, 3, 20, 10, tzinfo=BERLIN),
    )
    stats = statistics.statistics_public(call=small_set)
    counts = {row.start.isoformat(): row.count for row in stats.over_time.rows}
    assert counts["2024-03-03"] == 1
    assert "2024-03-20" not in counts


def test_an_extension_is_marked_and_a_long_call_is_counted_per_week(small_set):
    small_set.deadline = datetime(2024, 5, 31, 23, 59, tzinfo=BERLIN)
    small_set.save()
    CallExtension.objects.create(
        call=small_set,
        old_deadline=small_set.closes_at,
        new_deadline=small_set.deadline,
        reason="Mehr Zeit",
        created_at=datetime(2024, 3, 8, 12, tzinfo=BERLIN),
    )
    IdeaFactory(call=small_set, submitted_at=datetime(2024, 5, 31, 23, 30, tzinfo=BERLIN))
    call = statistics.statistics_calls()
    call = next(c for c in call if c.pk == small_set.pk)
    stats = statistics.statistics_public(call=call)
    over_time = stats.over_time
    assert over_time.unit == "week"
    # Weeks start on Monday: the week of 26.02.2024 holds 1 and 2 March.
    assert over_time.rows[0].start.isoformat() == "2024-02-26"
    assert over_time.rows[0].count == 4  # two on 1 March, two on 2 March
    weeks = {row.start.isoformat(): row for row in over_time.rows}
    assert weeks["2024-03-04"].count == 3  # 5 March and the two of 10 March (a Sunday)
    assert weeks["2024-03-04"].notes == ["Ursprüngliche Frist: 10.03.2024, 23:59 Uhr"]
    assert weeks["2024-05-27"].count == 1
    assert weeks["2024-05-27"].notes == ["Verlängerte Frist: 31.05.2024, 23:59 Uhr"]
    assert over_time.after_original_deadline == 1
    summary = statistics.summaries(stats)["over_time"]
    assert "Ursprüngliche Frist: 10.03.2024" in summary


def test_buckets_grow_with_the_span_so_the_chart_stays_readable():
    day = date(2024, 1, 1)
    assert statistics.bucket_unit(day, day + timedelta(days=30)) == "day"
    assert statistics.bucket_unit(day, day + timedelta(days=31)) == "week"
    assert statistics.bucket_unit(day, day + timedelta(days=700)) == "week"
    assert statistics.bucket_unit(day, day + timedelta(days=1000)) == "month"


def test_all_calls_over_several_years_are_counted_per_month(small_set):
    IdeaFactory(submitted_at=datetime(2026, 2, 28, 23, 30, tzinfo=BERLIN))
    stats = statistics.statistics_public(call=None)
    assert stats.over_time.unit == "month"
    months = {row.start.isoformat(): row.count for row in stats.over_time.rows}
    assert months["2024-03-01"] == 7
    assert months["2026-02-01"] == 1  # 23:30 on 28 February in Berlin is still February
    # One bar per month from the first idea to the last (small_set's other call's is today).
    assert sum(months.values()) == 9
    assert next(iter(months)) == "2024-03-01"
    assert all(start.endswith("-01") for start in months)
    assert stats.marks == []


def test_an_open_call_shows_no_bars_for_days_to_come(client):
    call = CallFactory()  # opened 10 days ago, closes in 10 days
    IdeaFactory(call=call)
    stats = statistics.statistics_public(call=call)
    assert stats.over_time.rows[-1].start == timezone.localdate()
    assert stats.over_time.rows[0].notes[0].startswith("Aufruf geöffnet")


def test_page_shows_the_extension_and_accessible_charts(client, small_set):
    small_set.deadline = small_set.closes_at + timedelta(days=5)
    small_set.save()
    CallExtension.objects.create(
        call=small_set,
        old_deadline=small_set.closes_at,
        new_deadline=small_set.deadline,
        reason="Mehr Zeit",
    )
    page = client.get(URL, {"call": small_set.slug}).content.decode()
    assert "Frist von 10.03.2024, 23:59 Uhr auf 15.03.2024, 23:59 Uhr verlängert" in page
    assert page.count('role="img"') == 5
    assert page.count("<title id=") == 5
    assert page.count("<caption") == 6  # and the table of ideas that reached a measure
    assert 'scope="row"' in page and 'scope="col"' in page
    assert 'viewBox="0 0 320 ' in page
    assert "/api/v1/ideas/?format=csv" in page
    assert "/api/v1/fields/" in page


def test_a_pale_field_colour_gives_way_to_a_kern_colour(client):
    field = action_field("bildung")
    ActionField.objects.filter(pk=field.pk).update(colour="#f0f0a0")
    IdeaFactory(primary_field=field)
    page = client.get(URL).content.decode()
    assert "#f0f0a0" not in page
    assert statistics.bar_colour("#f0f0a0") == statistics.FALLBACK_COLOUR
    assert statistics.bar_colour("#0b6e4f") == "#0b6e4f"
    assert statistics.contrast_on_white("#1f5c99") > 3


def test_no_ideas_yet_is_said_plainly(client):
    CallFactory(slug="leer")
    response = client.get(URL, {"call": "leer"})
    assert response.status_code == 200
    assert "Es wurden noch keine Ideen veröffentlicht." in response.content.decode()


def bulk_ideas(count):
    call = CallFactory(slug="gross")
    author = UserFactory()
    quarter = QuarterFactory()
    fields = [action_field(slug) for slug in ("bildung", "wirtschaft", "mobilitaet")]
    start = datetime(2024, 1, 1, 8, tzinfo=BERLIN)
    ideas = Idea.objects.bulk_create(
        Idea(
            call=call,
            author=author,
            title=f"Idee {n:05d}",
            primary_field=fields[n % 3],
            status=Status.SUBMITTED,
            channel=Channel.values[n % 5],
            reference=f"SC-S-{n:05d}",
            submitted_at=start + timedelta(hours=n),
            whole_city=n % 2 == 0,
        )
        for n in range(count)
    )
    Idea.quarters.through.objects.bulk_create(
        Idea.quarters.through(idea=idea, quarter=quarter) for idea in ideas[::3]
    )


@pytest.mark.parametrize("count", [20, 2000])
@pytest.mark.parametrize("query", [{}, {"call": "gross"}])
def test_statistics_run_a_fixed_number_of_queries(
    client, django_assert_max_num_queries, count, query
):
    bulk_ideas(count)
    counts_refresh()  # what the periodic task does
    # calls, extensions, the stored counts, fields, quarters; the ideas in measures (from
    # the measures' tables, measures/sections.py)
    with django_assert_max_num_queries(6) as queries:
        response = client.get(URL, query)
    assert response.status_code == 200
    assert tables(response)["table-fields"]["Gesamt"][0] == str(count)
    assert not [q["sql"] for q in queries.captured_queries if "ideas_idea" in q["sql"]]


def test_the_page_is_cached_for_anonymous_visitors(client, django_assert_num_queries):
    IdeaFactory()
    client.get(URL)
    with django_assert_num_queries(0):
        assert client.get(URL).status_code == 200
    # A new idea makes the cached page stale; it counts once the counts are refreshed.
    IdeaFactory()
    counts_refresh()
    assert tables(client.get(URL))["table-fields"]["Gesamt"][0] == "2"


def test_signed_in_visitors_do_not_count_the_ideas_again(client, citizen):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    IdeaFactory()
    client.force_login(citizen)
    client.get(URL)
    with CaptureQueriesContext(connection) as queries:
        assert tables(client.get(URL))["table-fields"]["Gesamt"][0] == "1"
    assert not [q for q in queries.captured_queries if "ideas_idea" in q["sql"]]
    IdeaFactory()
    counts_refresh()
    assert tables(client.get(URL))["table-fields"]["Gesamt"][0] == "2"


def test_an_unknown_call_gets_a_clear_message(client):
    CallFactory(title="Ein Aufruf")
    response = client.get(URL, {"call": "gibt-es-nicht"})
    assert response.status_code == 404
    page = response.content.decode()
    assert "Es gibt keinen veröffentlichten Aufruf mit diesem Namen." in page
    assert "Ein Aufruf" in page  # the form to pick another one


@pytest.mark.parametrize(
    ("query", "status", "final"),
    [
        # A call nobody published: the page says so, with the form to pick another.
        ("call=%3Cscript%3Ealert(1)%3C%2Fscript%3E", 404, None),
        ("call=x%00y", 404, None),
        ("call=" + "a" * 5000, 404, None),
        ("call=%27%20OR%201%3D1--", 404, None),
        # Parameters the page does not know lead to the plain page.
        ("call[]=a", 200, "/statistik/"),
        ("page=-1&call=", 200, "/statistik/"),
        ("%ff%fe=%c0", 200, "/statistik/"),
        # Of a repeated parameter the last counts, as everywhere in Django.
        ("call=b&call=a", 200, "/statistik/?call=a"),
    ],
)
def test_hostile_query_strings_never_break_the_page(client, query, status, final):
    CallFactory(slug="a")
    response = client.get(f"{URL}?{query}", follow=True)
    assert response.status_code == status
    page = response.content.decode()
    assert "<script>alert(1)" not in page
    if status == 404:
        assert "Es gibt keinen veröffentlichten Aufruf mit diesem Namen." in page
    else:
        assert response.redirect_chain[-1][0] == final
        assert "Es wurden noch keine Ideen veröffentlicht." in page  # the page, working


def test_unknown_parameters_redirect_to_the_canonical_address(client):
    CallFactory(slug="a")
    response = client.get(URL, {"call": "a", "utm_source": "x"})
    assert response.status_code == 302
    assert response["Location"] == "/statistik/?call=a"
    response = client.get(URL, {"call": ""})
    assert response["Location"] == "/statistik/"


def test_the_main_navigation_links_the_statistics(client):
    page = client.get(reverse("ideas:home")).content.decode()
    assert f'href="{reverse("ideas:statistics")}"' in page


def test_the_page_and_the_open_data_api_give_the_same_numbers(client):
    """What a journalist reads on the page is what they download."""
    call_command("seed_demo")
    page = tables(client.get(URL))
    api_fields = client.get("/api/v1/fields/").json()["results"]
    assert {row["name"]: row["idea_count"] for row in api_fields} == {
        name: int(cells[0])
        for name, cells in page["table-fields"].items()
        if name not in ("Handlungsfeld", "Gesamt")
    }
    api_quarters = client.get("/api/v1/quarters/", {"page_size": 500}).json()["results"]
    api_counts = {
        f"{row['name']} ({row['part_of']})" if row["part_of"] else row["name"]: row["idea_count"]
        for row in api_quarters
        if row["idea_count"]
    }
    page_counts = {
        name: int(count)
        for name, (district, count) in page["table-quarters"].items()
        if name not in ("Stadtteil", "Gesamte Stadt", "Kein Stadtteil angegeben") and int(count)
    }
    assert api_counts == page_counts
    # And the ideas list of the API holds as many ideas as the page counts in all.
    total = int(page["table-fields"]["Gesamt"][0])
    body = b"".join(client.get("/api/v1/ideas/", {"format": "csv"}).streaming_content)
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 1 + total  # the header and one row per idea
