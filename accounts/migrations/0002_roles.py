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
    from accounts.roles import grant_permissions

    for name, codes in ROLES.items():
        grant_permissions(apps, name, codes)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("ideas", "0001_initial"),
        ("fields", "0001_initial"),
    ]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
