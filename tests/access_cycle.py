"""Access rules of the methodical cycle's pages (merged into tests/test_access.py::MATRIX): conversation with
the guide, plan, plan versions and agreement, progress notes, adjustments, evaluation. Dossier contents:
only who may see the trajectory; the team lead of its team a 403 (they know it exists), everyone else the same
404 as for a trajectory that does not exist."""

from django.urls import reverse
from django.utils import timezone

from tests.matrix import DOSSIER as OWNER_ONLY
from tests.matrix import DOSSIER_POST as OWNER_POST


def _today():
    return timezone.localdate().isoformat()


def _t(name, *extra):
    return lambda w: reverse(f"trajectories:{name}", args=[w["trajectory"].uuid, *extra])


MATRIX = {
    "trajectories:add_conversation": (
        "post",
        _t("add_conversation"),
        lambda w: {"date": _today(), "mode": "phone", "summary": "Gesprek", "participants": ["client"]},
        OWNER_POST,
    ),
    "trajectories:plan": ("get", _t("plan"), None, OWNER_ONLY),
    "trajectories:plan_version": ("get", _t("plan_version", 1), None, OWNER_ONLY),
    "trajectories:plan_edit": (
        "post",
        _t("plan_edit"),
        lambda w: {
            "base_number": "1",
            "goal-TOTAL_FORMS": "1",
            "goal-INITIAL_FORMS": "1",
            "goal-0-key": "g-1",
            "goal-0-text": "Weer werken, 24 uur",
            "goal-0-status": "active",
            "choice-TOTAL_FORMS": "0",
            "choice-INITIAL_FORMS": "0",
            "reason": "Uren toegevoegd",
        },
        OWNER_POST,
    ),
    "trajectories:plan_agree": (
        "post",
        _t("plan_agree"),
        lambda w: {"agreed_on": _today(), "method": "signed", "note": ""},
        OWNER_POST,
    ),
    "trajectories:add_note": (
        "post",
        _t("add_note"),
        lambda w: {"date": _today(), "text": "Gaat goed met de stage."},
        OWNER_POST,
    ),
    "trajectories:adjustment": (
        "post",
        _t("adjustment"),
        lambda w: {
            "date": _today(),
            "prompted_by": "event",
            "event": "Verhuisd",
            "reason": "Reistijd te lang",
            "change": "Werkplek dichterbij zoeken",
        },
        OWNER_POST,
    ),
    "trajectories:evaluation": ("get", _t("evaluation"), None, OWNER_ONLY),
}
