"""Development pages: a rejected upload keeps the rest of the form, a concurrent edit keeps the input, the
export per register (PDF and CSV), a goal's link to an evaluation shown to its owner only (the read
logged), and the log adds attended intervision sessions."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfReader

from tests.access_development import PDF
from tests.factories import TrajectoryFactory, UserFactory
from waardewerk.accounts.models import Role
from waardewerk.audit.models import AccessEvent
from waardewerk.development import services
from waardewerk.development.models import Activity
from waardewerk.trajectories.models import Evaluation

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 5, 12)


def _form(**extra):
    return {
        "kind": "course",
        "title": "Werken met waarden",
        "provider": "Academie Noord",
        "pe_id": "PE-777",
        "date": DAY.isoformat(),
        "hours": "6",
        "points": "6",
        "registers": ["registerplein", "noloc"],
        "reflection_personal": "Ik merk dat ik sneller adviseer dan vraag.",
    } | extra


def bad_registers_kept(body) -> bool:
    """Both chosen registers are still checked."""
    import re

    checked = re.findall(r'<input[^>]*name="registers"[^>]*>', body)
    return sorted(v for tag in checked if "checked" in tag for v in re.findall(r'value="([a-z]+)"', tag)) == [
        "noloc",
        "registerplein",
    ]


def test_a_rejected_upload_keeps_the_rest_of_the_form(login, professional):
    c = login(professional)
    fake = SimpleUploadedFile("certificaat.pdf", b"<html>not a pdf</html>", content_type="application/pdf")
    response = c.post(reverse("development:activity_new"), _form(evidence=fake))
    assert response.status_code == 422
    body = response.content.decode()
    assert "not a PDF, PNG or JPEG" in body or "geen PDF" in body
    assert 'id="evidence-again"' in body
    assert "Werken met waarden" in body and "PE-777" in body and "sneller adviseer" in body
    assert bad_registers_kept(body)
    assert not Activity.objects.exists()
    good = SimpleUploadedFile("scan.bin", PDF)
    response = c.post(reverse("development:activity_new"), _form(evidence=good))
    assert response.status_code == 302
    activity = Activity.objects.get()
    assert activity.evidence.content_type == "application/pdf"
    assert sorted(activity.registers.values_list("register", flat=True)) == ["noloc", "registerplein"]


def test_a_concurrent_edit_keeps_the_input(login, professional):
    activity = services.activity_create(
        actor=professional, kind="literature", title="Boek", date=DAY, hours=1, points=1
    )
    c = login(professional)
    services.activity_update(
        actor=professional,
        activity=activity,
        base_version=1,
        kind="literature",
        title="Boek (2)",
        date=DAY,
        hours=1,
        points=1,
    )
    response = c.post(
        reverse("development:activity_edit", args=[activity.uuid]),
        _form(kind="literature", pe_id="", title="Mijn versie", base_version="1"),
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert 'id="conflict"' in body and "Mijn versie" in body
    activity.refresh_from_db()
    assert activity.title == "Boek (2)"


def test_export_per_register_and_period(login, professional):
    for day, registers, title in (
        (DAY, ["registerplein"], "Telt mee"),
        (DAY, ["skj"], "Ander register"),
        (DAY.replace(year=2024), ["registerplein"], "Buiten de periode"),
    ):
        services.activity_create(
            actor=professional,
            kind="literature",
            title=title,
            date=day,
            hours=2,
            points=2,
            registers=registers,
        )
    c = login(professional)
    url = reverse("development:export")
    query = "?register=registerplein&start=2026-01-01&end=2026-12-31&format="
    csv_text = c.get(url + query + "csv").content.decode("utf-8-sig")
    assert "Telt mee" in csv_text and "Ander register" not in csv_text and "Buiten de periode" not in csv_text
    pdf = c.get(url + query + "pdf")
    assert pdf["Content-Type"] == "application/pdf"
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Telt mee" in text and "Ander register" not in text and "Registerplein" in text
    assert AccessEvent.objects.filter(action="export", object_type="development.log").count() == 2
    bad = c.get(url + "?register=registerplein&start=2026-12-31&end=2026-01-01&format=pdf")
    assert (
        bad.status_code == 422
        and "before its start" in bad.content.decode()
        or "vóór" in bad.content.decode()
    )


def test_a_goal_from_an_evaluation_shows_it_to_the_owner_only(login, professional):
    trajectory = TrajectoryFactory(responsible=professional, client__organisation=professional.organisation)
    evaluation = Evaluation.objects.create(
        trajectory=trajectory, do_differently="Eerder de werkgever betrekken.", recorded_by=professional
    )
    goal = services.goal_create(
        actor=professional,
        title="Werkgevers eerder betrekken",
        shared_with_mentor=True,
        sources={"source_evaluation": evaluation},
    )
    mentor = UserFactory(organisation=professional.organisation, role=Role.PROFESSIONAL)
    services.mentorship_start(actor=professional, mentor=mentor)
    c = login(professional)
    body = c.get(reverse("development:goal", args=[goal.uuid])).content.decode()
    assert "Eerder de werkgever betrekken." in body
    assert AccessEvent.objects.filter(client_uuid=trajectory.client.uuid, action="view").exists()
    c.force_login(mentor)
    body = c.get(reverse("development:goal", args=[goal.uuid])).content.decode()
    assert "Werkgevers eerder betrekken" in body
    assert "Eerder de werkgever betrekken." not in body and trajectory.client.last_name not in body


def test_the_log_adds_attended_sessions(login, professional, team_lead, functional_admin):
    from waardewerk.intervision import services as intervision_services

    group = intervision_services.group_create(
        actor=functional_admin, name="OT-groep Noord", members=[professional, team_lead]
    )
    session = intervision_services.session_create(
        actor=professional, group=group, date=DAY, method_key="incident", facilitator=team_lead
    )
    c = login(professional)
    assert "OT-groep Noord" not in c.get(reverse("development:log")).content.decode()  # not recorded yet
    intervision_services.attendance_record(
        actor=team_lead, session=session, statuses={professional.pk: "present", team_lead.pk: "absent"}
    )
    body = c.get(reverse("development:log")).content.decode()
    assert "OT-groep Noord" in body
    assert not Activity.objects.filter(owner=team_lead).exists()
    c.get(reverse("development:log"))
    assert Activity.objects.filter(owner=professional, source_session__isnull=False).count() == 1


def test_a_projected_session_keeps_its_date_and_hours_and_can_be_marked_not_attended(
    login, professional, team_lead, functional_admin
):
    from waardewerk.intervision import services as intervision_services

    group = intervision_services.group_create(
        actor=functional_admin, name="OT-groep West", members=[professional, team_lead]
    )
    session = intervision_services.session_create(
        actor=professional, group=group, date=DAY, method_key="incident", facilitator=team_lead
    )
    intervision_services.attendance_record(
        actor=team_lead, session=session, statuses={professional.pk: "present", team_lead.pk: "present"}
    )
    services.intervision_sync(actor=professional)
    activity = Activity.objects.get(owner=professional)
    hours = activity.hours
    c = login(professional)
    response = c.post(
        reverse("development:activity_edit", args=[activity.uuid]),
        {
            "base_version": activity.version,
            "kind": "course",
            "title": "Iets anders",
            "date": "2020-01-01",
            "hours": "99",
            "points": str(hours),
            "registers": ["skj"],
            "reflection_normative": "Wie bepaalt het tempo?",
        },
    )
    assert response.status_code == 302
    activity.refresh_from_db()
    assert (activity.kind, activity.date, activity.hours) == ("intervision", DAY, hours)
    assert activity.title.startswith("OT-groep West") and activity.reflection_normative
    assert list(activity.registers.values_list("register", flat=True)) == ["skj"]
    c.post(reverse("development:activity_delete", args=[activity.uuid]))
    activity.refresh_from_db()
    assert activity.dismissed
    assert "skj" not in [row["register"] for row in c.get(reverse("development:log")).context["totals"]]
    c.post(reverse("development:activity_restore", args=[activity.uuid]))
    activity.refresh_from_db()
    assert not activity.dismissed


def test_a_goal_made_from_a_review_checkpoint_that_needs_attention(login, professional):
    from waardewerk.intervision import services as intervision_services

    trajectory = TrajectoryFactory(responsible=professional, client__organisation=professional.organisation)
    review = intervision_services.review_start(actor=professional, trajectory=trajectory)
    attention = next(r["key"] for r in review.result_list if r["outcome"] == "attention")
    met = next((r["key"] for r in review.result_list if r["outcome"] != "attention"), None)
    c = login(professional)
    page = c.get(reverse("intervision:review", args=[review.uuid])).content.decode()
    assert f"?review={review.uuid}&amp;checkpoint={attention}" in page
    url = reverse("development:goal_new")
    form = c.get(url, {"review": str(review.uuid), "checkpoint": attention})
    assert form.status_code == 200 and f'value="{attention}" selected' in form.content.decode()
    if met:
        bad = c.post(
            url, {"title": "Leren", "status": "open", "source_review": review.uuid, "source_checkpoint": met}
        )
        assert bad.status_code == 422
    response = c.post(
        url,
        {
            "title": "Intake completer",
            "status": "open",
            "source_review": review.uuid,
            "source_checkpoint": attention,
        },
    )
    assert response.status_code == 302
    goal = professional.learning_goals.get()
    assert goal.source_review == review and goal.source_checkpoint == attention
    before = AccessEvent.objects.filter(client_uuid=trajectory.client.uuid, action="view").count()
    body = c.get(reverse("development:goal", args=[goal.uuid])).content.decode()
    assert "The case review of" in body or "De casusbeoordeling van" in body
    assert AccessEvent.objects.filter(client_uuid=trajectory.client.uuid, action="view").count() > before
    # A colleague's review of someone else's trajectory cannot be chosen.
    other = UserFactory(organisation=professional.organisation, role=Role.PROFESSIONAL)
    c.force_login(other)
    response = c.post(url, {"title": "Leren", "status": "open", "source_review": review.uuid})
    assert response.status_code == 422
