"""Collect what one version of the trajectory report shows, as plain data for its template.

Only the sections of the version's audience (``rules.SECTIONS``) are collected: what a version leaves out
is never read into its context, so the template cannot show it by mistake. Every text is written for the
reader: short sentences that say what a figure means, the change on every instrument in words, the goals
in the client's own words. Call within ``translation.override``: the texts come out in the active language.

Which instruments a version shows, and how much of each, comes from the instruments' definitions
(``rules.instrument_visibility``): an instrument a version may not show is dropped before anything is
collected, so neither its charts nor its summary lines nor the values section can reach that version.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from waardewerk.clients.models import ConsentKind
from waardewerk.clients.selectors import has_consent
from waardewerk.core import formats
from waardewerk.instruments import effect as effect_module
from waardewerk.instruments.definition import Definition
from waardewerk.instruments.selectors import outcome_definition
from waardewerk.matching.models import ClientResponse, Decision, Writer
from waardewerk.matching.selectors import candidate_profile, work_values
from waardewerk.reports.rules import PURPOSES, Audience, instrument_visibility, sections_for
from waardewerk.trajectories.models import (
    ActionOwner,
    ActionStatus,
    EvidenceLevel,
    Participant,
    Phase,
    Recognition,
)
from waardewerk.trajectories.plan import PlanContent

# A data table longer than this is shortened to the first and the latest measurement in the report (the
# effect view in the dossier has every row).
COMPACT_ROWS = 14


def day(value) -> str:
    return date_format(value, "j F Y") if value else ""


def short_day(value) -> str:
    """For table cells: "3 mrt. 2026" (``core.formats``)."""
    return formats.day(value) if value else ""


@dataclass
class ReportChart:
    chart: object  # charts.Chart
    description: str
    caption: str
    columns: list[str]
    rows: list[list[str]]
    compacted: bool = False


@dataclass
class ReportEffect:
    key: str
    title: str
    changes: list[str]
    charts: list[ReportChart] = field(default_factory=list)
    validation_note: str = ""
    notes: list[dict] = field(default_factory=list)


def build_context(
    trajectory,
    *,
    audience: str,
    measurements: list,
    definitions: dict[int, Definition],
    current_definitions: dict[str, Definition],
    vocabulary: tuple[dict[str, str], dict[str, str]],
    today=None,
) -> dict:
    """The template context of one report version. ``trajectory`` comes from ``selectors.report_queryset``
    (everything prefetched); ``measurements`` are its current submitted measurements, oldest first."""
    audience = Audience(audience)
    show = sections_for(audience)
    today = today or timezone.localdate()
    client = trajectory.client
    name = client.first_name
    values_vocabulary, determinants_vocabulary = vocabulary

    versions = list(trajectory.plan_versions.all())
    agreed_versions = [v for v in versions if list(v.agreements.all())]
    # The employer sees only what the client agreed to: the latest plan version with the client's agreement.
    plan_version = (
        (agreed_versions[-1] if agreed_versions else None)
        if audience == Audience.EMPLOYER
        else (versions[-1] if versions else None)
    )
    plan = PlanContent.from_json(plan_version.content) if plan_version else None
    actions = _actions(trajectory, show, plan)
    effects = [
        e
        for e in (effect_module.build(measurements, definitions) if measurements else [])
        if instrument_visibility(e.definition, audience) != "none"
    ]
    evaluation = getattr(trajectory, "evaluation", None)
    outcome = outcome_definition(current_definitions)

    context = {
        "show": show,
        "audience": audience,
        "audience_label": audience.label,
        "purpose": PURPOSES[audience],
        "client_name": client.full_name,
        "first_name": name,
        "date_of_birth": day(client.date_of_birth) if "date_of_birth" in show else "",
        "context_label": trajectory.get_context_display() if "context" in show else "",
        "start": day(trajectory.start_date),
        "end": day(trajectory.end_date),
        "is_open": trajectory.is_open,
        "phase_label": trajectory.get_phase_display(),
        "responsible": trajectory.responsible.get_full_name() or trajectory.responsible.get_username(),
        "organisation": trajectory.organisation.name,
        "team": trajectory.team.name if trajectory.team_id else "",
        "report_date": day(today),
        "title": _("Trajectory report %(name)s") % {"name": client.full_name},
    }
    context["summary"] = _summary(trajectory, show, effects, plan, actions, evaluation)
    if "question" in show:
        context["question"] = trajectory.question
    if "values" in show:
        context["values"] = _values(effects)
    if "goals" in show:
        context["plan"] = _plan(
            plan_version, plan, versions, show, values_vocabulary, determinants_vocabulary
        )
    context["actions"] = actions
    if "progress" in show:
        context["effects"] = _effects(effects, show, definitions, audience)
    if "adjustments" in show:
        context["adjustments"] = _adjustments(trajectory, show, current_definitions)
    if "course" in show:
        context["course"] = _course(trajectory, show)
    if "contacts" in show:
        context["contacts"] = _contacts(trajectory, show)
    if "outcome" in show:
        context["outcome"] = _outcome(
            trajectory,
            evaluation,
            outcome,
            show_level=outcome is None or instrument_visibility(outcome, audience) != "none",
        )
    if "fit" in show or "availability" in show:
        agreed = _agreed(trajectory, audience)
    if "fit" in show:
        context["fits"] = _fits(agreed)
    if "availability" in show:
        profile = _shared_availability(trajectory, audience, agreed)
        context["availability"] = _availability(profile, audience, agreed) if profile else None
    if evaluation is not None:
        if "client_evaluation" in show:
            context["client_evaluation"] = evaluation.client_evaluation
        if "reflection" in show:
            context["reflection"] = [
                (_("What worked"), evaluation.what_worked),
                (_("What I would do differently"), evaluation.do_differently),
                (_("Chances I left"), evaluation.missed_chances),
            ]
    if "end_note" in show:
        context["end_note"] = trajectory.end_note
    return context


# The agreed fit with a job --------------------------------------------------------------------------------


def _agreed(trajectory, audience) -> list:
    """The jobs proposed to the client that the client answered "interested" on. For the employer's version
    only those of an employer the client gave consent for (``clients.selectors.has_consent`` with that
    employer as the party): without it, nothing about the fit reaches an employer."""
    agreed = [
        p
        for p in trajectory.job_proposals.all()
        if p.decision == Decision.PROPOSE and p.response == ClientResponse.INTERESTED
    ]
    if audience == Audience.EMPLOYER:
        agreed = [
            p
            for p in agreed
            if has_consent(trajectory.client, ConsentKind.EMPLOYER, party=p.job.employer.uuid)
        ]
    return agreed


def _fits(agreed) -> list[dict]:
    """The fit summary of the agreed jobs (``_agreed``) as it was when decided (``Proposal.fit``: statuses, no
    answers)."""
    if not agreed:
        return []
    values = work_values()
    titles = values.titles() if values else {}
    rows = []
    for proposal in agreed:
        fit = proposal.fit or {}
        important, matched = fit.get("important") or [], fit.get("matched") or []
        rows.append(
            {
                "job": proposal.job.title,
                "employer": proposal.job.employer.name,
                "share": (
                    _("%(matched)s of %(important)s important work values")
                    % {"matched": len(matched), "important": len(important)}
                    if important
                    else _("no work value marked important")
                ),
                "matched": ", ".join(titles.get(k, k) for k in matched) or "–",
                "gaps": ", ".join(titles.get(k, k) for k in fit.get("gaps") or []) or "–",
                "decided": day(proposal.decided_at.date()),
            }
        )
    return rows


def _shared_availability(trajectory, audience, agreed):
    """The client's availability and strengths (``matching.CandidateProfile``) for this version, or None.
    The client's file shows what is recorded. The employer's version shows it only under the rule of the
    employer's one-time link (docs/matching.md): the candidate profile went to an employer
    (``Proposal.shared_at``) and the client's consent for that employer is in force (``agreed`` holds only
    such employers' jobs). No query: the client comes with it (``selectors.report_queryset``)."""
    if audience == Audience.EMPLOYER and not any(p.shared_at for p in agreed):
        return None
    return candidate_profile(trajectory.client)


