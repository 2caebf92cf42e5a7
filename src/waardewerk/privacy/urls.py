from django.urls import path

from waardewerk.privacy import views

app_name = "privacy"

urlpatterns = [
    path("privacy/", views.overview, name="overview"),
    path("privacy/clients/<uuid:client_id>/", views.client, name="client"),
    path("privacy/clients/<uuid:client_id>/hold/", views.hold_set, name="hold_set"),
    path("privacy/clients/<uuid:client_id>/requests/", views.request_new, name="request_new"),
    path("privacy/holds/<uuid:hold_id>/lift/", views.hold_lift, name="hold_lift"),
    path("privacy/requests/<uuid:request_id>/", views.request_detail, name="request"),
    path("privacy/requests/<uuid:request_id>/export.json", views.request_export, name="request_export"),
    path("privacy/requests/<uuid:request_id>/erase/", views.request_erase, name="request_erase"),
    path("privacy/retention/", views.retention, name="retention"),
    path("privacy/destruction/", views.destruction_lists, name="destruction_lists"),
    path("privacy/destruction/<uuid:list_id>/", views.destruction_list, name="destruction_list"),
    path(
        "privacy/destruction/<uuid:list_id>/approve/", views.destruction_approve, name="destruction_approve"
    ),
    path("privacy/destruction/<uuid:list_id>/reject/", views.destruction_reject, name="destruction_reject"),
]
