"""The versioning rules every kind of content shares: instrument definitions, the conversation guide, and
the knowledge base, intervision methods, guiding principles and review checkpoints that follow them.

A kind of content is two models (``core.models.ContentItem`` and ``ContentVersion``), a checker for its
files (``core.content``), and a ``ContentStore`` subclass that names them. The store keeps the rules:

- a version is stored once and never changed: loading the same version with the same content again is a
  no-op; the same version with other content is refused ("give it a higher version");
- every version is kept (the history); the highest version is the current one, so loading an older file
  adds it to the history without making it current;
- a kind with ``single = True`` has one item per installation (the conversation guide): a file with
  another key is refused;
- the files shipped with the release are loaded after ``migrate`` (``after_migrate``); a kind with
  ``protect_local_changes = True`` does not load a newer shipped version over one the organisation made
  itself (an edit or a file of its own): a warning names the command that loads it on purpose;
- an edit on a page (``edit``) starts from the version the editor saw: when someone stored a newer one
  meanwhile the edit is refused (``ConcurrentEditError``); it needs a note (what changed and why), is
  checked with the same rules as a file and becomes the next version.

The store checks no permission and writes no audit event: the app's services do, around these calls.
"""

from __future__ import annotations

import copy
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connections, transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from waardewerk.core.content import ContentError, checksum, load_text
from waardewerk.core.exceptions import ConcurrentEditError
from waardewerk.core.models import ContentItem, ContentVersion

logger = logging.getLogger(__name__)

SHIPPED = "waardewerk"  # ``loaded_by`` of the files shipped with the release
UNKNOWN_LOADER = "unknown"


@dataclass(frozen=True)
class LoadResult:
    version: ContentVersion
    created: bool


