"""``{% evaluation_reflections trajectory %}``: on the evaluation page of a trajectory (trajectories app),
the reflections on intervision experiments that their owner linked to it ("what I would do differently").

A template tag, so the trajectories app (a lower layer) names nothing of intervision in its code: its
template asks for the tag, and this app answers. The evaluation page is read only by those who may read the
trajectory, and its read is logged there; the reflections are part of that page."""

from django import template

from waardewerk.intervision import selectors

register = template.Library()


@register.inclusion_tag("intervision/_evaluation_reflections.html")
def evaluation_reflections(trajectory):
    return {"reflections": selectors.evaluation_reflections(trajectory)}
