from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations


class Migration(migrations.Migration):
    """pg_trgm finds similar ideas (duplicates); a no-op on other databases."""

    dependencies = [("ideas", "0006_notice_event")]
    operations = [TrigramExtension()]
