from datetime import timedelta
from decimal import Decimal
from importlib import import_module

import factory
from allauth.account.models import EmailAddress
from django.contrib.auth.models import AnonymousUser
from django.db.models import F
from django.utils import timezone

from accounts.models import User
from fields.models import ActionField, District, Quarter
from ideas.models import Call, CallExtension, Idea, Status
from ideas.services import call_extend


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    display_name = factory.Sequence(lambda n: f"Person {n}")
    password = factory.django.Password("Sehr-geheim-2026")

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        if create and extracted is not False:
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = District
        django_get_or_create = ["name"]

    name = "Mitte"


class QuarterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Quarter

    district = factory.SubFactory(DistrictFactory)
    code = factory.Sequence(lambda n: f"T{n:03d}")
    name = factory.Sequence(lambda n: f"Stadtteil {n}")


class CallFactory(factory.django.DjangoModelFactory):
    """An open, published call by default."""

    class Meta:
        model = Call

    title = factory.Sequence(lambda n: f"Aufruf {n}")
    slug = factory.Sequence(lambda n: f"aufruf-{n}")
    teaser = "Ihre Ideen für die Stadt."
    description = "Reichen Sie Ihre Idee ein."
    opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=10))
    closes_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=10))
    deadline = factory.LazyAttribute(lambda call: call.closes_at)
    published = True


def action_field(slug: str = "bildung") -> ActionField:
    """One of the four action fields of the data migration. A transactional test's flush
    removes migration data, so it is made again where missing."""
    field = ActionField.objects.filter(slug=slug).first()
    if field is None:
        from django.apps import apps

        import_module("fields.migrations.0002_action_fields").create(apps, None)
        field = ActionField.objects.get(slug=slug)
    return field


def idea_form_data(**overrides) -> dict:
    """What a citizen fills into the idea form to submit an idea for the whole city."""
    return {
        "title": "Sensoren an der Saale",
        "summary": "Pegelsensoren melden Hochwasser früh.",
        "description": "Sensoren an Brücken messen den Wasserstand.",
        "problem": "Hochwasser kommt oft überraschend.",
        "benefit": "Anwohnende werden rechtzeitig gewarnt.",
        "action_fields": [action_field("verwaltung").pk],
        "primary_field": action_field("verwaltung").pk,
        "whole_city": "on",
        "consent": "on",
        "intent": "submit",
        **overrides,
    }


class IdeaFactory(factory.django.DjangoModelFactory):
    """A complete, submitted idea by default."""

    class Meta:
        model = Idea
        skip_postgeneration_save = True

    call = factory.SubFactory(CallFactory)
    author = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"Idee Nummer {n}")
    summary = "Eine kurze Zusammenfassung."
    description = "Eine ausführliche Beschreibung."
    problem = "Das Problem."
    benefit = "Der Nutzen."
    target_groups = "Alle"
    primary_field = factory.LazyFunction(action_field)
    whole_city = True
    consent_at = factory.LazyFunction(timezone.now)
    consent_version = "2022-11"
    status = Status.SUBMITTED
    submitted_at = factory.LazyFunction(timezone.now)
    reference = factory.Sequence(lambda n: f"SC-2099-{n:04d}")

    @factory.post_generation
    def action_fields(self, create, extracted, **kwargs):
        if create:
            self.action_fields.set(extracted or [self.primary_field])


class DraftFactory(IdeaFactory):
    status = Status.DRAFT
    submitted_at = None
    reference = None


ROLE_MIGRATIONS = [
    ("0002_roles", "create"),
    ("0003_editor_notice_permissions", "grant"),
    ("0004_triage_permissions", "grant"),
    ("0005_board_permissions", "grant"),
    ("0006_events_permissions", "grant"),
    ("0007_apps_by_concept_permissions", "grant"),
]


def ensure_role_groups() -> None:
    """The role groups with their permissions, as the data migrations make them. A
    transactional test's flush removes them; this runs those migrations' steps again."""
    from django.apps import apps
    from django.contrib.auth.models import Group

    if Group.objects.filter(name="Redaktion").exists():
        return
    for module, function in ROLE_MIGRATIONS:
        getattr(import_module(f"accounts.migrations.{module}"), function)(apps, None)


