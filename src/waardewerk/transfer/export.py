"""The export of an organisation's whole data, so that it can leave (docs/export.md).

One zip file: per entity (a model of Waardewerk) its rows as JSON (``json/<entity>.json``) and as CSV
(``csv/<entity>.csv``), a data dictionary (``data-dictionary.json`` and ``.csv``: each entity, each field, its
meaning and type) made from the models' metadata and the descriptions below, and a manifest with the counts.
Encrypted fields are written decrypted (the application decrypts on read). Which rows belong to the
organisation follows from the foreign keys: the shortest chain of required foreign keys from a model to
``Organisation`` (``organisation_path``); a model without one is content of the installation and is listed
in the manifest as not exported, with the reason. Secrets (passwords, second-factor secrets, link digests)
are never exported.
"""

import base64
import csv
import datetime as dt
import decimal
import io
import json
import shutil
import tempfile
import uuid
import zipfile
from collections import deque
from dataclasses import dataclass

from django.apps import apps
from django.db import models
from django.db.models import Q
from django.utils import timezone

from waardewerk.accounts.models import Organisation
from waardewerk.core.fields import BlindIndexField, EncryptedTextField

FORMAT_VERSION = 1

# Models that hold secrets or the machinery of log-in, not the organisation's data: never exported.
EXCLUDED = {
    "accounts.totpdevice": "second-factor secrets",
    "accounts.recoverycode": "second-factor recovery codes (digests)",
    "accounts.twofactorenrolment": "one-time set-up links for two-step verification",
    "accounts.loginattempt": "log-in attempts (throttling), kept for security only",
    "accounts.throttle": "throttling counters",
    "agenda.calendarfeed": "the digests of secret calendar-feed addresses",
    "portal.portalinvitation": "one-time invitation links and codes (digests)",
    "audit.auditcheckpoint": "signed checkpoints of the installation's access-log chain",
    "transfer.organisationexport": "the exports themselves",
    "transfer.pendingimport": "imports waiting for confirmation (short-lived)",
}
# Fields never exported, whatever the model: secrets and values only meaningful inside this installation.
EXCLUDED_FIELDS = {"password", "session_epoch", "secret", "token_digest", "code_digest", "feed_digest"}

# What an entity is, where the model's own name does not say enough.
DESCRIPTIONS = {
    "accounts.organisation": "The organisation itself.",
    "accounts.team": "Teams of the organisation.",
    "accounts.user": "Staff users with their role (no passwords).",
    "accounts.teammembership": "Which user is a member of which team.",
    "clients.client": "Clients: personal data, with the citizen service number (BSN) decrypted.",
    "clients.consent": "Consents a client gave or withdrew, per kind and party.",
    "trajectories.trajectory": "Trajectories: a client's route back to work along the methodical cycle.",
    "trajectories.phasechange": "Every change of a trajectory's phase, with its reason.",
    "trajectories.conversation": "Conversations recorded in a trajectory, with their summary.",
    "trajectories.action": "Actions agreed in a trajectory.",
    "trajectories.planversion": "Versions of a trajectory's plan (goals and choices as JSON).",
    "trajectories.planagreement": "The client's agreement with a plan version.",
    "timeline.timelineentry": "The timeline of each trajectory as shown on its page.",
    "instruments.measurement": "Measurements with an instrument: answers and scores (JSON).",
    "audit.accessevent": "The access log: every read and change by the organisation's users or of its "
    "clients.",
}


@dataclass(frozen=True)
class Entity:
    model: type[models.Model]
    path: str  # the lookup from this model to the organisation's id ("" for Organisation itself)

    @property
    def label(self) -> str:
        return self.model._meta.label_lower

    def fields(self) -> list[models.Field]:
        return [
            field
            for field in self.model._meta.concrete_fields
            if field.name not in EXCLUDED_FIELDS and not isinstance(field, BlindIndexField)
        ]

    def queryset(self, organisation: Organisation):
        manager = self.model._base_manager
        if self.model is Organisation:
            return manager.filter(pk=organisation.pk)
        if self.label == "audit.accessevent":
            users = apps.get_model("accounts", "User").objects.filter(organisation=organisation)
            clients = apps.get_model("clients", "Client").objects.filter(organisation=organisation)
            return manager.filter(
                Q(actor_id__in=users.values("pk")) | Q(client_uuid__in=clients.values("uuid"))
            ).order_by("pk")
        return manager.filter(**{self.path: organisation.pk}).order_by("pk")


