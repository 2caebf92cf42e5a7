"""The conversation guide as versioned content.

A guide file (see docs/conversation-guide.md) is loaded into a ``GuideVersion``; the functional
administrator's edits each create a new version too, with who made it and why. A version is never changed
afterwards: a conversation points at the version it was held with (``Conversation.guide_version``) and
keeps the keys of the topics that were covered, so a newer guide never changes what was recorded.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ConversationGuide(models.Model):
    """The installation's conversation guide; ``current`` is its highest version."""

    key = models.SlugField(_("key"), max_length=60, unique=True)
    current = models.ForeignKey(
        "GuideVersion",
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("current version"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("conversation guide")
        verbose_name_plural = _("conversation guides")
        ordering = ["pk"]

    def __str__(self):
        return self.key


class GuideVersion(models.Model):
    guide = models.ForeignKey(ConversationGuide, on_delete=models.PROTECT, related_name="versions")
    version = models.PositiveIntegerField(_("version"))
    definition = models.JSONField(_("definition"))
    checksum = models.CharField(_("checksum"), max_length=64)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("changed by"),
    )
    note = models.CharField(_("what changed and why"), max_length=500, blank=True)
    source_file = models.CharField(_("file"), max_length=300, blank=True)
    # Who loaded a file ("waardewerk" for the shipped guide, "command line"); empty for an edit on the page.
    loaded_by = models.CharField(_("loaded by"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("conversation guide version")
        verbose_name_plural = _("conversation guide versions")
        ordering = ["guide", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["guide", "version"], name="guideversion_unique"),
        ]

    def __str__(self):
        return f"{self.guide.key} v{self.version}"

    @property
    def is_edit(self) -> bool:
        return not self.loaded_by
