# The map's narrow index over published, located ideas (ideas/map_data.py), built
# concurrently on PostgreSQL: the ideas table is large (docs/migrations.md).

from django.db import migrations, models

from halle_smartcity.migration_helpers import AddIndexConcurrentlyOnPostgreSQL


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("ideas", "0022_search_text_indexes"),
    ]

    operations = [
        AddIndexConcurrentlyOnPostgreSQL(
            model_name="idea",
            index=models.Index(
                condition=models.Q(
                    models.Q(("status", "draft"), _negated=True),
                    ("latitude__isnull", False),
                    ("longitude__isnull", False),
                ),
                fields=["latitude", "longitude"],
                include=("call", "id"),
                name="idea_public_located",
            ),
        ),
    ]
