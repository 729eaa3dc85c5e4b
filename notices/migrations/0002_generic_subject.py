"""Notices and subscriptions name their subject generically (an idea, a call, an event, a
shortlist) instead of pointing at the ideas and events apps: the outbox knows none of them.
A notice's subject is the most specific object it was about: its idea, else its event, else
the shortlist of a board notice, else its call. A subscription's subject is its call."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import F

BATCH = 2000
SHORTLIST_KINDS = ("shortlist_opened", "shortlist_closing")


def _check_now(schema_editor) -> None:
    # PostgreSQL refuses to alter a table with deferred foreign key checks still pending
    # from the rows just written: check them now, before this migration's next step.
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def _types(apps):
    ContentType = apps.get_model("contenttypes", "ContentType")
    cache = {}

    def content_type(app_label, model):
        if (app_label, model) not in cache:
            cache[(app_label, model)] = ContentType.objects.get_or_create(
                app_label=app_label, model=model
            )[0]
        return cache[(app_label, model)]

    return content_type


def forwards(apps, schema_editor):
    _fill(apps)
    _check_now(schema_editor)


def _fill(apps):
    Notice = apps.get_model("notices", "Notice")
    Subscription = apps.get_model("notices", "Subscription")
    Shortlist = apps.get_model("board", "Shortlist")
    content_type = _types(apps)
    if Subscription.objects.exists():
        Subscription.objects.update(
            subject_type=content_type("ideas", "call"), subject_id=F("call_id")
        )
    shortlists = set(Shortlist.objects.values_list("pk", flat=True))
    last = 0
    while True:
        notices = list(Notice.objects.filter(pk__gt=last).order_by("pk")[:BATCH])
        if not notices:
            return
        for notice in notices:
            shortlist_id = (notice.data or {}).get("shortlist_id")
            if notice.idea_id:
                subject = ("ideas", "idea", notice.idea_id)
            elif notice.event_id:
                subject = ("events", "event", notice.event_id)
            elif notice.kind in SHORTLIST_KINDS and shortlist_id in shortlists:
                subject = ("board", "shortlist", shortlist_id)
            elif notice.call_id:
                subject = ("ideas", "call", notice.call_id)
            else:
                continue
            notice.subject_type = content_type(*subject[:2])
            notice.subject_id = subject[2]
        Notice.objects.bulk_update(notices, ["subject_type", "subject_id"])
        last = notices[-1].pk


def backwards(apps, schema_editor):
    _unfill(apps)
    _check_now(schema_editor)


def _unfill(apps):
    """Subscriptions get their call back. Lossy for notices by nature: a shortlist's notice
    keeps no call (its details name the shortlist)."""
    Notice = apps.get_model("notices", "Notice")
    Subscription = apps.get_model("notices", "Subscription")
    Subscription.objects.update(call_id=F("subject_id"))
    for notice in Notice.objects.select_related("subject_type").iterator(chunk_size=BATCH):
        subject = notice.subject_type
        if subject is None:
            continue
        if (subject.app_label, subject.model) in (("ideas", "idea"), ("ideas", "call")):
            setattr(notice, f"{subject.model}_id", notice.subject_id)
        elif (subject.app_label, subject.model) == ("events", "event"):
            notice.event_id = notice.subject_id
        notice.save(update_fields=["idea", "call", "event"])


class Migration(migrations.Migration):
    dependencies = [
        ("notices", "0001_initial"),
        ("board", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.AddField(
            model_name="subscription",
            name="subject_type",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="contenttypes.contenttype",
                verbose_name="kind",
            ),
        ),
        migrations.AddField(
            model_name="subscription",
            name="subject_id",
            field=models.PositiveBigIntegerField(null=True, verbose_name="subscribed to"),
        ),
        migrations.AddField(
            model_name="notice",
            name="subject_type",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="contenttypes.contenttype",
                verbose_name="about",
            ),
        ),
        migrations.AddField(
            model_name="notice",
            name="subject_id",
            field=models.PositiveBigIntegerField(blank=True, null=True, verbose_name="object"),
        ),
        # Nullable first, so that undoing this migration can re-add the column empty and
        # fill it (backwards) before it becomes required again.
        migrations.AlterField(
            model_name="subscription",
            name="call",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="subscriptions",
                to="ideas.call",
                verbose_name="call",
            ),
        ),
        migrations.RunPython(forwards, backwards),
        migrations.RemoveConstraint(model_name="subscription", name="subscription_unique_email"),
        migrations.RemoveField(model_name="subscription", name="call"),
        migrations.AlterField(
            model_name="subscription",
            name="subject_type",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="contenttypes.contenttype",
                verbose_name="kind",
            ),
        ),
        migrations.AlterField(
            model_name="subscription",
            name="subject_id",
            field=models.PositiveBigIntegerField(verbose_name="subscribed to"),
        ),
        migrations.AddConstraint(
            model_name="subscription",
            constraint=models.UniqueConstraint(
                fields=("subject_type", "subject_id", "email"), name="subscription_unique_email"
            ),
        ),
        migrations.RemoveField(model_name="notice", name="call"),
        migrations.RemoveField(model_name="notice", name="idea"),
        migrations.RemoveField(model_name="notice", name="event"),
        migrations.AlterField(
            model_name="notice",
            name="kind",
            field=models.CharField(max_length=40, verbose_name="kind"),
        ),
        migrations.AlterField(
            model_name="noticeoptout",
            name="kind",
            field=models.CharField(max_length=40, verbose_name="kind"),
        ),
        migrations.AddIndex(
            model_name="notice",
            index=models.Index(fields=["subject_type", "subject_id"], name="notice_subject"),
        ),
    ]
