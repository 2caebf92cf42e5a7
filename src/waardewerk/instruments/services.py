"""Writes of instruments and measurements. Each service checks the policy and runs in one transaction."""

from __future__ import annotations

import datetime as dt
import json
import logging
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from waardewerk.accounts.actor import is_application_actor
from waardewerk.audit.services import audit_record
from waardewerk.clients.actor import is_client_actor
from waardewerk.core import formats
from waardewerk.core.content_versions import SHIPPED, ContentStore, LoadResult
from waardewerk.core.exceptions import PermissionDeniedError
from waardewerk.instruments import policies, projection, tasks, versions
from waardewerk.instruments.definition import (
    Definition,
    DefinitionError,
    ItemError,
    parse_definition,
)
from waardewerk.instruments.models import (
    Instrument,
    InstrumentSchedule,
    InstrumentVersion,
    Measurement,
    MeasurementStatus,
    Respondent,
)
from waardewerk.instruments.schedules import Schedule, due_for, schedules_for
from waardewerk.instruments.scoring import score
from waardewerk.timeline.services import timeline_append
from waardewerk.trajectories.models import Trajectory
from waardewerk.trajectories.policies import refusal_to_change

logger = logging.getLogger(__name__)
BUILTIN_DIR = Path(__file__).resolve().parent / "definitions"
NOTE_MAX = 2000
REASON_MAX = 500


# Definitions ------------------------------------------------------------------------------------------


class InstrumentStore(ContentStore):
    """Instrument definitions as versioned content (the rules: ``core.content_versions``). A changed
    shipped definition needs a higher version: loading it under the same number stops ``migrate``.
    Definitions change by file only: there is no ``check`` for edits on a page (a stored definition is the
    normalised form, which the file checker does not read back)."""

    item_model = Instrument
    version_model = InstrumentVersion
    error = DefinitionError
    noun = "instrument"
    load_command = "waardewerk instruments load"

    def parse(self, text: str, filename: str = "") -> dict:
        return parse_definition(text, filename)

    def shipped_files(self) -> list[Path]:
        return sorted(BUILTIN_DIR.glob("*.yaml"))

    def _create(self, item, definition: dict, digest: str, **fields):
        version = super()._create(item, definition, digest, **fields)
        versions.forget(version.pk)  # an id can come back after a rollback: nothing stale held under it
        return version

    def load_shipped(self, loaded_by: str = SHIPPED) -> list[LoadResult]:
        """Each shipped file on its own: one that cannot be stored (e.g. an organisation loaded its own,
        licensed wording under the version number a release now ships) keeps theirs and says what to do,
        rather than stopping ``migrate``."""
        results = []
        for path in self.shipped_files():
            text = path.read_text(encoding="utf-8")
            try:
                definition = self.parse(text, str(path))
                if self._shipped_wanted(definition, path, loaded_by):
                    results.append(self.store(definition, loaded_by=loaded_by, source_file=path.name))
            except DefinitionError as exc:
                logger.warning(
                    "Shipped instrument %s not loaded: %s. Load it (or your own wording with its roles) as a "
                    "higher version.",
                    path.name,
                    exc,
                )
        return results


INSTRUMENTS = InstrumentStore()


def instrument_load(text: str, *, filename: str = "", loaded_by: str = "") -> LoadResult:
    """Store a definition as a new version. The same version with the same content is a no-op; the same
    version with other content is refused, so measurements keep meaning what they meant."""
    return INSTRUMENTS.load(text, filename=filename, loaded_by=loaded_by)


def load_builtin(loaded_by: str = SHIPPED) -> list[LoadResult]:
    return INSTRUMENTS.load_shipped(loaded_by)


def current_version(key: str) -> InstrumentVersion:
    version = INSTRUMENTS.current(key)
    if version is None:
        raise InstrumentVersion.DoesNotExist(key)
    return version


# Schedules --------------------------------------------------------------------------------------------


def schedule_set(
    *, actor, instrument: Instrument, active: bool, interval_days: int | None, first_within_days: int | None
) -> InstrumentSchedule:
    if not policies.can_manage_instruments(actor):
        raise PermissionDeniedError
    errors = {}
    if interval_days is None or not 1 <= interval_days <= 730:
        errors["interval_days"] = _("Give a number of days from 1 to 730.")
    if first_within_days is None or not 0 <= first_within_days <= 365:
        errors["first_within_days"] = _("Give a number of days from 0 to 365.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        schedule, _created = InstrumentSchedule.objects.update_or_create(
            organisation_id=actor.organisation_id,
            instrument=instrument,
            defaults={
                "active": active,
                "interval_days": interval_days,
                "first_within_days": first_within_days,
                "changed_by": actor,
            },
        )
        refresh_due(Trajectory.objects.filter(organisation_id=actor.organisation_id, end_date__isnull=True))
    audit_record(
        actor=actor,
        action="change",
        obj=schedule,
        object_type="instruments.instrumentschedule",
        detail={"instrument": instrument.key, "interval_days": interval_days, "active": active},
    )
    return schedule


