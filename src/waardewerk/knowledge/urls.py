from django.urls import path

from waardewerk.knowledge import views

app_name = "knowledge"
urlpatterns = [
    path("guide/", views.guide, name="guide"),
    path("admin-area/guide/", views.admin, name="admin"),
    path("admin-area/guide/download/", views.download, name="download"),
    path("admin-area/guide/versions/<int:version>/", views.version_detail, name="version"),
    path("admin-area/guide/phases/<slug:phase>/topics/new/", views.topic_add, name="topic_add"),
    path("admin-area/guide/topics/<slug:key>/", views.topic_edit, name="topic_edit"),
    path("admin-area/guide/topics/<slug:key>/remove/", views.topic_remove, name="topic_remove"),
    path("admin-area/guide/topics/<slug:key>/move/", views.topic_move, name="topic_move"),
]
