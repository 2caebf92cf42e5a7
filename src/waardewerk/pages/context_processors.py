from waardewerk.clients.policies import can_search_clients
from waardewerk.pages.navigation import nav_links, navigation_for
from waardewerk.workday.selectors import OPEN_COUNT


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "nav_links": ""}
    # The start page keeps its count of open signals in the session when it is shown: the navigation shows
    # it on every page without computing the signals again.
    count = request.session.get(OPEN_COUNT)
    counts = {"workday:today": count} if isinstance(count, int) else {}
    items = navigation_for(user, request.path, counts)
    return {"nav_items": items, "nav_links": nav_links(items), "search_allowed": can_search_clients(user)}
