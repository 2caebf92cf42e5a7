"""The search results page: clients the user may see, found by name, BSN or date of birth
(``clients.search``; docs/search.md).

Two queries whatever the number of results: one page of clients with their total (``page_with_total``),
then the trajectories the user may read of those clients, with their responsible professional. A client
without a trajectory (registered, not started yet) and a client whose trajectories are all closed are
found like any other. An anonymised file (docs/privacy.md) is no client any more: it is left out.
"""

from __future__ import annotations

from django.conf import settings
from django.db.models import F

from waardewerk.clients.models import anonymised
from waardewerk.clients.search import ClientQuery, filter_clients
from waardewerk.core.links import url_with_uuid
from waardewerk.core.pagination import page_with_total
from waardewerk.trajectories.policies import visible_clients, visible_trajectories

OPEN, CLOSED, NONE = "open", "closed", "none"


def search_page(actor, query: ClientQuery, page_number):
    """(the page of clients, a row per client as the page shows it)."""
    clients = filter_clients(visible_clients(actor).exclude(anonymised()), query).only(
        "uuid", "first_name", "infix", "last_name", "date_of_birth"
    )
    page = page_with_total(
        clients.order_by("last_name", "first_name", "pk"), settings.WAARDEWERK_PAGE_SIZE, page_number
    )
    latest: dict[int, object] = {}
    if page.object_list:
        trajectories = (
            visible_trajectories(actor)
            .filter(client_id__in=[c.pk for c in page.object_list])
            .select_related("responsible")
            .only(
                "client_id",
                "uuid",
                "start_date",
                "end_date",
                "responsible__first_name",
                "responsible__last_name",
                "responsible__username",
            )
            .order_by("client_id", F("end_date").desc(nulls_first=True), "-start_date", "-pk")
        )
        for trajectory in trajectories:
            latest.setdefault(trajectory.client_id, trajectory)
    dossier = url_with_uuid("clients:dossier")
    rows = []
    for client in page.object_list:
        trajectory = latest.get(client.pk)
        if trajectory is None:
            state = NONE
        else:
            state = OPEN if trajectory.end_date is None else CLOSED
        rows.append(
            {
                "client": client,
                "name": client.sort_name,
                "dossier_url": dossier(client.uuid),
                "date_of_birth": client.date_of_birth,
                "state": state,
                "end_date": trajectory.end_date if trajectory is not None else None,
                "responsible": str(trajectory.responsible)
                if trajectory is not None and trajectory.responsible_id
                else "",
            }
        )
    return page, rows
