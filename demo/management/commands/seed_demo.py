import json
import random
from datetime import datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from accounts.models import Role
from board.models import Shortlist
from board.services import shortlist_freeze, shortlist_item_add, shortlist_save
from fields.models import ActionField, Quarter
from fields.services import quarters_load, quarters_read
from halle_smartcity.city import map_settings
from halle_smartcity.page_cache import pages_changed
from halle_smartcity.progress import Progress
from ideas import similarity_search
from ideas.models import Call, CallExtension, Channel, Idea, ReferenceSequence, Status
from ideas.services import call_save
from measures.models import Measure
from measures.services import measure_save
from review.assessments import assessment_record, assessors_assign, catalogue_create_default
from review.selectors import catalogue_current
from review.services import idea_transition

BERLIN = ZoneInfo("Europe/Berlin")
DATA = Path(__file__).resolve().parents[2] / "demo_data" / "halle_ideas.json"

HALLE_CALL = {
    "slug": "smart-city-halle-2022",
    "title": "Projektideenaufruf Smart City Halle (Saale)",
    "teaser": "Ihre Ideen für die Smart-City-Strategie: Bildung, Wirtschaft, Mobilität und "
    "Verwaltung.",
    "description": (
        "Die Stadt Halle (Saale) entwickelt ihre Smart-City-Strategie gemeinsam mit den "
        "Menschen, die hier leben, lernen und arbeiten. Vom 10.11.2022 an konnten alle "
        "Projektideen einreichen, wie digitale Technik das Leben in Halle besser machen kann.\n\n"
        "Die Ideen wurden nach Handlungsfeldern sortiert, in Design-Sprints und Workshops "
        "anhand eines Kriterienkatalogs qualifiziert und zu Maßnahmen gebündelt, die mehrere "
        "Handlungsfelder verbinden. Der Smart-City-Beirat hat die Auswahl begleitet."
    ),
    "opens_at": datetime(2022, 11, 10, 0, 0, tzinfo=BERLIN),
    "closes_at": datetime(2022, 12, 16, 23, 59, tzinfo=BERLIN),
}
HALLE_EXTENSION = {
    "new_deadline": datetime(2023, 1, 8, 23, 59, tzinfo=BERLIN),
    "reason": "Auf vielfachen Wunsch verlängert: Viele Schulen und Vereine wollten ihre Ideen "
    "nach den Weihnachtsferien gemeinsam fertigstellen.",
    "created_at": datetime(2022, 12, 14, 10, 0, tzinfo=BERLIN),
}
# A few of Halle's ideas came on paper, by post, by phone or at an event (by number).
HALLE_ANALOG = {
    9: Channel.PAPER,
    19: Channel.EVENT,
    33: Channel.POST,
    47: Channel.PAPER,
    58: Channel.PHONE,
    71: Channel.EVENT,
    80: Channel.POST,
}
DEMO_CALL = {
    "slug": "demo-aufruf",
    "title": "Demo-Aufruf: Ideen für ein digitales Halle",
    "teaser": "Ein offener Aufruf zum Ausprobieren: Reichen Sie eine Idee ein.",
    "description": (
        "Dieser Aufruf dient der Vorführung der Plattform. Reichen Sie gern eine Idee ein: "
        "Sie können einen Entwurf speichern, Bilder hinzufügen und Ihre Idee bis zum Ende der "
        "Frist bearbeiten."
    ),
}
DEMO_ACCOUNTS = [
    # email, display name, role, staff
    ("buerger@example.org", "Bürgerin Demo", None, False),
    ("redaktion@example.org", "Redaktion Demo", Role.EDITOR, True),
    ("bewertung@example.org", "Bewertung Demo", Role.ASSESSOR, True),
    ("beirat@example.org", "Beirat Demo", Role.BOARD, False),
    ("admin@example.org", "Administration Demo", Role.ADMINISTRATOR, True),
]


