"""The timeline's entries as HTML: one part per event (``waardewerk.timeline.models.EVENTS``), each the title
line with who did it, then the details. The text of every event is here, in ``PARTS`` and the functions
before it; ``{% timeline_items %}`` (``pages/templatetags/timeline.py``) puts each part in its list item.

An entry stores choice values and dates as data; a part shows them in the reader's language. The parts were
template parts (``pages/timeline.html``), about 120 µs an entry, mostly ``blocktranslate`` with its filters;
they write the same HTML, as the template wrote it:

- the words and patterns are the template's messages (``{{ x }}`` written ``%(x)s``, the same catalogue
  entries), translated once per process and language (``_``, a dict of the translations) and placed as
  ``translate`` and ``blocktranslate`` place them: a translation is not escaped;
- every value is escaped as the template escaped it (``value``; numbers localised), the free texts with
  ``linebreaksbr`` where the template had it;
- a part receives the entry and ``_``; it reads ``entry.data`` and ``entry.texts`` (a missing key is "", as
  the template's lookup gave).

``pages/tests/test_timeline_entries.py`` renders the former template (kept there) and these parts for every
event, in Dutch and English, with values that need escaping, and compares.
"""

from __future__ import annotations

import datetime as dt
import html

from django.conf import settings
from django.utils import timezone
from django.utils.formats import date_format, localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, SafeString
from django.utils.translation import get_language, gettext, ngettext

from waardewerk.agenda.models import AppointmentKind, Channel
from waardewerk.clients.models import ConsentKind
from waardewerk.core.content import localised as _localised
from waardewerk.core.formats import day
from waardewerk.instruments.models import Respondent
from waardewerk.matching.models import ClientResponse, Contract, Decision
from waardewerk.portal.models import Satisfaction
from waardewerk.trajectories.models import (
    ActionOwner,
    AgreementMethod,
    AssignmentKind,
    ConversationMode,
    EndReason,
    Phase,
    Prompt,
)

CHOICES = {
    "phase": Phase,
    "mode": ConversationMode,
    "owner": ActionOwner,
    "end_reason": EndReason,
    "prompt": Prompt,
    "method": AgreementMethod,
    "consent": ConsentKind,
    "respondent": Respondent,
    "assignment": AssignmentKind,
    "satisfaction": Satisfaction,
    "appointment": AppointmentKind,
    "channel": Channel,
    "decision": Decision,
    "response": ClientResponse,
    "contract": Contract,
}

# The labels per language, as plain strings: made on first use in a process, for every choice at once. (The
# choices' labels are lazy translations: every use of one translated it again, a few per entry.)
_LABELS: dict[str, dict[str, dict[str, str]]] = {}


def _labels(language: str) -> dict[str, dict[str, str]]:
    labels = _LABELS.get(language)
    if labels is None:
        labels = _LABELS[language] = {
            name: {value: str(text) for value, text in kind.choices} for name, kind in CHOICES.items()
        }
    return labels


def label(value, choices: str) -> str:
    """The label of a stored choice value in the active language."""
    return _labels(get_language())[choices].get(value, value)


def by(entry) -> str:
    """Who made the entry, after its title line: the client (in the portal) or the colleague, or nothing (an
    entry made for rows from before the timeline)."""
    if entry.by_client:
        if entry.event == "measurement":
            who = gettext("by the client")
        else:
            who = gettext("the client, in the portal")
    elif entry.actor_id:
        who = str(entry.actor)
    else:
        return ""
    return SafeString(f' <span class="ww-muted">– {html.escape(who)}</span>')  # as ``escape``


def localised(texts) -> str:
    """A text stored per language (``{"nl": …, "en": …}``) in the active language."""
    return _localised(texts) if isinstance(texts, dict) else (texts or "")


def isodate(value):
    """A date stored as ``YYYY-MM-DD``, or None."""
    try:
        return dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        return None


def isomoment(value):
    """A moment stored as ISO 8601 with its offset, or None."""
    try:
        return dt.datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return None


# -- values, escaped as the template escaped them ----------------------------------------------------------


def value(value) -> str:
    """``value`` as ``{{ value }}`` and ``blocktranslate`` wrote it: escaped, a number localised."""
    if isinstance(value, str):
        return value if isinstance(value, SafeData) else html.escape(value)
    return conditional_escape(localize(value))


def lower(text) -> str:
    """As the ``lower`` filter."""
    return str(text).lower()


def moment(stored, fmt: str) -> str:
    """A stored moment as ``…|isomoment|date:fmt`` showed it: in the current time zone."""
    when = isomoment(stored)
    if when is None:
        return ""
    if settings.USE_TZ and not timezone.is_naive(when):
        when = timezone.localtime(when)
    return date_format(when, fmt)


