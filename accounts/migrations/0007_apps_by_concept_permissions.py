"""After the split of the ideas app: the moved models' permissions moved with their content
types (the groups keep them). New here: the link of ideas handed in at an event, for the
editors; every permission of the new apps for the administrators' group.

From now on a role comes from its group only, not from being a superuser. The superusers
of an installation did the editors' work until now; they keep it, as members of the
editors' group (not of the board's or the assessors': that was the defect)."""

from django.db import migrations

EDITOR = [("events", "view_ideareceipt"), ("events", "add_ideareceipt")]
APPS = ["audit", "notices", "review", "measures", "board", "events", "ideas", "fields"]


def grant(apps, schema_editor):
    from accounts.roles import grant_permissions

    grant_permissions(apps, "Redaktion", EDITOR)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    administrators, _ = Group.objects.get_or_create(name="Administration")
    administrators.permissions.add(
        *Permission.objects.filter(content_type__app_label__in=APPS)
    )
    User = apps.get_model("accounts", "User")
    editors = Group.objects.get(name="Redaktion")
    editors.user_set.add(*User.objects.filter(is_superuser=True, is_active=True))


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0006_events_permissions"),
        ("audit", "0002_generic_subject"),
        ("notices", "0002_generic_subject"),
        ("review", "0001_initial"),
        ("measures", "0001_initial"),
        ("board", "0001_initial"),
        ("events", "0002_ideareceipt"),
    ]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