class Command(BaseCommand):
    help = (
        "Load demo data: Halle's 2022/23 call with its 85 ideas, an open demo call and one "
        "account per role. Safe to run again."
    )

    def handle(self, *args, **options):
        if not DATA.exists():
            raise CommandError(f"Demo data missing: {DATA}")
        rows = quarters_read(settings.MITMACHEN_QUARTERS_FILE)
        with Progress(total=len(rows), label="Quarters", stream=self.stdout) as progress:
            quarters_load(rows=rows, progress=progress.update)
        with transaction.atomic():
            accounts = self._accounts()
            halle = self._halle_call()
            self._halle_ideas(halle)
            demo = self._demo_call()
            # Halle's criteria catalogue, so that assessors can score right away.
            for call in (halle, demo):
                catalogue_create_default(call=call)
            self._board_demo(halle)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready: “{halle.title}” with {halle.ideas.published().count()} ideas, "
                f"“{demo.title}” open until {timezone.localtime(demo.deadline):%d.%m.%Y %H:%M}."
            )
        )
        if settings.DEBUG:
            self.stdout.write("Demo accounts (development only):")
            for email, password, role in accounts:
                self.stdout.write(f"  {role:<14} {email:<26} {password}")
        # Halle's events, milestones and publications (events app).
        call_command("load_halle_process", stdout=self.stdout)
        self._idea_locations(halle)
        # Similar ideas and themes read the stored analysis: make it now, not a minute later.
        similarity_search.idea_terms_missing(limit=10_000)

    def _idea_locations(self, call: Call) -> None:
        """Made-up places for most of the demo ideas, scattered around the city centre, so
        the map has something to show. Deterministic per reference; about one idea in six
        stays without a place. Places already set are kept."""
        centre_lat, centre_lon = map_settings()["center"]
        west, south, east, north = map_settings()["bounds"]
        margin = 0.005
        changed = []
        for idea in call.ideas.filter(latitude__isnull=True).order_by("reference"):
            rng = random.Random(f"demo-location:{idea.reference}")
            if rng.random() < 1 / 6:
                continue
            lat = min(max(rng.gauss(centre_lat, 0.015), south + margin), north - margin)
            lon = min(max(rng.gauss(centre_lon, 0.025), west + margin), east - margin)
            idea.latitude = Decimal(f"{lat:.6f}")
            idea.longitude = Decimal(f"{lon:.6f}")
            changed.append(idea)
        if changed:
            Idea.objects.bulk_update(changed, ["latitude", "longitude"])
            # bulk_update sends no signals: make cached public pages show the new places.
            pages_changed()
        located = call.ideas.filter(latitude__isnull=False).count()
        self.stdout.write(f"Demo locations: {located} of {call.ideas.count()} ideas have a place.")

    def _accounts(self):
        User = get_user_model()
        created = []
        for email, name, role, staff in DEMO_ACCOUNTS:
            user, _ = User.objects.get_or_create(email=email, defaults={"display_name": name})
            user.display_name = name
            user.is_staff = staff
            user.is_superuser = role == Role.ADMINISTRATOR
            password = f"Demo-{(role or 'Buerger').replace(' ', '')}-2026!"
            # Known passwords are for a developer's machine only.
            if settings.DEBUG:
                user.set_password(password)
            else:
                user.set_unusable_password()
            user.save()
            if role:
                user.groups.add(Group.objects.get(name=role))
            EmailAddress.objects.update_or_create(
                user=user, email=email, defaults={"verified": True, "primary": True}
            )
            created.append((email, password, str(role.label) if role else "Bürger/in"))
        return created

    def _board_demo(self, halle: Call) -> None:
        """Six of Halle's ideas assessed and qualified, a measure from three of them and a
        shortlist open for the board, all through the services (audit log included)."""
        User = get_user_model()
        members = []
        for number in (1, 2, 3):
            email = f"beirat{number}@example.org"
            member, _ = User.objects.get_or_create(
                email=email, defaults={"display_name": f"Beiratsmitglied {number}"}
            )
            if settings.DEBUG:
                member.set_password("Demo-Beirat-2026!")
                member.save()
            member.groups.add(Group.objects.get(name=Role.BOARD))
            EmailAddress.objects.update_or_create(
                user=member, email=email, defaults={"verified": True, "primary": True}
            )
            members.append(member)
        if Shortlist.objects.filter(call=halle).exists():
            return
        editor = User.objects.get(email="redaktion@example.org")
        assessor = User.objects.get(email="bewertung@example.org")
        catalogue = catalogue_current(halle)
        ideas = list(halle.ideas.published().order_by("reference")[:6])
        assessors_assign(ideas=ideas, assessors=[assessor], by=editor)
        for number, idea in enumerate(ideas):
            values = {
                criterion.pk: (1, "") if criterion.knockout else (3 + number % 2, "")
                for criterion in catalogue.criteria.all()
            }
            assessment_record(
                assignment=idea.assignments.get(assessor=assessor),
                by=assessor,
                values=values,
                submit=True,
            )
            for status, reason in (
                (Status.SCREENED, "Handlungsfeld geprüft"),
                (Status.IN_QUALIFICATION, "Im Design-Sprint qualifiziert"),
                (Status.QUALIFIED, "Erfüllt den Kriterienkatalog"),
            ):
                idea_transition(idea=idea, to=status, by=editor, reason=reason)
        ideas = list(Idea.objects.filter(pk__in=[idea.pk for idea in ideas]))
        measure = measure_save(
            measure=Measure(
                call=halle,
                title="Digitale Bildung im Quartier",
                slug="digitale-bildung-quartier",
                description="Lernorte, Medienkompetenz und digitale Teilhabe in den Stadtteilen, "
                "gebündelt aus Ideen der Bürgerinnen und Bürger.",
                lead_department="Fachbereich Bildung",
                published=True,
            ),
            by=editor,
            action_fields={idea.primary_field for idea in ideas[:3]},
            ideas=ideas[:3],
        )
        now = timezone.now()
        # Assembled before its window opens, then opened: as the editors would.
        shortlist = shortlist_save(
            shortlist=Shortlist(
                call=halle,
                title="Auswahl zur Beratung im Smart-City-Beirat",
                opens_at=now + timedelta(minutes=1),
                closes_at=now + timedelta(days=14),
            ),
            by=editor,
        )
        shortlist_item_add(shortlist=shortlist, subject=measure, by=editor)
        for idea in ideas[3:]:
            shortlist_item_add(shortlist=shortlist, subject=idea, by=editor)
        shortlist.opens_at = now - timedelta(hours=1)
        shortlist_save(shortlist=shortlist, by=editor)
        shortlist_freeze(shortlist=shortlist)

    def _halle_call(self) -> Call:
        call = Call.objects.filter(slug=HALLE_CALL["slug"]).first() or Call()
        for key, value in HALLE_CALL.items():
            setattr(call, key, value)
        call.published = True
        call_save(call=call)
        if not call.extensions.exists():
            CallExtension.objects.create(call=call, old_deadline=call.closes_at, **HALLE_EXTENSION)
        return call_save(call=call)

    def _halle_ideas(self, call: Call) -> None:
        entries = json.loads(DATA.read_text(encoding="utf-8"))
        if call.ideas.count() >= len(entries):
            self.stdout.write("Halle's ideas are already loaded.")
            return
        call.ideas.all().delete()
        User = get_user_model()
        fields = {field.slug: field for field in ActionField.objects.all()}
        quarters = {quarter.name: quarter for quarter in Quarter.objects.all()}
        rng = random.Random(2022)
        names_used: set[str] = set()
        entries.sort(key=lambda entry: (entry["submitted"], entry["title"]))
        editor = User.objects.get(email="redaktion@example.org")
        with Progress(total=len(entries), label="Ideas", stream=self.stdout) as progress:
            for number, entry in enumerate(entries, start=1):
                name = entry["author"]
                if name.lower() in names_used:
                    name = f"{name} {number}"
                names_used.add(name.lower())
                channel = HALLE_ANALOG.get(number, Channel.ONLINE)
                author = None
                if channel == Channel.ONLINE:
                    author, _ = User.objects.update_or_create(
                        email=f"ideengeberin-{number:03d}@example.org",
                        defaults={"display_name": name},
                    )
                day = datetime.fromisoformat(entry["submitted"]).date()
                moment = datetime.combine(
                    day, time(rng.randint(7, 22), rng.randint(0, 59)), tzinfo=BERLIN
                )
                analog = {}
                if channel != Channel.ONLINE:
                    # Entered by the editors on the day it arrived; no personal data needed.
                    analog = {"received_on": day, "entered_by": editor, "paper_consent": True}
                idea = Idea.objects.create(
                    call=call,
                    author=author,
                    channel=channel,
                    **analog,
                    reference=f"SC-2022-{number:04d}",
                    title=entry["title"],
                    summary=entry["summary"],
                    description=entry["description"],
                    problem=entry["problem"],
                    benefit=entry["benefit"],
                    target_groups=entry["target_groups"],
                    primary_field=fields[entry["primary_field"]],
                    whole_city=entry["whole_city"],
                    wants_workshop=entry["wants_workshop"],
                    consent_at=moment,
                    consent_version="2022-11",
                    status=Status.SUBMITTED,
                    submitted_at=moment,
                )
                Idea.objects.filter(pk=idea.pk).update(created_at=moment, updated_at=moment)
                idea.action_fields.set([fields[slug] for slug in entry["fields"]])
                idea.quarters.set([quarters[name] for name in entry["quarters"]])
                progress.update(number)
        ReferenceSequence.objects.update_or_create(key="SC-2022", defaults={"last": len(entries)})

    def _demo_call(self) -> Call:
        now = timezone.now()
        call = Call.objects.filter(slug=DEMO_CALL["slug"]).first() or Call()
        for key, value in DEMO_CALL.items():
            setattr(call, key, value)
        if call.pk is None or not call.is_open(now):
            # Keep the demo call open whenever the demo data is loaded again.
            call.opens_at = now - timedelta(days=7)
            call.closes_at = timezone.localtime(now + timedelta(days=30)).replace(
                hour=23, minute=59, second=0, microsecond=0
            )
            if call.pk:
                call.extensions.all().delete()
        call.published = True
        return call_save(call=call)
