"""The steps of the upgrade test, each run in a process of its own against the database
named by DATABASE_URL (python -m tests.upgrade.steps load|compare FIXTURE):

- load: migrate an empty database to the head of 697051c (before the apps were split by
  concept) and fill it with every row of the fixture, through the historical models;
- compare: after `manage.py migrate`, check every row of the fixture against the database
  of today's models, moved tables and the generic subjects included. Prints what differs;
- back: migrate back to the old head and check that every old table has its rows again.
"""

import gzip
import json
import os
import sys

import django

OLD_HEAD = {
    "accounts": "0006_events_permissions",
    "events": "0001_initial",
    "fields": "0003_quarter_kind_labels",
    "ideas": "0015_image_small_thumbnail",
    "pages": "0002_default_pages",
}
# Tables that moved to another app unchanged (fixture label -> today's label).
MOVED = {
    "ideas.CriteriaCatalogue": "review.CriteriaCatalogue",
    "ideas.Criterion": "review.Criterion",
    "ideas.Assignment": "review.Assignment",
    "ideas.Assessment": "review.Assessment",
    "ideas.Score": "review.Score",
    "ideas.Measure": "measures.Measure",
    "ideas.Measure_ideas": "measures.MeasureIdea",  # an explicit through model since 0002
    "ideas.Measure_action_fields": "measures.Measure_action_fields",
    "ideas.Shortlist": "board.Shortlist",
    "ideas.ShortlistItem": "board.ShortlistItem",
    "ideas.Recommendation": "board.Recommendation",
    "ideas.NoticeOptOut": "notices.NoticeOptOut",
}
MOVED_MODELS = {
    "criteriacatalogue": "review",
    "criterion": "review",
    "assignment": "review",
    "assessment": "review",
    "score": "review",
    "measure": "measures",
    "shortlist": "board",
    "shortlistitem": "board",
    "recommendation": "board",
    "notice": "notices",
    "subscription": "notices",
    "noticeoptout": "notices",
    "auditentry": "audit",
}
# Tables post_migrate and the new migrations may add rows to: every old row must be there.
# (The superusers join the editors' group: a role now comes from its group only.)
GROWING = {
    "contenttypes.ContentType",
    "auth.Permission",
    "auth.Group_permissions",
    "accounts.User_groups",
    # Later migrations add legal pages (pages.0003: the netiquette); the old rows stay equal.
    "pages.Page",
}
ACTIONS = {
    "ideas.idea.status_changed": "review.idea.status_changed",
    "ideas.idea.feedback_set": "review.idea.feedback_set",
    "ideas.idea.assessor_assigned": "review.idea.assessor_assigned",
    "ideas.idea.assessor_recused": "review.idea.assessor_recused",
    "ideas.assessment.submitted": "review.assessment.submitted",
    "ideas.catalogue.versioned": "review.catalogue.versioned",
    "ideas.measure.ideas_added": "measures.measure.ideas_added",
    "ideas.shortlist.frozen": "board.shortlist.frozen",
    "ideas.shortlist.item_added": "board.shortlist.item_added",
    "ideas.shortlist.recommendation_recorded": "board.shortlist.recommendation_recorded",
}


def read_fixture(path: str) -> dict:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return json.load(handle)


def _typed(model, names, row):
    fields = {field.attname: field for field in model._meta.concrete_fields}
    return {name: fields[name].to_python(value) for name, value in zip(names, row, strict=True)}


def old_head(executor) -> list[tuple[str, str]]:
    """Our apps at the old head, everyone else's migrations at their leaves."""
    ours = {*OLD_HEAD, "audit", "notices", "review", "measures", "board", "demo", "api"}
    ours.add("discussion")  # new since: not at the old head
    leaves = [node for node in executor.loader.graph.leaf_nodes() if node[0] not in ours]
    return [*OLD_HEAD.items(), *leaves]