def stored_day(stored, fmt: str) -> str:
    """A stored date as ``…|isodate|day:fmt`` (or ``|date:fmt``) showed it."""
    return day(isodate(stored), fmt)


def lines(text) -> str:
    """A free text as ``{{ text|linebreaksbr }}`` showed it: escaped, every line break a ``<br>``."""
    return html.escape(str(text)).replace("\r\n", "\n").replace("\r", "\n").replace("\n", "<br>")


def title(entry, text: str) -> str:
    """The entry's title line: ``text`` (translated, values escaped) and who made the entry."""
    return f'<p class="utrecht-paragraph"><strong>{text}</strong>{by(entry)}</p>'


def paragraph(text: str) -> str:
    return f'<p class="utrecht-paragraph">{text}</p>'


def free_text(entry, name: str) -> str:
    """The entry's free text ``name`` in a paragraph of its own, its line breaks kept; nothing without it."""
    text = entry.texts.get(name)
    return f'<p class="utrecht-paragraph">{lines(text)}</p>' if text else ""


# -- the parts, one per event ------------------------------------------------------------------------------


def started(entry, _):
    to = value(label(entry.data.get("to", ""), "phase"))
    return (
        title(entry, _("Trajectory started in phase %(to)s") % {"to": to}) + "\n" + free_text(entry, "reason")
    )


def phase(entry, _):
    data = entry.data
    values = {
        "from": value(label(data.get("from", ""), "phase")),
        "to": value(label(data.get("to", ""), "phase")),
    }
    return title(entry, _("Phase: %(from)s → %(to)s") % values) + "\n" + free_text(entry, "reason")


def handover(entry, _):
    data = entry.data
    values = {"old": value(data.get("from", "")), "new": value(data.get("to", ""))}
    return title(entry, _("Handed over from %(old)s to %(new)s") % values) + "\n" + free_text(entry, "reason")


def assignment(entry, _):
    data = entry.data
    role = value(lower(label(data.get("as", ""), "assignment")))
    start = value(stored_day(data.get("from", ""), "d-m-Y"))
    if data.get("until"):
        end = value(stored_day(data["until"], "d-m-Y"))
        period = _("From %(start)s until %(end)s") % {"start": start, "end": end}
    else:
        period = _("From %(start)s") % {"start": start}
    name = value(data.get("name", ""))
    return (
        title(entry, _("%(name)s added as %(role)s") % {"name": name, "role": role})
        + "\n"
        + paragraph(period)
    )


def assignment_ended(entry, _):
    name = value(entry.data.get("name", ""))
    return title(entry, _("The assignment of %(name)s has ended") % {"name": name})


def closed(entry, _):
    reason = value(label(entry.data.get("reason", ""), "end_reason"))
    return (
        title(entry, _("Trajectory closed: %(reason)s") % {"reason": reason})
        + "\n"
        + free_text(entry, "note")
    )


def conversation(entry, _):
    data = entry.data
    mode = value(label(data.get("mode", ""), "mode"))
    principles = data.get("principles")
    if principles:
        served = ", ".join(value(localised(principle)) for principle in principles)
        served = _("Guiding principles served:") + " " + served
        principles = f'<p class="utrecht-paragraph ww-muted">{served}</p>'
    else:
        principles = ""
    return (
        title(entry, _("Conversation (%(mode)s)") % {"mode": mode})
        + f"\n{principles}\n"
        + free_text(entry, "summary")
    )


def _appointment(entry) -> dict:
    data = entry.data
    return {
        "kind": value(label(data.get("kind", ""), "appointment")),
        "when": value(moment(data.get("starts_at", ""), "l j F Y H:i")),
    }


def appointment_planned(entry, _):
    data = entry.data
    details = {
        "channel": value(label(data.get("channel", ""), "channel")),
        "n": value(data.get("duration", "")),
    }
    return (
        title(entry, _("Appointment planned: %(kind)s on %(when)s") % _appointment(entry))
        + "\n"
        + paragraph(_("%(channel)s, %(n)s minutes") % details)
    )


def appointment_moved(entry, _):
    before = value(moment(entry.data.get("from", ""), "j F Y H:i"))
    return (
        title(entry, _("Appointment moved: %(kind)s now on %(when)s") % _appointment(entry))
        + "\n"
        + paragraph(_("It was on %(before)s.") % {"before": before})
    )


def appointment_cancelled(entry, _):
    return title(entry, _("Appointment cancelled: %(kind)s on %(when)s") % _appointment(entry))


def action(entry, _):
    data = entry.data
    due = {
        "date": value(stored_day(data.get("due", ""), "d-m-Y")),
        "owner": value(label(data.get("owner", ""), "owner")),
    }
    return (
        title(entry, _("Action agreed: %(d)s") % {"d": value(entry.texts.get("description", ""))})
        + "\n"
        + paragraph(_("Due %(date)s, by: %(owner)s") % due)
    )


