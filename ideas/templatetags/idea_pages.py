"""Helpers of the public idea pages: what a status means, the list's active filters."""

import hashlib

from django import template
from django.template.loader import get_template
from django.utils.safestring import mark_safe

from halle_smartcity.page_cache import SITE, fragment
from ideas.filters import canonical_query
from ideas.status_texts import StatusText, status_text

register = template.Library()

TEMPLATE = "ideas/includes/idea_filter_form.html"


@register.filter
def status_explained(idea) -> StatusText | None:
    """`{% with text=idea|status_explained %}{{ text.meaning }} {{ text.next_step }}`."""
    return status_text(idea.status)


@register.simple_tag(takes_context=True)
def filter_form(context, idea_filter, action: str, *, swap: bool = False, hide_sort: bool = False):
    """The list's filter form (ideas/includes/idea_filter_form.html), rendered once per
    filtering and language until a call, field or quarter changes (its choices): the pages
    of one filtering, and its list and map, share it. A form with errors renders each time."""
    values = {
        "filter": idea_filter,
        "filter_action": action,
        "swap": swap,
        "hide_sort": hide_sort,
    }

    def render() -> str:
        return get_template(TEMPLATE).render(values, context.get("request"))

    if idea_filter.errors:
        return render()
    data = canonical_query(idea_filter.data)
    data.pop("page", None)
    fingerprint = f"{action}|{swap}|{hide_sort}|{data.urlencode()}"
    digest = hashlib.sha256(fingerprint.encode()).hexdigest()
    return mark_safe(fragment("idea-filter-form", [digest], (SITE,), render))  # noqa: S308
