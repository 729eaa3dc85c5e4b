"""What an idea's public page shows of measures (ideas.sections): the idea's path from
submission to its measure's implementation, and the measures it is part of."""

from django.core.cache import cache
from django.template.loader import render_to_string

from halle_smartcity.page_cache import IDEAS, SITE, tag_versions
from ideas import sections

from .selectors import idea_page, ideas_in_measures_per_field, where_ideas_went

# The three sections below share their reads (`idea_page`, once per page).


def _measures(idea) -> dict | None:
    measures = idea_page(idea).measures
    return {"measures": measures} if measures else None


def _path(idea) -> dict | None:
    if idea.submitted_at is None:
        return None  # a draft has no path yet
    return {"steps": idea_page(idea).steps}


sections.register(
    sections.Section(
        name="path",
        template="measures/includes/idea_path.html",
        context=_path,
        order=55,
    )
)


def _workshops(idea) -> dict | None:
    results = idea_page(idea).results
    return {"results": results} if results else None


sections.register(
    sections.Section(
        name="workshops",
        template="measures/includes/idea_workshops.html",
        context=_workshops,
        order=57,
    )
)
sections.register(
    sections.Section(
        name="measures",
        template="measures/includes/idea_measures.html",
        context=_measures,
        order=60,
    )
)


def _where_went(ideas) -> dict:
    went = where_ideas_went(ideas)
    return {
        pk: render_to_string("measures/includes/idea_went.html", {"measures": measures})
        for pk, measures in went.items()
    }


sections.register_note("measures", _where_went)


def _statistics(call, request) -> str:
    # Counted again only when measures or public ideas changed (the page cache's tags).
    versions = tag_versions([SITE, IDEAS])
    key = f"measures:statistics:{call.pk if call else 'all'}:{versions[SITE]}:{versions[IDEAS]}"
    counted = cache.get(key)
    if counted is None:
        counted = ideas_in_measures_per_field(call)
        cache.set(key, counted, STATISTICS_SECONDS)
    total, fields = counted
    return render_to_string(
        "measures/includes/statistics_panel.html", {"total": total, "fields": fields}, request
    )


STATISTICS_SECONDS = 3600

sections.register_statistics("measures", _statistics)
