import json

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from waardewerk.core.access import get_for_actor
from waardewerk.core.exceptions import PermissionDeniedError
from waardewerk.core.formats import day
from waardewerk.core.forms import posted
from waardewerk.core.links import url_with_uuid
from waardewerk.instruments import effect, policies, selectors, services
from waardewerk.instruments.definition import Definition, localised
from waardewerk.instruments.forms import (
    CorrectionForm,
    MeasurementHeaderForm,
    ScheduleForm,
    answers_from_post,
    item_rows,
)
from waardewerk.instruments.models import Instrument, InstrumentVersion, Measurement, Respondent
from waardewerk.trajectories.models import Phase
from waardewerk.trajectories.policies import refusal_to_change, visible_trajectories
from waardewerk.trajectories.selectors import readable_trajectory
from waardewerk.trajectories.services import dossier_read_record


def _trajectory(request, trajectory_id):
    return readable_trajectory(
        request.user,
        trajectory_id,
        visible_trajectories(request.user).select_related("client", "responsible"),
    )


def _require_measuring(request, trajectory) -> None:
    if not policies.can_take_measurement(request.user, trajectory):
        raise PermissionDeniedError(refusal_to_change(trajectory))


def _errors_by_item(exc) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for error in exc.items:
        out.setdefault(error.item, []).append(error.message)
    return out


def _notes(measurement: Measurement) -> dict:
    return json.loads(measurement.notes) if measurement.notes else {}


