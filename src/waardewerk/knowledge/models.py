"""The conversation guide as versioned content.

A guide file (see docs/conversation-guide.md) is loaded into a ``GuideVersion`` (versioned content:
``core.models.ContentItem``/``ContentVersion``, the rules in ``core.content_versions``); the functional
administrator's edits each create a new version too, with who made it and why. A version is never changed
afterwards: a conversation points at the version it was held with (``Conversation.guide_version``) and
keeps the keys of the topics that were covered, so a newer guide never changes what was recorded.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from waardewerk.core.models import ContentItem, ContentVersion


class ConversationGuide(ContentItem):
    """The installation's conversation guide; ``current`` is its highest version."""

    current = models.ForeignKey(
        "GuideVersion",
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("current version"),
    )

    class Meta:
        verbose_name = _("conversation guide")
        verbose_name_plural = _("conversation guides")
        ordering = ["pk"]


class GuideVersion(ContentVersion):
    item_field = "guide"

    guide = models.ForeignKey(ConversationGuide, on_delete=models.PROTECT, related_name="versions")

    class Meta:
        verbose_name = _("conversation guide version")
        verbose_name_plural = _("conversation guide versions")
        ordering = ["guide", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["guide", "version"], name="guideversion_unique"),
        ]
