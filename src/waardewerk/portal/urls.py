from django.urls import path

from waardewerk.portal import staff_views, views

app_name = "portal"
urlpatterns = [
    # The client's portal
    path("portal/", views.home, name="home"),
    path("portal/login/", views.login, name="login"),
    path("portal/invitation/<str:token>/", views.invitation, name="invitation"),
    path("portal/code/", views.code, name="code"),
    path("portal/logout/", views.logout, name="logout"),
    path("portal/login/oidc/", views.oidc_start, name="oidc_start"),
    path("portal/login/oidc/callback/", views.oidc_callback, name="oidc_callback"),
    path("portal/goals/", views.goals, name="goals"),
    path("portal/goals/propose/", views.goal_propose, name="goal_propose"),
    path("portal/goals/agree/", views.plan_agree, name="plan_agree"),
    path("portal/choices/<slug:key>/preference/", views.preference, name="preference"),
    path("portal/actions/", views.actions, name="actions"),
    path("portal/actions/<uuid:action_id>/done/", views.action_done, name="action_done"),
    path("portal/appointments/", views.appointments, name="appointments"),
    path("portal/questionnaires/", views.questionnaires, name="questionnaires"),
    path("portal/questionnaires/<uuid:request_id>/", views.questionnaire, name="questionnaire"),
    path("portal/progress/", views.progress, name="progress"),
    path("portal/evaluation/", views.evaluation, name="evaluation"),
    path("portal/jobs/", views.jobs, name="jobs"),
    path("portal/jobs/availability/", views.availability, name="availability"),
    path("portal/jobs/<uuid:proposal_id>/respond/", views.job_respond, name="job_respond"),
    path("portal/consent/", views.consent, name="consent"),
    path("portal/consent/<uuid:consent_id>/withdraw/", views.consent_withdraw, name="consent_withdraw"),
    path("portal/access-log/", views.access_log, name="access_log"),
    path("portal/my-data/", views.my_data, name="my_data"),
    path("portal/my-data/my-data.json", views.export_json, name="export_json"),
    path("portal/my-data/my-data.pdf", views.export_pdf, name="export_pdf"),
    # The professional's side
    path("trajectories/<uuid:trajectory_id>/portal/", staff_views.page, name="staff"),
    path("trajectories/<uuid:trajectory_id>/portal/invite/", staff_views.invite, name="invite"),
    path("trajectories/<uuid:trajectory_id>/portal/end/", staff_views.end_access, name="end_access"),
    path("trajectories/<uuid:trajectory_id>/portal/ask/", staff_views.ask_questionnaire, name="ask"),
    path(
        "trajectories/<uuid:trajectory_id>/portal/consent/", staff_views.record_consent, name="record_consent"
    ),
    path("portal-requests/<uuid:request_id>/cancel/", staff_views.cancel_request, name="cancel_request"),
    path("goal-proposals/<uuid:proposal_id>/accept/", staff_views.accept_proposal, name="accept_proposal"),
    path("goal-proposals/<uuid:proposal_id>/decline/", staff_views.decline_proposal, name="decline_proposal"),
    path("consents/<uuid:consent_id>/withdraw/", staff_views.withdraw_consent, name="staff_withdraw_consent"),
]
