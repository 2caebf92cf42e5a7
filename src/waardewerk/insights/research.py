"""The research export (docs/practice-evidence.md, "Research export").

Only trajectories of clients with an active consent for research (``clients.ConsentKind.RESEARCH``, not
withdrawn) that ran on or after the given day; pseudonymised:

- no direct identifiers: no names, BSN, dates of birth, addresses, contact details, employers or job
  titles, no free text at all (goals, notes, reasons are never exported), no professional or team;
- a person and a trajectory get a pseudonym that is an HMAC under a key made for this export only and
  thrown away afterwards, so two exports cannot be linked to each other or back to the client;
- age as a band at the start of the trajectory; the start as a year only; every other moment as whole
  months since the start of the trajectory.

The export is a set of files: ``trajectories``, ``choices`` and ``measurements`` in CSV and in JSON, a data
dictionary (``data-dictionary.json`` and ``data-dictionary.md``) and ``export.json`` about the export
itself. Every client whose data is in it gets an "export" event in the access log, and the export itself
one more (``log_export``).
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import hmac
import io
import json
import secrets
import uuid as uuid_lib
import zipfile
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from waardewerk.audit.services import audit_record, begin_request, current_request_id, end_request
from waardewerk.clients.models import Consent, ConsentKind
from waardewerk.instruments.models import Measurement, MeasurementStatus
from waardewerk.knowledge.models import PlanChoiceEntry
from waardewerk.trajectories.models import Trajectory

AGE_BANDS = ((0, 24, "-24"), (25, 34, "25-34"), (35, 44, "35-44"), (45, 54, "45-54"), (55, 64, "55-64"))
OLDEST_BAND = "65+"
DAYS_PER_MONTH = 365.25 / 12


def dictionary() -> dict[str, list[tuple[str, str]]]:
    """Every column of every table, with what it holds (in the active language)."""
    return {
        "trajectories": [
            ("trajectory", _("Pseudonym of the trajectory (valid within this export only).")),
            ("person", _("Pseudonym of the client (valid within this export only).")),
            ("age_band", _("Age in years at the start of the trajectory, as a band.")),
            (
                "context",
                _(
                    "The trajectory's context: first_track, second_track, participation_act, ww, "
                    "wia_wga or other."
                ),
            ),
            ("start_year", _("Year the trajectory started.")),
            (
                "phase",
                _(
                    "Phase of the cycle at the time of the export (intake, plan, execution, monitoring, "
                    "adjusting, evaluation)."
                ),
            ),
            ("ended", _("Whether the trajectory has ended (true/false).")),
            ("duration_months", _("Whole months from start to end (empty while it runs).")),
            ("end_reason", _("Why it ended (a code; empty while it runs).")),
            ("evaluated", _("Whether an evaluation was recorded (true/false).")),
            ("work", _("Work found or kept at the evaluation (true/false; empty when not recorded).")),
            ("contract_type", _("Kind of contract at the evaluation (a code; empty when none).")),
            (
                "with_support",
                _("Working with support at the evaluation (true/false; empty when not recorded)."),
            ),
            ("hours_per_week", _("Hours per week at the evaluation (empty when not recorded).")),
            ("outcome_level", _("The level on the outcome instrument recorded at the evaluation.")),
            ("evaluation_month", _("Whole months from the start to the evaluation.")),
        ],
        "choices": [
            ("trajectory", _("Pseudonym of the trajectory.")),
            ("entry", _("Key of the knowledge-base entry chosen in the plan.")),
            ("recognition", _("The entry's recognition when it was chosen (a code).")),
            (
                "month",
                _("Whole months from the start of the trajectory to the first plan version choosing it."),
            ),
        ],
        "measurements": [
            ("trajectory", _("Pseudonym of the trajectory.")),
            ("instrument", _("Key of the instrument (see docs/instruments.md).")),
            (
                "instrument_version",
                _("Version of the instrument's definition the measurement was taken with."),
            ),
            ("respondent", _("Who answered: client or professional.")),
            ("framing", _("The framing of the questions used (a key of the instrument's definition).")),
            ("phase", _("Phase of the cycle when it was taken.")),
            ("month", _("Whole months from the start of the trajectory to the measurement.")),
            (
                "answers",
                _("The answers per item id (numbers on the item's scale; notes are never exported)."),
            ),
            ("score", _("The score as the instrument's scoring rule computed it.")),
        ],
    }


def age_band(born: dt.date, on: dt.date) -> str:
    age = on.year - born.year - ((on.month, on.day) < (born.month, born.day))
    for low, high, label in AGE_BANDS:
        if low <= age <= high:
            return label
    return OLDEST_BAND


def months_between(start: dt.date, day: dt.date | None) -> int | None:
    if day is None:
        return None
    return int((day - start).days // DAYS_PER_MONTH)


@dataclass
class Export:
    since: dt.date
    organisation_id: int
    made_at: dt.datetime
    identifier: uuid_lib.UUID = field(default_factory=uuid_lib.uuid4)
    tables: dict[str, list[dict]] = field(default_factory=dict)
    client_uuids: list[uuid_lib.UUID] = field(default_factory=list)

    def about(self) -> dict:
        return {
            "export": str(self.identifier),
            "made_at": self.made_at.isoformat(timespec="seconds"),
            "since": self.since.isoformat(),
            "rows": {name: len(rows) for name, rows in self.tables.items()},
            "persons": len(self.client_uuids),
            "consent": _(
                "Only trajectories of clients with an active consent for research at the time of the export."
            ),
            "pseudonyms": _(
                "Pseudonyms are made with a key used for this export only: they cannot be linked "
                "to another export or back to a client."
            ),
            "dates": _(
                "Age as a band at the start, the start as a year, every other moment as whole months "
                "since the start."
            ),
        }

    def files(self) -> dict[str, bytes]:
        """Every file of the export by name."""
        out = {}
        columns = dictionary()
        for name, rows in self.tables.items():
            buffer = io.StringIO()
            writer = csv.DictWriter(buffer, fieldnames=[c for c, _ in columns[name]], lineterminator="\n")
            writer.writeheader()
            for row in rows:
                writer.writerow({key: _csv_value(value) for key, value in row.items()})
            out[f"{name}.csv"] = buffer.getvalue().encode("utf-8")
            out[f"{name}.json"] = _json(rows)
        out["data-dictionary.json"] = _json({t: dict(cols) for t, cols in columns.items()})
        lines = [f"# {_('Data dictionary of the research export')}", ""]
        for table, cols in columns.items():
            lines += [f"## {table}", "", f"| {_('column')} | {_('meaning')} |", "|---|---|"]
            lines += [f"| `{c}` | {meaning} |" for c, meaning in cols]
            lines.append("")
        out["data-dictionary.md"] = "\n".join(lines).encode("utf-8")
        out["export.json"] = _json(self.about())
        return out

    def zip_bytes(self) -> bytes:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, content in self.files().items():
                archive.writestr(name, content)
        return buffer.getvalue()


def _csv_value(value):
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True, ensure_ascii=False)
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else value


def _json(data) -> bytes:
    return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=False).encode("utf-8")


def consenting_trajectories(organisation_id: int, since: dt.date):
    active = Consent.objects.filter(
        client=OuterRef("client"),
        kind=ConsentKind.RESEARCH,
        party__isnull=True,  # the consent for research in general, not for one party
        given_at__lte=timezone.now(),
        withdrawn_at__isnull=True,
    )
    return (
        Trajectory.objects.filter(organisation_id=organisation_id)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=since))
        .filter(Exists(active))
    )


def build(*, organisation_id: int, since: dt.date) -> Export:
    """The export's rows (four queries), nothing logged yet."""
    export = Export(since=since, organisation_id=organisation_id, made_at=timezone.now())
    key = secrets.token_bytes(32)

    def pseudonym(prefix: str, value) -> str:
        return prefix + hmac.new(key, str(value).encode(), hashlib.sha256).hexdigest()[:16]

    trajectories = list(
        consenting_trajectories(organisation_id, since)
        .select_related("client", "evaluation")
        .only(
            "id",
            "uuid",
            "context",
            "start_date",
            "phase",
            "end_date",
            "end_reason",
            "client__uuid",
            "client__date_of_birth",
            "evaluation__work",
            "evaluation__contract_type",
            "evaluation__with_support",
            "evaluation__hours_per_week",
            "evaluation__ladder_rung",
            "evaluation__created_at",
        )
        .order_by("id")
    )
    starts, names, clients = {}, {}, {}
    rows = []
    for t in trajectories:
        starts[t.pk] = t.start_date
        names[t.pk] = pseudonym("T", t.uuid)
        clients[t.client.uuid] = True
        evaluation = getattr(t, "evaluation", None)
        rows.append(
            {
                "trajectory": names[t.pk],
                "person": pseudonym("P", t.client.uuid),
                "age_band": age_band(t.client.date_of_birth, t.start_date),
                "context": t.context,
                "start_year": t.start_date.year,
                "phase": t.phase,
                "ended": t.end_date is not None,
                "duration_months": months_between(t.start_date, t.end_date),
                "end_reason": t.end_reason,
                "evaluated": evaluation is not None,
                "work": evaluation.work if evaluation else None,
                "contract_type": evaluation.contract_type if evaluation else "",
                "with_support": evaluation.with_support if evaluation else None,
                "hours_per_week": evaluation.hours_per_week if evaluation else None,
                "outcome_level": evaluation.ladder_rung if evaluation else None,
                "evaluation_month": (
                    months_between(t.start_date, timezone.localdate(evaluation.created_at))
                    if evaluation
                    else None
                ),
            }
        )
    export.tables["trajectories"] = rows
    export.client_uuids = list(clients)
    ids = list(starts)
    first_choices = {}
    choices = (
        PlanChoiceEntry.objects.filter(trajectory_id__in=ids)
        .order_by("trajectory_id", "entry_id", "chosen_at")
        .values_list("trajectory_id", "entry__key", "recognition", "chosen_at")
    )
    for trajectory_id, entry_key, recognition, chosen_at in choices:
        first_choices.setdefault((trajectory_id, entry_key), (recognition, chosen_at))
    export.tables["choices"] = [
        {
            "trajectory": names[trajectory_id],
            "entry": entry_key,
            "recognition": recognition,
            "month": months_between(starts[trajectory_id], timezone.localdate(chosen_at)),
        }
        for (trajectory_id, entry_key), (recognition, chosen_at) in first_choices.items()
    ]
    corrected = Measurement.objects.filter(corrects=OuterRef("pk"), status=MeasurementStatus.SUBMITTED)
    measurements = (
        Measurement.objects.filter(trajectory_id__in=ids, status=MeasurementStatus.SUBMITTED)
        .exclude(Exists(corrected))
        .order_by("trajectory_id", "taken_on", "id")
        .values_list(
            "trajectory_id",
            "instrument__key",
            "instrument_version__version",
            "respondent",
            "framing",
            "phase",
            "taken_on",
            "answers",
            "score",
        )
    )
    export.tables["measurements"] = [
        {
            "trajectory": names[trajectory_id],
            "instrument": instrument,
            "instrument_version": version,
            "respondent": respondent,
            "framing": framing,
            "phase": phase,
            "month": months_between(starts[trajectory_id], taken_on),
            "answers": {k: v for k, v in (answers or {}).items() if isinstance(v, int | float)},
            "score": score,
        }
        for trajectory_id, instrument, version, respondent, framing, phase, taken_on, answers, score in (
            measurements.iterator(chunk_size=5000)
        )
    ]
    return export


def log_export(export: Export, *, actor, on_behalf_of: str = "") -> None:
    """An "export" event for every client in the export, and one for the export itself. Outside a request
    (the command) they are buffered and written together, as a request's events are."""
    detail = {"purpose": "research", "export": str(export.identifier), "since": export.since.isoformat()}
    token = None if current_request_id() else begin_request(f"research-export-{export.identifier}", None)
    try:
        for client_uuid in export.client_uuids:
            audit_record(
                actor=actor,
                action="export",
                object_type="insights.researchexport",
                client=client_uuid,
                detail=detail,
                on_behalf_of=on_behalf_of,
            )
        audit_record(
            actor=actor,
            action="export",
            object_type="insights.researchexport",
            detail=detail | {"rows": export.about()["rows"], "persons": len(export.client_uuids)},
            on_behalf_of=on_behalf_of,
        )
    finally:
        if token is not None:
            end_request(token)
