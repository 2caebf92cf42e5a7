from django.urls import path

from waardewerk.workday import views

app_name = "workday"
urlpatterns = [
    path("today/", views.today, name="today"),
    path("today/handled/", views.handle, name="handle"),
    path("today/reopen/", views.reopen, name="reopen"),
]
