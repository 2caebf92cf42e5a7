"""Access rules of the intervision pages (merged into tests/test_access.py::MATRIX).

The world's group has the professional and the team lead as members; the colleague (same organisation)
is not a member and gets the same 404 as for a group that does not exist; the functional administrator
manages the groups (403 on the members' pages would reveal nothing, but the session record is for the
members only, so those pages give the non-member's 404). The methods are content: every staff member reads
them. The second organisation's actors are in tests/test_access_intervision.py; a client's portal session
opens none of these pages (tests/test_access_portal.py::test_a_client_session_opens_no_staff_page).
"""

import datetime as dt
import io
import uuid
from types import SimpleNamespace

from django.urls import reverse

from tests.matrix import LOGIN, no_object, org_a_object

STAFF = no_object(
    {r: 200 for r in ("professional", "colleague", "team_lead", "functional_admin")} | {"anonymous": LOGIN}
)
ADMIN = no_object(
    {"anonymous": LOGIN, "professional": 403, "colleague": 403, "team_lead": 403, "functional_admin": 200}
)
MEMBERS = org_a_object(
    {
        "anonymous": LOGIN,
        "professional": 200,
        "colleague": 404,
        "team_lead": 200,
        "functional_admin": 404,
    }
)
MEMBERS_POST = MEMBERS | {"professional": 302, "team_lead": 302}
OWNER = MEMBERS | {"team_lead": 403}
# The content editor changes the organisation's methods and checkpoints; everyone else of the staff reads
# them (403 on the editor's pages). Another organisation's editor changes their own organisation's versions.
EDITOR = no_object(
    {
        "anonymous": LOGIN,
        "professional": 403,
        "colleague": 403,
        "team_lead": 403,
        "functional_admin": 403,
        "knowledge_editor": 200,
    }
)
EDITOR_POST = EDITOR | {"knowledge_editor": 302, "org_b_knowledge_editor": 302}
DAY = dt.date(2026, 9, 1)


def intervision_world(w) -> dict:
    """A group of the world's professional and a team lead, two sessions, and the professional's experiment
    agreed in the first (it comes back for reflection in the second). Made once per world."""
    if w["trajectory"].pk is None:  # the "unknown object" test: objects that do not exist
        fake = SimpleNamespace(uuid=uuid.uuid4(), version=1)
        return {"group": fake, "first": fake, "second": fake, "experiment": fake}
    if "_intervision" not in w:
        from tests.factories import UserFactory
        from waardewerk.accounts.models import Role
        from waardewerk.intervision import services
        from waardewerk.intervision.models import IntervisionGroup

        owner = w["trajectory"].responsible
        lead = w.get("users", {}).get("team_lead") or UserFactory(
            organisation=owner.organisation, role=Role.TEAM_LEAD
        )
        group = IntervisionGroup.objects.create(organisation=owner.organisation, name="OT-groep Test")
        group.members.set([owner, lead])
        first = services.session_create(
            actor=owner, group=group, date=DAY, method_key="incident", facilitator=lead, case_owner=owner
        )
        second = services.session_create(
            actor=lead,
            group=group,
            date=DAY + dt.timedelta(42),
            method_key="learning-cycle",
            facilitator=owner,
        )
        experiment = services.experiment_add(
            actor=owner, session=first, description="Eerst vragen stellen", until=DAY + dt.timedelta(30)
        )
        w["_intervision"] = {"group": group, "first": first, "second": second, "experiment": experiment}
    return w["_intervision"]


def _url(name, *keys):
    return lambda w: reverse(name, args=[intervision_world(w)[k].uuid for k in keys])


def _record_post(w):
    return {"base_version": intervision_world(w)["first"].version, "core_question": "Wat is de kern?"}


def _experiment_post(w):
    return {"description": "Waardenkaart gebruiken", "until": (DAY + dt.timedelta(20)).isoformat()}


def _attendance_post(w):
    group = intervision_world(w)["group"]
    if not hasattr(group, "members"):
        return {}
    return {f"member_{m.pk}": "present" for m in group.members.all()}


def _reflection_post(w):
    return {"what_happened": "Het gesprek ging dieper.", "learned": "Eerst luisteren."}


class _File(io.BytesIO):
    """An upload the test client reads again for every role."""

    def __init__(self, name: str, text: str):
        super().__init__(text.encode())
        self.name = name

    def read(self, *args):
        self.seek(0)
        return super().read(*args)


def _method_edit_post(w):
    from waardewerk.intervision.forms import PhaseForm
    from waardewerk.intervision.services import METHODS

    version = METHODS.current("incident-short")
    data = {
        "base_version": version.version,
        "note": "Kortere uitleg",
        "title_nl": "Incidentmethode (kort)",
        "description_nl": "Korte vorm.",
        "sources": "Hendriksen (2000)",
        "phases-TOTAL_FORMS": len(version.definition["phases"]),
        "phases-INITIAL_FORMS": len(version.definition["phases"]),
    }
    for index, phase in enumerate(version.definition["phases"]):
        for name, value in PhaseForm.initial_for(phase).items():
            data[f"phases-{index}-{name}"] = value
    return data


