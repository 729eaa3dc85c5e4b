from django.db import migrations

PERMISSIONS = [
    ("ideas", "view_notice"), ("ideas", "change_notice"),
    ("ideas", "view_subscription"),
]


def grant(apps, schema_editor):
    from accounts.roles import grant_permissions

    grant_permissions(apps, "Redaktion", PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_roles"), ("ideas", "0002_notices")]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
