from django.db import migrations

# Editors run the participation process: events, registrations (the door list), the
# timeline and the press log. The administrators' group gets every permission of the apps.
EDITOR = [
    ("events", codename)
    for model in ("event", "registration", "milestone", "publication")
    for codename in (f"view_{model}", f"add_{model}", f"change_{model}")
]


def grant(apps, schema_editor):
    from accounts.roles import grant_permissions

    grant_permissions(apps, "Redaktion", EDITOR)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    administrators, _ = Group.objects.get_or_create(name="Administration")
    administrators.permissions.add(*Permission.objects.filter(
        content_type__app_label__in=["ideas", "events", "fields", "accounts"]
    ))


class Migration(migrations.Migration):
    dependencies = [("accounts", "0005_board_permissions"), ("events", "0001_initial")]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
