"""Taking measurements: forms, drafts, corrections, immutability, due dates and the effect view."""

import datetime as dt
import json

import pytest
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from tests.factories import TrajectoryFactory, igm_answers, lwc_answers, make_measurement
from waardewerk.audit.models import AccessEvent
from waardewerk.instruments import charts, services, versions
from waardewerk.instruments.models import Instrument, Measurement
from waardewerk.trajectories.models import Trajectory


@pytest.fixture
def trajectory(professional):
    return TrajectoryFactory(
        responsible=professional,
        client__organisation=professional.organisation,
        context="participation_act",
        start_date=timezone.localdate() - dt.timedelta(days=200),
    )


def _post(answers, **extra):
    data = {f"item-{k}": v for k, v in answers.items()}
    return (
        data
        | {
            "taken_on": timezone.localdate().isoformat(),
            "respondent": "client",
            "framing": "job_seeker",
            "action": "submit",
        }
        | extra
    )


@pytest.mark.django_db
def test_the_form_shows_every_question_with_the_job_seeker_framing(login, professional, trajectory):
    response = login(professional).get(reverse("instruments:new", args=[trajectory.uuid, "lwc"]))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('type="radio"') == 22 * 5 + 2  # and first: which work (last or wanted)
    assert "Aan welk werk denkt u bij de vragen B en C?" in html
    assert 'value="job_seeker" selected' in html
    assert "laatste of gewenste werk" in html  # the job seeker's wording of B and C


@pytest.mark.django_db
def test_submitting_a_complete_lwc_stores_answers_score_and_who(login, professional, trajectory):
    c = login(professional)
    response = c.post(
        reverse("instruments:new", args=[trajectory.uuid, "lwc"]),
        _post(lwc_answers(4, 4, 4, income=(5, 2, 1))),
    )
    measurement = Measurement.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("instruments:measurement", args=[measurement.uuid])
    assert measurement.status == "submitted" and measurement.respondent == "client"
    assert measurement.entered_by == professional and not measurement.entered_by_client
    assert measurement.phase == trajectory.phase and measurement.framing == "job_seeker"
    assert measurement.score["capability_set_size"] == 6
    assert measurement.score["discrepancies"] == ["income"]
    assert AccessEvent.objects.filter(object_uuid=measurement.uuid, action="create").exists()
    page = c.get(response["Location"]).content.decode()
    assert "capability set 6 of 7" in page or "capability set 6 van 7" in page


@pytest.mark.django_db
def test_incomplete_or_out_of_range_answers_are_named_per_item_and_nothing_is_saved(
    login, professional, trajectory
):
    answers = lwc_answers()
    del answers["income.enabled"]
    answers["contacts.achieved"] = 7
    response = login(professional).post(
        reverse("instruments:new", args=[trajectory.uuid, "lwc"]), _post(answers)
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert 'href="#q-income-enabled"' in html and 'href="#q-contacts-achieved"' in html
    assert 'id="q-income-enabled-error"' in html
    assert Measurement.objects.count() == 0
    # What was entered is still on the page
    assert html.count("checked") == 20


@pytest.mark.django_db
def test_a_half_filled_form_is_kept_as_a_draft_and_finished_later(login, professional, trajectory):
    c = login(professional)
    half = {k: v for k, v in lwc_answers().items() if k.startswith(("use_skills", "income"))}
    response = c.post(reverse("instruments:new", args=[trajectory.uuid, "lwc"]), _post(half, action="draft"))
    draft = Measurement.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "instruments:edit", args=[draft.uuid]
    )
    assert draft.status == "draft" and draft.answers == {k: int(v) for k, v in half.items()}
    assert draft.score == {} and draft.submitted_at is None
    # The trajectory page offers the draft; the draft page shows what was entered.
    assert (
        reverse("instruments:edit", args=[draft.uuid])
        in c.get(reverse("trajectories:detail", args=[trajectory.uuid])).content.decode()
    )
    assert c.get(reverse("instruments:edit", args=[draft.uuid])).content.decode().count("checked") == 6
    response = c.post(reverse("instruments:edit", args=[draft.uuid]), _post(lwc_answers()))
    draft.refresh_from_db()
    assert response.status_code == 302 and draft.status == "submitted"
    assert draft.score["capability_set_size"] == 7
    assert Measurement.objects.count() == 1


def _drafts_list(html: str) -> str:
    start = html.index('<h4 class="utrecht-heading-4">Concepten om af te maken</h4>')
    return html[start : html.index("</ul>", start)]


