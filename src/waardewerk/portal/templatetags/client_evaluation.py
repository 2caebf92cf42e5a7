"""``{% client_own_evaluation trajectory %}``: on the evaluation page of a trajectory (trajectories app), the
client's own evaluation from the portal, beside the professional's.

A template tag, so the trajectories app (a lower layer) names nothing of the portal in its code: its template
asks for the tag, and this app answers (as ``intervision_reflections`` does). The evaluation page is read only
by those who may read the trajectory, and its read is logged there; the client's evaluation is part of it."""

from django import template

from waardewerk.portal import selectors

register = template.Library()


@register.inclusion_tag("portal/_client_evaluation.html")
def client_own_evaluation(trajectory):
    return {"evaluation": selectors.client_evaluation(trajectory), "trajectory": trajectory}