def _availability(profile, audience, agreed) -> dict:
    """The availability and strengths as rows for the report, in the active language; without the name of
    the professional who recorded them (as the employer's link)."""
    if profile.travel_km is None:
        travel = ", ".join(profile.travel_means_labels) or "–"
    else:
        travel = ngettext("at most %(km)s kilometre", "at most %(km)s kilometres", profile.travel_km) % {
            "km": profile.travel_km
        }
        if profile.travel_means:
            travel += ", " + ", ".join(profile.travel_means_labels)
    rows = [
        (_("Hours per week the client wants to work"), str(profile.hours_per_week or "–")),
        (_("Days"), ", ".join(profile.day_labels) or "–"),
        (_("Parts of the day"), ", ".join(profile.day_part_labels) or "–"),
        (_("Available from"), day(profile.available_from) or "–"),
        (_("Travel"), travel),
    ]
    if profile.availability_note:
        rows.append((_("More about availability"), profile.availability_note))
    rows.append((_("Strengths, in the client's own words"), profile.strengths or "–"))
    when = day(timezone.localtime(profile.written_at).date())
    written = (
        _("Written by the client on %(date)s.") % {"date": when}
        if profile.written_by == Writer.CLIENT
        else _("Recorded with the client by their professional on %(date)s.") % {"date": when}
    )
    shared_with = sorted({p.job.employer.name for p in agreed if p.shared_at})
    return {
        "profile": profile,  # for the access log (services.report_print)
        "rows": rows,
        "written": written,
        "shared_with": (
            _("In this version because the client agreed that it goes to %(employers)s.")
            % {"employers": ", ".join(shared_with)}
            if audience == Audience.EMPLOYER
            else ""
        ),
    }