def due_on_start(sender, trajectory, **kwargs) -> None:
    """On ``trajectories.signals.trajectory_started``: the due date of the first measurements."""
    refresh_due(Trajectory.objects.filter(pk=trajectory.pk))


def refresh_due(trajectories) -> int:
    """Recompute ``Trajectory.measurement_due_on`` (the earliest due measurement) for open trajectories.

    Three queries plus one bulk update per 1,000 trajectories, whatever the number of measurements."""
    rows = list(trajectories.filter(end_date__isnull=True).only("pk", "organisation_id", "start_date"))
    if not rows:
        return 0
    by_org: dict[int, list[Schedule]] = {}
    last: dict[int, dict[int, dt.date]] = {}
    ids = [t.pk for t in rows]
    for start in range(0, len(ids), 5000):
        chunk = ids[start : start + 5000]
        query = (
            Measurement.objects.filter(trajectory_id__in=chunk, status=MeasurementStatus.SUBMITTED)
            .values("trajectory_id", "instrument_id")
            .annotate(last=Max("taken_on"))
        )
        for row in query:
            last.setdefault(row["trajectory_id"], {})[row["instrument_id"]] = row["last"]
    changed = []
    for trajectory in rows:
        if trajectory.organisation_id not in by_org:
            by_org[trajectory.organisation_id] = schedules_for(trajectory.organisation_id)
        dues = due_for(trajectory, by_org[trajectory.organisation_id], last.get(trajectory.pk, {}))
        trajectory.measurement_due_on = min((d.due_on for d in dues), default=None)
        changed.append(trajectory)
    Trajectory.objects.bulk_update(changed, ["measurement_due_on"], batch_size=1000)
    return len(changed)


# Measurements -----------------------------------------------------------------------------------------


class MeasurementErrors(ValidationError):
    """Errors per item (``items``) and per form field (``fields``); what was valid is kept in a draft."""

    def __init__(self, items: list[ItemError], fields: dict[str, str]):
        self.items = items
        self.fields = fields
        messages = [f"{e.item}: {e.message}" for e in items] + list(fields.values())
        super().__init__(messages)


def _clean_notes(definition: Definition, notes: dict) -> dict:
    out = {}
    for item_id, text in (notes or {}).items():
        if item_id in definition.items and definition.items[item_id]["note"]:
            text = (text or "").strip()[:NOTE_MAX]
            if text:
                out[item_id] = text
    return out


def _check_header(definition, trajectory, respondent, framing, taken_on, fields) -> None:
    if respondent not in definition.data["respondents"]:
        allowed = ", ".join(str(Respondent(r).label) for r in definition.data["respondents"])
        fields["respondent"] = _("This questionnaire is filled in by: %(who)s.") % {"who": allowed}
    if definition.framing_keys() and framing not in definition.framing_keys():
        fields["framing"] = _("Choose one of the framings.")
    if taken_on is None:
        fields["taken_on"] = _("Give the date of the measurement.")
    elif taken_on > timezone.localdate():
        fields["taken_on"] = _("The date cannot be in the future.")
    elif taken_on < trajectory.start_date:
        fields["taken_on"] = _("The date is before the start of the trajectory (%(date)s).") % {
            "date": formats.day(trajectory.start_date, formats.TEXT)
        }


def measurement_save(
    *,
    actor,
    trajectory: Trajectory,
    version: InstrumentVersion,
    respondent: str,
    framing: str,
    taken_on: dt.date | None,
    answers: dict,
    notes: dict | None = None,
    submit: bool,
    draft: Measurement | None = None,
    by_client: bool = False,
) -> Measurement:
    """Save a draft or submit a measurement (a new one, or finishing ``draft``).

    A draft keeps every valid answer and reports the invalid ones; submitting needs every required
    answer within its scale. Nothing is saved when submitting fails, except that ``draft`` is kept as
    it was, so nothing already entered is lost."""
    if not policies.can_take_measurement(actor, trajectory):
        raise PermissionDeniedError(refusal_to_change(trajectory))
    if draft is not None and (draft.trajectory_id != trajectory.pk or not draft.is_draft):
        raise PermissionDeniedError
    if is_client_actor(actor):
        # The client answers for themselves only, and continues only their own drafts.
        if respondent != Respondent.CLIENT or (draft is not None and not draft.entered_by_client):
            raise PermissionDeniedError
        by_client = True
    elif draft is not None and draft.entered_by_client:
        raise PermissionDeniedError  # the client's own draft in the portal is theirs to finish
    definition = Definition(version.definition)
    fields: dict[str, str] = {}
    _check_header(definition, trajectory, respondent, framing, taken_on, fields)
    clean, item_errors = definition.check_answers(answers, complete=submit, framing=framing or "")
    notes = _clean_notes(definition, notes or {})
    if submit and (item_errors or fields):
        raise MeasurementErrors(item_errors, fields)
    if not submit and "taken_on" in fields and taken_on is None:
        taken_on = timezone.localdate()
        del fields["taken_on"]
    if not submit and fields:
        raise MeasurementErrors(item_errors, fields)
    now = timezone.now()
    values = {
        "instrument_version": version,
        "respondent": respondent,
        "framing": framing,
        "taken_on": taken_on,
        "phase": trajectory.phase,
        "answers": clean,
        "notes": json.dumps(notes, ensure_ascii=False) if notes else "",
        # An application (the API) is no user: the access log names it (audit_record below).
        "entered_by": None if (by_client or is_application_actor(actor)) else actor,
        "entered_by_client": by_client,
    }
    if submit:
        values.update(
            status=MeasurementStatus.SUBMITTED, submitted_at=now, score=score(version.definition, clean)
        )
    with transaction.atomic():
        if draft is None:
            measurement = Measurement.objects.create(
                trajectory=trajectory, instrument_id=version.instrument_id, **values
            )
        else:
            if draft.instrument_version_id != version.pk:
                raise PermissionDeniedError
            for name, value in values.items():
                setattr(draft, name, value)
            draft.save()
            measurement = draft
        if submit:
            refresh_due(Trajectory.objects.filter(pk=trajectory.pk))
            timeline_append(projection.measurement(measurement, definition))
            _draw_charts_on_commit(trajectory)
    audit_record(
        actor=actor,
        action="create" if draft is None else "change",
        client=trajectory.client,
        obj=measurement,
        detail={"instrument": version.instrument.key, "status": measurement.status},
    )
    if item_errors:
        # A draft was saved with what was valid; tell which answers were not kept.
        raise DraftSavedWithErrors(measurement, item_errors)
    return measurement


