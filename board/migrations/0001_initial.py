"""The board app takes over its models from `ideas` (see ideas 0016): in Django's state
only, the tables are already there under their new names. Their content types follow."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

from halle_smartcity.migration_helpers import move_content_types


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("ideas", "0016_move_out_by_concept"),
        ("measures", "0001_initial"),
        ("fields", "0003_quarter_kind_labels"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
            migrations.CreateModel(
                name='Shortlist',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('title', models.CharField(max_length=200, verbose_name='title')),
                    ('opens_at', models.DateTimeField(verbose_name='review opens')),
                    ('closes_at', models.DateTimeField(verbose_name='review closes')),
                    ('quorum', models.PositiveSmallIntegerField(blank=True, help_text='Votes needed for a valid recommendation; empty: half the members.', null=True, verbose_name='quorum')),
                    ('frozen_at', models.DateTimeField(blank=True, editable=False, null=True, verbose_name='frozen')),
                    ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='created')),
                    ('action_field', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='fields.actionfield', verbose_name='action field')),
                    ('call', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='shortlists', to='ideas.call', verbose_name='call')),
                    ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ],
                options={
                    'verbose_name': 'shortlist',
                    'verbose_name_plural': 'shortlists',
                    'ordering': ['-opens_at'],
                    'indexes': [],
                    'constraints': [models.CheckConstraint(condition=models.Q(('closes_at__gt', models.F('opens_at'))), name='shortlist_window_ordered')],
                },
            ),
            migrations.CreateModel(
                name='ShortlistItem',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('order', models.PositiveSmallIntegerField(default=0, verbose_name='order')),
                    ('snapshot', models.JSONField(blank=True, default=dict, editable=False, verbose_name='snapshot')),
                    ('final_recommendation', models.CharField(blank=True, choices=[('recommend', 'Recommend'), ('not_recommend', 'Do not recommend'), ('abstain', 'Abstain')], max_length=20, verbose_name="board's recommendation")),
                    ('final_note', models.TextField(blank=True, verbose_name='note on the recommendation')),
                    ('published_at', models.DateTimeField(blank=True, null=True, verbose_name='recommendation published')),
                    ('idea', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='shortlist_items', to='ideas.idea', verbose_name='idea')),
                    ('measure', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='shortlist_items', to='measures.measure', verbose_name='measure')),
                    ('shortlist', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='items', to='board.shortlist', verbose_name='shortlist')),
                ],
                options={
                    'verbose_name': 'shortlist item',
                    'verbose_name_plural': 'shortlist items',
                    'ordering': ['shortlist', 'order', 'id'],
                    'indexes': [],
                    'constraints': [models.CheckConstraint(condition=models.Q(models.Q(('idea__isnull', False), ('measure__isnull', True)), models.Q(('idea__isnull', True), ('measure__isnull', False)), _connector='OR'), name='shortlist_item_idea_or_measure')],
                },
            ),
            migrations.CreateModel(
                name='Recommendation',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('vote', models.CharField(blank=True, choices=[('recommend', 'Recommend'), ('not_recommend', 'Do not recommend'), ('abstain', 'Abstain')], max_length=20, verbose_name='vote')),
                    ('comment', models.TextField(blank=True, verbose_name='comment')),
                    ('conflict_of_interest', models.BooleanField(default=False, verbose_name='conflict of interest')),
                    ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated')),
                    ('member', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='recommendations', to=settings.AUTH_USER_MODEL, verbose_name='member')),
                    ('item', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='recommendations', to='board.shortlistitem', verbose_name='item')),
                ],
                options={
                    'verbose_name': 'recommendation',
                    'verbose_name_plural': 'recommendations',
                    'indexes': [],
                    'constraints': [models.UniqueConstraint(fields=('item', 'member'), name='recommendation_unique')],
                },
            ),
            ],
        ),
        move_content_types("ideas", "board", ['shortlist', 'shortlistitem', 'recommendation']),
    ]
