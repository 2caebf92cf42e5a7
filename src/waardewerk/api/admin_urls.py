from django.urls import path

from waardewerk.api import admin_views

app_name = "api_admin"
urlpatterns = [
    path("admin-area/applications/", admin_views.applications, name="applications"),
    path("admin-area/applications/new/", admin_views.application_new, name="application_new"),
    path("admin-area/applications/<uuid:application_id>/", admin_views.application, name="application"),
    path(
        "admin-area/applications/<uuid:application_id>/revoke/",
        admin_views.application_revoke,
        name="application_revoke",
    ),
    path(
        "admin-area/subscriptions/<uuid:subscription_id>/remove/",
        admin_views.subscription_remove,
        name="subscription_remove",
    ),
]
