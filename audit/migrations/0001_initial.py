"""The audit app takes over its models from `ideas` (see ideas 0016): in Django's state
only, the tables are already there under their new names. Their content types follow."""

import django.core.serializers.json
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

from halle_smartcity.migration_helpers import move_content_types


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("ideas", "0016_move_out_by_concept"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
            migrations.CreateModel(
                name='AuditEntry',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('action', models.CharField(max_length=64, verbose_name='action')),
                    ('data', models.JSONField(default=dict, encoder=django.core.serializers.json.DjangoJSONEncoder, verbose_name='details')),
                    ('created_at', models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name='when')),
                    ('actor', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='by')),
                    ('call', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='audit_entries', to='ideas.call', verbose_name='call')),
                    ('idea', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='audit_entries', to='ideas.idea', verbose_name='idea')),
                ],
                options={
                    'verbose_name': 'audit entry',
                    'verbose_name_plural': 'audit log',
                    'ordering': ['-created_at', '-id'],
                    'indexes': [models.Index(fields=['idea', '-created_at'], name='audit_idea')],
                    'constraints': [],
                },
            ),
            ],
        ),
        move_content_types("ideas", "audit", ['auditentry']),
    ]
