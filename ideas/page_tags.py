"""Which cached public pages a change to an idea makes stale (halle_smartcity/page_cache.py):
its own page, the list of all ideas, and the lists filtered to its call, its action fields
and its quarters. A new idea in Neustadt leaves the list filtered to Altstadt cached."""

import re
from collections.abc import Iterable

from django.db.models.signals import m2m_changed, post_delete, post_save

from fields.models import ActionField, District, Quarter
from halle_smartcity.page_cache import IDEAS, SITE, idea_tag, pages_changed, tags_bump

from .models import Call, CallExtension, Idea, IdeaImage, Status

# The list's filters that narrow it to one call, field or quarter, most selective first, and
# the field by which the filter names its object.
FILTERS = (("quarter", Quarter, "code"), ("field", ActionField, "slug"), ("call", None, "slug"))
# What a slug or code may look like (80: the longest); anything else matches no object.
VALUE = re.compile(r"[A-Za-z0-9_.-]{1,80}")


def list_tag(name: str, value: str) -> str:
    return f"ideas:{name}:{value}"


def list_tags_of(name: str, values: Iterable[str]) -> list[str]:
    """The tags of the lists filtered to each value. A value no URL can ask for (see VALUE)
    has no list of its own: such a list is served under the tag of all ideas."""
    return [list_tag(name, value) for value in values if VALUE.fullmatch(value)]


def list_tags(request, **kwargs) -> tuple[str, ...]:
    """The tags of a list or map page: only the list of its most selective filter (every idea
    it shows is in it), or of all ideas."""
    for name, _model, _to_field in FILTERS:
        value = request.GET.get(name, "")
        if VALUE.fullmatch(value):
            return (SITE, list_tag(name, value))
    return (SITE, IDEAS)


def _tags_of(model, pks: Iterable[int]) -> list[str]:
    name, to_field = next((n, f) for n, m, f in FILTERS if m is model)
    values = model.objects.filter(pk__in=pks).values_list(to_field, flat=True)
    return list_tags_of(name, values)


def idea_tags(idea: Idea) -> list[str]:
    """What shows a public idea: its page and the lists it is in (two or three queries)."""
    tags = [idea_tag(idea.pk), IDEAS, *list_tags_of("call", [idea.call.slug])]
    tags += list_tags_of("field", idea.action_fields.values_list("slug", flat=True))
    tags += list_tags_of("quarter", idea.quarters.values_list("code", flat=True))
    return tags


def idea_saved(*, instance: Idea, **kwargs) -> None:
    # A draft is on no public page (and no public idea goes back to being a draft).
    if instance.status == Status.DRAFT:
        tags_bump(idea_tag(instance.pk))
    else:
        tags_bump(*idea_tags(instance))


def idea_deleted(*, instance: Idea, **kwargs) -> None:
    if instance.status == Status.DRAFT:
        tags_bump(idea_tag(instance.pk))
    else:
        # Its fields and quarters are gone with it: which lists showed it is not known.
        pages_changed()


def image_changed(*, instance: IdeaImage, **kwargs) -> None:
    # The first image is the thumbnail on the lists' cards.
    idea = Idea.objects.filter(pk=instance.idea_id).select_related("call").first()
    if idea is None:
        tags_bump(idea_tag(instance.idea_id))
    else:
        idea_saved(instance=idea)


def tags_changed(*, instance, action, reverse, model, pk_set, **kwargs) -> None:
    """An idea's fields or quarters changed: the lists of the old ones and of the new."""
    if action not in ("post_add", "post_remove", "pre_clear"):
        return
    if reverse:
        # A field's or quarter's ideas changed (not done by any screen): everything.
        pages_changed()
    elif instance.status != Status.DRAFT:
        # pre_clear: the current ones are the old ones; post_remove: the removed in pk_set.
        tags_bump(*idea_tags(instance), *_tags_of(model, pk_set or ()))


def connect() -> None:
    # Calls, fields and quarters are named on every page (the filters, the cards).
    for model in (ActionField, District, Quarter, Call, CallExtension):
        post_save.connect(pages_changed, sender=model, dispatch_uid=f"pages-{model.__name__}")
        post_delete.connect(
            pages_changed, sender=model, dispatch_uid=f"pages-del-{model.__name__}"
        )
    post_save.connect(idea_saved, sender=Idea, dispatch_uid="pages-idea-save")
    post_delete.connect(idea_deleted, sender=Idea, dispatch_uid="pages-idea-delete")
    post_save.connect(image_changed, sender=IdeaImage, dispatch_uid="pages-image-save")
    post_delete.connect(image_changed, sender=IdeaImage, dispatch_uid="pages-image-delete")
    for relation in (Idea.action_fields.through, Idea.quarters.through):
        m2m_changed.connect(
            tags_changed, sender=relation, dispatch_uid=f"pages-m2m-{relation.__name__}"
        )
