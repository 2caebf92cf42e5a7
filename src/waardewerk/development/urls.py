from django.urls import path

from waardewerk.development import views

app_name = "development"
A = "development/activities/<uuid:activity_id>/"
G = "development/goals/<uuid:goal_id>/"
M = "development/mentoring/<uuid:mentorship_id>/"
urlpatterns = [
    path("development/", views.log, name="log"),
    path("development/activities/new/", views.activity_new, name="activity_new"),
    path(A, views.activity_detail, name="activity"),
    path(A + "edit/", views.activity_edit, name="activity_edit"),
    path(A + "delete/", views.activity_delete, name="activity_delete"),
    path(A + "restore/", views.activity_restore, name="activity_restore"),
    path(A + "evidence/", views.evidence, name="evidence"),
    path("development/goals/new/", views.goal_new, name="goal_new"),
    path(G, views.goal_detail, name="goal"),
    path(G + "edit/", views.goal_edit, name="goal_edit"),
    path(G + "progress/", views.goal_progress, name="goal_progress"),
    path("development/export/", views.export_view, name="export"),
    path("development/shared/", views.shared, name="shared"),
    path("development/mentoring/", views.mentoring, name="mentoring"),
    path("development/mentoring/new/", views.mentorship_new, name="mentorship_new"),
    path(M, views.mentorship_detail, name="mentorship"),
    path(M + "notes/", views.mentorship_notes, name="mentorship_notes"),
    path(M + "meetings/new/", views.meeting_new, name="meeting_new"),
    path(M + "end/", views.mentorship_end, name="mentorship_end"),
]
