"""The data subject's rights: download everything (art. 15/20), delete the account (art. 17),
and the nightly purge of data past its retention period."""

import json
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.services import user_erase
from accounts.tasks import personal_data_purge
from audit.models import AuditEntry
from audit.services import audit_write
from board import services as board
from board.models import Recommendation, Shortlist, ShortlistItem
from events.models import Registration, RegistrationStatus
from ideas.models import Channel, Idea, IdeaImage, Status
from ideas.personal_data import analog_submitters_purge
from notices.models import Notice, NoticeOptOut, Subscription
from review import assessments
from review.models import Assessment, Assignment
from tests.events.factories import EventFactory, RegistrationFactory
from tests.factories import CallFactory, DraftFactory, IdeaFactory, UserFactory, user_with_role
from tests.images import jpeg_bytes

pytestmark = pytest.mark.django_db

PASSWORD = "Sehr-geheim-2026"


def reauthenticate(client) -> None:
    """Confirm the password as allauth asks before sensitive actions."""
    response = client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert response.status_code == 302


@pytest.fixture
def signed_in(client, citizen):
    client.force_login(citizen)
    return client


# --- Export ----------------------------------------------------------------------------------


def test_export_needs_a_login(client):
    response = client.get(reverse("accounts:data-export"))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_export_needs_the_password_again(signed_in):
    response = signed_in.get(reverse("accounts:data-export"))
    assert response.status_code == 302
    assert reverse("account_reauthenticate") in response["Location"]


