"""Demo data of the agenda (called by ``demo.DemoBuilder``): this week's appointments of every demo
professional and the team lead, with clients of their own open trajectories (conversations and
measurements, in person, by phone or video), the intervision session and a team meeting; one appointment
is cancelled and one was moved. The planned contact shows in the trajectories' timelines. Times and places
in sampledata/data/agenda.yaml."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from waardewerk.agenda import projection
from waardewerk.agenda.models import Appointment
from waardewerk.sampledata.texts import load
from waardewerk.timeline.services import timeline_append

WITH_CLIENT = ("conversation", "measurement")


def create_agenda_data(builder, organisation, users: dict, trajectories) -> dict:
    data = load("agenda")
    rng = builder.rng
    monday = builder.today - dt.timedelta(days=builder.today.weekday())
    workers = [u for u in users.values() if u.role in ("professional", "team_lead")]
    own: dict[int, list] = {}
    for trajectory in trajectories:
        if trajectory.end_date is None:
            own.setdefault(trajectory.responsible_id, []).append(trajectory)
    appointments = []
    for user in workers:
        clients = list(own.get(user.pk, []))
        rng.shuffle(clients)
        for slot in data["slots"]:
            kind = slot["kind"]
            trajectory = None
            if kind in WITH_CLIENT:
                if not clients:
                    continue
                trajectory = clients.pop()
            day = monday + dt.timedelta(days=slot["day"])
            hour, minute = (int(part) for part in slot["time"].split(":"))
            starts_at = timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))
            places = data["places"][slot["channel"]]
            appointments.append(
                Appointment(
                    uuid=builder.uuid(),
                    organisation=organisation,
                    owner=user,
                    trajectory=trajectory,
                    kind=kind,
                    starts_at=starts_at,
                    duration=slot["duration"],
                    channel=slot["channel"],
                    title=data["titles"].get(kind, ""),
                    place=rng.choice(places) if trajectory is not None or kind != "other" else places[0],
                    created_by=user,
                )
            )
    Appointment.objects.bulk_create(appointments)
    with_client = [a for a in appointments if a.trajectory is not None]
    planned_at = timezone.make_aware(dt.datetime.combine(monday - dt.timedelta(days=7), dt.time(16, 0)))
    entries = [projection.planned(a, at=planned_at) for a in with_client]
    cancelled = moved = 0
    if with_client:
        # One cancelled by the client's request, one moved an hour later.
        gone = with_client[0]
        gone.cancelled_at, gone.cancelled_by, gone.version = planned_at + dt.timedelta(days=2), gone.owner, 2
        gone.save(update_fields=["cancelled_at", "cancelled_by", "version"])
        entries.append(projection.cancelled(gone, actor=gone.owner, at=gone.cancelled_at))
        cancelled = 1
    if len(with_client) > 1:
        later = with_client[1]
        before = later.starts_at
        later.starts_at, later.version = before + dt.timedelta(hours=1), 2
        later.save(update_fields=["starts_at", "version"])
        entries.append(
            projection.moved(later, before, actor=later.owner, at=planned_at + dt.timedelta(days=1))
        )
        moved = 1
    timeline_append(*entries)
    return {
        "appointments": len(appointments),
        "appointments cancelled": cancelled,
        "appointments moved": moved,
    }
