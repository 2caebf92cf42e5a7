"""A confirmation step before what cannot be undone (ending portal access, a handover, withdrawing
consent, cancelling an action, closing a trajectory).

The form that asks for the change posts to its own view as before. Without ``confirmed=yes`` in the
request the view does not call its service: it answers with a confirmation page that says what will
happen, carries every posted field along as a hidden field and offers "Ja, ..." (the same POST with the
confirmation) and "Annuleren" (a link back). This works without JavaScript and needs no extra address.
"""

from django.shortcuts import render

CONFIRM_FIELD = "confirmed"
CONFIRM_VALUE = "yes"
_NOT_CARRIED = {"csrfmiddlewaretoken", CONFIRM_FIELD}


def confirmed(request) -> bool:
    """Whether this POST is the answer "Ja" on a confirmation page."""
    return request.method == "POST" and request.POST.get(CONFIRM_FIELD) == CONFIRM_VALUE


def confirmation_page(
    request,
    *,
    title: str,
    consequences: list[str],
    confirm_label: str,
    cancel_url: str,
    base_template: str = "base.html",
    context: dict | None = None,
):
    """The page that asks "are you sure?" before a change that cannot be undone."""
    carried = [
        (name, value) for name, values in request.POST.lists() if name not in _NOT_CARRIED for value in values
    ]
    return render(
        request,
        "core/confirm.html",
        {
            "base_template": base_template,
            "confirm_title": title,
            "consequences": consequences,
            "confirm_label": confirm_label,
            "cancel_url": cancel_url,
            "carried": carried,
            "confirm_field": CONFIRM_FIELD,
            "confirm_value": CONFIRM_VALUE,
            **(context or {}),
        },
    )
