from django.urls import path

from waardewerk.accounts import views

app_name = "accounts"
urlpatterns = [
    path("admin-area/organisation/", views.organisation, name="organisation"),
    path("admin-area/background-tasks/", views.background_tasks, name="background_tasks"),
    path("accounts/two-factor/", views.two_factor, name="two_factor"),
    path("accounts/two-factor/setup/", views.two_factor_setup, name="two_factor_setup"),
    path("accounts/two-factor/verify/", views.two_factor_verify, name="two_factor_verify"),
    path("accounts/two-factor/recovery/", views.two_factor_recovery, name="two_factor_recovery"),
    path("accounts/two-factor/recovery-codes/", views.recovery_codes, name="recovery_codes"),
    path("accounts/two-factor/setup/<str:token>/", views.two_factor_enrol, name="two_factor_enrol"),
    path("accounts/confirm/", views.confirm, name="confirm"),
    path("admin-area/users/<uuid:user_id>/two-factor/", views.user_two_factor, name="user_two_factor"),
]
