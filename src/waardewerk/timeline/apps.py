from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TimelineConfig(AppConfig):
    """The timeline of a trajectory as a projection: every service that changes a trajectory appends an entry
    in the same transaction; the trajectory page reads one indexed list. Depends on ``core`` only, so every
    domain app (trajectories, instruments, portal) can write to it without an import cycle."""

    name = "waardewerk.timeline"
    label = "timeline"
    verbose_name = _("Timeline")
