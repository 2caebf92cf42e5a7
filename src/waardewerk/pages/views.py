from django.shortcuts import redirect

from waardewerk.pages.navigation import start_page


def home(request):
    """Send each user to their first screen (``navigation.start_page``, decided by the policies)."""
    return redirect(start_page(request.user))