def _method_file(w):
    import yaml

    from waardewerk.intervision.services import METHODS

    definition = dict(METHODS.current("balint").definition)
    definition["description"] = {"nl": "Een eigen beschrijving."}
    return {"file": _File("balint.yaml", yaml.safe_dump(definition)), "note": "Eigen beschrijving"}


def _checkpoints_edit_post(w):
    from waardewerk.intervision.forms import CheckpointForm
    from waardewerk.intervision.services import CHECKPOINTS

    version = CHECKPOINTS.current("cycle-review")
    rows = version.definition["checkpoints"]
    data = {
        "base_version": version.version,
        "note": "Punt uit",
        "checkpoints-TOTAL_FORMS": len(rows),
        "checkpoints-INITIAL_FORMS": len(rows),
    }
    for index, checkpoint in enumerate(rows):
        for name, value in CheckpointForm.initial_for(checkpoint).items():
            if value not in (False, None):
                data[f"checkpoints-{index}-{name}"] = value
    data["checkpoints-0-off"] = "on"
    data["checkpoints-0-off_reason"] = "Wij meten bij de intake anders"
    return data


def _checkpoints_file(w):
    import yaml

    from waardewerk.intervision.services import CHECKPOINTS

    definition = dict(CHECKPOINTS.current("cycle-review").definition)
    definition["description"] = {"nl": "Onze eigen punten."}
    return {"file": _File("punten.yaml", yaml.safe_dump(definition)), "note": "Eigen tekst"}


MATRIX = {
    # The knowledge editor is a content role without intervision groups.
    "intervision:groups": (
        "get",
        lambda w: reverse("intervision:groups"),
        None,
        STAFF | {"knowledge_editor": 403, "org_b_knowledge_editor": 403},
    ),
    "intervision:methods": ("get", lambda w: reverse("intervision:methods"), None, STAFF),
    "intervision:method": ("get", lambda w: reverse("intervision:method", args=["incident"]), None, STAFF),
    "intervision:method_version": (
        "get",
        lambda w: reverse("intervision:method_version", args=["incident", 1]),
        None,
        STAFF,
    ),
    "intervision:method_edit": (
        "post",
        lambda w: reverse("intervision:method_edit", args=["incident-short"]),
        _method_edit_post,
        EDITOR_POST,
    ),
    "intervision:method_import": (
        "post",
        lambda w: reverse("intervision:method_import", args=["balint"]),
        _method_file,
        EDITOR_POST,
    ),
    "intervision:method_export": (
        "get",
        lambda w: reverse("intervision:method_export", args=["incident"]),
        None,
        EDITOR,
    ),
    "intervision:checkpoints_version": (
        "get",
        lambda w: reverse("intervision:checkpoints_version", args=[1]),
        None,
        STAFF,
    ),
    "intervision:checkpoints_edit": (
        "post",
        lambda w: reverse("intervision:checkpoints_edit"),
        _checkpoints_edit_post,
        EDITOR_POST,
    ),
    "intervision:checkpoints_import": (
        "post",
        lambda w: reverse("intervision:checkpoints_import"),
        _checkpoints_file,
        EDITOR_POST,
    ),
    "intervision:checkpoints_export": (
        "get",
        lambda w: reverse("intervision:checkpoints_export"),
        None,
        EDITOR,
    ),
    "intervision:group_new": ("get", lambda w: reverse("intervision:group_new"), None, ADMIN),
    "intervision:group_edit": (
        "get",
        _url("intervision:group_edit", "group"),
        None,
        org_a_object(ADMIN | {"functional_admin": 200}),
    ),
    "intervision:group": ("get", _url("intervision:group", "group"), None, MEMBERS),
    "intervision:session_new": ("get", _url("intervision:session_new", "group"), None, MEMBERS),
    "intervision:session": ("get", _url("intervision:session", "second"), None, MEMBERS),
    "intervision:session_record": (
        "post",
        _url("intervision:session_record", "first"),
        _record_post,
        MEMBERS_POST,
    ),
    # The facilitator of the second session (the world's professional) records who attended; the other
    # member (the team lead, facilitator of the first) may not: 403.
    "intervision:attendance": (
        "post",
        _url("intervision:attendance", "second"),
        _attendance_post,
        MEMBERS_POST | {"team_lead": 403},
    ),
    "intervision:experiment_add": (
        "post",
        _url("intervision:experiment_add", "first"),
        _experiment_post,
        MEMBERS_POST,
    ),
    "intervision:reflection": (
        "post",
        _url("intervision:reflection", "second", "experiment"),
        _reflection_post,
        OWNER | {"professional": 302},
    ),
}
