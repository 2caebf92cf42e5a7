"""The cache shared by all processes: its table comes with `migrate`, Redis replaces it by configuration,
charts are drawn when a measurement is submitted and found by any process afterwards. Instrument
definitions are read once per process, and a newly loaded version counts at once."""

import datetime as dt
import os
import subprocess
import sys

import pytest
import yaml
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks_db.models import DBTaskResult

from tests.factories import TrajectoryFactory, igm_answers, lwc_answers, make_measurement
from waardewerk.instruments import chart_drawing, charts, effect, selectors, services, versions
from waardewerk.instruments.models import Measurement


@pytest.fixture
def trajectory(professional):
    return TrajectoryFactory(
        responsible=professional,
        client__organisation=professional.organisation,
        context="participation_act",
        start_date=timezone.localdate() - dt.timedelta(days=200),
    )


@pytest.fixture
def drawings(monkeypatch):
    """The specs drawn from now on (every drawing still happens)."""
    drawn = []
    draw = chart_drawing.draw

    def counting(spec):
        drawn.append(spec)
        return draw(spec)

    monkeypatch.setattr(chart_drawing, "draw", counting)
    return drawn


def _submit_lwc(client, trajectory, answers):
    data = {f"item-{key}": value for key, value in answers.items()} | {
        "taken_on": timezone.localdate().isoformat(),
        "respondent": "client",
        "framing": "job_seeker",
        "action": "submit",
    }
    return client.post(reverse("instruments:new", args=[trajectory.uuid, "lwc"]), data)


def _fresh_process():
    """What a newly started process holds: nothing (the shared cache is the database table)."""
    charts.clear_cache()
    versions.clear()


def _effect_keys(trajectory, language):
    measurements = selectors.trajectory_measurements(trajectory)
    with translation.override(language):
        effects = effect.build(measurements, selectors.definitions_for(measurements), render=False)
    return {item.chart.key for found in effects for item in found.charts}