def organisation_path(model) -> str | None:
    """The lookup from ``model`` to its organisation's id along required foreign keys (the last step to the
    organisation may be optional: rows without one are the installation's), or None."""
    queue = deque([(model, "")])
    seen = {model}
    while queue:
        current, prefix = queue.popleft()
        for field in current._meta.concrete_fields:
            if not field.is_relation or field.related_model is None:
                continue
            lookup = f"{prefix}{field.name}"
            if field.related_model is Organisation:
                return f"{lookup}_id"
            if field.null or field.related_model in seen:
                continue
            seen.add(field.related_model)
            queue.append((field.related_model, f"{lookup}__"))
    return None


def entities() -> tuple[list[Entity], dict[str, str]]:
    """The exported entities in a fixed order, and the models not exported with the reason."""
    found, skipped = [], {}
    for model in apps.get_models():
        if not model.__module__.startswith("waardewerk."):
            continue
        label = model._meta.label_lower
        if label in EXCLUDED:
            skipped[label] = EXCLUDED[label]
            continue
        if model is Organisation or label == "audit.accessevent":
            found.append(Entity(model, ""))
            continue
        path = organisation_path(model)
        if path is None:
            skipped[label] = "content of the installation, the same for every organisation"
        else:
            found.append(Entity(model, path))
    found.sort(key=lambda entity: entity.label)
    return found, dict(sorted(skipped.items()))


def field_type(field: models.Field) -> str:
    if field.is_relation:
        return f"reference to {field.related_model._meta.label_lower} (its id)"
    if isinstance(field, EncryptedTextField):
        return "text (stored encrypted, exported decrypted)"
    return {
        "AutoField": "integer",
        "BigAutoField": "integer",
        "BigIntegerField": "integer",
        "IntegerField": "integer",
        "PositiveIntegerField": "integer",
        "PositiveSmallIntegerField": "integer",
        "SmallIntegerField": "integer",
        "BooleanField": "boolean",
        "CharField": "text",
        "TextField": "text",
        "EmailField": "text (e-mail address)",
        "SlugField": "text",
        "URLField": "text (URL)",
        "DateField": "date (YYYY-MM-DD)",
        "DateTimeField": "date and time (ISO 8601, UTC)",
        "TimeField": "time (HH:MM:SS)",
        "DurationField": "duration (seconds)",
        "DecimalField": "decimal number",
        "FloatField": "number",
        "UUIDField": "UUID",
        "JSONField": "JSON",
        "GenericIPAddressField": "IP address",
        "BinaryField": "binary (base64)",
        "FileField": "file name",
    }.get(field.get_internal_type(), field.get_internal_type())


def column(field: models.Field) -> str:
    return field.attname


def data_dictionary(found: list[Entity]) -> list[dict]:
    """Each entity with its description and each field with its meaning and type. Meanings are the models'
    own names and help texts in English (the export is read by other systems, not on a screen)."""
    rows = []
    for entity in found:
        meta = entity.model._meta
        description = DESCRIPTIONS.get(entity.label) or str(meta.verbose_name_plural).capitalize() + "."
        fields = []
        for field in entity.fields():
            meaning = str(getattr(field, "verbose_name", field.name))
            if field.help_text:
                meaning = f"{meaning}: {field.help_text}"
            item = {
                "field": field.name,
                "column": column(field),
                "type": field_type(field),
                "meaning": meaning,
                "required": not (field.null or field.blank),
            }
            if field.choices:
                item["choices"] = {str(key): str(label) for key, label in field.flatchoices}
            fields.append(item)
        rows.append({"entity": entity.label, "description": description, "fields": fields})
    return rows


