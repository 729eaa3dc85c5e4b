from django.db import migrations


class Migration(migrations.Migration):
    """The list's field filter goes from a field to its ideas: index that direction too."""

    dependencies = [("ideas", "0011_search_trigram_indexes")]
    operations = [
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS idea_fields_by_field "
            "ON ideas_idea_action_fields (actionfield_id, idea_id)",
            "DROP INDEX IF EXISTS idea_fields_by_field",
        ),
    ]
