from django.db import migrations

# Editors run the participation process: events, registrations (the door list), the
# timeline and the press log. The administrators' group gets every permission of the apps.
EDITOR = [
    ("events", codename)
    for model in ("event", "registration", "milestone", "publication")
    for codename in (f"view_{model}", f"add_{model}", f"change_{model}")
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
        permission = Permission.objects.filter(content_type__app_label=app_label,
                                               codename=codename).first()
        if permission:
            editors.permissions.add(permission)
    administrators, _ = Group.objects.get_or_create(name="Administration")
    administrators.permissions.add(*Permission.objects.filter(
        content_type__app_label__in=["ideas", "events", "fields", "accounts"]
    ))


class Migration(migrations.Migration):
    dependencies = [("accounts", "0005_board_permissions"), ("events", "0001_initial")]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
