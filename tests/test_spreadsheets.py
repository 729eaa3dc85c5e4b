"""Every spreadsheet the product offers is safe to open (CSV injection): a text cell that
starts with =, +, -, @, a tab or a carriage return is written with a leading apostrophe, in
CSV and in XLSX; numbers stay numbers. First `halle_smartcity.spreadsheets` on its own, then
every download end to end, with hostile values planted in every free-text column."""

import csv
import html
import io
import re
import zipfile
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from board import services as board_services
from board.models import Shortlist, ShortlistItem, Vote
from events.models import RegistrationStatus
from fields.models import ActionField, District, Quarter
from halle_smartcity import spreadsheets
from ideas.models import Status
from measures.models import Measure
from review import assessments
from review.models import Criterion
from tests.events.factories import EventFactory, RegistrationFactory
from tests.factories import CallFactory, IdeaFactory, UserFactory, user_with_role

# Written out here rather than read from the module: the tests must fail when the module
# forgets one.
STARTS = ("=", "+", "-", "@", "\t", "\r")
START_IDS = ["equals", "plus", "minus", "at", "tab", "carriage-return"]
NUMBER = re.compile(r"-?\d+(\.\d+)?")


def is_formula(value) -> bool:
    """A text cell a spreadsheet program would run (a number such as -12.5 is a number)."""
    return isinstance(value, str) and value.startswith(STARTS) and not NUMBER.fullmatch(value)


def content_of(response) -> bytes:
    if response.streaming:
        content = b"".join(response.streaming_content)
        response.close()  # a FileResponse's temporary file
        return content
    return response.content


def csv_rows(content: bytes) -> list[list[str]]:
    assert content.startswith("\ufeff".encode())
    text = content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))


