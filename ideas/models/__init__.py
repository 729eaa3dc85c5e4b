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
from .notice import (
    OPTIONAL_KINDS,
    Notice,
    NoticeKind,
    NoticeOptOut,
    NoticeState,
    Subscription,
)

__all__ = [
    "OPTIONAL_KINDS",
    "PUBLIC_STATUSES",
    "Call",
    "CallExtension",
    "CallQuerySet",
    "Channel",
    "Idea",
    "IdeaImage",
    "IdeaQuerySet",
    "Notice",
    "NoticeKind",
    "NoticeOptOut",
    "NoticeState",
    "ReferenceSequence",
    "Status",
    "Subscription",
    "image_path",
]
