from django.db import migrations

EDITOR = [
    ("ideas", "view_shortlist"), ("ideas", "add_shortlist"), ("ideas", "change_shortlist"),
    ("ideas", "view_shortlistitem"), ("ideas", "add_shortlistitem"),
    ("ideas", "change_shortlistitem"), ("ideas", "delete_shortlistitem"),
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


class Migration(migrations.Migration):
    dependencies = [("accounts", "0004_triage_permissions"), ("ideas", "0009_shortlists")]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
