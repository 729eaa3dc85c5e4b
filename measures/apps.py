from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from django.utils.translation import gettext_lazy as _

from halle_smartcity.page_cache import idea_tag, pages_changed, tags_bump


class MeasuresConfig(AppConfig):
    name = "measures"
    verbose_name = _("Measures")

    def ready(self):
        # Imported here, not at the top: apps.py is loaded before any model exists.
        from events.models import Registration

        from . import audit_actions, notices, personal_data, sections  # noqa: F401  (registrations)
        from .models import Invitation, Measure, MeasureIdea, MeasureUpdate, WorkshopResult

        # The idea pages show their measures; the measure pages are public too.
        post_save.connect(pages_changed, sender=Measure, dispatch_uid="pages-Measure")
        post_delete.connect(pages_changed, sender=Measure, dispatch_uid="pages-del-Measure")
        # Their updates, what the source ideas contributed and the workshops' results (on the
        # idea's page and the measure's) show there too.
        for model in (MeasureIdea, MeasureUpdate, WorkshopResult):
            post_save.connect(pages_changed, sender=model, dispatch_uid=f"pages-{model.__name__}")
            post_delete.connect(
                pages_changed, sender=model, dispatch_uid=f"pages-del-{model.__name__}"
            )
        m2m_changed.connect(
            pages_changed, sender=Measure.ideas.through, dispatch_uid="pages-m2m-measure-ideas"
        )
        # An idea's path shows the workshop its giver attended (an accepted invitation). A
        # registration's invitations lose it when it is deleted: before, they still name it.
        post_save.connect(invitation_changed, sender=Invitation, dispatch_uid="pages-Invitation")
        post_delete.connect(
            invitation_changed, sender=Invitation, dispatch_uid="pages-del-Invitation"
        )
        post_save.connect(
            registration_changed, sender=Registration, dispatch_uid="pages-Registration"
        )
        pre_delete.connect(
            registration_changed, sender=Registration, dispatch_uid="pages-del-Registration"
        )


def invitation_changed(*, instance, **kwargs) -> None:
    tags_bump(idea_tag(instance.idea_id))


def registration_changed(*, instance, update_fields=None, **kwargs) -> None:
    """Attendance recorded: the path of the ideas whose givers were invited with it."""
    if update_fields is not None and "attended" not in update_fields:
        return
    from .models import Invitation

    ideas = Invitation.objects.filter(registration_id=instance.pk).values_list(
        "idea_id", flat=True
    )
    tags_bump(*[idea_tag(pk) for pk in ideas])
