from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_ratelimit.decorators import ratelimit

from halle_smartcity.forms import add_service_errors
from halle_smartcity.page_cache import SITE, cache_public_page, depends_on, idea_tag, is_partial
from halle_smartcity.pagination import CachedCountPaginator
from halle_smartcity.ratelimits import write_limit
from notices import services as notices_services
from notices.forms import SubscribeForm

from . import (
    cards,
    counts,
    page_tags,
    panels,
    permissions,
    sections,
    selectors,
    services,
    similar_views,
    similarity_search,
    statistics,
)
from .filters import IdeaFilter, active_filters, canonical_query, sort_label
from .forms import IdeaForm
from .models import Call, Idea

PAGE_SIZE = 20
# Beyond this many matches the list does not count on (a count stops there, and the pages too).
COUNT_CAP = 10_000


@cache_public_page
def home(request):
    """The current call and its one action, where its process stands, the latest ideas, the
    next events and the numbers (from the stored counts, never counted here)."""
    current = selectors.call_current()
    calls = [current] if current else []
    counts_by_call, totals, counted_at = selectors.call_numbers(calls)
    return render(
        request,
        "ideas/home.html",
        {
            "current_call": current,
            "calls": calls,
            "counts_by_call": counts_by_call,
            "total": totals.get(current.pk, 0) if current else 0,
            "counted_at": counted_at,
            "latest_ideas": panels.latest_ideas(),
            "panels": panels.render_panels(call=current, page="home", request=request),
            "now": timezone.now(),
        },
    )


@cache_public_page
def statistics_page(request):
    """The call in numbers: published ideas per action field, quarter, status, channel and
    over time, for one call (`?call=<slug>`) or all published calls."""
    calls = statistics.statistics_calls()
    slug = request.GET.get("call", "")
    canonical = QueryDict(mutable=True)
    if slug:
        canonical["call"] = slug
    if request.GET.urlencode() != canonical.urlencode():
        # Parameters the page does not know would only fill the page cache with copies.
        query = canonical.urlencode()
        return redirect(request.path + (f"?{query}" if query else ""))
    call = next((call for call in calls if call.slug == slug), None)
    context = {"calls": calls, "selected": slug if call else ""}
    if slug and call is None:
        context["unknown_call"] = True
        return render(request, "ideas/statistics.html", context, status=404)
    snapshot = counts.counts_read([call])[counts.scope_of(call)]
    data = snapshot.data
    context.update(
        # The numbers above the charts, straight from the stored counts with their time.
        stats={
            "call": call,
            "total": data["total"],
            "supports": data.get("supports", 0),
            "comments": data.get("comments", 0),
            "threshold_reached": data.get("threshold_reached", 0),
            "counted_at": snapshot.computed_at,
        },
        charts_html=mark_safe(statistics.charts_html(call, snapshot)),  # noqa: S308 (rendered)
        # What other apps count (the ideas that reached a measure).
        panels=sections.render_statistics(call, request),
    )
    return render(request, "ideas/statistics.html", context)


def call_detail(request, slug):
    """The call's invitation first, then its deadline (with the latest extension; earlier
    ones folded away), its process, its ideas and events, and the subscription."""
    # The published calls with their extensions are cached until one changes.
    call = next((call for call in selectors.calls_published() if call.slug == slug), None)
    if call is None:
        raise Http404
    counts_by_call, totals, counted_at = selectors.call_numbers([call])
    extensions = sorted(call.extensions.all(), key=lambda e: (e.new_deadline, e.pk), reverse=True)
    return render(
        request,
        "ideas/call_detail.html",
        {
            "call": call,
            "field_counts": counts_by_call[call.pk],
            "total": totals[call.pk],
            "counted_at": counted_at,
            "latest_extension": extensions[0] if extensions else None,
            "earlier_extensions": extensions[1:],
            "latest_ideas": panels.latest_ideas(call=call),
            "panels": panels.render_panels(call=call, page="call", request=request),
            "subscribe_form": SubscribeForm(initial={"email": getattr(request.user, "email", "")}),
            "can_submit": permissions.can_submit_to(request.user, call)
            or (not request.user.is_authenticated and call.is_open()),
            "now": timezone.now(),
        },
    )


def idea_filter_from(request, queryset) -> IdeaFilter:
    """The list's filters from the query string (the list and the map share them)."""
    idea_filter = IdeaFilter(request.GET, queryset=queryset)
    if not idea_filter.is_valid():
        # Drop only what was not understood; keep the rest of the user's filters.
        messages.error(request, _("Some filters were not understood and have been ignored."))
        data = request.GET.copy()
        for name in idea_filter.errors:
            data.pop(name, None)
        idea_filter = IdeaFilter(data, queryset=queryset)
    return idea_filter


