"""The append-only access log (in the style of NEN 7513).

Rows are never updated or deleted: database triggers refuse it on PostgreSQL and SQLite, and every row
carries the hash of the previous row of its chain, so ``waardewerk audit verify`` finds an altered or
removed row. The log is several chains side by side (``chain``; docs/security.md, "Audit trail"), so
concurrent writers each append to their own chain instead of waiting for one lock.
The row stores names and public ids as they were, not foreign keys, so it stays readable when users or
clients change, and never blocks a deletion elsewhere.
"""

from django.apps import apps
from django.db import models
from django.db.models.functions import Upper
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from waardewerk.accounts.models import Role


class AuditAction(models.TextChoices):
    VIEW = "view", _("View")
    SEARCH = "search", _("Search")
    CREATE = "create", _("Create")
    CHANGE = "change", _("Change")
    EXPORT = "export", _("Export")
    PRINT = "print", _("Print")
    DELETE = "delete", _("Delete")


class AccessEvent(models.Model):
    at = models.DateTimeField(_("when (UTC)"))
    actor_id = models.BigIntegerField(_("user id"), null=True)
    actor_username = models.CharField(_("user"), max_length=150, blank=True)
    actor_role = models.CharField(_("role"), max_length=40, blank=True)
    on_behalf_of = models.CharField(_("on behalf of"), max_length=200, blank=True)
    client_uuid = models.UUIDField(_("client"), null=True, blank=True)
    object_type = models.CharField(_("object type"), max_length=60, blank=True)
    object_uuid = models.UUIDField(_("object"), null=True, blank=True)
    action = models.CharField(_("action"), max_length=20, choices=AuditAction.choices)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    request_id = models.CharField(_("request id"), max_length=64, blank=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    # Set on the opening of an emergency access and on every read under one (docs/authorization.md): the
    # public id of that emergency access. Part of the hash when set.
    emergency_access = models.UUIDField(_("emergency access"), null=True, blank=True)
    # The chain this row belongs to (0: the chain of the rows written before there were several). Part of the
    # hash when not 0, so the rows of chain 0 keep their hash.
    chain = models.PositiveSmallIntegerField(_("chain"), default=0)
    prev_hash = models.CharField(max_length=64)
    # Unique by a constraint, not ``unique=True``: on PostgreSQL that would add a second index on the column
    # for LIKE searches, which nothing does, and every append would update it.
    hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("access event")
        verbose_name_plural = _("access events")
        ordering = ["-id"]
        constraints = [
            # One successor per row: two writers that read the same last row of a chain cannot both append
            # after it (the chain never forks); the one that loses reads the new last row and tries again.
            models.UniqueConstraint(fields=["chain", "prev_hash"], name="audit_chain_link_unique"),
            models.UniqueConstraint(fields=["hash"], name="audit_hash_unique"),
        ]
        indexes = [
            # The last row of a chain (each append), and a chain in order.
            models.Index(fields=["chain", "id"], name="audit_chain_idx"),
            models.Index(fields=["client_uuid", "at"], name="audit_client_idx"),
            models.Index(fields=["actor_id", "at"], name="audit_actor_idx"),
            models.Index(fields=["at"], name="audit_at_idx"),
            # The log page's user filter (actor_username__iexact, UPPER(...) = UPPER(...) on PostgreSQL).
            models.Index(Upper("actor_username"), name="audit_username_idx"),
            # The log page's "emergency access only" filter: a small partial index.
            models.Index(
                fields=["emergency_access", "at"],
                name="audit_emergency_idx",
                condition=models.Q(emergency_access__isnull=False),
            ),
        ]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.actor_username} {self.action} {self.object_type}"

    @property
    def object_type_label(self) -> str:
        """What was read or changed, in words ("Toestemming"): the model's name for ``app.model``; another
        kind of object (a search, a page) stays as it was recorded."""
        try:
            model = apps.get_model(self.object_type)
        except (LookupError, ValueError):
            return self.object_type
        return capfirst(model._meta.verbose_name)

    @property
    def actor_role_label(self) -> str:
        """The role as people read it ("Teamleider"), never its key; a key no longer known stays as it is."""
        if self.actor_role == "client":
            return str(_("Client"))
        if self.actor_role == "application":
            return str(_("Application (API)"))
        return str(dict(Role.choices).get(self.actor_role, self.actor_role))


class CheckpointReason(models.TextChoices):
    SCHEDULE = "schedule", _("Schedule")
    EXPORT = "export", _("Export")


class AuditCheckpoint(models.Model):
    """A signed statement of the chains' heads: "at this moment the log had ``row_count`` rows, the last
    being row ``last_id`` with hash ``last_hash``; chain by chain (``heads``) its last row, that row's hash
    and the chain's number of rows". The signature is an HMAC under a key kept outside the database
    (``audit.keys``), so someone who removes rows from the end of a chain cannot write a matching
    checkpoint. Checkpoints chain like the rows (``prev_signature``) and are append-only too. Checkpoints
    written while the log was one chain have no ``heads``: theirs is chain 0."""

    at = models.DateTimeField(_("when (UTC)"))
    last_id = models.BigIntegerField(_("last row"))
    last_hash = models.CharField(_("hash of the last row"), max_length=64)
    row_count = models.BigIntegerField(_("rows"))
    reason = models.CharField(_("reason"), max_length=20, choices=CheckpointReason.choices)
    # {"<chain>": [last id, last hash, rows in the chain]}; empty on checkpoints of the one-chain log.
    heads = models.JSONField(_("heads of the chains"), default=dict, blank=True)
    prev_signature = models.CharField(max_length=64, blank=True)
    key_id = models.CharField(max_length=16)
    signature = models.CharField(max_length=64, unique=True)

    class Meta:
        verbose_name = _("checkpoint of the access log")
        verbose_name_plural = _("checkpoints of the access log")
        ordering = ["-id"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M:%S} row {self.last_id}"
