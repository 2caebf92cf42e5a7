"""The calendar feed (iCalendar, RFC 5545) of a professional's agenda, made with the ``icalendar`` library.

What the feed carries is what a phone's calendar may show on a lock screen: the kind of appointment, the
client's initials, the time, and a link into Waardewerk (which asks for a log-in). Never a client's name,
the subject, the place or the participants: those may name people, an address or health matters."""

from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from waardewerk.agenda.models import AppointmentKind

PRODID = "-//Waardewerk//Agenda//NL"


def initials(client) -> str:
    if client is None:
        return ""
    letters = [part[0].upper() for part in (client.first_name, client.last_name) if part]
    return ".".join(letters) + "." if letters else ""


def summary(appointment) -> str:
    kind = dict(AppointmentKind.choices).get(appointment.kind, appointment.kind)
    client = appointment.trajectory.client if appointment.trajectory_id else None
    marks = initials(client)
    text = _("Appointment: %(kind)s") % {"kind": str(kind).lower()}
    return f"{text} ({marks})" if marks else text


def feed(appointments, link_for) -> bytes:
    """``link_for(appointment)`` gives the absolute address of the appointment's page."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "Waardewerk")
    stamp = timezone.now()
    for appointment in appointments:
        event = Event()
        event.add("uid", f"{appointment.uuid}@waardewerk")
        event.add("dtstamp", stamp)
        event.add("dtstart", appointment.starts_at)
        event.add("dtend", appointment.ends_at)
        event.add("summary", summary(appointment))
        event.add("url", link_for(appointment))
        event.add("sequence", appointment.version)
        event.add("last-modified", appointment.updated_at)
        event.add("status", "CANCELLED" if appointment.is_cancelled else "CONFIRMED")
        calendar.add_component(event)
    return calendar.to_ical()
