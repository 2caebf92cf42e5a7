from django.urls import path

from waardewerk.quality import views

app_name = "quality"
urlpatterns = [
    path("quality/team/", views.team, name="team"),
    path("quality/mine/", views.mine, name="mine"),
    path("quality/team/<uuid:team_id>/report/", views.team_report, name="report"),
]