def load(path: str) -> None:
    from django.core.management.color import no_style
    from django.db import connection, transaction
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    targets = old_head(executor)
    executor.migrate(targets)
    apps = executor.loader.project_state(targets).apps
    fixture = read_fixture(path)
    models = [apps.get_model(label) for label in fixture]
    with transaction.atomic():
        # The migrations made content types, permissions, groups, action fields and pages
        # of their own: the fixture's rows replace them (constraints are checked at commit).
        for model in models:
            model._base_manager.all()._raw_delete(connection.alias)
            for field in model._meta.concrete_fields:
                # The rows keep their own times, not the moment of loading.
                field.auto_now = field.auto_now_add = False
        for model, table in zip(models, fixture.values(), strict=True):
            model._base_manager.bulk_create(
                model(**_typed(model, table["fields"], row)) for row in table["rows"]
            )
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(statement)
    print(f"loaded {sum(len(table['rows']) for table in fixture.values())} rows")


def _rows(model, names) -> dict:
    return {
        row[0]: dict(zip(names, row, strict=True))
        for row in model._base_manager.order_by("pk").values_list(*names)
    }


def expected_subject(label: str, old: dict, fixture: dict):
    """The subject a moved notice or audit entry must have: (app, model, pk) or None."""
    data = old.get("data") or {}
    if label == "ideas.Notice":
        if old["idea_id"]:
            return ("ideas", "idea", old["idea_id"])
        if old["event_id"]:
            return ("events", "event", old["event_id"])
        if old["kind"].startswith("shortlist_"):
            return ("board", "shortlist", data["shortlist_id"])
        return ("ideas", "call", old["call_id"]) if old["call_id"] else None
    action = old["action"]
    if action.startswith("events.") and data.get("event"):
        return ("events", "event", data["event"])
    if action == "ideas.shortlist.recommendation_recorded":
        if old["idea_id"]:
            return ("ideas", "idea", old["idea_id"])
        item = _fixture_rows(fixture, "ideas.ShortlistItem")[data["item"]]
        return ("measures", "measure", item["measure_id"])
    if action.startswith("ideas.shortlist."):
        if "shortlist" in data:
            return ("board", "shortlist", data["shortlist"])
        items = _fixture_rows(fixture, "ideas.ShortlistItem")
        return ("board", "shortlist", items[data["item"]]["shortlist_id"])
    if action.startswith("ideas.measure."):
        measures = _fixture_rows(fixture, "ideas.Measure").values()
        slug = data["measure"]
        return ("measures", "measure", next(m["id"] for m in measures if m["slug"] == slug))
    if action == "ideas.catalogue.versioned":
        catalogues = _fixture_rows(fixture, "ideas.CriteriaCatalogue").values()
        return (
            "review",
            "criteriacatalogue",
            next(
                c["id"]
                for c in catalogues
                if c["call_id"] == old["call_id"] and c["version"] == data["new"]
            ),
        )
    if old["idea_id"]:
        return ("ideas", "idea", old["idea_id"])
    return ("ideas", "call", old["call_id"]) if old["call_id"] else None


def _fixture_rows(fixture: dict, label: str) -> dict:
    table = fixture[label]
    return {row[0]: dict(zip(table["fields"], row, strict=True)) for row in table["rows"]}


def compare(path: str) -> list[str]:
    from django.apps import apps
    from django.contrib.contenttypes.models import ContentType

    fixture = read_fixture(path)
    problems = []
    types = {
        pk: (app_label, model)
        for pk, app_label, model in ContentType.objects.values_list("pk", "app_label", "model")
    }
    for label, table in fixture.items():
        if label in ("ideas.Notice", "ideas.Subscription", "ideas.AuditEntry"):
            continue  # below: their relations became generic subjects
        model = apps.get_model(MOVED.get(label, label))
        names = [name for name in table["fields"] if name != "event_id" or label != "ideas.Idea"]
        now = _rows(model, names)
        for row in table["rows"]:
            values = dict(zip(table["fields"], row, strict=True))
            old = _typed(model, names, [values[name] for name in names])
            if label == "contenttypes.ContentType" and old["app_label"] == "ideas":
                old["app_label"] = MOVED_MODELS.get(old["model"], "ideas")
            if now.get(old["id"]) != old:
                problems.append(f"{label} {old['id']}: {old} became {now.get(old['id'])}")
        if label not in GROWING and len(now) != len(table["rows"]):
            problems.append(f"{label}: {len(table['rows'])} rows became {len(now)}")
    problems += _compare_generic(fixture, types)
    superusers = {
        row["id"]
        for row in _fixture_rows(fixture, "accounts.User").values()
        if row["is_superuser"] and row["is_active"]
    }
    editors = set(
        apps.get_model("accounts.User")
        .objects.filter(groups__name="Redaktion")
        .values_list("pk", flat=True)
    )
    if not superusers or not superusers <= editors:
        problems.append(f"superusers {superusers} are not all editors: {editors}")
    return problems


