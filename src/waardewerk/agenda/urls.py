from django.urls import path

from waardewerk.agenda import views

app_name = "agenda"
urlpatterns = [
    path("agenda/", views.day_view, name="day"),
    path("agenda/week/", views.week_view, name="week"),
    path("agenda/new/", views.new, name="new"),
    path("agenda/calendar-feed/", views.feed, name="feed"),
    path("agenda/calendar-feed/<str:token>.ics", views.ics, name="ics"),
    path("agenda/<uuid:appointment_id>/", views.detail, name="detail"),
    path("agenda/<uuid:appointment_id>/cancel/", views.cancel, name="cancel"),
]