def test_export_holds_the_users_data_and_nothing_of_others(signed_in, citizen):
    EmailAddress.objects.create(user=citizen, email="zweite-adresse@example.org", verified=True)
    mine = IdeaFactory(author=citizen, title="Meine öffentliche Idee", status=Status.SCREENED)
    mine.feedback, mine.feedback_published_at = "Danke, wir prüfen das.", timezone.now()
    mine.save()
    IdeaImage.objects.create(
        idea=mine,
        image=ContentFile(jpeg_bytes(), "a.jpg"),
        thumbnail=ContentFile(jpeg_bytes(), "a-klein.jpg"),
        alt_text="Ein Foto vom Marktplatz",
    )
    DraftFactory(author=citizen, title="Mein halbfertiger Entwurf")
    RegistrationFactory(user=citizen, name="Anmeldename Eins")
    Subscription.objects.create(subject=mine.call, email="zweite-adresse@example.org")
    Authenticator.objects.create(
        user=citizen, type=Authenticator.Type.TOTP, data={"secret": "GEHEIMESTOTPSECRET"}
    )
    other = UserFactory(email="andere-person@example.org")
    IdeaFactory(author=other, title="Fremde Idee")
    RegistrationFactory(user=other, name="Fremde Anmeldung")

    reauthenticate(signed_in)
    response = signed_in.get(reverse("accounts:data-export"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Type"].startswith("application/json")
    content = response.content.decode()
    data = json.loads(content)
    assert data["account"]["email"] == citizen.email
    assert data["account"]["display_name"] == citizen.display_name
    assert data["account"]["two_factor_enabled"] is True
    assert {a["email"] for a in data["account"]["email_addresses"]} == {
        citizen.email,
        "zweite-adresse@example.org",
    }
    titles = {idea["title"]: idea for idea in data["ideas"]}
    assert set(titles) == {"Meine öffentliche Idee", "Mein halbfertiger Entwurf"}
    assert titles["Mein halbfertiger Entwurf"]["status"] == "draft"
    public = titles["Meine öffentliche Idee"]
    assert public["public_feedback"] == "Danke, wir prüfen das."
    assert public["images"][0]["url"].startswith("http")
    assert public["images"][0]["description"] == "Ein Foto vom Marktplatz"
    assert [r["name"] for r in data["event_registrations"]] == ["Anmeldename Eins"]
    assert [s["email"] for s in data["subscriptions"]] == ["zweite-adresse@example.org"]
    assert data["consents"][0]["version"] == "2022-11"
    # Never secrets, never other people.
    for secret in ("GEHEIMESTOTPSECRET", citizen.password, "Fremde", "andere-person"):
        assert secret not in content


def test_export_is_rate_limited(signed_in, settings):
    settings.MITMACHEN_DATA_EXPORT_RATE = "2/h"
    reauthenticate(signed_in)
    assert signed_in.get(reverse("accounts:data-export")).status_code == 200
    assert signed_in.get(reverse("accounts:data-export")).status_code == 200
    assert signed_in.get(reverse("accounts:data-export")).status_code == 429


def test_export_refuses_other_methods(signed_in):
    reauthenticate(signed_in)
    assert signed_in.post(reverse("accounts:data-export")).status_code == 405


def test_account_page_links_to_export_and_deletion(signed_in):
    content = signed_in.get(reverse("accounts:profile")).content.decode()
    assert reverse("accounts:data-export") in content
    assert reverse("accounts:delete") in content


# --- Erasure ---------------------------------------------------------------------------------

# Unique strings of one person, planted everywhere the platform keeps personal data.
MARKS = {
    "email": "zq-mail-7731@example.org",
    "second_email": "zq-zweite-7731@example.org",
    "display_name": "Zqgeheimname7731",
    "last_name": "Zqunverwechselbar7731",
    "submitter_name": "Zqeinreicher 7731",
    "submitter_phone": "0345-77317731",
    "submitter_address": "Zqstrasse 7731, Halle",
    "registration_name": "Zqanmeldename 7731",
}


def database_hits(needles) -> list[str]:
    """Every text, char and JSON column of every table that holds one of the needles."""
    hits = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            for column in connection.introspection.get_table_description(cursor, table):
                try:
                    kind = connection.introspection.get_field_type(column.type_code, column)
                except KeyError:
                    # A type Django does not map (the similar ideas' tsvector): derived from
                    # texts, so scanned as text.
                    kind = "TextField"
                if kind not in ("CharField", "TextField", "JSONField", "EmailField"):
                    continue
                for needle in needles:
                    cursor.execute(
                        f'SELECT count(*) FROM "{table}" '  # noqa: S608 (names from introspection)
                        f'WHERE position(lower(%s) in lower("{column.name}"::text)) > 0',
                        [needle],
                    )
                    if cursor.fetchone()[0]:
                        hits.append(f"{table}.{column.name}: {needle}")
    return hits


@pytest.fixture
def person(django_capture_on_commit_callbacks):
    """A citizen who is also an assessor and a board member, with data in every corner."""
    user = UserFactory(
        email=MARKS["email"],
        display_name=MARKS["display_name"],
        first_name="Quirin",
        last_name=MARKS["last_name"],
    )
    user.groups.add(Group.objects.get(name="Bewertung"), Group.objects.get(name="Beirat"))
    EmailAddress.objects.create(user=user, email=MARKS["second_email"], verified=True)
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "X"})
    call = CallFactory()
    assessed = IdeaFactory(
        call=call,
        author=user,
        title="Idee in Qualifizierung",
        status=Status.IN_QUALIFICATION,
        submitter_name=MARKS["submitter_name"],
        submitter_phone=MARKS["submitter_phone"],
        submitter_address=MARKS["submitter_address"],
        submitter_email=MARKS["second_email"],
    )
    draft = DraftFactory(call=call, author=user, title="Geheimer Entwurf")
    IdeaImage.objects.create(
        idea=draft,
        image=ContentFile(jpeg_bytes(), "e.jpg"),
        thumbnail=ContentFile(jpeg_bytes(), "e-klein.jpg"),
    )
    # The person assesses another idea, and the others assess theirs.
    editor = user_with_role("Redaktion")
    catalogue = assessments.catalogue_create_default(call=call)
    other_idea = IdeaFactory(call=call, status=Status.IN_QUALIFICATION, title="Fremde Idee")
    assessments.assessors_assign(ideas=[other_idea], assessors=[user], by=editor)
    colleague = user_with_role("Bewertung")
    assessments.assessors_assign(ideas=[assessed], assessors=[colleague], by=editor)
    values = {}
    for criterion in catalogue.criteria.all():
        values[criterion.pk] = (1, "") if criterion.knockout else (3, "")
    assessments.assessment_record(
        assignment=other_idea.assignments.get(assessor=user),
        by=user,
        values=values,
        comment="Solide Idee, gut begründet.",
        submit=True,
    )
    assessments.assessment_record(
        assignment=assessed.assignments.get(assessor=colleague),
        by=colleague,
        values=values,
        comment="Bewertung der Kollegin",
        submit=True,
    )
    # A board recommendation.
    now = timezone.now()
    shortlist = Shortlist.objects.create(
        call=call,
        title="Auswahl",
        opens_at=now - timedelta(hours=1),
        closes_at=now + timedelta(days=3),
    )
    item = ShortlistItem.objects.create(shortlist=shortlist, idea=other_idea)
    board.recommendation_record(item=item, member=user, vote="recommend", comment="Dafür.")
    # Events: an upcoming place, a past one under the second address.
    upcoming = RegistrationFactory(
        user=user, email=MARKS["email"], name=MARKS["registration_name"]
    )
    past = EventFactory(
        starts_at=now - timedelta(days=30), ends_at=now - timedelta(days=30) + timedelta(hours=2)
    )
    RegistrationFactory(
        event=past, user=None, email=MARKS["second_email"], name=MARKS["registration_name"]
    )
    # Notices: a subscription, an opt-out, a mail.
    Subscription.objects.create(subject=call, email=MARKS["second_email"], user=user)
    NoticeOptOut.objects.create(email=MARKS["email"], kind="digest")
    Notice.objects.create(
        kind="status_changed",
        recipient=user,
        email=MARKS["email"],
        subject=assessed,
        dedupe_key="test:zq",
    )
    # The admin's history about the account.
    LogEntry.objects.log_actions(
        user_id=editor.pk,
        queryset=[user, upcoming],
        action_flag=CHANGE,
        change_message="Geändert",
    )
    return {"user": user, "assessed": assessed, "draft": draft, "other_idea": other_idea}


