"""The review app takes over its models from `ideas` (see ideas 0016): in Django's state
only, the tables are already there under their new names. Their content types follow."""

from decimal import Decimal

import django.core.validators
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

from halle_smartcity.migration_helpers import move_content_types


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("ideas", "0016_move_out_by_concept"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
            migrations.CreateModel(
                name='CriteriaCatalogue',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('version', models.PositiveSmallIntegerField(default=1, verbose_name='version')),
                    ('threshold', models.DecimalField(decimal_places=2, default=Decimal('3.00'), help_text='An idea qualifies when it meets every knock-out criterion and its weighted score reaches this value.', max_digits=4, verbose_name='threshold')),
                    ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='created')),
                    ('call', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='catalogues', to='ideas.call', verbose_name='call')),
                ],
                options={
                    'verbose_name': 'criteria catalogue',
                    'verbose_name_plural': 'criteria catalogues',
                    'ordering': ['call', '-version'],
                    'indexes': [],
                    'constraints': [models.UniqueConstraint(fields=('call', 'version'), name='catalogue_call_version')],
                },
            ),
            migrations.CreateModel(
                name='Criterion',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('code', models.CharField(blank=True, max_length=10, verbose_name='code')),
                    ('name', models.CharField(max_length=120, verbose_name='name')),
                    ('description', models.TextField(blank=True, verbose_name='description')),
                    ('scale_min', models.SmallIntegerField(default=0, verbose_name='lowest score')),
                    ('scale_max', models.SmallIntegerField(default=5, verbose_name='highest score')),
                    ('weight', models.DecimalField(decimal_places=2, default=0, max_digits=5, validators=[django.core.validators.MinValueValidator(0), django.core.validators.MaxValueValidator(100)], verbose_name='weight (%)')),
                    ('knockout', models.BooleanField(default=False, help_text='Met or not met; an idea that fails it does not qualify.', verbose_name='knock-out criterion')),
                    ('order', models.PositiveSmallIntegerField(default=0, verbose_name='order')),
                    ('catalogue', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='criteria', to='review.criteriacatalogue', verbose_name='catalogue')),
                ],
                options={
                    'verbose_name': 'criterion',
                    'verbose_name_plural': 'criteria',
                    'ordering': ['catalogue', 'order', 'id'],
                    'indexes': [],
                    'constraints': [models.CheckConstraint(condition=models.Q(('scale_max__gt', models.F('scale_min'))), name='criterion_scale_ordered')],
                },
            ),
            migrations.CreateModel(
                name='Assignment',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('assigned_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='assigned')),
                    ('recused_at', models.DateTimeField(blank=True, null=True, verbose_name='recused')),
                    ('recusal_reason', models.TextField(blank=True, verbose_name='reason for recusal')),
                    ('assessor', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='assignments', to=settings.AUTH_USER_MODEL, verbose_name='assessor')),
                    ('assigned_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('idea', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='assignments', to='ideas.idea', verbose_name='idea')),
                ],
                options={
                    'verbose_name': 'assignment',
                    'verbose_name_plural': 'assignments',
                    'ordering': ['idea', 'assigned_at'],
                    'indexes': [models.Index(fields=['assessor', 'recused_at'], name='assignment_assessor')],
                    'constraints': [models.UniqueConstraint(fields=('idea', 'assessor'), name='assignment_unique')],
                },
            ),
            migrations.CreateModel(
                name='Assessment',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('comment', models.TextField(blank=True, verbose_name='overall reason')),
                    ('submitted_at', models.DateTimeField(blank=True, null=True, verbose_name='submitted')),
                    ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated')),
                    ('assignment', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='assessment', to='review.assignment')),
                    ('catalogue', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='assessments', to='review.criteriacatalogue', verbose_name='catalogue')),
                ],
                options={
                    'verbose_name': 'assessment',
                    'verbose_name_plural': 'assessments',
                    'indexes': [],
                    'constraints': [],
                },
            ),
            migrations.CreateModel(
                name='Score',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('value', models.SmallIntegerField(verbose_name='score')),
                    ('reason', models.TextField(blank=True, verbose_name='reason')),
                    ('assessment', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='scores', to='review.assessment')),
                    ('criterion', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='scores', to='review.criterion')),
                ],
                options={
                    'verbose_name': 'score',
                    'verbose_name_plural': 'scores',
                    'indexes': [],
                    'constraints': [models.UniqueConstraint(fields=('assessment', 'criterion'), name='score_unique')],
                },
            ),
            ],
        ),
        move_content_types("ideas", "review", ['criteriacatalogue', 'criterion', 'assignment', 'assessment', 'score']),
    ]