@pytest.mark.django_db
def test_migrate_creates_the_cache_table():
    assert settings.CACHES["default"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
    assert settings.CACHES["default"]["LOCATION"] in connection.introspection.table_names()
    cache.set("probe", {"a": 1})
    assert cache.get("probe") == {"a": 1}


def test_redis_is_used_when_configured():
    script = (
        "from django.conf import settings\n"
        "c = settings.CACHES['default']\n"
        "print(c['BACKEND'], c['LOCATION'])\n"
    )
    environment = os.environ | {
        "DJANGO_SETTINGS_MODULE": "waardewerk.conf.test_settings",
        "REDIS_URL": "redis://cache.example:6379/2",
    }
    output = subprocess.run(  # noqa: S603
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, env=environment
    ).stdout.split()
    assert output == ["django.core.cache.backends.redis.RedisCache", "redis://cache.example:6379/2"]


@pytest.mark.django_db
def test_a_submit_draws_the_charts_and_a_fresh_process_finds_them(
    login, professional, trajectory, drawings, django_capture_on_commit_callbacks
):
    make_measurement(trajectory, "igm", igm_answers())
    c = login(professional)
    with django_capture_on_commit_callbacks(execute=True):
        response = _submit_lwc(c, trajectory, lwc_answers())
    assert response.status_code == 302
    # Two LWC charts and the IGM chart, in each language of the interface.
    assert len(drawings) == 3 * len(settings.LANGUAGES)
    for language, _name in settings.LANGUAGES:
        keys = _effect_keys(trajectory, language)
        assert len(keys) == 3 and set(cache.get_many(list(keys))) == keys

    _fresh_process()
    drawings.clear()
    html = c.get(reverse("instruments:effect", args=[trajectory.uuid])).content.decode()
    assert drawings == []
    assert html.count('src="data:image/svg+xml;base64,') == 3
    # The portal's progress page and the reports use the same charts.
    with translation.override("en"):
        _fresh_process()
        measurements = selectors.trajectory_measurements(trajectory)
        built = effect.build(measurements, selectors.definitions_for(measurements))
    assert drawings == [] and all(item.chart.svg.startswith("<svg") for e in built for item in e.charts)


@pytest.mark.django_db
def test_a_view_draws_what_no_cache_holds_once_for_every_process(login, professional, trajectory, drawings):
    make_measurement(trajectory, "lwc", lwc_answers())
    c = login(professional)
    url = reverse("instruments:effect", args=[trajectory.uuid])
    first = c.get(url).content.decode()
    assert len(drawings) == 2
    _fresh_process()
    assert c.get(url).content.decode().count("data:image/svg+xml") == first.count("data:image/svg+xml") == 2
    assert len(drawings) == 2


@pytest.mark.django_db
def test_chart_keys_follow_the_content(professional, trajectory, django_capture_on_commit_callbacks):
    make_measurement(trajectory, "lwc", lwc_answers(), taken_on=timezone.localdate() - dt.timedelta(days=90))
    make_measurement(trajectory, "igm", igm_answers())
    dutch, english = _effect_keys(trajectory, "nl"), _effect_keys(trajectory, "en")
    assert len(dutch) == len(english) == 3 and not dutch & english
    # A new LWC measurement changes the LWC charts only; the drawing task draws just those.
    version = services.current_version("lwc")
    with django_capture_on_commit_callbacks(execute=True):
        services.measurement_save(
            actor=professional,
            trajectory=trajectory,
            version=version,
            respondent="client",
            framing="job_seeker",
            taken_on=timezone.localdate(),
            answers=lwc_answers(a=5),
            submit=True,
        )
    after = _effect_keys(trajectory, "nl")
    assert len(after & dutch) == 1  # the IGM chart
    from waardewerk.instruments.tasks import draw_effect_charts

    assert draw_effect_charts.call(trajectory.pk) == 0  # everything is in the cache already
    assert Measurement.objects.filter(trajectory=trajectory).count() == 3


@pytest.mark.django_db
def test_definitions_are_read_once_per_process_and_a_new_version_counts_at_once(
    professional, trajectory, django_assert_num_queries
):
    from waardewerk.instruments.services import BUILTIN_DIR

    measurements = [make_measurement(trajectory, "participatieladder", {"rung": 3})]
    with django_assert_num_queries(2):  # which versions (ids), then their stored definitions
        first = selectors.definitions_for(measurements)
    with django_assert_num_queries(1):  # which versions: the definitions are held by this process
        assert selectors.definitions_for(measurements).keys() == first.keys()
    data = yaml.safe_load((BUILTIN_DIR / "participatieladder.yaml").read_text())
    data["version"] += 1
    data["title"] = {"nl": "Participatieladder, nieuwe versie", "en": "Participation ladder, new version"}
    services.instrument_load(yaml.safe_dump(data))
    current = selectors.definition_set(measurements).current["participatieladder"]
    assert current.data["version"] == data["version"]
    _fresh_process()
    assert (
        selectors.definition_set(measurements).current["participatieladder"].data["version"]
        == data["version"]
    )


QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.mark.django_db(transaction=True)
def test_with_the_queue_a_submit_leaves_the_drawing_to_the_worker(
    login, professional, trajectory, drawings, settings
):
    """As the app runs (`make run`, production): the submit only queues the drawing, and `waardewerk worker`
    draws the charts into the shared cache, where the effect view finds them."""
    settings.TASKS = QUEUE
    _fresh_process()
    cache.clear()  # equal charts drawn by an earlier test would be found, not drawn
    c = login(professional)
    assert _submit_lwc(c, trajectory, lwc_answers()).status_code == 302
    assert drawings == []
    queued = DBTaskResult.objects.get()
    assert queued.status == "READY" and queued.task_path.endswith("draw_effect_charts")

    call_command("worker", batch=True, reload=False, startup_delay=False, verbosity=0)
    queued.refresh_from_db()
    assert queued.status == "SUCCESSFUL"
    assert len(drawings) == 2 * len(settings.LANGUAGES)
    for language, _name in settings.LANGUAGES:
        keys = _effect_keys(trajectory, language)
        assert len(keys) == 2 and set(cache.get_many(list(keys))) == keys
    _fresh_process()
    drawings.clear()
    page = c.get(reverse("instruments:effect", args=[trajectory.uuid])).content.decode()
    assert page.count("data:image/svg") == 2
    assert drawings == []


@pytest.mark.django_db(transaction=True)
def test_the_administrator_sees_a_failed_task_without_its_arguments(login, functional_admin, settings):
    settings.TASKS = QUEUE
    failed = DBTaskResult.objects.create(
        task_path="waardewerk.instruments.tasks.draw_effect_charts",
        args_kwargs={"args": [987654321], "kwargs": {}},
        status="FAILED",
        enqueued_at=timezone.now(),
        finished_at=timezone.now(),
        exception_class_path="builtins.ValueError",
        traceback="ValueError: Jansen, Pieter",
        worker_ids=["a", "b"],
        backend_name="default",
        run_after=timezone.now(),
    )
    html = login(functional_admin).get(reverse("accounts:background_tasks")).content.decode()
    assert failed.task_path in html and "builtins.ValueError" in html
    assert "987654321" not in html and "Jansen" not in html
