"""An organisation's own versions of intervision methods and review checkpoints, edited on a page by its
content editor (docs/intervision.md, "Editing methods and checkpoints").

The installation's versions come from files (``services.METHODS``, ``services.CHECKPOINTS``). An
organisation's first change takes the installation's current version over as the first version of its own
item (same key, ``organisation`` set) and stores the change as the next one; from then on the organisation
uses its own versions, and a newer installation version is shown beside them, not loaded over them. Every
change is a new version with the editor, the moment and the reason (``note``); a change that starts from a
version that is no longer current is refused (``ConcurrentEditError``). Sessions and reviews point at the
version row they were planned or made with, so a change never alters them.
"""

from __future__ import annotations

from dataclasses import dataclass

import yaml
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from waardewerk.audit.services import audit_record
from waardewerk.core.content import ContentError, checksum, load_text
from waardewerk.core.content_versions import ContentStore
from waardewerk.core.exceptions import PermissionDeniedError
from waardewerk.intervision import policies
from waardewerk.intervision.in_effect import version_in_effect
from waardewerk.intervision.models import CheckpointSet, IntervisionMethod
from waardewerk.intervision.services import CHECKPOINTS, METHODS, CheckpointStore, MethodStore

IMPORT_MAX_BYTES = 256 * 1024


class OrganisationMethods(MethodStore):
    """The versions of methods one organisation made itself."""

    stale_message = gettext_lazy(
        "Someone else saved version %(current)d of this method after you opened version %(base)s. Your "
        "change is not saved: it is still in the form; look at the current version and make your change "
        "there."
    )
    race_message = gettext_lazy(
        "Someone else saved a new version of this method at the same moment. Your change is not saved."
    )
    missing_message = gettext_lazy("This method does not exist.")

    def __init__(self, organisation_id):
        self.organisation_id = organisation_id

    def scope(self) -> dict:
        return {"organisation_id": self.organisation_id}

    def shipped_files(self):
        return []


class OrganisationCheckpoints(CheckpointStore):
    """The versions of review checkpoints one organisation made itself."""

    stale_message = gettext_lazy(
        "Someone else saved version %(current)d of the checkpoints after you opened version %(base)s. Your "
        "change is not saved: it is still in the form; look at the current version and make your change "
        "there."
    )
    race_message = gettext_lazy(
        "Someone else saved a new version of the checkpoints at the same moment. Your change is not saved."
    )
    missing_message = gettext_lazy("No review checkpoints are loaded.")

    def __init__(self, organisation_id):
        self.organisation_id = organisation_id

    def scope(self) -> dict:
        return {"organisation_id": self.organisation_id}

    def shipped_files(self):
        return []


@dataclass(frozen=True)
class Kind:
    """What differs between methods and checkpoints here."""

    name: str  # in audit events: "method", "checkpoints"
    item_model: type
    own_store: type[ContentStore]
    installation: ContentStore

    def own(self, organisation_id) -> ContentStore:
        return self.own_store(organisation_id)


KINDS = {
    "method": Kind("method", IntervisionMethod, OrganisationMethods, METHODS),
    "checkpoints": Kind("checkpoints", CheckpointSet, OrganisationCheckpoints, CHECKPOINTS),
}


def kind(name: str) -> Kind:
    return KINDS[name]


# Reads ----------------------------------------------------------------------------------------------------


def history(name: str, organisation_id, key: str) -> dict:
    """The organisation's own versions (newest first) and the installation's, without their content."""
    k = kind(name)
    own = k.own(organisation_id).history(key)
    installation = k.installation.history(key)
    return {"own": own, "installation": installation}


def version(name: str, organisation_id, key: str, number: int, *, installation: bool = False):
    """One version with its content: the organisation's own, or (``installation``) the installation's."""
    k = kind(name)
    store = k.installation if installation else k.own(organisation_id)
    return store.version(key, number)


def export_text(version_row) -> str:
    """A version as a YAML file, loadable again on the page or with the load command."""
    return yaml.safe_dump(version_row.definition, allow_unicode=True, sort_keys=False, width=110)


# Writes ---------------------------------------------------------------------------------------------------


def _take_over(k: Kind, own: ContentStore, key: str, actor) -> None:
    """Make the installation's current version the first version of the organisation's own item."""
    if own.current_number(key) is not None:
        return
    base = k.installation.current(key)
    if base is None:
        raise ValidationError(str(own.missing_message))
    try:
        with transaction.atomic():
            item = k.item_model.objects.create(key=key, organisation_id=actor.organisation_id)
            first = own._create(
                item,
                base.definition,
                checksum(base.definition),
                loaded_by=base.loaded_by,
                source_file=base.source_file,
                created_by=actor,
                note=_("Taken over from this installation's version %(number)d.") % {"number": base.version},
            )
            item.current = first
            item.save(update_fields=["current"])
    except IntegrityError:
        pass  # a colleague took it over at the same moment: their item is used


def edit(name: str, *, actor, key: str, base_version, note: str, change):
    """Store the organisation's next version: ``change(definition, errors)`` changes a copy of the current
    one. Raises ``PermissionDeniedError``, ``ConcurrentEditError`` or ``ValidationError`` (nothing stored)."""
    if not policies.can_edit_content(actor):
        raise PermissionDeniedError
    k = kind(name)
    own = k.own(actor.organisation_id)
    with transaction.atomic():
        _take_over(k, own, key, actor)
        stored, previous = own.edit(
            key=key, base_version=base_version, created_by=actor, note=note, change=change
        )
        audit_record(
            actor=actor,
            action="change",
            object_type=f"intervision.{k.name}",
            reason=stored.note,
            detail={"key": key, "version": stored.version, "previous_version": previous.version},
        )
    return stored


def import_file(name: str, *, actor, key: str, text: str, filename: str, note: str):
    """Load a file (YAML or JSON) as the organisation's next version of ``key``. The file's ``version`` is
    the version it was exported from (or the next one): a file made from an older version is refused, as is
    a file with problems (``ContentError``, every problem named)."""
    if not policies.can_edit_content(actor):
        raise PermissionDeniedError
    k = kind(name)
    own = k.own(actor.organisation_id)
    definition = own.check(load_text(text, filename, own.error))
    current = version_in_effect(name, actor.organisation_id, key)
    if current is None:
        raise ValidationError(str(own.missing_message))
    problems = []
    if definition["key"] != key:
        problems.append(
            _("key: the file is for '%(file)s'; this page is for '%(key)s'.")
            % {"file": definition["key"], "key": key}
        )
    if definition["version"] not in (current.version, current.version + 1):
        problems.append(
            _(
                "version: the file has version %(file)d; the current version is %(current)d. Export the "
                "current version, make your change in it and load that file."
            )
            % {"file": definition["version"], "current": current.version}
        )
    if problems:
        raise ContentError(problems)
    body = {name_: value for name_, value in definition.items() if name_ not in ("key", "version")}
    unchanged = {n: v for n, v in current.definition.items() if n not in ("key", "version")} == body

    if unchanged:
        raise ValidationError({"file": _("The file is the same as the current version; nothing is changed.")})

    def change(target: dict, errors: dict) -> None:
        target.clear()
        target.update(body, key=key)

    return edit(
        name,
        actor=actor,
        key=key,
        base_version=current.version,
        note=note,
        change=change,
    )


def exported(name: str, *, actor, version_row) -> None:
    audit_record(
        actor=actor,
        action="export",
        object_type=f"intervision.{name}",
        detail={"key": getattr(version_row, version_row.item_field).key, "version": version_row.version},
    )