# Summary -------------------------------------------------------------------------------------------------


def _summary(trajectory, show, effects, plan, actions, evaluation) -> list[str]:
    client = trajectory.client.full_name
    professional = trajectory.responsible.get_full_name() or trajectory.responsible.get_username()
    facts = {
        "client": client,
        "professional": professional,
        "organisation": trajectory.organisation.name,
        "context": trajectory.get_context_display(),
        "start": day(trajectory.start_date),
        "end": day(trajectory.end_date),
        "phase": trajectory.get_phase_display().lower(),
    }
    if "context" not in show:
        lines = [
            _(
                "%(client)s has been working with %(professional)s (%(organisation)s) since %(start)s. The "
                "trajectory is now in the %(phase)s phase."
            )
            % facts
            if trajectory.is_open
            else _("%(client)s worked with %(professional)s (%(organisation)s) from %(start)s to %(end)s.")
            % facts
        ]
    elif trajectory.is_open:
        lines = [
            _(
                "%(client)s has been working with %(professional)s (%(organisation)s) since %(start)s, in a "
                "trajectory for %(context)s. The trajectory is now in the %(phase)s phase."
            )
            % facts
        ]
    else:
        lines = [
            _(
                "%(client)s worked with %(professional)s (%(organisation)s) from %(start)s to %(end)s, in a "
                "trajectory for %(context)s."
            )
            % facts
        ]
    capability = next((e for e in effects if e.summary == "capability_set"), None)
    if capability is not None:
        scores = [m.score for m in capability.measurements if m.score.get("rule") == "capability_set"]
        if scores:
            total = len(scores[-1]["values"])
            if len(scores) > 1:
                lines.append(
                    _(
                        "At the first measurement %(first)s of the %(total)s work values were in "
                        "%(name)s's capability set, at the latest %(last)s."
                    )
                    % {
                        "first": scores[0]["capability_set_size"],
                        "last": scores[-1]["capability_set_size"],
                        "total": total,
                        "name": trajectory.client.first_name,
                    }
                )
            else:
                lines.append(
                    _(
                        "%(n)s of the %(total)s work values are in %(name)s's capability set "
                        "(one measurement)."
                    )
                    % {
                        "n": scores[-1]["capability_set_size"],
                        "total": total,
                        "name": trajectory.client.first_name,
                    }
                )
    for level in (e for e in effects if e.summary == "level"):
        levels = [m.score["level"] for m in level.measurements if m.score.get("rule") == "level"]
        if not levels:
            continue
        facts = {
            "instrument": level.definition.title,
            "name": trajectory.client.first_name,
            "first": _level(level.definition, levels[0]),
            "last": _level(level.definition, levels[-1]),
        }
        if len(levels) > 1 and levels[0] != levels[-1]:
            lines.append(_("%(instrument)s: %(name)s went from %(first)s to %(last)s.") % facts)
        else:
            lines.append(_("%(instrument)s: %(name)s is now at %(last)s.") % facts)
    if plan is not None and plan.goals:
        achieved = sum(1 for g in plan.goals if g.status == "achieved")
        lines.append(
            ngettext(
                "The plan has %(n)d goal; achieved so far: %(achieved)d.",
                "The plan has %(n)d goals; achieved so far: %(achieved)d.",
                len(plan.goals),
            )
            % {"n": len(plan.goals), "achieved": achieved}
        )
    if actions:
        current = [a for a in actions if a["status"] != ActionStatus.CANCELLED]
        done = sum(1 for a in current if a["status"] == ActionStatus.DONE)
        cancelled = len(actions) - len(current)
        if current:
            line = ngettext(
                "%(n)d action was agreed; done so far: %(done)d.",
                "%(n)d actions were agreed; done so far: %(done)d.",
                len(current),
            ) % {"done": done, "n": len(current)}
            if cancelled:
                line += " " + ngettext(
                    "%(n)d action was cancelled.", "%(n)d actions were cancelled.", cancelled
                ) % {"n": cancelled}
            lines.append(line)
    if evaluation is not None and evaluation.work is not None:
        if evaluation.work:
            where = ", ".join(
                part
                for part in (
                    evaluation.job_title,
                    evaluation.employer,
                    _("%(hours)s hours a week") % {"hours": evaluation.hours_per_week}
                    if evaluation.hours_per_week
                    else "",
                )
                if part
            )
            lines.append(
                (_("Outcome: work (%(where)s).") % {"where": where}) if where else _("Outcome: work.")
            )
        else:
            lines.append(_("Outcome: no work (yet) at the evaluation."))
    if not trajectory.is_open and trajectory.end_reason:
        lines.append(
            _("The trajectory was closed: %(reason)s.")
            % {"reason": trajectory.get_end_reason_display().lower()}
        )
    return lines


