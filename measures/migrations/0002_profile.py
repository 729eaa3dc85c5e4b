"""The measure profile (Maßnahmensteckbrief): goal, quarters, partners, costs, funding,
status, milestones, indicators, public updates, and what each source idea contributed."""

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('fields', '0003_quarter_kind_labels'),
        ('ideas', '0019_image_thumbnail_later'),
        ('measures', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='measure',
            name='cost_range',
            field=models.CharField(blank=True, choices=[('', 'not yet estimated'), ('up_to_50k', 'up to 50,000 €'), ('up_to_250k', '50,000 to 250,000 €'), ('up_to_1m', '250,000 € to 1 million €'), ('over_1m', 'over 1 million €')], max_length=20, verbose_name='cost range'),
        ),
        migrations.AddField(
            model_name='measure',
            name='funding',
            field=models.CharField(blank=True, max_length=300, verbose_name='funding'),
        ),
        migrations.AddField(
            model_name='measure',
            name='goal',
            field=models.TextField(blank=True, max_length=2000, verbose_name='goal'),
        ),
        migrations.AddField(
            model_name='measure',
            name='partners',
            field=models.TextField(blank=True, help_text='One partner per line.', max_length=2000, verbose_name='partners'),
        ),
        migrations.AddField(
            model_name='measure',
            name='quarters',
            field=models.ManyToManyField(blank=True, help_text='Leave empty for a measure for the whole city.', related_name='measures', to='fields.quarter', verbose_name='quarters'),
        ),
        migrations.AddField(
            model_name='measure',
            name='status',
            field=models.CharField(choices=[('in_qualification', 'In qualification'), ('in_draft', 'In the draft strategy'), ('adopted', 'Adopted by the council'), ('in_implementation', 'In implementation'), ('completed', 'Completed'), ('not_pursued', 'Not pursued')], default='in_qualification', max_length=20, verbose_name='status'),
        ),
        migrations.AddField(
            model_name='measure',
            name='status_changed_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='status changed'),
        ),
        migrations.CreateModel(
            name='Indicator',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=200, verbose_name='indicator')),
                ('unit', models.CharField(blank=True, max_length=40, verbose_name='unit')),
                ('target', models.DecimalField(blank=True, decimal_places=2, max_digits=14, null=True, verbose_name='target value')),
                ('current', models.DecimalField(blank=True, decimal_places=2, max_digits=14, null=True, verbose_name='current value')),
                ('measure', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='indicators', to='measures.measure')),
            ],
            options={
                'verbose_name': 'indicator',
                'verbose_name_plural': 'indicators',
                'ordering': ['id'],
            },
        ),
        # The automatic table of Measure.ideas becomes the model MeasureIdea: in Django's state
        # only, the table stays; then it gains its two columns.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='MeasureIdea',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('idea', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='measure_sources', to='ideas.idea')),
                        ('measure', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='sources', to='measures.measure')),
                    ],
                    options={
                        'verbose_name': 'source idea',
                        'verbose_name_plural': 'source ideas',
                        'db_table': 'measures_measure_ideas',
                        'unique_together': {('measure', 'idea')},
                    },
                ),
                migrations.AlterField(
                    model_name='measure',
                    name='ideas',
                    field=models.ManyToManyField(blank=True, related_name='measures', through='measures.MeasureIdea', to='ideas.idea', verbose_name='source ideas'),
                ),
            ],
        ),
        migrations.AddField(
            model_name='measureidea',
            name='contribution',
            field=models.TextField(blank=True, help_text='What this idea brought into the measure (public).', max_length=1000, verbose_name='contribution'),
        ),
        migrations.AddField(
            model_name='measureidea',
            name='added_at',
            field=models.DateTimeField(default=django.utils.timezone.now, verbose_name='joined'),
        ),
        migrations.CreateModel(
            name='MeasureUpdate',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('published_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='date')),
                ('status', models.CharField(blank=True, choices=[('in_qualification', 'In qualification'), ('in_draft', 'In the draft strategy'), ('adopted', 'Adopted by the council'), ('in_implementation', 'In implementation'), ('completed', 'Completed'), ('not_pursued', 'Not pursued')], max_length=20, verbose_name='new status')),
                ('text', models.TextField(max_length=4000, verbose_name='text')),
                ('measure', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='updates', to='measures.measure')),
            ],
            options={
                'verbose_name': 'update',
                'verbose_name_plural': 'updates',
                'ordering': ['-published_at', '-id'],
            },
        ),
        migrations.CreateModel(
            name='Milestone',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('title', models.CharField(max_length=200, verbose_name='milestone')),
                ('due', models.DateField(verbose_name='planned for')),
                ('reached_on', models.DateField(blank=True, null=True, verbose_name='reached on')),
                ('measure', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='milestones', to='measures.measure')),
            ],
            options={
                'verbose_name': 'milestone',
                'verbose_name_plural': 'milestones',
                'ordering': ['due', 'id'],
            },
        ),
    ]
