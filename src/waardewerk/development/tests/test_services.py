"""Development services: evidence checked by its first bytes and its size, encrypted at rest; intervision
sessions projected once with their method's hours; concurrent edits refused; sharing rules."""

import base64
import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from tests.access_development import PDF
from tests.factories import UserFactory
from waardewerk.accounts.models import Role
from waardewerk.core.exceptions import ConcurrentEditError, PermissionDeniedError
from waardewerk.development import policies, services
from waardewerk.development.models import EVIDENCE_MAX_BYTES, Activity, Evidence
from waardewerk.intervision import services as intervision_services

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 2, 3)
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 20


def _activity(actor, **extra):
    values = {
        "kind": "literature",
        "title": "Vakboek",
        "date": DAY,
        "hours": Decimal("2.5"),
        "points": Decimal("2.5"),
        "registers": ["registerplein"],
    } | extra
    return services.activity_create(actor=actor, **values)


def test_the_type_of_evidence_comes_from_its_first_bytes_not_its_name(professional):
    assert services.sniff_evidence(PDF) == "application/pdf"
    assert services.sniff_evidence(PNG) == "image/png"
    assert services.sniff_evidence(b"\xff\xd8\xff\xe0rest") == "image/jpeg"
    disguised = SimpleUploadedFile(
        "certificaat.pdf", b"MZ\x90\x00 an executable", content_type="application/pdf"
    )
    with pytest.raises(ValidationError) as exc:
        _activity(professional, evidence=disguised)
    assert "evidence" in exc.value.message_dict
    assert not Activity.objects.exists()
    image = _activity(
        professional, evidence=SimpleUploadedFile("scan.pdf", PNG, content_type="application/pdf")
    )
    assert image.evidence.content_type == "image/png"


def test_evidence_has_a_size_limit(professional):
    big = SimpleUploadedFile("groot.pdf", PDF + b"0" * EVIDENCE_MAX_BYTES)
    with pytest.raises(ValidationError) as exc:
        _activity(professional, evidence=big)
    assert "MB" in exc.value.message_dict["evidence"][0]
    assert not Activity.objects.exists()


def test_evidence_is_stored_encrypted(professional):
    activity = _activity(professional, evidence=SimpleUploadedFile("Jansen-certificaat.pdf", PDF))
    evidence = Evidence.objects.get(activity=activity)
    assert base64.b64decode(evidence.content) == PDF and evidence.filename == "Jansen-certificaat.pdf"
    with connection.cursor() as cursor:
        cursor.execute("SELECT content, filename FROM development_evidence")
        content, filename = cursor.fetchone()
    assert base64.b64encode(PDF).decode() not in content and "Jansen" not in filename


def test_an_accredited_course_needs_its_pe_id_and_hours_are_checked(professional):
    with pytest.raises(ValidationError) as exc:
        _activity(professional, kind="course", hours=Decimal("0"))
    assert {"pe_id", "hours"} <= set(exc.value.message_dict)
    with pytest.raises(ValidationError) as exc:
        _activity(professional, date=dt.date.today() + dt.timedelta(days=3))
    assert "date" in exc.value.message_dict


def test_a_concurrent_edit_of_an_activity_is_refused(professional):
    activity = _activity(professional)
    common = {"kind": "literature", "date": DAY, "hours": Decimal(1), "points": Decimal(1)}
    services.activity_update(actor=professional, activity=activity, base_version=1, title="Eerste", **common)
    with pytest.raises(ConcurrentEditError):
        services.activity_update(
            actor=professional, activity=activity, base_version=1, title="Tweede", **common
        )
    activity.refresh_from_db()
    assert activity.title == "Eerste"


def _group(professional, team_lead, functional_admin):
    group = intervision_services.group_create(
        actor=functional_admin, name="OT-groep", members=[professional, team_lead]
    )
    for offset, key in ((0, "incident"), (42, "learning-cycle"), (84, "incident"), (126, "balint")):
        session = intervision_services.session_create(
            actor=professional,
            group=group,
            date=DAY + dt.timedelta(days=offset),
            method_key=key,
            facilitator=team_lead,
        )
        if offset < 84:  # both present
            statuses = {professional.pk: "present", team_lead.pk: "present"}
        elif offset == 84:  # the professional sent apologies
            statuses = {professional.pk: "apologies", team_lead.pk: "present"}
        else:  # attendance not recorded: counts for nobody
            continue
        intervision_services.attendance_record(actor=team_lead, session=session, statuses=statuses)
    intervision_services.session_create(
        actor=professional,
        group=group,
        date=dt.date.today() + dt.timedelta(days=30),
        method_key="incident",
        facilitator=team_lead,
    )
    return group


