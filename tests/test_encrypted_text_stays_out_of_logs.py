"""What is encrypted at rest never reaches the access log, its exports or the application log in plain text
(docs/security.md, "Findings of the outside probe": the reason for a measurement's correction was copied into
``audit_accessevent.reason`` and the JSONL export).

Every encrypted field of every model (``core.fields.EncryptedTextField`` and its subclasses) gets a unique
marker, written through the pages that write it. A new encrypted field without a writer here fails the test.
"""

import base64
import csv
import datetime as dt
import io
import json
import logging
import random
import uuid

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from tests.access_intervision import intervision_world
from tests.factories import TrajectoryFactory, UserFactory, igm_answers, lwc_answers, make_measurement
from tests.portal_helpers import log_in_client
from waardewerk.accounts.middleware import TWO_FACTOR_VERIFIED_AT, now_seconds
from waardewerk.accounts.models import Role
from waardewerk.audit.models import AccessEvent
from waardewerk.core import outbox
from waardewerk.core.fields import encrypted_fields
from waardewerk.intervision.method import Method
from waardewerk.privacy.models import DataSubjectRequest, DestructionList, LegalHold
from waardewerk.trajectories.models import PlanVersion


def _valid_bsn() -> str:
    while True:
        digits = [random.randint(1, 9)] + [random.randint(0, 9) for _ in range(7)]
        check = sum(w * d for w, d in zip(range(9, 1, -1), digits, strict=True)) % 11
        if check < 10:
            return "".join(map(str, digits + [check]))


class Marks:
    """One marker per encrypted field: ``text(label)`` makes one, ``use(label, value)`` records a value the
    application generated (a secret, a BSN)."""

    def __init__(self):
        self.by_field: dict[str, str] = {}

    def text(self, label: str) -> str:
        marker = f"MARK{uuid.uuid4().hex[:12]}"
        self.by_field[label] = marker
        return marker

    def use(self, label: str, value: str) -> str:
        self.by_field[label] = value
        return value


def _today():
    return timezone.localdate().isoformat()


def _ok(response):
    assert response.status_code in (200, 302), (response.status_code, response.content[:2000])
    return response


