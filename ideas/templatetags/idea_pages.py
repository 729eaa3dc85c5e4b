"""Helpers of the public idea pages: what a status means, the list's active filters."""

from django import template

from ideas.status_texts import StatusText, status_text

register = template.Library()


@register.filter
def status_explained(idea) -> StatusText | None:
    """`{% with text=idea|status_explained %}{{ text.meaning }} {{ text.next_step }}`."""
    return status_text(idea.status)
