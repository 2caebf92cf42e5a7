"""Access rules of the agenda (merged into tests/test_access.py::MATRIX; docs/agenda.md).

The agenda is every case worker's own: the pages without an object are the professional's and the team
lead's (another organisation's staff get what the same role gets, with their own agenda); an appointment
is seen and changed by its owner only, so a colleague, the team lead and the functional administrator get
the same 404 as for one that does not exist. The calendar feed's address is its own key: an address that
opens no feed is a 404 for everyone, logged in or not (a working one, and the POSTs of the pages that
also take one, are tested in src/waardewerk/agenda/tests/test_agenda.py).
"""

import datetime as dt
import uuid
from types import SimpleNamespace

from django.urls import reverse
from django.utils import timezone

from tests.matrix import LOGIN, ROLES, no_object, org_a_object

CASE_WORKERS = no_object(
    {
        "anonymous": LOGIN,
        "professional": 200,
        "colleague": 200,
        "team_lead": 200,
        "functional_admin": 403,
        "knowledge_editor": 403,
    }
)
OWNER = org_a_object(
    {"anonymous": LOGIN, "professional": 200, "colleague": 404, "team_lead": 404, "functional_admin": 404}
)
OWNER_POST = OWNER | {"professional": 302}


def appointment(w):
    """An appointment of the world's professional with the trajectory's client, made once per world."""
    if w["trajectory"].pk is None:  # the "unknown object" test: an appointment that does not exist
        return SimpleNamespace(uuid=uuid.uuid4(), version=1)
    if "_appointment" not in w:
        from waardewerk.agenda import services

        day = timezone.localdate() + dt.timedelta(days=2)
        w["_appointment"] = services.appointment_create(
            actor=w["trajectory"].responsible,
            kind="conversation",
            trajectory=w["trajectory"],
            starts_at=timezone.make_aware(dt.datetime.combine(day, dt.time(10, 0))),
            duration=45,
            channel="in_person",
        )
    return w["_appointment"]


MATRIX = {
    "agenda:day": ("get", lambda w: reverse("agenda:day"), None, CASE_WORKERS),
    "agenda:week": ("get", lambda w: reverse("agenda:week"), None, CASE_WORKERS),
    "agenda:new": ("get", lambda w: reverse("agenda:new"), None, CASE_WORKERS),
    "agenda:feed": ("get", lambda w: reverse("agenda:feed"), None, CASE_WORKERS),
    "agenda:detail": ("get", lambda w: reverse("agenda:detail", args=[appointment(w).uuid]), None, OWNER),
    "agenda:cancel": (
        "post",
        lambda w: reverse("agenda:cancel", args=[appointment(w).uuid]),
        lambda w: {},
        OWNER_POST,
    ),
    "agenda:ics": (
        "get",
        lambda w: reverse("agenda:ics", args=["no-such-feed"]),
        None,
        dict.fromkeys(ROLES, 404),
    ),
}
