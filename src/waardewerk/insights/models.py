"""Precomputed figures of "what worked here" (docs/practice-evidence.md).

One row per organisation holds the figures of every knowledge-base entry chosen there, already suppressed
(``insights.suppression``): no cell below *k* is ever stored. ``computed_at`` is shown on the pages; the
figures are computed again by ``waardewerk insights compute`` or on the first view after they are
``INSIGHTS_MAX_AGE_HOURS`` old, or when *k* or the calculation changed (``min_cell_size``, ``method``).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class EvidenceSnapshot(models.Model):
    organisation = models.OneToOneField(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="+", verbose_name=_("organisation")
    )
    computed_at = models.DateTimeField(_("computed at"))
    min_cell_size = models.PositiveSmallIntegerField(_("smallest group shown"))
    method = models.PositiveSmallIntegerField(_("version of the calculation"))
    seconds = models.FloatField(_("computation time (s)"), default=0)
    figures = models.JSONField(_("figures"), default=dict)

    class Meta:
        verbose_name = _("practice-evidence figures")
        verbose_name_plural = _("practice-evidence figures")

    def __str__(self):
        return f"{self.organisation_id} {self.computed_at:%Y-%m-%d %H:%M}"
