from django.db import migrations

# Text search uses icontains, i.e. UPPER(column) LIKE UPPER('%term%') on PostgreSQL;
# trigram GIN indexes on exactly these expressions serve it. Other databases skip this.
INDEXES = {
    "idea_title_trgm": 'UPPER(("title")::text) gin_trgm_ops',
    "idea_summary_trgm": 'UPPER(("summary")::text) gin_trgm_ops',
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, expression in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON ideas_idea USING gin ({expression})"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("ideas", "0010_public_list_indexes")]
    operations = [migrations.RunPython(create, drop)]
