"""Every change to shortlists and the board's recommendations: assembling a shortlist (until
its window opens), freezing it, the members' votes and the outcome the editors record."""

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_write
from ideas.models import Idea, Status

from . import permissions, selectors
from .models import Recommendation, Shortlist, ShortlistItem, Vote

SHORTLIST_AUDITED = ("title", "opens_at", "closes_at", "quorum", "action_field_id", "call_id")


def _require_editor(user) -> None:
    if not permissions.can_manage_shortlists(user):
        raise PermissionDenied(_("Only editors may do this."))


def _check_editable(shortlist: Shortlist, moment: datetime | None = None) -> None:
    if shortlist.has_opened(moment):
        raise ValidationError(_("This shortlist is frozen: its review has begun."))


@transaction.atomic
def shortlist_save(*, shortlist: Shortlist, by) -> Shortlist:
    """Create a shortlist or change it while its window has not opened yet.

    Raises PermissionDenied (not an editor) or ValidationError (frozen, broken rules)."""
    _require_editor(by)
    before = None
    changed: list[str] = []
    if shortlist.pk:
        before = Shortlist.objects.select_for_update().get(pk=shortlist.pk)
        changed = [
            name for name in SHORTLIST_AUDITED if getattr(before, name) != getattr(shortlist, name)
        ]
        # Once the window has opened only its end may still move (the board needs more time).
        if set(changed) - {"closes_at"}:
            _check_editable(before)
    else:
        shortlist.created_by = by
    shortlist.full_clean()
    shortlist.save()
    if before is None:
        audit_write(action="board.shortlist.created", by=by, subject=shortlist)
    elif changed:
        audit_write(action="board.shortlist.changed", by=by, subject=shortlist, fields=changed)
    return shortlist


@transaction.atomic
def shortlist_item_add(
    *, shortlist: Shortlist, subject, by, order: int | None = None
) -> ShortlistItem:
    """Add a qualified idea or a measure to a shortlist that is not frozen yet."""
    _require_editor(by)
    shortlist = Shortlist.objects.select_for_update().get(pk=shortlist.pk)
    _check_editable(shortlist)
    if isinstance(subject, Idea):
        if subject.status not in (Status.QUALIFIED, Status.IN_MEASURE):
            raise ValidationError(
                _("%(reference)s is not qualified: only qualified ideas can go on a shortlist.")
                % {"reference": subject.reference}
            )
        item = ShortlistItem(shortlist=shortlist, idea=subject)
    else:
        item = ShortlistItem(shortlist=shortlist, measure=subject)
    item.order = shortlist.items.count() if order is None else order
    item.full_clean()
    item.save()
    audit_write(action="board.shortlist.item_added", by=by, subject=shortlist, item=str(subject))
    return item


@transaction.atomic
def shortlist_items_save(
    *, shortlist: Shortlist, items: list[ShortlistItem], deleted: list[ShortlistItem], by
) -> list[str]:
    """The editors' changes to a shortlist's items at once (the admin's inline): new items
    are added as by shortlist_item_add, an item whose idea or measure changed is taken off
    and the new one put on, the order of the others changes, deleted ones go. Returns why
    items were left out (ideas that are not qualified, an idea and a measure at once)."""
    _require_editor(by)
    locked = Shortlist.objects.select_for_update().get(pk=shortlist.pk)
    _check_editable(locked)
    current = {item.pk: item for item in ShortlistItem.objects.filter(shortlist=locked)}
    left_out = []
    for item in items:
        before = current.get(item.pk)
        if before is not None and (before.idea_id, before.measure_id) == (
            item.idea_id,
            item.measure_id,
        ):
            item.save(update_fields=["order"])
            continue
        if item.idea_id and item.measure_id:
            left_out.append(_("An item is either an idea or a measure, not both."))
            continue
        try:
            shortlist_item_add(
                shortlist=locked, subject=item.idea or item.measure, by=by, order=item.order
            )
        except ValidationError as error:
            left_out.extend(error.messages)
            continue
        if before is not None:  # the row now stands for something else: the old one goes
            deleted = [*deleted, before]
    for item in deleted:
        if item.pk and item.pk in current:
            audit_write(
                action="board.shortlist.item_removed",
                by=by,
                subject=locked,
                item=str(current[item.pk]),
            )
            current.pop(item.pk).delete()
    return left_out


@transaction.atomic
def shortlist_freeze(*, shortlist: Shortlist, now: datetime | None = None) -> bool:
    """Freeze a shortlist whose window has opened: every item gets its snapshot. Done by
    beat (board.tasks) and by the first vote, never by reading a page."""
    now = now or timezone.now()
    shortlist = Shortlist.objects.select_for_update().get(pk=shortlist.pk)
    if shortlist.frozen_at or now < shortlist.opens_at:
        return False
    for item in shortlist.items.all():
        item.snapshot = selectors.item_snapshot(item)
        item.save(update_fields=["snapshot"])
    shortlist.frozen_at = now
    shortlist.save(update_fields=["frozen_at"])
    audit_write(
        action="board.shortlist.frozen",
        by=None,
        subject=shortlist,
        items=shortlist.items.count(),
    )
    return True


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
    interest removes the vote from the tally (and keeps it out). Audited without the vote
    itself (the tally shows it to the editors).

    Raises PermissionDenied (not a board member, window not open) or ValidationError.
    """
    now = now or timezone.now()
    item = ShortlistItem.objects.select_related("shortlist").get(pk=item.pk)
    shortlist = item.shortlist
    if not permissions.can_enter_board_area(member):
        raise PermissionDenied(_("Only members of the advisory board can recommend."))
    if not permissions.can_vote(member, shortlist, now):
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
    audit_write(
        action="board.recommendation.recorded",
        by=member,
        subject=shortlist,
        item=item.pk,
        conflict_of_interest=conflict_of_interest,
    )
    return recommendation


@transaction.atomic
def item_finalize(
    *, item: ShortlistItem, recommendation: str, note: str, by, publish: bool = True
) -> ShortlistItem:
    """The editors record the board's final recommendation; published, it shows on the
    idea's or measure's page."""
    item = ShortlistItem.objects.select_for_update().select_related("shortlist").get(pk=item.pk)
    if not permissions.can_record_outcome(by, item.shortlist):
        raise PermissionDenied(_("Only editors may do this, once the review has begun."))
    if recommendation not in Vote.values:
        raise ValidationError({"recommendation": _("Please choose one of the options.")})
    item.final_recommendation = recommendation
    item.final_note = note.strip()
    item.published_at = timezone.now() if publish else None
    item.save(update_fields=["final_recommendation", "final_note", "published_at"])
    audit_write(
        action="board.shortlist.recommendation_recorded",
        by=by,
        # In the log of the idea or measure it is about (the shortlist names the item).
        subject=item.idea or item.measure,
        shortlist=item.shortlist_id,
        item=item.pk,
        idea=item.idea.reference if item.idea_id else None,
        recommendation=recommendation,
        published=publish,
    )
    return item
