"""The access log asks for the second factor with a message that says why, not with a silent redirect."""

from django.urls import reverse

from waardewerk.accounts.middleware import TWO_FACTOR_VERIFIED_AT
from waardewerk.audit.services import audit_record


def test_the_log_says_why_it_sends_to_two_step_verification(login, functional_admin):
    response = login(functional_admin).get(reverse("audit:log"), follow=True)
    assert response.redirect_chain[0][0].startswith(reverse("accounts:two_factor"))
    assert [str(m) for m in response.context["messages"]] == [
        "Het logboek vraagt in deze sessie om tweestapsverificatie. Stel die hier in, of log uit en log "
        "opnieuw in met de code uit uw authenticator-app."
    ]


def test_roles_and_pages_are_in_words(client, functional_admin, professional, team_lead):
    audit_record(actor=team_lead, action="view", obj=professional, detail={"page": "staffing"})
    audit_record(actor=professional, action="search", object_type="caseload", detail={"page": 2})
    client.force_login(functional_admin)
    session = client.session
    session[TWO_FACTOR_VERIFIED_AT] = 1
    session.save()
    page = client.get(reverse("audit:log"))
    rows = {(e.actor_username, e.object_type): e for e in page.context["page"].object_list}
    staffing = rows[("lead", "accounts.user")]
    assert (staffing.role_words, staffing.object_words, staffing.detail_words) == (
        "Teamleider",
        "Gebruiker · Bezetting",
        "",
    )
    caseload = rows[("prof", "caseload")]
    assert (caseload.role_words, caseload.object_words, caseload.detail_words) == (
        "Professional",
        "Caseload",
        "page: 2",
    )
    body = page.content.decode().split("<tbody")[1]
    assert "team_lead" not in body and "{&#x27;page&#x27;" not in body and "Gebruiker · Bezetting" in body
