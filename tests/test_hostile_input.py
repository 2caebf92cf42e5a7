"""Random and hostile input to every form endpoint gives an answer, never a 500, and never stores data that
breaks the model's own rules (docs/security.md, "Findings of the outside probe").

The endpoints are every URL of the access matrix (``tests/test_access.py``, ``tests/access_*.py``) whose view
takes a POST, posted as the user the matrix lets in (the client for the client's portal pages). The values
are wrong types, huge numbers, long strings, NUL bytes, odd dates, lists where one value is expected and
unknown keys, mixed into the matrix's valid data. The number of examples is bounded: the whole file runs in
well under a minute per database.
"""

import datetime as dt
import os
import re

import pytest
from django.apps import apps
from django.db import models
from django.urls import URLPattern, URLResolver, get_resolver
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from tests.portal_helpers import portal_account
from tests.test_access import LOGIN, MATRIX, world  # noqa: F401 (the world fixture)
from tests.test_http_methods import CLIENT_PAGES, _log_in, declared_methods
from waardewerk.core.fields import EncryptedTextField
from waardewerk.core.limits import EARLIEST_DATE, INTEGER_MAX, INTEGER_MIN, latest_date

# Few examples, always the same ones, in the suite; a deeper, random search with e.g.
# WAARDEWERK_HOSTILE_EXAMPLES=200 .venv/bin/pytest tests/test_hostile_input.py
EXAMPLES = int(os.environ.get("WAARDEWERK_HOSTILE_EXAMPLES", "6"))
DEEP = "WAARDEWERK_HOSTILE_EXAMPLES" in os.environ
ROLES_IN_ORDER = ["professional", "team_lead", "functional_admin", "knowledge_editor"]


def _callbacks(patterns, namespace=None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _callbacks(pattern.url_patterns, pattern.namespace or namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield (f"{namespace}:{pattern.name}" if namespace else pattern.name), pattern.callback


def _post_endpoints() -> list[str]:
    views = dict(_callbacks(get_resolver().url_patterns))
    return [
        name
        for name in sorted(MATRIX)
        if name not in ("logout", "portal:logout")  # they end the session; nothing to parse
        and "POST" in (declared_methods(views[name]) or ())
    ]


def _actor_role(name: str) -> str:
    expected = MATRIX[name][3]
    for role in ROLES_IN_ORDER:
        if expected[role] not in (LOGIN, 403, 404):
            return role
    return "professional"


NUL_TEXT = st.text(alphabet="\x00ab\u202e\ufffd<>'\"", min_size=1, max_size=8)
ODD_DATES = st.sampled_from(
    [
        "0000-00-00",
        "0001-01-01",
        "9999-12-31",
        "2024-02-30",
        "31-12-2024",
        "1899-12-31",
        "20240101",
        "-1",
        "2024-13-01T00:00",
    ]
)
HUGE_NUMBERS = st.sampled_from(
    [str(2**31), str(2**63), str(-(2**63) - 1), "1e309", "NaN", "-0", "0x10", "１２", "9" * 400]
)
HOSTILE = st.one_of(
    st.text(max_size=20),
    NUL_TEXT,
    ODD_DATES,
    HUGE_NUMBERS,
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)).map(str),
    st.integers(min_value=2_000, max_value=200_000).map(lambda n: "x" * n),
    st.sampled_from(["", " ", "null", "[]", "{}", "true", "on", "../../etc/passwd", "<script>x</script>"]),
    st.lists(st.text(max_size=4), min_size=2, max_size=3),
)
UNKNOWN_KEYS = st.dictionaries(
    st.one_of(st.text(min_size=1, max_size=12), st.sampled_from(["goal-999-text", "item-x", "version[]"])),
    HOSTILE,
    max_size=3,
)


def _field_names(http, url: str) -> set[str]:
    """The names of the form fields on the page (when it has a GET), to aim the values at real fields."""
    response = http.get(url)
    if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
        return set()
    names = set(re.findall(r'name="([^"]+)"', response.content.decode()))
    return names - {"csrfmiddlewaretoken"}