@pytest.mark.django_db
def test_the_trajectory_page_lists_the_professionals_drafts_as_the_effect_view_does(
    login, professional, trajectory
):
    """The trajectory section reads the drafts from the trajectory's row, the effect view as measurements:
    the same list, newest first, without the client's own draft."""
    c = login(professional)
    older = make_measurement(trajectory, "lwc", lwc_answers(), status="draft", respondent="professional")
    newer = make_measurement(trajectory, "igm", igm_answers(), status="draft")
    clients = make_measurement(trajectory, "lwc", lwc_answers(), status="draft", entered_by_client=True)
    Measurement.objects.filter(pk=older.pk).update(updated_at=timezone.now() - dt.timedelta(days=3))
    page = _drafts_list(c.get(reverse("trajectories:detail", args=[trajectory.uuid])).content.decode())
    effect = _drafts_list(c.get(reverse("instruments:effect", args=[trajectory.uuid])).content.decode())
    assert page == effect
    edit = [reverse("instruments:edit", args=[m.uuid]) for m in (newer, older, clients)]
    assert edit[0] in page and edit[1] in page and edit[2] not in page
    assert page.index(edit[0]) < page.index(edit[1])
    assert "LWC – professional, opgeslagen " in page and "IGM – cliënt, opgeslagen " in page


@pytest.mark.django_db
def test_a_draft_keeps_valid_answers_and_reports_the_invalid(login, professional, trajectory):
    response = login(professional).post(
        reverse("instruments:new", args=[trajectory.uuid, "lwc"]),
        _post({"use_skills.importance": 4, "income.importance": 0, "bogus": 1}, action="draft"),
    )
    draft = Measurement.objects.get()
    assert response.status_code == 422
    assert draft.answers == {"use_skills.importance": 4}
    assert "income.importance" not in draft.answers


@pytest.mark.django_db
def test_igm_by_client_and_professional_with_encrypted_notes(login, professional, trajectory):
    c = login(professional)
    url = reverse("instruments:new", args=[trajectory.uuid, "igm"])
    assert 'value="professional"' in c.get(url + "?respondent=professional").content.decode()
    note = "Twijfelt aan eigen kunnen na ziekte."
    for respondent, rating in (("client", 2), ("professional", 3)):
        response = c.post(
            url,
            _post(igm_answers(rating), respondent=respondent, framing=respondent)
            | {"note-self_efficacy": note},
        )
        assert response.status_code == 302
    rows = list(Measurement.objects.order_by("id"))
    assert [m.respondent for m in rows] == ["client", "professional"]
    assert json.loads(rows[0].notes) == {"self_efficacy": note}
    with connection.cursor() as cursor:
        cursor.execute("SELECT notes FROM instruments_measurement")
        assert all("Twijfelt" not in value for (value,) in cursor.fetchall())


@pytest.mark.django_db
def test_a_respondent_the_instrument_does_not_allow_is_refused(login, professional, trajectory):
    response = login(professional).post(
        reverse("instruments:new", args=[trajectory.uuid, "lwc"]),
        _post(lwc_answers(), respondent="professional"),
    )
    assert response.status_code == 422
    assert Measurement.objects.count() == 0


@pytest.mark.django_db
def test_a_date_in_the_future_or_before_the_start_is_refused(login, professional, trajectory):
    c = login(professional)
    url = reverse("instruments:new", args=[trajectory.uuid, "participatieladder"])
    for day in (timezone.localdate() + dt.timedelta(days=1), trajectory.start_date - dt.timedelta(days=1)):
        response = c.post(
            url,
            _post({"rung": 3}, taken_on=day.isoformat(), respondent="professional", framing="professional"),
        )
        assert response.status_code == 422
    assert Measurement.objects.count() == 0


@pytest.mark.django_db
def test_a_closed_trajectory_takes_no_measurements(login, professional, trajectory):
    Trajectory.objects.filter(pk=trajectory.pk).update(end_date=timezone.localdate(), end_reason="moved")
    response = login(professional).post(
        reverse("instruments:new", args=[trajectory.uuid, "lwc"]), _post(lwc_answers())
    )
    assert response.status_code == 403
    assert Measurement.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_the_database_refuses_to_change_a_submitted_measurement(professional):
    trajectory = TrajectoryFactory(responsible=professional, client__organisation=professional.organisation)
    measurement = make_measurement(trajectory, "lwc", lwc_answers())
    for change in ({"answers": lwc_answers(1, 1, 1)}, {"taken_on": dt.date(2020, 1, 1)}, {"status": "draft"}):
        with pytest.raises(IntegrityError) if connection.vendor == "sqlite" else pytest.raises(Exception):
            with transaction.atomic():
                Measurement.objects.filter(pk=measurement.pk).update(**change)
    measurement.refresh_from_db()
    assert measurement.answers == lwc_answers()
    # Re-encrypting a note (key rotation) is allowed: the content stays the same.
    Measurement.objects.filter(pk=measurement.pk).update(notes='{"x": "y"}')
    Measurement.objects.filter(pk=measurement.pk).delete()  # erasure with the trajectory stays possible