def _compare_generic(fixture: dict, types: dict) -> list[str]:
    from django.apps import apps

    problems = []
    checks = [
        ("ideas.Notice", "notices.Notice", {"call_id", "idea_id", "event_id"}),
        ("ideas.Subscription", "notices.Subscription", {"call_id"}),
        ("ideas.AuditEntry", "audit.AuditEntry", {"call_id", "idea_id"}),
    ]
    for label, new_label, gone in checks:
        model = apps.get_model(new_label)
        table = fixture[label]
        names = [name for name in table["fields"] if name not in gone]
        now = _rows(model, [*names, "subject_type_id", "subject_id"])
        if len(now) != len(table["rows"]):
            problems.append(f"{label}: {len(table['rows'])} rows became {len(now)}")
        for raw in _fixture_rows(fixture, label).values():
            current = now.get(raw["id"])
            if current is None:
                problems.append(f"{label} {raw['id']} is missing")
                continue
            old = _typed(model, names, [raw[name] for name in names])
            if label == "ideas.AuditEntry":
                old["action"] = ACTIONS.get(old["action"], old["action"])
            subject = (
                ("ideas", "call", raw["call_id"])
                if label == "ideas.Subscription"
                else expected_subject(label, raw, fixture)
            )
            kind = types.get(current.pop("subject_type_id"))
            subject_id = current.pop("subject_id")
            found = (*kind, subject_id) if kind else None
            if current != old or found != subject:
                problems.append(f"{label} {raw['id']}: {old} {subject} became {current} {found}")
    receipts = {
        idea_id: event_id
        for idea_id, event_id in apps.get_model("events.IdeaReceipt").objects.values_list(
            "idea_id", "event_id"
        )
    }
    expected = {
        row["id"]: row["event_id"]
        for row in _fixture_rows(fixture, "ideas.Idea").values()
        if row["event_id"]
    }
    if receipts != expected:
        problems.append(f"ideas handed in at events: {expected} became {receipts}")
    return problems


def back(path: str) -> list[str]:
    """Undo the split (migrate back to the old head) and check that every old table holds
    its rows again, subscriptions with their call and ideas with their event."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    executor.migrate([("ideas", OLD_HEAD["ideas"])])
    executor = MigrationExecutor(connection)
    apps = executor.loader.project_state(old_head(executor)).apps
    fixture = read_fixture(path)
    problems = []
    for label, table in fixture.items():
        count = apps.get_model(label)._base_manager.count()
        if label not in GROWING and count != len(table["rows"]):
            problems.append(f"{label}: {len(table['rows'])} rows came back as {count}")
    calls = dict(apps.get_model("ideas.Subscription").objects.values_list("pk", "call_id"))
    if calls != {
        row["id"]: row["call_id"] for row in _fixture_rows(fixture, "ideas.Subscription").values()
    }:
        problems.append(f"subscriptions came back with calls {calls}")
    events = dict(
        apps.get_model("ideas.Idea")
        .objects.filter(event__isnull=False)
        .values_list("pk", "event_id")
    )
    if events != {
        row["id"]: row["event_id"]
        for row in _fixture_rows(fixture, "ideas.Idea").values()
        if row["event_id"]
    }:
        problems.append(f"ideas came back with events {events}")
    return problems


if __name__ == "__main__":
    sys.path.insert(0, os.getcwd())
    django.setup()
    step, fixture_path = sys.argv[1:3]
    if step == "load":
        load(fixture_path)
    else:
        found = compare(fixture_path) if step == "compare" else back(fixture_path)
        print(json.dumps(found, indent=1, default=str))
        sys.exit(1 if found else 0)