def _checked(field) -> bool:
    return not field.primary_key and (
        isinstance(field, (models.CharField, EncryptedTextField, models.DateField, models.IntegerField))
        or bool(field.choices)
    )


def _corruption() -> list[str]:
    """Stored values that break the model's own rules: text longer than its maximum or with a NUL byte, a
    value outside its choices, a date outside 1900..10 years ahead, a whole number a column cannot hold."""
    problems = []
    latest = latest_date()
    for model in apps.get_models():
        fields = [f for f in model._meta.concrete_fields if _checked(f)]
        if not model.__module__.startswith("waardewerk.") or not fields:
            continue
        for values in model._base_manager.values_list(*(f.attname for f in fields)):
            for field, value in zip(fields, values, strict=True):
                if value in (None, ""):
                    continue
                where = f"{model._meta.label}.{field.name} = {str(value)[:60]!r}"
                if isinstance(field, (models.CharField, EncryptedTextField)):
                    if field.max_length and len(value) > field.max_length:
                        problems.append(f"{where}: longer than {field.max_length}")
                    if "\x00" in value:
                        problems.append(f"{where}: a NUL byte")
                if field.choices and not isinstance(field, models.BooleanField):
                    allowed = {k for k, _v in field.flatchoices}
                    if value not in allowed | {str(k) for k in allowed}:
                        problems.append(f"{where}: not one of the choices")
                if isinstance(field, models.DateField) and not isinstance(field, models.DateTimeField):
                    if not EARLIEST_DATE <= value <= latest:
                        problems.append(f"{where}: outside {EARLIEST_DATE}..{latest}")
                if isinstance(field, models.IntegerField) and not INTEGER_MIN <= value <= INTEGER_MAX:
                    problems.append(f"{where}: out of range")
    return problems


ENDPOINTS = _post_endpoints()


def test_the_hostile_input_test_covers_the_form_endpoints():
    """Every page with a form of the matrix is here (a POST-only action and a GET+POST form page alike)."""
    assert len(ENDPOINTS) > 35
    for name in (
        "trajectories:change_phase",
        "trajectories:start",
        "clients:register",
        "portal:questionnaire",
    ):
        assert name in ENDPOINTS, name


@pytest.mark.django_db
@pytest.mark.parametrize("name", ENDPOINTS)
def test_hostile_posts_get_an_answer_and_store_nothing_broken(client, world, name):  # noqa: F811
    portal_account(world["client"])
    _method, url_for, data_for, _expected = MATRIX[name]
    role = _actor_role(name)

    def log_in():
        if role == "professional" or name in CLIENT_PAGES:
            _log_in(client, name, world)
        else:
            client.force_login(world["users"][role])

    log_in()
    url = url_for(world)
    valid = data_for(world) if data_for else {}
    keys = sorted(set(valid) | _field_names(client, url))
    assert not _corruption(), "the world itself breaks a rule"

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=not DEEP,
        phases=list(Phase) if DEEP else [Phase.explicit, Phase.generate],  # no shrinking in the suite
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(
        overrides=st.fixed_dictionaries({}, optional={key: HOSTILE for key in keys}),
        dropped=st.sets(st.sampled_from(keys)) if keys else st.just(set()),
        unknown=UNKNOWN_KEYS,
    )
    def post(overrides, dropped, unknown):
        log_in()
        data = {k: v for k, v in valid.items() if k not in dropped} | overrides | unknown
        response = client.post(url_for(world), data)  # the test client raises what a 500 would hide
        assert response.status_code < 500, (name, response.status_code)
        problems = _corruption()
        assert not problems, problems

    post()


@pytest.mark.django_db
def test_the_corruption_check_finds_what_it_looks_for(professional):
    from tests.factories import ActionFactory, TrajectoryFactory
    from waardewerk.trajectories.models import Action

    action = ActionFactory(
        trajectory=TrajectoryFactory(responsible=professional, client__organisation=professional.organisation)
    )
    assert not _corruption()
    Action.objects.filter(pk=action.pk).update(due_date=dt.date(9999, 12, 31), status="bogus")
    problems = _corruption()
    assert any("Action.due_date" in p and "outside" in p for p in problems), problems
    assert any("Action.status" in p and "choices" in p for p in problems), problems
