"""An audit entry names its subject generically (any object of any app) instead of an idea
and a call: the audit app knows no domain app. The action codes of the moved apps follow
their new homes (ideas.shortlist.frozen → board.shortlist.frozen, …); details stay as they
were. Entries about events, shortlists, measures and catalogues get those as subjects where
their details name them; the rest keep their idea, else their call."""

import django.db.models.deletion
from django.db import migrations, models

ACTIONS = {
    "ideas.idea.status_changed": "review.idea.status_changed",
    "ideas.idea.primary_field_changed": "review.idea.primary_field_changed",
    "ideas.idea.edited": "review.idea.edited",
    "ideas.idea.sorting_changed": "review.idea.sorting_changed",
    "ideas.idea.feedback_set": "review.idea.feedback_set",
    "ideas.call.feedback_published": "review.call.feedback_published",
    "ideas.idea.assessor_assigned": "review.idea.assessor_assigned",
    "ideas.idea.assessor_recused": "review.idea.assessor_recused",
    "ideas.assessment.saved": "review.assessment.saved",
    "ideas.assessment.submitted": "review.assessment.submitted",
    "ideas.catalogue.saved": "review.catalogue.changed",
    "ideas.catalogue.versioned": "review.catalogue.versioned",
    "ideas.measure.ideas_added": "measures.measure.ideas_added",
    "ideas.measure.ideas_removed": "measures.measure.ideas_removed",
    "ideas.shortlist.frozen": "board.shortlist.frozen",
    "ideas.shortlist.item_added": "board.shortlist.item_added",
    "ideas.shortlist.recommendation_recorded": "board.shortlist.recommendation_recorded",
}
BATCH = 2000


def _check_now(schema_editor) -> None:
    # PostgreSQL refuses to alter a table with deferred foreign key checks still pending
    # from the rows just written: check them now, before this migration's next step.
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def subject_of(entry, known) -> tuple[str, str, int] | None:
    """(app label, model, pk) of an old entry's subject: the most specific object its
    details name, else its idea, else its call. `known` holds what exists, read once."""
    data = entry.data or {}
    action = entry.action
    if action.startswith("events.") and data.get("event") in known["events"]:
        return ("events", "event", data["event"])
    if action == "ideas.shortlist.recommendation_recorded":
        # The board's outcome is about the idea or the measure on the shortlist.
        if entry.idea_id:
            return ("ideas", "idea", entry.idea_id)
        if known["item_measures"].get(data.get("item")):
            return ("measures", "measure", known["item_measures"][data["item"]])
    if action.startswith("ideas.shortlist."):
        shortlist_id = data.get("shortlist") or known["items"].get(data.get("item"))
        if shortlist_id in known["shortlists"]:
            return ("board", "shortlist", shortlist_id)
    if action.startswith("ideas.measure.") and data.get("measure") in known["measures"]:
        return ("measures", "measure", known["measures"][data["measure"]])
    if action.startswith("ideas.catalogue.") and entry.call_id:
        pk = known["catalogues"].get((entry.call_id, data.get("new", data.get("version"))))
        if pk:
            return ("review", "criteriacatalogue", pk)
    if entry.idea_id:
        return ("ideas", "idea", entry.idea_id)
    if entry.call_id:
        return ("ideas", "call", entry.call_id)
    return None


def forwards(apps, schema_editor):
    _fill(apps)
    _check_now(schema_editor)


def _fill(apps):
    AuditEntry = apps.get_model("audit", "AuditEntry")
    ContentType = apps.get_model("contenttypes", "ContentType")
    # What the details may name, read once (a few rows each): no query per entry.
    known = {
        "events": set(apps.get_model("events", "Event").objects.values_list("pk", flat=True)),
        "shortlists": set(
            apps.get_model("board", "Shortlist").objects.values_list("pk", flat=True)
        ),
        "items": dict(
            apps.get_model("board", "ShortlistItem").objects.values_list("pk", "shortlist_id")
        ),
        "item_measures": dict(
            apps.get_model("board", "ShortlistItem").objects.values_list("pk", "measure_id")
        ),
        "measures": dict(
            apps.get_model("measures", "Measure").objects.values_list("slug", "pk")
        ),
        "catalogues": {
            (call_id, version): pk
            for pk, call_id, version in apps.get_model(
                "review", "CriteriaCatalogue"
            ).objects.values_list("pk", "call_id", "version")
        },
    }
    types = {}
    last = 0
    while True:
        entries = list(AuditEntry.objects.filter(pk__gt=last).order_by("pk")[:BATCH])
        if not entries:
            return
        for entry in entries:
            subject = subject_of(entry, known)
            if subject is not None:
                app_label, model, pk = subject
                if (app_label, model) not in types:
                    types[(app_label, model)] = ContentType.objects.get_or_create(
                        app_label=app_label, model=model
                    )[0]
                entry.subject_type = types[(app_label, model)]
                entry.subject_id = pk
            entry.action = ACTIONS.get(entry.action, entry.action)
        AuditEntry.objects.bulk_update(entries, ["subject_type", "subject_id", "action"])
        last = entries[-1].pk


def backwards(apps, schema_editor):
    _unfill(apps)
    _check_now(schema_editor)


def _unfill(apps):
    """Lossy by nature: an entry whose subject is not an idea or a call (an event, a
    shortlist) keeps no link; its details still name the object."""
    AuditEntry = apps.get_model("audit", "AuditEntry")
    reverse = {new: old for old, new in ACTIONS.items()}
    for entry in AuditEntry.objects.select_related("subject_type").iterator(chunk_size=BATCH):
        subject = entry.subject_type
        if subject and subject.app_label == "ideas" and subject.model in ("idea", "call"):
            setattr(entry, f"{subject.model}_id", entry.subject_id)
        entry.action = reverse.get(entry.action, entry.action)
        entry.save(update_fields=["idea", "call", "action"])


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0001_initial"),
        ("board", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("events", "0001_initial"),
        ("measures", "0001_initial"),
        ("review", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="auditentry",
            name="subject_type",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="contenttypes.contenttype",
                verbose_name="kind of object",
            ),
        ),
        migrations.AddField(
            model_name="auditentry",
            name="subject_id",
            field=models.PositiveBigIntegerField(blank=True, null=True, verbose_name="object"),
        ),
        migrations.RunPython(forwards, backwards),
        migrations.RemoveIndex(model_name="auditentry", name="audit_idea"),
        migrations.RemoveField(model_name="auditentry", name="idea"),
        migrations.RemoveField(model_name="auditentry", name="call"),
        migrations.AddIndex(
            model_name="auditentry",
            index=models.Index(
                fields=["subject_type", "subject_id", "-created_at"], name="audit_subject"
            ),
        ),
    ]
