"""The fieldsets of the idea admin: the analog intake and the change form."""

from django.utils.translation import gettext_lazy as _

# Who handed an idea in and how: shown to editors, never changed in the change form.
SUBMITTER_FIELDS = (
    "submitter",
    "channel",
    "received_on",
    "received_at_event",
    "entered_by",
    "paper_consent",
    "submitter_name",
    "submitter_email",
    "submitter_phone",
    "submitter_address",
    "wants_workshop",
    "consent_at",
    "consent_version",
)
INTAKE_FIELDSETS = (
    (
        None,
        {
            "fields": (
                "call",
                "channel",
                "received_on",
                "event",
                "paper_consent",
                "author",
                "wants_workshop",
            )
        },
    ),
    (
        _("Submitter (internal)"),
        {
            "fields": (
                "submitter_name",
                "submitter_email",
                "submitter_phone",
                "submitter_address",
            )
        },
    ),
    (
        _("The idea"),
        {"fields": ("title", "summary", "description", "problem", "benefit", "target_groups")},
    ),
    (_("Sorting"), {"fields": ("primary_field", "action_fields", "whole_city", "quarters")}),
    (_("Location (optional)"), {"fields": ("latitude", "longitude")}),
)
CHANGE_FIELDSETS = (
    (
        None,
        {
            "fields": (
                "reference",
                "call",
                "status",
                "expected_version",
                "title",
                "summary",
                "description",
                "problem",
                "benefit",
                "target_groups",
            )
        },
    ),
    (
        _("Sorting"),
        {
            "fields": (
                "primary_field",
                "action_fields",
                "quarters",
                "whole_city",
                "latitude",
                "longitude",
                "similar_ideas",
                "duplicate_of",
            )
        },
    ),
    (
        _("Assessment"),
        {"fields": ("score", "knockout_failed", "assessment_count", "criterion_summary")},
    ),
    (_("Feedback"), {"fields": ("feedback", "publish_feedback", "feedback_published_at")}),
    (_("Submitter (internal)"), {"fields": SUBMITTER_FIELDS}),
    (_("Audit log"), {"fields": ("audit_log",)}),
)