def _level(definition: Definition, level) -> str:
    """A level with its label, for a sentence: "2 (social contacts outside the home)"."""
    label = definition.scale_label(effect_module.level_item(definition), level)
    return f"{level} ({label.lower()})" if label and label != str(level) else str(level)


# Values (the capability set) -----------------------------------------------------------------------------


def _values(effects) -> dict | None:
    """What the client values in work: the latest capability set of the first instrument summarised as one."""
    capability = next((e for e in effects if e.summary == "capability_set"), None)
    if capability is None:
        return None
    measurements = [m for m in capability.measurements if m.score.get("rule") == "capability_set"]
    if not measurements:
        return None
    definition = capability.definition
    latest = measurements[-1]
    score = latest.score
    titles = {key: definition.group_title(key) for key in definition.params["values"]}
    status = {key: value["status"] for key, value in score["values"].items()}
    act_on = []
    for key in score["discrepancies"]:
        if status[key] == "not_enabled":
            why = _("important, but the (intended) work does not make it possible (a point for the work)")
        else:
            why = _("important and possible in the work, but it does not work out yet (a point for support)")
        act_on.append((titles[key], why))
    return {
        "date": day(latest.taken_on),
        "threshold": score.get("threshold", 4),
        "total": len(titles),
        "size": score["capability_set_size"],
        "in_set": [titles[k] for k in score["capability_set"]],
        "act_on": act_on,
        "not_valued": [titles[k] for k, s in status.items() if s == "not_valued"],
        "instrument": definition.title,
    }


