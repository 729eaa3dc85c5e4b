from django.db import migrations

EDITOR = [
    ("ideas", "view_shortlist"), ("ideas", "add_shortlist"), ("ideas", "change_shortlist"),
    ("ideas", "view_shortlistitem"), ("ideas", "add_shortlistitem"),
    ("ideas", "change_shortlistitem"), ("ideas", "delete_shortlistitem"),
]


def grant(apps, schema_editor):
    from accounts.roles import grant_permissions

    grant_permissions(apps, "Redaktion", EDITOR)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0004_triage_permissions"), ("ideas", "0009_shortlists")]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
