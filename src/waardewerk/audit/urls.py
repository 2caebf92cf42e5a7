from django.urls import path

from waardewerk.audit import views

app_name = "audit"
urlpatterns = [
    path("admin-area/audit/", views.log, name="log"),
    path("admin-area/audit/export/", views.export, name="export"),
]
