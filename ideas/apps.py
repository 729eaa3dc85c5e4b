from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.translation import gettext_lazy as _

from halle_smartcity.page_cache import IDEAS, idea_tag, pages_changed, tags_bump


class IdeasConfig(AppConfig):
    name = "ideas"
    verbose_name = _("Ideas")

    def ready(self):
        # Imported here, not at the top: apps.py is loaded before any model exists.
        from fields.models import ActionField, District, Quarter

        # Registrations with the audit log, the outbox and the personal data registry.
        from . import audit_actions, models, notices, personal_data  # noqa: F401

        # Cached public pages go stale with a change to what they show: calls, fields and
        # quarters are on every page; an idea only on its own page and in the lists.
        for model in (ActionField, District, Quarter, models.Call, models.CallExtension):
            post_save.connect(pages_changed, sender=model, dispatch_uid=f"pages-{model.__name__}")
            post_delete.connect(
                pages_changed, sender=model, dispatch_uid=f"pages-del-{model.__name__}"
            )
        for name, signal in (("save", post_save), ("delete", post_delete)):
            signal.connect(idea_changed, sender=models.Idea, dispatch_uid=f"pages-idea-{name}")
            signal.connect(
                image_changed, sender=models.IdeaImage, dispatch_uid=f"pages-image-{name}"
            )
        for relation in (models.Idea.action_fields.through, models.Idea.quarters.through):
            m2m_changed.connect(
                tags_changed, sender=relation, dispatch_uid=f"pages-m2m-{relation.__name__}"
            )


def idea_changed(*, instance, **kwargs) -> None:
    from .models import Status

    # A draft is on no public page (and no public idea goes back to being a draft).
    if instance.status == Status.DRAFT:
        tags_bump(idea_tag(instance.pk))
    else:
        tags_bump(idea_tag(instance.pk), IDEAS)


def image_changed(*, instance, **kwargs) -> None:
    tags_bump(idea_tag(instance.idea_id), IDEAS)


def tags_changed(*, instance, action, reverse, **kwargs) -> None:
    if not action.startswith("post_"):
        return
    if reverse:
        # A field's or quarter's ideas changed: which ones is not worth a query.
        pages_changed()
    else:
        idea_changed(instance=instance)
