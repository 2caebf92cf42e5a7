"""Intervision services: methods as versioned content, groups, the session record with its version check,
experiments linked only to one's own trajectories, and reflections by their owner at a later session."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from tests.factories import OrganisationFactory, TrajectoryFactory, UserFactory
from waardewerk.accounts.models import Role
from waardewerk.audit.models import AccessEvent
from waardewerk.core.exceptions import ConcurrentEditError, PermissionDeniedError
from waardewerk.intervision import policies, selectors, services
from waardewerk.intervision.method import MethodError, parse_method
from waardewerk.intervision.models import IntervisionSession

DAY = dt.date(2026, 10, 6)


@pytest.fixture
def group(professional, team_lead, functional_admin):
    return services.group_create(
        actor=functional_admin,
        name="OT-groep Noord",
        schedule="Elke zes weken",
        members=[professional, team_lead],
    )


@pytest.fixture
def session(group, professional, team_lead):
    return services.session_create(
        actor=professional,
        group=group,
        date=DAY,
        method_key="incident",
        facilitator=team_lead,
        case_owner=professional,
    )


def test_the_shipped_methods_are_loaded_after_migrate(db):
    keys = [m.key for m in selectors.methods(None)]
    assert sorted(keys) == ["balint", "incident", "incident-short", "learning-cycle", "moreel-beraad"]
    incident = selectors.method(None, "incident")[1]
    assert len(incident.phases) == 10
    assert incident.phases[3].speaker == "members"
    assert incident.sources


def test_a_method_file_names_every_problem():
    with pytest.raises(MethodError) as error:
        parse_method("key: Bad Key\nversion: 0\ntitle: {en: x}\nphases:\n  - {key: a, speaker: boss}\n")
    text = "; ".join(error.value.problems)
    for expected in (
        "key",
        "version",
        "the Dutch text (nl) is required",
        "sources",
        "unknown 'boss'",
        "minutes",
    ):
        assert expected in text


def test_the_command_loads_a_new_version_and_lists_it(db, tmp_path, capsys):
    source = services.METHODS_DIR / "balint.yaml"
    changed = tmp_path / "balint.yaml"
    changed.write_text(source.read_text().replace("version: 1", "version: 2"), encoding="utf-8")
    call_command("intervision", "methods", "load", str(changed), "--check")
    assert services.METHODS.current_number("balint") == 1
    call_command("intervision", "methods", "load", str(changed))
    assert services.METHODS.current_number("balint") == 2
    call_command("intervision", "methods", "list")
    assert "balint\tversion 2" in capsys.readouterr().out
    broken = tmp_path / "broken.yaml"
    broken.write_text("key: x\n", encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("intervision", "methods", "load", str(broken))


def test_only_the_functional_administrator_makes_groups_of_own_organisation(
    professional, colleague, functional_admin
):
    with pytest.raises(PermissionDeniedError):
        services.group_create(actor=professional, name="X", members=[professional, colleague])
    stranger = UserFactory(organisation=OrganisationFactory(), role=Role.PROFESSIONAL)
    with pytest.raises(ValidationError) as error:
        services.group_create(actor=functional_admin, name="X", members=[professional, stranger])
    assert "members" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.group_create(actor=functional_admin, name="", members=[professional])
    assert set(error.value.message_dict) == {"name", "members"}


def test_members_see_their_groups_others_do_not(group, professional, colleague, functional_admin):
    assert list(policies.visible_groups(professional)) == [group]
    assert list(policies.visible_groups(colleague)) == []
    assert list(policies.visible_groups(functional_admin)) == []
    assert list(policies.manageable_groups(functional_admin)) == [group]
    other_admin = UserFactory(organisation=OrganisationFactory(), role=Role.FUNCTIONAL_ADMIN)
    assert list(policies.manageable_groups(other_admin)) == []


def test_a_session_uses_the_current_method_version_and_members_only(group, professional, colleague):
    with pytest.raises(ValidationError) as error:
        services.session_create(
            actor=professional, group=group, date=DAY, method_key="nope", facilitator=colleague
        )
    assert set(error.value.message_dict) == {"method", "facilitator"}
    with pytest.raises(PermissionDeniedError):
        services.session_create(
            actor=colleague, group=group, date=DAY, method_key="incident", facilitator=professional
        )


def test_the_record_is_stored_encrypted_and_a_stale_version_is_refused(session, professional, team_lead):
    services.session_record(
        actor=team_lead,
        session=session,
        base_version=1,
        core_question="Hoe houd ik de regie bij de cliënt?",
        notes={"information": "Alleen vragen gesteld.", "unknown-phase": "weg"},
        choice="Ik vraag eerst wat de cliënt zelf wil.",
    )
    session.refresh_from_db()
    assert session.version == 2
    assert session.notes == {"information": "Alleen vragen gesteld."}
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT core_question, phase_notes FROM {IntervisionSession._meta.db_table} WHERE id = %s",  # noqa: S608
            [session.pk],
        )
        question, notes = cursor.fetchone()
    assert "regie" not in question and "vragen" not in notes  # encrypted at rest
    with pytest.raises(ConcurrentEditError):
        services.session_record(
            actor=professional, session=session, base_version=1, core_question="Oud", notes={}, choice=""
        )
    session.refresh_from_db()
    assert session.core_question == "Hoe houd ik de regie bij de cliënt?"


def test_a_record_that_is_too_long_is_refused_with_the_field(session, professional):
    with pytest.raises(ValidationError) as error:
        services.session_record(
            actor=professional,
            session=session,
            base_version=1,
            core_question="x" * (services.QUESTION_MAX + 1),
            notes={"analysis": "y" * (services.NOTE_MAX + 1)},
            choice="",
        )
    assert set(error.value.message_dict) == {"core_question", "notes_analysis"}
    session.refresh_from_db()
    assert session.version == 1


def test_an_experiment_links_only_to_the_owners_own_open_trajectory(session, professional, team_lead):
    own = TrajectoryFactory(responsible=professional, client__organisation=professional.organisation)
    theirs = TrajectoryFactory(responsible=team_lead, client__organisation=professional.organisation)
    with pytest.raises(ValidationError) as error:
        services.experiment_add(
            actor=professional, session=session, description="Iets", until=DAY, trajectory=theirs
        )
    assert "trajectory" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.experiment_add(
            actor=professional, session=session, description="", until=DAY - dt.timedelta(1)
        )
    assert set(error.value.message_dict) == {"description", "until"}
    experiment = services.experiment_add(
        actor=professional, session=session, description="Waardenkaart gebruiken", until=DAY, trajectory=own
    )
    assert experiment.owner == professional
    assert AccessEvent.objects.filter(client_uuid=own.client.uuid, action="create").exists()


def test_only_the_owner_reflects_at_a_later_session_of_the_group(session, group, professional, team_lead):
    experiment = services.experiment_add(
        actor=professional, session=session, description="Eerst vragen", until=DAY + dt.timedelta(30)
    )
    later = services.session_create(
        actor=team_lead,
        group=group,
        date=DAY + dt.timedelta(42),
        method_key="learning-cycle",
        facilitator=professional,
    )
    with pytest.raises(PermissionDeniedError):
        services.experiment_reflect(
            actor=team_lead, experiment=experiment, session=later, what_happened="a", learned="b"
        )
    with pytest.raises(ValidationError):
        services.experiment_reflect(
            actor=professional, experiment=experiment, session=session, what_happened="a", learned="b"
        )
    assert [e.pk for e in selectors.session_experiments(later)["returning"]] == [experiment.pk]
    services.experiment_reflect(
        actor=professional, experiment=experiment, session=later, what_happened="Het werkte.", learned="Rust."
    )
    experiment.refresh_from_db()
    assert experiment.reflection_session == later and experiment.learned == "Rust."
    # Reflected on: it stays in the session where it was reflected on, and no later session shows it.
    last = services.session_create(
        actor=team_lead, group=group, date=DAY + dt.timedelta(84), method_key="balint", facilitator=team_lead
    )
    assert selectors.session_experiments(last)["returning"] == []
    assert [e.pk for e in selectors.session_experiments(later)["returning"]] == [experiment.pk]
