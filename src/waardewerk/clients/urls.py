from django.urls import path

from waardewerk.clients import views

app_name = "clients"
urlpatterns = [
    path("clients/new/", views.register, name="register"),
    path("clients/<uuid:client_id>/", views.dossier, name="dossier"),
    path("clients/<uuid:client_id>/edit/", views.edit, name="edit"),
]