@pytest.mark.django_db
def test_a_correction_is_a_new_version_with_a_reason(login, professional, trajectory):
    c = login(professional)
    original = make_measurement(trajectory, "lwc", lwc_answers(4, 4, 4, income=(5, 2, 2)))
    url = reverse("instruments:correct", args=[original.uuid])
    response = c.post(
        url,
        {f"item-{k}": v for k, v in lwc_answers().items()}
        | {"taken_on": original.taken_on.isoformat(), "correction_reason": ""},
    )
    assert response.status_code == 422 and Measurement.objects.count() == 1
    response = c.post(
        url,
        {f"item-{k}": v for k, v in lwc_answers().items()}
        | {"taken_on": original.taken_on.isoformat(), "correction_reason": "B en C verwisseld."},
    )
    correction = Measurement.objects.exclude(pk=original.pk).get()
    assert response.status_code == 302
    assert correction.corrects == original and correction.correction_reason == "B en C verwisseld."
    original.refresh_from_db()
    assert original.answers["income.enabled"] == 2  # unchanged
    # The effect view and the due dates use the correction, and the original shows it was corrected.
    assert (
        c.get(reverse("instruments:effect", args=[trajectory.uuid]))
        .content.decode()
        .count(reverse("instruments:measurement", args=[original.uuid]))
        == 0
    )
    assert (
        "utrecht-alert--warning"
        in c.get(reverse("instruments:measurement", args=[original.uuid])).content.decode()
    )
    assert "utrecht-alert--warning" not in c.get(response["Location"]).content.decode()
    # Correcting the original twice is refused: correct the latest version.
    response = c.post(
        url,
        {f"item-{k}": v for k, v in lwc_answers().items()}
        | {"taken_on": original.taken_on.isoformat(), "correction_reason": "Nog eens."},
    )
    assert response.status_code == 422 and Measurement.objects.count() == 2


@pytest.mark.django_db
def test_due_dates_follow_the_schedule_and_the_caseload_marks_overdue(login, professional, trajectory):
    services.refresh_due(Trajectory.objects.all())
    trajectory.refresh_from_db()
    # Started 200 days ago, nothing measured: the first measurements were due 28 days after the start.
    assert trajectory.measurement_due_on == trajectory.start_date + dt.timedelta(days=28)
    c = login(professional)
    page = c.get(reverse("trajectories:caseload")).content.decode()
    assert "measurement overdue" in page or "meting te laat" in page
    assert (
        c.get(reverse("trajectories:caseload") + "?measurement=overdue").context["page"].paginator.count == 1
    )
    today = timezone.localdate()
    for key, answers in (("lwc", lwc_answers()), ("igm", igm_answers()), ("participatieladder", {"rung": 3})):
        make_measurement(trajectory, key, answers, taken_on=today)
    services.refresh_due(Trajectory.objects.all())
    trajectory.refresh_from_db()
    assert trajectory.measurement_due_on == today + dt.timedelta(days=91)  # LWC and IGM every 91 days
    assert (
        c.get(reverse("trajectories:caseload") + "?measurement=overdue").context["page"].paginator.count == 0
    )


@pytest.mark.django_db
def test_the_functional_admin_sets_the_organisations_schedule(
    login, functional_admin, professional, trajectory
):
    make_measurement(trajectory, "lwc", lwc_answers(), taken_on=timezone.localdate())
    c = login(functional_admin)
    assert c.get(reverse("instruments:schedules")).status_code == 200
    response = c.post(
        reverse("instruments:schedules"),
        {"instrument": "lwc", "lwc-active": "on", "lwc-interval_days": "30", "lwc-first_within_days": "14"},
    )
    assert response.status_code == 302
    for key in ("igm", "participatieladder"):
        c.post(
            reverse("instruments:schedules"),
            {"instrument": key, f"{key}-interval_days": "91", f"{key}-first_within_days": "14"},
        )
    trajectory.refresh_from_db()
    assert trajectory.measurement_due_on == timezone.localdate() + dt.timedelta(days=30)
    bad = c.post(
        reverse("instruments:schedules"),
        {"instrument": "lwc", "lwc-interval_days": "0", "lwc-first_within_days": "14"},
    )
    assert bad.status_code == 422


