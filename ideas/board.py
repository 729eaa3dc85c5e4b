"""The advisory board (Beirat): frozen shortlists, the members' recommendations, the tally
and the recommendation the editors publish."""

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role

from . import assessments, notices
from .models import (
    Idea,
    Measure,
    NoticeKind,
    Recommendation,
    Shortlist,
    ShortlistItem,
    Status,
    Vote,
)
from .triage import _require_editor, audit

CLOSING_REMINDER = timedelta(days=2)


# --- Pure rules ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Tally:
    recommend: int
    not_recommend: int
    abstain: int
    recused: int
    eligible: int
    quorum: int

    @property
    def votes(self) -> int:
        return self.recommend + self.not_recommend + self.abstain

    @property
    def quorum_reached(self) -> bool:
        return self.eligible > 0 and self.votes >= self.quorum

    @property
    def outcome(self) -> str:
        """The majority of recommend / not recommend once the quorum is reached."""
        if not self.quorum_reached or self.recommend == self.not_recommend:
            return ""
        return Vote.RECOMMEND if self.recommend > self.not_recommend else Vote.NOT_RECOMMEND


def tally(*, votes: list[tuple[str, bool]], members: int, quorum: int | None = None) -> Tally:
    """Count (vote, conflict of interest) pairs of one item. Members with a conflict are
    left out, also of the quorum, which by default is half of the remaining members."""
    recused = sum(1 for _vote, conflict in votes if conflict)
    counted = [vote for vote, conflict in votes if not conflict]
    eligible = max(members - recused, 0)
    needed = quorum if quorum else math.ceil(eligible / 2)
    return Tally(
        recommend=counted.count(Vote.RECOMMEND),
        not_recommend=counted.count(Vote.NOT_RECOMMEND),
        abstain=counted.count(Vote.ABSTAIN),
        recused=recused,
        eligible=eligible,
        quorum=max(needed, 1),
    )


# --- Who ----------------------------------------------------------------------------------


def is_board_member(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.has_role(Role.BOARD))


def board_members():
    return get_user_model().objects.filter(groups__name=Role.BOARD, is_active=True)


# --- Snapshots ----------------------------------------------------------------------------


def item_snapshot(item: ShortlistItem) -> dict:
    """What the board reads of an item, without any personal data of submitters."""
    if item.idea_id:
        idea = Idea.objects.select_related("primary_field", "call").get(pk=item.idea_id)
        rows = assessments.idea_criterion_summary(idea=idea)
        return {
            "kind": "idea",
            "reference": idea.reference,
            "title": idea.title,
            "summary": idea.summary,
            "description": idea.description,
            "fields": [field.name for field in idea.action_fields.all()],
            "quarters": ["*"]
            if idea.whole_city
            else [quarter.name for quarter in idea.quarters.all()],
            "score": str(idea.score) if idea.score is not None else None,
            "knockout_failed": idea.knockout_failed,
            "criteria": [
                {
                    "name": str(row["criterion"]),
                    "knockout": row["criterion"].knockout,
                    "scale_max": row["criterion"].scale_max,
                    "mean": str(row["mean"]) if row["mean"] is not None else None,
                    "reasons": row["reasons"],
                }
                for row in rows
            ],
        }
    measure = Measure.objects.get(pk=item.measure_id)
    return {
        "kind": "measure",
        "title": measure.title,
        "summary": measure.description[:500],
        "description": measure.description,
        "fields": [field.name for field in measure.action_fields.all()],
        "lead_department": measure.lead_department,
        "sources": [
            {"reference": idea.reference, "title": idea.title}
            for idea in measure.ideas.order_by("reference")
        ],
    }


COMPARED = ("title", "summary", "description", "fields", "quarters", "score", "sources")


def item_changes(item: ShortlistItem) -> list[dict]:
    """What changed on an item since its snapshot was taken: shown as “changed since”."""
    if not item.snapshot:
        return []
    current = item_snapshot(item)
    return [
        {"key": key, "before": item.snapshot.get(key), "now": current.get(key)}
        for key in COMPARED
        if item.snapshot.get(key) != current.get(key)
    ]


@transaction.atomic
def shortlist_freeze(*, shortlist: Shortlist, now: datetime | None = None) -> bool:
    """Freeze a shortlist whose window has opened: every item gets its snapshot."""
    now = now or timezone.now()
    shortlist = Shortlist.objects.select_for_update().get(pk=shortlist.pk)
    if shortlist.frozen_at or now < shortlist.opens_at:
        return False
    for item in shortlist.items.all():
        item.snapshot = item_snapshot(item)
        item.save(update_fields=["snapshot"])
    shortlist.frozen_at = now
    shortlist.save(update_fields=["frozen_at"])
    audit(
        action="ideas.shortlist.frozen",
        by=None,
        call=shortlist.call,
        shortlist=shortlist.pk,
        items=shortlist.items.count(),
    )
    return True


def shortlist_check_editable(shortlist: Shortlist) -> None:
    if shortlist.frozen_at:
        raise ValidationError(_("This shortlist is frozen: its review has begun."))


