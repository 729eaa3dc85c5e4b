from django.db import models
from django.utils.translation import gettext_lazy as _

from .call import Call
from .idea import Idea


class IdeaTerms(models.Model):
    """An idea's text as the German analysis sees it (`ideas/similarity.py`), kept when the
    idea is saved so that suggestions and search never analyse stored ideas per request.

    `terms`: the stemmed words and compound parts, space-separated; on PostgreSQL a GIN index
    over `to_tsvector('simple', terms)` finds the candidates (migration 0020). `vector`: the
    weighted features the candidates are scored by."""

    idea = models.OneToOneField(
        Idea, on_delete=models.CASCADE, primary_key=True, related_name="terms"
    )
    # The idea's call (it never changes): the editors' suggestions stay within one call
    # without a join in the candidates' query.
    call = models.ForeignKey(
        Call, on_delete=models.CASCADE, related_name="+", db_constraint=False, db_index=False
    )
    terms = models.TextField(_("terms"), blank=True)
    vector = models.JSONField(_("features"), default=dict)
    # The idea's updated_at this row was computed from: a newer idea is analysed again.
    source_updated_at = models.DateTimeField(null=True)

    class Meta:
        verbose_name = _("terms of an idea")
        verbose_name_plural = _("terms of ideas")

    def __str__(self):
        return str(self.idea_id)
