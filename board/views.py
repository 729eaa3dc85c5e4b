"""The board's pages (members) and the tally (editors)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from halle_smartcity.forms import add_service_errors
from halle_smartcity.ratelimits import write_limit
from halle_smartcity.spreadsheets import csv_response

from . import exports, permissions, selectors, services
from .forms import RecommendationForm
from .models import Shortlist, ShortlistItem, Vote


def _require_member(user) -> None:
    if not permissions.can_enter_board_area(user):
        raise PermissionDenied


def _shortlist_for(user, pk) -> Shortlist:
    _require_member(user)
    shortlist = get_object_or_404(Shortlist.objects.select_related("call"), pk=pk)
    if not permissions.can_view_shortlist(user, shortlist):
        # A shortlist whose window has not opened is as good as absent for the board.
        raise Http404
    return shortlist


@login_required
def board_home(request):
    _require_member(request.user)
    now = timezone.now()
    visible = selectors.shortlists_opened(now)
    return render(
        request,
        "board/home.html",
        {
            "open": visible.filter(closes_at__gt=now).order_by("closes_at"),
            "past": visible.filter(closes_at__lte=now).order_by("-closes_at")[:50],
        },
    )


@login_required
def board_shortlist(request, pk):
    shortlist = _shortlist_for(request.user, pk)
    mine = selectors.recommendations_of(request.user, shortlist)
    # The list names items by their snapshot, or (before the freezing job ran) themselves.
    items = [
        (item, mine.get(item.pk)) for item in shortlist.items.select_related("idea", "measure")
    ]
    return render(request, "board/shortlist.html", {"shortlist": shortlist, "items": items})


@login_required
@write_limit
def board_item(request, pk, item_pk):
    shortlist = _shortlist_for(request.user, pk)
    item = get_object_or_404(ShortlistItem, pk=item_pk, shortlist=shortlist)
    mine = selectors.recommendations_of(request.user, shortlist).get(item.pk)
    form = RecommendationForm(request.POST or None, instance_values=mine)
    if request.method == "POST" and form.is_valid():
        try:
            services.recommendation_record(
                item=item,
                member=request.user,
                vote=form.cleaned_data["vote"],
                comment=form.cleaned_data["comment"],
                conflict_of_interest=form.cleaned_data["conflict_of_interest"],
            )
        except PermissionDenied as error:
            form.add_error(None, str(error))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your recommendation has been saved."))
            return redirect("board:shortlist", pk=shortlist.pk)
    return render(
        request,
        "board/item.html",
        {
            "shortlist": shortlist,
            "item": item,
            "snapshot": selectors.item_reading(item),
            "form": form,
            "changes": selectors.item_changes(item),
            "can_vote": permissions.can_vote(request.user, shortlist),
        },
        status=400 if form.errors else 200,
    )


@login_required
def shortlist_tally(request, pk):
    if not permissions.can_view_tally(request.user):
        raise PermissionDenied
    shortlist = get_object_or_404(Shortlist.objects.select_related("call"), pk=pk)
    if request.method == "POST":
        item = get_object_or_404(ShortlistItem, pk=request.POST.get("item"), shortlist=shortlist)
        try:
            services.item_finalize(
                item=item,
                recommendation=request.POST.get("recommendation", ""),
                note=request.POST.get("note", ""),
                by=request.user,
                publish="publish" in request.POST,
            )
        except PermissionDenied as error:
            messages.error(request, str(error))
        except ValidationError:
            messages.error(request, _("Please choose the board's recommendation."))
        else:
            messages.success(request, _("The board's recommendation has been recorded."))
        return redirect("board:tally", pk=pk)
    rows = selectors.shortlist_tally(shortlist=shortlist)
    if request.GET.get("format") == "csv":
        return csv_response(
            exports.tally_columns(),
            exports.tally_rows(rows),
            filename=f"beirat-{shortlist.pk}.csv",
        )
    return render(
        request, "board/tally.html", {"shortlist": shortlist, "rows": rows, "votes": Vote.choices}
    )
