from django.shortcuts import redirect

from waardewerk.accounts.models import Role


def home(request):
    """Send each role to its starting page."""
    if request.user.role == Role.FUNCTIONAL_ADMIN:
        return redirect("accounts:organisation")
    return redirect("trajectories:caseload")
