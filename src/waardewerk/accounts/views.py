from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from waardewerk.accounts import policies, selectors


def organisation(request):
    if not policies.can_view_organisation(request.user):
        raise PermissionDenied
    return render(request, "accounts/organisation.html", selectors.organisation_overview(actor=request.user))
