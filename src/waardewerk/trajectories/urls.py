from django.urls import path

from waardewerk.trajectories import views

app_name = "trajectories"
urlpatterns = [
    path("caseload/", views.caseload, name="caseload"),
    path("clients/<uuid:client_id>/trajectories/new/", views.start, name="start"),
    path("trajectories/<uuid:trajectory_id>/", views.detail, name="detail"),
    path("trajectories/<uuid:trajectory_id>/phase/", views.change_phase, name="change_phase"),
    path("trajectories/<uuid:trajectory_id>/close/", views.close, name="close"),
    path("trajectories/<uuid:trajectory_id>/conversations/", views.add_conversation, name="add_conversation"),
    path("trajectories/<uuid:trajectory_id>/actions/", views.add_action, name="add_action"),
    path("actions/<uuid:action_id>/status/", views.action_status, name="action_status"),
    path("trajectories/<uuid:trajectory_id>/staffing/", views.staffing, name="staffing"),
    path("trajectories/<uuid:trajectory_id>/staffing/assign/", views.assign, name="assign"),
    path("trajectories/<uuid:trajectory_id>/staffing/transfer/", views.transfer, name="transfer"),
    path("assignments/<uuid:assignment_id>/end/", views.end_assignment, name="end_assignment"),
    path("team/", views.team, name="team"),
]
