"""Seed a benchmark database with realistic published ideas, fast (PostgreSQL COPY).

Texts are recombined from demo/demo_data/halle_ideas.json (Halle's 85 real ideas): each
generated idea takes one real idea as its model, varies the title, adds sentences of other ideas
in the same action field, and keeps the model's action fields, quarters and target groups.
Seeding is incremental: `seed_to(10_000)` after `seed_to(1_000)` adds 9,000 ideas.
"""

import json
import random
import re
import sys
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from fields.models import ActionField, Quarter
from halle_smartcity.progress import Progress
from ideas import similarity_search
from ideas.models import PUBLIC_STATUSES, Call, Idea, IdeaImage, ReferenceSequence, Status

BERLIN = ZoneInfo("Europe/Berlin")
DEMO = Path(settings.BASE_DIR) / "demo" / "demo_data" / "halle_ideas.json"
BATCH = 5_000
USERS_PER_IDEA = 0.7  # most people submit one idea, some several
DRAFT_SHARE = 0.04  # drafts on top of the published ideas (not counted in the size)
IMAGE_SHARE = 0.35  # published ideas with 1-3 images
IMAGE_POOL = 8  # distinct generated image files the image rows point to

STATUS_WEIGHTS = [
    (Status.SUBMITTED, 70),
    (Status.SCREENED, 10),
    (Status.IN_QUALIFICATION, 5),
    (Status.QUALIFIED, 5),
    (Status.IN_MEASURE, 3),
    (Status.POOL, 3),
    (Status.NOT_PURSUED, 3),
    (Status.DUPLICATE, 1),
]
CHANNEL_WEIGHTS = [("online", 88), ("paper", 5), ("post", 3), ("phone", 2), ("event", 2)]
TITLE_VARIANTS = [
    "{title}",
    "{title}",
    "{title} in {quarter}",
    "{title} für {group}",
    "{title} – Pilotprojekt",
    "{title} ({year})",
    "{title}: ein Vorschlag aus {quarter}",
    "Mehr {title}",
]


@dataclass(frozen=True)
class CallSpec:
    slug: str
    title: str
    prefix: str
    share: float

    def window(self, now: datetime) -> tuple[datetime, datetime, datetime]:
        """opens_at, closes_at and the last moment an idea can have been submitted."""
        if self.slug == "smart-city-halle-2022":
            opens = datetime(2022, 11, 10, tzinfo=BERLIN)
            closes = datetime(2023, 1, 8, 23, 59, tzinfo=BERLIN)
            return opens, closes, closes
        if self.slug == "digitales-halle-2024":
            opens = datetime(2024, 3, 1, tzinfo=BERLIN)
            closes = datetime(2024, 5, 31, 23, 59, tzinfo=BERLIN)
            return opens, closes, closes
        # The call open now: opened a month ago, closes in two months.
        opens = (now - timedelta(days=30)).replace(hour=0, minute=0, second=0, microsecond=0)
        closes = (now + timedelta(days=60)).replace(hour=23, minute=59, second=0, microsecond=0)
        return opens, closes, now - timedelta(minutes=5)


CALLS = [
    CallSpec("smart-city-halle-2022", "Projektideenaufruf Smart City Halle (Saale)", "SC", 0.5),
    CallSpec("digitales-halle-2024", "Ideen für ein digitales Halle 2024", "DH", 0.3),
    CallSpec("mitmachen-jetzt", "Mitmachen: Ideen für unsere Stadt", "MM", 0.2),
]


def _sentences(text: str) -> list[str]:
    return [part.strip() for part in re.split(r"(?<=[.!?])\s+", text) if part.strip()]


class TextSource:
    """Halle's real ideas, ready to be recombined."""

    def __init__(self):
        self.entries = json.loads(DEMO.read_text(encoding="utf-8"))
        self.by_field: dict[str, list[str]] = {}
        for entry in self.entries:
            self.by_field.setdefault(entry["primary_field"], []).extend(
                _sentences(entry["description"])
            )


def prepare(*, media_root: Path) -> None:
    """Schema, action fields (data migration), quarters, calls and the image files."""
    call_command("migrate", interactive=False, verbosity=0)
    call_command("load_quarters", stdout=sys.stderr)
    now = timezone.now()
    for spec in CALLS:
        opens, closes, _ = spec.window(now)
        Call.objects.update_or_create(
            slug=spec.slug,
            defaults={
                "title": spec.title,
                "teaser": "Ihre Ideen für eine digitale, lebenswerte Stadt.",
                "description": "Reichen Sie Ihre Projektidee ein: Bildung, Wirtschaft, "
                "Mobilität und Verwaltung.",
                "opens_at": opens,
                "closes_at": closes,
                "deadline": closes,
                "published": True,
                "reference_prefix": spec.prefix,
            },
        )
    make_images(media_root)


