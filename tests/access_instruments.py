"""Access rules of the instrument and measurement pages (merged into tests/test_access.py::MATRIX).

Measurements are dossier contents: only who may see the trajectory (here: the responsible professional)
reaches them; a colleague, a team lead who is not assigned and the functional administrator get the same
404 as for a measurement that does not exist (the team lead a 403 on the trajectory's own pages). The
catalogue holds no client data and is open to staff.
"""

from django.urls import reverse

from tests.factories import lwc_answers
from tests.matrix import ADMIN, DOSSIER, DOSSIER_PART, DOSSIER_PART_POST, DOSSIER_POST, STAFF


def _lwc_post(world):
    data = {f"item-{k}": v for k, v in lwc_answers().items()}
    return data | {
        "action": "submit",
        "taken_on": world["trajectory"].start_date.isoformat(),
        "framing": "working",
        "respondent": "client",
    }


def _correct_post(world):
    data = {f"item-{k}": v for k, v in lwc_answers(a=5).items()}
    return data | {"taken_on": world["measurement"].taken_on.isoformat(), "correction_reason": "Typo in A."}


MATRIX = {
    "instruments:effect": (
        "get",
        lambda w: reverse("instruments:effect", args=[w["trajectory"].uuid]),
        None,
        DOSSIER,
    ),
    "instruments:new": (
        "post",
        lambda w: reverse("instruments:new", args=[w["trajectory"].uuid, "lwc"]),
        _lwc_post,
        DOSSIER_POST,
    ),
    "instruments:measurement": (
        "get",
        lambda w: reverse("instruments:measurement", args=[w["measurement"].uuid]),
        None,
        DOSSIER_PART,
    ),
    "instruments:edit": (
        "get",
        lambda w: reverse("instruments:edit", args=[w["draft"].uuid]),
        None,
        DOSSIER_PART,
    ),
    "instruments:discard": (
        "post",
        lambda w: reverse("instruments:discard", args=[w["draft"].uuid]),
        lambda w: {},
        DOSSIER_PART_POST,
    ),
    "instruments:correct": (
        "post",
        lambda w: reverse("instruments:correct", args=[w["measurement"].uuid]),
        _correct_post,
        DOSSIER_PART_POST,
    ),
    "instruments:catalogue": ("get", lambda w: reverse("instruments:catalogue"), None, STAFF),
    "instruments:instrument": ("get", lambda w: reverse("instruments:instrument", args=["lwc"]), None, STAFF),
    "instruments:schedules": (
        "get",
        lambda w: reverse("instruments:schedules"),
        None,
        ADMIN,
    ),
}