def action_done(entry, _):
    return title(entry, _("Action done: %(d)s") % {"d": value(entry.texts.get("description", ""))})


def action_cancelled(entry, _):
    return title(entry, _("Action cancelled: %(d)s") % {"d": value(entry.texts.get("description", ""))})


def action_reopened(entry, _):
    return title(entry, _("Action open again: %(d)s") % {"d": value(entry.texts.get("description", ""))})


def action_done_by_client(entry, _):
    description = {"d": value(entry.texts.get("description", ""))}
    return title(entry, _("The client marked an action done: %(d)s") % description)


def measurement(entry, _):
    data = entry.data
    values = {
        "instrument": value(localised(data.get("instrument", ""))),
        "respondent": value(lower(label(data.get("respondent", ""), "respondent"))),
        "result": value(localised(data.get("result", ""))),
    }
    correction = (
        paragraph(_("Correction: %(reason)s") % {"reason": value(entry.texts.get("reason", ""))})
        if data.get("correction")
        else ""
    )
    return (
        title(entry, _("Measurement %(instrument)s (%(respondent)s): %(result)s") % values)
        + "\n"
        + correction
    )


def plan_version(entry, _):
    number = value(entry.data.get("number", ""))
    return title(entry, _("Plan version %(n)s") % {"n": number}) + "\n" + free_text(entry, "reason")


def plan_agreed(entry, _):
    data = entry.data
    values = {
        "n": value(data.get("number", "")),
        "how": value(lower(label(data.get("method", ""), "method"))),
    }
    return (
        title(entry, _("The client agreed with plan version %(n)s (%(how)s)") % values)
        + "\n"
        + free_text(entry, "note")
    )


def note(entry, _):
    return title(entry, _("Progress note")) + "\n" + paragraph(lines(entry.texts.get("text", "")))


def adjustment(entry, _):
    what = value(lower(label(entry.data.get("prompted_by", ""), "prompt")))
    texts = entry.texts
    reason = _("Reason: %(reason)s") % {"reason": value(texts.get("reason", ""))}
    change = _("Change: %(change)s") % {"change": value(texts.get("change", ""))}
    return (
        title(entry, _("Change of course (prompted by %(what)s)") % {"what": what})
        + "\n"
        + paragraph(f"{reason}<br>{change}")
    )


def evaluation(entry, _):
    return title(entry, _("Evaluation recorded")) + "\n" + free_text(entry, "client_evaluation")


def goal_proposed(entry, _):
    texts = entry.texts
    if entry.data.get("new_goal"):
        heading = _("The client proposed a new goal")
    else:
        heading = _("The client proposed new words for a goal")
    new = value(texts.get("text", ""))
    if texts.get("original"):
        now = _("Now: “%(old)s”") % {"old": value(texts["original"])}
        words = now + "<br>" + _("Proposed: “%(new)s”") % {"new": new}
    else:
        words = f"“{new}”"
    return title(entry, heading) + "\n" + paragraph(words)


def preference_corrected(entry, _):
    texts = entry.texts
    said = (
        _("The plan said: “%(old)s”") % {"old": value(texts["original"])} + "<br>"
        if texts.get("original")
        else ""
    )
    says = _("The client says: “%(new)s”") % {"new": value(texts.get("text", ""))}
    return (
        title(entry, _("The client corrected their preference for a choice in the plan"))
        + "\n"
        + paragraph(said + says)
    )


def client_evaluation(entry, _):
    data, texts = entry.data, entry.texts
    if data.get("changed"):
        heading = _("The client changed their own evaluation of the trajectory")
    else:
        heading = _("The client wrote their own evaluation of the trajectory")
    satisfaction = data.get("satisfaction")
    parts = [
        title(entry, heading),
        paragraph(_("How satisfied: %(answer)s") % {"answer": value(label(satisfaction, "satisfaction"))})
        if satisfaction
        else "",
    ]
    for name, pattern in (
        ("went_well", _("What went well: “%(text)s”")),
        ("was_hard", _("What was hard: “%(text)s”")),
        ("advice", _("To someone who starts: “%(text)s”")),
    ):
        text = texts.get(name)
        parts.append(paragraph(pattern % {"text": value(text)}) if text else "")
    return "\n".join(parts)


def goal_accepted(entry, _):
    return title(entry, _("Goal proposal taken into the plan"))


def goal_declined(entry, _):
    return title(entry, _("Goal proposal declined")) + "\n" + free_text(entry, "reason")


def _party(entry) -> str:
    party = entry.data.get("party")
    return f" ({value(party)})" if party else ""


def consent_given(entry, _):
    kind = value(label(entry.data.get("kind", ""), "consent"))
    return title(entry, _("Consent given: %(kind)s") % {"kind": kind} + _party(entry))


