"""Fill a database at the head of 2 December 2026 (commit 697051c, before the apps were
split by concept) and dump every row of every table, for tests/upgrade/test_moves.py.

This script runs only against that commit's code: check it out in a worktree and run

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mitmachen_fixture \
    DJANGO_SETTINGS_MODULE=halle_smartcity.settings.test \
    python tests/upgrade/make_head_fixture.py tests/upgrade/data/head-697051c.json.gz

on an empty database. It loads the demo data and adds what the demo lacks (votes, notices of
every kind, subscriptions, opt-outs, an idea handed in at an event, a second catalogue
version, a recusal), all through the services of that commit.
"""

import gzip
import json
import sys
from datetime import timedelta
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
django.setup()

from django.apps import apps  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.core.serializers.json import DjangoJSONEncoder  # noqa: E402
from django.utils import timezone  # noqa: E402


def fill() -> None:
    from accounts.models import User
    from events import services as event_services
    from events.models import Event, EventFormat, EventKind
    from ideas import assessments, board, notices, triage
    from ideas.models import Call, Channel, Idea, Notice, NoticeState, Shortlist, Status
    from ideas.services import IdeaData, call_extend

    call_command("migrate", verbosity=0)
    call_command("seed_demo", verbosity=0)
    # From here on notices stay pending (the demo's were sent): the dump holds both states.
    notices.enqueue_sweep = lambda: None
    editor = User.objects.get(email="redaktion@example.org")
    assessor = User.objects.get(email="bewertung@example.org")
    members = list(User.objects.filter(groups__name="Beirat").order_by("email"))
    halle = Call.objects.get(slug="smart-city-halle-2022")
    demo = Call.objects.get(slug="demo-aufruf")
    now = timezone.now()

    # Votes on the open shortlist, a conflict of interest, a published recommendation.
    shortlist = Shortlist.objects.get(call=halle)
    items = list(shortlist.items.all())
    for number, member in enumerate(members):
        for item in items:
            board.recommendation_record(
                item=item,
                member=member,
                vote=["recommend", "not_recommend", "abstain"][(number + item.pk) % 3],
                comment=f"Anmerkung {number} zu {item}",
                conflict_of_interest=number == 3 and item == items[-1],
            )
    board.item_finalize(item=items[0], recommendation="recommend", note="Einstimmig.", by=editor)

    # A second catalogue version, a recusal, feedback, a duplicate, a status change back.
    catalogue = halle.current_catalogue
    assessments.catalogue_new_version(catalogue=catalogue, by=editor)
    ideas = list(halle.ideas.published().order_by("reference"))
    target = ideas[10]
    assessments.assessors_assign(ideas=[target], assessors=[assessor], by=editor)
    assessments.assignment_recuse(
        assignment=target.assignments.get(assessor=assessor), by=assessor, reason="Befangen."
    )
    triage.idea_transition(idea=ideas[11], to=Status.SCREENED, by=editor, reason="Gesichtet")
    triage.idea_feedback_set(idea=ideas[11], text="Danke für die Idee!", by=editor, publish=True)
    triage.idea_feedback_set(idea=ideas[12], text="Noch intern.", by=editor)
    triage.idea_mark_duplicate(idea=ideas[13], original=ideas[14], by=editor, reason="Gleich.")

    # An event ahead with registrations (notices of every event kind), one cancelled.
    event = event_services.event_save(
        event=Event(
            title="Design-Sprint Mobilität",
            slug="design-sprint-mobilitaet",
            kind=EventKind.DESIGN_SPRINT,
            format=EventFormat.HYBRID,
            starts_at=now + timedelta(hours=20),
            ends_at=now + timedelta(hours=24),
            venue_name="Stadthaus",
            online_url="https://meet.example.org/sprint",
            capacity=1,
            call=halle,
        ),
        by=editor,
    )
    citizen = User.objects.get(email="buerger@example.org")
    event_services.registration_request(event=event, name="Bürgerin Demo", user=citizen)
    waiting = event_services.registration_request(event=event, name="Erika", user=members[0])
    event_services.registration_request(event=event, name="Max Gast", email="gast@example.org")
    event_services.registration_cancel(registration=citizen.event_registrations.get(), by=citizen)
    assert waiting.pk
    from events.notices import event_reminders_plan

    event_reminders_plan(now=now + timedelta(hours=1))
    other = event_services.event_save(
        event=Event(
            title="Forum Verwaltung",
            slug="forum-verwaltung",
            kind=EventKind.FORUM,
            starts_at=now + timedelta(days=3),
            ends_at=now + timedelta(days=3, hours=2),
            call=halle,
        ),
        by=editor,
    )
    event_services.registration_request(event=other, name="Erika", user=members[1])
    other.starts_at += timedelta(hours=1)
    other.ends_at += timedelta(hours=1)
    event_services.event_save(event=other, by=editor)
    event_services.event_cancel(event=other, reason="Raum nicht verfügbar.", by=editor)

    # An idea handed in at the event, on paper, with the submitter's contact data.
    triage.idea_intake(
        call=demo,
        by=editor,
        data=IdeaData(
            title="Sitzbänke mit Ladestation",
            summary="Bänke, an denen man das Telefon laden kann.",
            description="Solarbänke in den Parks.",
            problem="Leere Akkus unterwegs.",
            benefit="Erreichbarkeit.",
            action_fields=[ideas[0].primary_field],
            primary_field=ideas[0].primary_field,
            whole_city=True,
        ),
        channel=Channel.EVENT,
        received_on=timezone.localdate(),
        paper_consent=True,
        submitter_name="Hanna Papier",
        submitter_email="hanna@example.org",
        submitter_address="Marktplatz 1",
        event=event,
    )

    # A citizen's own idea with an image, submitted online.
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from ideas.images import image_process
    from ideas.services import idea_save_draft, idea_submit

    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), "teal").save(buffer, "PNG")
    upload = SimpleUploadedFile("bild.png", buffer.getvalue(), content_type="image/png")
    own = idea_save_draft(
        call=demo,
        author=citizen,
        data=IdeaData(
            title="Offenes WLAN am Hallmarkt",
            summary="Freies WLAN.",
            description="Hotspots am Markt.",
            problem="Kein Netz.",
            benefit="Teilhabe.",
            action_fields=[ideas[0].primary_field],
            primary_field=ideas[0].primary_field,
            whole_city=True,
            consent=True,
        ),
        images=[image_process(upload)],
    )
    idea_submit(idea=own, by=citizen)
    idea_save_draft(call=demo, author=citizen, data=IdeaData(title="Nur ein Entwurf"))

    # Subscriptions in every state, opt-outs, a deadline extension with its notices.
    notices.subscription_request(call=demo, email="leser@example.org")
    notices.subscription_request(call=demo, email="bestaetigt@example.org")
    notices.subscription_confirm(
        token=demo.subscriptions.get(email="bestaetigt@example.org").token
    )
    notices.subscription_request(call=halle, email="weg@example.org")
    subscription = halle.subscriptions.get(email="weg@example.org")
    notices.subscription_confirm(token=subscription.token)
    notices.notice_preferences_set(user=citizen, kinds_wanted=["status_changed"])
    call_extend(
        call=demo,
        new_deadline=demo.deadline + timedelta(days=7),
        reason="Mehr Zeit für Schulen.",
        by=editor,
    )
    demo.refresh_from_db()
    notices.notices_plan(now=demo.deadline - timedelta(days=1, minutes=-1))
    notices.notices_plan_digest(now=timezone.now() + timedelta(minutes=1))
    notices.notices_create(
        kind="call_closed",
        recipients=[notices.Recipient(email=editor.email, user_id=editor.pk)],
        key=f"closed:{halle.pk}",
        call=halle,
        data={"deadline": halle.deadline.isoformat()},
    )
    event_services.attendance_record(
        registrations=list(event.registrations.all()), attended=True, by=editor
    )
    from accounts.services import user_erase

    user_erase(user=User.objects.get(email="ideengeberin-002@example.org"))
    board.shortlist_notices_plan(now=shortlist.closes_at - timedelta(days=1))

    # Some notices sent, one failed, one unsubscribed by its link.
    sent = notices.notices_send_pending(limit=20)
    assert sent
    failed = Notice.objects.filter(state=NoticeState.PENDING).order_by("-pk").first()
    Notice.objects.filter(pk=failed.pk).update(
        state=NoticeState.FAILED, attempts=5, last_error="SMTPRecipientsRefused"
    )
    notices.unsubscribe(token=notices.unsubscribe_token(subscription.notices.first()))
    assert Idea.objects.filter(event__isnull=False).exists()


def dump(path: Path) -> None:
    tables = {}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.proxy or not model._meta.managed:
            continue
        if model._meta.label in ("sessions.Session",):
            continue
        names = [field.attname for field in model._meta.concrete_fields]
        rows = list(model._base_manager.order_by("pk").values_list(*names))
        tables[model._meta.label] = {"table": model._meta.db_table, "fields": names, "rows": rows}
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        json.dump(tables, handle, cls=DjangoJSONEncoder, ensure_ascii=False)
    counts = {label: len(table["rows"]) for label, table in tables.items() if table["rows"]}
    print(json.dumps(counts, indent=1))


if __name__ == "__main__":
    fill()
    dump(Path(sys.argv[1]))