def make_images(media_root: Path) -> list[tuple[str, str, str]]:
    """A few photo-like images with thumbnails as the app stores them (WebP, 640x480 and
    320x240)."""
    from PIL import Image, ImageDraw, ImageFilter

    folder = media_root / "ideas"
    folder.mkdir(parents=True, exist_ok=True)
    names = []
    for number in range(IMAGE_POOL):
        image_name = f"ideas/bench-{number:02d}.jpg"
        thumb_name = f"ideas/bench-{number:02d}-thumb.webp"
        small_name = f"ideas/bench-{number:02d}-thumb-small.webp"
        names.append((image_name, thumb_name, small_name))
        if (media_root / small_name).exists():
            continue
        rng = random.Random(number)  # noqa: S311 - reproducible data, not secrets
        image = Image.new("RGB", (1600, 1200))
        draw = ImageDraw.Draw(image)
        sky = [rng.randint(90, 200) for _ in range(3)]
        for y in range(1200):  # sky and ground gradients
            shade = y / 1200
            colour = tuple(int(c * (1 - shade) + 60 * shade) for c in sky)
            draw.line([(0, y), (1600, y)], fill=colour)
        for _ in range(400):  # buildings, trees, people: shapes with edges
            x, y = rng.randint(0, 1580), rng.randint(200, 1200)
            w, h = rng.randint(5, 200), rng.randint(5, 300)
            fill = tuple(rng.randint(20, 235) for _ in range(3))
            if rng.random() < 0.5:
                draw.rectangle([x, y - h, x + w, y], fill=fill)
            else:
                draw.ellipse([x, y - h, x + w, y], fill=fill)
        # Detail and grain like a phone photo: ~600 KB JPEG, ~28 KB WebP thumbnail.
        noise = Image.effect_noise((1600, 1200), 64).convert("RGB")
        image = Image.blend(image.filter(ImageFilter.GaussianBlur(1)), noise, 0.2)
        image.save(media_root / image_name, "JPEG", quality=82)
        thumb = image.copy()
        thumb.thumbnail((640, 480))
        thumb.save(media_root / thumb_name, "WEBP", quality=75)
        thumb.thumbnail((320, 240))
        thumb.save(media_root / small_name, "WEBP", quality=70)
    return names


def published_count() -> int:
    return Idea.objects.published().count()


