"""The ideas app's permissions for templates: `{% if user|can_edit_idea:idea %}`."""

from django import template

from ideas import permissions

register = template.Library()


@register.filter
def can_edit_idea(user, idea) -> bool:
    return permissions.can_edit_idea(user, idea)


@register.filter
def can_delete_draft(user, idea) -> bool:
    return permissions.can_delete_draft(user, idea)
