from django.db import migrations

# Editors keep the pages up to date; administrators hold every permission of the app.
EDITOR = [("pages", "view_page"), ("pages", "change_page")]
ADMINISTRATOR = [*EDITOR, ("pages", "add_page"), ("pages", "delete_page")]


def create_pages(apps, schema_editor):
    from pages.defaults import PAGES, page_ensure

    Page = apps.get_model("pages", "Page")
    for slug in PAGES:
        page_ensure(slug, model=Page)


def grant(apps, schema_editor):
    from accounts.roles import grant_permissions

    grant_permissions(apps, "Redaktion", EDITOR)
    grant_permissions(apps, "Administration", ADMINISTRATOR)


class Migration(migrations.Migration):
    dependencies = [("pages", "0001_initial"), ("accounts", "0006_events_permissions")]
    operations = [
        migrations.RunPython(create_pages, migrations.RunPython.noop),
        migrations.RunPython(grant, migrations.RunPython.noop),
    ]