# Plan -----------------------------------------------------------------------------------------------------


def _plan(version, plan, versions, show, values_vocabulary, determinants_vocabulary) -> dict:
    statuses = {"active": _("working on it"), "achieved": _("achieved"), "dropped": _("dropped")}
    levels = dict(EvidenceLevel.choices)
    recognitions = dict(Recognition.choices)
    result = {"version": None, "goals": [], "choices": [], "agreement": None, "history": []}
    if version is None:
        return result
    result["version"] = {"number": version.number, "date": day(timezone.localtime(version.created_at).date())}
    for goal in plan.goals:
        result["goals"].append(
            {
                "text": goal.text,
                "status": statuses.get(goal.status, goal.status),
                "values": [values_vocabulary.get(v, v) for v in goal.values],
                "determinants": [determinants_vocabulary.get(d, d) for d in goal.determinants]
                if "goal_determinants" in show
                else [],
            }
        )
    if "grounds" in show:
        source_names = {
            "research": _("research"),
            "expertise": _("professional expertise"),
            "preference": _("the client's preference"),
        }
        for choice in plan.choices:
            goal = plan.goal(choice.goal)
            research = choice.research.strip()
            level = levels.get(choice.evidence_level, "") if choice.evidence_level else ""
            if choice.entry:
                # Recognition and references come from the knowledge-base entry that was chosen.
                level = recognitions.get(choice.recognition, "")
                references = ngettext(
                    "%(n)d reference in the knowledge base",
                    "%(n)d references in the knowledge base",
                    choice.entry_references,
                ) % {"n": choice.entry_references}
                research = "; ".join(filter(None, [references if choice.entry_references else "", research]))
            result["choices"].append(
                {
                    "description": choice.description,
                    "goal": goal.text if goal else "",
                    "in_knowledge_base": bool(choice.entry),
                    "research": research,
                    "research_missing": "research" in choice.missing_sources,
                    "evidence_level": level,
                    "expertise": choice.expertise.strip(),
                    "preference": choice.preference.strip(),
                    "missing": [source_names[s] for s in choice.missing_sources],
                }
            )
    if "agreement" in show:
        agreements = list(version.agreements.all())
        if agreements:
            last = agreements[-1]
            result["agreement"] = {
                "agreed": True,
                "date": day(last.agreed_on),
                "how": last.get_method_display(),
            }
        else:
            earlier = [v for v in versions if v.number < version.number and list(v.agreements.all())]
            result["agreement"] = {
                "agreed": False,
                "earlier": earlier[-1].number if earlier else None,
            }
    if "plan_history" in show:
        for v in versions:
            agreements = list(v.agreements.all())
            result["history"].append(
                {
                    "number": v.number,
                    "date": short_day(timezone.localtime(v.created_at).date()),
                    "reason": v.reason if "plan_reasons" in show else "",
                    "agreed": ", ".join(short_day(a.agreed_on) for a in agreements),
                }
            )
    return result


# Actions --------------------------------------------------------------------------------------------------


