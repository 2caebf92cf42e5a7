"""The access log asks for the second factor with a message that says why, not with a silent redirect."""

from django.urls import reverse


def test_the_log_says_why_it_sends_to_two_step_verification(login, functional_admin):
    response = login(functional_admin).get(reverse("audit:log"), follow=True)
    assert response.redirect_chain[0][0].startswith(reverse("accounts:two_factor"))
    assert [str(m) for m in response.context["messages"]] == [
        "Het logboek vraagt in deze sessie om tweestapsverificatie. Stel die hier in, of log uit en log "
        "opnieuw in met de code uit uw authenticator-app."
    ]