class ContentStore:
    """Stores and reads the versions of one kind of content. Subclass it, set the class attributes and
    ``check`` (or ``parse``), and make one instance in the app's services."""

    item_model: type[ContentItem]
    version_model: type[ContentVersion]
    error: type[ContentError] = ContentError
    noun = "content"  # in file problems and log lines: "this installation's <noun>", "the shipped <noun>"
    load_command = ""  # the command that loads a file, e.g. "waardewerk instruments load"
    single = False
    protect_local_changes = False
    note_max = 500
    stale_message = gettext_lazy(
        "Someone else saved version %(current)d after you opened version %(base)s. Your change is not "
        "saved: look at the current version and make your change there."
    )
    race_message = gettext_lazy(
        "Someone else saved a new version at the same moment. Your change is not saved."
    )
    missing_message = gettext_lazy("Nothing is loaded yet to change.")

    # What a subclass provides ------------------------------------------------------------------------

    def check(self, raw) -> dict:
        """Check an already read file (a dict with at least ``key`` and ``version``) and return it
        normalised, or raise ``self.error`` naming every problem."""
        raise NotImplementedError

    def parse(self, text: str, filename: str = "") -> dict:
        return self.check(load_text(text, filename, self.error))

    def shipped_files(self) -> list[Path]:
        return []

    def describe(self, key: str) -> str:
        """How a file problem names the item: "version 2 of <describe>"."""
        return f"{self.noun} '{key}'"

    def scope(self) -> dict:
        """Field values that single out this store's items when one model holds items of several owners
        (e.g. ``{"organisation": None}`` for the installation's and ``{"organisation": org}`` for an
        organisation's own versions of intervision methods). Empty: every item of the model."""
        return {}

    # Reads -------------------------------------------------------------------------------------------

    @property
    def item_field(self) -> str:
        return self.version_model.item_field

    def items(self) -> QuerySet:
        """The items that have a current version."""
        return self.item_model.objects.filter(**self.scope()).exclude(current=None)

    def _items(self, key: str | None) -> QuerySet:
        if key is None:
            if not self.single:
                raise TypeError("a key is needed: this kind of content has more than one item")
            return self.items().order_by("pk")
        return self.items().filter(key=key)

    def current(self, key: str | None = None) -> ContentVersion | None:
        """The current version (of the installation's only item when ``key`` is None), in one query."""
        item = self._items(key).select_related("current").first()
        if item is None:
            return None
        version = item.current
        setattr(version, self.item_field, item)  # known already: no second query for version.item
        return version

    def current_number(self, key: str | None = None) -> int | None:
        return self._items(key).values_list("current__version", flat=True).first()

    def _versions(self, key: str | None) -> QuerySet:
        queryset = self.version_model.objects.select_related("created_by", self.item_field)
        queryset = queryset.filter(**{f"{self.item_field}__{name}": v for name, v in self.scope().items()})
        if key is None:
            return queryset.filter(**{f"{self.item_field}__in": self._items(None)[:1]})
        return queryset.filter(**{f"{self.item_field}__key": key})

    def history(self, key: str | None = None) -> list[ContentVersion]:
        """Every version, newest first, without the content (one query)."""
        return list(self._versions(key).defer("definition").order_by("-version"))

    def version(self, key: str | None, number: int) -> ContentVersion | None:
        """One version with its content."""
        return self._versions(key).filter(version=number).first()

    # Loading files -----------------------------------------------------------------------------------

    def load(self, text: str, *, filename: str = "", loaded_by: str = "") -> LoadResult:
        """Check a file and store it as a version (see the rules above)."""
        definition = self.parse(text, filename)
        return self.store(
            definition, loaded_by=loaded_by, source_file=Path(filename).name if filename else ""
        )

    def store(self, definition: dict, *, loaded_by: str = "", source_file: str = "") -> LoadResult:
        """Store a checked definition as a version, or find it stored already."""
        key, number = definition["key"], definition["version"]
        digest = checksum(definition)
        with transaction.atomic():
            if self.single:
                other = self.item_model.objects.exclude(key=key).values_list("key", flat=True).first()
                if other is not None:
                    raise self.error(
                        [
                            f"key: this installation's {self.noun} is '{other}'; give the file that key "
                            "and a higher version to replace it"
                        ]
                    )
            item, _created = self.item_model.objects.select_for_update().get_or_create(
                key=key, **self.scope()
            )
            existing = item.versions.filter(version=number).first()
            if existing is not None:
                if existing.checksum != digest:
                    raise self.error(
                        [
                            f"version: version {number} of {self.describe(key)} exists already with other "
                            "content; give the changed file a higher version"
                        ]
                    )
                return LoadResult(existing, False)
            stored = self._create(
                item, definition, digest, loaded_by=loaded_by or UNKNOWN_LOADER, source_file=source_file
            )
            highest = item.versions.order_by("-version").values_list("pk", flat=True).first()
            if item.current_id != highest:
                item.current_id = highest
                item.save(update_fields=["current"])
        return LoadResult(stored, True)

    def _create(self, item, definition: dict, digest: str, **fields) -> ContentVersion:
        return self.version_model.objects.create(
            **{self.item_field: item},
            version=definition["version"],
            definition=definition,
            checksum=digest,
            **fields,
        )

    def load_shipped(self, loaded_by: str = SHIPPED) -> list[LoadResult]:
        """Load the files shipped with the release, as far as the rules allow."""
        results = []
        for path in self.shipped_files():
            text = path.read_text(encoding="utf-8")
            definition = self.parse(text, str(path))
            if self._shipped_wanted(definition, path, loaded_by):
                results.append(self.store(definition, loaded_by=loaded_by, source_file=path.name))
        return results

    def _shipped_wanted(self, definition: dict, path: Path, loaded_by: str) -> bool:
        key, number = definition["key"], definition["version"]
        item = (
            (self.items().order_by("pk") if self.single else self.items().filter(key=key))
            .select_related("current")
            .first()
        )
        if item is None:
            return True
        if item.key != key:
            logger.warning("The shipped %s is not loaded: this installation uses '%s'.", self.noun, item.key)
            return False
        if not self.protect_local_changes:
            # Stored, found stored, or refused when a shipped version changed without a new number.
            return True
        if item.versions.filter(version=number).exists():
            return False
        current = item.current
        if number > current.version and current.loaded_by != loaded_by:
            logger.warning(
                "A newer shipped %s (version %s) is not loaded over version %s, which was made here; "
                "load it with `%s %s` if you want it.",
                self.noun,
                number,
                current.version,
                self.load_command,
                path,
            )
            return False
        return True

    def after_migrate(self, sender=None, using="default", **kwargs) -> None:
        """A ``post_migrate`` receiver: load the shipped files once the tables exist."""
        if self.version_model._meta.db_table not in connections[using].introspection.table_names():
            return
        for result in self.load_shipped():
            if result.created:
                logger.info("Loaded %s", result.version)

    # Edits on a page ---------------------------------------------------------------------------------

    def clean_note(self, note: str | None, errors: dict, default: str = "") -> str:
        note = (note or "").strip() or default
        if not note:
            errors["note"] = _("Say what you changed and why; it is shown in the version history.")
        elif len(note) > self.note_max:
            errors["note"] = _("Use at most %(max)d characters (now %(n)d).") % {
                "max": self.note_max,
                "n": len(note),
            }
        return note

    def edit(
        self,
        *,
        key: str | None = None,
        base_version: int | None,
        created_by,
        note: str,
        change: Callable[[dict, dict], None],
        note_default: str | Callable[[dict], str] = "",
    ) -> tuple[ContentVersion, ContentVersion]:
        """Make the next version from the current one: ``change(definition, errors)`` changes a copy in
        place and puts field errors in ``errors``. Returns the new version and the one it replaced.

        Raises ``ConcurrentEditError`` when ``base_version`` is not the current version any more, and
        ``ValidationError`` (nothing stored) for field errors, a missing note, or a result the checker
        refuses."""
        errors: dict[str, str] = {}
        with transaction.atomic():
            item = self._items(key).select_for_update().first()
            if item is None:
                raise ValidationError(str(self.missing_message))
            current = self.version_model.objects.get(pk=item.current_id)
            if base_version != current.version:
                raise ConcurrentEditError(
                    str(self.stale_message) % {"current": current.version, "base": base_version or "?"}
                )
            definition = copy.deepcopy(current.definition)
            default = note_default(definition) if callable(note_default) else note_default
            note = self.clean_note(note, errors, default)
            change(definition, errors)
            if errors:
                raise ValidationError(errors)
            definition["version"] = current.version + 1
            try:
                definition = self.check(definition)
            except self.error as error:
                raise ValidationError(error.problems) from None
            try:
                with transaction.atomic():
                    stored = self._create(
                        item, definition, checksum(definition), created_by=created_by, note=note
                    )
            except IntegrityError:
                raise ConcurrentEditError(str(self.race_message)) from None
            item.current = stored
            item.save(update_fields=["current"])
        setattr(stored, self.item_field, item)
        return stored, current
