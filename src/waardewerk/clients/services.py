"""Writes of client data. Each service validates, checks the policy and runs in one transaction."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from waardewerk.audit.services import audit_record
from waardewerk.clients import policies
from waardewerk.clients.actor import is_client_actor
from waardewerk.clients.models import Client, Consent, ConsentKind, ConsentVia
from waardewerk.clients.validators import normalise_bsn, validate_bsn, validate_date_of_birth
from waardewerk.core import crypto
from waardewerk.core.exceptions import ConcurrentEditError, PermissionDeniedError
from waardewerk.trajectories.policies import can_edit_client

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
    if not can_edit_client(actor, client):
        raise PermissionDeniedError(_("You can read this dossier but not change the personal data."))
    cleaned = _clean(data)
    if "bsn" in cleaned:
        # A queryset update skips pre_save: keep the BSN's blind index with it.
        cleaned_update = {**cleaned, "bsn_index": crypto.blind_index(cleaned["bsn"])}
    else:
        cleaned_update = cleaned
    with transaction.atomic():
        updated = Client.objects.filter(pk=client.pk, version=version).update(
            **cleaned_update, version=F("version") + 1
        )
        if not updated:
            raise ConcurrentEditError(
                _("Someone else changed this client after you opened the form. Reload and try again.")
            )
    client.refresh_from_db()
    audit_record(actor=actor, action="change", client=client, obj=client, detail={"fields": sorted(cleaned)})
    return client


# Consent (docs/portal.md, "Consent") ----------------------------------------------------------------------


def _consent_actor(actor, client: Client) -> tuple[str, object]:
    """(via, recording user) for a consent change; refuses anyone who may not change this client's consent."""
    if is_client_actor(actor):
        if not policies.is_the_client(actor, client):
            raise PermissionDeniedError
        return ConsentVia.PORTAL, None
    if not can_edit_client(actor, client):
        raise PermissionDeniedError(_("You can read this dossier but not record consent in it."))
    return ConsentVia.PROFESSIONAL, actor


def consent_give(*, actor, client: Client, kind: str, now=None) -> Consent:
    """Record that the client gives consent of ``kind`` from now on (a client in the portal, or a
    professional who records it). Giving a consent that is already given changes nothing."""
    from django.db import IntegrityError
    from django.utils import timezone

    via, recorder = _consent_actor(actor, client)
    if kind not in ConsentKind.values:
        raise ValidationError({"kind": _("Choose what you give consent for.")})
    now = now or timezone.now()
    existing = Consent.objects.filter(client=client, kind=kind, withdrawn_at__isnull=True).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            consent = Consent.objects.create(
                client=client, kind=kind, given_at=now, given_via=via, given_recorded_by=recorder
            )
    except IntegrityError:  # given at the same moment in another request
        return Consent.objects.get(client=client, kind=kind, withdrawn_at__isnull=True)
    audit_record(
        actor=actor, action="create", client=client, obj=consent, detail={"consent": kind, "via": via}
    )
    return consent


def consent_withdraw(*, actor, consent: Consent, now=None) -> Consent:
    """Withdraw a consent from now on; the row stays as the record of the period it was given."""
    from django.utils import timezone

    via, recorder = _consent_actor(actor, consent.client)
    now = now or timezone.now()
    with transaction.atomic():
        updated = Consent.objects.filter(pk=consent.pk, withdrawn_at__isnull=True).update(
            withdrawn_at=now, withdrawn_via=via, withdrawn_recorded_by=recorder, updated_at=now
        )
    if not updated:
        raise ValidationError(_("This consent was already withdrawn."))
    consent.refresh_from_db()
    audit_record(
        actor=actor,
        action="change",
        client=consent.client,
        obj=consent,
        detail={"consent": consent.kind, "withdrawn": True, "via": via},
    )
    return consent
