from waardewerk.pages.navigation import navigation_for
from waardewerk.workday.selectors import OPEN_COUNT


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    # The start page keeps its count of open signals in the session when it is shown: the navigation shows
    # it on every page without computing the signals again.
    count = request.session.get(OPEN_COUNT)
    counts = {"workday:today": count} if isinstance(count, int) else {}
    return {"nav_items": navigation_for(user, request.path, counts)}