def seed_to(size: int, *, stream=None) -> dict:
    """Add published ideas (with authors, fields, quarters, images and some drafts) until there
    are `size`. Answers what was added."""
    stream = stream or sys.stderr
    have = published_count()
    if have >= size:
        analysed = terms_fill(stream=stream)
        if analysed:
            analyze()
        return {"added": 0, "published": have, "analysed": analysed}
    need = size - have
    rng = random.Random(size)  # noqa: S311 - reproducible data, not secrets
    source = TextSource()
    now = timezone.now()
    fields = {field.slug: field.pk for field in ActionField.objects.all()}
    quarters = {quarter.name: quarter.pk for quarter in Quarter.objects.filter(active=True)}
    quarter_ids = list(quarters.values())
    quarter_names = list(quarters)
    calls = [(spec, Call.objects.get(slug=spec.slug)) for spec in CALLS]
    images = [
        (
            f"ideas/bench-{number:02d}.jpg",
            f"ideas/bench-{number:02d}-thumb.webp",
            f"ideas/bench-{number:02d}-thumb-small.webp",
        )
        for number in range(IMAGE_POOL)
    ]

    with transaction.atomic():
        first_user, last_user = _add_users(int(size * USERS_PER_IDEA) + 1, rng, source, now)
        drafts = int(need * DRAFT_SHARE)
        total = need + drafts
        first_id = (Idea.objects.aggregate(top=Max("pk"))["top"] or 0) + 1
        statuses, status_weights = zip(*STATUS_WEIGHTS, strict=True)
        channels, channel_weights = zip(*CHANNEL_WEIGHTS, strict=True)
        idea_rows, field_rows, quarter_rows, image_rows = [], [], [], []
        references: dict[str, int] = {}
        with Progress(total=total, label=f"Ideas to {size:,}", stream=stream) as progress:
            for offset in range(total):
                pk = first_id + offset
                draft = offset >= need
                spec, call = rng.choices(calls, weights=[s.share for s, _ in calls])[0]
                opens, _, last = spec.window(now)
                moment = opens + (last - opens) * rng.random()
                entry = rng.choice(source.entries)
                quarter = (
                    rng.choice(entry["quarters"])
                    if entry["quarters"]
                    else rng.choice(quarter_names)
                )
                title = rng.choice(TITLE_VARIANTS).format(
                    title=entry["title"],
                    quarter=quarter,
                    group=entry["target_groups"].split(",")[0].strip(),
                    year=moment.year,
                )
                if len(title) > 120:
                    title = entry["title"]
                extra = rng.sample(source.by_field[entry["primary_field"]], k=rng.randint(1, 4))
                description = " ".join([entry["description"], *extra])
                if rng.random() < 0.3:  # some ideas are long
                    description += "\n\n" + " ".join(
                        rng.sample(source.by_field[entry["primary_field"]], k=6)
                    )
                status = Status.DRAFT if draft else rng.choices(statuses, status_weights)[0]
                reference = None
                submitted_at = None
                if not draft:
                    key = f"{spec.prefix}-{opens.year}"
                    number = pk
                    references[key] = max(references.get(key, 0), number)
                    reference = f"{key}-{number:04d}"
                    submitted_at = moment
                author = rng.randint(first_user, last_user) if rng.random() > 0.02 else None
                # Half the ideas mark a place in the city (the map, GeoJSON).
                latitude = longitude = None
                if rng.random() < 0.5:
                    latitude = round(rng.uniform(51.42, 51.53), 6)
                    longitude = round(rng.uniform(11.88, 12.06), 6)
                idea_rows.append(
                    (
                        pk,
                        call.pk,
                        author,
                        reference,
                        title,
                        entry["summary"],
                        description,
                        entry["problem"],
                        entry["benefit"],
                        entry["target_groups"],
                        fields[entry["primary_field"]],
                        bool(entry["whole_city"]),
                        latitude,
                        longitude,
                        bool(entry["wants_workshop"]),
                        moment if not draft else None,
                        "2022-11" if not draft else "",
                        status,
                        rng.choices(channels, channel_weights)[0],
                        None,
                        submitted_at,
                        moment - timedelta(hours=rng.randint(1, 72)),
                        moment,
                    )
                )
                slugs = set(entry["fields"]) | {entry["primary_field"]}
                if rng.random() < 0.15:
                    slugs.add(rng.choice(list(fields)))
                field_rows.extend((pk, fields[slug]) for slug in sorted(slugs))
                if entry["whole_city"]:
                    chosen = set()
                elif entry["quarters"]:
                    chosen = {quarters[name] for name in entry["quarters"] if name in quarters}
                else:
                    chosen = set(rng.sample(quarter_ids, k=rng.randint(1, 3)))
                quarter_rows.extend((pk, quarter_id) for quarter_id in sorted(chosen))
                if not draft and rng.random() < IMAGE_SHARE:
                    for order in range(rng.choice((1, 1, 1, 2, 3))):
                        image, thumb, small = rng.choice(images)
                        image_rows.append((pk, image, thumb, small, 1600, 1200, "", order, moment))
                if len(idea_rows) >= BATCH:
                    _flush(idea_rows, field_rows, quarter_rows, image_rows)
                    progress.update(offset + 1)
            _flush(idea_rows, field_rows, quarter_rows, image_rows)
            progress.update(total)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence('ideas_idea', 'id'), "
                "(SELECT max(id) FROM ideas_idea))"
            )
        for key, last in references.items():
            sequence, _ = ReferenceSequence.objects.get_or_create(key=key)
            if sequence.last < last:
                sequence.last = last
                sequence.save(update_fields=["last"])
    analysed = terms_fill(stream=stream)
    analyze()
    return {
        "added": need,
        "drafts_added": drafts,
        "published": published_count(),
        "analysed": analysed,
    }


IDEA_COLUMNS = [
    "id",
    "call_id",
    "author_id",
    "reference",
    "title",
    "summary",
    "description",
    "problem",
    "benefit",
    "target_groups",
    "primary_field_id",
    "whole_city",
    "latitude",
    "longitude",
    "wants_workshop",
    "consent_at",
    "consent_version",
    "status",
    "channel",
    "form_token",
    "submitted_at",
    "created_at",
    "updated_at",
]
IMAGE_COLUMNS = [
    "idea_id", "image", "thumbnail", "thumbnail_small", "width", "height", "alt_text", "order",
    "created_at",
]  # fmt: skip
USER_COLUMNS = [
    "password",
    "is_superuser",
    "first_name",
    "last_name",
    "is_staff",
    "is_active",
    "date_joined",
    "email",
    "display_name",
    "language",
]