def _actions(trajectory, show, plan) -> list[dict]:
    if "actions" in show:
        chosen = list(trajectory.actions.all())
    elif "shared_actions" in show:
        goal_keys = {g.key for g in plan.goals} if plan else set()
        chosen = [
            a
            for a in trajectory.actions.all()
            if a.status != ActionStatus.CANCELLED
            and ((a.goal_key and a.goal_key in goal_keys) or a.owner == ActionOwner.EMPLOYER)
        ]
    else:
        return []
    goals = {g.key: g.text for g in plan.goals} if plan else {}
    chosen.sort(key=lambda a: (a.due_date, a.pk))
    return [
        {
            "description": a.description,
            "owner": a.get_owner_display(),
            "agreed_on": short_day(a.agreed_on),
            "due": short_day(a.due_date),
            "status": a.status,
            "status_label": (
                _("done on %(date)s") % {"date": short_day(a.completed_on)}
                if a.status == ActionStatus.DONE and a.completed_on
                else a.get_status_display().lower()
            ),
            "goal": goals.get(a.goal_key, ""),
        }
        for a in chosen
    ]


# Progress: the effect of the support ---------------------------------------------------------------------


def _effects(effects, show, definitions, audience) -> list[ReportEffect]:
    result = []
    for item in effects:
        # "summary": the change in words and the instrument's summary chart (the first of roles.effect.charts)
        charts = (
            item.charts if instrument_visibility(item.definition, audience) == "full" else item.charts[:1]
        )
        if "charts" not in show and "summary_charts" not in show:
            charts = []
        report = ReportEffect(
            key=item.key,
            title=item.title,
            changes=list(item.changes),
            validation_note="" if item.definition.is_validated else _not_validated(item.definition),
        )
        for chart in charts:
            rows, compacted = _compact(chart.table, group_column=_group_column(item, chart))
            report.charts.append(
                ReportChart(
                    chart.chart,
                    chart.description,
                    chart.table.caption,
                    chart.table.columns,
                    rows,
                    compacted,
                )
            )
        if "measurement_notes" in show:
            report.notes = _notes(item, definitions)
        result.append(report)
    return result


def _not_validated(definition: Definition) -> str:
    return _(
        "%(instrument)s is not a validated questionnaire: its scores support the conversation and show "
        "change for this client; they are not a judgement about the client."
    ) % {"instrument": definition.title}


def _group_column(item, chart) -> int | None:
    """The column that tells a table's row groups apart (work value, respondent), or None for one row per
    measurement."""
    columns = chart.table.columns
    if len(columns) > 2 and columns[1] in (_("Work value"), _("Rated by")):
        return 1
    return None


def _compact(table, *, group_column: int | None) -> tuple[list[list[str]], bool]:
    """Long tables keep the first and the latest measurement of every group (rows are oldest first)."""
    rows = table.rows
    if len(rows) <= COMPACT_ROWS:
        return rows, False
    groups: dict[str, list[int]] = {}
    for index, row in enumerate(rows):
        groups.setdefault(row[group_column] if group_column is not None else "", []).append(index)
    firsts = {indexes[0] for indexes in groups.values()}
    lasts = {indexes[-1] for indexes in groups.values()}
    first_dates = {rows[i][0] for i in firsts}
    last_dates = {rows[i][0] for i in lasts}
    keep = [row for row in rows if row[0] in first_dates or row[0] in last_dates]
    if len(keep) >= len(rows):
        return rows, False
    return keep, True


def _notes(item, definitions) -> list[dict]:
    notes = []
    for measurement in item.measurements:
        if not measurement.notes:
            continue
        try:
            texts = json.loads(measurement.notes)
        except ValueError:
            continue
        definition = definitions.get(measurement.instrument_version_id, item.definition)
        for item_id, text in texts.items():
            if not (text or "").strip():
                continue
            label = definition.item_label(item_id) if item_id in definition.items else item_id
            notes.append(
                {
                    "date": short_day(measurement.taken_on),
                    "respondent": measurement.get_respondent_display(),
                    "item": label,
                    "text": text,
                }
            )
    return notes


# Adjustments, course, contacts ---------------------------------------------------------------------------


