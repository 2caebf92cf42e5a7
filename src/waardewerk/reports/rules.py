"""What each version of the trajectory report holds: the one place that decides it (docs/reports.md).

A report is made for one reader (its *audience*). Every part of the report is a *section* with a key; a
version contains exactly the sections listed for its audience in ``SECTIONS``, and the builder only
collects the data of the sections it will show, so what a version leaves out never reaches its HTML.
How much of an instrument's results a version shows is the instrument's own content: its definition's
``roles.reports`` (none, summary or full per audience; ``roles.sensitivity: health`` never reaches an
employer), see docs/instrument-format.md. The page that offers the three versions describes them from the
same table and the instruments' definitions.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Audience(models.TextChoices):
    FILE = "file", _("the client's file")
    COMMISSIONER = "commissioner", _("the commissioning party")
    EMPLOYER = "employer", _("the employer")


# Section key -> what it holds, as the choice page and the documentation name it.
SECTION_LABELS = {
    "date_of_birth": _("date of birth"),
    "context": _("the kind of trajectory (track, benefit or scheme)"),
    "summary": _("summary of the trajectory"),
    "question": _("the question for help or the assignment"),
    "values": _("what the client values in work (capability set, topics to act on)"),
    "goals": _("the goals, in the client's words"),
    "goal_determinants": _("the behaviour determinants each goal aims at"),
    "grounds": _("the choices with their grounds (research, expertise, the client's preference)"),
    "agreement": _("the client's agreement with the plan (date, how)"),
    "plan_history": _("the versions of the plan"),
    "plan_reasons": _("why the plan changed (free text)"),
    "actions": _("every agreed action"),
    "shared_actions": _(
        "only the actions that belong to a goal of the agreed plan or that the employer carries out"
    ),
    "progress": _("the change on every instrument this version may show, in words"),
    "charts": _("progress charts of those instruments, with their figures"),
    "summary_charts": _("the summary chart of those instruments, with its figures"),
    "measurement_notes": _("notes with measurements"),
    "adjustments": _("changes of course with their reason"),
    "adjustment_events": _("what happened before a change of course (free text)"),
    "course": _("the phases of the trajectory with their dates"),
    "phase_reasons": _("the reasons for phase changes and handovers (free text)"),
    "contacts": _("the conversations (date, form, who took part)"),
    "conversation_notes": _("conversation notes"),
    "progress_notes": _("progress notes"),
    "outcome": _("the outcome (work, employer, function, hours, contract, support, outcome level)"),
    "fit": _(
        "the agreed fit with a job the client is interested in (matched and missing important work values; "
        "in the employer's version only with the client's consent for that employer)"
    ),
    "availability": _(
        "the client's availability and strengths in their own words (hours, days, parts of the day, from "
        "when, travel; in the employer's version only once the candidate profile went to an employer with "
        "the client's consent for that employer)"
    ),
    "client_evaluation": _("the client's own evaluation"),
    "reflection": _("the professional's reflection"),
    "end_note": _("the closing note"),
}

_EVERYTHING = frozenset(SECTION_LABELS) - {"shared_actions", "summary_charts"}

SECTIONS: dict[str, frozenset[str]] = {
    # The client's own file: everything that was recorded.
    Audience.FILE: _EVERYTHING,
    # The commissioning party (UWV, the municipality): the course and the grounds of the trajectory, no
    # free-text notes about the person.
    Audience.COMMISSIONER: _EVERYTHING
    - {
        "plan_reasons",
        "measurement_notes",
        "adjustment_events",
        "phase_reasons",
        "conversation_notes",
        "progress_notes",
        "reflection",
        "end_note",
        "availability",  # free texts about the person, for an employer the client chose
    },
    # The employer: only what the client agreed to share, and nothing health-related (GDPR art. 9).
    Audience.EMPLOYER: frozenset(
        {
            "context",  # 1st/2nd track, WW, WIA/WGA, Participation Act: see docs/reports.md
            "summary",
            "values",
            "goals",
            "agreement",
            "shared_actions",
            "progress",
            "summary_charts",
            "outcome",
            "fit",  # only the jobs of an employer the client gave consent for (builder._fits)
            # only once the candidate profile went to an employer with consent (builder._shared_availability)
            "availability",
        }
    ),
}

# The explanation at the top of each version, for its reader.
PURPOSES = {
    Audience.FILE: _(
        "This version is for the client's file. It holds everything that was recorded in the trajectory, "
        "including notes. Keep it as confidential as the file itself."
    ),
    Audience.COMMISSIONER: _(
        "This version is for the commissioning party. It describes the course of the trajectory, the "
        "grounds for the choices made and the outcome. Notes about the person (conversation notes, notes "
        "with measurements, progress notes, the professional's reflection) are left out."
    ),
    Audience.EMPLOYER: _(
        "This version is for the employer. It holds only what the client agreed to share: the goals of "
        "the agreed plan, the actions that go with them, what the client values in work and the outcome. "
        "Health-related information is left out on purpose: an employer may not receive it."
    ),
}


def sections_for(audience: str) -> frozenset[str]:
    return SECTIONS[Audience(audience)]


SHOWS = {
    "full": _("%(instrument)s: the change in words, the charts and their figures"),
    "summary": _("%(instrument)s: the change in words and the summary chart"),
}


def instrument_visibility(definition, audience: str) -> str:
    """How much of an instrument's results this version shows: none, summary or full (its definition's
    ``roles.reports``; a health-related instrument never reaches the employer)."""
    return definition.roles.report(str(Audience(audience)))


def described(audience: str, definitions=None) -> dict:
    """What a version includes and leaves out, in words (for the choice page); ``definitions``: the current
    instrument definitions by key, to name what each instrument contributes."""
    chosen = sections_for(audience)
    includes = [label for key, label in SECTION_LABELS.items() if key in chosen]
    excludes = [
        label
        for key, label in SECTION_LABELS.items()
        if key not in chosen and key not in ("shared_actions", "summary_charts")
    ]
    for definition in (definitions or {}).values():
        shown = instrument_visibility(definition, audience)
        if shown == "none":
            excludes.append(
                _("%(instrument)s: its results (health-related)") % {"instrument": definition.title}
                if definition.roles.health_related
                else _("%(instrument)s: its results") % {"instrument": definition.title}
            )
        else:
            includes.append(SHOWS[shown] % {"instrument": definition.title})
    return {
        "audience": Audience(audience),
        "purpose": PURPOSES[Audience(audience)],
        "includes": includes,
        "excludes": excludes,
    }