def _draw_charts_on_commit(trajectory: Trajectory) -> None:
    """Once the measurement is stored, draw the trajectory's effect charts into the shared cache (in
    every language), so that no page view has to: ``tasks.draw_effect_charts`` runs in this process with
    the default task backend, in a worker once a background backend is configured."""
    transaction.on_commit(lambda: tasks.draw_effect_charts.enqueue(trajectory.pk))


class DraftSavedWithErrors(Exception):
    def __init__(self, measurement: Measurement, items: list[ItemError]):
        self.measurement = measurement
        self.items = items
        super().__init__(f"{len(items)} answers not kept")


def measurement_discard(*, actor, measurement: Measurement) -> None:
    if not measurement.is_draft:
        raise PermissionDeniedError(_("Only a draft can be removed."))
    if not policies.can_discard_draft(actor, measurement):
        raise PermissionDeniedError(refusal_to_change(measurement.trajectory))
    audit_record(
        actor=actor,
        action="delete",
        client=measurement.trajectory.client,
        obj=measurement,
        detail={"instrument": measurement.instrument.key, "status": "draft"},
    )
    measurement.delete()


def measurement_correct(
    *,
    actor,
    original: Measurement,
    taken_on: dt.date | None,
    answers: dict,
    notes: dict | None,
    reason: str,
) -> Measurement:
    """A submitted measurement is never changed: the correction is a new measurement that names it."""
    trajectory = original.trajectory
    if original.is_draft:
        raise PermissionDeniedError(_("A draft is not corrected: continue the draft instead."))
    if not policies.can_take_measurement(actor, trajectory):
        raise PermissionDeniedError(refusal_to_change(trajectory))
    version = original.instrument_version
    definition = Definition(version.definition)
    fields: dict[str, str] = {}
    _check_header(definition, trajectory, original.respondent, original.framing, taken_on, fields)
    reason = (reason or "").strip()
    if not reason:
        fields["correction_reason"] = _("Say why you correct this measurement.")
    elif len(reason) > REASON_MAX:
        fields["correction_reason"] = _("Use at most %(max)d characters (now %(n)d).") % {
            "max": REASON_MAX,
            "n": len(reason),
        }
    if original.corrections.filter(status=MeasurementStatus.SUBMITTED).exists():
        fields["__all__"] = _("This measurement was corrected already. Correct the latest version.")
    clean, item_errors = definition.check_answers(answers, complete=True, framing=original.framing)
    if item_errors or fields:
        raise MeasurementErrors(item_errors, fields)
    with transaction.atomic():
        correction = Measurement.objects.create(
            trajectory=trajectory,
            instrument_id=original.instrument_id,
            instrument_version=version,
            respondent=original.respondent,
            framing=original.framing,
            phase=original.phase,
            taken_on=taken_on,
            status=MeasurementStatus.SUBMITTED,
            submitted_at=timezone.now(),
            answers=clean,
            notes=json.dumps(_clean_notes(definition, notes or {}), ensure_ascii=False),
            score=score(version.definition, clean),
            entered_by=actor,
            entered_by_client=False,
            corrects=original,
            correction_reason=reason,
        )
        refresh_due(Trajectory.objects.filter(pk=trajectory.pk))
        timeline_append(projection.measurement(correction, definition))
        _draw_charts_on_commit(trajectory)
    audit_record(
        actor=actor,
        action="create",
        client=trajectory.client,
        obj=correction,
        # Not the reason itself: it is free text about the client, encrypted at rest (correction_reason),
        # and the access log is plain text that is exported to a SIEM.
        detail={"instrument": original.instrument.key, "corrects": str(original.uuid)},
    )
    return correction
