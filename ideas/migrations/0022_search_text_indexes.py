from django.db import migrations

# PostgreSQL only: the list's search finds the text as typed in the title or summary
# (`icontains`, i.e. UPPER(...) LIKE UPPER('%...%')) and the reference (`iexact`). Without
# these indexes each search read all ideas (1.8 s at 100,000); pg_trgm (migration 0007) lets
# the LIKE use an index. The expressions are exactly those Django writes, or they go unused.
INDEXES = {
    "ideas_idea_title_upper_trgm": "USING gin ((UPPER(title::text)) gin_trgm_ops)",
    "ideas_idea_summary_upper_trgm": "USING gin ((UPPER(summary::text)) gin_trgm_ops)",
    "ideas_idea_reference_upper": "((UPPER(reference::text)))",
}


def indexes_create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name, definition in INDEXES.items():
            schema_editor.execute(
                f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {name} ON ideas_idea {definition}"
            )


def indexes_drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name in INDEXES:
            schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {name}")


class Migration(migrations.Migration):
    # Built concurrently (docs/migrations.md): writes go on meanwhile.
    atomic = False

    dependencies = [
        ("ideas", "0021_idea_terms"),
    ]

    operations = [migrations.RunPython(indexes_create, indexes_drop)]
