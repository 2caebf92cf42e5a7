from django.shortcuts import redirect
from django.views.decorators.http import require_GET

from waardewerk.accounts.models import Role


@require_GET
def home(request):
    """Send each role to its starting page."""
    if request.user.role == Role.FUNCTIONAL_ADMIN:
        return redirect("accounts:organisation")
    return redirect("trajectories:caseload")
