from django.urls import path

from waardewerk.accounts import views

app_name = "accounts"
urlpatterns = [
    path("admin-area/organisation/", views.organisation, name="organisation"),
    path("accounts/two-factor/", views.two_factor, name="two_factor"),
    path("accounts/two-factor/setup/", views.two_factor_setup, name="two_factor_setup"),
    path("accounts/two-factor/verify/", views.two_factor_verify, name="two_factor_verify"),
    path("accounts/confirm/", views.confirm, name="confirm"),
]
