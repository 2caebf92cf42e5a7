"""The OpenAPI document: the committed file is what the code makes, and a bounded property-based run
(schemathesis, hypothesis) against it finds no server error and no answer that breaks it (docs/api.md)."""

from pathlib import Path

import pytest
import schemathesis
import yaml
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import ignored_auth, positive_data_acceptance

from waardewerk.api.tests.conftest import build_world, register

SCHEMA_FILE = Path(__file__).resolve().parents[4] / "docs" / "openapi.yaml"


def test_the_committed_schema_is_what_the_code_makes(tmp_path):
    """Regenerate with: waardewerk spectacular --file docs/openapi.yaml --validate"""
    made = tmp_path / "openapi.yaml"
    call_command("spectacular", "--file", str(made), "--validate", "--fail-on-warn")
    assert yaml.safe_load(made.read_text()) == yaml.safe_load(SCHEMA_FILE.read_text()), (
        "docs/openapi.yaml and the code disagree: run `waardewerk spectacular --file docs/openapi.yaml`"
    )


def test_the_schema_and_its_page_are_served(client):
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/json")
    assert schema.status_code == 200
    assert schema.json()["openapi"].startswith("3.")
    page = client.get("/api/v1/docs/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "swagger-ui-bundle.js" in html and "/static/" in html
    assert "https://" not in html  # no CDN: every asset from this server


schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", get_wsgi_application())


@pytest.fixture
def token(db):
    # Schemathesis calls the WSGI application itself, which closes the database connection after each
    # request (request_finished): on PostgreSQL that would end the test's transaction. Django's test
    # client disconnects the same handler for its requests.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    world = build_world("A")
    build_world("B")
    yield register(world)[1]
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=6, deadline=None, suppress_health_check=list(HealthCheck), database=None)
def test_no_server_error_and_no_answer_outside_the_schema(case, token):
    response = case.call(headers={"Authorization": f"Bearer {token}"})
    # The check that replays without credentials would reuse the header given here; the API's own tests
    # cover every token that must not work (test_api.test_tokens_that_do_not_work). A submitted measurement
    # is checked against its instrument's definition (items, scales), which no schema can say: there a
    # schema-valid body may be refused, with a problem naming the field.
    excluded = [ignored_auth] + ([positive_data_acceptance] if case.method == "POST" else [])
    case.validate_response(response, excluded_checks=excluded)
