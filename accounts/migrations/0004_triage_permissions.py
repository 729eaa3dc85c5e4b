from django.db import migrations

EDITOR = [
    ("ideas", "view_auditentry"),
    ("ideas", "view_criteriacatalogue"), ("ideas", "add_criteriacatalogue"),
    ("ideas", "change_criteriacatalogue"),
    ("ideas", "view_criterion"), ("ideas", "add_criterion"), ("ideas", "change_criterion"),
    ("ideas", "delete_criterion"),
    ("ideas", "view_assignment"), ("ideas", "view_assessment"), ("ideas", "view_score"),
    ("ideas", "view_measure"), ("ideas", "add_measure"), ("ideas", "change_measure"),
    ("fields", "view_actionfield"),
]


def grant(apps, schema_editor):
    from accounts.roles import grant_permissions

    grant_permissions(apps, "Redaktion", EDITOR)
    # Assessors work in their own pages, not in the admin.
    assessors, _ = apps.get_model("auth", "Group").objects.get_or_create(name="Bewertung")
    assessors.permissions.clear()


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_editor_notice_permissions"), ("ideas", "0004_triage")]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
