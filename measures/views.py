from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from ideas.selectors import idea_list_public

from . import selectors

PAGE_SIZE = 20


def measure_list(request):
    paginator = Paginator(selectors.measures_public(), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request, "measures/measure_list.html", {"page": page, "measures": page.object_list}
    )


def measure_detail(request, slug):
    measure = get_object_or_404(selectors.measures_public(), slug=slug)
    return render(
        request,
        "measures/measure_detail.html",
        {"measure": measure, "ideas": idea_list_public().filter(measures=measure)},
    )
