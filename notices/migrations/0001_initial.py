"""The notices app takes over its models from `ideas` (see ideas 0016): in Django's state
only, the tables are already there under their new names. Their content types follow."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

import notices.models
from halle_smartcity.migration_helpers import move_content_types


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("ideas", "0016_move_out_by_concept"),
        ("events", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
            migrations.CreateModel(
                name='Subscription',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('email', models.EmailField(max_length=254, verbose_name='email address')),
                    ('language', models.CharField(default='de', max_length=8, verbose_name='language')),
                    ('token', models.CharField(default=notices.models.new_token, editable=False, max_length=64, unique=True)),
                    ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='subscribed')),
                    ('confirmed_at', models.DateTimeField(blank=True, null=True, verbose_name='confirmed')),
                    ('unsubscribed_at', models.DateTimeField(blank=True, null=True, verbose_name='unsubscribed')),
                    ('call', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='subscriptions', to='ideas.call', verbose_name='call')),
                    ('user', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='subscriptions', to=settings.AUTH_USER_MODEL)),
                ],
                options={
                    'verbose_name': 'subscription',
                    'verbose_name_plural': 'subscriptions',
                    'ordering': ['-created_at'],
                    'indexes': [],
                    'constraints': [models.UniqueConstraint(fields=('call', 'email'), name='subscription_unique_email')],
                },
            ),
            migrations.CreateModel(
                name='Notice',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('kind', models.CharField(choices=[('submission_confirmation', 'Submission confirmation'), ('deadline_reminder', 'Deadline reminder'), ('call_extended', 'Deadline extended'), ('status_changed', 'Status of an idea changed'), ('feedback_published', 'Feedback on an idea published'), ('digest', 'Daily digest of new ideas'), ('call_closed', 'Call closed'), ('subscription_confirm', 'Confirm subscription'), ('duplicate_linked', 'Idea marked as a duplicate'), ('shortlist_opened', 'Shortlist open for review'), ('shortlist_closing', 'Shortlist review closes soon'), ('event_registration_confirm', 'Confirm event registration'), ('event_registered', 'Event registration received'), ('event_moved_up', 'Place at an event from the waiting list'), ('event_reminder', 'Event reminder the day before'), ('event_changed', 'Event changed'), ('event_cancelled', 'Event cancelled')], max_length=32, verbose_name='kind')),
                    ('email', models.EmailField(max_length=254, verbose_name='email address')),
                    ('language', models.CharField(default='de', max_length=8, verbose_name='language')),
                    ('data', models.JSONField(blank=True, default=dict, verbose_name='data')),
                    ('dedupe_key', models.CharField(max_length=255, unique=True)),
                    ('state', models.CharField(choices=[('pending', 'Pending'), ('sent', 'Sent'), ('failed', 'Failed'), ('cancelled', 'Cancelled')], default='pending', max_length=12, verbose_name='state')),
                    ('attempts', models.PositiveSmallIntegerField(default=0, verbose_name='attempts')),
                    ('last_error', models.TextField(blank=True, verbose_name='last error')),
                    ('next_attempt_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='next attempt')),
                    ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='created')),
                    ('sent_at', models.DateTimeField(blank=True, null=True, verbose_name='sent')),
                    ('call', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='notices', to='ideas.call', verbose_name='call')),
                    ('idea', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='notices', to='ideas.idea', verbose_name='idea')),
                    ('recipient', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='notices', to=settings.AUTH_USER_MODEL, verbose_name='recipient')),
                    ('subscription', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='notices', to='notices.subscription')),
                    ('event', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='notices', to='events.event', verbose_name='event')),
                ],
                options={
                    'verbose_name': 'notice',
                    'verbose_name_plural': 'notices',
                    'ordering': ['-created_at', '-id'],
                    'indexes': [models.Index(fields=['state', 'next_attempt_at'], name='notice_due')],
                    'constraints': [],
                },
            ),
            migrations.CreateModel(
                name='NoticeOptOut',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('email', models.EmailField(max_length=254, verbose_name='email address')),
                    ('kind', models.CharField(choices=[('submission_confirmation', 'Submission confirmation'), ('deadline_reminder', 'Deadline reminder'), ('call_extended', 'Deadline extended'), ('status_changed', 'Status of an idea changed'), ('feedback_published', 'Feedback on an idea published'), ('digest', 'Daily digest of new ideas'), ('call_closed', 'Call closed'), ('subscription_confirm', 'Confirm subscription'), ('duplicate_linked', 'Idea marked as a duplicate'), ('shortlist_opened', 'Shortlist open for review'), ('shortlist_closing', 'Shortlist review closes soon'), ('event_registration_confirm', 'Confirm event registration'), ('event_registered', 'Event registration received'), ('event_moved_up', 'Place at an event from the waiting list'), ('event_reminder', 'Event reminder the day before'), ('event_changed', 'Event changed'), ('event_cancelled', 'Event cancelled')], max_length=32, verbose_name='kind')),
                    ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                ],
                options={
                    'verbose_name': 'notice opt-out',
                    'verbose_name_plural': 'notice opt-outs',
                    'constraints': [models.UniqueConstraint(fields=('email', 'kind'), name='notice_optout_unique')],
                    'indexes': [],
                },
            ),
            ],
        ),
        move_content_types("ideas", "notices", ['subscription', 'notice', 'noticeoptout']),
    ]
