from django.db import migrations

# Role groups; their permissions are refined with the triage workflow.
ROLES = {
    "Redaktion": [
        ("ideas", "view_call"), ("ideas", "change_call"), ("ideas", "add_call"),
        ("ideas", "view_callextension"), ("ideas", "add_callextension"),
        ("ideas", "view_idea"), ("ideas", "change_idea"), ("ideas", "add_idea"),
        ("ideas", "view_ideaimage"), ("ideas", "change_ideaimage"),
        ("fields", "view_actionfield"), ("fields", "view_quarter"), ("fields", "view_district"),
    ],
    "Bewertung": [("ideas", "view_idea")],
    "Beirat": [],
    "Administration": [],
}


def create(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codes in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        for app_label, codename in codes:
            permission = Permission.objects.get(content_type__app_label=app_label,
                                                codename=codename)
            group.permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("ideas", "0001_initial"),
        ("fields", "0001_initial"),
    ]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
