"""Registering clients, and the checks of their personal data.

Changing a client's personal data and consent needs access to the client's dossier, which follows from the
trajectories: those services are in ``trajectories/services.py`` ("The client's dossier"), with the
policies they check (``trajectories/policies.py``)."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from waardewerk.audit.services import audit_record
from waardewerk.clients import policies
from waardewerk.clients.duplicates import find_duplicates
from waardewerk.clients.models import Client
from waardewerk.clients.validators import normalise_bsn, validate_bsn, validate_date_of_birth
from waardewerk.core.exceptions import PermissionDeniedError

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


def clean_client_data(data: dict) -> dict:
    """Normalise and check personal data (a ``ValidationError`` per field)."""
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


class DuplicateBSNError(ValidationError):
    """The BSN belongs to a client of the organisation already (``client``): registering is refused. The
    message names no client; whoever shows it decides whether the user may see ``client``."""

    def __init__(self, client: Client):
        super().__init__(
            {
                "bsn": ValidationError(
                    _("A client with this BSN is already registered in your organisation."),
                    code="bsn_duplicate",
                )
            }
        )
        self.client = client


class PossibleDuplicatesError(Exception):
    """Clients with the same name and date of birth exist (``clients``): the user may register anyway, by
    confirming (``accept_possible_duplicates``)."""

    def __init__(self, clients: list[Client]):
        super().__init__("possible duplicates")
        self.clients = clients


def client_register(*, actor, data: dict, accept_possible_duplicates: bool = False) -> Client:
    """Register a client. A BSN already in the organisation is refused (``DuplicateBSNError``); the same name
    and date of birth raises ``PossibleDuplicatesError`` unless the user confirmed that this is another
    person (the duplicate rule: ``clients.duplicates``)."""
    if not policies.can_register_client(actor):
        raise PermissionDeniedError
    return _create(actor, data, accept_possible_duplicates=accept_possible_duplicates)


def client_import(*, actor, data: dict, source: str, accept_possible_duplicates: bool = False) -> Client:
    """Register a client from a row of an import file (docs/import.md): the checks (the duplicate rule too)
    and the audit event of ``client_register``, for who may import; ``source`` (the file and row) goes into
    the access log."""
    if not policies.can_import_clients(actor):
        raise PermissionDeniedError
    return _create(
        actor, data, accept_possible_duplicates=accept_possible_duplicates, reason=f"import: {source}"[:500]
    )


def _create(actor, data: dict, *, accept_possible_duplicates: bool, reason: str = "") -> Client:
    cleaned = clean_client_data(data)
    duplicates = find_duplicates(
        actor.organisation_id,
        bsn=cleaned.get("bsn", ""),
        first_name=cleaned.get("first_name", ""),
        last_name=" ".join(p for p in (cleaned.get("infix"), cleaned.get("last_name")) if p),
        date_of_birth=cleaned.get("date_of_birth"),
    )
    if duplicates.same_bsn is not None:
        raise DuplicateBSNError(duplicates.same_bsn)
    if duplicates.same_person and not accept_possible_duplicates:
        raise PossibleDuplicatesError(duplicates.same_person)
    try:
        with transaction.atomic():
            client = Client.objects.create(organisation_id=actor.organisation_id, created_by=actor, **cleaned)
    except IntegrityError:
        raise_if_bsn_taken(actor.organisation_id, cleaned.get("bsn", ""))
        raise
    audit_record(actor=actor, action="create", client=client, obj=client, reason=reason)
    return client


def raise_if_bsn_taken(organisation_id, bsn: str, *, other_than=None) -> None:
    """After a write was refused by the database (``IntegrityError``): when another client of the
    organisation now has this BSN (one registered at the same moment passed the duplicate rule's check too,
    and the constraint ``client_org_bsn_unique`` stopped the second), raise the duplicate rule's own
    ``DuplicateBSNError``. Otherwise return, and the caller raises the database's error as it was."""
    if not bsn:
        return
    same_bsn = find_duplicates(organisation_id, bsn=bsn).same_bsn
    if same_bsn is not None and same_bsn.pk != other_than:
        raise DuplicateBSNError(same_bsn)