@cache_public_page(tags=page_tags.list_tags)
def idea_list(request):
    """The published ideas, filtered and paged. Asked by htmx (filtering or paging on the
    page), it answers only the results, which the page swaps in; the whole page otherwise.
    Both from the same address, which stays the one a form without JavaScript reaches."""
    canonical = canonical_query(request.GET)
    if canonical.urlencode() != request.GET.urlencode():
        # A form sends its empty fields too: one address per filtering, for sharing and cache.
        query = canonical.urlencode()
        return redirect(request.path + (f"?{query}" if query else ""))
    idea_filter = idea_filter_from(request, Idea.objects.published())
    # The page's ideas by number only: their cards come from the cache where they are fresh.
    found = idea_filter.qs
    paginator = CachedCountPaginator(
        # A ranked search's order is computed once per search (similarity_search.ranked_ids).
        similarity_search.ranked_ids(found)
        if getattr(idea_filter, "ranked", False)
        else found.values_list("pk", flat=True),
        PAGE_SIZE,
        tags=page_tags.list_tags(request),
        count_cap=COUNT_CAP,
    )
    narrowed = any(
        value for name, value in idea_filter.form.cleaned_data.items() if name != "sort"
    )
    if paginator.capped and not narrowed:
        # All ideas: the stored counts (a minute old at most) give the total, with its time.
        total = selectors.ideas_total()
        if total.data["total"] > COUNT_CAP:
            paginator.use_total(total.data["total"], total.computed_at)
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    chips = active_filters(idea_filter)
    partial = is_partial(request)
    response = render(
        request,
        "ideas/idea_list_results.html" if partial else "ideas/idea_list.html",
        {
            "partial": partial,  # the page's messages then come with the results
            "filter": idea_filter,
            "page": page,
            "cards": cards.cards_html(list(page.object_list)),
            "query": query.urlencode(),
            "active_filters": chips,
            "sort_label": sort_label(idea_filter),
            "filters_open": bool(idea_filter.errors),
        },
    )
    # Browsers and proxies must not give the page for the results or the other way round.
    patch_vary_headers(response, ["HX-Request"])
    return response


@cache_public_page(tags=lambda request, pk: (SITE, idea_tag(pk)))
def idea_detail(request, pk):
    """An idea's page; cached until it (or what every page shows) changes, not with others."""
    idea = selectors.idea_detail(pk=pk, user=request.user)
    if idea.duplicate_of_id:
        depends_on(idea_tag(idea.duplicate_of_id))  # its title and reference are shown
    return render(
        request,
        "ideas/idea_detail.html",
        {
            "idea": idea,
            "can_edit": permissions.can_edit_idea(request.user, idea),
            # The site's own address, not the request's Host: the page is cached for everyone.
            "share_url": settings.MITMACHEN_SITE_URL.rstrip("/") + idea.get_absolute_url(),
            # What other apps add to the page (the board's recommendation, measures).
            "sections": sections.render_sections(idea, request),
            "sections_end": sections.render_sections(idea, request, place="end"),
        },
    )


def _save(request, *, form: IdeaForm, call: Call, idea: Idea | None):
    """Save the form as a draft (or an edit); on "submit", submit it too. Answers a redirect,
    or None after adding the errors to the form."""
    try:
        idea = services.idea_save_draft(
            call=call,
            author=request.user,
            data=form.idea_data(),
            idea=idea,
            images=form.new_images(),
            remove_image_ids=form.removed_image_ids(),
            form_token=form.cleaned_data.get("form_token"),
        )
    except ValidationError as error:
        add_service_errors(form, error)
        return None
    except PermissionDenied as error:
        # The deadline passed while the form was open: say so, keep the text on screen.
        form.add_error(None, str(error))
        return None
    if form.intent != "submit" or not idea.is_draft:
        messages.success(request, _("Your idea has been saved."))
        return redirect(idea.get_absolute_url() if idea.is_public else "ideas:my-ideas")
    if request.POST.get("similar_seen") != "1":
        # Without JavaScript the similar ideas are a step before submitting (the draft is
        # saved, so nothing typed or uploaded is lost).
        similar = similar_views.suggestions_for(
            title=idea.title, body=f"{idea.summary} {idea.problem}", exclude_pk=idea.pk
        )
        if similar:
            form.instance = idea
            return _render_form(request, form, call, similar=similar)
    try:
        services.idea_submit(idea=idea, by=request.user)
    except PermissionDenied as error:
        form.instance = idea
        form.add_error(None, str(error))
        return None
    except ValidationError as error:
        # The draft is safe; what is missing is shown on the form.
        messages.warning(request, _("Your draft has been saved but not yet submitted."))
        form.instance = idea
        add_service_errors(form, error)
        return None
    return redirect("ideas:idea-submitted", pk=idea.pk)