def _adjustments(trajectory, show, current_definitions) -> list[dict]:
    rows = []
    for adjustment in sorted(trajectory.adjustments.all(), key=lambda a: (a.date, a.pk)):
        prompted = adjustment.get_prompted_by_display().lower()
        if adjustment.measurement_id and adjustment.measurement is not None:
            measurement = adjustment.measurement
            definition = current_definitions.get(measurement.instrument.key)
            prompted = _("a measurement (%(instrument)s of %(date)s)") % {
                "instrument": definition.short_title if definition else measurement.instrument.key,
                "date": day(measurement.taken_on),
            }
        rows.append(
            {
                "date": day(adjustment.date),
                "prompted_by": prompted,
                "event": adjustment.event if "adjustment_events" in show else "",
                "reason": adjustment.reason,
                "change": adjustment.change,
            }
        )
    return rows


def _course(trajectory, show) -> dict:
    labels = dict(Phase.choices)
    phases = []
    for change in trajectory.phase_changes.all():
        phases.append(
            {
                "date": short_day(timezone.localtime(change.changed_at).date()),
                "phase": labels.get(change.to_phase, change.to_phase),
                "started": not change.from_phase,
                "reason": change.reason if "phase_reasons" in show else "",
            }
        )
    handovers = [
        {
            "date": short_day(timezone.localtime(h.handed_over_at).date()),
            "from": str(h.from_user),
            "to": str(h.to_user),
            "reason": h.reason if "phase_reasons" in show else "",
        }
        for h in trajectory.handovers.all()
    ]
    return {"phases": phases, "handovers": handovers}


def _contacts(trajectory, show) -> dict:
    participants = dict(Participant.choices)
    conversations = sorted(trajectory.conversations.all(), key=lambda c: (c.date, c.pk))
    rows = [
        {
            "date": day(c.date),
            "short_date": short_day(c.date),
            "mode": c.get_mode_display(),
            "participants": ", ".join(str(participants.get(p, p)) for p in c.participants)
            + (f" ({c.other_participants})" if c.other_participants and "conversation_notes" in show else ""),
            "notes": c.summary if "conversation_notes" in show else "",
        }
        for c in conversations
    ]
    notes = []
    if "progress_notes" in show:
        notes = [
            {"date": day(n.date), "text": n.text, "by": str(n.recorded_by)}
            for n in sorted(trajectory.progress_notes.all(), key=lambda n: (n.date, n.pk))
        ]
    return {"conversations": rows, "notes": notes}


# Outcome --------------------------------------------------------------------------------------------------


def _outcome(trajectory, evaluation, outcome, *, show_level: bool) -> dict:
    rows = []
    if evaluation is not None:
        yes_no = {True: _("yes"), False: _("no"), None: ""}
        rows.append((_("Work found or kept"), yes_no[evaluation.work]))
        if evaluation.work:
            rows += [
                (_("Employer"), evaluation.employer),
                (_("Function"), evaluation.job_title),
                (
                    _("Hours per week"),
                    str(evaluation.hours_per_week) if evaluation.hours_per_week is not None else "",
                ),
                (_("Contract"), evaluation.get_contract_type_display() if evaluation.contract_type else ""),
            ]
        support = yes_no[evaluation.with_support]
        if evaluation.with_support and evaluation.support:
            support = f"{support}: {evaluation.support}"
        rows.append((_("With support"), support))
        if evaluation.ladder_rung is not None and show_level:
            rows.append(
                (outcome.title, effect_module.level_label(outcome, evaluation.ladder_rung))
                if outcome is not None
                else (_("Outcome level"), str(evaluation.ladder_rung))
            )
    if not trajectory.is_open:
        rows.append((_("Closed on"), day(trajectory.end_date)))
        rows.append((_("Reason for closing"), trajectory.get_end_reason_display()))
    return {"recorded": evaluation is not None, "rows": [(label, value) for label, value in rows if value]}
