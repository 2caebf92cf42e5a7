"""The research export (docs/practice-evidence.md, "Research export")."""

import csv
import io
import json
import zipfile

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from tests.factories import OrganisationFactory, UserFactory
from waardewerk.accounts.models import Role
from waardewerk.audit.models import AccessEvent
from waardewerk.clients.models import Consent, ConsentKind
from waardewerk.insights import research
from waardewerk.insights.tests.helpers import build_practice, confirmed

pytestmark = pytest.mark.django_db
FILES = {
    "trajectories.csv",
    "trajectories.json",
    "choices.csv",
    "choices.json",
    "measurements.csv",
    "measurements.json",
    "data-dictionary.json",
    "data-dictionary.md",
    "export.json",
}


def _consent(trajectory, *, withdrawn=False):
    now = timezone.now()
    Consent.objects.create(
        client=trajectory.client,
        kind=ConsentKind.RESEARCH,
        given_at=now,
        given_via="portal",
        withdrawn_at=now if withdrawn else None,
        withdrawn_via="portal" if withdrawn else "",
    )


@pytest.fixture
def practice(professional):
    made = build_practice(professional, choosers_ww=3, choosers_wia=1, others=2)
    _consent(made[0])
    _consent(made[2])
    _consent(made[4])
    _consent(made[1], withdrawn=True)
    Consent.objects.create(
        client=made[3].client, kind=ConsentKind.EMPLOYER, given_at=timezone.now(), given_via="portal"
    )
    return made


def test_only_active_research_consent_and_no_identifiers(professional, practice):
    export = research.build(
        organisation_id=professional.organisation_id, since=timezone.localdate().replace(year=2000)
    )
    rows = export.tables["trajectories"]
    assert len(rows) == 3
    files = export.files()
    assert set(files) == FILES
    everything = b"".join(files.values()).decode()
    for t in practice:
        client = t.client
        for identifier in (client.last_name, client.first_name, str(client.uuid), str(t.uuid), client.bsn):
            assert not identifier or identifier not in everything
        assert client.date_of_birth.isoformat() not in everything
    assert {row["age_band"] for row in rows} <= {"-24", "25-34", "35-44", "45-54", "55-64", "65+"}
    assert all(isinstance(row["start_year"], int) for row in rows)
    # Choices of entries and measurements, in months since the start.
    assert {row["entry"] for row in export.tables["choices"]} == {"ips"}
    assert all(row["month"] == 1 for row in export.tables["choices"])
    measurements = export.tables["measurements"]
    assert measurements and all(isinstance(row["month"], int) for row in measurements)
    table = list(csv.DictReader(io.StringIO(files["trajectories.csv"].decode())))
    assert len(table) == 3 and set(table[0]) == {c for c, _ in research.dictionary()["trajectories"]}
    assert json.loads(files["export.json"])["persons"] == 3


def test_pseudonyms_differ_between_exports(professional, practice):
    since = timezone.localdate().replace(year=2000)
    one = research.build(organisation_id=professional.organisation_id, since=since)
    two = research.build(organisation_id=professional.organisation_id, since=since)
    assert {r["person"] for r in one.tables["trajectories"]}.isdisjoint(
        {r["person"] for r in two.tables["trajectories"]}
    )


def test_the_command_writes_the_files_and_logs_every_client(professional, practice, tmp_path):
    out = tmp_path / "export"
    call_command("research", "export", "--since", "2000-01-01", "--out", str(out))
    assert {p.name for p in out.iterdir()} == FILES
    events = AccessEvent.objects.filter(action="export")
    assert events.filter(client_uuid__isnull=False).count() == 3
    assert {e.client_uuid for e in events if e.client_uuid} == {practice[i].client.uuid for i in (0, 2, 4)}
    assert events.filter(client_uuid__isnull=True, object_type="insights.researchexport").count() == 1


