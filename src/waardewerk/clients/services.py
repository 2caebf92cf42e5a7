"""Writes of client data. Each service validates, checks the policy and runs in one transaction."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from waardewerk.audit.services import audit_record
from waardewerk.clients import policies
from waardewerk.clients.models import Client
from waardewerk.clients.validators import normalise_bsn, validate_bsn, validate_date_of_birth
from waardewerk.core.exceptions import ConcurrentEditError, PermissionDeniedError

CLIENT_FIELDS = (
    "first_name",
    "infix",
    "last_name",
    "date_of_birth",
    "email",
    "phone",
    "street",
    "postal_code",
    "city",
)


def _clean(data: dict) -> dict:
    cleaned = {field: data[field] for field in CLIENT_FIELDS if field in data}
    for field in ("first_name", "infix", "last_name", "email", "phone", "street", "city"):
        if field in cleaned and isinstance(cleaned[field], str):
            cleaned[field] = " ".join(cleaned[field].split())
    if cleaned.get("postal_code"):
        code = cleaned["postal_code"].replace(" ", "").upper()
        cleaned["postal_code"] = f"{code[:4]} {code[4:]}" if len(code) == 6 else code
    errors = {}
    for field in ("first_name", "last_name"):
        if field in cleaned and not cleaned[field]:
            errors[field] = _("This field is required.")
    if cleaned.get("date_of_birth"):
        try:
            validate_date_of_birth(cleaned["date_of_birth"])
        except ValidationError as exc:
            errors["date_of_birth"] = exc.messages
    if data.get("bsn"):
        try:
            validate_bsn(data["bsn"])
            cleaned["bsn"] = normalise_bsn(data["bsn"])
        except ValidationError as exc:
            errors["bsn"] = exc.messages
    if errors:
        raise ValidationError(errors)
    return cleaned


def client_register(*, actor, data: dict) -> Client:
    if not policies.can_register_client(actor):
        raise PermissionDeniedError
    cleaned = _clean(data)
    with transaction.atomic():
        client = Client.objects.create(organisation_id=actor.organisation_id, created_by=actor, **cleaned)
    audit_record(actor=actor, action="create", client=client, obj=client)
    return client


def client_update(*, actor, client: Client, data: dict, version: int) -> Client:
    """Change personal data. A BSN left empty keeps the stored one; ``version`` detects concurrent edits."""
    if not policies.can_edit_client(actor, client):
        raise PermissionDeniedError
    cleaned = _clean(data)
    with transaction.atomic():
        updated = Client.objects.filter(pk=client.pk, version=version).update(
            **cleaned, version=F("version") + 1
        )
        if not updated:
            raise ConcurrentEditError(
                _("Someone else changed this client after you opened the form. Reload and try again.")
            )
    client.refresh_from_db()
    audit_record(actor=actor, action="change", client=client, obj=client, detail={"fields": sorted(cleaned)})
    return client
