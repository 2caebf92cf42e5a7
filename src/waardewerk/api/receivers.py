"""Notifications from the timeline (docs/api.md, "Notifications").

Every service that changes a trajectory appends a timeline entry in its own transaction; the entries of a
phase change, a submitted measurement and a started placement become notifications here, so no domain
service knows of the API. Entries written in bulk (the generator, the backfills) send none.
"""

from django.db.models.signals import post_save
from django.dispatch import receiver

from waardewerk.api.models import Event
from waardewerk.api.services import notify
from waardewerk.timeline.models import TimelineEntry
from waardewerk.trajectories.models import Trajectory

EVENTS = {
    "phase": (Event.PHASE_CHANGED, "trajectory"),
    "measurement": (Event.MEASUREMENT_SUBMITTED, "measurement"),
    "placement": (Event.PLACEMENT_STARTED, "placement"),
}


@receiver(post_save, sender=TimelineEntry, dispatch_uid="api_notify_from_timeline")
def notify_from_timeline(sender, instance: TimelineEntry, created: bool, raw: bool = False, **kwargs):
    if raw or not created or instance.event not in EVENTS:
        return
    event, noun = EVENTS[instance.event]
    row = (
        Trajectory.objects.filter(pk=instance.trajectory_id)
        .values("organisation_id", "uuid", "phase")
        .first()
    )
    if row is None:
        return
    data = {"trajectory": str(row["uuid"])}
    if noun == "trajectory":
        data["phase"] = row["phase"]
    elif instance.source_id:
        data[noun] = str(instance.source_id)
    notify(event=event, organisation_id=row["organisation_id"], data=data)
