from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from waardewerk.accounts import views as accounts_views
from waardewerk.pages import views as pages_views

urlpatterns = [
    path("", pages_views.home, name="home"),
    path("accounts/login/", accounts_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("", include("waardewerk.accounts.urls")),
    path("", include("waardewerk.clients.urls")),
    path("", include("waardewerk.trajectories.urls")),
    path("", include("waardewerk.audit.urls")),
    path("", include("waardewerk.instruments.urls")),
    path("", include("waardewerk.knowledge.urls")),
    path("", include("waardewerk.reports.urls")),
    path("", include("waardewerk.portal.urls")),
]
