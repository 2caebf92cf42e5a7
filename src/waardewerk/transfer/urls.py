from django.urls import path

from waardewerk.transfer import views

app_name = "transfer"
urlpatterns = [
    path("admin-area/transfer/", views.index, name="index"),
    path("admin-area/transfer/exports/", views.export_start, name="export_start"),
    path(
        "admin-area/transfer/exports/<uuid:export_id>/download/",
        views.export_download,
        name="export_download",
    ),
]
