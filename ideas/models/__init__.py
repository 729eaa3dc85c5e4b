from .assessment import Assessment, Assignment, CriteriaCatalogue, Criterion, Score
from .audit import AuditEntry
from .call import Call, CallExtension, CallQuerySet
from .idea import (
    PUBLIC_STATUSES,
    Channel,
    Idea,
    IdeaImage,
    IdeaQuerySet,
    ReferenceSequence,
    Status,
    image_path,
)
from .measure import Measure
from .notice import (
    EVENT_KINDS,
    OPTIONAL_KINDS,
    Notice,
    NoticeKind,
    NoticeOptOut,
    NoticeState,
    Subscription,
)
from .shortlist import Recommendation, Shortlist, ShortlistItem, Vote

__all__ = [
    "EVENT_KINDS",
    "OPTIONAL_KINDS",
    "PUBLIC_STATUSES",
    "Assessment",
    "Assignment",
    "AuditEntry",
    "Call",
    "CallExtension",
    "CallQuerySet",
    "Channel",
    "CriteriaCatalogue",
    "Criterion",
    "Idea",
    "IdeaImage",
    "IdeaQuerySet",
    "Measure",
    "Notice",
    "NoticeKind",
    "NoticeOptOut",
    "NoticeState",
    "Recommendation",
    "ReferenceSequence",
    "Score",
    "Shortlist",
    "ShortlistItem",
    "Status",
    "Subscription",
    "Vote",
    "image_path",
]
