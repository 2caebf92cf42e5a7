from django.urls import path

from waardewerk.trajectories import cycle_views, views

# The root URLconf includes these in the namespace "trajectories", with the trajectory page and its inline
# forms (``pages/urls.py``).
app_name = "trajectories"
urlpatterns = [
    path("caseload/", views.caseload, name="caseload"),
    path("clients/<uuid:client_id>/trajectories/new/", views.start, name="start"),
    path("trajectories/<uuid:trajectory_id>/close/", views.close, name="close"),
    path(
        "trajectories/<uuid:trajectory_id>/conversations/",
        cycle_views.conversation_new,
        name="add_conversation",
    ),
    path("trajectories/<uuid:trajectory_id>/plan/", cycle_views.plan, name="plan"),
    path("trajectories/<uuid:trajectory_id>/plan/edit/", cycle_views.plan_edit, name="plan_edit"),
    path("trajectories/<uuid:trajectory_id>/plan/agree/", cycle_views.plan_agree, name="plan_agree"),
    path(
        "trajectories/<uuid:trajectory_id>/plan/versions/<int:number>/",
        cycle_views.plan_version,
        name="plan_version",
    ),
    path("trajectories/<uuid:trajectory_id>/adjustments/new/", cycle_views.adjustment_new, name="adjustment"),
    path("trajectories/<uuid:trajectory_id>/evaluation/", cycle_views.evaluation, name="evaluation"),
    path("actions/<uuid:action_id>/status/", views.action_status, name="action_status"),
    path("trajectories/<uuid:trajectory_id>/staffing/", views.staffing, name="staffing"),
    path("trajectories/<uuid:trajectory_id>/staffing/assign/", views.assign, name="assign"),
    path("trajectories/<uuid:trajectory_id>/staffing/transfer/", views.transfer, name="transfer"),
    path("assignments/<uuid:assignment_id>/end/", views.end_assignment, name="end_assignment"),
    path(
        "trajectories/<uuid:trajectory_id>/emergency-access/",
        views.emergency_access,
        name="emergency_access",
    ),
    path("team/", views.team, name="team"),
]
