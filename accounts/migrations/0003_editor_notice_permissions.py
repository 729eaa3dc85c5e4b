from django.db import migrations

PERMISSIONS = [
    ("ideas", "view_notice"), ("ideas", "change_notice"),
    ("ideas", "view_subscription"),
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
    for app_label, codename in PERMISSIONS:
        editors.permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_roles"), ("ideas", "0002_notices")]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
