"""Reads with visibility rules: what may this user see?"""

from django.core.cache import cache
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from fields.models import ActionField
from halle_smartcity.page_cache import generation

from . import permissions
from .models import PUBLIC_STATUSES, Call, Idea, IdeaImage, Status


def call_list_public() -> QuerySet[Call]:
    return Call.objects.published().order_by("-opens_at")


def call_current() -> Call | None:
    """The call open now; failing that, the one that opens next; failing that, the latest."""
    now = timezone.now()
    calls = Call.objects.published()
    return (
        calls.open_at(now).order_by("deadline").first()
        or calls.filter(opens_at__gt=now).order_by("opens_at").first()
        or calls.order_by("-deadline").first()
    )


def idea_list_public() -> QuerySet[Idea]:
    """Published ideas with what a list card shows, in a fixed number of queries."""
    return (
        Idea.objects.published()
        .select_related("primary_field", "call", "author")
        .prefetch_related(
            "quarters",
            Prefetch("images", queryset=IdeaImage.objects.order_by("order", "id")),
        )
    )


def idea_detail(*, pk: int, user) -> Idea:
    idea = (
        Idea.objects.select_related("primary_field", "call", "author", "duplicate_of__call")
        .prefetch_related(
            "action_fields", "quarters__district", "images", "measures", "shortlist_items"
        )
        .filter(pk=pk)
        .first()
    )
    if idea is None or not permissions.can_view_idea(user, idea):
        # A stranger's draft is as good as absent.
        raise Http404
    return idea


def ideas_of_author(user) -> QuerySet[Idea]:
    return (
        Idea.objects.by_author(user)
        .select_related("call", "primary_field")
        .order_by("-updated_at", "-id")
    )


def field_counts(*, call: Call | None = None) -> list[ActionField]:
    """Action fields with the number of published ideas whose primary field they are."""
    # Published as in `Idea.objects.published()`: not a draft, and the call is published.
    condition = Q(primary_ideas__status__in=PUBLIC_STATUSES, primary_ideas__call__published=True)
    if call is not None:
        condition &= Q(primary_ideas__call=call)
    return list(
        ActionField.objects.active()
        .annotate(idea_count=Count("primary_ideas", filter=condition))
        # A GROUP BY query ignores Meta.ordering: keep the fields' own order.
        .order_by("order", "name")
    )


def field_counts_by_call(calls: list[Call]) -> dict[int, list[tuple[ActionField, int]]]:
    """Per call, each active action field with its number of published ideas (by primary
    field), in two queries whatever the number of calls and ideas."""
    key = f"field-counts:{generation()}:" + ",".join(str(call.pk) for call in calls)
    cached = cache.get(key)
    if cached is not None:
        fields = {field.pk: field for field in ActionField.objects.active()}
        return {
            call_id: [(fields[field_id], count) for field_id, count in rows if field_id in fields]
            for call_id, rows in cached.items()
        }
    rows = (
        Idea.objects.published()
        .filter(call__in=calls)
        .values_list("call_id", "primary_field_id")
        .annotate(count=Count("id"))
        .order_by()
    )
    counts = {(call_id, field_id): count for call_id, field_id, count in rows}
    fields = list(ActionField.objects.active())
    result = {
        call.pk: [(field, counts.get((call.pk, field.pk), 0)) for field in fields]
        for call in calls
    }
    # Counting every idea on every visit of the home page is wasted work: a minute is fresh.
    cache.set(
        key,
        {
            call_id: [(field.pk, count) for field, count in rows]
            for call_id, rows in result.items()
        },
        60,
    )
    return result


def assignments_of(user):
    """An assessor's assignments, open ones first."""
    from .models import Assignment

    return (
        Assignment.objects.filter(assessor=user)
        .select_related("idea__call", "idea__primary_field", "assessment")
        .order_by("recused_at", "assessment__submitted_at", "-assigned_at")
    )


def measures_public():
    from .models import Measure

    return Measure.objects.filter(published=True, call__published=True).select_related("call")


def ranking(*, call: Call, field=None) -> list[tuple[int, Idea]]:
    """The call's assessed ideas ranked by their weighted score (optionally in one action
    field); ideas that fail a knock-out come last."""
    from . import scoring

    ideas = (
        Idea.objects.published()
        .filter(call=call, assessment_count__gt=0)
        .exclude(status__in=[Status.NOT_PURSUED, Status.DUPLICATE])
        .select_related("primary_field")
        .order_by("submitted_at", "pk")
    )
    if field is not None:
        ideas = ideas.filter(primary_field=field)
    rows = [
        (idea, scoring.Result(idea.score, idea.knockout_failed, idea.assessment_count), index)
        for index, idea in enumerate(ideas)
    ]
    return scoring.ranking(rows)


