from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from ideas.selectors import idea_list_public

from . import permissions, selectors
from .filters import MeasureFilter
from .models import Measure, MeasureIdea

PAGE_SIZE = 20


def measure_filter_from(request) -> MeasureFilter:
    queryset = selectors.measures_public().prefetch_related("action_fields", "quarters")
    measure_filter = MeasureFilter(request.GET, queryset=queryset)
    if not measure_filter.is_valid():
        # Drop only what was not understood; keep the rest of the user's filters.
        messages.error(request, _("Some filters were not understood and have been ignored."))
        data = request.GET.copy()
        for name in measure_filter.errors:
            data.pop(name, None)
        measure_filter = MeasureFilter(data, queryset=queryset)
    return measure_filter


def measure_list(request):
    measure_filter = measure_filter_from(request)
    paginator = Paginator(measure_filter.qs, PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "measures/measure_list.html",
        {"filter": measure_filter, "page": page, "measures": page.object_list},
    )


def measure_detail(request, slug):
    measure = get_object_or_404(
        Measure.objects.select_related("call").prefetch_related(
            "action_fields", "quarters", "milestones", "indicators", "updates"
        ),
        slug=slug,
    )
    if not permissions.can_view_measure(request.user, measure):
        raise Http404  # a measure in the making is as good as absent for the public
    ideas = list(
        idea_list_public()
        .filter(measures=measure)
        .prefetch_related(
            Prefetch(
                "measure_sources",
                queryset=MeasureIdea.objects.filter(measure=measure),
                to_attr="this_measure",
            )
        )
    )
    for idea in ideas:
        idea.contribution = idea.this_measure[0].contribution if idea.this_measure else ""
    return render(
        request,
        "measures/measure_detail.html",
        {
            "measure": measure,
            "ideas": ideas,
            "workshops": selectors.workshop_results_of_measure(measure),
        },
    )


def measure_annex(request):
    """The strategy's annex: every public measure with its profile and source ideas, to
    print (the print stylesheet makes the PDF)."""
    return render(
        request, "measures/measure_annex.html", {"measures": list(selectors.measures_annex())}
    )