def test_attended_intervision_sessions_are_added_once_with_their_hours(
    professional, team_lead, functional_admin, colleague
):
    _group(professional, team_lead, functional_admin)
    # Only the sessions the facilitator recorded them present at; not the future one, not one with apologies,
    # not one whose attendance is not recorded.
    assert services.intervision_sync(actor=professional) == 2
    assert services.intervision_sync(actor=professional) == 0
    projected = Activity.objects.filter(owner=professional, kind="intervision").order_by("date")
    assert projected.count() == 2
    assert all(a.hours > 0 and a.points == a.hours for a in projected)
    assert services.intervision_sync(actor=colleague) == 0  # not a member
    assert services.intervision_sync(actor=team_lead) == 3  # each member their own attendance
    # Not attended: kept as dismissed, so the projection does not bring it back.
    services.activity_delete(actor=professional, activity=projected[0])
    assert services.intervision_sync(actor=professional) == 0
    assert Activity.objects.filter(owner=professional, dismissed=True).count() == 1


def test_sharing_per_item_with_mentor_and_team_lead(professional, colleague, team_lead, functional_admin):
    private = _activity(professional)
    for_mentor = _activity(professional, title="Voor mentor", shared_with_mentor=True)
    for_lead = _activity(professional, title="Voor leider", shared_with_lead=True)
    mentor = UserFactory(organisation=professional.organisation, role=Role.PROFESSIONAL)
    services.mentorship_start(actor=professional, mentor=mentor)
    assert set(policies.visible_activities(mentor)) == {for_mentor}
    assert set(policies.visible_activities(team_lead)) == {for_lead}
    assert not policies.visible_activities(colleague).exists()
    assert not policies.visible_activities(functional_admin).exists()
    assert set(policies.visible_activities(professional)) == {private, for_mentor, for_lead}
    with pytest.raises(PermissionDeniedError):
        services.activity_delete(actor=mentor, activity=for_mentor)


def test_an_ended_mentor_relation_shows_the_mentor_nothing_more(professional):
    shared = _activity(professional, shared_with_mentor=True)
    mentor = UserFactory(organisation=professional.organisation, role=Role.PROFESSIONAL)
    mentorship = services.mentorship_start(actor=professional, mentor=mentor)
    services.mentorship_end(actor=mentor, mentorship=mentorship)
    assert shared not in policies.visible_activities(mentor)
    mentorship.refresh_from_db()
    with pytest.raises(PermissionDeniedError):
        services.meeting_add(actor=professional, mentorship=mentorship, date=DAY, summary="Nog een")


def test_shared_notes_detect_a_concurrent_edit(professional):
    mentor = UserFactory(organisation=professional.organisation, role=Role.PROFESSIONAL)
    mentorship = services.mentorship_start(actor=professional, mentor=mentor)
    services.mentorship_notes(actor=mentor, mentorship=mentorship, base_version=1, notes="Van de mentor")
    with pytest.raises(ConcurrentEditError):
        services.mentorship_notes(actor=professional, mentorship=mentorship, base_version=1, notes="Van mij")
    mentorship.refresh_from_db()
    assert mentorship.notes == "Van de mentor"


def test_a_goal_comes_only_from_the_owners_own_reflections(professional, colleague):
    theirs = _activity(colleague)
    with pytest.raises(ValidationError) as exc:
        services.goal_create(actor=professional, title="Doel", sources={"source_activity": theirs})
    assert "source_activity" in exc.value.message_dict
    mine = _activity(professional)
    goal = services.goal_create(actor=professional, title="Doel", sources={"source_activity": mine})
    services.goal_progress_add(actor=professional, goal=goal, date=DAY, note="Eerste stap")
    goal.refresh_from_db()
    assert goal.status == "working" and goal.progress.count() == 1


def test_a_new_session_counts_for_the_registers_of_the_latest_one(professional, team_lead, functional_admin):
    group = _group(professional, team_lead, functional_admin)
    services.intervision_sync(actor=professional, today=DAY)  # the first session only
    first = Activity.objects.get(owner=professional)
    common = {"kind": first.kind, "title": first.title, "date": first.date, "hours": first.hours}
    services.activity_update(
        actor=professional, activity=first, base_version=1, points=first.points, registers=["skj"], **common
    )
    assert services.intervision_sync(actor=professional) == 1
    second = Activity.objects.exclude(pk=first.pk).get(owner=professional, source_session__group=group)
    assert list(second.registers.values_list("register", flat=True)) == ["skj"]
