from django.db import models
from django.utils.translation import gettext_lazy as _


class CountSnapshot(models.Model):
    """The counts of published ideas for one scope (one call, or all published calls), as the
    home page, the statistics page and the open-data API show them. Recomputed as a whole by
    `ideas.counts.counts_refresh` (a periodic task), so that no request counts all ideas; the
    pages show `computed_at` with the numbers."""

    scope = models.CharField(_("scope"), max_length=32, unique=True)
    data = models.JSONField(_("counts"), default=dict)
    computed_at = models.DateTimeField(_("counted at"))

    class Meta:
        verbose_name = _("count snapshot")
        verbose_name_plural = _("count snapshots")

    def __str__(self):
        return self.scope