@pytest.mark.parametrize(
    "args, message",
    [
        (["--since", "gisteren"], "is not a day"),
        (["--since", "2999-01-01"], "is not a day"),
        (["--since", "2020-01-01", "--organisation", "not-a-uuid"], "no organisation"),
    ],
)
def test_the_command_refuses_bad_input(professional, tmp_path, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("research", "export", "--out", str(tmp_path / "x"), *args)
    assert not (tmp_path / "x").exists()


def test_the_command_does_not_write_into_a_full_directory(professional, tmp_path):
    (tmp_path / "something").write_text("x")
    with pytest.raises(CommandError, match="not an empty directory"):
        call_command("research", "export", "--since", "2020-01-01", "--out", str(tmp_path))


def test_the_page_gives_the_editor_a_zip_and_refuses_bad_dates(client, professional, practice):
    editor = UserFactory(organisation=professional.organisation, role=Role.KNOWLEDGE_EDITOR)
    client.force_login(editor)
    url = reverse("insights:research_export")
    # First a fresh password confirmation, as for the access log's export.
    assert client.get(url)["Location"].startswith(reverse("accounts:confirm"))
    assert client.post(url, {"since": "2000-01-01"})["Location"].startswith(reverse("accounts:confirm"))
    assert not AccessEvent.objects.filter(action="export").exists()
    confirmed(client, editor)
    assert client.get(url).status_code == 200
    bad = client.post(url, {"since": "31-02-2020"})
    assert bad.status_code == 422
    response = client.post(url, {"since": "2000-01-01"})
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    names = set(zipfile.ZipFile(io.BytesIO(response.content)).namelist())
    assert names == FILES
    assert AccessEvent.objects.filter(action="export", actor_id=editor.pk).count() == 4


def test_the_client_sees_the_export_in_who_looked_at_my_file(client, professional, practice, tmp_path):
    from tests.portal_helpers import log_in_client

    call_command("research", "export", "--since", "2000-01-01", "--out", str(tmp_path / "e"))
    log_in_client(client, practice[0].client)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("portal:access_log")).content.decode()
    assert "your data without your name, for research you agreed to" in page


def test_end_to_end_with_consents_given_and_withdrawn_in_the_portal(professional, tmp_path):
    """Consent given and withdrawn as the client does it in the portal, then the command: only those who
    consent at the time of the export are in it, every file refers only to their trajectories, and a client
    of another organisation who consented is not in it."""
    from waardewerk.clients.actor import ClientActor
    from waardewerk.portal import services as portal_services

    made = build_practice(professional, choosers_ww=3, choosers_wia=1, others=2)
    other = UserFactory(organisation=OrganisationFactory(name="Elders"), role=Role.PROFESSIONAL)
    elsewhere = build_practice(other, choosers_ww=1, choosers_wia=0, others=0)[0]
    for trajectory in (made[0], made[1], made[4], elsewhere):
        portal_services.consent_give(
            actor=ClientActor(trajectory.client), client=trajectory.client, kind=ConsentKind.RESEARCH
        )
    given = Consent.objects.get(client=made[1].client, kind=ConsentKind.RESEARCH)
    portal_services.consent_withdraw(actor=ClientActor(made[1].client), consent=given)
    out = tmp_path / "export"
    organisation = str(professional.organisation.uuid)
    call_command(
        "research", "export", "--since", "2000-01-01", "--out", str(out), "--organisation", organisation
    )

    def table(name):
        return list(csv.DictReader((out / f"{name}.csv").open(encoding="utf-8")))

    trajectories = table("trajectories")
    assert len(trajectories) == 2 == len({row["person"] for row in trajectories})
    names = {row["trajectory"] for row in trajectories}
    assert {row["trajectory"] for row in table("choices")} == {trajectories[0]["trajectory"]}  # made[0] chose
    assert {row["trajectory"] for row in table("measurements")} == names
    assert json.loads((out / "measurements.json").read_text()) and json.loads(
        (out / "choices.json").read_text()
    )
    about = json.loads((out / "export.json").read_text())
    assert about["persons"] == 2 and about["rows"]["trajectories"] == 2
    everything = "".join(p.read_text(encoding="utf-8") for p in out.iterdir())
    for trajectory in (*made, elsewhere):
        for identifier in (trajectory.client.last_name, str(trajectory.client.uuid), trajectory.client.bsn):
            assert not identifier or identifier not in everything
    logged = AccessEvent.objects.filter(action="export", object_type="insights.researchexport")
    assert {e.client_uuid for e in logged if e.client_uuid} == {made[0].client.uuid, made[4].client.uuid}
