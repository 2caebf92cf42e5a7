"""The functional administrator manages the organisation's users and teams: add a user with a role and
teams, change them (a change in between is detected), deactivate and activate, send a link to set a
password (by e-mail only), add and rename teams; everything in the access log."""

import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from tests.factories import OrganisationFactory, TeamFactory
from waardewerk.accounts.models import Role, Team, User
from waardewerk.audit.models import AccessEvent
from waardewerk.core import outbox
from waardewerk.core.models import OutboxMessage


def _data(team=None, **extra):
    return {
        "first_name": "Noor",
        "last_name": "Haddad",
        "username": "noor",
        "email": "noor@example.org",
        "role": Role.PROFESSIONAL,
        "profession": "jobcoach",
        "teams": [str(team.uuid)] if team else [],
    } | extra


def test_add_a_user_set_a_password_and_log_in(client, login, functional_admin, team):
    admin = login(functional_admin)
    response = admin.post(reverse("accounts:user_new"), _data(team))
    user = User.objects.get(username="noor")
    assert response["Location"] == reverse("accounts:user", args=[user.uuid])
    assert user.organisation == functional_admin.organisation and list(user.teams.all()) == [team]
    assert not user.has_usable_password()
    assert admin.post(reverse("accounts:password_link", args=[user.uuid])).status_code == 302
    (message,) = mail.outbox
    assert message.to == ["noor@example.org"]
    link = re.search(r"http://testserver(/accounts/password/\S+)", message.body).group(1)
    assert client.get(link).status_code == 200
    weak = client.post(link, {"new_password1": "kort", "new_password2": "kort"})
    assert weak.status_code == 422
    good = "Lang-en-sterk-wachtwoord-42"
    assert client.post(link, {"new_password1": good, "new_password2": good}).status_code == 302
    assert client.get(link).status_code == 404  # the link works once
    assert client.login(username="noor", password=good)
    events = AccessEvent.objects.filter(object_type="accounts.user").values_list("detail__event", flat=True)
    assert {"user created", "password link sent", "password set with a link"} <= set(events)


def test_change_a_user_and_detect_a_change_in_between(login, functional_admin, professional, team):
    other = TeamFactory(organisation=functional_admin.organisation, name="Team Zuid")
    admin = login(functional_admin)
    url = reverse("accounts:user", args=[professional.uuid])
    form = admin.get(url).context["form"]
    seen = form.initial["seen"]
    data = _data(other, role=Role.TEAM_LEAD, seen=seen)
    data.pop("username")
    assert admin.post(url, data).status_code == 302
    professional.refresh_from_db()
    assert professional.role == Role.TEAM_LEAD and list(professional.teams.all()) == [other]
    stale = admin.post(url, data | {"first_name": "Anders"})
    assert stale.status_code == 422
    professional.refresh_from_db()
    assert professional.first_name == "Noor"


def test_bad_input_and_the_rules(login, functional_admin, professional, team):
    admin = login(functional_admin)
    elsewhere = TeamFactory(organisation=OrganisationFactory(), name="Ander")
    response = admin.post(reverse("accounts:user_new"), _data(username="prof", role="boss", email="geen"))
    assert response.status_code == 422
    assert set(response.context["form"].errors) >= {"role", "email"}
    taken = admin.post(reverse("accounts:user_new"), _data(username="PROF"))
    assert taken.status_code == 422 and "username" in taken.context["form"].errors
    foreign = admin.post(reverse("accounts:user_new"), _data(teams=[str(elsewhere.uuid)]))
    assert foreign.status_code == 422 and "teams" in foreign.context["form"].errors
    own = reverse("accounts:user", args=[functional_admin.uuid])
    data = {
        k: v
        for k, v in _data(role=Role.PROFESSIONAL, seen=admin.get(own).context["form"].initial["seen"]).items()
    }
    data.pop("username")
    assert admin.post(own, data).status_code == 422  # not their own role
    assert (
        admin.post(
            reverse("accounts:user_active", args=[functional_admin.uuid]), {"active": "no"}
        ).status_code
        == 403
    )
    professional.email = ""
    professional.save()
    response = admin.post(reverse("accounts:password_link", args=[professional.uuid]), follow=True)
    assert [m.level_tag for m in response.context["messages"]] == ["error"] and not mail.outbox


def test_deactivate_and_activate(client, login, functional_admin, professional, password):
    admin = login(functional_admin)
    url = reverse("accounts:user_active", args=[professional.uuid])
    admin.post(url, {"active": "no"})
    professional.refresh_from_db()
    assert not professional.is_active
    assert not client.login(username=professional.username, password=password)
    admin.post(url, {"active": "yes"})
    professional.refresh_from_db()
    assert professional.is_active


def test_teams(login, functional_admin, team):
    admin = login(functional_admin)
    assert admin.post(reverse("accounts:team_new"), {"name": "Team Noord", "kind": ""}).status_code == 302
    assert Team.objects.filter(organisation=functional_admin.organisation, name="Team Noord").exists()
    clash = admin.post(reverse("accounts:team", args=[team.uuid]), {"name": "team noord"})
    assert clash.status_code == 422
    assert admin.post(reverse("accounts:team", args=[team.uuid]), {"name": "Team West"}).status_code == 302
    team.refresh_from_db()
    assert team.name == "Team West"
    assert admin.post(reverse("accounts:team_new"), {"name": " "}).status_code == 422


@pytest.mark.parametrize("role", ["professional", "team_lead"])
def test_other_roles_are_refused(request, login, role, professional):
    browser = login(request.getfixturevalue(role))
    assert browser.get(reverse("accounts:user_new")).status_code == 403
    assert browser.post(reverse("accounts:user_new"), _data()).status_code == 403
    assert not User.objects.filter(username="noor").exists()


def test_a_mail_server_that_fails_leaves_the_link_in_the_outbox_for_a_retry(
    login, functional_admin, professional, monkeypatch
):
    """The link goes through the outbox (core.outbox): a mail server that refuses it does not lose it; the
    message waits for its next attempt and the administrator's background-tasks page shows it."""

    def refuse(message):
        raise ConnectionRefusedError

    monkeypatch.setitem(outbox.TRANSPORTS, outbox.EMAIL, refuse)
    professional.email = "pia@example.org"
    professional.save()
    admin = login(functional_admin)
    response = admin.post(reverse("accounts:password_link", args=[professional.uuid]), follow=True)
    assert response.status_code == 200
    (message,) = OutboxMessage.objects.all()
    assert (message.status, message.attempts, message.last_error) == ("pending", 1, "ConnectionRefusedError")
    assert message.next_attempt_at > timezone.now()
    monkeypatch.undo()
    OutboxMessage.objects.update(next_attempt_at=timezone.now())
    assert outbox.retry() == 1
    message.refresh_from_db()
    assert message.status == "sent" and message.body == "" and len(mail.outbox) == 1
