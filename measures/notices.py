"""The measures' notices: the authors and followers of a measure's source ideas hear when the
measure moves on through the strategy (registered with notices.registry)."""

from datetime import datetime

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from discussion.following_notices import followers
from ideas.models import Idea
from ideas.notices import idea_recipients
from notices import registry
from notices.services import moment_key, notices_create

from .models import Measure, MeasureStatus

STATUS_CHANGED = "measure_status_changed"


def notice_measure_status_changed(*, measure: Measure, status: str, at: datetime) -> int:
    """Tell the authors and followers of the measure's published source ideas its new
    status, once per address and change (one who follows two of its ideas hears it once)."""
    ideas = Idea.objects.published().filter(measures=measure).select_related("author")
    recipients, seen = [], set()
    for idea in ideas:
        for recipient in [*idea_recipients(idea), *followers(idea, with_author=False)]:
            if recipient.email.lower() not in seen:
                seen.add(recipient.email.lower())
                recipients.append(recipient)
    return notices_create(
        kind=STATUS_CHANGED,
        recipients=recipients,
        key=f"measure-status:{measure.pk}:{status}:{moment_key(at)}",
        subject=measure,
        data={"status": status},
    )


def _context(notice) -> dict:
    status = notice.data.get("status", "")
    return {
        "measure": notice.subject,
        "status_label": dict(MeasureStatus.choices).get(status, status),
    }


registry.register(
    registry.Kind(
        code=STATUS_CHANGED,
        label=gettext_lazy("Status of a measure changed"),
        template="measures/mail/status_changed",
        subject=lambda notice: (
            _("News about the measure “%(title)s”") % {"title": notice.subject.title}
        ),
        context=_context,
        optional=True,
    )
)


INVITATION = "workshop_invitation"


def _invitation(notice) -> dict:
    invitation = notice.subject
    return {
        "invitation": invitation,
        "idea": invitation.idea if invitation else None,
        "event": invitation.event if invitation else None,
        "answer_path": reverse("measures:invitation", args=[invitation.token])
        if invitation
        else "",
    }


registry.register(
    registry.Kind(
        code=INVITATION,
        label=gettext_lazy("Invitation to a workshop"),
        template="measures/mail/invitation",
        subject=lambda notice: (
            _("Invitation: “%(event)s”") % {"event": notice.subject.event.title}
        ),
        context=_invitation,
    )
)


WORKSHOP_RESULT = "workshop_result"


def _result(notice) -> dict:
    result = notice.subject
    return {"result": result, "idea": result.idea if result else None}


registry.register(
    registry.Kind(
        code=WORKSHOP_RESULT,
        label=gettext_lazy("Workshop result on an idea"),
        template="measures/mail/workshop_result",
        subject=lambda notice: (
            _("What the workshop made of your idea %(reference)s")
            % {"reference": notice.subject.idea.reference}
        ),
        context=_result,
        optional=True,
    )
)