@transaction.atomic
def shortlist_item_add(*, shortlist: Shortlist, subject, by) -> ShortlistItem:
    """Add a qualified idea or a measure to a shortlist that is not frozen yet."""
    _require_editor(by)
    shortlist = Shortlist.objects.select_for_update().get(pk=shortlist.pk)
    shortlist_check_editable(shortlist)
    if isinstance(subject, Idea):
        if subject.status not in (Status.QUALIFIED, Status.IN_MEASURE):
            raise ValidationError(_("Only qualified ideas can go on a shortlist."))
        item = ShortlistItem.objects.create(
            shortlist=shortlist, idea=subject, order=shortlist.items.count()
        )
    else:
        item = ShortlistItem.objects.create(
            shortlist=shortlist, measure=subject, order=shortlist.items.count()
        )
    audit(
        action="ideas.shortlist.item_added",
        by=by,
        call=shortlist.call,
        shortlist=shortlist.pk,
        item=str(subject),
    )
    return item


# --- Recommendations ----------------------------------------------------------------------


@transaction.atomic
def recommendation_record(
    *,
    item: ShortlistItem,
    member,
    vote: str = "",
    comment: str = "",
    conflict_of_interest: bool = False,
    now: datetime | None = None,
) -> Recommendation:
    """A member's vote on an item while its review window is open. Declaring a conflict of
    interest removes the vote from the tally (and keeps it out).

    Raises PermissionDenied (not a board member, window not open) or ValidationError.
    """
    now = now or timezone.now()
    if not is_board_member(member):
        raise PermissionDenied(_("Only members of the advisory board can recommend."))
    item = ShortlistItem.objects.select_related("shortlist").get(pk=item.pk)
    shortlist = item.shortlist
    if not shortlist.is_open(now):
        raise PermissionDenied(_("The review window of this shortlist is not open."))
    shortlist_freeze(shortlist=shortlist, now=now)
    if vote and vote not in Vote.values:
        raise ValidationError({"vote": _("Please choose one of the options.")})
    recommendation, _created = Recommendation.objects.select_for_update().get_or_create(
        item=item, member=member
    )
    if recommendation.conflict_of_interest and not conflict_of_interest:
        raise ValidationError(
            {
                "conflict_of_interest": _(
                    "You have declared a conflict of interest on this item; you cannot vote on it."
                )
            }
        )
    recommendation.conflict_of_interest = conflict_of_interest
    recommendation.vote = "" if conflict_of_interest else vote
    recommendation.comment = comment.strip()[:5000]
    recommendation.save()
    return recommendation


def shortlist_tally(*, shortlist: Shortlist) -> list[dict]:
    """Per item: the counts, whether the quorum is reached, and the comments."""
    members = board_members().count()
    items = list(
        shortlist.items.select_related("idea", "measure").prefetch_related(
            "recommendations__member"
        )
    )
    rows = []
    for item in items:
        recommendations = list(item.recommendations.all())
        result = tally(
            votes=[
                (r.vote, r.conflict_of_interest)
                for r in recommendations
                if r.vote or r.conflict_of_interest
            ],
            members=members,
            quorum=shortlist.quorum,
        )
        rows.append(
            {
                "item": item,
                "title": item.snapshot.get("title") or str(item),
                "tally": result,
                "comments": [
                    (r.member.public_name if r.member else _("Former member"), r.comment)
                    for r in recommendations
                    if r.comment
                ],
            }
        )
    return rows


@transaction.atomic
def item_finalize(
    *, item: ShortlistItem, recommendation: str, note: str, by, publish: bool = True
) -> ShortlistItem:
    """The editors record the board's final recommendation; published, it shows on the
    idea's or measure's page."""
    _require_editor(by)
    if recommendation not in Vote.values:
        raise ValidationError({"recommendation": _("Please choose one of the options.")})
    item = ShortlistItem.objects.select_for_update().get(pk=item.pk)
    item.final_recommendation = recommendation
    item.final_note = note.strip()
    item.published_at = timezone.now() if publish else None
    item.save(update_fields=["final_recommendation", "final_note", "published_at"])
    audit(
        action="ideas.shortlist.recommendation_recorded",
        by=by,
        idea=item.idea,
        call=item.shortlist.call,
        item=item.pk,
        recommendation=recommendation,
        published=publish,
    )
    return item


# --- Notices ------------------------------------------------------------------------------


def shortlist_notices_plan(*, now: datetime | None = None) -> int:
    """Freeze shortlists whose window opened and tell the members; remind them two days
    before the window closes."""
    now = now or timezone.now()
    created = 0
    members = [notices._user_recipient(user) for user in board_members()]
    for shortlist in Shortlist.objects.filter(opens_at__lte=now, closes_at__gt=now):
        shortlist_freeze(shortlist=shortlist, now=now)
        with transaction.atomic():
            created += notices.notices_create(
                kind=NoticeKind.SHORTLIST_OPENED,
                recipients=members,
                key=f"shortlist-open:{shortlist.pk}",
                call=shortlist.call,
                data={"shortlist_id": shortlist.pk, "closes_at": shortlist.closes_at.isoformat()},
            )
            if now >= shortlist.closes_at - CLOSING_REMINDER:
                created += notices.notices_create(
                    kind=NoticeKind.SHORTLIST_CLOSING,
                    recipients=members,
                    key=f"shortlist-closing:{shortlist.pk}:{shortlist.closes_at:%Y%m%d%H%M}",
                    call=shortlist.call,
                    data={
                        "shortlist_id": shortlist.pk,
                        "closes_at": shortlist.closes_at.isoformat(),
                    },
                )
    return created
