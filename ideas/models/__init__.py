from .call import Call, CallExtension, CallQuerySet
from .counts import CountSnapshot
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
from .terms import IdeaTerms

__all__ = [
    "PUBLIC_STATUSES",
    "Call",
    "CallExtension",
    "CallQuerySet",
    "Channel",
    "CountSnapshot",
    "Idea",
    "IdeaImage",
    "IdeaQuerySet",
    "IdeaTerms",
    "ReferenceSequence",
    "Status",
    "image_path",
]
