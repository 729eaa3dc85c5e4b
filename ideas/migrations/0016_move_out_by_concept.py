"""The models that are not calls and ideas leave this app for the apps of their concepts
(audit, notices, review, measures, board). Their tables are renamed, not copied; the new
apps' first migrations take the models over in Django's state (SeparateDatabaseAndState).
Runs after every grant of the old permissions (accounts 0006), so those move along with
their content types."""

from django.db import migrations

MOVES = [
    # Models that point at others of the move go first.
    ("Recommendation", "board_recommendation"),
    ("ShortlistItem", "board_shortlistitem"),
    ("Shortlist", "board_shortlist"),
    ("Measure", "measures_measure"),
    ("Score", "review_score"),
    ("Assessment", "review_assessment"),
    ("Assignment", "review_assignment"),
    ("Criterion", "review_criterion"),
    ("CriteriaCatalogue", "review_criteriacatalogue"),
    ("Notice", "notices_notice"),
    ("Subscription", "notices_subscription"),
    ("NoticeOptOut", "notices_noticeoptout"),
    ("AuditEntry", "audit_auditentry"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("ideas", "0015_image_small_thumbnail"),
        ("accounts", "0006_events_permissions"),
        ("events", "0001_initial"),
        ("pages", "0002_default_pages"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.AlterModelTable(name, table)],
            state_operations=[migrations.DeleteModel(name)],
        )
        for name, table in MOVES
    ]