def xlsx_rows(content: bytes) -> list[list]:
    sheet = load_workbook(io.BytesIO(content)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def xlsx_raw_texts(content: bytes) -> list[str]:
    """The text cells as written in the file. Reading XML turns a carriage return into a line
    feed (openpyxl reads "\\rx" as "\\nx"), so the start of a cell is checked here too."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        xml = "".join(
            archive.read(name).decode()
            for name in archive.namelist()
            if name.startswith("xl/worksheets/") or name == "xl/sharedStrings.xml"
        )
    assert "<f>" not in xml and "<f " not in xml, "the file holds a formula"
    return [html.unescape(text) for text in re.findall(r"<t(?:\s[^>]*)?>(.*?)</t>", xml, re.S)]


# --- The module -----------------------------------------------------------------------------


def test_the_module_guards_the_six_starts():
    assert set(spreadsheets.FORMULA_STARTS) == set(STARTS)


@pytest.mark.parametrize("start", STARTS, ids=START_IDS)
def test_neutralise_puts_an_apostrophe_before_each_start(start):
    value = f'{start}HYPERLINK("http://x")'
    assert spreadsheets.neutralise(value) == "'" + value
    assert spreadsheets.neutralise("'" + value) == "'" + value  # once is enough


@pytest.mark.parametrize("value", ["", "Hallo", "1+1", "a=b", "x@example.org", "'=A1", " =A1"])
def test_neutralise_leaves_other_texts_alone(value):
    assert spreadsheets.neutralise(value) == value


@pytest.mark.parametrize("start", STARTS, ids=START_IDS)
def test_text_code_and_cell_neutralise_each_start(start):
    value = f'{start}HYPERLINK("http://x")'
    quoted = "\"'" + value.replace('"', '""') + '"'
    assert spreadsheets.text(value) == quoted
    assert spreadsheets.cell(value) == quoted
    # A code holding a line break is quoted as text, so the break stays in its cell.
    plain = f"'{start}abc" if start != "\r" else f'"\'{start}abc"'
    assert spreadsheets.code(f"{start}abc") == plain


@pytest.mark.parametrize("start", STARTS, ids=START_IDS)
def test_xlsx_value_neutralises_each_start(start):
    assert spreadsheets.xlsx_value(f"{start}SUMME(A1)") == f"'{start}SUMME(A1)"


def test_text_quotes_and_doubles_quotes():
    assert spreadsheets.text('Sag "Hallo"; bitte') == '"Sag ""Hallo""; bitte"'
    assert spreadsheets.text('=HYPERLINK("x")') == '"\'=HYPERLINK(""x"")"'
    assert spreadsheets.cell('Sag "Hallo"') == '"Sag ""Hallo"""'


def test_empty_values():
    assert spreadsheets.text(None) == '""'
    assert spreadsheets.text("") == '""'
    assert spreadsheets.code(None) == ""
    assert spreadsheets.code("") == ""
    assert spreadsheets.cell(None) == ""
    assert spreadsheets.xlsx_value(None) is None


@pytest.mark.parametrize(
    ("value", "written"),
    [
        (-12.5, "-12.5"),
        (Decimal("-12.5"), "-12.5"),
        (-3, "-3"),
        (0, "0"),
        (4.25, "4.25"),
        (Decimal("51.482800"), "51.482800"),
        (True, "true"),
        (False, "false"),
        (date(2026, 3, 1), "2026-03-01"),
    ],
)
def test_numbers_and_machine_values_stay_as_they_are(value, written):
    assert spreadsheets.cell(value) == written


@pytest.mark.parametrize("value", [-12.5, Decimal("-12.5"), -3, 0, 7.5, True, None])
def test_xlsx_value_keeps_numbers(value):
    assert spreadsheets.xlsx_value(value) is value


def test_a_text_that_looks_like_a_negative_number_is_still_text():
    assert spreadsheets.cell("-12.5") == '"\'-12.5"'
    assert spreadsheets.xlsx_value("-12.5") == "'-12.5"


def test_moments_in_the_site_time_zone():
    moment = datetime(2026, 1, 15, 11, 30, tzinfo=UTC)
    assert spreadsheets.cell(moment) == "2026-01-15T12:30:00+01:00"  # Europe/Berlin
    written = spreadsheets.xlsx_value(moment)
    assert written.tzinfo is None  # Excel knows no time zones
    assert written.isoformat() == "2026-01-15T12:30:00"


@pytest.mark.parametrize("start", STARTS, ids=START_IDS)
def test_csv_response_neutralises_header_and_cells(start):
    response = spreadsheets.csv_response(
        [f"{start}Kopf", "Zahl", "Leer"],
        [[f'{start}Wert "x"', -12.5, None], [Decimal("-3.25"), -7, "Text"]],
        filename="probe.csv",
    )
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="probe.csv"'
    rows = csv_rows(content_of(response))
    assert rows == [
        [f"'{start}Kopf", "Zahl", "Leer"],
        [f'\'{start}Wert "x"', "-12.5", ""],
        ["-3.25", "-7", "Text"],
    ]


def test_csv_lines_write_numbers_unquoted_and_text_quoted():
    lines = "".join(spreadsheets.csv_lines(["a", "b"], [[-12.5, "-12.5"], [None, ""]]))
    assert lines == '\ufeff"a";"b"\r\n-12.5;"\'-12.5"\r\n;""\r\n'


def test_csv_lines_come_in_pieces_and_lose_no_row():
    count = spreadsheets.ROWS_PER_PIECE * 2 + 3
    pieces = list(spreadsheets.csv_lines(["n"], ([f"={n}"] for n in range(count))))
    assert len(pieces) == 1 + 3
    rows = csv_rows("".join(pieces).encode())
    assert [row[0] for row in rows[1:]] == [f"'={n}" for n in range(count)]


@pytest.mark.parametrize("start", STARTS, ids=START_IDS)
def test_xlsx_response_neutralises_header_and_cells(start):
    response = spreadsheets.xlsx_response(
        [f"{start}Kopf", "Zahl", "Dezimal", "Leer"],
        [[f"{start}Wert", -12.5, Decimal("-3.25"), None]],
        filename="probe.xlsx",
        sheet="Ein sehr langer Name für ein Tabellenblatt",
    )
    assert response["Content-Type"] == spreadsheets.XLSX_TYPE
    content = content_of(response)
    texts = xlsx_raw_texts(content)
    assert texts == [f"'{start}Kopf", "Zahl", "Dezimal", "Leer", f"'{start}Wert"]
    shown = start.replace("\r", "\n")  # as XML reads it
    assert xlsx_rows(content) == [
        [f"'{shown}Kopf", "Zahl", "Dezimal", "Leer"],
        [f"'{shown}Wert", -12.5, -3.25, None],
    ]


# --- Every download of the product ----------------------------------------------------------


def hostile(start: str, what: str) -> str:
    return f'{start}HYPERLINK("http://x";"{what}")'


def full_values(catalogue) -> dict:
    return {
        criterion.pk: (1, "") if criterion.knockout else (4, "")
        for criterion in catalogue.criteria.all()
    }


def build_world(start: str) -> dict:
    """Everything a download shows, every free text starting with `start`; slugs (which can
    hold none of the six but "-") start with it where they can. Returns the objects and,
    per download, the planted values it must show (neutralised)."""

    def h(what: str) -> str:
        return hostile(start, what)

    def slug(name: str) -> str:
        return f"-{name}" if start == "-" else name

    now = timezone.now()
    editor = user_with_role("Redaktion")
    district = District.objects.create(name=h("Bezirk"))
    # The admin and the quarters loader strip a code's whitespace: no code starts with a tab
    # or a carriage return (what a code may hold is `test_a_quarter_code_stays_in_its_cell`).
    code = "Q1" if start in "\t\r" else f"{start}Q1"
    quarter = Quarter.objects.create(
        district=district, code=code, name=h("Viertel"), part_of=h("Teil von")
    )
    field = ActionField.objects.create(
        name=h("Feld"), slug=slug("feld-x"), description=h("Feldbeschreibung"), order=0
    )
    call = CallFactory(title=h("Aufruf"), slug=slug("abc"), teaser=h("Teaser"))
    common = {
        "call": call,
        "primary_field": field,
        "action_fields": [field],
        "feedback_published_at": now,
        "latitude": Decimal("51.482800"),
        "longitude": Decimal("-12.500000"),  # a negative number stays a number
    }
    assessed = IdeaFactory(
        reference=f"{start}SC-1",
        title=h("Idee"),
        summary=h("Zusammenfassung"),
        description=h("Beschreibung"),
        feedback=h("Rückmeldung"),
        whole_city=False,
        status=Status.IN_QUALIFICATION,
        **common,
    )
    assessed.quarters.add(quarter)
    qualified = IdeaFactory(
        reference=f"{start}SC-2",
        title=h("Beirat"),
        summary=h("Zusammenfassung 2"),
        description=h("Beschreibung 2"),
        feedback=h("Rückmeldung 2"),
        status=Status.QUALIFIED,
        **common,
    )

    # A catalogue whose criteria have hostile codes and names (the export's header).
    catalogue = assessments.catalogue_create_default(call=call)
    first, second = catalogue.criteria.order_by("order")[:2]
    Criterion.objects.filter(pk=first.pk).update(code=f"{start}K1", name=h("Kriterium"))
    Criterion.objects.filter(pk=second.pk).update(code="", name=f"{start}1+1")
    assessor = user_with_role("Bewertung")
    assessments.assessors_assign(ideas=[assessed], assessors=[assessor], by=editor)
    assessments.assessment_record(
        assignment=assessed.assignments.get(),
        by=assessor,
        values=full_values(catalogue),
        comment=h("Begründung"),
        submit=True,
    )
    assessed.refresh_from_db()
    assert assessed.assessment_count == 1

    measure = Measure.objects.create(
        call=call,
        title=h("Maßnahme"),
        slug=slug("massnahme"),
        description=h("Maßnahmenbeschreibung"),
        lead_department=h("Amt"),
        published=True,
    )
    measure.ideas.add(qualified)
    measure.action_fields.add(field)

    event = EventFactory(
        title=h("Abend"),
        slug=slug("abend"),
        summary=h("Kurz"),
        venue_name=h("Ort"),
        venue_address=h("Adresse"),
        call=call,
    )
    event.action_fields.add(field)
    event.quarters.add(quarter)
    confirmed = RegistrationFactory(event=event, name=h("Erika"), email=f"{start}erika@x.org")
    waiting = RegistrationFactory(
        event=event,
        user=None,
        name=f"{start}Max",
        email=f"{start}max@x.org",
        status=RegistrationStatus.WAITLISTED,
        confirmed_at=None,
        queued_at=now,
    )

    shortlist = Shortlist.objects.create(
        call=call,
        title=h("Auswahl"),
        opens_at=now - timedelta(hours=1),
        closes_at=now + timedelta(days=5),
    )
    idea_item = ShortlistItem.objects.create(shortlist=shortlist, idea=qualified, order=0)
    measure_item = ShortlistItem.objects.create(shortlist=shortlist, measure=measure, order=1)
    member = user_with_role("Beirat", display_name=f"{start}Boese")
    for item in (idea_item, measure_item):
        recommendation = board_services.recommendation_record(
            item=item, member=member, vote=Vote.RECOMMEND, comment=h("Kommentar")
        )

    def slugs(*objects) -> list[str]:
        return [obj.slug for obj in objects] if start == "-" else []

    codes = [quarter.code] if quarter.code != "Q1" else []
    idea_texts = [
        assessed.reference,
        assessed.title,
        assessed.summary,
        assessed.description,
        assessed.feedback,
        qualified.title,
        field.name,
        *codes,
    ]
    header = (
        [f"{start}K1 {h('Kriterium')} (v1)", f"{start}1+1 (v1)"]
        if start not in "\t\r"  # the export strips the header's whitespace
        else []
    )
    admin_texts = [
        *header,
        assessed.reference,
        assessed.title,
        call.title,
        field.name,
        quarter.name,
        qualified.title,
    ]
    participants = [confirmed.name, confirmed.email, waiting.name, waiting.email]
    return {
        "editor": editor,
        "ideas": [assessed, qualified],
        "call": call,
        "event": event,
        "shortlist": shortlist,
        "expected": {
            "admin-ideas-csv": admin_texts,
            "admin-ideas-xlsx": admin_texts,
            "api-ideas": [*idea_texts, *slugs(call, field, measure)],
            "api-calls": [call.title, call.teaser, *slugs(call)],
            "api-fields": [field.name, field.description, *slugs(field)],
            "api-quarters": [*codes, quarter.name, district.name, quarter.part_of],
            "api-measures": [
                measure.title,
                measure.description,
                measure.lead_department,
                *slugs(call, field, measure),
            ],
            "api-events": [
                event.title,
                event.summary,
                event.venue_name,
                event.venue_address,
                *codes,
                *slugs(call, field, event),
            ],
            "participants": participants,
            "participants-action": participants,
            "tally": [
                qualified.title,
                measure.title,
                # (the service strips the comment; the member's name starts the cell)
                f"{member.display_name}: {recommendation.comment}",
            ],
            "ranking": [assessed.reference, assessed.title, field.name],
        },
    }


def _admin_ideas(client, world, action):
    client.force_login(world["editor"])
    return client.post(
        reverse("admin:ideas_idea_changelist"),
        {"action": action, "_selected_action": [idea.pk for idea in world["ideas"]]},
    )


def _api(name):
    def download(client, world):
        return client.get(reverse(f"api:{name}-list"), {"format": "csv"})

    return download


def _superuser(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))