@pytest.mark.django_db
def test_the_effect_view_states_the_change_in_words_with_charts_and_tables(login, professional, trajectory):
    first = timezone.localdate() - dt.timedelta(days=180)
    make_measurement(
        trajectory,
        "lwc",
        lwc_answers(
            4,
            4,
            4,
            income=(5, 2, 2),
            contacts=(4, 2, 2),
            own_goals=(4, 4, 2),
            involvement=(4, 3, 3),
            develop_skills=(5, 3, 3),
        ),
        taken_on=first,
    )
    make_measurement(
        trajectory,
        "lwc",
        lwc_answers(4, 4, 4, income=(5, 2, 2), contacts=(4, 4, 3), own_goals=(4, 4, 4)),
        taken_on=first + dt.timedelta(days=91),
    )
    make_measurement(trajectory, "igm", igm_answers(3, self_efficacy=2), taken_on=first)
    make_measurement(
        trajectory, "igm", igm_answers(3, self_efficacy=4), taken_on=first + dt.timedelta(days=91)
    )
    make_measurement(
        trajectory, "igm", igm_answers(3, self_efficacy=2), taken_on=first, respondent="professional"
    )
    make_measurement(trajectory, "participatieladder", {"rung": 2}, taken_on=first, respondent="professional")
    make_measurement(
        trajectory,
        "participatieladder",
        {"rung": 4},
        taken_on=first + dt.timedelta(days=91),
        respondent="professional",
    )
    c = login(professional)
    response = c.get(reverse("instruments:effect", args=[trajectory.uuid]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "2 → 5" in html  # capability set, first to latest
    assert "2 → 4" in html  # self-efficacy by the client, and the ladder
    assert html.count('src="data:image/svg+xml;base64,') == 4  # set size, A/B/C, IGM, ladder
    assert html.count("<table") >= 4
    assert AccessEvent.objects.filter(client_uuid=trajectory.client.uuid, action="view").exists()


@pytest.mark.django_db
def test_effect_view_query_count_does_not_grow_with_measurements(
    login, professional, trajectory, django_assert_max_num_queries
):
    from django.test.utils import CaptureQueriesContext

    c = login(professional)
    url = reverse("instruments:effect", args=[trajectory.uuid])

    def count():
        """Queries of the view in a process that has shown it before, after checking that a freshly
        started process, with the charts in the shared cache (as a measurement submit leaves them), needs
        at most three more: the charts from the shared cache, and the definitions of the measurements'
        and of the current versions (once per process)."""
        assert c.get(url).status_code == 200  # draws the charts of the factory-made measurements
        charts.clear_cache()
        versions.clear()
        with CaptureQueriesContext(connection) as ctx:
            assert c.get(url).status_code == 200
        fresh = len(ctx.captured_queries)
        with CaptureQueriesContext(connection) as ctx:
            assert c.get(url).status_code == 200
        assert fresh <= len(ctx.captured_queries) + 3
        return len(ctx.captured_queries)

    make_measurement(trajectory, "lwc", lwc_answers())
    make_measurement(trajectory, "igm", igm_answers())
    small = count()
    for day in range(1, 15):
        taken = timezone.localdate() - dt.timedelta(days=day * 10)
        make_measurement(trajectory, "lwc", lwc_answers(), taken_on=taken)
        make_measurement(trajectory, "igm", igm_answers(), taken_on=taken, respondent="professional")
        make_measurement(trajectory, "participatieladder", {"rung": 3}, taken_on=taken)
    assert count() == small
    # Session, user, trajectory, all its measurements (one query), the charts (shared cache), the
    # instruments' current versions with the organisation's schedules (one query; they name the current
    # versions the definitions take their roles from), and the access log (PostgreSQL: + its lock).
    assert small <= 10


@pytest.mark.django_db
def test_a_new_version_never_changes_earlier_measurements(login, professional, trajectory):
    import yaml

    from waardewerk.instruments.services import BUILTIN_DIR

    old = make_measurement(trajectory, "participatieladder", {"rung": 3}, respondent="professional")
    data = yaml.safe_load((BUILTIN_DIR / "participatieladder.yaml").read_text())
    shipped = data["version"]
    data["version"] = shipped + 1
    data["title"] = {"nl": "Participatieladder (nieuwe versie)", "en": "Participation ladder (new version)"}
    services.instrument_load(yaml.safe_dump(data))
    old.refresh_from_db()
    assert old.instrument_version.version == shipped
    assert Instrument.objects.get(key="participatieladder").current.version == shipped + 1
    page = login(professional).get(reverse("instruments:measurement", args=[old.uuid])).content.decode()
    assert f"v{shipped}" in page
