from django.urls import path

from waardewerk.accounts import admin_views, views

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
    path("admin-area/users/new/", admin_views.user_new, name="user_new"),
    path("admin-area/users/<uuid:user_id>/", admin_views.user_edit, name="user"),
    path("admin-area/users/<uuid:user_id>/active/", admin_views.user_active, name="user_active"),
    path("admin-area/users/<uuid:user_id>/password-link/", admin_views.password_link, name="password_link"),
    path("admin-area/teams/new/", admin_views.team_new, name="team_new"),
    path("admin-area/teams/<uuid:team_id>/", admin_views.team_edit, name="team"),
    path("accounts/password/<uuid:user_id>/<str:token>/", admin_views.password_set, name="password_set"),
]