def test_after_deletion_no_table_holds_the_persons_data(
    person, django_capture_on_commit_callbacks
):
    assert len(database_hits(MARKS.values())) >= len(MARKS)  # the scan finds what is there
    audit_before = AuditEntry.objects.count()
    image = person["draft"].images.get()
    with django_capture_on_commit_callbacks(execute=True):
        user_erase(user=person["user"])
    assert database_hits(MARKS.values()) == []
    assert not User.objects.filter(pk=person["user"].pk).exists()
    assert not EmailAddress.objects.filter(
        email__in=[MARKS["email"], MARKS["second_email"]]
    ).exists()
    assert not Authenticator.objects.exists()
    # The idea under assessment stays, with its status and assessments.
    assessed = Idea.objects.get(pk=person["assessed"].pk)
    assert assessed.author is None
    assert assessed.status == Status.IN_QUALIFICATION
    assert Assessment.objects.filter(assignment__idea=assessed).count() == 1
    assert assessed.consent_at is not None  # the record of lawful submission stays
    # What the person did as assessor and board member stays, without them.
    theirs = Assignment.objects.get(idea=person["other_idea"], assessor=None)
    assert theirs.assessment.comment == "Solide Idee, gut begründet."
    assert Recommendation.objects.get(member=None).comment == "Dafür."
    # The audit log keeps every entry.
    assert AuditEntry.objects.count() >= audit_before
    # The draft and its files are gone.
    assert not Idea.objects.filter(pk=person["draft"].pk).exists()
    assert not image.image.storage.exists(image.image.name)
    assert not image.thumbnail.storage.exists(image.thumbnail.name)
    # Registrations stay anonymised for the numbers; the upcoming place was given back.
    registrations = Registration.objects.filter(email__endswith="@erased.invalid")
    assert registrations.count() == 2
    assert registrations.filter(status=RegistrationStatus.CANCELLED).count() == 1


