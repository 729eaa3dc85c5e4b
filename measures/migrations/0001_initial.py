"""The measures app takes over its models from `ideas` (see ideas 0016): in Django's state
only, the tables are already there under their new names. Their content types follow."""

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models

from halle_smartcity.migration_helpers import move_content_types


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("ideas", "0016_move_out_by_concept"),
        ("fields", "0003_quarter_kind_labels"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
            migrations.CreateModel(
                name='Measure',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('title', models.CharField(max_length=200, verbose_name='title')),
                    ('slug', models.SlugField(max_length=80, unique=True, verbose_name='slug')),
                    ('description', models.TextField(blank=True, verbose_name='description')),
                    ('lead_department', models.CharField(blank=True, max_length=200, verbose_name='lead department')),
                    ('published', models.BooleanField(default=False, verbose_name='published')),
                    ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='created')),
                    ('action_fields', models.ManyToManyField(blank=True, related_name='measures', to='fields.actionfield', verbose_name='action fields')),
                    ('call', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='measures', to='ideas.call', verbose_name='call')),
                    ('ideas', models.ManyToManyField(blank=True, related_name='measures', to='ideas.idea', verbose_name='source ideas')),
                ],
                options={
                    'verbose_name': 'measure',
                    'verbose_name_plural': 'measures',
                    'ordering': ['title'],
                    'indexes': [],
                    'constraints': [],
                },
            ),
            ],
        ),
        move_content_types("ideas", "measures", ['measure']),
    ]
