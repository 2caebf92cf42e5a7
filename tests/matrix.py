"""The roles of the access matrix and the expectations its areas share (tests/test_access.py).

Every URL has an expected answer for every role in ``ROLES``:

- organisation A's staff (``ROLES_A``): anonymous, the responsible professional, a colleague in the same team,
  the team lead of that team (not assigned), the functional administrator and the knowledge editor (a
  content role without clients: unless a rule says otherwise it gets what the functional administrator
  gets, except on the administrator's own pages, where it gets 403);
- a full set of roles in a second organisation B (``ROLES_B``): a professional, a team lead, a functional
  administrator, a knowledge editor and a client logged in to the portal. The URLs name organisation A's
  objects, so for every URL that names an object they get the same 404 as for an object that does not
  exist (a portal client of B is not logged in on the staff side at all, so a staff URL sends them to the
  staff log-in).

The refusal rule (docs/authorization.md, "Refusals"): 404 for an object outside the actor's scope, 403 for
an object the actor knows exists but may not use in this way, 403 for a page that is not about an object
and not for this role.
"""

LOGIN = "login"  # a redirect to the staff log-in page

ROLES_A = ["anonymous", "professional", "colleague", "team_lead", "functional_admin", "knowledge_editor"]
ROLES_B = [
    "org_b_professional",
    "org_b_team_lead",
    "org_b_functional_admin",
    "org_b_knowledge_editor",
    "org_b_client",
]
ROLES = ROLES_A + ROLES_B
STAFF_A = ROLES_A[1:]


def _with_editor(expected: dict) -> dict:
    """The knowledge editor's answer where a rule does not give it: the functional administrator's, but 403
    on a page only the administrator may use (the professional is refused with 403 there)."""
    if "knowledge_editor" in expected:
        return expected
    admin = expected["functional_admin"]
    only_admin = admin in (200, 302) and expected.get("professional") == 403
    return expected | {"knowledge_editor": 403 if only_admin else admin}


def org_a_object(expected: dict) -> dict:
    """A URL that names an object of organisation A (a client, trajectory, measurement, ...): nobody of
    organisation B can tell it exists."""
    return _with_editor(expected) | {
        "org_b_professional": 404,
        "org_b_team_lead": 404,
        "org_b_functional_admin": 404,
        "org_b_knowledge_editor": 404,
        "org_b_client": expected["anonymous"],
    }


def no_object(expected: dict) -> dict:
    """A page that names no object: organisation B's staff get what the same role gets in A (the page shows
    only their own organisation's data, which tests/test_access.py checks); B's portal client is anonymous to
    the staff side."""
    expected = _with_editor(expected)
    return expected | {
        "org_b_professional": expected["colleague"],
        "org_b_team_lead": expected["team_lead"],
        "org_b_functional_admin": expected["functional_admin"],
        "org_b_knowledge_editor": expected["knowledge_editor"],
        "org_b_client": expected["anonymous"],
    }


# The dossier: only who reads it. A team lead knows the trajectories (and clients) of their team from the
# team overview, so there the answer is 403, not 404; objects inside the dossier (measurements, actions,
# proposals, ...) they cannot know of: 404.
DOSSIER = org_a_object(
    {"anonymous": LOGIN, "professional": 200, "colleague": 404, "team_lead": 403, "functional_admin": 404}
)
DOSSIER_POST = DOSSIER | {"professional": 302}
DOSSIER_PART = DOSSIER | {"team_lead": 404}
DOSSIER_PART_POST = DOSSIER_POST | {"team_lead": 404}

STAFF = no_object({"anonymous": LOGIN, **{role: 200 for role in STAFF_A}})
CASE_WORKERS = no_object(
    {"anonymous": LOGIN, **{role: 200 for role in STAFF_A}, "functional_admin": 403, "knowledge_editor": 403}
)
ADMIN = no_object(
    {"anonymous": LOGIN, "professional": 403, "colleague": 403, "team_lead": 403, "functional_admin": 200}
)
ADMIN_POST = no_object(ADMIN | {"functional_admin": 302})