def test_submitted_ideas_stay_public_as_a_former_members(client, person, languages_de):
    user_erase(user=person["user"])
    response = client.get(person["assessed"].get_absolute_url(), HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 200
    content = response.content.decode()
    assert "Ehemaliges Mitglied" in content
    assert MARKS["display_name"] not in content


def test_deleting_through_the_page(client, person, languages_de):
    client.force_login(person["user"])
    url = reverse("accounts:delete")
    assert reverse("account_reauthenticate") in client.get(url)["Location"]
    reauthenticate(client)
    page = client.get(url).content.decode()
    assert "bewertet oder umgesetzt" in page  # the idea under assessment is mentioned
    assert "Entwurf" in page
    assert "ohne Ihren Namen erhalten" in page  # what they did as assessor and board member
    response = client.post(url, follow=True)
    assert response.redirect_chain[-1][0] == "/"
    assert "Ihr Konto wurde gelöscht." in response.content.decode()
    assert not User.objects.filter(email=MARKS["email"]).exists()
    assert client.get(reverse("accounts:profile")).status_code == 302  # signed out


def test_deletion_needs_the_csrf_token(person):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(person["user"])
    assert client.post(reverse("accounts:delete")).status_code == 403
    assert User.objects.filter(pk=person["user"].pk).exists()


def test_the_last_superuser_cannot_delete_themself(client):
    admin = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(admin)
    reauthenticate(client)
    page = client.get(reverse("accounts:delete"))
    assert (
        "Sie sind die einzige Person mit vollen Administrationsrechten. Bitte ernennen Sie eine "
        "weitere, bevor Sie Ihr Konto löschen." in page.content.decode()
    )
    assert client.post(reverse("accounts:delete")).status_code == 403
    assert User.objects.filter(pk=admin.pk).exists()
    with pytest.raises(ValueError, match="die einzige Person mit vollen Administrationsrechten"):
        user_erase(user=admin)
    UserFactory(is_superuser=True, is_staff=True)
    assert client.post(reverse("accounts:delete")).status_code == 302
    assert not User.objects.filter(pk=admin.pk).exists()


def test_deleting_a_user_in_the_admin_erases_the_same_way(client, person):
    admin = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(admin)
    url = reverse("admin:accounts_user_delete", args=[person["user"].pk])
    assert client.post(url, {"post": "yes"}).status_code == 302
    assert database_hits(MARKS.values()) == []
    assert Idea.objects.filter(pk=person["assessed"].pk, author=None).exists()


# --- Purge -----------------------------------------------------------------------------------


def analog(call, **kwargs):
    defaults = {
        "author": None,
        "channel": Channel.PAPER,
        "submitter_name": "Erika Papier",
        "submitter_email": "erika@example.org",
        "submitter_phone": "0345 1",
        "submitter_address": "Weg 1",
    }
    return IdeaFactory(call=call, **{**defaults, **kwargs})


@pytest.fixture
def old_call():
    long_ago = timezone.now() - timedelta(days=500)
    return CallFactory(
        opens_at=long_ago - timedelta(days=30), closes_at=long_ago, deadline=long_ago
    )


def test_purge_clears_old_analog_submitters_and_keeps_the_rest(old_call, settings):
    settings.MITMACHEN_ANALOG_DATA_RETENTION_DAYS = 365
    due = analog(old_call)
    Notice.objects.create(
        kind="status_changed", email="erika@example.org", subject=due, dedupe_key="t:1"
    )
    ended = timezone.now() - timedelta(days=100)
    fresh_call = CallFactory(opens_at=ended - timedelta(days=30), closes_at=ended, deadline=ended)
    fresh = analog(fresh_call)
    late_feedback = analog(
        old_call, feedback="Danke", feedback_published_at=timezone.now() - timedelta(days=10)
    )
    online = IdeaFactory(call=old_call, submitter_name="Online Person")

    counts = personal_data_purge.delay().get()
    assert counts["analog_submitters"] == 1
    due.refresh_from_db()
    assert (
        due.submitter_name,
        due.submitter_email,
        due.submitter_phone,
        due.submitter_address,
    ) == (
        "",
        "",
        "",
        "",
    )
    assert due.title  # the idea itself stays
    assert not Notice.objects.about(due).exists()
    for kept in (fresh, late_feedback):
        kept.refresh_from_db()
        assert kept.submitter_name == "Erika Papier"
    online.refresh_from_db()
    assert online.submitter_name == "Online Person"
    entry = AuditEntry.objects.get(action="accounts.personal_data.purged")
    assert entry.data["analog_submitters"] == 1
    # Idempotent: nothing more to do, no second entry.
    assert sum(personal_data_purge.delay().get().values()) == 0
    assert AuditEntry.objects.filter(action="accounts.personal_data.purged").count() == 1


def test_purge_works_in_batches(old_call):
    ideas = [analog(old_call) for _ in range(5)]
    assert analog_submitters_purge(batch=2) == 5
    assert (
        not Idea.objects.filter(pk__in=[i.pk for i in ideas]).exclude(submitter_name="").exists()
    )


def test_purge_removes_old_unsubscribed_addresses(settings):
    settings.MITMACHEN_UNSUBSCRIBED_RETENTION_DAYS = 30
    call = CallFactory()
    now = timezone.now()
    gone = Subscription.objects.create(
        subject=call,
        email="weg@example.org",
        confirmed_at=now,
        unsubscribed_at=now - timedelta(days=40),
    )
    Notice.objects.create(
        kind="subscription_confirm",
        email="weg@example.org",
        subscription=gone,
        dedupe_key="t:sub",
    )
    Subscription.objects.create(
        subject=call,
        email="neulich@example.org",
        confirmed_at=now,
        unsubscribed_at=now - timedelta(days=5),
    )
    Subscription.objects.create(subject=call, email="aktiv@example.org", confirmed_at=now)
    Subscription.objects.create(
        subject=call, email="nie-bestaetigt@example.org", created_at=now - timedelta(days=40)
    )
    NoticeOptOut.objects.create(email="weg@example.org", kind="digest")

    counts = personal_data_purge.delay().get()
    assert counts["subscriptions"] == 2
    assert set(Subscription.objects.values_list("email", flat=True)) == {
        "neulich@example.org",
        "aktiv@example.org",
    }
    assert not Notice.objects.filter(email="weg@example.org").exists()
    # The opt-out is what keeps the address from being mailed again.
    assert NoticeOptOut.objects.filter(email="weg@example.org").exists()


def test_purge_anonymises_registrations_of_long_past_events(settings):
    settings.MITMACHEN_EVENT_DATA_RETENTION_DAYS = 180
    now = timezone.now()
    old = EventFactory(starts_at=now - timedelta(days=201), ends_at=now - timedelta(days=200))
    recent = EventFactory(starts_at=now - timedelta(days=21), ends_at=now - timedelta(days=20))
    gone = RegistrationFactory(event=old, name="Alte Anmeldung", attended=True)
    kept = RegistrationFactory(event=recent, name="Neue Anmeldung")
    assert personal_data_purge.delay().get()["event_registrations"] == 1
    gone.refresh_from_db()
    kept.refresh_from_db()
    assert (gone.name, gone.user_id, gone.attended) == ("", None, True)
    assert gone.email.endswith("@erased.invalid")
    assert kept.name == "Neue Anmeldung"
    assert personal_data_purge.delay().get()["event_registrations"] == 0


def test_run_scheduled_purges_too(old_call):
    from django.core.management import call_command

    idea = analog(old_call)
    call_command("run_scheduled")
    idea.refresh_from_db()
    assert idea.submitter_name == ""


def test_admin_log_about_other_objects_is_untouched(person):
    idea_type = ContentType.objects.get_for_model(Idea)
    LogEntry.objects.create(
        user_id=UserFactory().pk,
        content_type=idea_type,
        object_id="1",
        object_repr="Eine Idee",
        action_flag=CHANGE,
    )
    user_erase(user=person["user"])
    assert LogEntry.objects.filter(object_repr="Eine Idee").exists()


def test_purge_of_many_rows_takes_a_few_queries_per_batch(old_call, django_assert_max_num_queries):
    template = analog(old_call)
    now = timezone.now()
    Idea.objects.bulk_create(
        Idea(
            call=old_call,
            title=f"Papieridee {number}",
            status=Status.SUBMITTED,
            channel=Channel.POST,
            reference=f"PA-{number:05d}",
            submitted_at=now,
            submitter_name="Erika Papier",
            primary_field=template.primary_field,
        )
        for number in range(2500)
    )
    subscriptions = Subscription.objects.bulk_create(
        Subscription(
            subject=old_call,
            email=f"ehemals{number}@example.org",
            token=f"token-{number}",
            unsubscribed_at=now - timedelta(days=400),
        )
        for number in range(2500)
    )
    assert len(subscriptions) == 2500
    # Three batches of 1,000 each: about ten queries per batch (deletes cascade), not per row.
    with django_assert_max_num_queries(80):
        counts = personal_data_purge.delay().get()
    assert counts["analog_submitters"] == 2501
    assert counts["subscriptions"] == 2500
    assert not Idea.objects.exclude(submitter_name="").exists()


def test_a_name_is_removed_from_the_audit_log_only_where_it_stands_alone():
    user = UserFactory(display_name="Saalewiese")
    named = audit_write(action="review.idea.assessor_assigned", by=None, assessor="Saalewiese")
    prose = audit_write(
        action="review.idea.status_changed", by=None, reason="Projekt an der Saalewiese"
    )
    mail = audit_write(
        action="notices.subscription.ended", by=None, note=f"Mail an {user.email} ging raus"
    )
    user_erase(user=user)
    assert AuditEntry.objects.get(pk=named.pk).data == {"assessor": "[gelöscht]"}
    assert AuditEntry.objects.get(pk=prose.pk).data == {"reason": "Projekt an der Saalewiese"}
    assert AuditEntry.objects.get(pk=mail.pk).data == {"note": "Mail an [gelöscht] ging raus"}


def test_the_purge_is_scheduled_every_night(settings):
    from halle_smartcity.celery import app

    entry = settings.CELERY_BEAT_SCHEDULE["personal-data-purge"]
    app.loader.import_default_modules()
    assert entry["task"] == personal_data_purge.name
    assert entry["task"] in app.tasks


# --- Only what the person has proven to be theirs ----------------------------------------------


def test_an_unverified_address_reaches_no_one_elses_data(signed_in, citizen):
    """Anyone can add any address to their account; until it is verified it must not pull
    another person's registration or subscription into a download or a deletion."""
    EmailAddress.objects.create(user=citizen, email="opfer@example.org", verified=False)
    victim_registration = RegistrationFactory(name="Opfer Person", email="opfer@example.org")
    victim_subscription = Subscription.objects.create(
        subject=CallFactory(), email="opfer@example.org", confirmed_at=timezone.now()
    )
    NoticeOptOut.objects.create(email="opfer@example.org", kind="digest")

    reauthenticate(signed_in)
    content = signed_in.get(reverse("accounts:data-export")).content.decode()
    assert "Opfer Person" not in content
    assert json.loads(content)["subscriptions"] == []

    user_erase(user=citizen)
    victim_registration.refresh_from_db()
    assert victim_registration.name == "Opfer Person"
    assert victim_registration.email == "opfer@example.org"
    assert Subscription.objects.filter(pk=victim_subscription.pk).exists()
    assert NoticeOptOut.objects.filter(email="opfer@example.org").exists()


def test_a_paper_idea_under_a_verified_address_is_exported_and_erased(signed_in, citizen):
    EmailAddress.objects.create(user=citizen, email="Papier@Example.org", verified=True)
    paper = IdeaFactory(
        author=None,
        channel=Channel.PAPER,
        title="Auf Papier eingereicht",
        submitter_name="Paula Papier",
        submitter_email="papier@example.org",
        submitter_phone="0345 000000",
    )
    stranger = IdeaFactory(
        author=None, channel=Channel.PAPER, submitter_name="Fremd", submitter_email="x@y.org"
    )

    reauthenticate(signed_in)
    ideas = json.loads(signed_in.get(reverse("accounts:data-export")).content)["ideas"]
    assert [idea["title"] for idea in ideas] == ["Auf Papier eingereicht"]
    assert ideas[0]["submitter_name"] == "Paula Papier"

    user_erase(user=citizen)
    paper.refresh_from_db()
    stranger.refresh_from_db()
    assert (paper.submitter_name, paper.submitter_email, paper.submitter_phone) == ("", "", "")
    assert paper.title == "Auf Papier eingereicht"  # the idea itself stays
    assert stranger.submitter_name == "Fremd"


def test_a_renewed_subscription_request_is_not_purged_as_an_old_one(settings):
    from notices.services import subscription_request

    settings.MITMACHEN_UNSUBSCRIBED_RETENTION_DAYS = 30
    call = CallFactory()
    long_ago = timezone.now() - timedelta(days=100)
    Subscription.objects.create(
        subject=call,
        email="wieder@example.org",
        created_at=long_ago,
        confirmed_at=long_ago,
        unsubscribed_at=long_ago,
    )
    Subscription.objects.create(subject=call, email="nochmal@example.org", created_at=long_ago)

    assert subscription_request(subject=call, email="wieder@example.org")
    assert subscription_request(subject=call, email="nochmal@example.org")
    personal_data_purge.delay().get()

    assert set(Subscription.objects.values_list("email", flat=True)) == {
        "wieder@example.org",
        "nochmal@example.org",
    }


@pytest.mark.parametrize("count", [1, 2])
def test_the_deletion_page_says_what_happens_in_german(client, languages_de, count):
    """Each app says what happens to its part, in whole German sentences with their plural."""
    user = UserFactory()
    for _ in range(count):
        IdeaFactory(author=user, status=Status.SCREENED)
        DraftFactory(author=user)
    client.force_login(user)
    reauthenticate(client)
    page = client.get(reverse("accounts:delete"), HTTP_ACCEPT_LANGUAGE="de").content.decode()
    if count == 1:
        assert "Ihre eingereichte Idee bleibt öffentlich" in page
        assert "Ihr Entwurf wird mit seinen Bildern gelöscht." in page
    else:
        assert "Ihre 2 eingereichten Ideen bleiben öffentlich" in page
        assert "Ihre 2 Entwürfe werden mit ihren Bildern gelöscht." in page
        assert "2 Ihrer Ideen werden von der Stadt bewertet oder umgesetzt." in page
    assert "Ihre Abonnements enden." in page
    assert "Ihre Anmeldungen zu kommenden Veranstaltungen werden storniert." in page