def _form_page(request, *, trajectory, version, header, answers, notes, errors, draft=None, status=200):
    definition = Definition(version.definition)
    framing = header["framing"].value() if "framing" in header.fields else ""
    groups = item_rows(definition, framing or "", answers, notes, errors)
    unknown = [
        message for item, messages_ in errors.items() if item not in definition.items for message in messages_
    ]
    return render(
        request,
        "instruments/measurement_form.html",
        {
            "trajectory": trajectory,
            "definition": definition,
            "version": version,
            "header": header,
            "groups": groups,
            "item_errors": [
                (row, message) for group in groups for row in group.items for message in row.errors
            ],
            "unknown_errors": unknown,
            "draft": draft,
            "framing_intros": {f["key"]: localised(f.get("intro")) for f in definition.data["framings"]},
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def measurement_new(request, trajectory_id, key):
    trajectory = _trajectory(request, trajectory_id)
    _require_measuring(request, trajectory)
    try:
        version = services.current_version(key)
    except InstrumentVersion.DoesNotExist:
        raise Http404 from None
    definition = Definition(version.definition)
    respondent = request.GET.get("respondent") or definition.data["respondents"][0]
    if respondent not in definition.data["respondents"]:
        respondent = definition.data["respondents"][0]
    initial = {
        "respondent": respondent,
        "framing": definition.default_framing(respondent, trajectory.context),
        "taken_on": timezone.localdate(),
    }
    dossier_read_record(actor=request.user, trajectory=trajectory, detail={"page": key})
    if request.method == "GET":
        header = MeasurementHeaderForm(definition=definition, initial=initial)
        return _form_page(
            request, trajectory=trajectory, version=version, header=header, answers={}, notes={}, errors={}
        )
    return _save(request, trajectory=trajectory, version=version, draft=None)


@require_http_methods(["GET", "POST"])
def measurement_edit(request, measurement_id):
    """Continue a draft."""
    measurement = get_for_actor(selectors.measurement_queryset(request.user), measurement_id)
    if not measurement.is_draft:
        return redirect("instruments:measurement", measurement_id=measurement.uuid)
    trajectory = _trajectory(request, measurement.trajectory.uuid)
    _require_measuring(request, trajectory)
    version = measurement.instrument_version
    dossier_read_record(actor=request.user, trajectory=trajectory, obj=measurement)
    if request.method == "GET":
        definition = Definition(version.definition)
        header = MeasurementHeaderForm(
            definition=definition,
            initial={
                "respondent": measurement.respondent,
                "framing": measurement.framing,
                "taken_on": measurement.taken_on,
            },
        )
        return _form_page(
            request,
            trajectory=trajectory,
            version=version,
            header=header,
            answers=measurement.answers,
            notes=_notes(measurement),
            errors={},
            draft=measurement,
        )
    return _save(request, trajectory=trajectory, version=version, draft=measurement)


def _save(request, *, trajectory, version, draft):
    definition = Definition(version.definition)
    header = MeasurementHeaderForm(request.POST, definition=definition)
    header.is_valid()
    data = getattr(header, "cleaned_data", {})
    answers, notes = answers_from_post(definition, request.POST)
    submit = request.POST.get("action") != "draft"
    try:
        measurement = services.measurement_save(
            actor=request.user,
            trajectory=trajectory,
            version=version,
            respondent=data.get("respondent") or request.POST.get("respondent", ""),
            framing=data.get("framing", ""),
            taken_on=data.get("taken_on"),
            answers=answers,
            notes=notes,
            submit=submit,
            draft=draft,
        )
    except services.MeasurementErrors as exc:
        for name, message in exc.fields.items():
            header.add_error(name if name in header.fields else None, message)
        return _form_page(
            request,
            trajectory=trajectory,
            version=version,
            header=header,
            answers=answers,
            notes=notes,
            errors=_errors_by_item(exc),
            draft=draft,
            status=422,
        )
    except services.DraftSavedWithErrors as exc:
        messages.warning(
            request,
            _("The draft is saved, but %(n)d answer(s) could not be kept. Check the marked questions.")
            % {"n": len(exc.items)},
        )
        return _form_page(
            request,
            trajectory=trajectory,
            version=exc.measurement.instrument_version,
            header=header,
            answers=answers,
            notes=notes,
            errors=_errors_by_item(exc),
            draft=exc.measurement,
            status=422,
        )
    if measurement.is_draft:
        messages.success(request, _("The draft is saved. You can finish it later from the trajectory page."))
        return redirect("instruments:edit", measurement_id=measurement.uuid)
    messages.success(request, _("The measurement is saved."))
    return redirect("instruments:measurement", measurement_id=measurement.uuid)


@require_POST
def measurement_discard(request, measurement_id):
    measurement = get_for_actor(selectors.measurement_queryset(request.user), measurement_id)
    trajectory = measurement.trajectory
    services.measurement_discard(actor=request.user, measurement=measurement)
    messages.success(request, _("The draft is removed."))
    return redirect("trajectories:detail", trajectory_id=trajectory.uuid)


@require_GET
def measurement_detail(request, measurement_id):
    measurement = get_for_actor(selectors.measurement_queryset(request.user), measurement_id)
    if measurement.is_draft:
        return redirect("instruments:edit", measurement_id=measurement.uuid)
    trajectory = measurement.trajectory
    dossier_read_record(actor=request.user, trajectory=trajectory, obj=measurement)
    definition = Definition(measurement.instrument_version.definition)
    notes = _notes(measurement)
    groups = item_rows(definition, measurement.framing, measurement.answers, notes, {})
    chain = selectors.correction_chain(measurement)
    return render(
        request,
        "instruments/measurement_detail.html",
        {
            "measurement": measurement,
            "trajectory": trajectory,
            "definition": definition,
            "groups": groups,
            "summary": effect.score_summary(definition, measurement.score),
            "capability": effect.capability_rows(definition, measurement.score),
            "chain": chain,
            "corrected": any(m.corrects_id == measurement.pk and not m.is_draft for m in chain),
            "can_correct": policies.can_take_measurement(request.user, trajectory),
            "framing_label": next(
                (
                    localised(f["label"])
                    for f in definition.data["framings"]
                    if f["key"] == measurement.framing
                ),
                "",
            ),
        },
    )


@require_http_methods(["GET", "POST"])
def measurement_correct(request, measurement_id):
    original = get_for_actor(selectors.measurement_queryset(request.user), measurement_id)
    trajectory = original.trajectory
    if original.is_draft:
        raise PermissionDeniedError(_("A draft is not corrected: continue the draft instead."))
    _require_measuring(request, trajectory)
    version = original.instrument_version
    definition = Definition(version.definition)
    form = CorrectionForm(posted(request), initial={"taken_on": original.taken_on})
    answers, notes, errors = original.answers, _notes(original), {}
    dossier_read_record(actor=request.user, trajectory=trajectory, obj=original)
    if request.method == "POST":
        answers, notes = answers_from_post(definition, request.POST)
        form.is_valid()
        data = getattr(form, "cleaned_data", {})
        try:
            correction = services.measurement_correct(
                actor=request.user,
                original=original,
                taken_on=data.get("taken_on"),
                answers=answers,
                notes=notes,
                reason=data.get("correction_reason") or request.POST.get("correction_reason", ""),
            )
        except services.MeasurementErrors as exc:
            for name, message in exc.fields.items():
                if name not in form.errors:
                    form.add_error(name if name in form.fields else None, message)
            errors = _errors_by_item(exc)
        else:
            messages.success(request, _("The correction is saved. The original stays in the history."))
            return redirect("instruments:measurement", measurement_id=correction.uuid)
    return render(
        request,
        "instruments/measurement_correct.html",
        {
            "original": original,
            "trajectory": trajectory,
            "definition": definition,
            "form": form,
            "groups": item_rows(definition, original.framing, answers, notes, errors),
            "item_errors": [(item, message) for item, messages_ in errors.items() for message in messages_],
        },
        status=422 if request.method == "POST" else 200,
    )


@require_GET
def effect_view(request, trajectory_id):
    # The trajectory with its client, without the encrypted columns the page does not show (question,
    # closing note, BSN: not decrypted), from a query compiled once.
    trajectory = readable_trajectory(request.user, trajectory_id, selectors.effect_trajectory(request.user))
    dossier_read_record(actor=request.user, trajectory=trajectory, detail={"page": "effect"})
    sets = selectors.trajectory_measurement_sets(trajectory)
    measurements = sets.current
    # One query for the instruments' current versions and the organisation's schedules: what is due, and
    # the roles the definitions take from the current version.
    instruments = selectors.current_instruments(trajectory.organisation_id)
    definitions = selectors.definitions_for(measurements, instruments)
    effects = effect.build(measurements, definitions)
    # The table of all measurements, formatted here once per row (a link from one reverse, the labels of
    # the choices translated once): a trajectory has tens of measurements.
    link = url_with_uuid("instruments:measurement")
    respondents = {value: str(label) for value, label in Respondent.choices}
    phases = {value: str(label) for value, label in Phase.choices}
    rows = [
        {
            "url": link(m.uuid),
            "day": day(m.taken_on, "j M Y"),
            "title": definitions[m.instrument_version_id].short_title,
            "corrected": m.corrects_id is not None,
            "respondent": respondents.get(m.respondent, m.respondent),
            "summary": effect.score_summary(definitions[m.instrument_version_id], m.score),
            "phase": phases.get(m.phase, m.phase),
        }
        for m in reversed(measurements)
    ]
    return render(
        request,
        "instruments/effect.html",
        {
            "trajectory": trajectory,
            "effects": effects,
            "rows": rows,
            "due": selectors.due_overview(trajectory, instruments, submitted=sets.submitted),
            "drafts": sets.drafts,
            "can_measure": policies.can_take_measurement(request.user, trajectory),
            "today": timezone.localdate(),
            "respondent_choices": Respondent.choices,
        },
    )


# Catalogue and schedules -----------------------------------------------------------------------------


@require_GET
def catalogue(request):
    if not policies.can_view_catalogue(request.user):
        raise PermissionDenied
    return render(request, "instruments/catalogue.html", {"instruments": selectors.catalogue()})


@require_GET
def instrument_detail(request, key):
    if not policies.can_view_catalogue(request.user):
        raise PermissionDenied
    found = selectors.instrument_detail(key)
    if found is None:
        raise Http404
    instrument, definition, versions = found
    groups = item_rows(
        definition, definition.framing_keys()[0] if definition.framing_keys() else "", {}, {}, {}
    )
    return render(
        request,
        "instruments/instrument.html",
        {
            "instrument": instrument,
            "definition": definition,
            "versions": versions,
            "groups": groups,
            "roles": effect.roles_in_words(definition),
            "framings": [(f["key"], localised(f["label"])) for f in definition.data["framings"]],
            "scales": [
                (
                    name,
                    [
                        (e["value"], localised(e["label"]), localised(e.get("description")))
                        for e in scale["values"]
                    ],
                    scale,
                )
                for name, scale in definition.data["scales"].items()
            ],
        },
    )


@require_http_methods(["GET", "POST"])
def schedules(request):
    if not policies.can_manage_instruments(request.user):
        raise PermissionDenied
    current = {s.instrument_id: s for s in services.schedules_for(request.user.organisation_id)}
    instruments = list(Instrument.objects.select_related("current").exclude(current=None).order_by("key"))
    posted_key = request.POST.get("instrument") if request.method == "POST" else None
    rows = []
    for instrument in instruments:
        schedule = current.get(instrument.pk)
        initial = {
            "active": bool(schedule and schedule.active),
            "interval_days": schedule.interval_days if schedule else 91,
            "first_within_days": schedule.first_within_days if schedule else 28,
        }
        bound = posted_key == instrument.key
        form = ScheduleForm(request.POST if bound else None, initial=initial, prefix=instrument.key)
        if bound and form.is_valid():
            services.schedule_set(actor=request.user, instrument=instrument, **form.cleaned_data)
            messages.success(
                request,
                _("The schedule of %(name)s is saved; due dates of open trajectories are updated.")
                % {"name": Definition(instrument.current.definition).short_title},
            )
            return redirect("instruments:schedules")
        rows.append(
            {
                "instrument": instrument,
                "definition": Definition(instrument.current.definition),
                "schedule": schedule,
                "form": form,
            }
        )
    status = 422 if posted_key and any(r["form"].errors for r in rows) else 200
    if posted_key and not any(r["instrument"].key == posted_key for r in rows):
        raise Http404
    return render(request, "instruments/schedules.html", {"rows": rows}, status=status)
