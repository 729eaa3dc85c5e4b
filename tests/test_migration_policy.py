"""The migration policy (docs/migrations.md) for migrations written after 1.0.0: on the large
tables, indexes are built and dropped CONCURRENTLY in non-atomic migrations, so that a
deployment never blocks writes to ideas, images, the audit log or the outbox while an index
is built. Migrations up to 1.0.0 ran on small databases and stay as they are."""

import re
from importlib import import_module
from pathlib import Path

from django.apps import apps
from django.contrib.postgres.operations import AddIndexConcurrently, RemoveIndexConcurrently
from django.db import migrations, models
from django.db.migrations.loader import MigrationLoader

ROOT = Path(__file__).resolve().parent.parent

# The last migration of each app in release 1.0.0: the policy applies to every later one.
RELEASED = {
    "accounts": 7,
    "audit": 2,
    "board": 1,
    "events": 2,
    "fields": 3,
    "ideas": 17,
    "measures": 1,
    "notices": 2,
    "pages": 2,
    "review": 1,
}

# Tables that grow with every participant: a lock on them stops submissions.
LARGE = {
    ("ideas", "idea"),
    ("ideas", "ideaimage"),
    ("audit", "auditentry"),
    ("notices", "notice"),
    ("notices", "subscription"),
    ("accounts", "user"),
    ("events", "registration"),
}

PLAIN_INDEX_SQL = re.compile(
    r"\b(CREATE\s+(UNIQUE\s+)?INDEX|DROP\s+INDEX)\b(?!\s+CONCURRENTLY)", re.I
)


def policy_violations(app_label: str, migration: migrations.Migration, source: str) -> list[str]:
    """What in one migration breaks the policy, as readable sentences."""
    found = []
    concurrent = False
    for operation in migration.operations:
        model = getattr(operation, "model_name", None)
        large = (app_label, model) in LARGE
        kind = type(operation).__name__
        if isinstance(operation, AddIndexConcurrently | RemoveIndexConcurrently):
            concurrent = True
        elif isinstance(operation, migrations.AddIndex | migrations.RemoveIndex) and large:
            found.append(f"{kind} on {model}: use {kind}Concurrently (atomic = False)")
        elif isinstance(operation, migrations.AddField | migrations.AlterField) and large:
            field = operation.field
            if field.db_index or field.unique:
                found.append(
                    f"{kind} {model}.{operation.name} indexes the column under a lock: add "
                    "it with db_index=False, then AddIndexConcurrently"
                )
        elif (
            isinstance(operation, migrations.AddConstraint)
            and large
            and isinstance(operation.constraint, models.UniqueConstraint)
        ):
            found.append(
                f"AddConstraint {operation.constraint.name} on {model} builds a unique "
                "index under a lock: build it concurrently with RunSQL first"
            )
    if re.search(r"\bCONCURRENTLY\b", source, re.IGNORECASE):
        concurrent = True
    if concurrent and migration.atomic:
        found.append("concurrent index operations need `atomic = False` on the migration")
    if PLAIN_INDEX_SQL.search(source):
        found.append("raw CREATE/DROP INDEX without CONCURRENTLY (and atomic = False)")
    return found


def released(app_label: str, name: str) -> bool:
    number = re.match(r"(\d{4})_", name)
    return number is not None and int(number.group(1)) <= RELEASED.get(app_label, 0)


def test_new_migrations_build_indexes_on_large_tables_concurrently():
    loader = MigrationLoader(None, ignore_no_migrations=True)
    ours = {
        config.label for config in apps.get_app_configs() if Path(config.path).is_relative_to(ROOT)
    }
    found = []
    for (app_label, name), migration in loader.disk_migrations.items():
        if app_label not in ours or released(app_label, name):
            continue
        source = Path(import_module(type(migration).__module__).__file__).read_text()
        found += [
            f"{app_label}.{name}: {problem}"
            for problem in policy_violations(app_label, migration, source)
        ]
    assert found == []


def test_every_app_with_migrations_has_its_release_line():
    loader = MigrationLoader(None, ignore_no_migrations=True)
    ours = {
        config.label for config in apps.get_app_configs() if Path(config.path).is_relative_to(ROOT)
    }
    with_migrations = {app_label for app_label, _ in loader.disk_migrations if app_label in ours}
    # An app that gets its first migration after 1.0.0 is checked from 0001 on (default 0).
    assert set(RELEASED) <= with_migrations


def migration(*operations, atomic: bool = True) -> migrations.Migration:
    instance = migrations.Migration("0099_new", "ideas")
    instance.operations = list(operations)
    instance.atomic = atomic
    return instance


INDEX = models.Index(fields=["created_at"], name="idea_created")


def test_the_policy_refuses_a_plain_index_on_ideas_and_accepts_the_concurrent_one():
    assert policy_violations("ideas", migration(migrations.AddIndex("idea", INDEX)), "") == [
        "AddIndex on idea: use AddIndexConcurrently (atomic = False)"
    ]
    assert policy_violations(
        "ideas", migration(migrations.RemoveIndex("idea", "idea_created")), ""
    ) == ["RemoveIndex on idea: use RemoveIndexConcurrently (atomic = False)"]
    assert (
        policy_violations(
            "ideas", migration(AddIndexConcurrently("idea", INDEX), atomic=False), ""
        )
        == []
    )
    assert policy_violations("ideas", migration(AddIndexConcurrently("idea", INDEX)), "") == [
        "concurrent index operations need `atomic = False` on the migration"
    ]
    # A small table may take a plain index.
    assert policy_violations("ideas", migration(migrations.AddIndex("call", INDEX)), "") == []


def test_the_policy_refuses_indexed_fields_and_raw_index_sql_on_large_tables():
    field = migrations.AddField(
        "idea", "owner", models.ForeignKey("accounts.User", models.CASCADE)
    )
    [problem] = policy_violations("ideas", migration(field), "")
    assert problem.startswith("AddField idea.owner indexes the column under a lock")
    plain = migrations.AddField("idea", "note", models.TextField(default=""))
    assert policy_violations("ideas", migration(plain), "") == []
    sql = 'RunSQL("CREATE INDEX idea_x ON ideas_idea (title)")'
    assert policy_violations("ideas", migration(), sql) == [
        "raw CREATE/DROP INDEX without CONCURRENTLY (and atomic = False)"
    ]
    concurrent_sql = 'RunSQL("CREATE INDEX CONCURRENTLY idea_x ON ideas_idea (title)")'
    assert policy_violations("ideas", migration(atomic=False), concurrent_sql) == []
    assert policy_violations("ideas", migration(), concurrent_sql) == [
        "concurrent index operations need `atomic = False` on the migration"
    ]