def write_everything(http, env, marks: Marks) -> None:
    """Write every encrypted field through the page (or, for the client, the portal page) that writes it."""
    professional, trajectory = env["professional"], env["trajectory"]
    http.force_login(professional)
    t = lambda name, *args: reverse(f"trajectories:{name}", args=[trajectory.uuid, *args])  # noqa: E731

    # Two-step verification: the secret is generated.
    _ok(http.get(reverse("accounts:two_factor_setup")))
    marks.use("accounts.TOTPDevice.secret", professional.totp_device.secret)

    # A new client with a BSN, and a trajectory with its question.
    bsn = marks.use("clients.Client.bsn", _valid_bsn())
    _ok(
        http.post(
            reverse("clients:register"),
            {"first_name": "Nieuw", "last_name": "Persoon", "date_of_birth": "1980-01-01", "bsn": bsn},
        )
    )
    new_client = apps.get_model("clients", "Client").objects.get(last_name="Persoon")
    _ok(
        http.post(
            reverse("trajectories:start", args=[new_client.uuid]),
            {
                "context": "participation_act",
                "responsible": professional.pk,
                "start_date": _today(),
                "question": marks.text("trajectories.Trajectory.question"),
            },
        )
    )

    # The methodical cycle.
    _ok(
        http.post(
            t("change_phase"),
            {
                "to_phase": "plan",
                "reason": marks.text("trajectories.PhaseChange.reason"),
                "version": trajectory.version,
            },
        )
    )
    summary = marks.text("trajectories.Conversation.summary")
    _ok(http.post(t("add_conversation"), {"date": _today(), "mode": "phone", "summary": summary}))
    marks.use("timeline.TimelineEntry.summary", summary)  # the timeline keeps the texts of its sources
    _ok(
        http.post(
            t("plan_edit"),
            {
                "base_number": "1",
                "goal-TOTAL_FORMS": "1",
                "goal-INITIAL_FORMS": "1",
                "goal-0-key": "g-1",
                "goal-0-text": marks.text("trajectories.PlanVersion.content"),
                "goal-0-status": "active",
                "choice-TOTAL_FORMS": "1",
                "choice-INITIAL_FORMS": "0",
                "choice-0-description": "Sollicitatietraining",
                "choice-0-preference": "Liever in een groep",
                "reason": marks.text("trajectories.PlanVersion.reason"),
            },
        )
    )
    _ok(
        http.post(
            t("plan_agree"),
            {
                "agreed_on": _today(),
                "method": "signed",
                "note": marks.text("trajectories.PlanAgreement.note"),
            },
        )
    )
    _ok(http.post(t("add_note"), {"date": _today(), "text": marks.text("trajectories.ProgressNote.text")}))
    _ok(
        http.post(
            t("adjustment"),
            {
                "date": _today(),
                "prompted_by": "event",
                "event": marks.text("trajectories.Adjustment.event"),
                "reason": marks.text("trajectories.Adjustment.reason"),
                "change": marks.text("trajectories.Adjustment.change"),
            },
        )
    )
    _ok(
        http.post(
            t("evaluation"),
            {
                "version": "0",
                "client_evaluation": marks.text("trajectories.Evaluation.client_evaluation"),
                "what_worked": marks.text("trajectories.Evaluation.what_worked"),
                "do_differently": marks.text("trajectories.Evaluation.do_differently"),
                "missed_chances": marks.text("trajectories.Evaluation.missed_chances"),
            },
        )
    )

    # Measurements: a note with an answer, and a correction with its reason.
    answers = {f"item-{k}": v for k, v in igm_answers(3).items()}
    _ok(
        http.post(
            reverse("instruments:new", args=[trajectory.uuid, "igm"]),
            answers
            | {
                "taken_on": _today(),
                "respondent": "professional",
                "framing": "professional",
                "action": "submit",
                "note-self_efficacy": marks.text("instruments.Measurement.notes"),
            },
        )
    )
    _ok(
        http.post(
            reverse("instruments:correct", args=[env["measurement"].uuid]),
            {f"item-{k}": v for k, v in lwc_answers(a=5).items()}
            | {
                "taken_on": env["measurement"].taken_on.isoformat(),
                "correction_reason": marks.text("instruments.Measurement.correction_reason"),
            },
        )
    )

    # The portal: an invitation by text message (the development backend writes it to the log), a goal
    # proposal and the professional's answer.
    client = trajectory.client
    client.phone = marks.use("portal.PortalInvitation.destination", f"06{random.randint(0, 10**8 - 1):08d}")
    client.save()
    _ok(http.post(reverse("portal:invite", args=[trajectory.uuid]), {"channel": "sms"}))
    plan = PlanVersion.objects.filter(trajectory=trajectory).order_by("-number").first()
    marks.use("portal.GoalProposal.original_text", json.loads(plan.content)["goals"][0]["text"])
    portal = http.__class__()
    log_in_client(portal, client)
    _ok(
        portal.post(
            reverse("portal:goal_propose"),
            {"goal_key": "g-1", "text": marks.text("portal.GoalProposal.text")},
        )
    )
    proposal = apps.get_model("portal", "GoalProposal").objects.get(trajectory=trajectory)
    # The client corrects their preference for a choice of the agreed plan.
    choice = json.loads(plan.content)["choices"][0]
    marks.use("trajectories.PreferenceCorrection.previous_text", choice["preference"])
    _ok(
        portal.post(
            reverse("portal:preference", args=[choice["key"]]),
            {"text": marks.text("trajectories.PreferenceCorrection.text")},
        )
    )
    # The client's own evaluation ("Terugkijken"), written in the evaluation phase.
    trajectories = apps.get_model("trajectories", "Trajectory").objects.filter(pk=trajectory.pk)
    phase = trajectories.values_list("phase", flat=True).get()
    trajectories.update(phase="evaluation")
    _ok(
        portal.post(
            reverse("portal:evaluation"),
            {
                "went_well": marks.text("portal.ClientEvaluation.went_well"),
                "was_hard": marks.text("portal.ClientEvaluation.was_hard"),
                "advice": marks.text("portal.ClientEvaluation.advice"),
                "satisfaction": "4",
            },
        )
    )
    trajectories.update(phase=phase)
    _ok(
        http.post(
            reverse("portal:decline_proposal", args=[proposal.uuid]),
            {"reason": marks.text("portal.GoalProposal.decision_reason")},
        )
    )

    # Matching: the professional's reason for proposing a job, and the client's comment in the portal.
    from waardewerk.matching import services as matching_services

    employer = matching_services.employer_create(
        actor=env["professional"], name="Groenvoorziening", kvk_number="90123403"
    )
    job = matching_services.job_create(
        actor=env["professional"], employer=employer, title="Hovenier", occupation="0912"
    )
    _ok(
        http.post(
            reverse("matching:decide", args=[trajectory.uuid, job.uuid]),
            {f"j{job.pk}-decision": "propose", f"j{job.pk}-reason": marks.text("matching.Proposal.reason")},
        )
    )
    job_proposal = apps.get_model("matching", "Proposal").objects.get(trajectory=trajectory)
    _ok(
        portal.post(
            reverse("portal:job_respond", args=[job_proposal.uuid]),
            {
                f"p{job_proposal.pk}-response": "interested",
                f"p{job_proposal.pk}-note": marks.text("matching.Proposal.response_note"),
            },
        )
    )
    # The client's availability and strengths in their own words, written in the portal, then changed by
    # the professional with the client.
    _ok(
        portal.post(
            reverse("portal:availability"),
            {
                "hours_per_week": "24",
                "availability_note": marks.text("matching.CandidateProfile.availability_note"),
                "strengths": marks.text("matching.CandidateProfile.strengths"),
            },
        )
    )
    _ok(
        http.post(
            reverse("matching:availability", args=[trajectory.uuid]),
            {
                "base_version": "1",
                "hours_per_week": "20",
                "availability_note": marks.text("matching.CandidateProfile.availability_note"),
                "strengths": marks.text("matching.CandidateProfile.strengths"),
            },
        )
    )
    # The employer's comment on the candidate profile, through its one-time link (made here directly: the
    # sharing rules before a link are tested in matching).
    from waardewerk.core import tokens as core_tokens
    from waardewerk.matching.models import EmployerLink

    employer_link = EmployerLink.objects.create(
        job=job,
        proposal=job_proposal,
        purpose="candidate",
        token_digest=core_tokens.token_digest(core_tokens.new_token()),
        created_by=env["professional"],
        expires_at=timezone.now() + dt.timedelta(days=1),
    )
    matching_services.employer_link_answer(
        link=employer_link, response="interested", note=marks.text("matching.Proposal.employer_note")
    )
    # A placement in that job, and its first follow-up with a note.
    _ok(
        http.post(
            reverse("matching:placement_new", args=[trajectory.uuid]),
            {"job": str(job.uuid), "start_date": trajectory.start_date.isoformat(), "hours": "24"},
        )
    )
    follow_up = apps.get_model("matching", "FollowUp").objects.get(placement__trajectory=trajectory, month=1)
    _ok(
        http.post(
            reverse("matching:follow_up", args=[follow_up.uuid]),
            {
                "f1-done_on": _today(),
                "f1-still_working": "yes",
                "f1-note": marks.text("matching.FollowUp.note"),
            },
        )
    )

    # Intervision: the session record (core question, a phase's notes, the choice), an experiment and the
    # reflection on it at the next session.
    iw = intervision_world({"trajectory": trajectory})
    first, second, experiment = iw["first"], iw["second"], iw["experiment"]
    phase = Method.from_definition(first.method_version.definition).phases[0].key
    _ok(
        http.post(
            reverse("intervision:session_record", args=[first.uuid]),
            {
                "base_version": first.version,
                "core_question": marks.text("intervision.IntervisionSession.core_question"),
                f"notes_{phase}": marks.text("intervision.IntervisionSession.phase_notes"),
                "choice": marks.text("intervision.IntervisionSession.choice"),
            },
        )
    )
    _ok(
        http.post(
            reverse("intervision:experiment_add", args=[first.uuid]),
            {
                "description": marks.text("intervision.Experiment.description"),
                "until": (first.date + dt.timedelta(days=20)).isoformat(),
            },
        )
    )
    _ok(
        http.post(
            reverse("intervision:reflection", args=[second.uuid, experiment.uuid]),
            {
                "what_happened": marks.text("intervision.Experiment.what_happened"),
                "learned": marks.text("intervision.Experiment.learned"),
            },
        )
    )

    # A case presentation of the trajectory (its client gave consent for intervision), shared with the group
    # as the owner saw it, and a review of the trajectory with the reviewer's words.
    from waardewerk.intervision import services as intervision_services
    from waardewerk.intervision.models import CasePresentation, CaseReview
    from waardewerk.intervision.presentation import fingerprint
    from waardewerk.trajectories import services as trajectory_services

    trajectory_services.consent_give(actor=professional, client=trajectory.client, kind="intervision")
    title = marks.text("intervision.CasePresentation.title")
    marks.use("intervision.CasePresentation.snapshot", title)  # the snapshot holds the (checked) title
    _ok(
        http.post(
            reverse("intervision:presentation_new", args=[iw["group"].uuid]),
            {
                "trajectory": trajectory.uuid,
                "title": title,
                "parts": ["timeline", "plan"],
                "extra_terms": marks.text("intervision.CasePresentation.extra_terms"),
            },
        )
    )
    presentation = CasePresentation.objects.get(trajectory=trajectory)
    seen = fingerprint(intervision_services.presentation_preview(presentation))
    _ok(http.post(reverse("intervision:presentation_confirm", args=[presentation.uuid]), {"seen": seen}))
    _ok(http.post(reverse("intervision:review_new"), {"trajectory": trajectory.uuid}))
    review = CaseReview.objects.get(trajectory=trajectory)
    verdicts = {f"verdict_{r['key']}": r["outcome"] for r in review.result_list}
    words = marks.text("intervision.CaseReview.results")
    _ok(
        http.post(
            reverse("intervision:review", args=[review.uuid]),
            verdicts
            | {
                "base_version": review.version,
                f"words_{review.result_list[0]['key']}": words,
                "share_with": "",
            },
        )
    )
    # The development log: an activity with its reflection and evidence, a goal with progress, a mentor
    # relation with shared notes and a meeting.
    from waardewerk.development.models import Activity, LearningGoal, Mentorship

    evidence = b"%PDF-1.4\n" + marks.text("development.Evidence.content.raw").encode() + b"\n%%EOF\n"
    del marks.by_field["development.Evidence.content.raw"]
    marks.use("development.Evidence.content", base64.b64encode(evidence).decode())
    upload = SimpleUploadedFile(marks.text("development.Evidence.filename") + ".pdf", evidence)
    _ok(
        http.post(
            reverse("development:activity_new"),
            {
                "kind": "literature",
                "title": "Vakboek",
                "date": _today(),
                "hours": "3",
                "points": "3",
                "registers": ["registerplein"],
                "reflection_technical": marks.text("development.Activity.reflection_technical"),
                "reflection_normative": marks.text("development.Activity.reflection_normative"),
                "reflection_personal": marks.text("development.Activity.reflection_personal"),
                "evidence": upload,
            },
        )
    )
    activity = Activity.objects.get(owner=env["professional"], title="Vakboek")
    _ok(
        http.post(
            reverse("development:goal_new"),
            {
                "title": marks.text("development.LearningGoal.title"),
                "description": marks.text("development.LearningGoal.description"),
                "status": "open",
                "source_activity": activity.uuid,
            },
        )
    )
    goal = LearningGoal.objects.get(owner=env["professional"])
    _ok(
        http.post(
            reverse("development:goal_progress", args=[goal.uuid]),
            {"date": _today(), "note": marks.text("development.GoalProgress.note")},
        )
    )
    _ok(http.post(reverse("development:mentorship_new"), {"mentor": env["colleague"].uuid}))
    mentorship = Mentorship.objects.get(mentee=env["professional"])
    _ok(
        http.post(
            reverse("development:mentorship_notes", args=[mentorship.uuid]),
            {"base_version": mentorship.version, "notes": marks.text("development.Mentorship.notes")},
        )
    )
    _ok(
        http.post(
            reverse("development:meeting_new", args=[mentorship.uuid]),
            {"date": _today(), "summary": marks.text("development.MentorMeeting.summary")},
        )
    )

    # Handing over and closing, on trajectories of their own (the professional loses the first).
    _ok(
        http.post(
            reverse("trajectories:transfer", args=[env["to_hand_over"].uuid]),
            {
                "responsible": env["colleague"].pk,
                "reason": marks.text("trajectories.Handover.reason"),
                "version": env["to_hand_over"].version,
                "confirmed": "yes",
            },
        )
    )
    _ok(
        http.post(
            reverse("trajectories:close", args=[env["to_close"].uuid]),
            {
                "end_reason": "other",
                "end_date": _today(),
                "note": marks.text("trajectories.Trajectory.end_note"),
                "version": env["to_close"].version,
                "confirmed": "yes",
            },
        )
    )

    # An appointment in the agenda with the trajectory's client (docs/agenda.md).
    _ok(
        http.post(
            reverse("agenda:new"),
            {
                "kind": "conversation",
                "trajectory": str(trajectory.uuid),
                "date": (timezone.localdate() + dt.timedelta(days=1)).isoformat(),
                "time": "10:00",
                "duration": "45",
                "channel": "in_person",
                "title": marks.text("agenda.Appointment.title"),
                "place": marks.text("agenda.Appointment.place"),
                "participants": marks.text("agenda.Appointment.participants"),
                "allow_overlap": "on",
            },
        )
    )

    # Privacy (docs/privacy.md): a legal hold set and lifted, a request registered and handled.
    client = trajectory.client
    http.force_login(UserFactory(organisation=client.organisation, role=Role.FUNCTIONAL_ADMIN))
    hold_url = reverse("privacy:hold_set", args=[client.uuid])
    _ok(http.post(hold_url, {"reason": marks.text("privacy.LegalHold.reason")}))
    hold = LegalHold.objects.get(client=client)
    _ok(
        http.post(
            reverse("privacy:hold_lift", args=[hold.uuid]),
            {"reason": marks.text("privacy.LegalHold.lift_reason"), "confirmed": "yes"},
        )
    )
    _ok(
        http.post(
            reverse("privacy:request_new", args=[client.uuid]),
            {
                "kind": "access",
                "received_on": _today(),
                "description": marks.text("privacy.DataSubjectRequest.description"),
            },
        )
    )
    found = DataSubjectRequest.objects.get(client=client)
    _ok(
        http.post(
            reverse("privacy:request", args=[found.uuid]),
            {
                "version": found.version,
                "status": "granted",
                "handling": marks.text("privacy.DataSubjectRequest.handling"),
                "answer": marks.text("privacy.DataSubjectRequest.answer"),
            },
        )
    )

    # A destruction list rejected with a reason (docs/privacy.md, "Two-person approval").
    proposed = DestructionList.objects.create(organisation=client.organisation)
    _ok(
        http.post(
            reverse("privacy:destruction_reject", args=[proposed.uuid]),
            {"reason": marks.text("privacy.DestructionList.rejection_reason")},
        )
    )

    # The outbox (core.outbox): a message the mail server refused keeps its text until it is sent.
    def refuse(message):
        raise ConnectionRefusedError

    with pytest.MonkeyPatch.context() as patch:
        patch.setitem(outbox.TRANSPORTS, outbox.EMAIL, refuse)
        outbox.queue(
            key="encrypted-fields",
            channel=outbox.EMAIL,
            destination=marks.text("core.OutboxMessage.destination") + "@example.org",
            subject=marks.text("core.OutboxMessage.subject"),
            body=marks.text("core.OutboxMessage.body"),
            purpose="test",
        )

    # Emergency access: the team lead of the trajectory's team states why (docs/authorization.md).
    http.force_login(env["team_lead"])
    _ok(
        http.post(
            reverse("trajectories:emergency_access", args=[trajectory.uuid]),
            {"reason": marks.text("trajectories.EmergencyAccess.reason")},
        )
    )
    _ok(http.get(reverse("trajectories:detail", args=[trajectory.uuid])))  # a read under it

    # An import file waiting for its confirmation (docs/import.md); its dry run is rolled back.
    admin = UserFactory(organisation=professional.organisation, role=Role.FUNCTIONAL_ADMIN)
    http.force_login(admin)
    session = http.session
    session[TWO_FACTOR_VERIFIED_AT] = now_seconds()
    session.save()
    name = marks.text("transfer.PendingImport.content.raw")
    table = f"voornaam;achternaam;geboortedatum\nJan;{name};01-02-1980\n"
    del marks.by_field["transfer.PendingImport.content.raw"]
    marks.use("transfer.PendingImport.content", base64.b64encode(table.encode()).decode())
    upload = SimpleUploadedFile(marks.text("transfer.PendingImport.filename") + ".csv", table.encode())
    _ok(http.post(reverse("transfer:import_upload"), {"kind": "clients", "file": upload}))

    # An API application's subscription: its signing secret is made by the application and shown once.
    from waardewerk.api.services import application_register, subscription_add

    application, _token = application_register(
        actor=admin,
        name="Zaaksysteem",
        scopes=["clients:read", "trajectories:read"],
        expires_on=timezone.localdate() + dt.timedelta(days=30),
    )
    _subscription, secret = subscription_add(
        actor=admin, application=application, event="trajectory.phase_changed", url="https://example.org/hook"
    )
    marks.use("api.Subscription.secret", secret)


