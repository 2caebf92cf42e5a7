from waardewerk.pages.navigation import nav_links, navigation_for


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "nav_links": ""}
    items = navigation_for(user, request.path)
    return {"nav_items": items, "nav_links": nav_links(items)}
