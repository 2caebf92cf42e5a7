"""The start page's own data: which signals a professional marked as handled (docs/workday.md)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class HandledSignal(models.Model):
    """A signal of the start page that a professional marked as handled: by whom and when. ``key`` names the
    occurrence (``core.worksignals.occurrence``), so a new occurrence of the same thing shows again. Undoing
    the mark removes the row (the access log keeps both)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("handled by")
    )
    kind = models.CharField(_("kind of signal"), max_length=40)
    key = models.CharField(_("occurrence"), max_length=100)
    handled_at = models.DateTimeField(_("handled at"), default=timezone.now)

    class Meta:
        verbose_name = _("handled signal")
        verbose_name_plural = _("handled signals")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind", "key"], name="handledsignal_unique"),
        ]

    def __str__(self):
        return f"{self.kind} {self.key}"
