"""Access rules of the case presentations and case reviews (merged into tests/test_access.py::MATRIX).

In the world the professional is the case owner (responsible for the trajectory, whose client gave
consent for intervision) and a member of the group with the team lead; the colleague is not a member; the
functional administrator manages groups but reads no case. The team lead reviewed the shared presentation
and shared the review with the group. A draft presentation is the owner's alone (404 for everyone else).
The second organisation's actors are in tests/test_access_cases.py; a client's portal session opens none
of these pages (tests/test_access_portal.py::test_a_client_session_opens_no_staff_page).
"""

import uuid
from types import SimpleNamespace

from django.urls import reverse

from tests.matrix import LOGIN, no_object, org_a_object

MEMBERS = org_a_object(
    {"anonymous": LOGIN, "professional": 200, "colleague": 404, "team_lead": 200, "functional_admin": 404}
)
OWNER_ONLY = MEMBERS | {"team_lead": 404}
CASE_WORKERS = no_object(
    {"anonymous": LOGIN, "professional": 200, "colleague": 200, "team_lead": 200, "functional_admin": 403}
)
STAFF = no_object(
    {r: 200 for r in ("professional", "colleague", "team_lead", "functional_admin")} | {"anonymous": LOGIN}
)


def cases_world(w) -> dict:
    """The group, a shared and a draft presentation of the professional's trajectory, and the team lead's
    review of the shared one, shared with the group. Made once per world."""
    if w["trajectory"].pk is None:  # the "unknown object" test: objects that do not exist
        fake = SimpleNamespace(uuid=uuid.uuid4(), version=1)
        return {"group": fake, "shared": fake, "draft": fake, "review": fake}
    if "_cases" not in w:
        from tests.factories import UserFactory
        from tests.intervision_cases import present
        from waardewerk.accounts.models import Role
        from waardewerk.intervision import services
        from waardewerk.intervision.models import IntervisionGroup
        from waardewerk.trajectories import services as trajectory_services

        owner = w["trajectory"].responsible
        lead = w.get("users", {}).get("team_lead") or UserFactory(
            organisation=owner.organisation, role=Role.TEAM_LEAD
        )
        trajectory_services.consent_give(actor=owner, client=w["trajectory"].client, kind="intervision")
        group = IntervisionGroup.objects.create(organisation=owner.organisation, name="OT-groep Casus")
        group.members.set([owner, lead])
        shared = present(owner, group, w["trajectory"])
        draft = present(owner, group, w["trajectory"], share=False)
        review = services.review_start(actor=lead, presentation=shared)
        services.review_save(
            actor=lead, review=review, base_version=review.version, verdicts={}, words={}, share_with=group
        )
        w["_cases"] = {"group": group, "shared": shared, "draft": draft, "review": review}
    return w["_cases"]


def _url(name, key):
    return lambda w: reverse(name, args=[cases_world(w)[key].uuid])


def _confirm_post(w):
    from waardewerk.intervision import services
    from waardewerk.intervision.presentation import fingerprint

    draft = cases_world(w)["draft"]
    if isinstance(draft, SimpleNamespace):
        return {"seen": "0" * 64}
    return {"seen": fingerprint(services.presentation_preview(draft))}


MATRIX = {
    "intervision:checkpoints": ("get", lambda w: reverse("intervision:checkpoints"), None, STAFF),
    "intervision:reviews": ("get", lambda w: reverse("intervision:reviews"), None, CASE_WORKERS),
    "intervision:review_new": ("get", lambda w: reverse("intervision:review_new"), None, CASE_WORKERS),
    "intervision:presentation_new": ("get", _url("intervision:presentation_new", "group"), None, MEMBERS),
    "intervision:presentation": ("get", _url("intervision:presentation", "shared"), None, MEMBERS),
    "intervision:presentation_edit": (
        "get",
        _url("intervision:presentation_edit", "draft"),
        None,
        OWNER_ONLY,
    ),
    "intervision:presentation_confirm": (
        "post",
        _url("intervision:presentation_confirm", "draft"),
        _confirm_post,
        OWNER_ONLY | {"professional": 302},
    ),
    "intervision:presentation_withdraw": (
        "post",
        _url("intervision:presentation_withdraw", "shared"),
        None,
        MEMBERS | {"professional": 302, "team_lead": 403},
    ),
    "intervision:presentation_review": (
        "post",
        _url("intervision:presentation_review", "shared"),
        None,
        MEMBERS | {"professional": 403, "team_lead": 302},
    ),
    "intervision:review": ("get", _url("intervision:review", "review"), None, MEMBERS),
}
