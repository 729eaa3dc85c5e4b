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
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editors, _ = Group.objects.get_or_create(name="Redaktion")
    for app_label, codename in EDITOR:
        editors.permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    # Assessors work in their own pages, not in the admin.
    assessors, _ = Group.objects.get_or_create(name="Bewertung")
    assessors.permissions.clear()


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_editor_notice_permissions"), ("ideas", "0004_triage")]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