@login_required
@write_limit
def idea_create(request, slug):
    call = get_object_or_404(Call.objects.published(), slug=slug)
    if not call.is_open():
        messages.error(request, _("This call is not open for ideas."))
        return redirect(call)
    form = IdeaForm(
        request.POST or None, request.FILES or None, intent=request.POST.get("intent", "save")
    )
    if request.method == "POST" and form.is_valid():
        response = _save(request, form=form, call=call, idea=None)
        if response is not None:
            return response
    return _render_form(request, form, call)


@login_required
@write_limit
def idea_edit(request, pk):
    idea = get_object_or_404(Idea.objects.select_related("call"), pk=pk, author=request.user)
    if not permissions.can_edit_idea(request.user, idea):
        messages.error(request, _("The deadline has passed: this idea can no longer be changed."))
        return redirect(idea)
    form = IdeaForm(
        request.POST or None,
        request.FILES or None,
        instance=idea,
        intent=request.POST.get("intent", "save"),
    )
    if request.method == "POST" and form.is_valid():
        response = _save(request, form=form, call=idea.call, idea=idea)
        if response is not None:
            return response
    return _render_form(request, form, idea.call)


def _render_form(request, form: IdeaForm, call: Call, *, similar=None):
    # After a failed submit the draft exists: the form then posts to its edit page.
    idea = form.instance if form.instance.pk else None
    if form.is_bound and form.errors:
        form.add_submit_errors()
    return render(
        request,
        "ideas/idea_form.html",
        {"form": form, "call": call, "idea": idea, "similar": similar},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def idea_submit(request, pk):
    idea = get_object_or_404(Idea, pk=pk, author=request.user)
    try:
        services.idea_submit(idea=idea, by=request.user)
    except PermissionDenied as error:
        messages.error(request, str(error))
        return redirect("ideas:my-ideas")
    except ValidationError:
        messages.error(
            request, _("Your idea is not complete yet. Please fill in the marked fields.")
        )
        return redirect("ideas:idea-edit", pk=idea.pk)
    return redirect("ideas:idea-submitted", pk=idea.pk)


@login_required
def idea_submitted(request, pk):
    idea = get_object_or_404(Idea.objects.select_related("call"), pk=pk, author=request.user)
    if idea.is_draft:
        return redirect("ideas:idea-edit", pk=idea.pk)
    return render(request, "ideas/idea_submitted.html", {"idea": idea})


@login_required
def idea_delete(request, pk):
    idea = get_object_or_404(Idea, pk=pk, author=request.user)
    if not permissions.can_delete_draft(request.user, idea):
        messages.error(request, _("Only drafts can be deleted."))
        return redirect(idea)
    if request.method == "POST":
        services.idea_delete_draft(idea=idea, by=request.user)
        messages.success(request, _("Your draft has been deleted."))
        return redirect("ideas:my-ideas")
    return render(request, "ideas/idea_confirm_delete.html", {"idea": idea})


@login_required
def my_ideas(request):
    paginator = Paginator(selectors.ideas_of_author(request.user), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    ideas = list(page.object_list)
    # Where each idea went (the measures app's note), for the whole page at once.
    notes = sections.notes_for(ideas)
    for idea in ideas:
        idea.notes = notes.get(idea.pk, "")
    return render(request, "ideas/my_ideas.html", {"page": page, "ideas": ideas, "query": ""})


# --- Subscribing to a call's news --------------------------------------------------------


@ratelimit(key="ip", rate="10/h", method="POST", block=True)
@require_POST
def call_subscribe(request, slug):
    call = get_object_or_404(Call.objects.published(), slug=slug)
    form = SubscribeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please enter a valid email address."))
        return redirect(call)
    notices_services.subscription_request(
        subject=call,
        email=form.cleaned_data["email"],
        user=request.user,
        language=translation.get_language() or "de",
    )
    # The same answer whether or not the address was known: no one learns who subscribed.
    messages.success(
        request,
        _("Please check your inbox: we have sent you a link to confirm your subscription."),
    )
    return redirect(call)
