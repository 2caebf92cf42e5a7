"""The URLs of the pages built here. They keep the names of the areas they belong to, so links stay
``clients:dossier`` and ``trajectories:detail``: the root URLconf includes these lists in those
namespaces, next to the apps' own URLs."""

from django.urls import path

from waardewerk.pages import views

clients = [
    path("clients/<uuid:client_id>/", views.dossier, name="dossier"),
    path("clients/<uuid:client_id>/edit/", views.client_edit, name="edit"),
]

trajectories = [
    path("trajectories/<uuid:trajectory_id>/", views.trajectory, name="detail"),
    path("trajectories/<uuid:trajectory_id>/phase/", views.change_phase, name="change_phase"),
    path("trajectories/<uuid:trajectory_id>/actions/", views.add_action, name="add_action"),
    path("trajectories/<uuid:trajectory_id>/notes/", views.add_note, name="add_note"),
]
