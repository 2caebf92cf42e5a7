from django.urls import path

from waardewerk.reports import views

app_name = "reports"
urlpatterns = [
    path("trajectories/<uuid:trajectory_id>/report/", views.trajectory_report, name="trajectory"),
    path("trajectories/<uuid:trajectory_id>/report/choose/", views.choose, name="choose"),
]
