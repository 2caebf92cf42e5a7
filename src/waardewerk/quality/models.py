"""Precomputed team quality figures (docs/quality.md).

One row per organisation (``QualitySnapshot``) holds what every page needs (the quarters, the measures of
change, the principles) and one row per scope (``QualityScope``: the organisation, each team, each
professional) its figures per quarter, already suppressed (``insights.suppression``): no figure about fewer
than *k* trajectories is stored. A page reads the snapshot and the few scopes it shows.
``computed_at`` is shown on the pages; the figures are computed again by ``waardewerk quality compute``, or on
the first view after they are ``QUALITY_MAX_AGE_HOURS`` old, or when *k* or the calculation changed.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class QualitySnapshot(models.Model):
    organisation = models.OneToOneField(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="+", verbose_name=_("organisation")
    )
    computed_at = models.DateTimeField(_("computed at"))
    min_cell_size = models.PositiveSmallIntegerField(_("smallest group shown"))
    method = models.PositiveSmallIntegerField(_("version of the calculation"))
    seconds = models.FloatField(_("computation time (s)"), default=0)
    figures = models.JSONField(_("figures"), default=dict)

    class Meta:
        verbose_name = _("team quality figures")
        verbose_name_plural = _("team quality figures")

    def __str__(self):
        return f"{self.organisation_id} {self.computed_at:%Y-%m-%d %H:%M}"


class QualityScope(models.Model):
    """The figures of one scope (``org``, ``team:<id>``, ``pro:<id>``) per quarter, of one snapshot."""

    snapshot = models.ForeignKey(QualitySnapshot, on_delete=models.CASCADE, related_name="scopes")
    scope = models.CharField(_("scope"), max_length=40)
    figures = models.JSONField(_("figures"), default=dict)

    class Meta:
        verbose_name = _("team quality figures of a scope")
        verbose_name_plural = _("team quality figures of scopes")
        constraints = [
            models.UniqueConstraint(fields=["snapshot", "scope"], name="qualityscope_unique"),
        ]

    def __str__(self):
        return self.scope