class CopyTable:
    """COPY into a model's table: the given columns, plus every other concrete column at its
    field's default, so that fields the app adds later need no change here."""

    def __init__(self, model, given: list[str]):
        self.table = model._meta.db_table
        self.columns = list(given)
        self.fixed: list = []
        self.per_row: list = []
        for field in model._meta.concrete_fields:
            if field.column in given or field.primary_key:
                continue
            if field.has_default() and callable(field.default):
                self.per_row.append(field)
                continue
            if field.has_default() or field.null:
                value = field.get_db_prep_save(field.get_default(), connection)
            elif field.empty_strings_allowed:
                value = ""
            elif getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                value = timezone.now()
            else:
                raise RuntimeError(
                    f"benchmarks/seed.py has no value for {model.__name__}.{field.name}"
                )
            self.columns.append(field.column)
            self.fixed.append(value)
        self.columns += [field.column for field in self.per_row]
        names = ", ".join(f'"{column}"' for column in self.columns)
        self.sql = f"COPY {self.table} ({names}) FROM STDIN"

    def write(self, rows: list[tuple]) -> None:
        if not rows:
            return
        fixed = tuple(self.fixed)
        with connection.cursor() as cursor, cursor.cursor.copy(self.sql) as copy:
            for row in rows:
                extra = tuple(
                    field.get_db_prep_save(field.get_default(), connection)
                    for field in self.per_row
                )
                copy.write_row(row + fixed + extra)
        rows.clear()


def _tables() -> dict[str, CopyTable]:
    return {
        "ideas": CopyTable(Idea, IDEA_COLUMNS),
        "fields": CopyTable(Idea.action_fields.through, ["idea_id", "actionfield_id"]),
        "quarters": CopyTable(Idea.quarters.through, ["idea_id", "quarter_id"]),
        "images": CopyTable(IdeaImage, IMAGE_COLUMNS),
    }


def _flush(ideas, fields, quarters, images) -> None:
    tables = _tables()
    tables["ideas"].write(ideas)
    tables["fields"].write(fields)
    tables["quarters"].write(quarters)
    tables["images"].write(images)


def _add_users(target: int, rng: random.Random, source: TextSource, now) -> tuple[int, int]:
    """Accounts up to `target` (unusable passwords); answers the range of their ids."""
    from django.contrib.auth import get_user_model

    User = get_user_model()
    have = User.objects.count()
    rows = []
    joined = datetime(2022, 11, 1, tzinfo=UTC)
    for number in range(have + 1, target + 1):
        pseudonym = source.entries[number % len(source.entries)]["author"]
        rows.append(
            (
                "!bench-unusable",
                False,
                "",
                "",
                False,
                True,
                joined,
                f"bench-{number:07d}@example.org",
                f"{pseudonym} {number}"[:50],
                "de",
            )
        )
        if len(rows) >= BATCH:
            _copy_users(User, rows)
    _copy_users(User, rows)
    first = User.objects.order_by("pk").values_list("pk", flat=True).first() or 0
    last = User.objects.aggregate(top=Max("pk"))["top"] or 0
    return first, last


def _copy_users(User, rows) -> None:
    CopyTable(User, USER_COLUMNS).write(rows)


def terms_fill(*, stream=None) -> int:
    """Store the search analysis of every idea without one, as the worker's minutely
    `idea_terms_missing` does in production: the list's text search and the similar ideas
    look up the stored terms, so a database without them would measure another search."""
    missing = Idea.objects.filter(terms__isnull=True).count()
    done = 0
    with Progress(total=missing, label="Search terms", stream=stream or sys.stderr) as progress:
        while done < missing:
            added = similarity_search.idea_terms_missing(limit=2000)
            if not added:
                break
            done += added
            progress.advance(added)
    return done


def analyze() -> None:
    """What autovacuum would do after a while: fresh statistics and a visibility map."""
    with connection.cursor() as cursor:
        for table in (
            "ideas_idea",
            "ideas_idea_action_fields",
            "ideas_idea_quarters",
            IdeaImage._meta.db_table,
            "accounts_user",
            "ideas_ideaterms",
        ):
            cursor.execute(f"VACUUM ANALYZE {table}")


def sample_ideas(count: int, seed: int = 7) -> list[int]:
    """Published ideas a visitor would open: with images, quarters and several fields."""
    candidates = list(
        Idea.objects.filter(status__in=PUBLIC_STATUSES, images__isnull=False, whole_city=False)
        .order_by("pk")
        .values_list("pk", flat=True)
        .distinct()
    )
    if not candidates:
        candidates = list(Idea.objects.published().order_by("pk").values_list("pk", flat=True))
    random.Random(seed).shuffle(candidates)  # noqa: S311
    return candidates[:count]
