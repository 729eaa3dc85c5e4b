"""The ideas app's part of a person's data (registered with accounts.personal_data): their
ideas for the download, what happens to them when the account goes, and the retention of
analog submitters' contact data."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy, ngettext

from accounts import personal_data
from halle_smartcity.page_cache import pages_changed
from halle_smartcity.site import absolute_url
from notices.services import notices_delete

from .models import Channel, Idea, IdeaImage, Status
from .services import images_delete

PURGE_BATCH = 1000
SUBMITTER_FIELDS = ("submitter_name", "submitter_email", "submitter_phone", "submitter_address")
# Ideas the city is still working on: deleting the account does not stop that work.
IN_PROGRESS = [Status.SCREENED, Status.IN_QUALIFICATION, Status.QUALIFIED, Status.IN_MEASURE]


def _iso(moment) -> str | None:
    return moment.isoformat() if moment else None


def ideas_submitted_by_email(emails: set[str]):
    """Ideas handed in on paper, by post, by phone or at an event under one of these
    (lower-case) addresses."""
    return Idea.objects.annotate(submitter_email_lower=Lower("submitter_email")).filter(
        submitter_email_lower__in=emails
    )


def export(*, user, emails: set[str]) -> dict:
    """Their ideas (drafts too) as they entered them, with image URLs, status and published
    feedback, and the consents they gave. Never internal notes."""
    ideas = (
        Idea.objects.filter(
            Q(author=user) | Q(pk__in=ideas_submitted_by_email(emails).values("pk"))
        )
        .select_related("call", "primary_field", "duplicate_of")
        .prefetch_related("action_fields", "quarters", "images")
        .order_by("created_at", "id")
    )
    rows = [
        {
            "reference": idea.reference,
            "call": idea.call.title,
            "status": idea.status,
            "status_label": str(idea.get_status_display()),
            "channel": idea.channel,
            "title": idea.title,
            "summary": idea.summary,
            "description": idea.description,
            "problem": idea.problem,
            "benefit": idea.benefit,
            "target_groups": idea.target_groups,
            "primary_field": idea.primary_field.name if idea.primary_field else None,
            "action_fields": [field.name for field in idea.action_fields.all()],
            "quarters": [quarter.name for quarter in idea.quarters.all()],
            "whole_city": idea.whole_city,
            "latitude": str(idea.latitude) if idea.latitude is not None else None,
            "longitude": str(idea.longitude) if idea.longitude is not None else None,
            "wants_workshop": idea.wants_workshop,
            "submitter_name": idea.submitter_name,
            "submitter_email": idea.submitter_email,
            "submitter_phone": idea.submitter_phone,
            "submitter_address": idea.submitter_address,
            "consent_at": _iso(idea.consent_at),
            "consent_version": idea.consent_version,
            "duplicate_of": idea.duplicate_of.reference if idea.duplicate_of else None,
            "public_feedback": idea.feedback if idea.feedback_is_public else None,
            "feedback_published_at": _iso(idea.feedback_published_at)
            if idea.feedback_is_public
            else None,
            "images": [
                {
                    # The image view's links: they work as long as the idea and the
                    # account do, unlike a signed object-storage URL.
                    "url": absolute_url(reverse("ideas:image", args=[image.pk, "gross"])),
                    "thumbnail_url": absolute_url(
                        reverse("ideas:image", args=[image.pk, "mittel"])
                    ),
                    "description": image.alt_text,
                }
                for image in idea.images.all()
            ],
            "submitted_at": _iso(idea.submitted_at),
            "created_at": _iso(idea.created_at),
            "updated_at": _iso(idea.updated_at),
        }
        for idea in ideas
    ]
    consents = [
        {"idea": row["reference"] or row["title"], "at": row["consent_at"], "version": version}
        for row in rows
        if (version := row["consent_version"]) or row["consent_at"]
    ]
    return {"ideas": rows, "consents": consents}


def erase(*, user, emails: set[str], now: datetime) -> dict[str, int]:
    """Submitted ideas stay public (they are part of the call's record) without their author,
    whatever their status; the submitter fields on them are cleared. Consent time and version
    stay: without the person they are no personal data but the record that the idea was
    handed in lawfully. Drafts are deleted with their image files (after the commit)."""
    drafts = list(Idea.objects.by_author(user).drafts())
    images_delete(images=IdeaImage.objects.filter(idea__in=drafts))
    Idea.objects.filter(pk__in=[draft.pk for draft in drafts]).delete()
    submitted = Idea.objects.by_author(user).update(
        author=None, **dict.fromkeys(SUBMITTER_FIELDS, "")
    )
    # Ideas staff entered from paper with one of the person's (verified) addresses.
    submitted += ideas_submitted_by_email(emails).update(**dict.fromkeys(SUBMITTER_FIELDS, ""))
    if submitted or drafts:
        transaction.on_commit(pages_changed)
    return {"drafts": len(drafts), "ideas": submitted}


def consequences(*, user) -> list[str]:
    ideas = Idea.objects.by_author(user)
    submitted = ideas.exclude(status=Status.DRAFT).count()
    in_progress = ideas.filter(status__in=IN_PROGRESS).count()
    drafts = ideas.filter(status=Status.DRAFT).count()
    sentences = []
    if submitted:
        sentences.append(
            ngettext(
                "Your submitted idea stays public, shown as by a “former member”. It can no "
                "longer be traced back to you.",
                "Your %(count)d submitted ideas stay public, shown as by a “former member”. "
                "They can no longer be traced back to you.",
                submitted,
            )
            % {"count": submitted}
        )
    if in_progress:
        sentences.append(
            ngettext(
                "One of your ideas is being assessed or implemented by the city. This "
                "continues: the idea keeps its status and its assessments, but you will no "
                "longer hear about it.",
                "%(count)d of your ideas are being assessed or implemented by the city. This "
                "continues: the ideas keep their status and their assessments, but you will no "
                "longer hear about them.",
                in_progress,
            )
            % {"count": in_progress}
        )
    if drafts:
        sentences.append(
            ngettext(
                "Your draft is deleted with its images.",
                "Your %(count)d drafts are deleted with their images.",
                drafts,
            )
            % {"count": drafts}
        )
    return sentences


def analog_submitters_purge(*, now: datetime | None = None, batch: int = PURGE_BATCH) -> int:
    """Clear the name, address, phone and email of people who handed in an idea on paper, by
    post, by phone or at an event, once they are no longer needed: the retention period
    (MITMACHEN_ANALOG_DATA_RETENTION_DAYS) runs from the call's current deadline or, if the
    city published feedback on the idea later, from that publication, whichever is later.
    Mails to them go too. The ideas stay. Idempotent (cleared ideas no longer match), batched
    by primary key so it runs in bounded memory. Returns how many ideas were cleared.
    """
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.MITMACHEN_ANALOG_DATA_RETENTION_DAYS)
    has_data = Q()
    for name in SUBMITTER_FIELDS:
        has_data |= ~Q(**{name: ""})
    due = (
        Idea.objects.exclude(channel=Channel.ONLINE)
        .filter(has_data, call__deadline__lt=cutoff)
        .filter(Q(feedback_published_at__isnull=True) | Q(feedback_published_at__lt=cutoff))
    )
    cleared, last = 0, 0
    while True:
        chunk = list(due.filter(pk__gt=last).order_by("pk").only("pk", "submitter_email")[:batch])
        if not chunk:
            return cleared
        with transaction.atomic():
            # Their mails went to the submitter's address.
            notices_delete(
                subjects=chunk,
                emails=[idea.submitter_email.lower() for idea in chunk if idea.submitter_email],
            )
            cleared += Idea.objects.filter(pk__in=[idea.pk for idea in chunk]).update(
                **dict.fromkeys(SUBMITTER_FIELDS, "")
            )
        last = chunk[-1].pk


personal_data.register(
    personal_data.Provider(
        name="ideas",
        order=10,
        export=export,
        erase=erase,
        purge=lambda *, now: {"analog_submitters": analog_submitters_purge(now=now)},
        consequences=consequences,
        counted={
            "drafts": gettext_lazy("drafts"),
            "ideas": gettext_lazy("ideas without their author"),
            "analog_submitters": gettext_lazy("contact data of analog submitters"),
        },
    )
)
