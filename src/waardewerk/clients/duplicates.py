"""The duplicate rule: is this person already a client of the organisation? (docs/search.md)

Registration (``clients.services.client_register``) and imports ask the same question with
``find_duplicates``:

- ``same_bsn``: the client with this BSN, found exactly through the BSN's blind index (the BSN itself is
  encrypted). A BSN is one person, so a second client with it is refused.
- ``same_person``: clients with the same first and last name, ignoring accents, case and punctuation
  (``core.text.fold``: "Öztürk" is "ozturk"), and the same date of birth. Possibly the same person: the
  user is warned and may continue. The infix may be given in ``last_name`` ("de Vries") or stored apart.

This module checks no permission: the caller decides what the user may see of what it finds.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from waardewerk.clients.models import Client
from waardewerk.clients.validators import bsn_is_valid, normalise_bsn
from waardewerk.core import crypto
from waardewerk.core.text import fold


@dataclass(frozen=True)
class Duplicates:
    same_bsn: Client | None = None
    same_person: list[Client] = field(default_factory=list)

    def __bool__(self) -> bool:
        return self.same_bsn is not None or bool(self.same_person)


def _name_key(text: str) -> str:
    return fold(text).replace(" ", "")


def find_duplicates(
    organisation, *, bsn: str = "", first_name: str = "", last_name: str = "", date_of_birth=None
) -> Duplicates:
    """The clients of ``organisation`` (an organisation or its id) that may be this person (see the module).
    At most two queries; a BSN that is not a valid BSN finds nothing."""
    organisation_id = getattr(organisation, "pk", organisation)
    clients = Client.objects.filter(organisation_id=organisation_id)
    same_bsn = None
    number = normalise_bsn(bsn or "")
    if number and bsn_is_valid(number):
        same_bsn = clients.filter(bsn_index__in=crypto.blind_indexes(number)).order_by("pk").first()
    same_person: list[Client] = []
    first, last = _name_key(first_name), _name_key(last_name)
    if first and last and isinstance(date_of_birth, dt.date):
        for candidate in clients.filter(date_of_birth=date_of_birth).order_by(
            "last_name", "first_name", "pk"
        ):
            if _name_key(candidate.first_name) != first:
                continue
            if last in (
                _name_key(candidate.last_name),
                _name_key(f"{candidate.infix} {candidate.last_name}"),
            ):
                same_person.append(candidate)
    return Duplicates(same_bsn=same_bsn, same_person=same_person)