def _participants(client, world):
    _superuser(client)
    return client.get(reverse("admin:events_event_participants", args=[world["event"].pk]))


def _participants_action(client, world):
    _superuser(client)
    return client.post(
        reverse("admin:events_event_changelist"),
        {"action": "export_participants", "_selected_action": [world["event"].pk]},
    )


def _tally(client, world):
    client.force_login(world["editor"])
    return client.get(reverse("board:tally", args=[world["shortlist"].pk]) + "?format=csv")


def _ranking(client, world):
    client.force_login(world["editor"])
    return client.get(reverse("review:ranking", args=[world["call"].slug]) + "?format=csv")


DOWNLOADS = {
    "admin-ideas-csv": lambda client, world: _admin_ideas(client, world, "export_csv"),
    "admin-ideas-xlsx": lambda client, world: _admin_ideas(client, world, "export_xlsx"),
    "api-ideas": _api("idea"),
    "api-calls": _api("call"),
    "api-fields": _api("field"),
    "api-quarters": _api("quarter"),
    "api-measures": _api("measure"),
    "api-events": _api("event"),
    "participants": _participants,
    "participants-action": _participants_action,
    "tally": _tally,
    "ranking": _ranking,
}


@pytest.mark.django_db
@pytest.mark.parametrize("start", STARTS, ids=START_IDS)
@pytest.mark.parametrize("download", list(DOWNLOADS))
def test_every_download_neutralises_every_hostile_start(client, download, start):
    world = build_world(start)
    response = DOWNLOADS[download](client, world)
    assert response.status_code == 200, download
    content = content_of(response)
    if download.endswith("xlsx"):
        assert response["Content-Type"] == spreadsheets.XLSX_TYPE
        rows = xlsx_rows(content)
        texts = xlsx_raw_texts(content)
        cells = [value for row in rows for value in row]
    else:
        assert response["Content-Type"] == spreadsheets.CSV_TYPE
        rows = csv_rows(content)
        # A text breaking out of its cell or row would leave the columns unaligned.
        assert {len(row) for row in rows} == {len(rows[0])}, rows
        texts = cells = [value for row in rows for value in row]
    assert len(rows) > 1
    assert [value for value in cells + texts if is_formula(value)] == []
    # The planted values are there, neutralised: the test saw what it means to test.
    missing = [value for value in world["expected"][download] if "'" + value not in texts]
    assert missing == []


