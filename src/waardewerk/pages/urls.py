"""The URLs of the pages built here. They keep the names of the areas they belong to, so links stay
``clients:dossier`` and ``trajectories:detail``: the root URLconf includes these lists in those
namespaces, next to the apps' own URLs."""

from django.urls import path

from waardewerk.pages import cycle_views, views

clients = [
    path("clients/new/", views.client_register, name="register"),
    path("search/", views.search, name="search"),
    path("clients/<uuid:client_id>/", views.dossier, name="dossier"),
    path("clients/<uuid:client_id>/edit/", views.client_edit, name="edit"),
]

trajectories = [
    path("trajectories/<uuid:trajectory_id>/", views.trajectory, name="detail"),
    path("trajectories/<uuid:trajectory_id>/phase/", views.change_phase, name="change_phase"),
    path("trajectories/<uuid:trajectory_id>/actions/", views.add_action, name="add_action"),
    path("trajectories/<uuid:trajectory_id>/notes/", views.add_note, name="add_note"),
    # The methodical cycle: conversation, plan, adjustment, evaluation (``pages/cycle_views.py``).
    path(
        "trajectories/<uuid:trajectory_id>/conversations/",
        cycle_views.conversation_new,
        name="add_conversation",
    ),
    path("trajectories/<uuid:trajectory_id>/plan/", cycle_views.plan, name="plan"),
    path("trajectories/<uuid:trajectory_id>/plan/edit/", cycle_views.plan_edit, name="plan_edit"),
    path("trajectories/<uuid:trajectory_id>/plan/agree/", cycle_views.plan_agree, name="plan_agree"),
    path(
        "trajectories/<uuid:trajectory_id>/plan/versions/<int:number>/",
        cycle_views.plan_version,
        name="plan_version",
    ),
    path("trajectories/<uuid:trajectory_id>/adjustments/new/", cycle_views.adjustment_new, name="adjustment"),
    path("trajectories/<uuid:trajectory_id>/evaluation/", cycle_views.evaluation, name="evaluation"),
]
