"""Ideas handed in at an event: the link moves from the idea (ideas.Idea.event) to the
events app (IdeaReceipt), so that the ideas app knows nothing of events."""

import django.db.models.deletion
from django.db import migrations, models


def _check_now(schema_editor) -> None:
    # PostgreSQL refuses to alter a table with deferred foreign key checks still pending
    # from the rows just written: check them now, before this migration's next step.
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def forwards(apps, schema_editor):
    _fill(apps)
    _check_now(schema_editor)


def _fill(apps):
    Idea = apps.get_model("ideas", "Idea")
    IdeaReceipt = apps.get_model("events", "IdeaReceipt")
    IdeaReceipt.objects.bulk_create(
        IdeaReceipt(idea_id=idea_id, event_id=event_id)
        for idea_id, event_id in Idea.objects.filter(event__isnull=False).values_list(
            "pk", "event_id"
        )
    )


def backwards(apps, schema_editor):
    _unfill(apps)
    _check_now(schema_editor)


def _unfill(apps):
    Idea = apps.get_model("ideas", "Idea")
    IdeaReceipt = apps.get_model("events", "IdeaReceipt")
    for receipt in IdeaReceipt.objects.all():
        Idea.objects.filter(pk=receipt.idea_id).update(event_id=receipt.event_id)


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0001_initial"),
        ("ideas", "0016_move_out_by_concept"),
    ]

    operations = [
        migrations.CreateModel(
            name="IdeaReceipt",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "event",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="ideas_received",
                        to="events.event",
                        verbose_name="received at the event",
                    ),
                ),
                (
                    "idea",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="receipt",
                        to="ideas.idea",
                        verbose_name="idea",
                    ),
                ),
            ],
            options={
                "verbose_name": "idea received at an event",
                "verbose_name_plural": "ideas received at events",
            },
        ),
        migrations.RunPython(forwards, backwards),
    ]
