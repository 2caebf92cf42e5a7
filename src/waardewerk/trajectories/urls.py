from django.urls import path

from waardewerk.trajectories import views

# The root URLconf includes these in the namespace "trajectories", with the trajectory page, its inline forms
# and the pages of the methodical cycle (``pages/urls.py``).
app_name = "trajectories"
urlpatterns = [
    path("caseload/", views.caseload, name="caseload"),
    path("clients/<uuid:client_id>/trajectories/new/", views.start, name="start"),
    path("trajectories/<uuid:trajectory_id>/close/", views.close, name="close"),
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
