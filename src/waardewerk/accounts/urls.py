from django.urls import path

from waardewerk.accounts import views

app_name = "accounts"
urlpatterns = [path("admin-area/organisation/", views.organisation, name="organisation")]