def _plain(value):
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat() if timezone.is_aware(value) else value.isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return value.total_seconds()
    if isinstance(value, uuid.UUID | decimal.Decimal):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")
    return value


def _csv_cell(value):
    if value is None:
        return ""
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def write_export(organisation: Organisation, target, *, chunk_size: int = 2000) -> dict:
    """Write the zip to the binary file ``target``; returns the manifest (with the counts per entity)."""
    found, skipped = entities()
    counts: dict[str, int] = {}
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for entity in found:
            fields = entity.fields()
            names = [column(field) for field in fields]
            attributes = [field.attname if field.is_relation else field.name for field in fields]
            count = 0
            # One write handle at a time in a zip: the CSV waits in a temporary file meanwhile.
            with (
                tempfile.TemporaryFile() as csv_raw,
                archive.open(f"json/{entity.label}.json", "w") as json_raw,
            ):
                json_out = io.TextIOWrapper(json_raw, encoding="utf-8", newline="")
                csv_out = io.TextIOWrapper(csv_raw, encoding="utf-8", newline="")
                writer = csv.writer(csv_out)
                writer.writerow(names)
                json_out.write("[")
                for row in entity.queryset(organisation).iterator(chunk_size=chunk_size):
                    values = [_plain(getattr(row, attribute)) for attribute in attributes]
                    json_out.write(",\n" if count else "\n")
                    json_out.write(json.dumps(dict(zip(names, values, strict=True)), ensure_ascii=False))
                    writer.writerow([_csv_cell(value) for value in values])
                    count += 1
                json_out.write("\n]\n")
                json_out.flush()
                json_out.detach()
                csv_out.flush()
                csv_out.detach()
                json_raw.close()
                csv_raw.seek(0)
                with archive.open(f"csv/{entity.label}.csv", "w") as csv_target:
                    shutil.copyfileobj(csv_raw, csv_target)
            counts[entity.label] = count
        dictionary = data_dictionary(found)
        archive.writestr("data-dictionary.json", json.dumps(dictionary, ensure_ascii=False, indent=2) + "\n")
        archive.writestr("data-dictionary.csv", _dictionary_csv(dictionary))
        manifest = {
            "format": "waardewerk-organisation-export",
            "format_version": FORMAT_VERSION,
            "organisation": {
                "id": organisation.pk,
                "uuid": str(organisation.uuid),
                "name": organisation.name,
            },
            "exported_at": timezone.now().astimezone(dt.UTC).isoformat(),
            "counts": counts,
            "not_exported": skipped,
            "excluded_fields": sorted(EXCLUDED_FIELDS) + ["blind indexes (derived, installation-specific)"],
        }
        archive.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2) + "\n")
        archive.writestr("README.txt", README)
    return manifest


def _dictionary_csv(dictionary: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        ["entity", "entity description", "field", "column", "type", "meaning", "required", "choices"]
    )
    for entity in dictionary:
        for field in entity["fields"]:
            choices = "; ".join(f"{key} = {label}" for key, label in field.get("choices", {}).items())
            writer.writerow(
                [
                    entity["entity"],
                    entity["description"],
                    field["field"],
                    field["column"],
                    field["type"],
                    field["meaning"],
                    "yes" if field["required"] else "no",
                    choices,
                ]
            )
    return out.getvalue()


README = """Waardewerk: export of an organisation's whole data

manifest.json          the organisation, when it was exported, the number of rows per entity, and the
                       entities and fields not exported with the reason
data-dictionary.json   each entity with its description, each field with its column, type and meaning
data-dictionary.csv    the same as a table
json/ENTITY.json       the rows of one entity as a JSON array of objects
csv/ENTITY.csv         the same rows as CSV (UTF-8, comma-separated, a header row; JSON values as text)

References between entities are by id (the column ends in "_id"); every entity has its "id". Encrypted
fields are written decrypted: this file holds special-category personal data. Keep it encrypted, give it
only to who may have it, and delete it when it is no longer needed.
"""
