from django.urls import path

from waardewerk.reports import views

app_name = "reports"
urlpatterns = [
    path("trajectories/<uuid:trajectory_id>/report/", views.trajectory_report, name="trajectory"),
    path("trajectories/<uuid:trajectory_id>/report/choose/", views.choose, name="choose"),
    path("trajectories/<uuid:trajectory_id>/report/prepare/", views.prepare, name="prepare"),
    path("prepared/<uuid:job_id>/", views.prepared, name="prepared"),
    path("prepared/<uuid:job_id>/download/", views.prepared_download, name="prepared_download"),
]