def _all_encrypted_fields() -> set[str]:
    return {
        f"{model._meta.label}.{name}"
        for model in apps.get_models()
        for name in encrypted_fields(model)
        if not model._meta.proxy
    }


def _stored(label: str) -> list[str]:
    app_model, name = label.rsplit(".", 1)
    return [v or "" for v in apps.get_model(app_model).objects.values_list(name, flat=True)]


@pytest.fixture
def env(professional, colleague, team_lead, team):
    org = professional.organisation
    trajectory = TrajectoryFactory(responsible=professional, client__organisation=org, team=team)
    PlanVersion.objects.create(
        trajectory=trajectory,
        number=1,
        content='{"goals": [{"key": "g-1", "text": "Weer werken", "values": [], "determinants": [],'
        ' "status": "active"}], "choices": []}',
        reason="Eerste versie",
        created_by=professional,
    )
    return {
        "professional": professional,
        "colleague": colleague,
        "team_lead": team_lead,
        "trajectory": trajectory,
        "measurement": make_measurement(trajectory, "lwc", lwc_answers()),
        "to_close": TrajectoryFactory(responsible=professional, client__organisation=org, team=team),
        "to_hand_over": TrajectoryFactory(responsible=professional, client__organisation=org, team=team),
    }


@pytest.mark.django_db
def test_no_encrypted_value_in_the_access_log_its_exports_or_the_log(client, env, caplog, settings):
    settings.WAARDEWERK_PORTAL_DEV_SECRETS = False
    settings.WAARDEWERK_SMS_BACKEND = "log"
    caplog.set_level(logging.DEBUG)
    marks = Marks()
    write_everything(client, env, marks)

    # Every encrypted field was written, with its marker.
    assert set(marks.by_field) == _all_encrypted_fields(), "add a writer for every encrypted field"
    for label, marker in marks.by_field.items():
        assert any(marker in value for value in _stored(label)), f"{label} was not written"

    rows = json.dumps(list(AccessEvent.objects.values()), default=str, ensure_ascii=False)
    since = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    exports = {}
    for fmt in ("jsonl", "csv"):
        out = io.StringIO()
        call_command("audit", "export", "--since", since, "--format", fmt, stdout=out)
        exports[fmt] = out.getvalue()
    assert len(list(csv.DictReader(io.StringIO(exports["csv"])))) == AccessEvent.objects.count()
    logged = caplog.text + "\n".join(r.getMessage() for r in caplog.records)
    assert AccessEvent.objects.filter(action="create", object_type="instruments.measurement").exists()
    for label, marker in marks.by_field.items():
        assert marker not in rows, f"{label} is in the access log"
        for fmt, text in exports.items():
            assert marker not in text, f"{label} is in the {fmt} export"
        assert marker not in logged, f"{label} is in the application log"
