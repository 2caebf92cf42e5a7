"""The conversation guide and the knowledge base, as versioned content.

A guide file (see docs/conversation-guide.md) is loaded into a ``GuideVersion`` (versioned content:
``core.models.ContentItem``/``ContentVersion``, the rules in ``core.content_versions``); the functional
administrator's edits each create a new version too, with who made it and why. A version is never changed
afterwards: a conversation points at the version it was held with (``Conversation.guide_version``) and
keeps the keys of the topics that were covered, so a newer guide never changes what was recorded.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from waardewerk.core.models import ContentItem, ContentVersion

# The recognition levels live with the plan (a lower layer), which reads them back from its choices.
from waardewerk.trajectories.models import Recognition

__all__ = [
    "ConversationGuide",
    "PrincipleSet",
    "PrincipleSetVersion",
    "EntryKind",
    "EntryStatus",
    "EntryVersion",
    "GuideVersion",
    "KnowledgeEntry",
    "PlanChoiceEntry",
    "Recognition",
]


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


# Guiding principles ----------------------------------------------------------------------------------------
# One list per installation (``knowledge.principles``, docs/knowledge.md): versioned content like the guide. A
# conversation points at the version its principles were ticked from (``Conversation.principles_version``).


class PrincipleSet(ContentItem):
    """The installation's list of guiding principles; ``current`` is its highest version."""

    current = models.ForeignKey(
        "PrincipleSetVersion",
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("current version"),
    )

    class Meta:
        verbose_name = _("guiding principles")
        verbose_name_plural = _("guiding principles")
        ordering = ["pk"]


class PrincipleSetVersion(ContentVersion):
    item_field = "principle_set"

    principle_set = models.ForeignKey(PrincipleSet, on_delete=models.PROTECT, related_name="versions")

    class Meta:
        verbose_name = _("guiding principles version")
        verbose_name_plural = _("guiding principles versions")
        ordering = ["principle_set", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["principle_set", "version"], name="principlesetversion_unique"),
        ]


# The knowledge base -----------------------------------------------------------------------------------------
# An entry (an intervention, a method or a local practice method) is versioned content like the guide: its
# fields live in the version's ``definition`` (checked by ``knowledge.entry``; docs/knowledge.md), every
# change is a new version with its reason. The item keeps the review state and a few columns copied from
# the current version so lists can be filtered in the database.


class EntryKind(models.TextChoices):
    """What an entry describes. A local practice method ("eigen praktijkmethode") is a kind of its own:
    a method developed and used here, never a recognition level."""

    INTERVENTION = "intervention", _("Intervention")
    METHOD = "method", _("Method")
    LOCAL_PRACTICE = "local_practice", _("Local practice method")


class EntryStatus(models.TextChoices):
    """Where an entry is in review. Only a published entry can be chosen in a plan."""

    PROPOSED = "proposed", pgettext_lazy("entry status", "Proposed, awaiting review")
    RETURNED = "returned", pgettext_lazy("entry status", "Returned with remarks")
    PUBLISHED = "published", pgettext_lazy("entry status", "Published")
    WITHDRAWN = "withdrawn", pgettext_lazy("entry status", "Withdrawn")


class KnowledgeEntry(ContentItem):
    """One entry of the knowledge base; ``current`` is its highest version, ``published`` the version plans
    choose (the same as ``current`` once the editor published it)."""

    current = models.ForeignKey(
        "EntryVersion",
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("current version"),
    )
    published = models.ForeignKey(
        "EntryVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published version"),
    )
    # Empty for an entry of the whole installation (the starter set, national interventions); set for an
    # organisation's own entry (a local practice method), which only that organisation sees.
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=EntryStatus.choices, default=EntryStatus.PUBLISHED
    )
    # Copied from the current version's definition (the services keep them equal).
    name = models.CharField(_("name"), max_length=200, blank=True)
    kind = models.CharField(
        _("kind"), max_length=20, choices=EntryKind.choices, default=EntryKind.INTERVENTION
    )
    recognition = models.CharField(
        _("recognition"), max_length=30, choices=Recognition.choices, default=Recognition.NOT_ASSESSED
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("proposed by"),
    )
    review_remarks = models.TextField(_("review remarks"), blank=True, max_length=2000)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("knowledge entry")
        verbose_name_plural = _("knowledge entries")
        ordering = ["name", "pk"]
        indexes = [
            models.Index(fields=["status", "organisation", "name"], name="kentry_status_idx"),
        ]


class EntryVersion(ContentVersion):
    item_field = "entry"

    entry = models.ForeignKey(KnowledgeEntry, on_delete=models.PROTECT, related_name="versions")

    class Meta:
        verbose_name = _("knowledge entry version")
        verbose_name_plural = _("knowledge entry versions")
        ordering = ["entry", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["entry", "version"], name="entryversion_unique"),
        ]


class PlanChoiceEntry(models.Model):
    """A plan choice that picked a knowledge-base entry: one row per plan version and choice, written with
    the plan version (its encrypted content names the entry too). Figures on "what worked here" count
    these rows; ``chosen_at`` is when the trajectory's choice first picked this entry, kept from version to
    version while the choice keeps the entry."""

    plan_version = models.ForeignKey(
        "trajectories.PlanVersion", on_delete=models.CASCADE, related_name="entry_choices"
    )
    trajectory = models.ForeignKey(
        "trajectories.Trajectory", on_delete=models.CASCADE, related_name="entry_choices"
    )
    choice_key = models.CharField(_("choice"), max_length=40)
    entry = models.ForeignKey(
        KnowledgeEntry, on_delete=models.PROTECT, related_name="plan_choices", verbose_name=_("entry")
    )
    entry_version = models.ForeignKey(
        EntryVersion, on_delete=models.PROTECT, related_name="+", verbose_name=_("entry version")
    )
    recognition = models.CharField(_("recognition"), max_length=30, choices=Recognition.choices)
    chosen_at = models.DateTimeField(_("chosen at"))

    class Meta:
        verbose_name = _("plan choice of an entry")
        verbose_name_plural = _("plan choices of entries")
        ordering = ["plan_version", "choice_key"]
        constraints = [
            models.UniqueConstraint(fields=["plan_version", "choice_key"], name="planchoiceentry_unique"),
        ]
        indexes = [
            models.Index(fields=["entry", "trajectory"], name="planchoiceentry_entry_idx"),
        ]

    def __str__(self):
        return f"{self.choice_key}: {self.entry_id}"
