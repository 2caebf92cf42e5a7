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
    path("admin-area/transfer/imports/", views.import_upload, name="import_upload"),
    path("admin-area/transfer/imports/<uuid:import_id>/", views.import_preview, name="import_preview"),
    path(
        "admin-area/transfer/imports/<uuid:import_id>/confirm/", views.import_confirm, name="import_confirm"
    ),
]
