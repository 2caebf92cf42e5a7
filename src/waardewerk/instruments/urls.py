from django.urls import path

from waardewerk.instruments import views

app_name = "instruments"
urlpatterns = [
    path("trajectories/<uuid:trajectory_id>/effect/", views.effect_view, name="effect"),
    path("trajectories/<uuid:trajectory_id>/measurements/new/<slug:key>/", views.measurement_new, name="new"),
    path("measurements/<uuid:measurement_id>/", views.measurement_detail, name="measurement"),
    path("measurements/<uuid:measurement_id>/edit/", views.measurement_edit, name="edit"),
    path("measurements/<uuid:measurement_id>/discard/", views.measurement_discard, name="discard"),
    path("measurements/<uuid:measurement_id>/correct/", views.measurement_correct, name="correct"),
    path("instruments/", views.catalogue, name="catalogue"),
    path("instruments/<slug:key>/", views.instrument_detail, name="instrument"),
    path("admin-area/instruments/", views.schedules, name="schedules"),
]