@pytest.mark.django_db
def test_negative_numbers_stay_numbers_in_the_idea_csv(client):
    idea = IdeaFactory(latitude=Decimal("-33.868800"), longitude=Decimal("-12.500000"))
    rows = csv_rows(content_of(client.get(reverse("api:idea-list"), {"format": "csv"})))
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["id"] == str(idea.pk)
    assert (row["latitude"], row["longitude"]) == ("-33.868800", "-12.500000")


@pytest.mark.django_db
def test_the_ranking_shows_an_idea_whose_title_starts_with_at(client):
    world = build_world("@")
    rows = csv_rows(content_of(_ranking(client, world)))
    assert len(rows) == 2
    assert rows[1][2] == "'" + hostile("@", "Idee")
    assert rows[1][0] == "1"


@pytest.mark.django_db
@pytest.mark.parametrize("start", STARTS, ids=START_IDS)
def test_the_xlsx_export_keeps_numbers_and_neutralises_texts(client, start):
    world = build_world(start)
    content = content_of(_admin_ideas(client, world, "export_xlsx"))
    header, *rows = xlsx_rows(content)
    row = dict(zip(header, rows[0], strict=True))
    assert row[header[0]] == "'" + world["ideas"][0].reference.replace("\r", "\n")
    numbers = [value for value in rows[0] if isinstance(value, int | float)]
    assert numbers  # score, assessment count and the means per criterion


@pytest.mark.django_db
@pytest.mark.parametrize("code", ["A;=1+1", "A\r=1+1", "A\n=1+1"], ids=["semicolon", "cr", "lf"])
def test_a_quarter_code_stays_in_its_cell(client, code):
    staff = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(staff)
    district = District.objects.create(name="Mitte")
    response = client.post(
        reverse("admin:fields_quarter_add"),
        {"district": district.pk, "code": code, "name": "Altstadt", "kind": "Stadtteil"},
    )
    assert response.status_code == 302  # the admin accepts the code
    quarter = Quarter.objects.get(name="Altstadt")
    idea = IdeaFactory(whole_city=False)
    idea.quarters.add(quarter)
    client.logout()
    rows = csv_rows(content_of(client.get(reverse("api:idea-list"), {"format": "csv"})))
    assert [value for row in rows for value in row if is_formula(value)] == []
    assert {len(row) for row in rows} == {len(rows[0])}
    assert dict(zip(rows[0], rows[1], strict=True))["quarters"] == quarter.code
