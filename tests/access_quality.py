"""Access rules of the team quality pages (merged into tests/test_access.py::MATRIX; docs/quality.md).

The team quality page is the team lead's (their teams and their organisation, never per professional); the
own figures are every case worker's, each seeing only their own. Neither names an object: another
organisation's staff get what the same role gets (with their own organisation's figures, see
src/waardewerk/quality/tests/test_quality.py). A portal client is not logged in on the staff side.
"""

from django.urls import reverse

from tests.matrix import LOGIN, no_object

TEAM_LEAD_ONLY = no_object(
    {
        "anonymous": LOGIN,
        "professional": 403,
        "colleague": 403,
        "team_lead": 200,
        "functional_admin": 403,
        "knowledge_editor": 403,
    }
)
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

# The quarterly report names a team of organisation A. Only a team lead gets past the role check (the
# others get the 403 of a page that is not for their role, whatever the team); a team lead of B gets the
# 404 of a team that does not exist.
REPORT = {
    "anonymous": LOGIN,
    "professional": 403,
    "colleague": 403,
    "team_lead": 200,
    "functional_admin": 403,
    "knowledge_editor": 403,
    "org_b_professional": 403,
    "org_b_team_lead": 404,
    "org_b_functional_admin": 403,
    "org_b_knowledge_editor": 403,
    "org_b_client": LOGIN,
}

MATRIX = {
    "quality:team": ("get", lambda w: reverse("quality:team"), None, TEAM_LEAD_ONLY),
    "quality:mine": ("get", lambda w: reverse("quality:mine"), None, CASE_WORKERS),
    "quality:report": (
        "get",
        lambda w: reverse("quality:report", args=[w["trajectory"].team.uuid]) + "?format=csv",
        None,
        REPORT,
    ),
}