def user_with_role(role: str, **kwargs):
    """A user in one of the role groups (Redaktion, Bewertung, Beirat); staff where the role
    works in the admin."""
    from django.contrib.auth.models import Group

    ensure_role_groups()
    user = UserFactory(is_staff=role in ("Redaktion",), **kwargs)
    user.groups.add(Group.objects.get(name=role))
    return user


ROLE_GROUPS = {"assessor": "Bewertung", "board": "Beirat", "editor": "Redaktion"}


def user_in_role(role: str, *, author=None):
    """A user for a role of the permission tables: anonymous, citizen, author (given),
    assessor, board, editor, or administrator (a superuser in no group)."""
    if role == "author":
        return author
    if role == "anonymous":
        return AnonymousUser()
    if role == "administrator":
        return UserFactory(is_staff=True, is_superuser=True)
    if role in ROLE_GROUPS:
        return user_with_role(ROLE_GROUPS[role])
    assert role == "citizen", role
    return UserFactory()


def log_in(client, user) -> None:
    """Sign the test client in as `user`; an anonymous user stays signed out."""
    if user.is_authenticated:
        client.force_login(user)


def call_in_phase(phase: str) -> Call:
    """A published call in the given phase. "extended": its first deadline has passed and an
    editor moved it into the future with call_extend. "extension_passed": the same, with the
    whole history (dates and extension) moved a month back, so the new deadline has passed."""
    now = timezone.now()
    if phase == "open":
        return CallFactory()
    call = CallFactory(opens_at=now - timedelta(days=20), closes_at=now - timedelta(days=1))
    if phase == "closed":
        return call
    call_extend(
        call=call,
        new_deadline=now + timedelta(days=5),
        reason="Mehr Zeit für Einreichungen",
        by=user_with_role("Redaktion"),
    )
    if phase == "extension_passed":
        month = timedelta(days=30)
        Call.objects.filter(pk=call.pk).update(
            opens_at=F("opens_at") - month,
            closes_at=F("closes_at") - month,
            deadline=F("deadline") - month,
        )
        CallExtension.objects.filter(call=call).update(
            old_deadline=F("old_deadline") - month,
            new_deadline=F("new_deadline") - month,
            created_at=F("created_at") - month,
        )
    return Call.objects.get(pk=call.pk)


def bulk_located(count: int, *, field_slug: str = "bildung", start: int = 0) -> list[Idea]:
    """`count` published ideas spread over a 0.1° x 0.1° square in Halle's centre."""
    call = CallFactory()
    author = UserFactory()
    quarter = QuarterFactory()
    now = timezone.now()
    ideas = Idea.objects.bulk_create(
        Idea(
            call=call,
            author=author,
            title=f"Idee {n:05d}",
            primary_field=action_field(field_slug),
            status=Status.SUBMITTED,
            reference=f"SC-M-{n:05d}",
            submitted_at=now - timedelta(minutes=n),
            latitude=Decimal("51.44") + Decimal(n % 100) / 1000,
            longitude=Decimal("11.92") + Decimal(n * 7 % 97) / 1000,
        )
        for n in range(start, start + count)
    )
    Idea.quarters.through.objects.bulk_create(
        Idea.quarters.through(idea=idea, quarter=quarter) for idea in ideas
    )
    Idea.action_fields.through.objects.bulk_create(
        Idea.action_fields.through(idea=idea, actionfield=idea.primary_field) for idea in ideas
    )
    return ideas


def measure_admin_data(*, call, ideas=(), contributions=None, **fields) -> dict:
    """The POST of the measure's admin form: its fields, its source ideas (with what each
    contributed) and empty inline rows for milestones, indicators and updates."""
    contributions = contributions or {}
    data = {
        "call": call.pk,
        "title": "Maßnahme",
        "slug": "massnahme",
        "goal": "",
        "description": "",
        "lead_department": "",
        "partners": "",
        "cost_range": "",
        "funding": "",
        "new_status": "",
        "status_reason": "",
        "update_text": "",
        **fields,
    }
    for prefix in ("sources", "milestones", "indicators", "updates"):
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": "0",
                f"{prefix}-INITIAL_FORMS": "0",
                f"{prefix}-MIN_NUM_FORMS": "0",
                f"{prefix}-MAX_NUM_FORMS": "1000",
            }
        )
    data["sources-TOTAL_FORMS"] = str(len(ideas))
    for index, idea in enumerate(ideas):
        data[f"sources-{index}-idea"] = str(idea.pk)
        data[f"sources-{index}-contribution"] = contributions.get(idea.pk, "")
    return data
