"""Access rules of the practice-evidence pages (merged into tests/test_access.py::MATRIX).

"What worked here" is for every staff member of an organisation (figures of their own organisation only,
suppressed, never per professional); an entry of the installation's starter set exists for every
organisation, so another organisation's staff get its page too (with their own figures; see
tests/test_access_insights.py, also for an organisation's own entry, which is the 404 of an unknown entry
elsewhere). The research export is the knowledge editor's, after a fresh password confirmation: every other role
gets 403 (the editor with a confirmed password is in tests/test_access_insights.py). A client's portal session opens none of these pages.
"""

from django.urls import reverse

from tests.matrix import LOGIN, STAFF, no_object

# The knowledge editor is sent to confirm their password first (302; with it confirmed: 200, in
# tests/test_access_insights.py).
EDITOR = no_object(
    {
        "anonymous": LOGIN,
        "professional": 403,
        "colleague": 403,
        "team_lead": 403,
        "functional_admin": 403,
        "knowledge_editor": 302,
    }
)
# An entry of the starter set (knowledge/entries/), not an instrument.
ENTRY = "ips"

MATRIX = {
    "insights:overview": ("get", lambda w: reverse("insights:overview"), None, STAFF),
    "insights:entry": ("get", lambda w: reverse("insights:entry", args=[ENTRY]), None, STAFF),
    "insights:research_export": (
        "post",
        lambda w: reverse("insights:research_export"),
        lambda w: {"since": "2020-01-01"},
        EDITOR,
    ),
}