def idea_map_public() -> QuerySet[Idea]:
    """Published ideas with a location, with what a map marker and the list by quarter show
    (two queries: the ideas with their primary field, and their quarters)."""
    from fields.models import Quarter

    return (
        Idea.objects.published()
        .filter(latitude__isnull=False, longitude__isnull=False)
        .select_related("primary_field")
        .prefetch_related(
            Prefetch(
                "quarters",
                queryset=Quarter.objects.select_related("district").order_by(
                    "district__order", "name"
                ),
            )
        )
    )


# --- A person's own data (GDPR art. 15 and 20) ----------------------------------------------


def _absolute_url(path: str) -> str:
    from django.conf import settings

    return path if "://" in path else settings.MITMACHEN_SITE_URL.rstrip("/") + path


def _iso(moment) -> str | None:
    return moment.isoformat() if moment else None


def ideas_data_export(*, user, emails: set[str]) -> dict:
    """Everything the ideas app holds about one account, for the account holder's download:
    their ideas (drafts too) as they entered them, with image URLs, status and published
    feedback; subscriptions, notice opt-outs and mails sent to them; and, for staff, their
    assessments, board recommendations and audit entries. Never internal notes about them
    or other people's data. `emails` are all the account's addresses."""
    from .models import (
        Assignment,
        AuditEntry,
        Notice,
        NoticeOptOut,
        Recommendation,
        Subscription,
    )
    from .services import ideas_submitted_by_email

    ideas = (
        Idea.objects.filter(
            Q(author=user) | Q(pk__in=ideas_submitted_by_email(emails).values("pk"))
        )
        .select_related("call", "primary_field", "duplicate_of")
        .prefetch_related("action_fields", "quarters", "images")
        .order_by("created_at", "id")
    )
    idea_rows = []
    for idea in ideas:
        idea_rows.append(
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
                        "url": _absolute_url(image.image.url),
                        "thumbnail_url": _absolute_url(image.thumbnail.url),
                        "description": image.alt_text,
                    }
                    for image in idea.images.all()
                ],
                "submitted_at": _iso(idea.submitted_at),
                "created_at": _iso(idea.created_at),
                "updated_at": _iso(idea.updated_at),
            }
        )
    consents = [
        {"idea": row["reference"] or row["title"], "at": row["consent_at"], "version": v}
        for row in idea_rows
        if (v := row["consent_version"]) or row["consent_at"]
    ]
    subscriptions = Subscription.objects.filter(Q(user=user) | Q(email__in=emails))
    assignments = (
        Assignment.objects.filter(assessor=user)
        .select_related("idea", "assessment")
        .prefetch_related("assessment__scores__criterion")
        .order_by("assigned_at", "id")
    )
    assessments = []
    for assignment in assignments:
        assessment = getattr(assignment, "assessment", None)
        assessments.append(
            {
                "idea": assignment.idea.reference,
                "assigned_at": _iso(assignment.assigned_at),
                "recused_at": _iso(assignment.recused_at),
                "recusal_reason": assignment.recusal_reason,
                "comment": assessment.comment if assessment else None,
                "submitted_at": _iso(assessment.submitted_at) if assessment else None,
                "scores": [
                    {
                        "criterion": str(score.criterion),
                        "value": score.value,
                        "reason": score.reason,
                    }
                    for score in assessment.scores.all()
                ]
                if assessment
                else [],
            }
        )
    recommendations = Recommendation.objects.filter(member=user).select_related("item__shortlist")
    return {
        "ideas": idea_rows,
        "consents": consents,
        "subscriptions": [
            {
                "call": subscription.call.title,
                "email": subscription.email,
                "subscribed_at": _iso(subscription.created_at),
                "confirmed_at": _iso(subscription.confirmed_at),
                "unsubscribed_at": _iso(subscription.unsubscribed_at),
            }
            for subscription in subscriptions.select_related("call").order_by("created_at")
        ],
        "notice_opt_outs": list(
            NoticeOptOut.objects.filter(email__in=emails)
            .order_by("kind")
            .values_list("kind", flat=True)
        ),
        "mails": [
            {
                "kind": notice.kind,
                "email": notice.email,
                "state": notice.state,
                "created_at": _iso(notice.created_at),
                "sent_at": _iso(notice.sent_at),
            }
            for notice in Notice.objects.filter(Q(recipient=user) | Q(email__in=emails))
            .order_by("created_at", "id")
            .iterator(chunk_size=1000)
        ],
        "assessments": assessments,
        "board_recommendations": [
            {
                "shortlist": recommendation.item.shortlist.title,
                "item": recommendation.item.snapshot.get("title") or str(recommendation.item),
                "vote": recommendation.vote,
                "comment": recommendation.comment,
                "conflict_of_interest": recommendation.conflict_of_interest,
                "updated_at": _iso(recommendation.updated_at),
            }
            for recommendation in recommendations.order_by("updated_at", "id")
        ],
        "audit_entries": [
            {
                "action": entry.action,
                "idea": entry.idea.reference if entry.idea else None,
                "data": entry.data,
                "at": _iso(entry.created_at),
            }
            for entry in AuditEntry.objects.filter(actor=user)
            .select_related("idea")
            .order_by("created_at", "id")
            .iterator(chunk_size=1000)
        ],
    }
