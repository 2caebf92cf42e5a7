"""Background work of the instruments app (Django's tasks API; settings.TASKS chooses where it runs)."""

from __future__ import annotations

from django.conf import settings
from django.tasks import task
from django.utils import translation

from waardewerk.instruments import charts, effect, selectors


@task
def draw_effect_charts(trajectory_id: int) -> int:
    """Draw the effect charts of a trajectory's current measurements, in every language of the interface,
    into the shared cache, so that the effect view, the portal's progress page and the reports find them.
    Charts already in the cache are not drawn again. Returns how many were drawn."""
    measurements = selectors.trajectory_measurements(trajectory_id)
    if not measurements:
        return 0
    definitions = selectors.definitions_for(measurements)
    drawn = 0
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            effects = effect.build(measurements, definitions, render=False)
            drawn += charts.render_many(item.chart for found in effects for item in found.charts)
    return drawn
