from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from ideas.selectors import idea_list_public

from . import permissions, selectors
from .models import Measure

PAGE_SIZE = 20


def measure_list(request):
    paginator = Paginator(selectors.measures_public(), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request, "measures/measure_list.html", {"page": page, "measures": page.object_list}
    )


def measure_detail(request, slug):
    measure = get_object_or_404(Measure.objects.select_related("call"), slug=slug)
    if not permissions.can_view_measure(request.user, measure):
        raise Http404  # a measure in the making is as good as absent for the public
    return render(
        request,
        "measures/measure_detail.html",
        {"measure": measure, "ideas": idea_list_public().filter(measures=measure)},
    )
