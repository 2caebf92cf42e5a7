"""Access rules of the start page (merged into tests/test_access.py::MATRIX; docs/workday.md).

The start page ("Vandaag") is every case worker's own: professionals and team leads, each seeing the
signals of the trajectories they work on (a team lead also the counts of the teams they lead). It names no
object: another organisation's staff get what the same role gets, with their own organisation's data
(tests/test_access.py checks that nothing of organisation A shows). Marking a signal as handled or undoing
it answers with a redirect to the page (with a message when the signal is not one of the actor's); the
functional administrator and the knowledge editor have no signals (403).
"""

from django.urls import reverse

from tests.matrix import LOGIN, no_object

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
CASE_WORKERS_POST = no_object(
    {
        "anonymous": LOGIN,
        "professional": 302,
        "colleague": 302,
        "team_lead": 302,
        "functional_admin": 403,
        "knowledge_editor": 403,
    }
)


def _signal(w):
    """The world's open action of its trajectory, as a signal key (a signal only when it is due this week;
    otherwise the answer is the same redirect, with a message)."""
    action = w["action"]
    return {"kind": "actions", "key": f"{action.uuid}:{action.due_date}"}


MATRIX = {
    "workday:today": ("get", lambda w: reverse("workday:today"), None, CASE_WORKERS),
    "workday:handle": ("post", lambda w: reverse("workday:handle"), _signal, CASE_WORKERS_POST),
    "workday:reopen": ("post", lambda w: reverse("workday:reopen"), _signal, CASE_WORKERS_POST),
}