def consent_withdrawn(entry, _):
    kind = value(label(entry.data.get("kind", ""), "consent"))
    return title(entry, _("Consent withdrawn: %(kind)s") % {"kind": kind} + _party(entry))


def questionnaire_requested(entry, _):
    instrument = value(localised(entry.data.get("instrument", "")))
    return title(entry, _("Questionnaire asked in the portal: %(instrument)s") % {"instrument": instrument})


def questionnaire_cancelled(entry, _):
    instrument = value(localised(entry.data.get("instrument", "")))
    return title(entry, _("Questionnaire request cancelled: %(instrument)s") % {"instrument": instrument})


def _job(entry) -> dict:
    return {"job": value(entry.data.get("job", "")), "employer": value(entry.data.get("employer", ""))}


def job_decided(entry, _):
    values = _job(entry) | {"decision": value(label(entry.data.get("decision", ""), "decision"))}
    return (
        title(entry, _("Job %(job)s (%(employer)s): %(decision)s") % values)
        + "\n"
        + free_text(entry, "reason")
    )


def job_answered(entry, _):
    values = _job(entry) | {"response": value(label(entry.data.get("response", ""), "response"))}
    note = entry.texts.get("note")
    return (
        title(entry, _("The client answered on %(job)s (%(employer)s): %(response)s") % values)
        + "\n"
        + (paragraph(f"“{value(note)}”") if note else "")
    )


def candidate_profile(entry, _):
    if entry.by_client:
        heading = _("The client wrote their availability and strengths")
    else:
        heading = _("Availability and strengths recorded with the client")
    hours = entry.data.get("hours")
    if hours:
        hours = paragraph(
            ngettext("%(hours)s hour a week", "%(hours)s hours a week", hours) % {"hours": value(hours)}
        )
    else:
        hours = ""
    strengths = entry.texts.get("strengths")
    strengths = paragraph(f"“{lines(strengths)}”") if strengths else ""
    return title(entry, heading) + f"\n{hours}\n{strengths}"


def placement(entry, _):
    values = _job(entry) | {"start": value(stored_day(entry.data.get("start", ""), "j F Y"))}
    return title(entry, _("Placement: %(job)s at %(employer)s, from %(start)s") % values)


def follow_up(entry, _):
    data = entry.data
    months = data.get("month", "")
    if data.get("still_working"):
        heading = ngettext(
            "Follow-up after %(months)s month: still working as %(job)s",
            "Follow-up after %(months)s months: still working as %(job)s",
            months,
        )
    else:
        heading = ngettext(
            "Follow-up after %(months)s month: no longer working as %(job)s",
            "Follow-up after %(months)s months: no longer working as %(job)s",
            months,
        )
    values = {"months": value(months), "job": value(data.get("job", ""))}
    return title(entry, heading % values) + "\n" + free_text(entry, "note")


PARTS = {
    "started": started,
    "phase": phase,
    "handover": handover,
    "assignment": assignment,
    "assignment_ended": assignment_ended,
    "closed": closed,
    "conversation": conversation,
    "appointment_planned": appointment_planned,
    "appointment_moved": appointment_moved,
    "appointment_cancelled": appointment_cancelled,
    "action": action,
    "action_done": action_done,
    "action_cancelled": action_cancelled,
    "action_reopened": action_reopened,
    "action_done_by_client": action_done_by_client,
    "measurement": measurement,
    "plan_version": plan_version,
    "plan_agreed": plan_agreed,
    "note": note,
    "adjustment": adjustment,
    "evaluation": evaluation,
    "goal_proposed": goal_proposed,
    "preference_corrected": preference_corrected,
    "client_evaluation": client_evaluation,
    "goal_accepted": goal_accepted,
    "goal_declined": goal_declined,
    "consent_given": consent_given,
    "consent_withdrawn": consent_withdrawn,
    "questionnaire_requested": questionnaire_requested,
    "questionnaire_cancelled": questionnaire_cancelled,
    "job_decided": job_decided,
    "job_answered": job_answered,
    "candidate_profile": candidate_profile,
    "placement": placement,
    "follow_up": follow_up,
}


class _Translations(dict):
    """The translations of the parts' words and patterns in one language, each made on its first use."""

    def __missing__(self, message: str) -> str:
        text = self[message] = gettext(message)
        return text


_TRANSLATIONS: dict[str | None, _Translations] = {}


def translations():
    """``_`` for the parts: the translation of a message in the active language (one dict lookup)."""
    language = get_language()
    words = _TRANSLATIONS.get(language)
    if words is None:
        words = _TRANSLATIONS[language] = _Translations()
    return words.__getitem__


def body(entry, _) -> str:
    """The entry's part: its title line and details, as HTML."""
    return PARTS[entry.event](entry, _)
