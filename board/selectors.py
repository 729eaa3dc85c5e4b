"""Reads of the board: who is on it, what a member reads of an item (its snapshot, without
personal data of submitters), what changed since, and the tally."""

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role
from ideas.models import Idea
from measures.models import Measure
from review.selectors import idea_criterion_summary

from .models import Recommendation, Shortlist, ShortlistItem
from .tally import tally

COMPARED = ("title", "summary", "description", "fields", "quarters", "score", "sources")


def board_members() -> QuerySet:
    return get_user_model().objects.filter(groups__name=Role.BOARD, is_active=True)


def shortlists_opened(now=None) -> QuerySet[Shortlist]:
    """Shortlists whose window has opened: what the board sees."""
    now = now or timezone.now()
    return Shortlist.objects.filter(opens_at__lte=now).select_related("call", "action_field")


def item_snapshot(item: ShortlistItem) -> dict:
    """What the board reads of an item now, without any personal data of submitters."""
    if item.idea_id:
        idea = Idea.objects.select_related("primary_field", "call").get(pk=item.idea_id)
        rows = idea_criterion_summary(idea=idea)
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


def item_reading(item: ShortlistItem) -> dict:
    """The frozen snapshot; before the freezing job has run (minutes after the window
    opened), what the snapshot will hold. Reading never freezes: no side effect on GET."""
    return item.snapshot or item_snapshot(item)


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


def recommendations_of(member, shortlist: Shortlist) -> dict[int, Recommendation]:
    return {
        recommendation.item_id: recommendation
        for recommendation in Recommendation.objects.filter(
            item__shortlist=shortlist, member=member
        )
    }


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


def published_recommendations(idea: Idea) -> list[ShortlistItem]:
    """The board's recommendations on an idea that the editors published (one query)."""
    return list(
        ShortlistItem.objects.filter(idea=idea, published_at__isnull=False).order_by(
            "published_at"
        )
    )
