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

__all__ = [
    "PUBLIC_STATUSES",
    "Call",
    "CallExtension",
    "CallQuerySet",
    "Channel",
    "Idea",
    "IdeaImage",
    "IdeaQuerySet",
    "ReferenceSequence",
    "Status",
    "image_path",
]
